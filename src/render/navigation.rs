//! What a page shows of the rest of the site: the sidebar (the whole tree
//! on a small site, a window around the current page on a big one),
//! breadcrumbs, and the previous and next pages.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::context::{LinkView, NavView};
use super::Renderer;
use crate::html::escape;
use crate::model::{NavKey, NavNode};
use crate::nav::ancestors;

/// Sites with at most this many pages and folders show their whole sidebar tree.
pub const FULL_SIDEBAR_LIMIT: usize = 150;

impl<'a> Renderer<'a> {
    pub(super) fn description_of(&self, key: &NavKey) -> Option<&'a str> {
        let page = match key {
            NavKey::Page(path) => self.site.pages.get(path),
            NavKey::Section(folder) => self
                .site
                .sections
                .get(folder)?
                .index_page
                .as_ref()
                .and_then(|p| self.site.pages.get(p)),
            NavKey::Generated(_) => None,
        };
        page.and_then(|p| p.front.description.as_deref())
    }

    pub(super) fn link_of(&self, key: &NavKey) -> Option<LinkView<'a>> {
        match key {
            NavKey::Page(path) => self.site.pages.get(path).map(|p| LinkView {
                title: &p.title,
                url: &p.url,
            }),
            NavKey::Section(folder) => self.site.sections.get(folder).map(|s| LinkView {
                title: &s.title,
                url: &s.url,
            }),
            NavKey::Generated(url) => self
                .site
                .nav
                .generated
                .get_key_value(url)
                .map(|(url, title)| LinkView { title, url }),
        }
    }

    pub(super) fn neighbour(&self, key: &NavKey, step: isize) -> Option<LinkView<'a>> {
        let position = *self.position.get(key)? as isize + step;
        let key = self.site.nav.order.get(usize::try_from(position).ok()?)?;
        self.link_of(key)
    }

    pub(super) fn breadcrumbs(&self, key: &NavKey) -> Vec<LinkView<'a>> {
        if *key == NavKey::home() {
            return Vec::new();
        }
        if let NavKey::Generated(url) = key {
            let roles_index = NavKey::Generated(crate::routes::ROLES_INDEX_URL.to_string());
            let mut crumbs: Vec<LinkView<'a>> = self.link_of(&NavKey::home()).into_iter().collect();
            if url.starts_with("roles/") && *key != roles_index {
                crumbs.extend(self.link_of(&roles_index));
            }
            return crumbs;
        }
        ancestors(&self.site.nav, key)
            .iter()
            .filter_map(|folder| self.link_of(&NavKey::Section(folder.clone())))
            .collect()
    }

    /// The sidebar for one page. A small site shows its whole tree; a big
    /// one opens only the current page's ancestors, so that the sidebars of
    /// all pages together grow with pages × depth, not pages².
    pub(super) fn nav_views(&self, nodes: &'a [NavNode], current: &NavKey) -> Vec<NavView<'a>> {
        let open_folders: BTreeSet<String> = if self.expand_all {
            self.site.sections.keys().cloned().collect()
        } else {
            ancestors(&self.site.nav, current).into_iter().collect()
        };
        self.nav_level(nodes, "index.html", current, &open_folders)
    }

    fn nav_level(
        &self,
        nodes: &'a [NavNode],
        parent_url: &'a str,
        current: &NavKey,
        open_folders: &BTreeSet<String>,
    ) -> Vec<NavView<'a>> {
        let is_open = |node: &NavNode| {
            node.key == *current
                || matches!(&node.key, NavKey::Section(f) if open_folders.contains(f))
                // Generated groups (Roles) open like folders: on small sites, or around the current page.
                || matches!(node.key, NavKey::Generated(_))
                    && (self.expand_all || node.children.iter().any(|c| c.key == *current))
        };
        let (shown, before, after) = nav_window(nodes, |node| {
            node.key == *current
                || matches!(&node.key, NavKey::Section(f) if open_folders.contains(f))
        });
        let more = |count: usize, direction: &str| NavView {
            title: "",
            url: parent_url,
            kind: "more",
            more: format!(
                "{count} {direction} {}",
                if count == 1 { "page" } else { "pages" }
            ),
            current: false,
            open: false,
            children: Vec::new(),
        };
        let mut views = Vec::with_capacity(shown.len() + 2);
        if before > 0 {
            views.push(more(before, "earlier"));
        }
        views.extend(shown.iter().map(|node| {
            let open = is_open(node);
            NavView {
                title: &node.title,
                url: &node.url,
                kind: if matches!(node.key, NavKey::Section(_)) {
                    "section"
                } else {
                    "page"
                },
                more: String::new(),
                current: node.key == *current,
                open,
                children: if open {
                    self.nav_level(&node.children, &node.url, current, open_folders)
                } else {
                    Vec::new()
                },
            }
        }));
        if after > 0 {
            views.push(more(after, "more"));
        }
        views
    }
}

