//! `--base DIR`: merge a reconcile result into an existing canonical tree
//! without losing the hand edits made there. The base wins wherever it
//! already says something: its pages, item wordings and roles are kept;
//! what is new is added: sections (placed where the copies put them),
//! paragraphs and list lines under an existing heading, items (in their
//! group, after the item the copies put before them), owners, types and
//! conditions of existing items, checklists, roles, aliases, release-note
//! sections, pages. A file with nothing new is kept byte for byte.
//!
//! What reconcile published is recorded in `.reconcile.yaml` beside the
//! content, so a writer's deletion (an item, section, paragraph or page
//! that was published and is gone from the base) stays deleted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use super::merge::heading_meaning;
use super::text::{normalise_heading, same_item};
use super::Outcome;
use crate::checklist::{Checklist, ChecklistItem, Group, ReleaseNoteSpec, RolesFile};
use crate::structured::{is_checklist_path, RELEASE_NOTES_FILE, ROLES_FILE};

/// The record of what reconcile published, in the content folder.
pub const RECORD_FILE: &str = ".reconcile.yaml";

/// Everything reconcile ever published into a tree (kept across runs).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    /// Files.
    pub files: BTreeSet<String>,
    /// `page.md#normalised heading`.
    pub sections: BTreeSet<String>,
    /// `page.md#hash` of each paragraph or list line, whitespace collapsed.
    pub blocks: BTreeSet<String>,
    /// `checklist-id/item-id`.
    pub items: BTreeSet<String>,
    /// `checklist-id/item-id#hash` of each item's text as published.
    pub item_texts: BTreeSet<String>,
    /// `checklist-id/item-id#role` of each owner published as inferred, so
    /// one a writer rejected (deleted) is not inferred again.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub inferred: BTreeSet<String>,
}

/// What merging into the base did, for the summary.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct BaseSummary {
    pub added_items: usize,
    pub updated_items: usize,
    pub added_sections: usize,
    pub added_paragraphs: usize,
    pub added_files: usize,
    /// Published before, deleted by a writer since, so not added again.
    pub kept_deleted: Vec<String>,
}

/// The record of a freshly reconciled tree.
pub fn record_of(files: &BTreeMap<String, String>) -> Record {
    let mut record = Record::default();
    for (path, text) in files {
        record.files.insert(path.clone());
        if path.ends_with(".md") {
            for section in sections(text) {
                record.sections.insert(format!("{path}#{}", section.key));
                for block in blocks(&text[section.body.clone()]) {
                    record.blocks.insert(block_key(path, &block));
                }
            }
        } else if is_checklist_path(path) {
            if let Ok(checklist) = serde_norway::from_str::<Checklist>(text) {
                for item in checklist.groups.iter().flat_map(|g| &g.items) {
                    let key = format!("{}/{}", checklist.id, item.id);
                    record.item_texts.insert(block_key(&key, &item.text));
                    for role in &item.inferred {
                        record.inferred.insert(format!("{key}#{role}"));
                    }
                    record.items.insert(key);
                }
            }
        }
    }
    record
}

/// Lay `outcome` over the tree in `base`; `outcome.files` becomes the whole new tree.
pub fn merge_with_base(base: &Path, outcome: &mut Outcome) -> anyhow::Result<()> {
    let (base_files, binary) = read_tree(base)?;
    outcome.binary = binary;
    let old: Record = match std::fs::read_to_string(base.join(RECORD_FILE)) {
        Ok(text) => serde_norway::from_str(&text)
            .with_context(|| format!("cannot read {}", base.join(RECORD_FILE).display()))?,
        Err(_) => Record::default(),
    };
    let fresh_record = outcome
        .files
        .get(RECORD_FILE)
        .and_then(|t| serde_norway::from_str::<Record>(t).ok())
        .unwrap_or_default();
    // A page the base holds under another file name (a writer renamed it,
    // or the copies' file names changed) is the same page: same title.
    let base_titles: BTreeMap<String, String> = base_files
        .iter()
        .filter(|(path, _)| path.ends_with(".md"))
        .filter_map(|(path, text)| Some((page_title(text)?, path.clone())))
        .collect();
    let fresh_pages: Vec<String> = outcome
        .files
        .keys()
        .filter(|p| p.ends_with(".md") && !base_files.contains_key(*p))
        .cloned()
        .collect();
    for path in fresh_pages {
        let title = outcome.files.get(&path).and_then(|t| page_title(t));
        if let Some(base_path) = title.and_then(|t| base_titles.get(&t)) {
            if !outcome.files.contains_key(base_path) {
                if let Some(text) = outcome.files.remove(&path) {
                    outcome.files.insert(base_path.clone(), text);
                }
            }
        }
    }
    let mut summary = BaseSummary::default();
    let mut merged = BTreeMap::new();
    for (path, base_text) in &base_files {
        let new_text = outcome.files.get(path);
        let text = match new_text {
            None => base_text.clone(),
            Some(new_text) if new_text == base_text => base_text.clone(),
            Some(new_text) => merge_file(path, base_text, new_text, &old, &mut summary)
                .with_context(|| format!("cannot merge into {}", base.join(path).display()))?,
        };
        merged.insert(path.clone(), text);
    }
    for (path, text) in &outcome.files {
        if merged.contains_key(path) || path == RECORD_FILE {
            continue;
        }
        if old.files.contains(path) {
            summary.kept_deleted.push(path.clone());
        } else {
            summary.added_files += 1;
            merged.insert(path.clone(), text.clone());
        }
    }
    let mut record = old;
    record.files.extend(fresh_record.files);
    record.sections.extend(fresh_record.sections);
    record.blocks.extend(fresh_record.blocks);
    record.items.extend(fresh_record.items);
    record.item_texts.extend(fresh_record.item_texts);
    record.inferred.extend(fresh_record.inferred);
    merged.insert(RECORD_FILE.to_string(), record_yaml(&record));
    outcome.files = merged;
    outcome.report.base = Some(summary);
    Ok(())
}

