//! Folders, titles and order: the sidebar tree, the reading order behind
//! previous/next links, and breadcrumbs.
//!
//! Order is weight, then title: a page's `weight` from its front matter, a
//! folder's from its index page; without one, a numeric file or folder name
//! prefix (`01-setup.md`) counts as the weight. Unweighted entries follow
//! weighted ones.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Nav, NavKey, NavNode, Page, Section};
use crate::routes::{folder_url, is_index_name, parent_dir};

/// A numeric prefix such as `01-` or `2_` in a file or folder name.
pub(crate) fn name_weight(name: &str) -> Option<i64> {
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    let rest = &name[digits.len()..];
    if digits.is_empty() || !rest.starts_with(['-', '_', ' ']) {
        return None;
    }
    digits.parse().ok()
}

/// A readable title from a file or folder name: `02-code_and-build.md` → "Code and build".
pub(crate) fn humanize(name: &str) -> String {
    let stem = name
        .rsplit_once('.')
        .filter(|(s, _)| !s.is_empty())
        .map_or(name, |(stem, _)| stem);
    let stem = match name_weight(stem) {
        Some(_) => stem.trim_start_matches(|c: char| c.is_ascii_digit())[1..].to_string(),
        None => stem.to_string(),
    };
    let words = stem.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// One section per folder that holds pages, titled by its index page or its name.
pub(crate) fn sections<'a>(
    folders: impl Iterator<Item = &'a String>,
    pages: &BTreeMap<String, Page>,
    site_title: &str,
) -> BTreeMap<String, Section> {
    // The index pages of each folder, found in one pass (not a pass per folder).
    let mut index_pages: HashMap<&str, Vec<&String>> = HashMap::new();
    for path in pages.keys().filter(|p| is_index_name(last_segment(p))) {
        index_pages.entry(parent_dir(path)).or_default().push(path);
    }
    let mut sections = BTreeMap::new();
    for folder in folders {
        let index_page = index_pages
            .get(folder.as_str())
            .and_then(|candidates| {
                candidates
                    .iter()
                    .min_by_key(|p| index_rank(last_segment(p)))
            })
            .map(|p| (*p).clone());
        let index = index_page.as_ref().and_then(|p| pages.get(p));
        let title = match (index, folder.is_empty()) {
            (Some(page), _) => page.title.clone(),
            (None, true) => site_title.to_string(),
            (None, false) => humanize(last_segment(folder)),
        };
        let weight = index
            .and_then(|p| p.front.weight)
            .or_else(|| name_weight(last_segment(folder)));
        sections.insert(
            folder.clone(),
            Section {
                path: folder.clone(),
                index_page,
                title,
                weight,
                url: folder_url(folder),
            },
        );
    }
    sections
}

/// README wins over index wins over _index when a folder has several.
fn index_rank(file_name: &str) -> usize {
    let lower = file_name.to_ascii_lowercase();
    ["readme", "index", "_index"]
        .iter()
        .position(|n| lower.starts_with(&format!("{n}.")))
        .unwrap_or(3)
}

/// A page the build makes from data, for the end of the sidebar.
pub(crate) struct GeneratedPage {
    pub url: String,
    pub title: String,
    pub children: Vec<GeneratedPage>,
}

/// The sidebar tree and the reading order: the content's pages, then the
/// generated ones.
pub(crate) fn build(
    pages: &BTreeMap<String, Page>,
    sections: &BTreeMap<String, Section>,
    generated: Vec<GeneratedPage>,
) -> Nav {
    let mut nav = Nav::default();
    nav.tree = children_of("", &by_folder(pages, sections), &mut nav.parent);
    fn node(page: GeneratedPage, titles: &mut BTreeMap<String, String>) -> NavNode {
        titles.insert(page.url.clone(), page.title.clone());
        NavNode {
            key: NavKey::Generated(page.url.clone()),
            title: page.title,
            url: page.url,
            children: page.children.into_iter().map(|c| node(c, titles)).collect(),
        }
    }
    for page in generated {
        let generated_node = node(page, &mut nav.generated);
        nav.tree.push(generated_node);
    }
    nav.order.push(NavKey::home());
    fn walk(nodes: &[NavNode], order: &mut Vec<NavKey>) {
        for node in nodes {
            order.push(node.key.clone());
            walk(&node.children, order);
        }
    }
    walk(&nav.tree, &mut nav.order);
    nav
}