/// The sidebar's HTML: nested lists of links, the current page marked,
/// only open entries' children shown. `root` leads back to the site root.
pub(super) fn sidebar_html(items: &[NavView], root: &str) -> String {
    let mut html = String::with_capacity(4096);
    push_nav_list(&mut html, items, &escape(root), 0);
    html
}

fn push_nav_list(html: &mut String, items: &[NavView], root: &str, depth: usize) {
    let _ = write!(html, "<ul class=\"nav-list nav-depth-{depth}\">");
    for item in items {
        if item.kind == "more" {
            let _ = write!(
                html,
                "\n<li class=\"nav-item nav-more\"><a href=\"{root}{}\">… {}</a></li>",
                escape(item.url),
                escape(&item.more)
            );
            continue;
        }
        html.push_str("\n<li class=\"nav-item");
        if item.kind == "section" {
            html.push_str(" nav-section");
        }
        if item.open {
            html.push_str(" open");
        }
        let _ = write!(html, "\">\n<a href=\"{root}{}\"", escape(item.url));
        if item.current {
            html.push_str(" class=\"current\" aria-current=\"page\"");
        }
        let _ = write!(html, ">{}</a>", escape(item.title));
        if item.open && !item.children.is_empty() {
            push_nav_list(html, &item.children, root, depth + 1);
        }
        html.push_str("</li>");
    }
    html.push_str("\n</ul>");
}

/// Sidebar lists longer than this show a window around the current page
/// and a link to the folder for the rest: a sidebar that lists every
/// sibling makes a big folder's output grow with the square of its pages.
pub const NAV_LIST_LIMIT: usize = 40;
/// Entries shown on each side of the current page in a long list.
const NAV_WINDOW_RADIUS: usize = 7;

/// The entries of a sidebar list to show, and how many are left out before
/// and after them. `is_pivot` marks the current page or its ancestor.
fn nav_window(
    nodes: &[NavNode],
    is_pivot: impl Fn(&NavNode) -> bool,
) -> (&[NavNode], usize, usize) {
    if nodes.len() <= NAV_LIST_LIMIT {
        return (nodes, 0, 0);
    }
    let pivot = nodes.iter().position(is_pivot).unwrap_or(0);
    let width = 2 * NAV_WINDOW_RADIUS + 1;
    let start = pivot
        .saturating_sub(NAV_WINDOW_RADIUS)
        .min(nodes.len() - width);
    let end = start + width;
    (&nodes[start..end], start, nodes.len() - end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(count: usize) -> Vec<NavNode> {
        (0..count)
            .map(|i| NavNode {
                key: NavKey::Page(format!("p{i}.md")),
                title: format!("P{i}"),
                url: format!("p{i}.html"),
                children: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn long_lists_show_a_window_around_the_current_page() {
        let width = 2 * NAV_WINDOW_RADIUS + 1;
        // (entries, current, first shown, left out before, left out after)
        for (count, current, first, before, after) in [
            (NAV_LIST_LIMIT, 30, 0, 0, 0),
            (NAV_LIST_LIMIT + 1, 0, 0, 0, NAV_LIST_LIMIT + 1 - width),
            (100, 50, 43, 43, 100 - 43 - width),
            (100, 99, 100 - width, 100 - width, 0),
            (100, 3, 0, 0, 100 - width),
        ] {
            let list = nodes(count);
            let pivot = format!("p{current}.md");
            let (shown, left_before, left_after) =
                nav_window(&list, |n| n.key == NavKey::Page(pivot.clone()));
            assert_eq!(
                (left_before, left_after),
                (before, after),
                "{count} {current}"
            );
            assert_eq!(shown[0].title, format!("P{first}"), "{count} {current}");
            assert_eq!(shown.len() + before + after, count);
            assert!(shown.iter().any(|n| n.title == format!("P{current}")));
        }
    }

    #[test]
    fn breadcrumbs_and_neighbours_follow_the_reading_order() {
        let (site, templates, _dir) = super::super::tests::site(&[
            ("index.md", "# Home\n"),
            ("guide/index.md", "# Guide\n"),
            ("guide/a.md", "# A\n"),
            ("guide/b.md", "# B\n"),
        ]);
        let renderer = Renderer::new(&site, &templates);
        let b = NavKey::Page("guide/b.md".into());
        let crumbs: Vec<&str> = renderer.breadcrumbs(&b).iter().map(|l| l.title).collect();
        assert_eq!(crumbs, ["Home", "Guide"]);
        assert_eq!(renderer.neighbour(&b, -1).map(|l| l.title), Some("A"));
        assert_eq!(renderer.neighbour(&b, 1).map(|l| l.title), None);
        assert!(renderer.breadcrumbs(&NavKey::home()).is_empty());
    }
}
