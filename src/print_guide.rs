//! The whole guide on one page, to print or save as a PDF
//! (`print/guide.html`, like mdBook's `print.html`): every page in sidebar
//! order. This module decides where things land on it; the Markdown pass
//! ([`crate::markdown`]) writes each page's part with these ids and links,
//! and `render` puts the parts together.
//!
//! Ids: each page gets an anchor made from its path (`guide/setup.md` →
//! `guide-setup`, unique among pages, in sidebar order), and each of the
//! page's own ids becomes `ANCHOR.ID`. Anchors never hold a `.`, and a
//! page's ids are unique within it, so no two ids of the printed guide can
//! be the same, whatever the headings say. Links to a page of the guide lead
//! to its anchor, `page.md#x` to `ANCHOR.x`; links to anything else (role
//! pages, files, folders without a page) stay links to the site.

use std::collections::HashMap;

use crate::model::{NavKey, NavNode, Page, Site};
use crate::routes::{encode_path, folder_url, relative_url, with_fragment, LinkTarget};
use crate::slug::{slugify, UniqueIds};

/// Where the whole guide goes.
pub const GUIDE_PRINT_URL: &str = "print/guide.html";

/// The most Markdown (bytes, every page together) printed on one page,
/// about 900 pages of 4.5 KB. Past it the page is too big to print (tens of
/// MB of HTML, thousands of sheets), and making it would cost every build
/// the memory of the whole site's HTML at once: at 10,000 pages, a 143 MB
/// file and 0.7 GB more memory.
pub const GUIDE_PRINT_MAX_BYTES: usize = 4 * 1024 * 1024;

/// Ids the page's own template uses, never given to a page.
const RESERVED: [&str; 2] = ["content", "contents"];

/// One line of the guide's contents: a page, or a folder without a page of
/// its own (a title only).
pub struct GuideEntry<'a> {
    pub page: Option<&'a Page>,
    pub title: &'a str,
    /// How deep in the sidebar it sits (0 at the top).
    pub depth: usize,
    /// The page's anchor (empty for a folder title).
    pub anchor: String,
}

/// Every page's anchor, for the Markdown pass to make ids and links.
#[derive(Debug, Default)]
pub struct GuideAnchors {
    /// Source path → anchor.
    pages: HashMap<String, String>,
    /// Folder → the anchor of its index page.
    folders: HashMap<String, String>,
}

/// Whether the build makes the whole guide's page: when the site has pages,
/// and not too many (see [`too_big`]).
pub fn printed(site: &Site) -> bool {
    !site.pages.is_empty() && too_big(site).is_none()
}

/// Why the site is too big to print whole, if it is.
pub fn too_big(site: &Site) -> Option<String> {
    let bytes: usize = site.pages.values().map(|p| p.text.len()).sum();
    (bytes > GUIDE_PRINT_MAX_BYTES).then(|| {
        format!(
            "the whole guide is not made printable as one page ({GUIDE_PRINT_URL}): its pages hold {:.1} MB of Markdown, more than the {} MB one page can print; print pages one by one instead",
            bytes as f64 / (1024.0 * 1024.0),
            GUIDE_PRINT_MAX_BYTES / (1024 * 1024)
        )
    })
}

/// The guide's contents in sidebar order (the home page first), and the
/// anchors of its pages.
pub fn plan(site: &Site) -> (Vec<GuideEntry<'_>>, GuideAnchors) {
    let mut entries = Vec::new();
    let home = site.sections.get("").and_then(|s| s.index_page.as_ref());
    if let Some(page) = home.and_then(|p| site.pages.get(p)) {
        entries.push(GuideEntry {
            page: Some(page),
            title: &page.title,
            depth: 0,
            anchor: String::new(),
        });
    }
    walk(site, &site.nav.tree, 0, &mut entries);
    let mut ids = UniqueIds::default();
    for id in RESERVED {
        ids.reserve(id);
    }
    let mut anchors = GuideAnchors::default();
    for entry in &mut entries {
        let Some(page) = entry.page else { continue };
        entry.anchor = ids.unique(&page_slug(&page.source_path));
        let folder = crate::routes::parent_dir(&page.source_path);
        if site
            .sections
            .get(folder)
            .and_then(|s| s.index_page.as_deref())
            == Some(page.source_path.as_str())
        {
            anchors
                .folders
                .insert(folder.to_string(), entry.anchor.clone());
        }
        anchors
            .pages
            .insert(page.source_path.clone(), entry.anchor.clone());
    }
    (entries, anchors)
}

/// The pages and folders of `nodes`, depth first, as the sidebar lists them.
fn walk<'a>(site: &'a Site, nodes: &'a [NavNode], depth: usize, out: &mut Vec<GuideEntry<'a>>) {
    for node in nodes {
        let page = match &node.key {
            NavKey::Page(path) => site.pages.get(path),
            NavKey::Section(folder) => site
                .sections
                .get(folder)
                .and_then(|s| s.index_page.as_ref())
                .and_then(|p| site.pages.get(p)),
            // Role and release-note pages are the site's, not the guide's.
            NavKey::Generated(_) => continue,
        };
        out.push(GuideEntry {
            page,
            title: page.map_or(&node.title, |p| &p.title),
            depth,
            anchor: String::new(),
        });
        walk(site, &node.children, depth + 1, out);
    }
}