/// A page's front-matter title.
fn page_title(text: &str) -> Option<String> {
    let split = crate::frontmatter::split("", text).ok()?;
    let front = crate::frontmatter::parse("", text, &split).ok()?;
    front.title.map(|t| normalise_heading(&t))
}

/// The record as YAML, with a comment saying what it is for.
pub fn record_yaml(record: &Record) -> String {
    format!(
        "# Written by `playbook reconcile`: what it has published here, so that\n# what a writer deletes stays deleted. Safe to delete (then nothing is).\n{}",
        serde_norway::to_string(record).unwrap_or_default()
    )
}

/// One `#` section of a page: its normalised heading, level, where its
/// heading line starts, and its own body (up to the next heading).
struct PageSection {
    key: String,
    start: usize,
    body: std::ops::Range<usize>,
}

/// The ATX-heading sections of a page (front matter and code fences skipped).
fn sections(text: &str) -> Vec<PageSection> {
    let mut out: Vec<PageSection> = Vec::new();
    let body_start = crate::frontmatter::split("", text).map_or(0, |s| s.body_start);
    let mut offset = body_start;
    let mut fence = false;
    for line in text[body_start..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        }
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        let heading = !fence && (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ');
        if heading {
            if let Some(last) = out.last_mut() {
                last.body.end = offset;
            }
            out.push(PageSection {
                key: normalise_heading(trimmed[hashes..].trim()),
                start: offset,
                body: offset + line.len()..text.len(),
            });
        }
        offset += line.len();
    }
    out
}

/// A section body's paragraphs and list lines, whitespace collapsed.
fn blocks(body: &str) -> Vec<String> {
    spans(body, 0..body.len())
        .into_iter()
        .map(|(block, _)| block)
        .collect()
}

/// The paragraphs and list lines of `text[range]`: each whitespace-collapsed,
/// with the byte range of its lines (trailing newline included).
fn spans(text: &str, range: std::ops::Range<usize>) -> Vec<(String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut open: Option<std::ops::Range<usize>> = None;
    let flush = |open: &mut Option<std::ops::Range<usize>>, out: &mut Vec<_>| {
        if let Some(r) = open.take() {
            out.push((squash_ws(&text[r.clone()]), r));
        }
    };
    let mut offset = range.start;
    for line in text[range].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let here = offset..offset + line.len();
        offset += line.len();
        if trimmed.trim_end().is_empty() {
            flush(&mut open, &mut out);
        } else if is_list_line(trimmed) {
            flush(&mut open, &mut out);
            out.push((squash_ws(line), here));
        } else {
            open = Some(open.map_or(here.clone(), |r| r.start..here.end));
        }
    }
    flush(&mut open, &mut out);
    out
}

fn is_list_line(trimmed: &str) -> bool {
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    ["- ", "* ", "+ "].iter().any(|m| trimmed.starts_with(m))
        || (digits > 0
            && (trimmed[digits..].starts_with(". ") || trimmed[digits..].starts_with(") ")))
}

fn squash_ws(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn block_key(page: &str, block: &str) -> String {
    // FNV-1a: short, stable across runs and platforms.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in block.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{page}#{hash:016x}")
}

/// The base page with the fresh page's new sections and paragraphs added
/// (a paragraph or list line reconcile published and nobody edited since,
/// that reconcile now words differently, is replaced in place);
/// everything else byte for byte.
fn merge_page(
    path: &str,
    base: &str,
    fresh: &str,
    old: &Record,
    summary: &mut BaseSummary,
) -> String {
    let base_sections = sections(base);
    let fresh_sections = sections(fresh);
    let merge = PageMerge {
        path,
        base,
        fresh,
        old,
        base_blocks: all_blocks(base, &base_sections),
        fresh_blocks: all_blocks(fresh, &fresh_sections),
    };
    let mut edits: Vec<Edit> = Vec::new();
    let mut pending_sections = String::new();
    for section in &fresh_sections {
        let Some(at) = base_sections.iter().find(|b| b.key == section.key) else {
            merge.new_section(section, &mut pending_sections, summary);
            continue;
        };
        if !pending_sections.is_empty() {
            // New sections go where the copies put them: before the next one the base has.
            let text = ensure_blank_line(std::mem::take(&mut pending_sections));
            edits.push((at.start..at.start, text));
        }
        merge.section(at, section, &mut edits, summary);
    }
    add_front_matter_sources(apply_edits(base, &pending_sections, edits), fresh)
}

/// A replacement of `base[range]` by the text.
type Edit = (std::ops::Range<usize>, String);

/// One page's merge: the base and fresh texts and what both hold.
struct PageMerge<'a> {
    path: &'a str,
    base: &'a str,
    fresh: &'a str,
    old: &'a Record,
    base_blocks: BTreeSet<String>,
    fresh_blocks: BTreeSet<String>,
}

