//! The reconcile report: what came in, what went out, what was merged, and
//! everything a writer must look at (items without owner, links to pages
//! none of the copies contain, conflicting wordings).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::extract::Checklists;
use super::merge::{Doc, MBlock, MList, MSection, MergeLog};
use super::variant::{Block, List, Section, Variant};
use crate::checklist::{ReleaseNoteSpec, RoleEntry};

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub inputs: Vec<InputReport>,
    pub documents: Vec<DocumentReport>,
    pub sections_in: usize,
    pub items_in: usize,
    /// Items in the output: checklist items, list items left in pages, release-note sections.
    pub items_out: usize,
    pub merges: Vec<MergeReport>,
    /// Sections of a copy matched to another heading by the steps they share
    /// (`kept` the heading kept, `merged` the copy's).
    pub sections_by_steps: Vec<MergeReport>,
    /// Copies titled otherwise that are one document by what they hold.
    pub documents_by_content: Vec<RetitledCopy>,
    pub roles: Vec<String>,
    pub checklists: Vec<String>,
    pub release_note_sections: Vec<String>,
    pub items_without_owner: Vec<ItemRef>,
    /// Owners reconcile inferred for items no copy names an owner for (the
    /// one role their document says it is for, a role whose responsibilities
    /// describe the item, a section named for a role's domain), to confirm.
    pub inferred_owners: Vec<InferredRef>,
    pub missing_link_targets: Vec<MissingLink>,
    pub conflicts: Vec<Conflict>,
    /// Input items found nowhere in the output: always empty unless reconcile has a bug.
    pub lost: Vec<LostItem>,
    /// Mis-decoded text found in the output and repaired at the last step.
    pub late_repairs: usize,
    /// What `--base` added, updated and left deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<super::base::BaseSummary>,
    /// Every input item and heading (copy, text), checked against the
    /// files as written by [`Report::verify_written`].
    #[serde(skip)]
    /// (copy, text, whether it is a heading) of every unit to find.
    units: Vec<(String, String, bool)>,
}

#[derive(Debug, Serialize)]
pub struct InputReport {
    pub file: String,
    pub name: String,
    pub title: String,
    pub sections: usize,
    pub items: usize,
    pub repairs: usize,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct DocumentReport {
    pub title: String,
    pub page: String,
    pub sources: Vec<String>,
    pub sections: usize,
}

#[derive(Debug, Serialize)]
pub struct MergeReport {
    pub document: String,
    pub kept: String,
    pub merged: String,
    pub from: String,
}

#[derive(Debug, Serialize)]
pub struct RetitledCopy {
    /// The document's title, as kept.
    pub kept: String,
    /// The copy's own title.
    pub title: String,
    pub from: String,
}

#[derive(Debug, Serialize)]
pub struct ItemRef {
    pub checklist: String,
    pub item: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct InferredRef {
    pub checklist: String,
    pub item: String,
    pub text: String,
    pub role: String,
    /// Why: "the document's purpose", "responsibility: …", "section: …".
    pub reason: String,
}

#[derive(Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct MissingLink {
    pub from: String,
    pub link: String,
}

pub use super::merge::Conflict;

#[derive(Debug, Serialize)]
pub struct LostItem {
    pub from: String,
    pub text: String,
}

impl Report {
    pub fn add_input(
        &mut self,
        path: &str,
        variant: &Variant,
        repairs: usize,
        warnings: Vec<String>,
    ) {
        let sections: usize = variant.sections.iter().map(count_sections).sum();
        let items = count_variant_items(variant);
        self.sections_in += sections;
        self.items_in += items;
        self.inputs.push(InputReport {
            file: path.to_string(),
            name: variant.name.clone(),
            title: variant.title.clone(),
            sections,
            items,
            repairs,
            warnings,
        });
    }

