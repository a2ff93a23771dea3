//! One guide copy parsed into its structure: title, sections (by heading
//! level) and blocks, keeping the Markdown of every block as written so
//! nothing is lost or reformatted on the way through.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::text::normalise_heading;

/// A parsed copy of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// A short name for provenance: the file name without extension.
    pub name: String,
    /// The input's file name (set by the caller; empty when unknown).
    pub file: String,
    /// The front matter's title, or the first level-1 heading, or the
    /// first heading, or the name.
    pub title: String,
    /// The copy's one level-1 heading when its front matter names another
    /// title: the heading the page shows, not a section.
    pub heading: Option<String>,
    /// The front matter's other keys, as written (YAML values).
    pub front_matter: Vec<(String, serde_norway::Value)>,
    /// Blocks before the first section heading (after the title).
    pub preamble: Vec<Block>,
    /// Top-level sections (the shallowest heading level below the title).
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's inline Markdown, as written (less an owner notation).
    pub heading: String,
    /// The heading as written when an owner notation was taken out of it,
    /// for links to its old anchor.
    pub written: Option<String>,
    pub level: u8,
    pub blocks: Vec<Block>,
    pub children: Vec<Section>,
    /// Whom a line of its own under the heading names ("Owner: QA",
    /// "**Owners:** SRE, QA"), for the section's steps.
    pub owners: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph, block quote, table, HTML, rule: Markdown as written.
    Text(String),
    List(List),
    /// A fenced or indented code block, Markdown as written (fences included).
    Code {
        info: String,
        markdown: String,
        code: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    pub ordered: bool,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// `Some(done)` for a task-list item.
    pub task: Option<bool>,
    /// The item's own inline Markdown on one line (marker, checkbox and nested lists removed).
    pub text: String,
    /// A nested list, if the item has one.
    pub children: Option<List>,
}

impl Section {
    /// Every list item in this section and its subsections, depth first.
    pub fn all_items(&self) -> Vec<&Item> {
        let mut items = Vec::new();
        for block in &self.blocks {
            if let Block::List(list) = block {
                items.extend(list.items.iter());
            }
        }
        for child in &self.children {
            items.extend(child.all_items());
        }
        items
    }

    /// Whether any list item here or below is a task-list item.
    pub fn has_tasks(&self) -> bool {
        self.all_items().iter().any(|i| i.task.is_some())
    }
}

/// Parse repaired Markdown text into a [`Variant`].
pub fn parse(name: &str, text: &str) -> Variant {
    let (front_title, front_matter, text) = split_front_matter(text);
    let blocks = admonitions_as_alerts(top_level_blocks(text));
    // Several H1s are phases ("# Phase 1: Prepare", "# Phase 2: Deploy"),
    // not a title: the title is then the front matter's or the file's.
    let h1s: Vec<&str> = blocks
        .iter()
        .filter_map(|b| match b {
            Raw::Heading(1, h) => Some(h.as_str()),
            _ => None,
        })
        .collect();
    let phases = h1s.len() > 1 && h1s.iter().all(|h| phase_like(h));
    let one_h1 = h1s.len() == 1;
    let mut title = phases.then(|| humanise(name));
    let mut heading = None;
    let mut preamble = Vec::new();
    let mut flat: Vec<(u8, String, Vec<Block>)> = Vec::new();
    for block in blocks {
        match block {
            // The first H1 is the title, unless front matter names another one.
            Raw::Heading(1, heading)
                if title.is_none()
                    && flat.is_empty()
                    && front_title
                        .as_ref()
                        .is_none_or(|t| normalise_heading(t) == normalise_heading(&heading)) =>
            {
                title = Some(heading)
            }
            // Front matter titles the page, its one H1 heads it: not a section.
            Raw::Heading(1, shown)
                if title.is_none() && flat.is_empty() && one_h1 && front_title.is_some() =>
            {
                heading = Some(shown)
            }
            Raw::Heading(level, heading) => flat.push((level, heading, Vec::new())),
            Raw::Block(block) => match flat.last_mut() {
                Some((_, _, blocks)) => blocks.push(block),
                None => preamble.push(block),
            },
        }
    }
    let title = front_title
        .or(title)
        .or_else(|| flat.first().map(|(_, h, _)| h.clone()))
        .unwrap_or_else(|| name.to_string());
    let mut sections = nest(flat);
    for section in &mut sections {
        mark_checklist_items(section, false);
        drop_status_marks(section);
        take_owner_lines(section);
        owners_from_headings(section, &[]);
    }
    Variant {
        name: name.to_string(),
        file: String::new(),
        title,
        heading,
        front_matter,
        preamble,
        sections,
    }
}

/// "Phase 1: Prepare", "2. Deploy", "Stage Two": a heading that numbers a phase.
fn phase_like(heading: &str) -> bool {
    let first = heading
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    first.starts_with(|c: char| c.is_ascii_digit())
        || ["phase", "stage", "step", "part", "chapter"].contains(&first.trim_end_matches(':'))
}

/// A TOML value as YAML, so the canonical page's front matter is YAML
/// whatever the copy had; dates and times as the text they were written as.
fn yaml_of_toml(value: toml::Value) -> serde_norway::Value {
    use serde_norway::Value as Yaml;
    match value {
        toml::Value::String(s) => Yaml::String(s),
        toml::Value::Integer(i) => Yaml::Number(i.into()),
        toml::Value::Float(f) => Yaml::Number(f.into()),
        toml::Value::Boolean(b) => Yaml::Bool(b),
        toml::Value::Datetime(d) => Yaml::String(d.to_string()),
        toml::Value::Array(items) => Yaml::Sequence(items.into_iter().map(yaml_of_toml).collect()),
        toml::Value::Table(table) => Yaml::Mapping(
            table
                .into_iter()
                .map(|(k, v)| (Yaml::String(k), yaml_of_toml(v)))
                .collect(),
        ),
    }
}