/// Every paragraph and list line of a page's sections.
fn all_blocks(text: &str, sections: &[PageSection]) -> BTreeSet<String> {
    sections
        .iter()
        .flat_map(|s| blocks(&text[s.body.clone()]))
        .collect()
}

impl PageMerge<'_> {
    /// A fresh section the base lacks: added (to `pending`, to go before
    /// the next section the base has) unless a writer deleted it.
    fn new_section(&self, section: &PageSection, pending: &mut String, summary: &mut BaseSummary) {
        if self
            .old
            .sections
            .contains(&format!("{}#{}", self.path, section.key))
        {
            summary
                .kept_deleted
                .push(format!("{}: section {}", self.path, section.key));
        } else {
            pending.push_str(&self.fresh[section.start..section.body.end]);
            summary.added_sections += 1;
        }
    }

    /// The edits that bring the fresh section's new paragraphs and list
    /// lines into the base section `at`.
    fn section(
        &self,
        at: &PageSection,
        section: &PageSection,
        edits: &mut Vec<Edit>,
        summary: &mut BaseSummary,
    ) {
        let base = self.base;
        let mut stale = self.stale(at);
        let mut added = String::new();
        let base_spans = spans(base, at.body.clone());
        // The base list line the copy puts just before the lines being
        // added, and those lines: a new (nested) list line goes right
        // after it, so it keeps its place and its parent.
        let mut anchor: Option<std::ops::Range<usize>> = None;
        let mut run = String::new();
        for (block, range) in spans(self.fresh, section.body.clone()) {
            if self.base_blocks.contains(&block) {
                flush_run(base, &anchor, &mut run, edits);
                anchor = list_line_anchor(base, &base_spans, &block);
                continue;
            }
            if self.old.blocks.contains(&block_key(self.path, &block)) {
                summary.kept_deleted.push(format!("{}: {block}", self.path));
                continue;
            }
            summary.added_paragraphs += 1;
            let raw = self.fresh[range].trim_end();
            if let Some(place) = stale.pop() {
                let end = place.start + base[place.clone()].trim_end().len();
                edits.push((place.start..end, raw.to_string()));
                continue;
            }
            if anchor.is_some() && is_list_line(raw.trim_start()) {
                run.push_str(raw);
                run.push('\n');
                continue;
            }
            flush_run(base, &anchor, &mut run, edits);
            anchor = None;
            push_block(&mut added, raw);
        }
        flush_run(base, &anchor, &mut run, edits);
        for place in stale {
            edits.push((stale_removal(base, at, place), String::new()));
        }
        if !added.is_empty() {
            edits.push(append_to_body(base, at, &added));
        }
    }

    /// The base section's blocks reconcile published, no writer touched
    /// since, and reconcile no longer makes; last first.
    fn stale(&self, at: &PageSection) -> Vec<std::ops::Range<usize>> {
        let mut stale: Vec<std::ops::Range<usize>> = spans(self.base, at.body.clone())
            .into_iter()
            .filter(|(b, _)| {
                self.old.blocks.contains(&block_key(self.path, b)) && !self.fresh_blocks.contains(b)
            })
            .map(|(_, r)| r)
            .collect();
        stale.reverse();
        stale
    }
}

/// The base's list line holding `block`, unless it ends the section: new
/// lines the copy puts after it go right after it.
fn list_line_anchor(
    base: &str,
    base_spans: &[(String, std::ops::Range<usize>)],
    block: &str,
) -> Option<std::ops::Range<usize>> {
    let line = base_spans.iter().find(|(b, _)| *b == block);
    line.filter(|(_, r)| is_list_line(base[r.clone()].trim_start()))
        .filter(|(_, r)| r.end < base_spans.last().map_or(0, |(_, l)| l.end))
        .map(|(_, r)| r.clone())
}

/// The list lines gathered in `run` go right after their anchor line.
fn flush_run(
    base: &str,
    anchor: &Option<std::ops::Range<usize>>,
    run: &mut String,
    edits: &mut Vec<Edit>,
) {
    if let Some(place) = anchor {
        if !run.is_empty() {
            let lead = if base[..place.end].ends_with('\n') {
                ""
            } else {
                "\n"
            };
            edits.push((
                place.end..place.end,
                format!("{lead}{}", std::mem::take(run)),
            ));
        }
    }
}

/// Add a paragraph or list line to those going at the end of a section.
fn push_block(added: &mut String, raw: &str) {
    // List lines stay one list; paragraphs get a blank line between.
    let after_list = added
        .lines()
        .last()
        .is_some_and(|l| is_list_line(l.trim_start()));
    let same_list = is_list_line(raw.trim_start()) && after_list;
    if !added.is_empty() && !same_list {
        added.push('\n');
    }
    added.push_str(raw);
    added.push('\n');
}

/// What to cut for a stale block: the block, with the blank lines after it
/// when one comes before it, so no double blank line is left where it was.
fn stale_removal(
    base: &str,
    at: &PageSection,
    place: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    let mut end = place.end;
    if base[..place.start].ends_with("\n\n") || place.start == at.body.start {
        while let Some(line) = base[end..at.body.end].split_inclusive('\n').next() {
            if !line.trim().is_empty() || line.is_empty() {
                break;
            }
            end += line.len();
        }
    }
    place.start..end
}