    /// Fill in everything that is known once the output exists.
    #[allow(clippy::too_many_arguments)]
    pub fn finish(
        &mut self,
        variants: &[Variant],
        merged: &[Doc],
        log: &MergeLog,
        checklists: &Checklists,
        roles: &[RoleEntry],
        spec: Option<&ReleaseNoteSpec>,
        files: &BTreeMap<String, String>,
        accounted: &BTreeSet<(String, String)>,
    ) {
        self.inputs.sort_by(|a, b| a.name.cmp(&b.name));
        self.add_documents_and_merges(merged, log);
        self.conflicts
            .extend(steps_filed_twice(&checklists.checklists));
        self.roles = roles.iter().map(|r| r.id.clone()).collect();
        self.checklists = checklists.checklists.iter().map(|c| c.id.clone()).collect();
        self.release_note_sections = spec
            .map(|s| s.sections.iter().map(|x| x.id.clone()).collect())
            .unwrap_or_default();
        self.add_owner_findings(checklists);
        self.items_out = items_out(merged, checklists) + self.release_note_sections.len();
        self.missing_link_targets = missing_links(variants, files);
        self.account_for_inputs(variants, accounted);
        self.name_copies_by_path();
    }

    /// The documents made, and the wordings merged and in conflict.
    fn add_documents_and_merges(&mut self, merged: &[Doc], log: &MergeLog) {
        for doc in merged {
            self.documents.push(DocumentReport {
                title: doc.title.clone(),
                page: doc.page.clone(),
                sources: doc.sources.clone(),
                sections: doc.sections.iter().map(count_msections).sum(),
            });
        }
        let reports = |merges: &[(String, String, String, String)]| -> Vec<MergeReport> {
            merges
                .iter()
                .map(|(d, k, m, f)| MergeReport {
                    document: d.clone(),
                    kept: k.clone(),
                    merged: m.clone(),
                    from: f.clone(),
                })
                .collect()
        };
        self.merges = reports(&log.merges);
        self.sections_by_steps = reports(&log.sections_by_steps);
        self.documents_by_content = log
            .documents_by_content
            .iter()
            .map(|(kept, title, from)| RetitledCopy {
                kept: kept.clone(),
                title: title.clone(),
                from: from.clone(),
            })
            .collect();
        self.conflicts = log.conflicts.clone();
    }

    /// Items with no owner, and owners inferred, for a writer to confirm.
    fn add_owner_findings(&mut self, checklists: &Checklists) {
        self.items_without_owner = checklists
            .without_owner
            .iter()
            .map(|(c, i, t)| ItemRef {
                checklist: c.clone(),
                item: i.clone(),
                text: t.clone(),
            })
            .collect();
        self.inferred_owners = checklists
            .inferred_owner
            .iter()
            .map(|i| InferredRef {
                checklist: i.checklist.clone(),
                item: i.item.clone(),
                text: i.text.clone(),
                role: i.role.clone(),
                reason: i.reason.clone(),
            })
            .collect();
    }

    /// Every input item not `accounted` for is lost; every item and
    /// heading is kept to be looked for in the written files.
    fn account_for_inputs(&mut self, variants: &[Variant], accounted: &BTreeSet<(String, String)>) {
        for variant in variants {
            for text in variant_item_texts(variant) {
                if !accounted.contains(&(variant.name.clone(), text.clone())) {
                    self.lost.push(LostItem {
                        from: variant.name.clone(),
                        text,
                    });
                }
            }
            for (text, heading) in checked_units(variant) {
                self.units.push((variant.name.clone(), text, heading));
            }
        }
    }

    /// The path given on the command line for a copy's name (its file
    /// stem, `-2`, `-3` when two copies share one): the report names
    /// copies by path everywhere but `inputs[].name` and the YAML's
    /// `sources`, which keep the short, machine-independent name.
    fn path_of(&self, name: &str) -> String {
        self.inputs
            .iter()
            .find(|i| i.name == name)
            .map_or_else(|| name.to_string(), |i| i.file.clone())
    }

    fn name_copies_by_path(&mut self) {
        let paths: BTreeMap<String, String> = self
            .inputs
            .iter()
            .map(|i| (i.name.clone(), i.file.clone()))
            .collect();
        let path = |name: &mut String| {
            if let Some(p) = paths.get(name.as_str()) {
                *name = p.clone();
            }
        };
        for doc in &mut self.documents {
            doc.sources.iter_mut().for_each(path);
        }
        for merge in self.merges.iter_mut().chain(&mut self.sections_by_steps) {
            path(&mut merge.from);
        }
        for copy in &mut self.documents_by_content {
            path(&mut copy.from);
        }
        for conflict in &mut self.conflicts {
            conflict.kept_from.iter_mut().for_each(path);
            path(&mut conflict.other_from);
        }
        for lost in &mut self.lost {
            path(&mut lost.from);
        }
        for link in &mut self.missing_link_targets {
            path(&mut link.from);
        }
    }

