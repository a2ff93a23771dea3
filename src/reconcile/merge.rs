//! Merge the parsed copies of one document into one: sections aligned by
//! normalised heading, list items that say the same thing merged into one
//! (owners, conditions and provenance united), everything else kept, in an
//! order that respects every copy as far as it can.

use super::text::{
    abbreviation_candidate, analyse_item, item_tokens, normalise_heading, owner_tag, same_analysed,
    similarity, split_timing, ItemText,
};
use super::variant::{Block, Item, List, Section, Variant};

/// One merged document.
#[derive(Debug, Clone)]
pub struct Doc {
    pub title: String,
    /// The level-1 heading the page shows when it is not the title (the
    /// first copy's, see [`Variant::heading`]).
    pub heading: Option<String>,
    /// Names of the copies merged into it, in merge order.
    pub sources: Vec<String>,
    /// The copies' file names, in merge order.
    pub files: Vec<String>,
    /// The output page's file name (chosen once every document is merged).
    pub page: String,
    /// Front-matter keys of the copies other than `title`; the first copy's value wins.
    pub front_matter: Vec<(String, serde_norway::Value)>,
    pub preamble: Vec<MBlock>,
    pub sections: Vec<MSection>,
    /// (a copy's heading as written, the kept heading it merged into, without
    /// timing) for headings merged under another wording: links to the
    /// copy's anchor must lead to the kept one.
    pub merged_headings: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct MSection {
    /// The heading without its timing, as the first copy wrote it.
    pub heading: String,
    pub timing: Option<String>,
    pub level: u8,
    pub sources: Vec<String>,
    pub blocks: Vec<MBlock>,
    pub children: Vec<MSection>,
}

#[derive(Debug, Clone)]
pub enum MBlock {
    Text {
        markdown: String,
        sources: Vec<String>,
        alternatives: Vec<(String, String)>,
    },
    List(MList),
    Code {
        markdown: String,
        info: String,
        code: String,
        sources: Vec<String>,
    },
}

#[derive(Debug, Clone)]
pub struct MList {
    pub ordered: bool,
    pub items: Vec<MItem>,
}

#[derive(Debug, Clone)]
pub struct MItem {
    /// The wording kept, as written (owners and conditions included).
    pub raw: String,
    /// The wording kept, analysed (owners and conditions split off).
    pub analysed: ItemText,
    /// [`item_tokens`] of `analysed.text`, kept up to date by the merge.
    pub tokens: Vec<String>,
    /// Whether any copy made it a task-list item.
    pub task: bool,
    pub sources: Vec<String>,
    /// Every wording any copy used, with its copy, for the report.
    pub wordings: Vec<(String, String)>,
    pub children: Option<MList>,
}

/// What a merge decided that a writer may want to review.
#[derive(Debug, Default, Clone)]
pub struct MergeLog {
    /// (document, item kept, item merged into it, copy)
    pub merges: Vec<(String, String, String, String)>,
    /// (document, heading kept, a copy's other heading for it, copy): sections
    /// matched by the steps they share, not by their headings.
    pub sections_by_steps: Vec<(String, String, String, String)>,
    /// (title kept, a copy's other title, copy): copies titled otherwise
    /// that are one document by what they hold.
    pub documents_by_content: Vec<(String, String, String)>,
    pub conflicts: Vec<Conflict>,
}

/// Two copies that say one thing differently: both texts in full, with sources.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    pub document: String,
    /// What differs: "wording of an item", "timing of \"Deploy\"", ...
    pub what: String,
    /// The text the output keeps, and the copies it came from.
    pub kept: String,
    pub kept_from: Vec<String>,
    /// The other copy's text, and that copy.
    pub other: String,
    pub other_from: String,
}

/// Merge copies of one document. The richest copy is the base, so its order
/// wins where copies disagree; the others are merged in name order.
pub fn merge_document(mut copies: Vec<&Variant>, log: &mut MergeLog) -> Doc {
    copies.sort_by(|a, b| {
        richness(b)
            .cmp(&richness(a))
            .then_with(|| a.name.cmp(&b.name))
    });
    let mut doc = Doc {
        title: String::new(),
        heading: None,
        sources: Vec::new(),
        files: Vec::new(),
        page: String::new(),
        front_matter: Vec::new(),
        preamble: Vec::new(),
        sections: Vec::new(),
        merged_headings: Vec::new(),
    };
    // What any copy has at the top: another copy's subsection that means one
    // of these moves up to it, whichever copy is merged first.
    let tops_of = |copy: &Variant| -> Vec<String> {
        copy.sections
            .iter()
            .map(|s| heading_meaning(&s.heading))
            .collect()
    };
    let every_top: Vec<(String, Vec<String>)> = copies
        .iter()
        .map(|c| (c.name.clone(), tops_of(c)))
        .collect();
    for copy in copies {
        if doc.sources.is_empty() {
            doc.title = copy.title.clone();
            doc.heading = copy.heading.clone();
        }
        doc.sources.push(copy.name.clone());
        doc.files.push(copy.file.clone());
        merge_front_matter(&mut doc, copy, log);
        let mut merger = Merger {
            source: &copy.name,
            doc_title: doc.title.clone(),
            log,
            merged_headings: Vec::new(),
        };
        merger.merge_blocks(&mut doc.preamble, &copy.preamble);
        let mut top: Vec<String> = doc
            .sections
            .iter()
            .map(|s| heading_meaning(&s.heading))
            .collect();
        // Another copy's: one copy's own nesting is its writer's choice.
        top.extend(
            every_top
                .iter()
                .filter(|(name, _)| *name != copy.name)
                .flat_map(|(_, tops)| tops.iter().cloned()),
        );
        let sections = hoist(copy.sections.clone(), &top);
        merger.merge_sections(&mut doc.sections, &sections);
        doc.merged_headings.append(&mut merger.merged_headings);
    }
    doc
}