/// The pages and sections of each folder, in path order: made once, so
/// the tree is built in one pass over the site (a folder looking through
/// every page was folders × pages).
#[derive(Default)]
struct Contents<'s> {
    pages: Vec<(&'s String, &'s Page)>,
    sections: Vec<(&'s String, &'s Section)>,
}

fn by_folder<'s>(
    pages: &'s BTreeMap<String, Page>,
    sections: &'s BTreeMap<String, Section>,
) -> HashMap<&'s str, Contents<'s>> {
    let mut folders: HashMap<&str, Contents> = HashMap::new();
    for (path, page) in pages {
        let folder = parent_dir(path);
        if sections.get(folder).and_then(|s| s.index_page.as_ref()) == Some(path) {
            continue; // a folder's index page stands for the folder itself
        }
        folders.entry(folder).or_default().pages.push((path, page));
    }
    for (path, section) in sections.iter().filter(|(p, _)| !p.is_empty()) {
        let folder = parent_dir(path);
        folders
            .entry(folder)
            .or_default()
            .sections
            .push((path, section));
    }
    folders
}

fn children_of(
    folder: &str,
    contents: &HashMap<&str, Contents>,
    parent: &mut BTreeMap<NavKey, String>,
) -> Vec<NavNode> {
    struct Entry {
        weight: Option<i64>,
        /// Lowercased once, not on every comparison.
        sort_title: String,
        node: NavNode,
    }
    let Some(here) = contents.get(folder) else {
        return Vec::new();
    };
    let mut entries = Vec::with_capacity(here.pages.len() + here.sections.len());
    for &(path, page) in &here.pages {
        let key = NavKey::Page(path.clone());
        parent.insert(key.clone(), folder.to_string());
        entries.push(Entry {
            weight: page.weight,
            sort_title: page.title.to_lowercase(),
            node: NavNode {
                key,
                title: page.title.clone(),
                url: page.url.clone(),
                children: Vec::new(),
            },
        });
    }
    for &(path, section) in &here.sections {
        let key = NavKey::Section(path.clone());
        parent.insert(key.clone(), folder.to_string());
        let children = children_of(path, contents, parent);
        entries.push(Entry {
            weight: section.weight,
            sort_title: section.title.to_lowercase(),
            node: NavNode {
                key,
                title: section.title.clone(),
                url: section.url.clone(),
                children,
            },
        });
    }
    entries.sort_by(|a, b| {
        let weight = |e: &Entry| (e.weight.is_none(), e.weight.unwrap_or(0));
        weight(a)
            .cmp(&weight(b))
            .then_with(|| a.sort_title.cmp(&b.sort_title))
            .then_with(|| a.node.key.cmp(&b.node.key))
    });
    entries.into_iter().map(|e| e.node).collect()
}

/// The sections from the root down to (not including) `key`.
pub(crate) fn ancestors(nav: &Nav, key: &NavKey) -> Vec<String> {
    let mut chain = Vec::new();
    let mut current = key.clone();
    while let Some(folder) = nav.parent.get(&current) {
        chain.push(folder.clone());
        current = NavKey::Section(folder.clone());
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_from_names() {
        assert_eq!(name_weight("01-setup.md"), Some(1));
        assert_eq!(name_weight("20_retro"), Some(20));
        assert_eq!(name_weight("2024.1-notes.md"), None);
        assert_eq!(name_weight("404.md"), None);
        assert_eq!(name_weight("setup.md"), None);
    }

    #[test]
    fn humanized_names() {
        assert_eq!(humanize("02-code-and-build"), "Code and build");
        assert_eq!(humanize("release_notes.md"), "Release notes");
        assert_eq!(humanize("faq.md"), "Faq");
        assert_eq!(humanize(".md"), ".md");
    }
}