    /// Look for every input item and heading in the files about to be
    /// written (after `--base`): each of its words must be there, or in the
    /// report (a conflict's other wording, an item a writer deleted).
    /// Whatever is missing is added to `lost`, so "items lost: 0" is only
    /// printed when it is true of the written files.
    pub fn verify_written(&mut self, files: &BTreeMap<String, String>) {
        use super::text::{analyse_item, item_tokens};
        let mut bag: BTreeSet<String> = BTreeSet::new();
        let reported = self
            .conflicts
            .iter()
            .map(|c| c.other.clone())
            .chain(self.base.iter().flat_map(|b| b.kept_deleted.clone()));
        for text in files.values().cloned().chain(reported) {
            for line in text.lines() {
                bag.extend(item_tokens(line));
                // Owners are written as role ids: "qa-lead" holds "qa" and "lead".
                bag.extend(item_tokens(&line.replace('-', " ")));
            }
        }
        for (from, text, heading) in &self.units {
            // A heading aligned with another copy's by meaning ("Checks" for
            // "Requirements") is found when what it is about is there.
            let words = if *heading {
                super::merge::heading_meaning(text)
            } else {
                analyse_item(text).text
            };
            let missing = item_tokens(&words).into_iter().any(|t| !bag.contains(&t));
            let known = self.lost.iter().any(|l| l.from == *from && l.text == *text);
            let known = known
                || self
                    .lost
                    .iter()
                    .any(|l| l.from == self.path_of(from) && l.text == *text);
            if missing && !known {
                self.lost.push(LostItem {
                    from: self.path_of(from),
                    text: text.clone(),
                });
            }
        }
    }

    /// The report as a Markdown review a writer can work through: what
    /// came in, what merged, what was inferred, and what needs a decision.
    pub fn markdown(&self) -> String {
        let mut out = String::from("# Reconcile report\n\n");
        out.push_str(&format!(
            "{} copies, {} documents; items in: {}, out: {}; lost: {}.\n",
            self.inputs.len(),
            self.documents.len(),
            self.items_in,
            self.items_out,
            self.lost.len()
        ));
        self.markdown_inputs(&mut out);
        self.markdown_to_decide(&mut out);
        self.markdown_merged(&mut out);
        out
    }