/// "release-guide" → "Release guide": a file stem as a title.
fn humanise(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Front matter at the top of a copy: its title, its other keys, and the
/// Markdown after it. Front matter that is not a YAML mapping (or a TOML
/// table, between `+++` lines) stays text.
fn split_front_matter(text: &str) -> (Option<String>, Vec<(String, serde_norway::Value)>, &str) {
    let Ok(split) = crate::frontmatter::split("", text) else {
        return (None, Vec::new(), text);
    };
    let mapping = match (split.yaml, split.toml) {
        (Some(yaml), _) => serde_norway::from_str::<serde_norway::Mapping>(yaml).ok(),
        (_, Some(toml)) => toml::from_str::<toml::Table>(toml).ok().map(|table| {
            table
                .into_iter()
                .map(|(k, v)| (serde_norway::Value::String(k), yaml_of_toml(v)))
                .collect()
        }),
        _ => None,
    };
    let Some(mapping) = mapping else {
        return (None, Vec::new(), text);
    };
    let mut title = None;
    let mut rest = Vec::new();
    for (key, value) in mapping {
        let key = match key {
            serde_norway::Value::String(k) => k,
            other => serde_norway::to_string(&other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        };
        match (key.as_str(), &value) {
            ("title", serde_norway::Value::String(t)) if title.is_none() => {
                title = Some(t.trim().to_string())
            }
            _ => rest.push((key, value)),
        }
    }
    (title, rest, split.body)
}

/// Words of a heading that make its lists steps to tick off.
const CHECKLIST_WORDS: &str =
    "checklist checklists checks steps tasks todo to-do runbook requirements prerequisites criteria";

/// Whether a heading names a checklist ("Pre-Release Checks", "Deployment Steps",
/// "Pre-release Requirements", "Exit Criteria": conditions to tick off too).
pub fn checklist_like(heading: &str) -> bool {
    heading
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|w| CHECKLIST_WORDS.split(' ').any(|c| c == w))
}

/// A paragraph whose every line is a bold-labelled step ("**Game day:**
/// rehearse the rollback"), as list items.
fn bold_label_lines(markdown: &str) -> Option<List> {
    let labelled = |line: &str| {
        let line = line.trim();
        line.strip_prefix("**")
            .and_then(|rest| rest.split_once("**"))
            .is_some_and(|(label, after)| {
                !label.is_empty() && (label.ends_with(':') || after.starts_with(':'))
            })
    };
    let lines: Vec<&str> = markdown.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() || !lines.iter().all(|l| labelled(l)) {
        return None;
    }
    let items = lines
        .iter()
        .map(|l| Item {
            task: Some(false),
            text: l.split_whitespace().collect::<Vec<_>>().join(" "),
            children: None,
        })
        .collect();
    Some(List {
        ordered: false,
        items,
    })
}

/// Lists under a checklist-like heading (or its subsections) are checklist
/// items whatever their marker: `-`, `*`, `+`, `1.`, `1)`.
fn mark_checklist_items(section: &mut Section, inherited: bool) {
    let checklist = inherited || checklist_like(&section.heading);
    if checklist {
        for block in &mut section.blocks {
            if let Block::Text(markdown) = block {
                // "**Owner:** SRE" names who does the steps; it is none of them.
                if let Some(list) =
                    bold_label_lines(markdown).filter(|_| owner_line(markdown).is_none())
                {
                    *block = Block::List(list);
                }
            }
            if let Block::List(list) = block {
                for item in &mut list.items {
                    item.task.get_or_insert(false);
                }
            }
        }
    }
    for child in &mut section.children {
        mark_checklist_items(child, checklist);
    }
}

/// Marks after a step that say how it stands in one run (`… ✅`, `… 🟢`,
/// `… ⏳`): a run's state, not the playbook's.
const STATUS_MARKS: [char; 16] = [
    '✅', '☑', '☒', '✔', '✓', '🟢', '🟡', '🟠', '🔴', '⚪', '⚫', '⬜', '☐', '❌', '⏳', '🚧',
];

/// A step's text without the status marks that end it.
fn without_status_marks(text: &str) -> &str {
    let trimmed = text.trim_end_matches(|c: char| {
        STATUS_MARKS.contains(&c) || c == '\u{FE0F}' || c.is_whitespace()
    });
    // Marks alone are the step's text, not a status.
    if trimmed.is_empty() {
        text
    } else {
        trimmed
    }
}

/// Status marks leave the end of every step of a section and its subsections.
fn drop_status_marks(section: &mut Section) {
    fn in_list(list: &mut List) {
        for item in &mut list.items {
            if item.task.is_some() {
                let kept = without_status_marks(&item.text);
                if kept.len() < item.text.len() {
                    item.text = kept.to_string();
                }
            }
            if let Some(children) = &mut item.children {
                in_list(children);
            }
        }
    }
    for block in &mut section.blocks {
        if let Block::List(l) = block {
            in_list(l);
        }
    }
    section.children.iter_mut().for_each(drop_status_marks);
}

/// Labels of a line that names a section's owners.
const OWNER_LABELS: [&str; 8] = [
    "owner",
    "owners",
    "owned by",
    "responsible",
    "accountable",
    "assigned to",
    "assignee",
    "dri",
];

/// The owners a paragraph names when it is only an owner line: "Owner:
/// QA", "**Owners:** SRE and QA", "_Responsible: Release Manager_".
fn owner_line(markdown: &str) -> Option<Vec<String>> {
    let line = markdown.trim();
    if line.contains('\n') {
        return None;
    }
    let plain = line.replace("**", "").replace("__", "");
    let plain = plain.trim_matches(['*', '_', ' ']);
    let (label, names) = plain.split_once(':')?;
    if !OWNER_LABELS.contains(&label.trim().to_lowercase().as_str()) {
        return None;
    }
    let names: Vec<String> = names
        .split([',', ';'])
        .flat_map(|n| n.split(" and "))
        .map(|n| n.trim().trim_matches(['*', '_', '.', ' ']).to_string())
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty() && names.iter().all(|n| n.split_whitespace().count() <= 4)).then_some(names)
}

/// In a section with steps, an owner line leaves the text for the
/// section's `owners` (elsewhere it stays text: nothing would carry it).
fn take_owner_lines(section: &mut Section) {
    section.children.iter_mut().for_each(take_owner_lines);
    if !section.has_tasks() {
        return;
    }
    let mut owners = Vec::new();
    section.blocks.retain(|block| match block {
        Block::Text(markdown) if owners.is_empty() => match owner_line(markdown) {
            Some(names) => {
                owners = names;
                false
            }
            None => true,
        },
        _ => true,
    });
    section.owners = owners;
}

