//! Rendered pages kept between `serve`'s builds, so that only pages whose
//! inputs changed are rendered again.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use super::{units, Renderer, Templates, Unit};
use crate::diagnostic::Diagnostic;
use crate::model::{NavNode, Site};

/// Pages as `(output path, HTML)`, shared with the cache that keeps them.
pub type RenderedPages = Vec<(String, Arc<[u8]>)>;

/// Rendered pages kept between builds: output path → (fingerprint of
/// everything the page depends on, its HTML).
#[derive(Default)]
pub struct PageCache {
    pages: HashMap<String, (u64, Arc<[u8]>)>,
}

/// Render every page, reusing the cached HTML of pages whose inputs did not
/// change. A page depends on its own source, on everything every page shows
/// (templates, site settings, data files, the navigation with every title
/// and description), and, when it embeds one, on the checklists and roles;
/// generated pages depend on those too, and a run's page on its run file. Returns the pages and how many were
/// rendered.
pub fn render_pages_cached(
    site: &Site,
    templates: &Templates,
    cache: &mut PageCache,
) -> Result<(RenderedPages, usize), Box<Diagnostic>> {
    let renderer = Renderer::new(site, templates);
    let units = units(site);
    let (everywhere, checklists) = shared_fingerprints(site, templates);
    let fingerprint = |unit: &Unit| -> u64 {
        let mut hasher = DefaultHasher::new();
        everywhere.hash(&mut hasher);
        match unit {
            Unit::Page(page) => {
                page.text.hash(&mut hasher);
                page.source_path.hash(&mut hasher);
                site.publishing
                    .last_updated
                    .get(&page.source_path)
                    .hash(&mut hasher);
                if !page.doc.embeds.is_empty() {
                    checklists.hash(&mut hasher);
                }
            }
            Unit::GeneratedSection(section) => section.path.hash(&mut hasher),
            // Every page is on it.
            Unit::GuidePrint => {
                checklists.hash(&mut hasher);
                for page in site.pages.values() {
                    (&page.source_path, &page.text).hash(&mut hasher);
                }
            }
            // A run's pages show its file; the index shows every run.
            Unit::Run(run) => {
                checklists.hash(&mut hasher);
                run_fingerprint(run).hash(&mut hasher);
            }
            // Role pages link to the runs with their items.
            Unit::RunsIndex | Unit::Role(_) => {
                checklists.hash(&mut hasher);
                site.runs
                    .values()
                    .for_each(|run| run_fingerprint(run).hash(&mut hasher));
            }
            _ => checklists.hash(&mut hasher),
        }
        hasher.finish()
    };
    let results = units
        .par_iter()
        .map(|unit| {
            let print = fingerprint(unit);
            let url = renderer.url_of(*unit);
            match cache.pages.get(&url) {
                Some((cached, html)) if *cached == print => {
                    Ok((url, print, Arc::clone(html), false))
                }
                _ => renderer
                    .render(*unit)
                    .map(|(url, html)| (url, print, Arc::from(html.into_bytes()), true)),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let rendered = results.iter().filter(|r| r.3).count();
    cache.pages = results
        .iter()
        .map(|(url, print, html, _)| (url.clone(), (*print, Arc::clone(html))))
        .collect();
    let mut pages: RenderedPages = results
        .into_iter()
        .map(|(url, _, html, _)| (url, html))
        .collect();
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((pages, rendered))
}

fn run_fingerprint(run: &crate::runs::Run) -> String {
    serde_json::to_string(run).unwrap_or_default()
}

/// Fingerprints of what every page shows, and of the checklists and roles.
fn shared_fingerprints(site: &Site, templates: &Templates) -> (u64, u64) {
    let mut everywhere = DefaultHasher::new();
    for (name, source) in &templates.sources {
        (name, &source.text).hash(&mut everywhere);
    }
    (&site.title, &site.description).hash(&mut everywhere);
    // Data files matter to every page only if some template reads them.
    if templates.read_site_data() {
        serde_json::to_string(&site.data)
            .unwrap_or_default()
            .hash(&mut everywhere);
    }
    fn nav(nodes: &[NavNode], hasher: &mut DefaultHasher) {
        for node in nodes {
            (&node.key, &node.title, &node.url).hash(hasher);
            nav(&node.children, hasher);
        }
    }
    nav(&site.nav.tree, &mut everywhere);
    for page in site.pages.values() {
        (&page.front.description, &page.url).hash(&mut everywhere);
    }
    let mut checklists = DefaultHasher::new();
    serde_json::to_string(&site.embeds.checklists)
        .unwrap_or_default()
        .hash(&mut checklists);
    serde_json::to_string(site.embeds.roles.all())
        .unwrap_or_default()
        .hash(&mut checklists);
    serde_json::to_string(&site.release_notes)
        .unwrap_or_default()
        .hash(&mut checklists);
    (everywhere.finish(), checklists.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_whose_inputs_changed_are_rendered_again() {
        let files = [
            ("index.md", "# Home\n"),
            ("a.md", "# A\n\nOld.\n"),
            ("b.md", "# B\n"),
        ];
        let (site, templates, _dir) = super::super::tests::site(&files);
        let mut cache = PageCache::default();
        let (first, rendered) = render_pages_cached(&site, &templates, &mut cache).unwrap();
        assert_eq!(rendered, first.len());
        let (again, rendered) = render_pages_cached(&site, &templates, &mut cache).unwrap();
        assert_eq!((rendered, again), (0, first.clone()));

        let edited = [files[0], ("a.md", "# A\n\nNew.\n"), files[2]];
        let (site, templates, _dir) = super::super::tests::site(&edited);
        let (pages, rendered) = render_pages_cached(&site, &templates, &mut cache).unwrap();
        // The page, and the whole guide that prints it.
        assert_eq!(rendered, 2);
        for path in ["a.html", "print/guide.html"] {
            let page = pages.iter().find(|(p, _)| p == path).unwrap();
            assert!(String::from_utf8_lossy(&page.1).contains("New."), "{path}");
        }
    }
}