    /// `## Inputs` and `## Documents`.
    fn markdown_inputs(&self, out: &mut String) {
        out.push_str(
            "\n## Inputs\n\n| file | title | items | repairs | warnings |\n|---|---|---|---|---|\n",
        );
        for input in &self.inputs {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                table_cell(&input.file),
                table_cell(&input.title),
                input.items,
                input.repairs,
                table_cell(&input.warnings.join("; "))
            ));
        }
        out.push_str("\n## Documents\n\n");
        for doc in &self.documents {
            out.push_str(&format!("- `{}` ← {}\n", doc.page, doc.sources.join(", ")));
        }
        if !self.documents_by_content.is_empty() {
            out.push_str(&format!(
                "\n## Copies titled otherwise, one document by what they hold ({})\n\n",
                self.documents_by_content.len()
            ));
            for copy in &self.documents_by_content {
                out.push_str(&format!(
                    "- {} ← {} ({})\n",
                    copy.kept, copy.title, copy.from
                ));
            }
        }
        if !self.sections_by_steps.is_empty() {
            out.push_str(&format!(
                "\n## Sections matched by their steps, not their headings ({})\n\n",
                self.sections_by_steps.len()
            ));
            for m in &self.sections_by_steps {
                out.push_str(&format!("- {} ← {} ({})\n", m.kept, m.merged, m.from));
            }
        }
    }

    /// What a writer must decide or confirm: conflicts, items without an
    /// owner, inferred owners, links to pages no copy has.
    fn markdown_to_decide(&self, out: &mut String) {
        out.push_str(&format!(
            "\n## Needs a decision ({})\n\n",
            self.conflicts.len()
        ));
        for c in &self.conflicts {
            out.push_str(&format!(
                "- [ ] {} — {}\n  - kept ({}): {}\n  - other ({}): {}\n",
                c.document,
                c.what,
                c.kept_from.join(", "),
                c.kept,
                c.other_from,
                c.other
            ));
        }
        out.push_str(&format!(
            "\n## Items without an owner ({})\n\n",
            self.items_without_owner.len()
        ));
        for item in &self.items_without_owner {
            out.push_str(&format!(
                "- [ ] `{}/{}`: {}\n",
                item.checklist, item.item, item.text
            ));
        }
        out.push_str(&format!(
            "\n## Inferred owners, to confirm ({})\n\nConfirm one by deleting the role from the item's `inferred` list; reject it by deleting it from `owners` too.\n\n",
            self.inferred_owners.len()
        ));
        for item in &self.inferred_owners {
            out.push_str(&format!(
                "- [ ] `{}/{}` {} — **{}** ({})\n",
                item.checklist, item.item, item.text, item.role, item.reason
            ));
        }
        out.push_str(&format!(
            "\n## Links to pages no copy contains ({})\n\n",
            self.missing_link_targets.len()
        ));
        for link in &self.missing_link_targets {
            out.push_str(&format!("- {} → `{}`\n", link.from, link.link));
        }
    }

    /// What went into the base, the merged wordings, and anything lost.
    fn markdown_merged(&self, out: &mut String) {
        if let Some(base) = &self.base {
            out.push_str(&format!(
                "\n## Merged into the base\n\nAdded {} items, {} sections, {} paragraphs, {} files; updated {} items.\n",
                base.added_items, base.added_sections, base.added_paragraphs, base.added_files, base.updated_items
            ));
            for deleted in &base.kept_deleted {
                out.push_str(&format!("- kept deleted: {deleted}\n"));
            }
        }
        out.push_str(&format!("\n## Merged wordings ({})\n\n", self.merges.len()));
        for m in &self.merges {
            out.push_str(&format!("- {} ← {} ({})\n", m.kept, m.merged, m.from));
        }
        if !self.lost.is_empty() {
            out.push_str("\n## Lost (a bug: please report it)\n\n");
            for lost in &self.lost {
                out.push_str(&format!("- {}: {}\n", lost.from, lost.text));
            }
        }
    }

    /// The human summary printed on stderr.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        self.summary_counts(&mut out);
        self.summary_owners(&mut out);
        self.summary_problems(&mut out);
        out
    }

    /// Copies, documents, counts, and the inputs' warnings.
    fn summary_counts(&self, out: &mut String) {
        out.push_str(&format!(
            "reconciled {} copies into {} documents\n",
            self.inputs.len(),
            self.documents.len()
        ));
        for doc in &self.documents {
            out.push_str(&format!(
                "  {} ← {} ({} sections)\n",
                doc.page,
                doc.sources.join(", "),
                doc.sections
            ));
        }
        let repairs: usize = self.inputs.iter().map(|i| i.repairs).sum();
        out.push_str(&format!(
            "sections in: {}, items in: {}, items out: {}, merges: {}\n",
            self.sections_in,
            self.items_in,
            self.items_out,
            self.merges.len()
        ));
        out.push_str(&format!(
            "text repairs: {repairs}; roles: {}; checklists: {}; release-note sections: {}\n",
            self.roles.len(),
            self.checklists.len(),
            self.release_note_sections.len()
        ));
        for input in &self.inputs {
            for warning in &input.warnings {
                out.push_str(&format!("warning: {warning}\n"));
            }
        }
    }

    /// Owners taken from a document's purpose, inferred, and missing.
    fn summary_owners(&self, out: &mut String) {
        let from_purpose = self
            .inferred_owners
            .iter()
            .filter(|i| i.reason == "the document's purpose")
            .count();
        out.push_str(&format!(
            "owners taken from a document's purpose: {from_purpose}\n"
        ));
        out.push_str(&format!(
            "owners inferred from responsibilities or a section's domain, to confirm: {}\n",
            self.inferred_owners.len() - from_purpose
        ));
        for item in self
            .inferred_owners
            .iter()
            .filter(|i| i.reason != "the document's purpose")
        {
            out.push_str(&format!(
                "  {}/{} → {} ({})\n",
                item.checklist, item.item, item.role, item.reason
            ));
        }
        out.push_str(&format!(
            "items without an owner: {}\n",
            self.items_without_owner.len()
        ));
        for item in &self.items_without_owner {
            out.push_str(&format!(
                "  {}/{}: {}\n",
                item.checklist, item.item, item.text
            ));
        }
    }

    /// Links to pages no copy has, conflicts, the base merge, and what was lost.
    fn summary_problems(&self, out: &mut String) {
        out.push_str(&format!(
            "links to pages no copy contains: {}\n",
            self.missing_link_targets.len()
        ));
        for link in &self.missing_link_targets {
            out.push_str(&format!("  {} → {}\n", link.from, link.link));
        }
        if !self.documents_by_content.is_empty() {
            out.push_str(&format!(
                "copies titled otherwise, one document by what they hold: {}\n",
                self.documents_by_content.len()
            ));
            for copy in &self.documents_by_content {
                out.push_str(&format!(
                    "  {} ← {} ({})\n",
                    copy.kept, copy.title, copy.from
                ));
            }
        }
        if !self.sections_by_steps.is_empty() {
            out.push_str(&format!(
                "sections matched by their steps, not their headings: {}\n",
                self.sections_by_steps.len()
            ));
            for m in &self.sections_by_steps {
                out.push_str(&format!("  {} ← {} ({})\n", m.kept, m.merged, m.from));
            }
        }
        out.push_str(&format!(
            "wording conflicts to review: {}\n",
            self.conflicts.len()
        ));
        if let Some(base) = &self.base {
            out.push_str(&format!(
                "merged into --base: added {} items, {} sections, {} paragraphs, {} files; updated {} items; kept deleted: {}\n",
                base.added_items,
                base.added_sections,
                base.added_paragraphs,
                base.added_files,
                base.updated_items,
                base.kept_deleted.len()
            ));
            for deleted in &base.kept_deleted {
                out.push_str(&format!("  kept deleted: {deleted}\n"));
            }
        }
        out.push_str(&format!("items lost: {}\n", self.lost.len()));
        for lost in &self.lost {
            out.push_str(&format!("  {}: {}\n", lost.from, lost.text));
        }
    }
}