/// A copy's front-matter keys into the document's: the first copy's value
/// wins, another value is a conflict to review.
fn merge_front_matter(doc: &mut Doc, copy: &Variant, log: &mut MergeLog) {
    let yaml = |value: &serde_norway::Value| {
        serde_norway::to_string(value)
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    for (key, value) in &copy.front_matter {
        match doc.front_matter.iter().find(|(k, _)| k == key) {
            None => doc.front_matter.push((key.clone(), value.clone())),
            Some((_, kept)) if kept != value => log.conflicts.push(Conflict {
                document: doc.title.clone(),
                what: format!("front matter `{key}`"),
                kept: yaml(kept),
                kept_from: doc.sources[..1].to_vec(),
                other: yaml(value),
                other_from: copy.name.clone(),
            }),
            Some(_) => {}
        }
    }
}

/// Words of a heading that say what kind of section it is, not what it is
/// about: "Pre-Release Checks" and "Pre-release requirements" are one section.
const GENERIC_HEADING_WORDS: &str = "check checks checklist checklists step steps requirement \
    requirements task tasks process procedure procedures phase stage activities items list \
    overview guide guidelines";

/// Words of a heading about roles that add nothing to "roles".
const ROLE_HEADING_WORDS: [&str; 8] = [
    "roles",
    "role",
    "and",
    "responsibilities",
    "responsibility",
    "team",
    "key",
    "the",
];

/// A heading reduced to what it is about (see [`GENERIC_HEADING_WORDS`]);
/// all its words when nothing else is left.
pub fn heading_meaning(heading: &str) -> String {
    let (base, _) = split_timing(heading);
    let normal = normalise_heading(&base);
    let kept: Vec<&str> = normal
        .split(' ')
        .filter(|w| !GENERIC_HEADING_WORDS.split_whitespace().any(|g| g == *w))
        .collect();
    // "Roles", "Roles and Responsibilities", "Team Roles": one section.
    if about_roles(&base) && kept.iter().all(|w| ROLE_HEADING_WORDS.contains(w)) {
        return "roles".to_string();
    }
    if kept.is_empty() {
        normal
    } else {
        kept.join(" ")
    }
}

/// A copy's subsection that means the same as one of the document's
/// top-level sections ("### Pre-Release Checks" under "## Purpose" for
/// "## Pre-release requirements") moves up to follow its parent, so it
/// aligns whatever level the copy gave it. So does a subsection of steps
/// under a roles section: a roles section never becomes a checklist.
fn hoist(sections: Vec<Section>, top: &[String]) -> Vec<Section> {
    let mut out = Vec::with_capacity(sections.len());
    for mut section in sections {
        let own = heading_meaning(&section.heading);
        let mut lifted = Vec::new();
        lift(&mut section, &own, top, &mut lifted);
        out.push(section);
        out.extend(hoist(lifted, top));
    }
    out
}

fn lift(section: &mut Section, own: &str, top: &[String], lifted: &mut Vec<Section>) {
    let children = std::mem::take(&mut section.children);
    let under_roles = about_roles(&section.heading);
    for mut child in children {
        let meaning = heading_meaning(&child.heading);
        // A bare "Checklist" or "Steps" means only what its parent means.
        let specific = !normalise_heading(&child.heading)
            .split(' ')
            .all(|w| GENERIC_HEADING_WORDS.split_whitespace().any(|g| g == w));
        if (specific && meaning != own && top.contains(&meaning))
            || (under_roles && child.has_tasks() && !super::roles::looks_like_role(&child.heading))
        {
            lifted.push(child);
        } else {
            lift(&mut child, own, top, lifted);
            section.children.push(child);
        }
    }
}

/// Whether a heading is about roles ("Roles", "Roles and Responsibilities").
pub fn about_roles(heading: &str) -> bool {
    heading
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with("role") || w.starts_with("responsibilit"))
}

/// How much a copy holds: items first, then sections.
fn richness(v: &Variant) -> (usize, usize) {
    let items: usize = v.sections.iter().map(count_items).sum();
    let sections: usize = v.sections.iter().map(count_sections).sum();
    (items, sections)
}

fn count_items(s: &Section) -> usize {
    s.all_items().len()
}

fn count_sections(s: &Section) -> usize {
    1 + s.children.iter().map(count_sections).sum::<usize>()
}

struct Merger<'a> {
    source: &'a str,
    doc_title: String,
    log: &'a mut MergeLog,
    merged_headings: Vec<(String, String)>,
}