/// "## Deployment Checklist (Owner: SRE)": the owner leaves the heading and
/// goes to each checklist item below it that names no owner of its own.
fn owners_from_headings(section: &mut Section, inherited: &[String]) {
    let analysed = super::text::analyse_item(&section.heading);
    let mut owners = inherited.to_vec();
    if !analysed.owners.is_empty() && !analysed.text.is_empty() {
        let (_, timing) = super::text::split_timing(&section.heading);
        section.written = Some(section.heading.clone());
        section.heading = match timing {
            Some(t) if !analysed.text.contains(&t) => format!("{} ({t})", analysed.text),
            _ => analysed.text,
        };
        owners = analysed.owners;
    }
    if !section.owners.is_empty() {
        owners = section.owners.clone();
    }
    if !owners.is_empty() {
        for block in &mut section.blocks {
            let Block::List(list) = block else { continue };
            for item in list.items.iter_mut().filter(|i| i.task.is_some()) {
                if super::text::analyse_item(&item.text).owners.is_empty() {
                    item.text = format!("{} (owner: {})", item.text, owners.join(", "));
                }
            }
        }
    }
    for child in &mut section.children {
        owners_from_headings(child, &owners);
    }
}

/// Turn a flat list of headings into a tree: each section owns the
/// following sections of a deeper level.
fn nest(flat: Vec<(u8, String, Vec<Block>)>) -> Vec<Section> {
    let mut roots: Vec<Section> = Vec::new();
    let mut stack: Vec<Section> = Vec::new();
    for (level, heading, blocks) in flat {
        let section = Section {
            heading,
            written: None,
            level,
            blocks,
            children: Vec::new(),
            owners: Vec::new(),
        };
        while stack.last().is_some_and(|top| top.level >= level) {
            close(&mut stack, &mut roots);
        }
        stack.push(section);
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    roots
}

fn close(stack: &mut Vec<Section>, roots: &mut Vec<Section>) {
    if let Some(done) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    }
}

/// A top-level piece of the document.
enum Raw {
    Heading(u8, String),
    Block(Block),
}

/// The document's top-level blocks, each with its Markdown as written.
fn top_level_blocks(text: &str) -> Vec<Raw> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    // The events of the top-level list being read, to rebuild its items.
    let mut list_events: Vec<(Event, Range<usize>)> = Vec::new();
    for (event, range) in Parser::new_ext(text, crate::markdown::options()).into_offset_iter() {
        if depth == 0 {
            start = range.start;
            list_events.clear();
        }
        let in_list =
            matches!(event, Event::Start(Tag::List(_))) && depth == 0 || !list_events.is_empty();
        if in_list {
            list_events.push((event.clone(), range.clone()));
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > 0 {
            continue; // inside a block: it is emitted when it ends
        }
        let markdown = text[start..range.end].trim_end().to_string();
        out.push(match &event {
            Event::End(TagEnd::Heading(level)) => {
                Raw::Heading(*level as u8, heading_text(&markdown))
            }
            Event::End(TagEnd::List(_)) => {
                let mut list = build_list(text, &list_events);
                take_box_glyphs(&mut list);
                undecorate_items(&mut list);
                Raw::Block(Block::List(list))
            }
            Event::End(TagEnd::Paragraph) => Raw::Block(
                box_lines(&markdown)
                    .or_else(|| numbered_lines(&markdown))
                    .or_else(|| glyph_lines(&markdown))
                    .map_or_else(
                        || Block::Text(markdown),
                        |mut list| {
                            undecorate_items(&mut list);
                            Block::List(list)
                        },
                    ),
            ),
            Event::End(TagEnd::CodeBlock) => Raw::Block(code_block(&markdown)),
            Event::End(TagEnd::Table) => Raw::Block(table_block(markdown)),
            Event::End(TagEnd::BlockQuote(_)) => Raw::Block(
                quoted_list(&markdown).map_or_else(|| Block::Text(markdown), Block::List),
            ),
            // `***`, `* * *`, `___`: one rule, written as most copies do, so
            // copies that draw it differently do not each add one.
            Event::Rule => Raw::Block(Block::Text("---".to_string())),
            _ => Raw::Block(Block::Text(markdown)),
        });
    }
    out
}

/// Items that start with a box become steps, box removed; once one does,
/// so do its neighbours that start with a tick (✅, ✔, ✓). Nested lists alike.
fn take_box_glyphs(list: &mut List) {
    let boxed = list
        .items
        .iter()
        .any(|item| item.task.is_none() && crate::boxes::leading_box(&item.text, false).is_some());
    for item in &mut list.items {
        if item.task.is_none() {
            if let Some((ticked, rest)) = crate::boxes::leading_box(&item.text, boxed) {
                item.task = Some(ticked);
                item.text = rest.to_string();
            }
        }
        if let Some(children) = &mut item.children {
            take_box_glyphs(children);
        }
    }
}

/// A list whose every item is set in bold (`- [ ] **Tag the release**`,
/// two items or more) is a copy's decoration, not an emphasis of some steps
/// over others: the marks go. A list that bolds only some keeps them.
fn undecorate_items(list: &mut List) {
    fn inside<'t>(text: &'t str, mark: &str) -> Option<&'t str> {
        let inner = text.strip_prefix(mark)?.strip_suffix(mark)?;
        (!inner.trim().is_empty() && !inner.contains(mark)).then_some(inner)
    }
    for mark in ["**", "__"] {
        let all = list.items.len() >= 2
            && list
                .items
                .iter()
                .all(|item| inside(item.text.trim(), mark).is_some());
        if all {
            for item in &mut list.items {
                if let Some(inner) = inside(item.text.trim(), mark) {
                    item.text = inner.trim().to_string();
                }
            }
        }
    }
    for item in &mut list.items {
        if let Some(children) = &mut item.children {
            undecorate_items(children);
        }
    }
}