/// A step that copies file under different groups of one checklist (one
/// copy's "Documentation", another's "Writing"): kept in both, for a writer
/// to choose. Steps are the same when their content words are; a step one
/// copy lists twice is that copy's choice and is not flagged.
fn steps_filed_twice(checklists: &[crate::checklist::Checklist]) -> Vec<Conflict> {
    let mut found = Vec::new();
    for checklist in checklists {
        let mut by_words: BTreeMap<Vec<String>, Vec<(&str, &crate::checklist::ChecklistItem)>> =
            BTreeMap::new();
        for group in &checklist.groups {
            for item in group.items.iter().filter(|i| i.reference.is_none()) {
                let mut words = super::text::item_tokens(&item.text);
                words.sort_unstable();
                if !words.is_empty() {
                    by_words
                        .entry(words)
                        .or_default()
                        .push((&group.title, item));
                }
            }
        }
        for steps in by_words.values() {
            let Some(&(first_group, first)) = steps.first() else {
                continue;
            };
            let elsewhere = steps[1..].iter().filter(|(group, item)| {
                *group != first_group && item.sources.iter().all(|s| !first.sources.contains(s))
            });
            for (group, item) in elsewhere {
                found.push(Conflict {
                    document: checklist.title.clone(),
                    what: format!("a step filed under two groups, \"{first_group}\" and \"{group}\" (kept in both)"),
                    kept: first.text.clone(),
                    kept_from: first.sources.clone(),
                    other: item.text.clone(),
                    other_from: item.sources.first().cloned().unwrap_or_default(),
                });
            }
        }
    }
    found
}