impl Merger<'_> {
    fn merge_sections(&mut self, base: &mut Vec<MSection>, others: &[Section]) {
        let mut anchor: Option<usize> = None;
        let mut index = BaseIndex::of(base);
        for other in others {
            let (heading, timing) = split_timing(&other.heading);
            let key = normalise_heading(&heading);
            let meaning = heading_meaning(&heading);
            let found = index
                .keys
                .iter()
                .position(|k| *k == key)
                .or_else(|| index.meanings.iter().position(|m| *m == meaning))
                .or_else(|| {
                    let index = same_steps(base, other, self.source, &mut index)?;
                    self.log.sections_by_steps.push((
                        self.doc_title.clone(),
                        base[index].heading.clone(),
                        other.heading.clone(),
                        self.source.to_string(),
                    ));
                    Some(index)
                });
            let index = match found {
                Some(i) => i,
                None => {
                    // After the last section this copy shares with the base, so
                    // the copy's own order is kept around it.
                    let at = anchor.map_or(0, |a| a + 1).min(base.len());
                    index.insert(at, &heading);
                    base.insert(
                        at,
                        MSection {
                            heading: heading.clone(),
                            timing: None,
                            level: other.level,
                            sources: Vec::new(),
                            blocks: Vec::new(),
                            children: Vec::new(),
                        },
                    );
                    at
                }
            };
            let section = &mut base[index];
            let written = other.written.as_ref().unwrap_or(&other.heading);
            if section.heading != heading
                || other.written.is_some()
                || (timing.is_some() && timing != section.timing)
            {
                self.merged_headings
                    .push((written.clone(), section.heading.clone()));
            }
            if section.timing.is_none() {
                section.timing = timing;
            } else if timing.is_some() && timing != section.timing {
                self.log.conflicts.push(Conflict {
                    document: self.doc_title.clone(),
                    what: format!("timing of \"{}\"", section.heading),
                    kept: section.timing.clone().unwrap_or_default(),
                    kept_from: section.sources.clone(),
                    other: timing.unwrap_or_default(),
                    other_from: self.source.to_string(),
                });
            }
            push_source(&mut section.sources, self.source);
            self.merge_sections(&mut section.children, &other.children);
            self.merge_blocks_into_subtree(section, &other.blocks);
            anchor = Some(index);
        }
    }

    /// Merge a copy's blocks into a section. A section nobody has written
    /// blocks or items into yet takes the copy's blocks as they are.
    /// Otherwise paragraphs match paragraphs, and list items match items
    /// anywhere in the section and its subsections (one copy may keep a flat
    /// list where another has sub-headings); what matches nothing goes right
    /// after the last thing of this copy that matched.
    fn merge_blocks_into_subtree(&mut self, section: &mut MSection, blocks: &[Block]) {
        if section.blocks.is_empty() && !has_items(section) {
            section.blocks = blocks.iter().map(|b| self.fresh_block(b)).collect();
            return;
        }
        let mut anchor = Anchor::Start;
        for block in blocks {
            match block {
                Block::List(list) => {
                    for item in &list.items {
                        anchor =
                            Anchor::Item(self.merge_item(section, list.ordered, item, &anchor));
                    }
                }
                other => {
                    anchor =
                        Anchor::Block(self.merge_text_block(&mut section.blocks, other, &anchor))
                }
            }
        }
    }

    fn merge_blocks(&mut self, base: &mut Vec<MBlock>, blocks: &[Block]) {
        let mut wrapper = MSection {
            heading: String::new(),
            timing: None,
            level: 0,
            sources: Vec::new(),
            blocks: std::mem::take(base),
            children: Vec::new(),
        };
        self.merge_blocks_into_subtree(&mut wrapper, blocks);
        *base = wrapper.blocks;
    }

    /// A block of this copy, as it is.
    fn fresh_block(&self, block: &Block) -> MBlock {
        match block {
            Block::Text(markdown) => MBlock::Text {
                markdown: markdown.clone(),
                sources: vec![self.source.to_string()],
                alternatives: Vec::new(),
            },
            Block::Code {
                markdown,
                info,
                code,
            } => MBlock::Code {
                markdown: markdown.clone(),
                info: info.clone(),
                code: code.clone(),
                sources: vec![self.source.to_string()],
            },
            Block::List(list) => MBlock::List(to_mlist(list, self.source)),
        }
    }

    /// Merge a paragraph or code block: an equal or near-equal block is the
    /// same block (the longer wording is kept); anything else is added after
    /// the anchor. Returns the block's index in the section's own blocks.
    fn merge_text_block(
        &mut self,
        base: &mut Vec<MBlock>,
        block: &Block,
        anchor: &Anchor,
    ) -> usize {
        let (markdown, tokens) = match block {
            Block::Text(m) => (m.clone(), item_tokens(m)),
            Block::Code { markdown, .. } => (markdown.clone(), item_tokens(markdown)),
            Block::List(_) => return 0,
        };
        let found = base.iter().position(|b| match (b, block) {
            (MBlock::Text { markdown: m, .. }, Block::Text(_)) => {
                *m == markdown || similarity(&item_tokens(m), &tokens) >= 0.6
            }
            (MBlock::Code { markdown: m, .. }, Block::Code { .. }) => {
                *m == markdown || similarity(&item_tokens(m), &tokens) >= 0.6
            }
            _ => false,
        });
        if let Some(i) = found {
            self.merge_into_text(&mut base[i], markdown);
            return i;
        }
        let at = match anchor {
            Anchor::Block(i) => i + 1,
            Anchor::Item(slot) if slot.path.is_empty() => slot.block + 1,
            Anchor::Item(_) => base.len(),
            Anchor::Start => 0,
        }
        .min(base.len());
        base.insert(at, self.fresh_block(block));
        at
    }

    fn merge_into_text(&mut self, kept_block: &mut MBlock, markdown: String) {
        match kept_block {
            MBlock::Text {
                markdown: kept,
                sources,
                alternatives,
            } => {
                if *kept != markdown {
                    let (kept_from, other, other_from);
                    if markdown.len() > kept.len() {
                        let old = std::mem::replace(kept, markdown.clone());
                        let first = sources.first().cloned().unwrap_or_default();
                        alternatives.push((first.clone(), old.clone()));
                        (kept_from, other, other_from) =
                            (vec![self.source.to_string()], old, first);
                    } else {
                        alternatives.push((self.source.to_string(), markdown.clone()));
                        (kept_from, other, other_from) =
                            (sources.clone(), markdown, self.source.to_string());
                    }
                    let already = self.log.conflicts.iter().any(|c| c.other == other);
                    if !already
                        && item_tokens(&other)
                            .iter()
                            .any(|t| !item_tokens(kept).contains(t))
                    {
                        self.log.conflicts.push(Conflict {
                            document: self.doc_title.clone(),
                            what: "wording of a paragraph (the longer is kept)".into(),
                            kept: kept.clone(),
                            kept_from,
                            other,
                            other_from,
                        });
                    }
                }
                push_source(sources, self.source);
            }
            MBlock::Code {
                markdown: kept,
                sources,
                ..
            } => {
                if *kept != markdown && markdown.len() > kept.len() {
                    *kept = markdown;
                }
                push_source(sources, self.source);
            }
            MBlock::List(_) => {}
        }
    }

    /// Merge one list item into the section's subtree; returns where it is.
    fn merge_item(
        &mut self,
        section: &mut MSection,
        ordered: bool,
        item: &Item,
        anchor: &Anchor,
    ) -> ItemSlot {
        let analysed = analyse_item(&item.text);
        if let Some(slots) = self.compound(section, &analysed) {
            // "Deploy to staging and run smoke tests" covers two items: both get its owners.
            for (slot, half) in &slots {
                let kept = slot_item(section, slot);
                let conflict = merge_into(kept, half.clone(), item, self.source);
                let kept_text = kept.analysed.text.clone();
                self.log_conflict(conflict);
                self.log.merges.push((
                    self.doc_title.clone(),
                    kept_text,
                    item.text.clone(),
                    self.source.to_string(),
                ));
            }
            return slots[slots.len() - 1].0.clone();
        }
        if let Some(slot) = find_item(section, &analysed.text, self.source, &[]) {
            let source = self.source.to_string();
            let kept = slot_item(section, &slot);
            let (before_raw, before_text) = (kept.raw.clone(), kept.analysed.text.clone());
            let before_source = kept.sources.first().cloned().unwrap_or_default();
            let conflict = merge_into(kept, analysed, item, &source);
            let kept_text = kept.analysed.text.clone();
            // When this copy's wording wins, the one it replaced is the merged one.
            let (merged, from) = if kept_text == before_text {
                (item.text.clone(), source)
            } else {
                (before_raw, before_source)
            };
            self.log
                .merges
                .push((self.doc_title.clone(), kept_text, merged, from));
            self.log_conflict(conflict);
            return slot;
        }
        let new = new_item(analysed, item, self.source);
        insert_item(section, ordered, new, anchor)
    }
}

