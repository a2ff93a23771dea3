//! Merged documents back to Markdown pages: front matter, the title, then
//! every section and block, lists re-indented, everything else as written.

use super::merge::{Doc, MBlock, MList, MSection};
use crate::slug::slugify;
use std::collections::BTreeMap;

/// The page file name for a document title: `OctoAcme — Release Guide` → `octoacme-release-guide.md`.
pub fn page_file_name(title: &str) -> String {
    let words = title.replace('&', " and ");
    let slug = slugify(&words);
    let mut collapsed = String::new();
    for part in slug.split('-').filter(|p| !p.is_empty()) {
        if !collapsed.is_empty() {
            collapsed.push('-');
        }
        collapsed.push_str(part);
    }
    if collapsed.is_empty() {
        collapsed.push_str("document");
    }
    format!("{collapsed}.md")
}

/// Each document's page name: its copies' file name when they all have
/// the same Markdown file name (`README.md` stays `README.md`), else one
/// made from its title; never two pages of one name. Returns the input
/// file names whose page is named otherwise (input name → page), for links.
pub fn choose_page_names(docs: &mut [Doc]) -> std::collections::BTreeMap<String, String> {
    let mut taken = std::collections::BTreeSet::new();
    let mut renamed = std::collections::BTreeMap::new();
    for doc in docs.iter_mut() {
        let first = doc.files.first().cloned().unwrap_or_default();
        let markdown = first.ends_with(".md") || first.ends_with(".markdown");
        let agreed = markdown && doc.files.iter().all(|f| *f == first);
        let mut page = if agreed && !taken.contains(&first) {
            first.clone()
        } else {
            page_file_name(&doc.title)
        };
        let stem = page.trim_end_matches(".md").to_string();
        let mut n = 1;
        while taken.contains(&page) {
            n += 1;
            page = format!("{stem}-{n}.md");
        }
        taken.insert(page.clone());
        for file in &doc.files {
            if file.ends_with(".md") && *file != page {
                renamed.entry(file.clone()).or_insert_with(|| page.clone());
            }
        }
        doc.page = page;
    }
    renamed
}