/// Text made safe for one cell of a Markdown table.
fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Items in the output: checklist items and list items left in pages.
fn items_out(merged: &[Doc], checklists: &Checklists) -> usize {
    let checklist_items: usize = checklists
        .checklists
        .iter()
        .flat_map(|c| &c.groups)
        .map(|g| g.items.len())
        .sum();
    let page_items: usize = merged
        .iter()
        .map(|d| d.sections.iter().map(count_mitems).sum::<usize>() + blocks_items(&d.preamble))
        .sum();
    checklist_items + page_items
}

fn count_sections(s: &Section) -> usize {
    1 + s.children.iter().map(count_sections).sum::<usize>()
}

fn count_msections(s: &MSection) -> usize {
    1 + s.children.iter().map(count_msections).sum::<usize>()
}

fn count_list(list: &List) -> usize {
    list.items
        .iter()
        .map(|i| 1 + i.children.as_ref().map_or(0, count_list))
        .sum()
}

fn count_mlist(list: &MList) -> usize {
    list.items
        .iter()
        .map(|i| 1 + i.children.as_ref().map_or(0, count_mlist))
        .sum()
}

fn blocks_items(blocks: &[MBlock]) -> usize {
    blocks
        .iter()
        .map(|b| {
            if let MBlock::List(l) = b {
                count_mlist(l)
            } else {
                0
            }
        })
        .sum()
}

fn count_mitems(s: &MSection) -> usize {
    blocks_items(&s.blocks) + s.children.iter().map(count_mitems).sum::<usize>()
}

fn variant_blocks(variant: &Variant) -> Vec<&Block> {
    fn walk<'v>(s: &'v Section, out: &mut Vec<&'v Block>) {
        out.extend(s.blocks.iter());
        for c in &s.children {
            walk(c, out);
        }
    }
    let mut out: Vec<&Block> = variant.preamble.iter().collect();
    for s in &variant.sections {
        walk(s, &mut out);
    }
    out
}

fn count_variant_items(variant: &Variant) -> usize {
    variant_blocks(variant)
        .iter()
        .map(|b| {
            if let Block::List(l) = b {
                count_list(l)
            } else {
                0
            }
        })
        .sum()
}

/// The items and headings of a copy that must be found in the written
/// files: all but those of a release-notes template, whose fields become
/// `release-notes.yaml`'s prompts in other words.
fn checked_units(variant: &Variant) -> Vec<(String, bool)> {
    fn list(items: &List, out: &mut Vec<(String, bool)>) {
        for item in &items.items {
            out.push((item.text.clone(), false));
            if let Some(children) = &item.children {
                list(children, out);
            }
        }
    }
    fn section(s: &Section, out: &mut Vec<(String, bool)>) {
        if s.heading.to_lowercase().contains("release note") {
            return;
        }
        out.push((s.heading.clone(), true));
        for block in &s.blocks {
            if let Block::List(l) = block {
                list(l, out);
            }
        }
        for c in &s.children {
            section(c, out);
        }
    }
    let mut out = Vec::new();
    for block in &variant.preamble {
        if let Block::List(l) = block {
            list(l, &mut out);
        }
    }
    for s in &variant.sections {
        section(s, &mut out);
    }
    out
}

/// Every list item's text in a copy, nested ones included.
pub fn variant_item_texts(variant: &Variant) -> Vec<String> {
    fn walk(list: &List, out: &mut Vec<String>) {
        for item in &list.items {
            out.push(item.text.clone());
            if let Some(children) = &item.children {
                walk(children, out);
            }
        }
    }
    let mut out = Vec::new();
    for block in variant_blocks(variant) {
        if let Block::List(list) = block {
            walk(list, &mut out);
        }
    }
    out
}

/// Every (copy, wording) a merged document holds, before anything is moved out of it.
pub fn accounted_items(docs: &[Doc]) -> BTreeSet<(String, String)> {
    fn walk(list: &MList, out: &mut BTreeSet<(String, String)>) {
        for item in &list.items {
            for (source, wording) in &item.wordings {
                out.insert((source.clone(), wording.clone()));
            }
            if let Some(children) = &item.children {
                walk(children, out);
            }
        }
    }
    fn section(s: &MSection, out: &mut BTreeSet<(String, String)>) {
        for block in &s.blocks {
            if let MBlock::List(l) = block {
                walk(l, out);
            }
        }
        for c in &s.children {
            section(c, out);
        }
    }
    let mut out = BTreeSet::new();
    for doc in docs {
        for block in &doc.preamble {
            if let MBlock::List(l) = block {
                walk(l, &mut out);
            }
        }
        for s in &doc.sections {
            section(s, &mut out);
        }
    }
    out
}