impl Merger<'_> {
    fn log_conflict(&mut self, conflicts: Vec<WordingConflict>) {
        for c in conflicts {
            self.log.conflicts.push(Conflict {
                document: self.doc_title.clone(),
                what: c.what.to_string(),
                kept: c.kept,
                kept_from: c.kept_from,
                other: c.other,
                other_from: c.other_from,
            });
        }
    }

    /// An item made of two clauses joined by "and", each the same as a
    /// different item of the section: the slots of both, with the clause
    /// each matched (owners, types and conditions of the whole on both).
    fn compound(
        &self,
        section: &MSection,
        analysed: &ItemText,
    ) -> Option<Vec<(ItemSlot, ItemText)>> {
        let text = &analysed.text;
        for (at, _) in text.match_indices(" and ") {
            let left = text[..at].trim();
            let right = capitalise(text[at + 5..].trim());
            if item_tokens(left).len() < 2 || item_tokens(&right).len() < 2 {
                continue;
            }
            let first = find_item(section, left, self.source, &[]);
            let second = find_item(section, &right, self.source, &[]);
            if let (Some(a), Some(b)) = (first, second) {
                if a != b {
                    let half = |t: &str| ItemText {
                        text: t.to_string(),
                        ..analysed.clone()
                    };
                    return Some(vec![(a, half(left)), (b, half(&right))]);
                }
            }
        }
        None
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Something two copies say differently about one item that a writer must
/// decide: words that could not all be kept, or optional in one copy only.
struct WordingConflict {
    what: &'static str,
    kept: String,
    kept_from: Vec<String>,
    other: String,
    other_from: String,
}

/// The lead wording with every clause of `other` whose words it mostly
/// lacks added ("Triage root cause" + "capture action items"), and whether
/// every word of `other` is now in it.
fn add_missing_clauses(lead: &str, other: &str) -> (String, bool) {
    let mut out = lead.trim_end_matches('.').to_string();
    let mut clauses = vec![other.to_string()];
    for sep in [" and ", "; ", ", "] {
        clauses = clauses
            .iter()
            .flat_map(|c| c.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    for clause in clauses {
        let have = item_tokens(&out);
        let tokens = item_tokens(&clause);
        let missing = tokens.iter().filter(|t| !have.contains(t)).count();
        if !tokens.is_empty() && missing * 2 > tokens.len() {
            let clause = clause.trim().trim_end_matches('.');
            let mut chars = clause.chars();
            let lowered: String = chars
                .next()
                .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect());
            out.push_str(" and ");
            out.push_str(&lowered);
        }
    }
    let have = item_tokens(&out);
    let complete = item_tokens(other).iter().all(|t| have.contains(t));
    (out, complete)
}

/// Where the last block or item of the copy being merged went.
#[derive(Debug, Clone)]
enum Anchor {
    Start,
    /// An index in the section's own blocks.
    Block(usize),
    Item(ItemSlot),
}

/// Steps a copy's section must share with a base section to be the same
/// section under another heading ("QA" and "Quality Assurance").
const SHARED_STEPS_MIN: usize = 2;

/// The base section, not yet holding this copy, that lists most of the
/// steps `other` lists (at least three in five of them, and half of its
/// own): the same section, whatever either heading says.
fn same_steps(
    base: &[MSection],
    other: &Section,
    source: &str,
    index: &mut BaseIndex,
) -> Option<usize> {
    let steps: Vec<(String, Vec<String>)> = other
        .all_items()
        .iter()
        .map(|item| {
            let text = analyse_item(&item.text).text;
            let tokens = match_tokens(&text);
            (text, tokens)
        })
        .collect();
    if steps.len() < SHARED_STEPS_MIN {
        return None;
    }
    let found = most_shared(base, &steps, source, index.candidates(base, &steps));
    // Tests run debug builds: there the index is held to a look at every section.
    debug_assert_eq!(found, most_shared(base, &steps, source, 0..base.len()));
    found
}

/// Of the base sections `at`, not yet holding `source`, the one sharing
/// the most `steps` (enough of them, see [`same_steps`]).
fn most_shared(
    base: &[MSection],
    steps: &[(String, Vec<String>)],
    source: &str,
    at: impl IntoIterator<Item = usize>,
) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for section_at in at {
        let section = &base[section_at];
        if section.sources.iter().any(|s| s == source) {
            continue;
        }
        let mut kept = Vec::new();
        section_items(section, &mut kept);
        let shared = steps
            .iter()
            .filter(|(text, tokens)| {
                kept.iter()
                    .any(|k| same_analysed(&k.analysed.text, &k.tokens, text, tokens))
            })
            .count();
        let enough =
            shared >= SHARED_STEPS_MIN && shared * 5 >= steps.len() * 3 && shared * 2 >= kept.len();
        if enough && best.is_none_or(|(_, most)| shared > most) {
            best = Some((section_at, shared));
        }
    }
    best.map(|(at, _)| at)
}

/// What [`Merger::merge_sections`] finds base sections by, made once per
/// call instead of once per section of the copy: each heading's key and
/// meaning, and (when a section must be found by its steps) which sections
/// list a step with each token. A section this copy has merged into is
/// never looked up by its steps again, so the index needs no update but
/// the shift of an insert.
struct BaseIndex {
    keys: Vec<String>,
    meanings: Vec<String>,
    by_token: Option<std::collections::HashMap<String, Vec<usize>>>,
}

impl BaseIndex {
    fn of(base: &[MSection]) -> BaseIndex {
        BaseIndex {
            keys: base.iter().map(|s| normalise_heading(&s.heading)).collect(),
            meanings: base.iter().map(|s| heading_meaning(&s.heading)).collect(),
            by_token: None,
        }
    }

    /// A new section at `at`.
    fn insert(&mut self, at: usize, heading: &str) {
        self.keys.insert(at, normalise_heading(heading));
        self.meanings.insert(at, heading_meaning(heading));
        for postings in self.by_token.iter_mut().flat_map(|t| t.values_mut()) {
            postings
                .iter_mut()
                .filter(|i| **i >= at)
                .for_each(|i| *i += 1);
        }
    }

    /// The base sections that could share enough of `steps`, in order: a
    /// shared step shares a token (or, without any, its whole text).
    fn candidates(&mut self, base: &[MSection], steps: &[(String, Vec<String>)]) -> Vec<usize> {
        if steps.iter().any(|(_, tokens)| tokens.is_empty()) {
            return (0..base.len()).collect();
        }
        let by_token = self.by_token.get_or_insert_with(|| {
            let mut by_token: std::collections::HashMap<String, Vec<usize>> =
                std::collections::HashMap::new();
            for (at, section) in base.iter().enumerate() {
                let mut items = Vec::new();
                section_items(section, &mut items);
                for token in items.iter().flat_map(|i| &i.tokens) {
                    let postings = by_token.entry(token.clone()).or_default();
                    if postings.last() != Some(&at) {
                        postings.push(at);
                    }
                }
            }
            by_token
        });
        let mut hits: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for (_, tokens) in steps {
            let mut sections: Vec<usize> = tokens
                .iter()
                .filter_map(|t| by_token.get(t))
                .flatten()
                .copied()
                .collect();
            sections.sort_unstable();
            sections.dedup();
            for at in sections {
                *hits.entry(at).or_default() += 1;
            }
        }
        hits.into_iter()
            .filter(|&(_, n)| n >= SHARED_STEPS_MIN && n * 5 >= steps.len() * 3)
            .map(|(at, _)| at)
            .collect()
    }
}

/// The items of a merged section's lists and its subsections' (as
/// [`Section::all_items`] counts a copy's: nested items not apart).
fn section_items<'s>(section: &'s MSection, out: &mut Vec<&'s MItem>) {
    for block in &section.blocks {
        if let MBlock::List(list) = block {
            out.extend(&list.items);
        }
    }
    for child in &section.children {
        section_items(child, out);
    }
}