/// The edit that puts `added` after the base section's own text.
fn append_to_body(base: &str, at: &PageSection, added: &str) -> Edit {
    let body = &base[at.body.clone()];
    let end = at.body.start + body.trim_end().len();
    let last_is_list = body
        .trim_end()
        .lines()
        .last()
        .is_some_and(|l| is_list_line(l.trim_start()));
    let joins_list = last_is_list && is_list_line(added.trim_start());
    let lead = if joins_list { "\n" } else { "\n\n" };
    (end..end, format!("{lead}{}", added.trim_end()))
}

/// The base with the edits made (last first) and the sections that come
/// after every section it has at its end.
fn apply_edits(base: &str, pending_sections: &str, mut edits: Vec<Edit>) -> String {
    let mut out = base.to_string();
    if !pending_sections.is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
        out.push_str(pending_sections.trim_end());
        out.push('\n');
    }
    edits.sort_by_key(|edit| std::cmp::Reverse((edit.0.start, edit.0.end)));
    for (range, text) in edits {
        out.replace_range(range, &text);
    }
    out
}

/// The page's front matter `sources: [..]` line with the copies the fresh
/// page adds; the page as it is when it has no such line or nothing is new.
fn add_front_matter_sources(page: String, fresh: &str) -> String {
    let sources_line = |text: &str| -> Option<(std::ops::Range<usize>, Vec<String>)> {
        let split = crate::frontmatter::split("", text).ok()?;
        let yaml = split.yaml?;
        let mut offset = split.yaml_start;
        for line in yaml.split_inclusive('\n') {
            if let Some(value) = line.strip_prefix("sources:") {
                let list = serde_norway::from_str::<Vec<String>>(value.trim()).ok()?;
                let end = offset + line.trim_end_matches(['\n', '\r']).len();
                return Some((offset..end, list));
            }
            offset += line.len();
        }
        None
    };
    let (Some((range, mut kept)), Some((_, new))) = (sources_line(&page), sources_line(fresh))
    else {
        return page;
    };
    let before = kept.len();
    for source in new {
        if !kept.contains(&source) {
            kept.push(source);
        }
    }
    if kept.len() == before {
        return page;
    }
    let mut page = page;
    page.replace_range(range, &format!("sources: [{}]", kept.join(", ")));
    page
}

fn ensure_blank_line(mut text: String) -> String {
    while !text.ends_with("\n\n") {
        text.push('\n');
    }
    text
}

/// The base version of a file, with what the new version adds.
fn merge_file(
    path: &str,
    base: &str,
    new: &str,
    old: &Record,
    summary: &mut BaseSummary,
) -> anyhow::Result<String> {
    if path.ends_with(".md") {
        return Ok(merge_page(path, base, new, old, summary));
    }
    if is_checklist_path(path) {
        let mut kept: Checklist = serde_norway::from_str(base)?;
        let fresh: Checklist = serde_norway::from_str(new)?;
        return Ok(if merge_checklist(&mut kept, fresh, old, summary) {
            serde_norway::to_string(&kept)?
        } else {
            base.to_string()
        });
    }
    if path == ROLES_FILE {
        let mut kept: RolesFile = serde_norway::from_str(base)?;
        let fresh: RolesFile = serde_norway::from_str(new)?;
        return Ok(if merge_roles(&mut kept, fresh) {
            serde_norway::to_string(&kept)?
        } else {
            base.to_string()
        });
    }
    if path == RELEASE_NOTES_FILE {
        let mut kept: ReleaseNoteSpec = serde_norway::from_str(base)?;
        let fresh: ReleaseNoteSpec = serde_norway::from_str(new)?;
        let mut changed = false;
        for section in fresh.sections {
            if !kept.sections.iter().any(|s| s.id == section.id) {
                kept.sections.push(section);
                changed = true;
            }
        }
        return Ok(if changed {
            serde_norway::to_string(&kept)?
        } else {
            base.to_string()
        });
    }
    // Anything else: the base is the hand-edited truth.
    Ok(base.to_string())
}

/// Add what `fresh` has that `kept` lacks: new items in their group (after
/// the item the copies put before them), and the owners, sources, types
/// and conditions copies add to existing items. The base's wording wins.
/// Returns whether anything changed.
fn merge_checklist(
    kept: &mut Checklist,
    fresh: Checklist,
    old: &Record,
    summary: &mut BaseSummary,
) -> bool {
    let mut changed = false;
    let mut last_group: Option<usize> = None;
    for group in fresh.groups {
        // The id of the item the copies put before the next one.
        let mut previous: Option<String> = None;
        for item in &group.items {
            if let Some(existing) = same_item_in(&mut kept.groups, item) {
                let key = format!("{}/{}", kept.id, existing.id);
                changed |= update_item(existing, item, &key, old, summary);
                previous = Some(existing.id.clone());
                continue;
            }
            let key = format!("{}/{}", kept.id, item.id);
            if old.items.contains(&key) {
                summary.kept_deleted.push(format!("{key}: {}", item.text));
                continue;
            }
            changed = true;
            summary.added_items += 1;
            let target = group_for(kept, &group, last_group);
            let items = &mut kept.groups[target].items;
            let at = previous
                .as_ref()
                .and_then(|p| items.iter().position(|i| &i.id == p))
                .map_or(items.len(), |i| i + 1);
            previous = Some(item.id.clone());
            items.insert(at, item.clone());
            last_group = Some(target);
        }
        if let Some(i) = kept.groups.iter().position(|g| g.id == group.id) {
            last_group = Some(i);
        }
    }
    changed
}

