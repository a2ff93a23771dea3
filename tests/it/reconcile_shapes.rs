//! The guide as other teams write it: seed 000 rewritten in each shape a
//! real copy takes (other list markers, pasted boxes, quoted lists, to-do
//! words, status marks, decorated or numbered headings, heading ids and
//! HTML anchors, tables, CRLF, UTF-16 with and without a mark, another
//! title, a wiki's HTML export), each reconciled alone and beside the original. Every shape must give the
//! original's checklists exactly: the same checklists, groups, item ids
//! and texts, nothing twice and nothing lost.

use std::collections::BTreeSet;

use crate::common::{fixtures_dir, Project};
use playbook::checklist::Checklist;

const SEED: &str = "000_a804f8c1c801ecf0.txt";

/// (checklist, group, item id, text) of every item reconcile wrote.
type Items = BTreeSet<(String, String, String, String)>;

fn reconciled(copies: &[(&str, Vec<u8>)]) -> Items {
    let mut project = Project::empty();
    let mut args = vec!["reconcile".to_string()];
    for (name, bytes) in copies {
        project = project.file(name, bytes);
        args.push(name.to_string());
    }
    args.extend(["--out", "out", "--report", "r.json"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = project.test(&args).run();
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
    let mut items = Items::new();
    if !project.path("out/checklists").is_dir() {
        return items; // no checklist at all: every item is missing
    }
    for (_, bytes) in project.tree("out/checklists") {
        let checklist: Checklist = serde_norway::from_slice(&bytes).unwrap();
        for group in &checklist.groups {
            for item in &group.items {
                items.insert((
                    checklist.id.clone(),
                    group.id.clone(),
                    item.id.clone(),
                    item.text.clone(),
                ));
            }
        }
    }
    items
}

/// Each task line `- [ ] text` (`checked`, `text`) rewritten by `f`.
fn tasks(seed: &str, f: impl Fn(bool, &str) -> String) -> String {
    seed.lines()
        .map(|line| {
            let task = line
                .strip_prefix("- [ ] ")
                .map(|t| (false, t))
                .or_else(|| line.strip_prefix("- [x] ").map(|t| (true, t)));
            match task {
                Some((checked, text)) => f(checked, text),
                None => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each `##`/`###` heading (`hashes`, `text`) rewritten by `f`.
fn headings(seed: &str, f: impl Fn(&str, &str) -> String) -> String {
    let mut fenced = false;
    seed.lines()
        .map(|line| {
            fenced ^= line.starts_with("```");
            match line.split_once(' ') {
                Some((hashes @ ("##" | "###"), text)) if !fenced => f(hashes, text),
                _ => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs of task lines as a table of steps.
fn as_tables(seed: &str) -> String {
    let mut out = Vec::new();
    let mut in_table = false;
    for line in seed.lines() {
        match line
            .strip_prefix("- [ ] ")
            .or_else(|| line.strip_prefix("- [x] "))
        {
            Some(text) => {
                if !in_table {
                    out.push("| Done | Step |".to_string());
                    out.push("|---|---|".to_string());
                    in_table = true;
                }
                let done = if line.starts_with("- [x]") { "✅" } else { "" };
                out.push(format!("| {done} | {} |", text.replace('|', "\\|")));
            }
            None => {
                in_table = false;
                out.push(line.to_string());
            }
        }
    }
    out.join("\n")
}

fn utf16(text: &str, mark: bool) -> Vec<u8> {
    let mut bytes = if mark { vec![0xFF, 0xFE] } else { Vec::new() };
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// The guide as a wiki or a browser saves it: a whole HTML page, its task
/// lists in the markup of `tool` ("github": checkbox inputs, "confluence",
/// "notion").
fn html_export(seed: &str, tool: &str) -> String {
    let mut body = String::new();
    pulldown_cmark::html::push_html(
        &mut body,
        pulldown_cmark::Parser::new_ext(seed, playbook::markdown::options()),
    );
    let (open, done) = match tool {
        "confluence" => (
            "<li data-inline-task-id=\"1\">",
            "<li class=\"checked\" data-inline-task-id=\"2\">",
        ),
        "notion" => (
            "<li><div class=\"checkbox checkbox-off\"></div>",
            "<li><div class=\"checkbox checkbox-on\"></div>",
        ),
        _ => (
            "<li><input disabled=\"\" type=\"checkbox\"/>",
            "<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>",
        ),
    };
    let body = body
        .replace("<li><input disabled=\"\" type=\"checkbox\"/>", open)
        .replace(
            "<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>",
            done,
        );
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Guide</title>\n\
         <style>li {{ margin: 0 }}</style><script>var x = 1;</script></head>\n\
         <body><nav><a href=\"/\">Home</a> / <a href=\"/docs\">Docs</a></nav>\n<main>{body}</main>\n\
         <footer>Last edited by someone</footer></body></html>\n"
    )
}

fn shapes(seed: &str) -> Vec<(&'static str, Vec<u8>)> {
    let text = |s: String| s.into_bytes();
    vec![
        (
            "stars and plus, [X]",
            text(tasks(seed, |c, t| {
                format!(
                    "{} [{}] {t}",
                    if t.len() % 2 == 0 { '*' } else { '+' },
                    if c { 'X' } else { ' ' }
                )
            })),
        ),
        (
            "numbered 1)",
            text(tasks(seed, |c, t| {
                format!("1) [{}] {t}", if c { 'x' } else { ' ' })
            })),
        ),
        (
            "quoted",
            text(tasks(seed, |c, t| {
                format!("> - [{}] {t}", if c { 'x' } else { ' ' })
            })),
        ),
        (
            "boxes in a list",
            text(tasks(seed, |c, t| {
                format!("- {} {t}", if c { '☑' } else { '☐' })
            })),
        ),
        (
            "boxes pasted",
            text(tasks(seed, |c, t| {
                format!("{} {t}  ", if c { '☒' } else { '□' })
            })),
        ),
        (
            "empty brackets",
            text(tasks(seed, |_, t| format!("- [] {t}"))),
        ),
        (
            "no-break space",
            text(tasks(seed, |_, t| format!("- [ ]\u{a0}{t}"))),
        ),
        (
            "to-do words",
            text(tasks(seed, |c, t| {
                format!("- {} {t}", if c { "DONE:" } else { "TODO:" })
            })),
        ),
        (
            "status marks",
            text(tasks(seed, |c, t| {
                format!("- [ ] {t} {}", if c { "✅" } else { "⏳" })
            })),
        ),
        (
            "bold headings",
            text(headings(seed, |h, t| format!("{h} **{t}:**"))),
        ),
        (
            "numbered headings",
            text(headings(seed, |h, t| {
                format!("{h} Step {}: {t}", t.len() % 9 + 1)
            })),
        ),
        (
            "heading ids",
            text(headings(seed, |h, t| {
                format!("{h} {t} {{#s{} .x}}", t.len())
            })),
        ),
        (
            "HTML anchors",
            text(headings(seed, |h, t| {
                format!("{h} <a name=\"s{}\"></a>{t}", t.len())
            })),
        ),
        (
            "capitals",
            text(headings(seed, |h, t| format!("{h} {}", t.to_uppercase()))),
        ),
        (
            "one level deeper",
            text(headings(seed, |h, t| format!("#{h} {t}"))),
        ),
        ("tables", text(as_tables(seed))),
        (
            "setext headings",
            text(headings(seed, |h, t| match h {
                "##" => format!("{t}\n{}", "-".repeat(t.chars().count().max(3))),
                _ => format!("{h} {t}"),
            })),
        ),
        (
            "numbered without boxes",
            text(tasks(seed, |_, t| format!("1. {t}"))),
        ),
        (
            "bullets without boxes",
            text(tasks(seed, |_, t| format!("- {t}"))),
        ),
        (
            "bullet glyphs a word processor saves",
            text(tasks(seed, |_, t| format!("•\t{t}"))),
        ),
        (
            "boxes and bold steps",
            text(tasks(seed, |c, t| {
                format!("- [{}] **{t}**", if c { 'x' } else { ' ' })
            })),
        ),
        ("CRLF", text(seed.replace('\n', "\r\n"))),
        ("UTF-16 with a mark", utf16(seed, true)),
        ("UTF-16 without", utf16(seed, false)),
        (
            "retitled",
            text(seed.replacen("Deployment Guide", "Deployment Guide v2 (Team B)", 1)),
        ),
        (
            "HTML export (GitHub's task lists)",
            text(html_export(seed, "github")),
        ),
        (
            "HTML export (Confluence)",
            text(html_export(seed, "confluence")),
        ),
        ("HTML export (Notion)", text(html_export(seed, "notion"))),
        (
            "titled in front matter",
            text(format!(
                "---\ntitle: Team B Release Guide\nowner: platform\n---\n{seed}"
            )),
        ),
    ]
}

#[test]
fn every_shape_of_the_guide_gives_the_originals_checklists() {
    let bytes = std::fs::read(fixtures_dir().join("variants").join(SEED)).unwrap();
    let seed = playbook::reconcile::repair::decode(&bytes).text;
    let original = reconciled(&[("a-original.md", seed.clone().into_bytes())]);
    assert!(original.len() >= 40, "{original:#?}");
    let mut failed = Vec::new();
    for (name, copy) in shapes(&seed) {
        let merged = reconciled(&[
            ("a-original.md", seed.clone().into_bytes()),
            ("b-copy.md", copy.clone()),
        ]);
        // Alone too: a copy reconcile could not read at all would add
        // nothing beside the original, and pass.
        let alone = reconciled(&[("b-copy.md", copy)]);
        for (how, items) in [("beside the original", merged), ("alone", alone)] {
            if items != original {
                let extra: Vec<_> = items.difference(&original).take(3).collect();
                let missing: Vec<_> = original.difference(&items).take(3).collect();
                failed.push(format!(
                    "{name}, {how}: extra {extra:?}, missing {missing:?}"
                ));
            }
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}