/// Whether a section or any subsection holds list items.
fn has_items(section: &MSection) -> bool {
    section
        .blocks
        .iter()
        .any(|b| matches!(b, MBlock::List(l) if !l.items.is_empty()))
        || section.children.iter().any(has_items)
}

/// Where an item sits: the path of child-section indexes, the block index
/// of its list, and its index in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ItemSlot {
    path: Vec<usize>,
    block: usize,
    index: usize,
}

fn section_at<'s>(section: &'s mut MSection, path: &[usize]) -> &'s mut MSection {
    let mut current = section;
    for &i in path {
        current = &mut current.children[i];
    }
    current
}

fn slot_item<'s>(section: &'s mut MSection, slot: &ItemSlot) -> &'s mut MItem {
    let target = section_at(section, &slot.path);
    match &mut target.blocks[slot.block] {
        MBlock::List(list) => &mut list.items[slot.index],
        _ => unreachable!("an item slot always points at a list"),
    }
}

/// The first item in the subtree that says the same as `text` and is not
/// already taken by this copy (one copy's two items never merge).
fn find_item(section: &MSection, text: &str, source: &str, path: &[usize]) -> Option<ItemSlot> {
    find_item_by(section, text, &match_tokens(text), source, path)
}

fn find_item_by(
    section: &MSection,
    text: &str,
    tokens: &[String],
    source: &str,
    path: &[usize],
) -> Option<ItemSlot> {
    for (b, block) in section.blocks.iter().enumerate() {
        if let MBlock::List(list) = block {
            let found = list.items.iter().position(|it| {
                !it.sources.iter().any(|s| s == source)
                    && (same_analysed(&it.analysed.text, &it.tokens, text, tokens)
                        || leads(&it.analysed.text, tokens)
                        || leads(text, &it.tokens))
            });
            if let Some(i) = found {
                return Some(ItemSlot {
                    path: path.to_vec(),
                    block: b,
                    index: i,
                });
            }
        }
    }
    for (c, child) in section.children.iter().enumerate() {
        let mut child_path = path.to_vec();
        child_path.push(c);
        if let Some(slot) = find_item_by(child, text, tokens, source, &child_path) {
            return Some(slot);
        }
    }
    None
}