/// Relative links in the copies whose target is not among the output files.
fn missing_links(variants: &[Variant], files: &BTreeMap<String, String>) -> Vec<MissingLink> {
    let mut missing = BTreeSet::new();
    for variant in variants {
        let mut texts: Vec<String> = variant_item_texts(variant);
        for block in variant_blocks(variant) {
            if let Block::Text(t) = block {
                texts.push(t.clone());
            }
        }
        for text in texts {
            for link in link_targets(&text) {
                let path = link
                    .split('#')
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("./");
                if path.is_empty() || link.contains("://") || link.starts_with("mailto:") {
                    continue;
                }
                if !files.contains_key(path) {
                    missing.insert(MissingLink {
                        from: variant.name.clone(),
                        link: link.clone(),
                    });
                }
            }
        }
    }
    missing.into_iter().collect()
}

/// Destinations of inline links `[text](dest)` in Markdown.
fn link_targets(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new(markdown)
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_missing_from_the_written_files_is_lost() {
        let mut report = Report {
            units: vec![
                ("a".into(), "Warm the caches — **SRE**".into(), false),
                ("a".into(), "Run smoke tests (if needed)".into(), false),
            ],
            ..Report::default()
        };
        let files = BTreeMap::from([(
            "checklists/x.yaml".to_string(),
            "text: Run smoke tests\nowners: [sre]\n".to_string(),
        )]);
        report.verify_written(&files);
        assert_eq!(report.lost.len(), 1);
        assert_eq!(report.lost[0].text, "Warm the caches — **SRE**");
        assert!(report.summary().contains("items lost: 1"));
    }

    fn inferred(reason: &str) -> InferredRef {
        InferredRef {
            checklist: "deploy".into(),
            item: "warm".into(),
            text: "Warm the caches".into(),
            role: "sre".into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn the_markdown_review_keeps_table_cells_whole_and_shows_lost_only_when_there_is_some() {
        let mut report = Report {
            inputs: vec![InputReport {
                file: "a|b.md".into(),
                name: "a".into(),
                title: "Two\nlines".into(),
                sections: 1,
                items: 2,
                repairs: 0,
                warnings: vec!["odd | bytes".into()],
            }],
            ..Report::default()
        };
        let review = report.markdown();
        assert!(
            review.contains("| a\\|b.md | Two lines | 2 | 0 | odd \\| bytes |\n"),
            "{review}"
        );
        assert!(!review.contains("## Lost"), "{review}");
        assert!(!review.contains("## Merged into the base"), "{review}");
        report.lost.push(LostItem {
            from: "a".into(),
            text: "Warm the caches".into(),
        });
        report.base = Some(super::super::base::BaseSummary {
            kept_deleted: vec!["deploy/freeze: Freeze".into()],
            ..Default::default()
        });
        let review = report.markdown();
        assert!(
            review.ends_with("## Lost (a bug: please report it)\n\n- a: Warm the caches\n"),
            "{review}"
        );
        assert!(
            review.contains("- kept deleted: deploy/freeze: Freeze\n\n## Merged wordings (0)"),
            "{review}"
        );
    }

    #[test]
    fn the_summary_counts_owners_from_a_documents_purpose_apart_and_lists_only_the_guesses() {
        let report = Report {
            inferred_owners: vec![
                inferred("the document's purpose"),
                inferred("responsibility: caches"),
            ],
            ..Report::default()
        };
        let summary = report.summary();
        assert!(summary.contains(
            "owners taken from a document's purpose: 1\nowners inferred from responsibilities or a section's domain, to confirm: 1\n  deploy/warm → sre (responsibility: caches)\nitems without an owner: 0\n"
        ), "{summary}");
        assert!(
            summary.ends_with("wording conflicts to review: 0\nitems lost: 0\n"),
            "{summary}"
        );
    }
}
