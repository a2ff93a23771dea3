//! A page's own part of its HTML: the Markdown body (parsed to HTML, a
//! second time unless the build put its first parse off until now), its
//! table of contents and the entries of a folder page.

use std::borrow::Cow;

use super::context::{ChildView, PageView, TocEntry};
use super::{Renderer, Unit};
use crate::html::escape;
use crate::markdown::{Output, PageRef, ParseContext};
use crate::model::{Document, NavKey, Page};
use crate::print_guide::GuideAnchors;

impl<'a> Renderer<'a> {
    /// A folder's index page stands for its folder in the navigation.
    pub(super) fn key_of(&self, page: &Page) -> NavKey {
        let folder = crate::routes::parent_dir(&page.source_path);
        match self.site.sections.get(folder) {
            Some(section) if section.index_page.as_deref() == Some(page.source_path.as_str()) => {
                NavKey::Section(folder.to_string())
            }
            _ => NavKey::Page(page.source_path.clone()),
        }
    }

    /// What the template shows of the unit's page, and, for a page not
    /// parsed before ([`Page::unparsed`]), the model its parse made.
    pub(super) fn page_view(
        &self,
        unit: Unit<'a>,
        key: &NavKey,
        kind: &'static str,
        url: &str,
    ) -> (PageView<'a>, Option<Document>) {
        let children = self.children(key);
        let view = match unit {
            Unit::Page(page) => {
                let mut context = self.parse_context(None);
                if page.unparsed {
                    context.output = Output::HtmlAndSearchText;
                }
                let (content, doc) = page_content(page, &context);
                let view = PageView {
                    kind,
                    title: &page.title,
                    description: page.front.description.as_deref(),
                    weight: page.weight,
                    roles: &page.front.roles,
                    extra: Cow::Borrowed(&page.front.extra),
                    source_path: Some(&page.source_path),
                    edit_url: self
                        .site
                        .publishing
                        .edit_url
                        .as_ref()
                        .map(|e| e.for_source(&page.source_path)),
                    last_updated: self
                        .site
                        .publishing
                        .last_updated
                        .get(&page.source_path)
                        .map(String::as_str),
                    url: url.to_string(),
                    content: Cow::Owned(content),
                    toc: doc
                        .headings
                        .iter()
                        .filter(|h| matches!(h.level, 2 | 3) && !h.id.is_empty())
                        .map(|h| TocEntry {
                            level: h.level,
                            id: h.id.clone(),
                            title: h.text.clone(),
                        })
                        .collect(),
                    children,
                };
                return (view, page.unparsed.then_some(doc));
            }
            Unit::GeneratedSection(section) => PageView::generated(
                kind,
                &section.title,
                section.weight,
                url.to_string(),
                children,
            ),
            _ => PageView::generated(
                kind,
                self.link_of(key).map_or("", |l| l.title),
                None,
                url.to_string(),
                children,
            ),
        };
        (view, None)
    }

    /// How the render pass parses a page: for its own page, or for the
    /// whole guide's.
    pub(super) fn parse_context<'g>(&'g self, guide: Option<&'g GuideAnchors>) -> ParseContext<'g> {
        ParseContext {
            routes: &self.site.routes,
            embeds: &self.site.embeds,
            output: Output::Html,
            trusted_html: self.site.embeds.trusted_html,
            max_nesting: self.site.max_nesting,
            guide,
        }
    }

    /// The entries listed on a folder's (or a generated group's) page.
    fn children(&self, key: &NavKey) -> Vec<ChildView<'a>> {
        let children = match key {
            NavKey::Section(folder) => self
                .folder_children
                .get(folder.as_str())
                .copied()
                .unwrap_or(&[]),
            NavKey::Generated(url) => self
                .site
                .nav
                .tree
                .iter()
                .find(|n| n.url == *url)
                .map_or(&[][..], |n| &n.children),
            NavKey::Page(_) => &[],
        };
        children
            .iter()
            .map(|node| ChildView {
                title: &node.title,
                url: &node.url,
                description: self.description_of(&node.key),
                kind: if matches!(node.key, NavKey::Section(_)) {
                    "section"
                } else {
                    "page"
                },
            })
            .collect()
    }
}

/// A page's HTML, with its title as an `<h1>` when the Markdown has none,
/// and the model the same parse made (its `html` taken out). A page parsed
/// before kept only its model, so its Markdown is parsed again here, one
/// page at a time, rather than holding every page's HTML at once.
pub(super) fn page_content(page: &Page, context: &ParseContext) -> (String, Document) {
    let page_ref = PageRef {
        source_path: &page.source_path,
        url: &page.url,
        body_start: page.body_start,
        file_text: &page.text,
    };
    let body = page.text.get(page.body_start..).unwrap_or_default();
    let mut doc = crate::markdown::parse(&page_ref, context, body);
    let html = std::mem::take(&mut doc.html);
    if doc.headings.iter().any(|h| h.level == 1) {
        (html, doc)
    } else {
        let titled = format!(
            "<h1 class=\"page-title\">{}</h1>\n{html}",
            escape(&page.title)
        );
        (titled, doc)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::site;
    use super::super::{render_page, Renderer};
    use crate::model::NavKey;

    #[test]
    fn a_page_without_a_level_one_heading_gets_its_title_as_one() {
        let (site, templates, _dir) = site(&[
            ("a.md", "---\ntitle: Ship <it>\n---\n\nText.\n"),
            ("b.md", "# Own heading\n\nText.\n"),
        ]);
        let (_, a) = render_page(&site, &templates, &site.pages["a.md"]).unwrap();
        assert!(
            a.contains("<h1 class=\"page-title\">Ship &lt;it&gt;</h1>"),
            "{a}"
        );
        let (_, b) = render_page(&site, &templates, &site.pages["b.md"]).unwrap();
        assert!(!b.contains("page-title\">"), "{b}");
    }

    #[test]
    fn a_folder_index_stands_for_its_folder() {
        let (site, templates, _dir) =
            site(&[("guide/README.md", "# Guide\n"), ("guide/x.md", "# X\n")]);
        let renderer = Renderer::new(&site, &templates);
        assert_eq!(
            renderer.key_of(&site.pages["guide/README.md"]),
            NavKey::Section("guide".into())
        );
        assert_eq!(
            renderer.key_of(&site.pages["guide/x.md"]),
            NavKey::Page("guide/x.md".into())
        );
        let children = renderer.children(&NavKey::Section("guide".into()));
        let titles: Vec<&str> = children.iter().map(|c| c.title).collect();
        assert_eq!(titles, ["X"]);
    }
}