/// The base's item that is `item`: the same id, or the same step worded
/// otherwise.
fn same_item_in<'a>(
    groups: &'a mut [Group],
    item: &ChecklistItem,
) -> Option<&'a mut ChecklistItem> {
    groups
        .iter_mut()
        .flat_map(|g| g.items.iter_mut())
        .find(|k| k.id == item.id || (!item.text.is_empty() && same_item(&k.text, &item.text)))
}

/// Bring into the base's `existing` item what the copies now add to it
/// (`key` is `checklist-id/item-id`); whether it changed.
fn update_item(
    existing: &mut ChecklistItem,
    item: &ChecklistItem,
    key: &str,
    old: &Record,
    summary: &mut BaseSummary,
) -> bool {
    let before = existing.clone();
    // Published as it stands and nobody edited it: reconcile's new wording.
    if existing.text != item.text
        && !item.text.is_empty()
        && old.item_texts.contains(&block_key(key, &existing.text))
    {
        existing.text = item.text.clone();
        // Its own wording now: no longer a `ref` to another checklist's item.
        if item.reference.is_none() {
            existing.reference = None;
        }
    }
    for source in &item.sources {
        if !existing.sources.contains(source) {
            existing.sources.push(source.clone());
        }
    }
    add_owners(existing, item, key, old);
    // No types means every type: nothing to widen.
    if !existing.types.is_empty() && !item.types.is_empty() {
        for t in &item.types {
            if !existing.types.contains(t) {
                existing.types.push(*t);
            }
        }
        existing.types.sort();
    }
    if existing.when.is_none() && item.when.is_some() {
        existing.when = item.when.clone();
    }
    if *existing == before {
        return false;
    }
    if existing.text != before.text
        || existing.owners != before.owners
        || existing.inferred != before.inferred
        || existing.types != before.types
        || existing.when != before.when
    {
        summary.updated_items += 1;
    }
    true
}

/// The owners a copy adds to an item; an owner it only infers is marked
/// so, and not added again once a writer deleted it.
fn add_owners(existing: &mut ChecklistItem, item: &ChecklistItem, key: &str, old: &Record) {
    for owner in &item.owners {
        let guessed = item.inferred.contains(owner);
        if existing.owners.contains(owner) {
            // A copy now names an owner reconcile had only inferred.
            if !guessed {
                existing.inferred.retain(|o| o != owner);
            }
            continue;
        }
        if guessed {
            if old.inferred.contains(&format!("{key}#{owner}")) {
                continue; // inferred before, and a writer deleted it
            }
            existing.inferred.push(owner.clone());
        }
        existing.owners.push(owner.clone());
    }
}

/// The base's group for a new item of the copies' `group`: the one with its
/// id or a heading that means the same, else a new empty one after the
/// group last added to (`last_group`).
fn group_for(kept: &mut Checklist, group: &Group, last_group: Option<usize>) -> usize {
    let meaning = heading_meaning(&group.title);
    let found = kept
        .groups
        .iter()
        .position(|g| g.id == group.id)
        .or_else(|| {
            kept.groups
                .iter()
                .position(|g| heading_meaning(&g.title) == meaning)
        });
    if let Some(i) = found {
        return i;
    }
    let at = last_group
        .map_or(kept.groups.len(), |g| g + 1)
        .min(kept.groups.len());
    kept.groups.insert(
        at,
        Group {
            id: group.id.clone(),
            title: group.title.clone(),
            timing: group.timing.clone(),
            phase: group.phase,
            types: group.types.clone(),
            items: Vec::new(),
        },
    );
    at
}

fn merge_roles(kept: &mut RolesFile, fresh: RolesFile) -> bool {
    let mut changed = false;
    for role in fresh.roles {
        let spellings: Vec<String> = std::iter::once(role.name.clone())
            .chain(role.aliases.iter().cloned())
            .collect();
        let existing = kept.roles.iter_mut().find(|k| {
            k.id == role.id
                || spellings.iter().any(|s| {
                    s.eq_ignore_ascii_case(&k.name)
                        || k.aliases.iter().any(|a| a.eq_ignore_ascii_case(s))
                })
        });
        match existing {
            Some(existing) => {
                for spelling in spellings {
                    let known = spelling.eq_ignore_ascii_case(&existing.name)
                        || existing
                            .aliases
                            .iter()
                            .any(|a| a.eq_ignore_ascii_case(&spelling));
                    if !known {
                        existing.aliases.push(spelling);
                        changed = true;
                    }
                }
            }
            None => {
                kept.roles.push(role);
                changed = true;
            }
        }
    }
    changed
}

/// Every file under `dir` (content-relative path → text), hidden ones
/// skipped; files that are not UTF-8 text (images) come back as bytes.
type Tree = (BTreeMap<String, String>, BTreeMap<String, Vec<u8>>);