/// A page's anchor before it is made unique: its path without the
/// extension (a folder's index page: the folder's), as a slug.
fn page_slug(source_path: &str) -> String {
    let folder = crate::routes::parent_dir(source_path);
    let name = source_path.rsplit('/').next().unwrap_or(source_path);
    let base = if crate::routes::is_index_name(name) {
        if folder.is_empty() {
            "home"
        } else {
            folder
        }
    } else {
        source_path
            .rsplit_once('.')
            .map_or(source_path, |(stem, _)| stem)
    };
    match slugify(&base.replace('/', " ")) {
        slug if slug.is_empty() => "page".to_string(),
        slug => slug,
    }
}

impl GuideAnchors {
    /// The anchor of the page at `source_path`, if the guide prints it.
    pub fn anchor(&self, source_path: &str) -> Option<&str> {
        self.pages.get(source_path).map(String::as_str)
    }

    /// The id on the guide of the id `id` of the page whose anchor is `anchor`.
    pub fn id(anchor: &str, id: &str) -> String {
        format!("{anchor}.{id}")
    }

    /// The href on the guide of a link written in the page whose anchor is
    /// `anchor`, or `None` when the link stays as written (it leaves the
    /// site, or leads nowhere).
    pub fn href(
        &self,
        routes: &crate::routes::Routes,
        anchor: &str,
        target: &LinkTarget,
    ) -> Option<String> {
        let in_guide = |page: &str, fragment: &Option<String>| {
            Some(match fragment {
                Some(f) => with_fragment(String::new(), Some(&Self::id(page, f))),
                None => format!("#{page}"),
            })
        };
        match target {
            LinkTarget::SamePage { fragment } => in_guide(anchor, &Some(fragment.clone())),
            LinkTarget::Page { path, fragment } => match self.pages.get(path) {
                Some(page) => in_guide(page, fragment),
                None => routes.href(GUIDE_PRINT_URL, target),
            },
            LinkTarget::Folder { path, fragment } => match self.folders.get(path) {
                Some(page) => in_guide(page, fragment),
                None => Some(with_fragment(
                    relative_url(GUIDE_PRINT_URL, &folder_url(path)),
                    fragment.as_deref(),
                )),
            },
            // A file (an image, a role page): where the site has it.
            LinkTarget::File { path, fragment } => Some(with_fragment(
                relative_url(GUIDE_PRINT_URL, &encode_path(path)),
                fragment.as_deref(),
            )),
            LinkTarget::External | LinkTarget::OutsideContent => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_slugs_come_from_paths() {
        for (path, slug) in [
            ("README.md", "home"),
            ("guide/README.md", "guide"),
            ("guide/setup.md", "guide-setup"),
            ("a#b.md", "ab"),
            ("100%.md", "100"),
            ("with space.md", "with-space"),
            ("été/日本.md", "été-日本"),
            ("%%%.md", "page"),
            ("v1.2/notes.md", "v12-notes"),
        ] {
            assert_eq!(page_slug(path), slug, "{path}");
        }
    }

    #[test]
    fn links_lead_to_anchors_in_the_guide_or_to_the_site() {
        let routes = crate::routes::Routes::new(
            ["README.md", "guide/a.md", "b.md"].map(String::from).iter(),
        );
        let anchors = GuideAnchors {
            pages: HashMap::from([
                ("guide/a.md".to_string(), "guide-a".to_string()),
                ("README.md".to_string(), "home".to_string()),
            ]),
            folders: HashMap::from([(String::new(), "home".to_string())]),
        };
        let href =
            |from: &str, dest: &str| anchors.href(&routes, "guide-a", &routes.resolve(from, dest));
        assert_eq!(
            href("guide/a.md", "#x y").as_deref(),
            Some("#guide-a.x%20y")
        );
        assert_eq!(href("guide/a.md", "../README.md").as_deref(), Some("#home"));
        assert_eq!(
            href("b.md", "guide/a.md#é").as_deref(),
            Some("#guide-a.%C3%A9")
        );
        assert_eq!(href("b.md", "./").as_deref(), Some("#home"));
        assert_eq!(
            href("b.md", "guide/").as_deref(),
            Some("../guide/index.html")
        );
        assert_eq!(
            href("b.md", "roles/qa.html").as_deref(),
            Some("../roles/qa.html")
        );
        assert_eq!(
            href("guide/a.md", "img/x.png").as_deref(),
            Some("../guide/img/x.png")
        );
        assert_eq!(href("b.md", "https://e.org/#x"), None);
        // A page the guide does not print (none here) stays a link to the site.
        assert_eq!(href("guide/a.md", "../b.md").as_deref(), Some("../b.html"));
    }
}