fn new_item(analysed: ItemText, item: &Item, source: &str) -> MItem {
    MItem {
        raw: item.text.clone(),
        tokens: match_tokens(&analysed.text),
        analysed,
        task: item.task.is_some(),
        sources: vec![source.to_string()],
        wordings: vec![(source.to_string(), item.text.clone())],
        children: item.children.as_ref().map(|l| to_mlist(l, source)),
    }
}

fn to_mlist(list: &List, source: &str) -> MList {
    MList {
        ordered: list.ordered,
        items: list
            .items
            .iter()
            .map(|i| new_item(analyse_item(&i.text), i, source))
            .collect(),
    }
}

/// Put a new item after the anchor: after the anchor item in its list, or
/// at the start of a list that directly follows the anchor block, or in a
/// new list of the section's own.
fn insert_item(section: &mut MSection, ordered: bool, item: MItem, anchor: &Anchor) -> ItemSlot {
    let at_block = match anchor {
        Anchor::Item(slot) => {
            let target = section_at(section, &slot.path);
            if let Some(MBlock::List(list)) = target.blocks.get_mut(slot.block) {
                let index = (slot.index + 1).min(list.items.len());
                list.items.insert(index, item);
                return ItemSlot {
                    index,
                    ..slot.clone()
                };
            }
            section.blocks.len()
        }
        Anchor::Block(i) => i + 1,
        Anchor::Start => 0,
    }
    .min(section.blocks.len());
    if let Some(MBlock::List(list)) = section.blocks.get_mut(at_block) {
        list.items.insert(0, item);
        return ItemSlot {
            path: Vec::new(),
            block: at_block,
            index: 0,
        };
    }
    section.blocks.insert(
        at_block,
        MBlock::List(MList {
            ordered,
            items: vec![item],
        }),
    );
    ItemSlot {
        path: Vec::new(),
        block: at_block,
        index: 0,
    }
}