fn read_tree(dir: &Path) -> anyhow::Result<Tree> {
    let mut files = BTreeMap::new();
    let mut binary = BTreeMap::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(entry.path())
            .with_context(|| format!("cannot read {}", entry.path().display()))?;
        match String::from_utf8(bytes) {
            Ok(text) => {
                files.insert(rel, text);
            }
            Err(err) => {
                binary.insert(rel, err.into_bytes());
            }
        }
    }
    Ok((files, binary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::ReleaseType;

    /// A record that says `page` was published with these blocks and sections.
    fn published(path: &str, text: &str) -> Record {
        record_of(&BTreeMap::from([(path.to_string(), text.to_string())]))
    }

    fn checklist(yaml: &str) -> Checklist {
        serde_norway::from_str(yaml).expect("test checklist parses")
    }

    fn items(list: &Checklist) -> Vec<(&str, &str)> {
        list.groups
            .iter()
            .flat_map(|g| g.items.iter().map(move |i| (g.id.as_str(), i.id.as_str())))
            .collect()
    }

    const PUBLISHED_PAGE: &str =
        "# Deploy\n\nRun the smoke tests.\n\n## Rollback\n\nRevert the release.\n";

    #[test]
    fn a_writers_edit_stands_and_a_new_paragraph_is_added_after_it() {
        let old = published("deploy.md", PUBLISHED_PAGE);
        let base = "# Deploy\n\nRun the smoke tests on staging first (edited).\n\n## Rollback\n\nRevert the release.\n";
        let fresh = "# Deploy\n\nRun the smoke tests.\n\nTell support.\n\n## Rollback\n\nRevert the release.\n";
        let mut summary = BaseSummary::default();
        let merged = merge_page("deploy.md", base, fresh, &old, &mut summary);
        assert_eq!(
            merged,
            "# Deploy\n\nRun the smoke tests on staging first (edited).\n\nTell support.\n\n## Rollback\n\nRevert the release.\n"
        );
        assert_eq!(summary.added_paragraphs, 1);
        // The published wording the writer replaced is not brought back.
        assert_eq!(summary.kept_deleted, ["deploy.md: Run the smoke tests."]);
    }

    #[test]
    fn an_untouched_published_paragraph_takes_reconciles_new_wording_in_place() {
        let page = "# Deploy\n\nRun the smoke tests.\n\nWatch the logs.\n";
        let old = published("deploy.md", page);
        let fresh = "# Deploy\n\nRun every smoke test.\n\nWatch the logs.\n";
        let mut summary = BaseSummary::default();
        let merged = merge_page("deploy.md", page, fresh, &old, &mut summary);
        assert_eq!(merged, fresh);
        assert!(summary.kept_deleted.is_empty());
    }

    #[test]
    fn a_new_section_goes_before_the_next_section_the_base_has_and_writer_lines_stay() {
        let old = published("deploy.md", PUBLISHED_PAGE);
        // A writer's own heading line and HTML comment, unknown to reconcile.
        let base = "# Deploy\n\n<!-- Writer: keep this short -->\nRun the smoke tests.\n\n# Writer: Dana\n\n## Rollback\n\nRevert the release.\n";
        let fresh = "# Deploy\n\nRun the smoke tests.\n\n## Verify\n\nCheck the dashboards.\n\n## Rollback\n\nRevert the release.\n";
        let mut summary = BaseSummary::default();
        let merged = merge_page("deploy.md", base, fresh, &old, &mut summary);
        assert_eq!(
            merged,
            "# Deploy\n\n<!-- Writer: keep this short -->\nRun the smoke tests.\n\n# Writer: Dana\n\n## Verify\n\nCheck the dashboards.\n\n## Rollback\n\nRevert the release.\n"
        );
        assert_eq!(summary.added_sections, 1);
    }

    #[test]
    fn a_section_a_writer_deleted_stays_deleted_and_one_only_the_copies_have_goes_last() {
        let old = published("deploy.md", PUBLISHED_PAGE);
        let base = "# Deploy\n\nRun the smoke tests.\n";
        let fresh = "# Deploy\n\nRun the smoke tests.\n\n## Rollback\n\nRevert the release.\n\n## Archive\n\nTag it.\n";
        let mut summary = BaseSummary::default();
        let merged = merge_page("deploy.md", base, fresh, &old, &mut summary);
        assert_eq!(
            merged,
            "# Deploy\n\nRun the smoke tests.\n\n## Archive\n\nTag it.\n"
        );
        assert_eq!(summary.kept_deleted, ["deploy.md: section rollback"]);
        assert_eq!(summary.added_sections, 1);
    }

    #[test]
    fn a_new_list_line_goes_right_after_the_line_the_copy_puts_before_it() {
        let page = "# Steps\n\n- Build\n- Ship\n\nThen rest.\n";
        let old = published("steps.md", page);
        let fresh = "# Steps\n\n- Build\n  - Sign the build\n- Ship\n\nThen rest.\n";
        let mut summary = BaseSummary::default();
        let merged = merge_page("steps.md", page, fresh, &old, &mut summary);
        assert_eq!(merged, fresh);
        assert_eq!(summary.added_paragraphs, 1);
    }

    #[test]
    fn code_fences_hide_hash_lines_from_the_section_split() {
        let page = "# A\n\n```sh\n# not a heading\n```\n\n# B\n\nText.\n";
        let keys: Vec<String> = sections(page).into_iter().map(|s| s.key).collect();
        assert_eq!(keys, ["a", "b"]);
    }

    #[test]
    fn front_matter_sources_gain_the_new_copies_once() {
        let base = "---\ntitle: Deploy\nsources: [a, b]\n---\n# Deploy\n";
        let fresh = "---\ntitle: Deploy\nsources: [b, c]\n---\n# Deploy\n";
        assert_eq!(
            add_front_matter_sources(base.to_string(), fresh),
            "---\ntitle: Deploy\nsources: [a, b, c]\n---\n# Deploy\n"
        );
        assert_eq!(
            add_front_matter_sources(fresh.to_string(), base),
            "---\ntitle: Deploy\nsources: [b, c, a]\n---\n# Deploy\n"
        );
        assert_eq!(add_front_matter_sources(base.to_string(), base), base);
    }

    const PUBLISHED_LIST: &str = "id: deploy
title: Deploy
groups:
- id: before
  title: Before
  items:
  - id: freeze
    text: Freeze the branch
  - id: notify
    text: Notify support
    owners: [sre]
    types: [minor, major]
- id: after
  title: After
  items:
  - id: verify
    text: Verify the release
";

    fn published_list() -> Record {
        record_of(&BTreeMap::from([(
            "checklists/deploy.yaml".to_string(),
            PUBLISHED_LIST.to_string(),
        )]))
    }

    #[test]
    fn a_new_item_goes_after_the_item_the_copies_put_before_it_and_ids_stay() {
        let mut kept = checklist(PUBLISHED_LIST);
        // Reconcile now words `notify` differently and gives it another id;
        // it is the same item, so the base's id stands.
        let fresh = checklist(&PUBLISHED_LIST.replace(
            "  - id: notify\n    text: Notify support\n",
            "  - id: tag\n    text: Tag the release candidate\n  - id: notify-the-support-team\n    text: Notify the support team\n",
        ));
        let mut summary = BaseSummary::default();
        assert!(merge_checklist(
            &mut kept,
            fresh,
            &published_list(),
            &mut summary
        ));
        assert_eq!(
            items(&kept),
            [
                ("before", "freeze"),
                ("before", "tag"),
                ("before", "notify"),
                ("after", "verify")
            ]
        );
        assert_eq!(summary.added_items, 1);
    }

    #[test]
    fn a_writers_wording_wins_but_an_untouched_one_is_reworded() {
        let base = PUBLISHED_LIST.replace("Freeze the branch", "Freeze main (ask Dana)");
        let mut kept = checklist(&base);
        let fresh = checklist(
            &PUBLISHED_LIST
                .replace("Freeze the branch", "Freeze the release branch")
                .replace("Verify the release", "Verify the release works"),
        );
        let mut summary = BaseSummary::default();
        assert!(merge_checklist(
            &mut kept,
            fresh,
            &published_list(),
            &mut summary
        ));
        let texts: Vec<&str> = kept
            .groups
            .iter()
            .flat_map(|g| &g.items)
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(
            texts,
            [
                "Freeze main (ask Dana)",
                "Notify support",
                "Verify the release works"
            ]
        );
        assert_eq!(summary.updated_items, 1);
    }

    #[test]
    fn a_published_ref_that_reconcile_now_words_itself_loses_its_ref() {
        let published = PUBLISHED_LIST.replace(
            "  - id: freeze\n    text: Freeze the branch\n",
            "  - id: freeze\n    ref: other/freeze\n",
        );
        let record = record_of(&BTreeMap::from([(
            "checklists/deploy.yaml".to_string(),
            published.clone(),
        )]));
        let mut kept = checklist(&published);
        let mut summary = BaseSummary::default();
        assert!(merge_checklist(
            &mut kept,
            checklist(PUBLISHED_LIST),
            &record,
            &mut summary
        ));
        let freeze = &kept.groups[0].items[0];
        assert_eq!(
            (freeze.text.as_str(), freeze.reference.as_deref()),
            ("Freeze the branch", None)
        );
    }

    #[test]
    fn an_item_a_writer_removed_is_reported_not_added_back() {
        let base = PUBLISHED_LIST.replace("  - id: freeze\n    text: Freeze the branch\n", "");
        let mut kept = checklist(&base);
        let mut summary = BaseSummary::default();
        let changed = merge_checklist(
            &mut kept,
            checklist(PUBLISHED_LIST),
            &published_list(),
            &mut summary,
        );
        assert!(!changed);
        assert_eq!(kept, checklist(&base));
        assert_eq!(summary.kept_deleted, ["deploy/freeze: Freeze the branch"]);
    }

    #[test]
    fn types_are_widened_but_an_item_for_every_type_stays_so() {
        let mut kept = checklist(PUBLISHED_LIST);
        let fresh = checklist(
            &PUBLISHED_LIST
                .replace("types: [minor, major]", "types: [patch]")
                .replace("    text: Verify the release\n", "    text: Verify the release\n    types: [major]\n    when: if external-facing\n"),
        );
        let mut summary = BaseSummary::default();
        assert!(merge_checklist(
            &mut kept,
            fresh,
            &published_list(),
            &mut summary
        ));
        let notify = &kept.groups[0].items[1];
        assert_eq!(notify.types, ReleaseType::ALL.to_vec());
        let verify = &kept.groups[1].items[0];
        assert!(
            verify.types.is_empty(),
            "empty means every type: {:?}",
            verify.types
        );
        assert_eq!(verify.when.as_deref(), Some("if external-facing"));
    }

    #[test]
    fn an_inferred_owner_a_writer_deleted_is_not_inferred_again() {
        let inferring = PUBLISHED_LIST.replace(
            "    text: Freeze the branch\n",
            "    text: Freeze the branch\n    owners: [release-manager]\n    inferred: [release-manager]\n",
        );
        let old = record_of(&BTreeMap::from([(
            "checklists/deploy.yaml".to_string(),
            inferring.clone(),
        )]));
        let mut kept = checklist(PUBLISHED_LIST);
        let mut summary = BaseSummary::default();
        assert!(!merge_checklist(
            &mut kept,
            checklist(&inferring),
            &old,
            &mut summary
        ));
        assert!(kept.groups[0].items[0].owners.is_empty());
        // With no record of it, the guess is added, marked inferred.
        assert!(merge_checklist(
            &mut kept,
            checklist(&inferring),
            &Record::default(),
            &mut summary
        ));
        assert_eq!(kept.groups[0].items[0].inferred, ["release-manager"]);
    }

    #[test]
    fn a_new_group_goes_after_the_group_the_copies_put_before_it() {
        let mut kept = checklist(PUBLISHED_LIST);
        let fresh = checklist(&PUBLISHED_LIST.replace(
            "- id: after\n",
            "- id: during\n  title: During\n  items:\n  - id: watch\n    text: Watch the error rate\n- id: after\n",
        ));
        let mut summary = BaseSummary::default();
        assert!(merge_checklist(
            &mut kept,
            fresh,
            &published_list(),
            &mut summary
        ));
        let groups: Vec<&str> = kept.groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(groups, ["before", "during", "after"]);
    }

    /// A base tree on disk, merged with `fresh` as reconcile made it.
    fn merge_over(base: &[(&str, &[u8])], fresh: &[(&str, &str)]) -> (Outcome, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, bytes) in base {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(path, bytes).expect("write");
        }
        let files: BTreeMap<String, String> = fresh
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        let mut outcome = Outcome {
            files: files.clone(),
            binary: BTreeMap::new(),
            report: crate::reconcile::report::Report::default(),
        };
        outcome
            .files
            .insert(RECORD_FILE.to_string(), record_yaml(&record_of(&files)));
        merge_with_base(dir.path(), &mut outcome).expect("merges");
        (outcome, dir)
    }

    #[test]
    fn a_page_the_writer_deleted_stays_deleted_and_hidden_files_are_left_alone() {
        let record = record_yaml(&published("gone.md", "# Gone\n"));
        let (outcome, _dir) = merge_over(
            &[
                ("kept.md", b"# Kept\n\nMine.\n"),
                (RECORD_FILE, record.as_bytes()),
                (".git/config", b"[core]\n"),
                (".draft.md", b"# Draft\n"),
                ("img/logo.png", &[0x89, b'P', b'N', b'G', 0xff, 0xfe]),
            ],
            &[
                ("gone.md", "# Gone\n"),
                ("kept.md", "# Kept\n\nMine.\n"),
                ("new.md", "# New\n"),
            ],
        );
        let paths: Vec<&str> = outcome.files.keys().map(String::as_str).collect();
        assert_eq!(paths, [RECORD_FILE, "kept.md", "new.md"]);
        assert_eq!(outcome.binary.keys().collect::<Vec<_>>(), ["img/logo.png"]);
        let summary = outcome.report.base.expect("a summary");
        assert_eq!(summary.kept_deleted, ["gone.md"]);
        assert_eq!(summary.added_files, 1);
        // The record keeps remembering the deleted page.
        let record: Record = serde_norway::from_str(&outcome.files[RECORD_FILE]).expect("record");
        assert!(record.files.contains("gone.md") && record.files.contains("new.md"));
    }

    #[test]
    fn a_page_a_writer_renamed_is_found_by_its_title() {
        let (outcome, _dir) = merge_over(
            &[("renamed.md", b"---\ntitle: Deploy\n---\nOld text.\n")],
            &[("deploy.md", "---\ntitle: Deploy\n---\nOld text.\n")],
        );
        let paths: Vec<&str> = outcome.files.keys().map(String::as_str).collect();
        assert_eq!(paths, [RECORD_FILE, "renamed.md"]);
        assert_eq!(outcome.report.base.expect("a summary").added_files, 0);
    }

    #[test]
    fn a_checklist_with_nothing_new_keeps_its_writers_comments_byte_for_byte() {
        let base = format!("# Writer: Dana owns this list\n{PUBLISHED_LIST}");
        let (outcome, _dir) = merge_over(
            &[("checklists/deploy.yaml", base.as_bytes())],
            &[("checklists/deploy.yaml", PUBLISHED_LIST)],
        );
        assert_eq!(outcome.files["checklists/deploy.yaml"], base);
    }

    #[test]
    fn roles_gain_new_spellings_as_aliases_once() {
        let mut kept: RolesFile =
            serde_norway::from_str("roles:\n- id: qa\n  name: QA Engineer\n  aliases: [Tester]\n")
                .expect("roles");
        let fresh: RolesFile = serde_norway::from_str(
            "roles:\n- id: quality\n  name: tester\n  aliases: [QA Specialist]\n- id: sre\n  name: SRE\n",
        )
        .expect("roles");
        assert!(merge_roles(&mut kept, fresh.clone()));
        assert_eq!(kept.roles[0].aliases, ["Tester", "QA Specialist"]);
        assert_eq!(kept.roles[1].id, "sre");
        assert!(
            !merge_roles(&mut kept, fresh),
            "a second merge adds nothing"
        );
    }

    #[test]
    fn a_base_that_is_not_yaml_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("checklists")).expect("mkdir");
        std::fs::write(dir.path().join("checklists/deploy.yaml"), "id: [unclosed\n")
            .expect("write");
        let mut outcome = Outcome {
            files: BTreeMap::from([(
                "checklists/deploy.yaml".to_string(),
                PUBLISHED_LIST.to_string(),
            )]),
            binary: BTreeMap::new(),
            report: crate::reconcile::report::Report::default(),
        };
        let err = merge_with_base(dir.path(), &mut outcome).expect_err("broken base");
        assert!(
            format!("{err:#}").contains("cannot merge into")
                && format!("{err}").contains("deploy.yaml"),
            "{err:#}"
        );
    }
}