/// A paragraph whose every line starts with a box ("☐ Tag the release",
/// each line as a word processor pastes it), as a list of steps.
fn box_lines(markdown: &str) -> Option<List> {
    let lines: Vec<&str> = markdown
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let boxed = lines
        .iter()
        .any(|l| crate::boxes::leading_box(l, false).is_some());
    let items = lines
        .iter()
        .map(|line| {
            let (ticked, rest) = crate::boxes::leading_box(line, boxed)?;
            // A hard line break's backslash belongs to the line, not the step.
            let rest = rest.strip_suffix('\\').unwrap_or(rest);
            Some(Item {
                task: Some(ticked),
                text: rest.split_whitespace().collect::<Vec<_>>().join(" "),
                children: None,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    (boxed && !items.is_empty()).then_some(List {
        ordered: false,
        items,
    })
}

/// Bullets a word processor writes as characters ("•\tDeploy" when a
/// document is saved as text or pasted): the first level, then the second,
/// whose items go under the item before them.
const GLYPH_BULLETS: [char; 6] = ['•', '●', '▪', '■', '‣', '⁃'];
const GLYPH_SUB_BULLETS: [char; 3] = ['◦', '○', '▫'];

/// A paragraph whose every line starts with a bullet glyph and a space or
/// tab, as a list (second-level glyphs nested under the item before).
fn glyph_lines(markdown: &str) -> Option<List> {
    let mut items: Vec<Item> = Vec::new();
    for line in markdown.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let glyph = line.chars().next()?;
        let rest = &line[glyph.len_utf8()..];
        if !rest.starts_with([' ', '\t', '\u{a0}']) || rest.trim().is_empty() {
            return None;
        }
        let rest = rest.strip_suffix('\\').unwrap_or(rest);
        let item = Item {
            task: None,
            text: rest.split_whitespace().collect::<Vec<_>>().join(" "),
            children: None,
        };
        if GLYPH_BULLETS.contains(&glyph) {
            items.push(item);
        } else if GLYPH_SUB_BULLETS.contains(&glyph) {
            let parent = items.last_mut()?;
            parent
                .children
                .get_or_insert_with(|| List {
                    ordered: false,
                    items: Vec::new(),
                })
                .items
                .push(item);
        } else {
            return None;
        }
    }
    let mut list = List {
        ordered: false,
        items,
    };
    take_box_glyphs(&mut list);
    (!list.items.is_empty()).then_some(list)
}

/// A paragraph whose every line is a numbered step ("Step 1: Deploy",
/// "(1) Deploy", "1 - Deploy", "a. Deploy"), numbered 1, 2, 3… (or a, b,
/// c…) from the first, as an ordered list: what a word processor's
/// numbering becomes in plain text. Two lines at least.
fn numbered_lines(markdown: &str) -> Option<List> {
    let lines: Vec<&str> = markdown
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() < 2 {
        return None;
    }
    let items = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let (_, text) = step_number(line).filter(|(n, _)| *n == i + 1)?;
            // A hard line break's backslash belongs to the line, not the step.
            let text = text.strip_suffix('\\').unwrap_or(text);
            Some(Item {
                task: None,
                text: text.split_whitespace().collect::<Vec<_>>().join(" "),
                children: None,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(List {
        ordered: true,
        items,
    })
}

/// A line's step number and text: "Step 3: …" (or `.`, `)`, a dash after
/// the number), "(3) …", "3 - …", "3: …", "c. …", "c) …".
fn step_number(line: &str) -> Option<(usize, &str)> {
    let number = |digits: &str| digits.parse::<usize>().ok();
    fn text(rest: &str) -> Option<&str> {
        Some(rest.trim()).filter(|t| !t.is_empty())
    }
    let word = line.get(..5).filter(|w| w.eq_ignore_ascii_case("step "));
    if let Some(rest) = word.map(|_| &line[5..]) {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let after = rest[digits..]
            .trim_start()
            .strip_prefix([':', '.', ')', '-', '–', '—'])?;
        return Some((number(&rest[..digits])?, text(after)?));
    }
    if let Some((digits, after)) = line.strip_prefix('(').and_then(|r| r.split_once(") ")) {
        return Some((number(digits)?, text(after)?));
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &line[digits..];
        let after = [" - ", " – ", " — ", ": "]
            .iter()
            .find_map(|sep| rest.strip_prefix(sep))?;
        return Some((number(&line[..digits])?, text(after)?));
    }
    let letter = line.chars().next().filter(char::is_ascii_lowercase)?;
    let after = line[1..]
        .strip_prefix(". ")
        .or_else(|| line[1..].strip_prefix(") "))?;
    Some((usize::from(letter as u8 - b'a') + 1, text(after)?))
}

/// A block quote that holds only a task list (a checklist quoted from an
/// issue or a chat), as that list.
fn quoted_list(markdown: &str) -> Option<List> {
    let inner: Vec<&str> = markdown
        .lines()
        .map(|line| {
            let line = line.trim_start();
            let line = line.strip_prefix('>').unwrap_or(line);
            line.strip_prefix(' ').unwrap_or(line)
        })
        .collect();
    match top_level_blocks(&inner.join("\n")).as_slice() {
        [Raw::Block(Block::List(list))] if list.items.iter().any(|i| i.task.is_some()) => {
            Some(list.clone())
        }
        _ => None,
    }
}

/// MkDocs admonitions (`!!! warning "Title"` over an indented body, `???`
/// for a folded one) as GitHub alerts (`> [!WARNING]`). CommonMark reads
/// the body's first paragraph as the opener's continuation and the next
/// ones as code blocks, which a copy never meant.
fn admonitions_as_alerts(blocks: Vec<Raw>) -> Vec<Raw> {
    let mut out: Vec<Raw> = Vec::with_capacity(blocks.len());
    // The alert being read: the opener as written, the alert's first
    // lines, and its body so far.
    let mut open: Option<(String, Vec<String>, Vec<String>)> = None;
    for raw in blocks {
        match (&raw, &mut open) {
            (
                Raw::Block(Block::Code {
                    info,
                    markdown,
                    code,
                }),
                Some((_, _, body)),
            ) if info.is_empty() && !markdown.trim_start().starts_with(['`', '~']) => {
                body.push(String::new());
                body.extend(code.trim_end().lines().map(str::to_string));
                continue;
            }
            _ => {}
        }
        if let Some(alert) = open.take() {
            out.push(alert_block(alert));
        }
        if let Raw::Block(Block::Text(text)) = &raw {
            let mut lines = text.lines();
            if let Some((kind, title)) = lines.next().and_then(admonition) {
                let body: Vec<String> = lines.map(|l| l.trim().to_string()).collect();
                let mut head = vec![format!("> [!{kind}]")];
                if let Some(title) = title {
                    head.extend([format!("> **{title}**"), ">".to_string()]);
                }
                open = Some((text.clone(), head, body));
                continue;
            }
        }
        out.push(raw);
    }
    if let Some(alert) = open {
        out.push(alert_block(alert));
    }
    out
}

/// An alert's lines as one block quote; with no body, the opener as written.
fn alert_block((opener, head, body): (String, Vec<String>, Vec<String>)) -> Raw {
    let body: Vec<&String> = body.iter().skip_while(|l| l.is_empty()).collect();
    if body.is_empty() {
        return Raw::Block(Block::Text(opener));
    }
    let lines = head
        .into_iter()
        .chain(body.iter().map(|l| format!("> {l}").trim_end().to_string()));
    Raw::Block(Block::Text(lines.collect::<Vec<_>>().join("\n")))
}

/// The GitHub alert kind and the title of an admonition's first line:
/// `!!! tip "Before you deploy"` → (`TIP`, `Before you deploy`).
fn admonition(line: &str) -> Option<(&'static str, Option<&str>)> {
    let line = line.trim();
    let rest = ["!!! ", "???+ ", "??? "]
        .iter()
        .find_map(|p| line.strip_prefix(p))?;
    let (kind, title) = match rest.split_once(' ') {
        Some((kind, title)) => (
            kind,
            Some(title.trim().trim_matches('"')).filter(|t| !t.is_empty()),
        ),
        None => (rest, None),
    };
    let kind = match kind.to_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" => "TIP",
        "important" => "IMPORTANT",
        "warning" | "caution" | "attention" => "WARNING",
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "CAUTION",
        "note" | "info" | "todo" | "abstract" | "summary" | "tldr" | "example" | "quote"
        | "cite" | "question" | "help" | "faq" | "seealso" => "NOTE",
        _ => return None,
    };
    Some((kind, title))
}

/// A table: a table of steps is an ordered task list, one item a row;
/// any other table stays text.
fn table_block(markdown: String) -> Block {
    match super::table::steps(&markdown) {
        Some(rows) => Block::List(List {
            ordered: true,
            items: rows
                .into_iter()
                .map(|text| Item {
                    task: Some(false),
                    text,
                    children: None,
                })
                .collect(),
        }),
        None => Block::Text(markdown),
    }
}

/// `## Heading {#id}` → `Heading {#id}`; a setext heading's first line.
/// Decoration is dropped: `## **Deployment:**` is `Deployment`.
fn heading_text(markdown: &str) -> String {
    let first = markdown.lines().next().unwrap_or("");
    let trimmed = first.trim_start_matches('#').trim();
    undecorated(trimmed.trim_end_matches('#').trim()).to_string()
}

/// A heading without what only styles it: emphasis around the whole of it
/// and a trailing colon, in any order ("**Pre-Deployment (T-24):**").
fn undecorated(heading: &str) -> &str {
    let mut heading = heading.trim();
    loop {
        let before = heading;
        heading = heading.trim_end_matches([':', '：']).trim_end();
        for mark in ["**", "__", "*", "_"] {
            let inner = heading
                .strip_prefix(mark)
                .and_then(|h| h.strip_suffix(mark));
            if let Some(inner) = inner.filter(|i| !i.trim().is_empty() && !i.contains(mark)) {
                heading = inner.trim();
            }
        }
        if heading == before {
            return heading;
        }
    }
}

fn code_block(markdown: &str) -> Block {
    let mut lines = markdown.lines();
    let first = lines.next().unwrap_or("");
    let fence = first.trim_start();
    if fence.starts_with("```") || fence.starts_with("~~~") {
        let marker: String = fence
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .collect();
        let info = fence[marker.len()..].trim().to_string();
        let body: Vec<&str> = lines.collect();
        let body = match body.last() {
            Some(last) if last.trim_start().starts_with(&marker) => &body[..body.len() - 1],
            _ => &body[..],
        };
        let mut code = body.join("\n");
        code.push('\n');
        Block::Code {
            info,
            markdown: markdown.to_string(),
            code,
        }
    } else {
        let code = markdown
            .lines()
            .map(|l| l.strip_prefix("    ").unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
        Block::Code {
            info: String::new(),
            markdown: markdown.to_string(),
            code,
        }
    }
}

/// Rebuild a (possibly nested) list from its events.
fn build_list(text: &str, events: &[(Event, Range<usize>)]) -> List {
    let mut pos = 0;
    parse_list(text, events, &mut pos)
}

/// Parse the list starting at `events[*pos]` (a `Start(List)`), leaving `pos` after its end.
fn parse_list(text: &str, events: &[(Event, Range<usize>)], pos: &mut usize) -> List {
    let ordered = matches!(
        events.get(*pos),
        Some((Event::Start(Tag::List(Some(_))), _))
    );
    *pos += 1;
    let mut items = Vec::new();
    while let Some((event, range)) = events.get(*pos) {
        match event {
            Event::End(TagEnd::List(_)) => {
                *pos += 1;
                break;
            }
            Event::Start(Tag::Item) => {
                let item_range = range.clone();
                *pos += 1;
                items.push(parse_item(text, events, pos, item_range));
            }
            _ => *pos += 1,
        }
    }
    List { ordered, items }
}

fn parse_item(
    text: &str,
    events: &[(Event, Range<usize>)],
    pos: &mut usize,
    range: Range<usize>,
) -> Item {
    let mut task = None;
    let mut children = None;
    let mut own_end = range.end;
    let mut depth = 0usize;
    while let Some((event, event_range)) = events.get(*pos) {
        match event {
            Event::End(TagEnd::Item) if depth == 0 => {
                *pos += 1;
                break;
            }
            Event::TaskListMarker(done) if depth == 0 && task.is_none() => {
                task = Some(*done);
                *pos += 1;
            }
            Event::Start(Tag::List(_)) if depth == 0 && children.is_none() => {
                own_end = own_end.min(event_range.start);
                children = Some(parse_list(text, events, pos));
            }
            Event::Start(_) => {
                depth += 1;
                *pos += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                *pos += 1;
            }
            _ => *pos += 1,
        }
    }
    Item {
        task,
        text: item_text(&text[range.start..own_end.max(range.start)], task.is_some()),
        children,
    }
}

/// An item's own text: marker and (for a task) checkbox removed, lines
/// joined. A box Markdown did not take for a task (`[ ]` then a no-break
/// space) stays, for [`take_box_glyphs`] to read.
fn item_text(markdown: &str, task: bool) -> String {
    let body = markdown.trim_start();
    let body = body
        .strip_prefix(['-', '*', '+'])
        .map(str::to_string)
        .unwrap_or_else(|| {
            let digits = body.chars().take_while(char::is_ascii_digit).count();
            let rest = &body[digits..];
            rest.strip_prefix(['.', ')']).unwrap_or(rest).to_string()
        });
    let body = body.trim_start();
    let body = ["[ ]", "[x]", "[X]"]
        .iter()
        .find_map(|b| body.strip_prefix(b))
        .filter(|_| task)
        .unwrap_or(body);
    body.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = "# OctoAcme — Guide\n\nIntro line.\n\n## Purpose\nStandardize releases.\n\n## Pre-release\n\n### Development Complete\n- [ ] All PRs merged\n- [x] Code freeze in effect\n  (no new changes)\n\n### Notes\n1. **Declare incident** first\n2. **Execute rollback**:\n   - Revert to previous version\n   - Or disable flags\n\n```markdown\n# Release [Name]\n## Summary\n```\n\n---\n\n## Last\n- plain bullet\n";

    #[test]
    fn title_preamble_and_section_tree() {
        let v = parse("copy", GUIDE);
        assert_eq!(v.title, "OctoAcme — Guide");
        assert_eq!(v.preamble, [Block::Text("Intro line.".into())]);
        let headings: Vec<_> = v.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(headings, ["Purpose", "Pre-release", "Last"]);
        let pre = &v.sections[1];
        assert_eq!(
            pre.children
                .iter()
                .map(|s| s.heading.as_str())
                .collect::<Vec<_>>(),
            ["Development Complete", "Notes"]
        );
        assert!(pre.has_tasks());
        assert!(!v.sections[2].has_tasks());
    }

    #[test]
    fn task_items_and_continuation_lines() {
        let v = parse("copy", GUIDE);
        let items = v.sections[1].children[0].all_items();
        assert_eq!(items[0].task, Some(false));
        assert_eq!(items[0].text, "All PRs merged");
        assert_eq!(items[1].task, Some(true));
        assert_eq!(items[1].text, "Code freeze in effect (no new changes)");
    }

    #[test]
    fn nested_ordered_lists_keep_their_children() {
        let v = parse("copy", GUIDE);
        let notes = &v.sections[1].children[1];
        let Block::List(list) = &notes.blocks[0] else {
            panic!("{:?}", notes.blocks)
        };
        assert!(list.ordered);
        assert_eq!(list.items[1].text, "**Execute rollback**:");
        let children = list.items[1].children.as_ref().unwrap();
        assert_eq!(
            children
                .items
                .iter()
                .map(|i| i.text.as_str())
                .collect::<Vec<_>>(),
            ["Revert to previous version", "Or disable flags"]
        );
        match &notes.blocks[1] {
            Block::Code { info, code, .. } => {
                assert_eq!(info, "markdown");
                assert_eq!(code, "# Release [Name]\n## Summary\n");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(notes.blocks[2], Block::Text("---".into()));
    }

    #[test]
    fn every_way_of_drawing_a_rule_is_one_rule() {
        for rule in ["---", "***", "* * *", "___", " - - -", "*****"] {
            let v = parse(
                "c",
                &format!("# Guide\n\n## Notes\n\nText.\n\n{rule}\n\nMore.\n"),
            );
            assert_eq!(
                v.sections[0].blocks[1],
                Block::Text("---".into()),
                "{rule:?}"
            );
        }
    }

    #[test]
    fn bold_labelled_lines_in_a_checklist_are_items() {
        let v = parse(
            "copy",
            "# G\n\n## Drill Checklist\n\n**Game day:** rehearse the rollback.\n**Backup drill**: restore a snapshot.\n\n## Notes\n\n**Note:** prose stays prose.\n",
        );
        let items = v.sections[0].all_items();
        let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "**Game day:** rehearse the rollback.",
                "**Backup drill**: restore a snapshot."
            ]
        );
        assert!(v.sections[1].all_items().is_empty());
    }

    #[test]
    fn no_headings_at_all() {
        let v = parse("notes", "Just a line.\n\n- a\n- b\n");
        assert_eq!(v.title, "notes");
        assert!(v.sections.is_empty());
        assert_eq!(v.preamble.len(), 2);
    }

    #[test]
    fn empty_input() {
        let v = parse("empty", "");
        assert_eq!(v.title, "empty");
        assert!(v.sections.is_empty() && v.preamble.is_empty());
    }

    #[test]
    fn a_table_of_steps_is_an_ordered_task_list_and_any_other_table_stays_text() {
        let v = parse(
            "copy",
            "# Guide\n\n## Steps\n\n| Step | Owner |\n|---|---|\n| Tag it | SRE |\n| Ship it | |\n\n| Metric | Target |\n|---|---|\n| Lead time | 1d |\n",
        );
        let blocks = &v.sections[0].blocks;
        let Block::List(list) = &blocks[0] else {
            panic!("a list: {blocks:?}");
        };
        assert!(list.ordered);
        let items: Vec<(Option<bool>, &str)> = list
            .items
            .iter()
            .map(|i| (i.task, i.text.as_str()))
            .collect();
        assert_eq!(
            items,
            [
                (Some(false), "Tag it (owner: SRE)"),
                (Some(false), "Ship it")
            ]
        );
        assert!(matches!(&blocks[1], Block::Text(t) if t.starts_with("| Metric")));
    }

    /// (task, text) of every item of the first section, in order.
    fn steps(markdown: &str) -> Vec<(Option<bool>, String)> {
        let v = parse("copy", markdown);
        v.sections[0]
            .all_items()
            .iter()
            .map(|i| (i.task, i.text.clone()))
            .collect()
    }

    #[test]
    fn boxes_a_word_processor_or_a_form_writes_are_steps() {
        let got = steps(
            "# G\n\n## Before\n\n- ☐ Tag it\n- ☑ Freeze\n- ✅ Scan\n- [] Draft notes\n- [ x ] Sign off\n- [✓] Brief support\n- [ ]\u{a0}Plan\n- □\tBackup\n- ✔\u{fe0f} Smoke test\n",
        );
        let want = [
            (false, "Tag it"),
            (true, "Freeze"),
            (true, "Scan"),
            (false, "Draft notes"),
            (true, "Sign off"),
            (true, "Brief support"),
            (false, "Plan"),
            (false, "Backup"),
            (true, "Smoke test"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(t, s)| (Some(*t), s.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn lines_that_each_start_with_a_box_are_steps() {
        let got = steps("# G\n\n## Before\n\n☐ Tag it  \n☒ Freeze\\\n✅ Scan\n");
        assert_eq!(
            got,
            [
                (Some(false), "Tag it".to_string()),
                (Some(true), "Freeze".into()),
                (Some(true), "Scan".into())
            ]
        );
        let v = parse(
            "copy",
            "# G\n\n## Before\n\n☐ Tag it\nthen talk to support\n",
        );
        assert!(
            v.sections[0].all_items().is_empty(),
            "a paragraph with a line that is no step stays prose"
        );
    }

    #[test]
    fn ticks_without_boxes_links_and_bare_boxes_stay_text() {
        let got = steps(
            "# G\n\n## Do and do not\n\n- ✅ Use feature flags\n- ❌ Deploy on Fridays\n- [the runbook](r.md) first\n- [draft] notes\n- ☐\n",
        );
        let texts: Vec<_> = got
            .iter()
            .map(|(task, text)| (*task, text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                (None, "✅ Use feature flags"),
                (None, "❌ Deploy on Fridays"),
                (None, "[the runbook](r.md) first"),
                (None, "[draft] notes"),
                (None, "☐"),
            ]
        );
        assert_eq!(steps("# G\n\n## Notes\n\n✅ Done well.\n"), []);
    }

    proptest::proptest! {
        /// A step with a box glyph or a loose bracket reads as the same step written `- [ ]` or `- [x]`.
        #[test]
        fn any_box_reads_as_markdowns_own(text in "[A-Za-z][A-Za-z0-9 ,.()/-]{0,40}", glyph in 0usize..12) {
            let boxes = ["☐", "□", "⬜", "🔲", "◻", "[]", "[  ]", "☑", "☒", "🗹", "[ x ]", "[✔]"];
            let ticked = glyph >= 7;
            let written = format!("# G\n\n## Before\n\n- {} {text}\n", boxes[glyph]);
            let markdown = format!("# G\n\n## Before\n\n- [{}] {text}\n", if ticked { 'x' } else { ' ' });
            proptest::prop_assert_eq!(steps(&written), steps(&markdown));
        }
    }

    #[test]
    fn emphasis_around_a_heading_and_its_trailing_colon_are_decoration() {
        let cases = [
            (
                "## **Pre-Deployment (T-24 to T-1 hours):**",
                "Pre-Deployment (T-24 to T-1 hours)",
            ),
            ("### Notes:", "Notes"),
            ("## __Rollback__:", "Rollback"),
            ("## *Quality* ##", "Quality"),
            ("## **Deploy** and **verify**", "**Deploy** and **verify**"),
            ("## _init_ files", "_init_ files"),
            ("## **", "**"),
            ("Setext title:\n===", "Setext title"),
        ];
        for (markdown, heading) in cases {
            assert_eq!(heading_text(markdown), heading, "{markdown:?}");
        }
    }

    #[test]
    fn a_front_matter_title_and_one_other_h1_head_the_page_without_a_section() {
        let v = parse("copy", "---\ntitle: Guide (Team B)\n---\n# OctoAcme Guide\n\n## Purpose\n\nWhy.\n\n## Steps\n\n- [ ] a\n");
        assert_eq!(v.title, "Guide (Team B)");
        assert_eq!(v.heading.as_deref(), Some("OctoAcme Guide"));
        let headings: Vec<&str> = v.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            headings,
            ["Purpose", "Steps"],
            "top-level sections, not children of the H1"
        );
        // The same title: no separate heading. Two H1s: sections, as before.
        assert_eq!(
            parse("copy", "---\ntitle: Guide\n---\n# Guide\n\n## A\n").heading,
            None
        );
        let two = parse(
            "copy",
            "---\ntitle: Guide\n---\n# Prepare\n\n## A\n\n# Deploy\n\n## B\n",
        );
        assert_eq!(two.heading, None);
        assert_eq!(two.sections.len(), 2);
    }

    #[test]
    fn an_owner_line_under_a_heading_owns_its_steps_and_is_no_step() {
        let v = parse(
            "copy",
            "# G\n\n## Release Checklist\n\n### Quality\n\nOwner: QA\n\n- [ ] Run the suite\n- [ ] Record the results (owner: SRE)\n\n### Operations\n\n**Owners:** SRE and Release Manager\n\n- [ ] Prepare rollback\n\n### Monitoring\n\n_Responsible: SRE_\n\n- [ ] Watch dashboards\n\n## About\n\nOwner: Platform team\n",
        );
        let steps = v.sections[0].all_items();
        let texts: Vec<&str> = steps.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Run the suite (owner: QA)",
                "Record the results (owner: SRE)",
                "Prepare rollback (owner: SRE, Release Manager)",
                "Watch dashboards (owner: SRE)",
            ]
        );
        let quality = &v.sections[0].children[0];
        assert_eq!(
            quality.blocks.len(),
            1,
            "the owner line left the text: {:?}",
            quality.blocks
        );
        // No steps to carry it: the line stays text.
        assert_eq!(
            v.sections[1].blocks,
            [Block::Text("Owner: Platform team".into())]
        );
    }

    #[test]
    fn owner_lines_and_what_only_looks_like_one() {
        let names = |m: &str| owner_line(m);
        let some = |n: &[&str]| Some(n.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(names("Owner: QA"), some(&["QA"]));
        assert_eq!(
            names("**Owner:** SRE, QA; Release Manager"),
            some(&["SRE", "QA", "Release Manager"])
        );
        assert_eq!(names("*Assigned to: @sre-team*"), some(&["@sre-team"]));
        assert_eq!(names("Note: QA signs off"), None);
        assert_eq!(names("Owner: QA\nsecond line"), None);
        assert_eq!(
            names("Owner: the team that happens to be on call that week"),
            None
        );
        assert_eq!(names("Owner:"), None);
    }

    #[test]
    fn bullet_glyphs_a_word_processor_writes_are_a_list() {
        let v = parse(
            "c",
            "# G\n\n## Checklist\n\n•\tTag it\n•  Ship it\n◦\tAnnounce it\n▪ ☐ Close it\n\n## Notes\n\n• alone is a bullet\n\n•no space is text\n\n◦ a sub-bullet first is text\n\nA • in a sentence is text\n",
        );
        let Block::List(list) = &v.sections[0].blocks[0] else {
            panic!("{:?}", v.sections[0].blocks)
        };
        let texts: Vec<(&str, Option<bool>)> = list
            .items
            .iter()
            .map(|i| (i.text.as_str(), i.task))
            .collect();
        assert_eq!(
            texts,
            [
                ("Tag it", Some(false)),
                ("Ship it", Some(false)),
                ("Close it", Some(false))
            ]
        );
        let children = list.items[1].children.as_ref().expect("nested");
        assert_eq!(children.items[0].text, "Announce it");
        let notes = &v.sections[1].blocks;
        assert!(matches!(&notes[0], Block::List(l) if l.items[0].text == "alone is a bullet"));
        for block in &notes[1..] {
            assert!(matches!(block, Block::Text(_)), "{block:?}");
        }
    }

    #[test]
    fn a_list_that_bolds_every_step_loses_the_bold_and_one_that_bolds_some_keeps_it() {
        let v = parse(
            "c",
            "# G\n\n## Checklist\n\n- [ ] **Tag it**\n- [ ] __Ship it__\n- [x] **Announce it**\n\n## Deploy steps\n\n- [ ] **Tag it**\n- [ ] **Ship it**\n  - **Sub one**\n  - **Sub two**\n\n## Other steps\n\n- [ ] **Back up first**\n- [ ] Deploy\n- [ ] **Label:** text\n",
        );
        let texts = |n: usize| -> Vec<String> {
            let Block::List(list) = &v.sections[n].blocks[0] else {
                panic!()
            };
            list.items.iter().map(|i| i.text.clone()).collect()
        };
        // Mixed marks: not every item in the same one, so kept.
        assert_eq!(texts(0), ["**Tag it**", "__Ship it__", "**Announce it**"]);
        assert_eq!(texts(1), ["Tag it", "Ship it"]);
        let Block::List(list) = &v.sections[1].blocks[0] else {
            panic!()
        };
        let subs: Vec<&str> = list.items[1]
            .children
            .as_ref()
            .unwrap()
            .items
            .iter()
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(subs, ["Sub one", "Sub two"]);
        assert_eq!(texts(2), ["**Back up first**", "Deploy", "**Label:** text"]);
        // Lines a word processor pastes, every step bold, likewise.
        let v = parse("c", "# G\n\n## Checklist\n\n☐ **Tag it**\n☐ **Ship it**\n\n## Steps\n\n• **Tag it**\n• **Ship it**\n");
        for section in &v.sections {
            let Block::List(list) = &section.blocks[0] else {
                panic!("{:?}", section.blocks)
            };
            let texts: Vec<&str> = list.items.iter().map(|i| i.text.as_str()).collect();
            assert_eq!(texts, ["Tag it", "Ship it"]);
        }
    }

    #[test]
    fn lines_numbered_in_plain_text_are_an_ordered_list() {
        for written in [
            "Step 1: Deploy to staging\nStep 2: Run smoke tests",
            "step 1 - Deploy to staging\nSTEP 2) Run smoke tests",
            "(1) Deploy to staging\n(2) Run smoke tests",
            "1 - Deploy to staging\n2 – Run smoke tests",
            "1: Deploy to staging\\\n2: Run smoke tests",
            "a. Deploy to staging\nb) Run smoke tests",
        ] {
            let list = numbered_lines(written).unwrap_or_else(|| panic!("{written:?}"));
            let texts: Vec<&str> = list.items.iter().map(|i| i.text.as_str()).collect();
            assert_eq!(
                texts,
                ["Deploy to staging", "Run smoke tests"],
                "{written:?}"
            );
            assert!(list.ordered);
        }
        for prose in [
            "Step 1: only one line",
            "2 - 1 = 1\n3 - 1 = 2",
            "(1) first\n(3) third",
            "a. m. the deploy window opens\np. m. it closes",
            "Deploy at 10: 30\nthen 11: 00",
            "Step 1: Deploy\nand then wait",
        ] {
            assert_eq!(numbered_lines(prose), None, "{prose:?}");
        }
        let v = parse(
            "copy",
            "# G\n\n## Deployment Steps\n\nStep 1: Deploy\nStep 2: Verify\n",
        );
        let tasks: Vec<Option<bool>> = v.sections[0].all_items().iter().map(|i| i.task).collect();
        assert_eq!(
            tasks,
            [Some(false), Some(false)],
            "under a checklist heading: steps"
        );
    }

    #[test]
    fn a_quoted_task_list_is_the_list_and_other_quotes_stay_text() {
        let v = parse(
            "copy",
            "# G\n\n## Before\n\n> - [ ] Freeze the branch\n> - [x] Run the suite\n>   continued\n\n> A quote about releases.\n\n> - a plain quoted bullet\n",
        );
        let blocks = &v.sections[0].blocks;
        let Block::List(list) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        let steps: Vec<(Option<bool>, &str)> = list
            .items
            .iter()
            .map(|i| (i.task, i.text.as_str()))
            .collect();
        assert_eq!(
            steps,
            [
                (Some(false), "Freeze the branch"),
                (Some(true), "Run the suite continued")
            ]
        );
        assert_eq!(blocks[1], Block::Text("> A quote about releases.".into()));
        assert_eq!(blocks[2], Block::Text("> - a plain quoted bullet".into()));
    }

    #[test]
    fn status_marks_after_a_step_are_run_state_and_leave_it() {
        let got = steps("# G\n\n## Release Checklist\n\n- [x] Tag it ✅\n- [ ] Ship it 🟢 ⏳\n- [ ] Verify ✔\u{fe0f}\n- [ ] ✅\n- [ ] Check ✅ then ship\n");
        let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            ["Tag it", "Ship it", "Verify", "✅", "Check ✅ then ship"]
        );
        let prose = parse("copy", "# G\n\n## Notes\n\n- Good idea ✅\n");
        assert_eq!(
            prose.sections[0].all_items()[0].text,
            "Good idea ✅",
            "not a step: kept"
        );
    }

    #[test]
    fn mkdocs_admonitions_become_github_alerts() {
        let v = parse(
            "copy",
            "# G\n\n## Deploy\n\n!!! warning \"Before you deploy\"\n    Freeze the branch.\n\n    Tell support.\n\n??? note\n    Folded.\n\n!!! unknown\n    stays code\n\n```\nfenced code\n```\n",
        );
        let blocks = &v.sections[0].blocks;
        assert_eq!(
            blocks[0],
            Block::Text("> [!WARNING]\n> **Before you deploy**\n>\n> Freeze the branch.\n>\n> Tell support.".into())
        );
        assert_eq!(blocks[1], Block::Text("> [!NOTE]\n> Folded.".into()));
        // Not an admonition MkDocs knows: as CommonMark reads it.
        assert_eq!(blocks[2], Block::Text("!!! unknown\n    stays code".into()));
        assert!(matches!(&blocks[3], Block::Code { code, .. } if code == "fenced code\n"));
        assert_eq!(blocks.len(), 4);
    }
}