/// Unite what a copy says about an item with what is kept. No word is
/// lost: the wording that says more leads, and clauses only the other has
/// are added to it; what still cannot be kept is returned as a conflict
/// for the report.
fn merge_into(
    kept: &mut MItem,
    other: ItemText,
    item: &Item,
    source: &str,
) -> Vec<WordingConflict> {
    kept.task |= item.task.is_some();
    let kept_from = kept.sources.clone();
    push_source(&mut kept.sources, source);
    kept.wordings.push((source.to_string(), item.text.clone()));
    // A final "(RM)" is an owner not yet known: the wordings are compared
    // and combined without it, and it ends the result again.
    let mut other = other;
    let kept_abbreviation = take_abbreviation(&mut kept.analysed.text);
    let other_abbreviation = take_abbreviation(&mut other.text);
    let mut conflicts: Vec<WordingConflict> = merge_wording(kept, &other, item, source, &kept_from)
        .into_iter()
        .collect();
    for owner in std::mem::take(&mut other.owners) {
        if !kept.analysed.owners.contains(&owner) {
            kept.analysed.owners.push(owner);
        }
    }
    if let Some(abbreviation) = kept_abbreviation.or(other_abbreviation) {
        kept.analysed.text = with_abbreviation(&kept.analysed.text, &abbreviation);
    }
    kept.tokens = match_tokens(&kept.analysed.text);
    name_every_owner(kept);
    conflicts.extend(optional_conflict(
        &kept.analysed,
        &other,
        &kept_from,
        source,
    ));
    merge_conditions(&mut kept.analysed, other);
    if let Some(children) = &item.children {
        conflicts.extend(merge_children(kept, children, source));
    }
    conflicts
}

/// A final "(RM)" cut off `text`, if it ends so.
fn take_abbreviation(text: &mut String) -> Option<String> {
    abbreviation_candidate(text).map(|(abbreviation, rest)| {
        *text = rest;
        abbreviation
    })
}

/// The kept wording, given what the copy's wording adds: the copy's when
/// only it has words of its own, the longer with the other's clauses when
/// both have; a conflict when words still could not be kept.
fn merge_wording(
    kept: &mut MItem,
    other: &ItemText,
    item: &Item,
    source: &str,
    kept_from: &[String],
) -> Option<WordingConflict> {
    let kept_tokens = item_tokens(&kept.analysed.text);
    let other_tokens = item_tokens(&other.text);
    let other_adds = other_tokens.iter().any(|t| !kept_tokens.contains(t));
    let kept_adds = kept_tokens.iter().any(|t| !other_tokens.contains(t));
    if other_adds && !kept_adds {
        kept.analysed.text = other.text.clone();
        kept.raw = item.text.clone();
    } else if other_adds {
        // Both have words of their own: the longer leads, the other's clauses join it.
        let other_leads = other_tokens.len() > kept_tokens.len();
        return combine_wordings(kept, other, item, source, kept_from, other_leads);
    } else if kept.analysed.owners.is_empty() && !other.owners.is_empty() {
        // This copy names who does it: show that in prose, without losing
        // the kept wording's own words.
        if !kept_adds {
            kept.raw = item.text.clone();
        }
    }
    None
}

/// Both wordings have words of their own: the leading one (the copy's when
/// `other_leads`) with the other's missing clauses added.
fn combine_wordings(
    kept: &mut MItem,
    other: &ItemText,
    item: &Item,
    source: &str,
    kept_from: &[String],
    other_leads: bool,
) -> Option<WordingConflict> {
    let before = kept.analysed.text.clone();
    let (lead, lead_raw, rest) = if other_leads {
        (other.text.clone(), item.text.clone(), before.clone())
    } else {
        (before.clone(), kept.raw.clone(), other.text.clone())
    };
    let (combined, complete) = add_missing_clauses(&lead, &rest);
    kept.raw = if combined == lead.trim_end_matches('.') {
        lead_raw
    } else if lead_raw.contains(lead.as_str()) {
        lead_raw.replacen(lead.as_str(), &combined, 1)
    } else {
        format!("{lead_raw} ({combined})")
    };
    kept.analysed.text = if combined == lead.trim_end_matches('.') {
        lead
    } else {
        combined
    };
    if complete {
        return None;
    }
    Some(if other_leads {
        WordingConflict {
            what: "wording of an item (words only one copy has)",
            kept: kept.analysed.text.clone(),
            kept_from: vec![source.to_string()],
            other: before,
            other_from: kept_from.first().cloned().unwrap_or_default(),
        }
    } else {
        WordingConflict {
            what: "wording of an item (words only one copy has)",
            kept: kept.analysed.text.clone(),
            kept_from: kept_from.to_vec(),
            other: item.text.clone(),
            other_from: source.to_string(),
        }
    })
}

/// The prose wording names every owner any copy gave.
fn name_every_owner(kept: &mut MItem) {
    let shown = analyse_item(&kept.raw).owners;
    let unshown: Vec<String> = kept
        .analysed
        .owners
        .iter()
        .filter(|o| !shown.contains(o))
        .map(|o| format!("**{o}**"))
        .collect();
    if !unshown.is_empty() && shown.is_empty() {
        kept.raw = format!("{} — {}", kept.raw, unshown.join(" and "));
    }
}

/// A conflict when one copy makes the item optional and another does not.
fn optional_conflict(
    kept: &ItemText,
    other: &ItemText,
    kept_from: &[String],
    source: &str,
) -> Option<WordingConflict> {
    if kept.optional == other.optional {
        return None;
    }
    let wording = |optional: bool, text: &str| {
        format!(
            "{text} ({})",
            if optional { "optional" } else { "required" }
        )
    };
    Some(WordingConflict {
        what: "optional in one copy, required in another (kept as optional)",
        kept: wording(kept.optional, &kept.text),
        kept_from: kept_from.to_vec(),
        other: wording(other.optional, &other.text),
        other_from: source.to_string(),
    })
}