/// `[x](./old.md#a)` → `[x](./new.md#a)` for every renamed file name, in
/// Markdown or in YAML holding Markdown; folders and anchors are kept.
pub fn rename_link_targets(
    text: &str,
    renamed: &std::collections::BTreeMap<String, String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let (head, tail) = rest.split_at(at + 2);
        out.push_str(head);
        let end = tail
            .find(|c: char| c == ')' || c == '#' || c.is_whitespace())
            .unwrap_or(tail.len());
        let target = &tail[..end];
        let (folder, name) = target
            .rsplit_once('/')
            .map_or(("", target), |(d, n)| (d, n));
        match renamed.get(name).filter(|_| !target.contains(':')) {
            Some(page) => {
                if !folder.is_empty() {
                    out.push_str(folder);
                    out.push('/');
                }
                out.push_str(page);
            }
            None => out.push_str(target),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    rename_wiki_targets(&out, renamed)
}

/// `[[Old Name#a|text]]` → `[[new-name#a|text]]` for every renamed file
/// name, compared as wiki links name pages (case, spaces, `-` and `_`
/// alike); other wiki links are kept as written.
fn rename_wiki_targets(text: &str, renamed: &std::collections::BTreeMap<String, String>) -> String {
    // A file's name as a wiki link names it, as the build resolves them.
    let key = |name: &str| -> String {
        let name = name.trim();
        let name = name.rsplit('/').next().unwrap_or(name);
        let stem = name
            .strip_suffix(".md")
            .or_else(|| name.strip_suffix(".markdown"))
            .unwrap_or(name);
        crate::routes::wiki_name(stem)
    };
    let stems: BTreeMap<String, &str> = renamed
        .iter()
        .map(|(old, new)| (key(old), new.strip_suffix(".md").unwrap_or(new)))
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("[[") {
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        // A wiki link closes on its own line; with no `]]` left on the
        // line, none of its other `[[` does either (so each byte is read once).
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let Some(end) = rest[..line_end].find("]]") else {
            out.push_str(&rest[..line_end]);
            rest = &rest[line_end..];
            continue;
        };
        // `[[ [[name]]`: the link is the innermost.
        let mut inner = &rest[..end];
        if let Some(last) = inner.rfind("[[") {
            out.push_str(&inner[..last + 2]);
            inner = &inner[last + 2..];
        }
        let name_end = inner.find(['#', '|']).unwrap_or(inner.len());
        let name = &inner[..name_end];
        match stems.get(&key(name)).filter(|_| !name.contains(':')) {
            Some(page) => {
                if let Some((folder, _)) = name.rsplit_once('/') {
                    out.push_str(folder);
                    out.push('/');
                }
                out.push_str(page);
                out.push_str(&inner[name_end..]);
            }
            None => out.push_str(inner),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A page's anchors that moved: the slug of each copy heading merged under
/// another wording → the slug of the heading written instead. An old slug
/// still written on the page stays as it is.
pub fn moved_anchors(doc: &Doc) -> BTreeMap<String, String> {
    fn written(sections: &[MSection], out: &mut Vec<(String, String)>) {
        for s in sections {
            let shown = match &s.timing {
                Some(timing) => format!("{} ({timing})", s.heading),
                None => s.heading.clone(),
            };
            out.push((s.heading.clone(), crate::slug::slugify(&shown)));
            written(&s.children, out);
        }
    }
    let mut headings = Vec::new();
    written(&doc.sections, &mut headings);
    let mut moved = BTreeMap::new();
    for (copy, kept) in &doc.merged_headings {
        let old = crate::slug::slugify(copy);
        let Some((_, new)) = headings.iter().find(|(h, _)| h == kept) else {
            continue;
        };
        if old != *new && !headings.iter().any(|(_, slug)| *slug == old) {
            moved.entry(old).or_insert_with(|| new.clone());
        }
    }
    moved
}

/// `[x](page.md#old)` and, on `page` itself, `[x](#old)` → the anchor the
/// heading has now, for every page whose anchors moved.
pub fn rename_anchors(
    text: &str,
    page: &str,
    moved: &BTreeMap<String, BTreeMap<String, String>>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let (head, tail) = rest.split_at(at + 2);
        out.push_str(head);
        let end = tail
            .find(|c: char| c == ')' || c.is_whitespace())
            .unwrap_or(tail.len());
        let target = &tail[..end];
        let renamed = target.split_once('#').and_then(|(path, anchor)| {
            let name = path.rsplit('/').next().unwrap_or(path);
            let name = if path.is_empty() { page } else { name };
            if target.contains(':') {
                return None;
            }
            let new = moved.get(name)?.get(anchor)?;
            Some(format!("{path}#{new}"))
        });
        out.push_str(renamed.as_deref().unwrap_or(target));
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The Markdown of one merged document.
pub fn page_markdown(doc: &Doc, weight: usize) -> String {
    let mut out = String::new();
    out.push_str("---\n");
    out.push_str(&format!("title: {}\n", yaml_string(&doc.title)));
    let given = |key: &str| doc.front_matter.iter().any(|(k, _)| k == key);
    if let Some(description) = description(doc).filter(|_| !given("description")) {
        out.push_str(&format!("description: {}\n", yaml_string(&description)));
    }
    if !given("weight") {
        out.push_str(&format!("weight: {weight}\n"));
    }
    out.push_str(&format!("sources: [{}]\n", doc.sources.join(", ")));
    // The copies' own keys, as they wrote them.
    let mut extra = serde_norway::Mapping::new();
    for (key, value) in doc.front_matter.iter().filter(|(k, _)| k != "sources") {
        extra.insert(serde_norway::Value::String(key.clone()), value.clone());
    }
    if !extra.is_empty() {
        out.push_str(&serde_norway::to_string(&extra).unwrap_or_default());
    }
    out.push_str("---\n\n");
    out.push_str(&format!(
        "# {}\n",
        doc.heading.as_ref().unwrap_or(&doc.title)
    ));
    write_blocks(&mut out, &doc.preamble);
    for section in &doc.sections {
        write_section(&mut out, section, 2);
    }
    out
}

/// The first sentence of the Purpose section, if there is one.
fn description(doc: &Doc) -> Option<String> {
    let purpose = doc
        .sections
        .iter()
        .find(|s| s.heading.eq_ignore_ascii_case("purpose"))?;
    purpose.blocks.iter().find_map(|b| match b {
        MBlock::Text { markdown, .. } => {
            let line = markdown.lines().next()?.trim();
            let sentence = line.split_inclusive(". ").next().unwrap_or(line).trim();
            Some(sentence.to_string())
        }
        _ => None,
    })
}

/// A section at `level`: its depth in the page, whatever level its copies
/// used (an H1 phase heading becomes `##`, its subsections `###`).
fn write_section(out: &mut String, section: &MSection, level: usize) {
    let hashes = "#".repeat(level.clamp(2, 6));
    match &section.timing {
        Some(timing) => out.push_str(&format!("\n{hashes} {} ({timing})\n", section.heading)),
        None => out.push_str(&format!("\n{hashes} {}\n", section.heading)),
    }
    write_blocks(out, &section.blocks);
    for child in &section.children {
        write_section(out, child, level + 1);
    }
}

fn write_blocks(out: &mut String, blocks: &[MBlock]) {
    for block in blocks {
        out.push('\n');
        match block {
            MBlock::Text { markdown, .. } | MBlock::Code { markdown, .. } => {
                out.push_str(markdown.trim_end());
                out.push('\n');
            }
            MBlock::List(list) => write_list(out, list, 0),
        }
    }
}

fn write_list(out: &mut String, list: &MList, indent: usize) {
    for (i, item) in list.items.iter().enumerate() {
        let marker = if list.ordered {
            format!("{}. ", i + 1)
        } else {
            "- ".to_string()
        };
        let checkbox = if item.task { "[ ] " } else { "" };
        out.push_str(&format!(
            "{}{marker}{checkbox}{}\n",
            " ".repeat(indent),
            item.raw
        ));
        if let Some(children) = &item.children {
            write_list(out, children, indent + marker.len());
        }
    }
}

/// A YAML scalar in double quotes.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_unclosed_wiki_links_are_read_once() {
        let renamed: std::collections::BTreeMap<String, String> =
            [("a.md".to_string(), "b.md".to_string())].into();
        let text = format!("{}[[a]]\n{}", "[[".repeat(200_000), "[[a\n".repeat(100_000));
        let out = rename_link_targets(&text, &renamed);
        assert_eq!(out.len(), text.len());
        assert!(out.starts_with(&"[[".repeat(200_000)));
        // The `[[a]]` closing the long line's last `[[` is renamed, nothing else.
        assert_eq!(out.matches("[[b]]").count(), 1);
    }

    #[test]
    fn wiki_links_to_a_renamed_file_follow_it() {
        let renamed: std::collections::BTreeMap<String, String> = [
            ("README.md".to_string(), "octoacme-guide.md".to_string()),
            ("Rollback Plan.md".to_string(), "rollback.md".to_string()),
        ]
        .into();
        let text = "See [[README]], [[readme#Purpose|the purpose]], [[docs/Rollback Plan]], \
                    [[rollback_plan|plan]], [[Other]], [[x:README]], [[README\nsplit]] and [link](README.md).";
        assert_eq!(
            rename_link_targets(text, &renamed),
            "See [[octoacme-guide]], [[octoacme-guide#Purpose|the purpose]], [[docs/rollback]], \
             [[rollback|plan]], [[Other]], [[x:README]], [[README\nsplit]] and [link](octoacme-guide.md)."
        );
    }

    #[test]
    fn file_names() {
        assert_eq!(
            page_file_name("OctoAcme — Release & Deployment Guide"),
            "octoacme-release-and-deployment-guide.md"
        );
        assert_eq!(
            page_file_name("OctoAcme — Release Management Checklist"),
            "octoacme-release-management-checklist.md"
        );
        assert_eq!(page_file_name("✨"), "document.md");
    }

    #[test]
    fn yaml_strings_are_quoted() {
        assert_eq!(yaml_string("a \"b\" c"), "\"a \\\"b\\\" c\"");
    }
}
