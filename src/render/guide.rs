//! The whole guide on one page (`print/guide.html`): every page's HTML,
//! parsed again with the guide's ids and links ([`crate::print_guide`]), in
//! sidebar order, after a contents list.

use rayon::prelude::*;

use super::context::GuideEntryView;
use super::page::page_content;
use super::Renderer;

impl<'a> Renderer<'a> {
    /// The guide's contents and every page's part, made in parallel.
    pub(super) fn guide_view(&self) -> Vec<GuideEntryView<'a>> {
        let (entries, anchors) = crate::print_guide::plan(self.site);
        let context = self.parse_context(Some(&anchors));
        entries
            .into_par_iter()
            .map(|entry| GuideEntryView {
                title: entry.title,
                depth: entry.depth,
                content: entry.page.map(|page| page_content(page, &context).0),
                anchor: entry.anchor,
            })
            .collect()
    }
}