/// The copy's optionality, release types and conditions, added to the kept ones.
fn merge_conditions(kept: &mut ItemText, other: ItemText) {
    kept.optional |= other.optional;
    kept.release_types = match (kept.release_types.take(), other.release_types) {
        (Some(a), Some(b)) => {
            let mut all: Vec<_> = a.into_iter().chain(b).collect();
            all.sort();
            all.dedup();
            Some(all)
        }
        (a, b) => a.or(b),
    };
    for condition in other.when {
        if !kept.when.contains(&condition) {
            kept.when.push(condition);
        }
    }
    for condition in other.conditions {
        if !kept.conditions.contains(&condition) {
            kept.conditions.push(condition);
        }
    }
}

/// The copy's sub-items, each merged into the kept sub-item that says the
/// same or added after them.
fn merge_children(kept: &mut MItem, children: &List, source: &str) -> Vec<WordingConflict> {
    let mut conflicts = Vec::new();
    let list = kept.children.get_or_insert_with(|| MList {
        ordered: children.ordered,
        items: Vec::new(),
    });
    for child in &children.items {
        let analysed = analyse_item(&child.text);
        let tokens = match_tokens(&analysed.text);
        match list
            .items
            .iter_mut()
            .find(|k| same_analysed(&k.analysed.text, &k.tokens, &analysed.text, &tokens))
        {
            Some(existing) => {
                conflicts.extend(merge_into(existing, analysed, child, source));
            }
            None => list.items.push(new_item(analysed, child, source)),
        }
    }
    conflicts
}

/// Whether `text`'s first clause (before " and ") says exactly what
/// `tokens` say: "Deploy to canary and watch the error budget" is the step
/// "Deploy to canary" worded with a clause more.
fn leads(text: &str, tokens: &[String]) -> bool {
    let Some((lead, _)) = text.split_once(" and ") else {
        return false;
    };
    let lead = match_tokens(lead);
    let set = |t: &[String]| t.iter().cloned().collect::<std::collections::BTreeSet<_>>();
    lead.len() >= 2 && set(&lead) == set(tokens)
}

/// Item tokens for matching: a final owner abbreviation ("(RM)", "— Release
/// Mgr") or an owner tag ("[QA] …", "QA: …") is not yet known to be an
/// owner, so it never keeps items apart.
fn match_tokens(text: &str) -> Vec<String> {
    let text = abbreviation_candidate(text).map_or_else(|| text.to_string(), |(_, rest)| rest);
    match owner_tag(&text) {
        Some((_, rest)) => item_tokens(&rest),
        None => item_tokens(&text),
    }
}

/// `text` ended by an owner abbreviation again, as its copy wrote it:
/// "(RM)" for one all-capitals word, "— Release Mgr" otherwise.
fn with_abbreviation(text: &str, abbreviation: &str) -> String {
    let text = text.trim_end().trim_end_matches('.');
    if abbreviation.chars().all(|c| c.is_ascii_uppercase()) {
        format!("{text} ({abbreviation})")
    } else {
        format!("{text} — {abbreviation}")
    }
}

fn push_source(sources: &mut Vec<String>, source: &str) {
    if !sources.iter().any(|s| s == source) {
        sources.push(source.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::variant;

    #[test]
    fn headings_mean_what_they_are_about() {
        let same = [
            ("Pre-Release Checks", "Pre-release requirements"),
            ("Deployment Steps", "Deployment Checklist"),
            ("Pre-Deployment (T-24 to T-1 hours)", "Pre-Deployment Tasks"),
        ];
        for (a, b) in same {
            assert_eq!(heading_meaning(a), heading_meaning(b), "{a} / {b}");
        }
        assert_ne!(
            heading_meaning("Pre-Deployment"),
            heading_meaning("Post-Deployment")
        );
        assert_ne!(
            heading_meaning("Rollback"),
            heading_meaning("Rollback & Incident Playbook")
        );
    }

    #[test]
    fn missing_clauses_join_the_kept_wording() {
        assert_eq!(
            add_missing_clauses(
                "Triage root cause",
                "Triage root cause and capture action items"
            ),
            (
                "Triage root cause and capture action items".to_string(),
                true
            )
        );
        let (text, complete) = add_missing_clauses(
            "Run automated smoke tests in staging",
            "Run smoke tests on the staging environment",
        );
        assert_eq!(text, "Run automated smoke tests in staging");
        assert!(!complete, "\"environment\" goes to the report");
    }

    #[test]
    fn a_wording_that_wins_reports_the_one_it_replaced() {
        // The richer copy is the base; the other's longer wording replaces its item's.
        let base = variant::parse(
            "a",
            "# Guide\n\n## Steps\n\n- Run smoke tests\n- Tag the release\n- Deploy\n",
        );
        let other = variant::parse("b", "# Guide\n\n## Steps\n\n- Run smoke tests in staging\n");
        let mut log = MergeLog::default();
        merge_document(vec![&other, &base], &mut log);
        assert_eq!(
            log.merges,
            [(
                "Guide".to_string(),
                "Run smoke tests in staging".to_string(),
                "Run smoke tests".to_string(),
                "a".to_string()
            )]
        );
    }
}
