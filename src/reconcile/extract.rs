//! From merged documents to structured data: roles (from owner annotations
//! and responsibility lists), checklists (from sections with task lists,
//! whose lists become embed links) and the release-note spec (from the
//! release-notes template sections).

use std::collections::{BTreeSet, HashMap};

use super::merge::{Doc, MBlock, MItem, MList, MSection};
use super::roles::{looks_like_role, parse_role_list, RoleBook};
use super::text::{
    abbreviation_candidate, item_id, item_tokens, normalise_heading, owner_tag, same_analysed,
    without_attributes, without_numbering,
};
use crate::checklist::{
    Checklist, ChecklistItem, Group, ReleaseNoteSection, ReleaseNoteSpec, ReleaseType,
};
use crate::slug::UniqueIds;

/// Every role the documents name, with their responsibilities.
pub fn collect_roles(docs: &[Doc]) -> RoleBook {
    let mut book = RoleBook::default();
    for doc in docs {
        collect_in_blocks(&mut book, &doc.preamble, None);
        for section in &doc.sections {
            collect_in_section(&mut book, section);
        }
    }
    // Handles and abbreviations name a role only once every role is known.
    let mut later = Vec::new();
    for doc in docs {
        for_each_item(&doc.preamble, &mut |item| later_spellings(item, &mut later));
        for section in &doc.sections {
            for_each_section_item(section, &mut |item| later_spellings(item, &mut later));
        }
    }
    for (spelling, certain) in later {
        if !book.pin_alias(&spelling) && certain {
            book.add_spelling(&spelling);
        }
    }
    book
}

/// Team handles an item names (certainly owners), and an abbreviation it
/// may end with (an owner only if it names a known role).
fn later_spellings(item: &MItem, out: &mut Vec<(String, bool)>) {
    for owner in item
        .analysed
        .owners
        .iter()
        .filter(|o| o.starts_with('@') || is_abbreviation(o))
    {
        out.push((owner.clone(), true));
    }
    if let Some((candidate, _)) = abbreviation_candidate(&item.analysed.text) {
        out.push((candidate, false));
    }
}

/// "RM", "PM": a short all-capitals owner, matched against the known roles.
/// A role's full name in capitals ("QA", "SRE") is simply that role.
fn is_abbreviation(owner: &str) -> bool {
    (2..=5).contains(&owner.len()) && owner.chars().all(|c| c.is_ascii_uppercase())
}

fn for_each_item(blocks: &[MBlock], f: &mut dyn FnMut(&MItem)) {
    fn walk(list: &MList, f: &mut dyn FnMut(&MItem)) {
        for item in &list.items {
            f(item);
            if let Some(children) = &item.children {
                walk(children, f);
            }
        }
    }
    for block in blocks {
        if let MBlock::List(list) = block {
            walk(list, f);
        }
    }
}

fn for_each_section_item(section: &MSection, f: &mut dyn FnMut(&MItem)) {
    for_each_item(&section.blocks, f);
    for child in &section.children {
        for_each_section_item(child, f);
    }
}

fn collect_in_section(book: &mut RoleBook, section: &MSection) {
    let heading_role = section
        .heading
        .trim()
        .strip_suffix("Responsibilities")
        .map(|r| {
            r.trim()
                .trim_end_matches(['-', '—', ':'])
                .trim()
                .to_string()
        })
        .filter(|r| !r.is_empty() && looks_like_role(r));
    let about_roles = section.heading.to_lowercase().contains("role");
    collect_in_blocks(
        book,
        &section.blocks,
        heading_role
            .as_deref()
            .map(|r| (r, about_roles))
            .or(if about_roles { Some(("", true)) } else { None }),
    );
    for child in &section.children {
        collect_in_section(book, child);
    }
}

/// `context`: the role a heading names (may be empty) and whether the section is about roles.
fn collect_in_blocks(book: &mut RoleBook, blocks: &[MBlock], context: Option<(&str, bool)>) {
    let mut current_role: Option<String> = context
        .map(|(r, _)| r.to_string())
        .filter(|r| !r.is_empty());
    if let Some(role) = &current_role {
        book.add_spelling(role);
    }
    let about_roles = context.is_some_and(|(_, about)| about);
    for block in blocks {
        match block {
            MBlock::Text { markdown, .. } if about_roles && current_role.is_none() => {
                // "| Role | Responsibilities |": a row per role.
                for (role, duties) in super::table::roles(markdown).unwrap_or_default() {
                    if looks_like_role(&role) {
                        book.add_spelling(&role);
                        for duty in duties {
                            book.add_responsibility(&role, &duty);
                        }
                    }
                }
                if let Some(role) = bold_label(markdown).filter(|r| looks_like_role(r)) {
                    book.add_spelling(&role);
                    current_role = Some(role);
                }
            }
            MBlock::Text { markdown, .. } => {
                if let Some(role) = bold_label(markdown).filter(|r| looks_like_role(r)) {
                    book.add_spelling(&role);
                    current_role = Some(role);
                }
            }
            MBlock::List(list) => collect_in_list(book, list, current_role.as_deref(), about_roles),
            MBlock::Code { .. } => {}
        }
    }
}

fn collect_in_list(book: &mut RoleBook, list: &MList, role: Option<&str>, about_roles: bool) {
    for item in &list.items {
        for owner in item.analysed.owners.iter().filter(|o| !o.starts_with('@')) {
            // "Owner: RM" waits, like "(RM)", until every role is known.
            if !is_abbreviation(owner) {
                book.add_spelling(owner);
            }
        }
        let labelled = bold_prefix(&item.raw).or_else(|| plain_prefix(&item.raw));
        if let Some(role) = role {
            book.add_responsibility(role, &item.raw);
        } else if let Some((label, rest)) = labelled
            .as_ref()
            .filter(|(l, _)| about_roles && looks_like_role(l))
        {
            book.add_responsibility(label, rest);
        } else if let Some((_, rest)) = &labelled {
            // "**Decision Maker:** Release Manager or Incident Commander" names roles.
            for spelling in parse_role_list(rest).unwrap_or_default() {
                book.add_spelling(&spelling);
            }
        }
        if let Some(children) = &item.children {
            collect_in_list(book, children, None, about_roles);
        }
    }
}

/// `**Release Manager:**` or `**Release Manager**:` alone in a paragraph.
fn bold_label(markdown: &str) -> Option<String> {
    let inner = markdown.trim().strip_prefix("**")?;
    let inner = inner
        .strip_suffix(":**")
        .or_else(|| inner.strip_suffix("**:"))?;
    (!inner.contains("**")).then(|| inner.trim().to_string())
}

/// `**SRE/DevOps**: Lead technical response` → ("SRE/DevOps", "Lead technical response").
fn bold_prefix(text: &str) -> Option<(String, String)> {
    let rest = text.trim().strip_prefix("**")?;
    let (label, after) = rest.split_once("**")?;
    let label = label.trim().trim_end_matches(':');
    // "**Release Manager** — coordinates": a dash sets the label off too.
    let after = after
        .trim_start()
        .trim_start_matches([':', '—', '–'])
        .trim_start_matches("- ")
        .trim();
    (!after.is_empty()).then(|| (label.to_string(), after.to_string()))
}

/// `SRE: runs production`, `QA Lead — tests the build`: a role label
/// without bold (used only where the section is about roles).
fn plain_prefix(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    let (label, after) = [": ", " — ", " – "]
        .iter()
        .filter_map(|sep| text.split_once(sep))
        .min_by_key(|(label, _)| label.len())?;
    let after = after.trim();
    (looks_like_role(label) && !after.is_empty())
        .then(|| (label.trim().to_string(), after.to_string()))
}

/// An item of a checklist made earlier, for `ref`s to it.
pub struct EarlierItem {
    /// `checklist-id/item-id`.
    pub reference: String,
    pub text: String,
    pub tokens: Vec<String>,
}

/// The items (not themselves `ref`s) of the checklists made so far, for
/// later documents, indexed by token: a reconcile of 120 documents compared
/// every item with every earlier one (9 s; the index makes it linear).
#[derive(Default)]
pub struct EarlierItems {
    items: Vec<EarlierItem>,
    by_token: HashMap<String, Vec<usize>>,
    /// Lowercase text → items: what items without content words match on.
    by_text: HashMap<String, Vec<usize>>,
}

impl EarlierItems {
    /// Add the items of `checklists`, made after those already here.
    pub fn extend(&mut self, checklists: &[Checklist]) {
        for checklist in checklists {
            let items = checklist.groups.iter().flat_map(|g| &g.items);
            for item in items.filter(|i| i.reference.is_none()) {
                let index = self.items.len();
                let tokens = item_tokens(&item.text);
                for token in &tokens {
                    self.by_token.entry(token.clone()).or_default().push(index);
                }
                self.by_text
                    .entry(item.text.to_lowercase())
                    .or_default()
                    .push(index);
                self.items.push(EarlierItem {
                    reference: format!("{}/{}", checklist.id, item.id),
                    text: item.text.clone(),
                    tokens,
                });
            }
        }
    }

    /// The reference of the first earlier item that is the same step as
    /// `text` ([`same_analysed`]), as a search of every item in order finds it.
    #[cfg(test)]
    pub fn same_as(&self, text: &str, tokens: &[String]) -> Option<&str> {
        self.first(text, tokens, |_| true)
    }

    /// [`Self::same_as`], among the earlier items that hold every word of
    /// `tokens`: a `ref` stands for the item, so it may not drop its words
    /// ("All acceptance criteria met and PRs merged" is no ref to
    /// "Acceptance criteria validated").
    pub fn covering(&self, text: &str, tokens: &[String]) -> Option<&str> {
        self.first(text, tokens, |e| {
            tokens.iter().all(|t| e.tokens.contains(t))
        })
    }

    fn first(
        &self,
        text: &str,
        tokens: &[String],
        also: impl Fn(&EarlierItem) -> bool,
    ) -> Option<&str> {
        // Items with content words are alike only when they share one;
        // an item without is alike only to one written the same.
        let same_text = self
            .by_text
            .get(&text.to_lowercase())
            .into_iter()
            .flatten()
            .copied();
        let mut candidates: Vec<usize> = if tokens.is_empty() {
            same_text.collect()
        } else {
            let sharing = tokens
                .iter()
                .filter_map(|t| self.by_token.get(t))
                .flatten()
                .copied();
            let wordless = same_text.filter(|&i| self.items[i].tokens.is_empty());
            sharing.chain(wordless).collect()
        };
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .map(|i| &self.items[i])
            .find(|e| same_analysed(&e.text, &e.tokens, text, tokens) && also(e))
            .map(|e| e.reference.as_str())
    }
}

/// What turning sections into checklists produced.
#[derive(Debug, Default)]
pub struct Checklists {
    pub checklists: Vec<Checklist>,
    /// Items that no copy names an owner for: (checklist, item id, text).
    pub without_owner: Vec<(String, String, String)>,
    /// Owners inferred for items no copy names an owner for.
    pub inferred_owner: Vec<InferredOwner>,
}

/// An owner reconcile worked out, for a writer to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferredOwner {
    pub checklist: String,
    pub item: String,
    pub text: String,
    pub role: String,
    /// "the document's purpose", "responsibility: …", "section: …".
    pub reason: String,
}

/// Turn every section with task items into a checklist, replacing its
/// lists in the page by an embed link. Items the same as one in an
/// `earlier` checklist become references to it.
pub fn extract_checklists(
    doc: &mut Doc,
    roles: &RoleBook,
    taken: &mut BTreeSet<String>,
    earlier: &EarlierItems,
    out: &mut Checklists,
) {
    let first_new = out.checklists.len();
    for section in &mut doc.sections {
        extract_in(section, roles, taken, earlier, out);
    }
    // A document written for one role ("a checklist for Release Managers")
    // makes that role the owner of its items that name no owner; elsewhere
    // the roles whose responsibilities or domain describe the item.
    let purpose = purpose_role(doc, roles);
    let inference = super::infer::OwnerInference::new(roles);
    for checklist in &mut out.checklists[first_new..] {
        for group in &mut checklist.groups {
            for item in &mut group.items {
                if !item.owners.is_empty() || item.reference.is_some() {
                    continue;
                }
                let found: Vec<(String, String)> = match &purpose {
                    Some(role) => vec![(role.clone(), "the document's purpose".to_string())],
                    None => inference
                        .infer(&item.text, &group.title)
                        .into_iter()
                        .map(|i| (i.role, i.reason))
                        .collect(),
                };
                for (role, reason) in found {
                    item.owners.push(role.clone());
                    item.inferred.push(role.clone());
                    out.inferred_owner.push(InferredOwner {
                        checklist: checklist.id.clone(),
                        item: item.id.clone(),
                        text: item.text.clone(),
                        role,
                        reason,
                    });
                }
                if !item.owners.is_empty() {
                    out.without_owner
                        .retain(|(c, i, _)| !(c == &checklist.id && i == &item.id));
                }
            }
        }
    }
}

/// The one role a document's Purpose section says it is for, if exactly one.
fn purpose_role(doc: &Doc, roles: &RoleBook) -> Option<String> {
    let purpose = doc
        .sections
        .iter()
        .find(|s| normalise_heading(&s.heading) == "purpose")?;
    let text: String = purpose
        .blocks
        .iter()
        .filter_map(|b| match b {
            MBlock::Text { markdown, .. } => Some(markdown.to_lowercase()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '/' && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    let mut found = BTreeSet::new();
    for role in roles.roles_ref() {
        for spelling in std::iter::once(&role.name).chain(&role.aliases) {
            let spelled: Vec<String> = spelling
                .to_lowercase()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let n = spelled.len();
            let named = words.windows(n).any(|w| {
                w.iter().zip(&spelled).enumerate().all(|(i, (word, want))| {
                    *word == want || (i == n - 1 && word.strip_suffix('s') == Some(want.as_str()))
                })
            });
            if n > 0 && named {
                found.insert(role.id.clone());
            }
        }
    }
    (found.len() == 1)
        .then(|| found.into_iter().next())
        .flatten()
}

fn extract_in(
    section: &mut MSection,
    roles: &RoleBook,
    taken: &mut BTreeSet<String>,
    earlier: &EarlierItems,
    out: &mut Checklists,
) {
    if !has_tasks(section) {
        for child in &mut section.children {
            extract_in(child, roles, taken, earlier, out);
        }
        return;
    }
    // A copy's `{#id}` is not the checklist's; nor is its `Step 2:` part of
    // the id, which runs refer to and which must outlast a renumbering.
    let heading = without_attributes(&section.heading);
    let id = unique_in(
        taken,
        &crate::ids::id_from(without_numbering(&heading), "checklist"),
    );
    let mut checklist = Checklist {
        id: id.clone(),
        title: heading.clone(),
        description: None,
        types: Vec::new(),
        groups: Vec::new(),
    };
    let mut group_ids = UniqueIds::default();
    let mut item_ids = UniqueIds::default();
    let mut sections = vec![section];
    while let Some(group_section) = sections.pop() {
        // The embed goes where the first task list was.
        let first_task_list = group_section
            .blocks
            .iter()
            .position(|b| matches!(b, MBlock::List(l) if l.items.iter().any(|i| i.task)));
        let items: Vec<MItem> = take_items(group_section);
        if !items.is_empty() {
            let group_heading = without_attributes(&group_section.heading);
            let group_id = group_ids.unique(&crate::ids::id_from(
                without_numbering(&group_heading),
                "group",
            ));
            let group = Group {
                id: group_id.clone(),
                title: group_heading,
                timing: group_section.timing.clone(),
                phase: None,
                types: Vec::new(),
                items: convert_items(items, &id, roles, &mut item_ids, earlier, out),
            };
            let embed = format!(
                "[{} checklist](checklists/{}.yaml#{})",
                group.title, id, group_id
            );
            insert_embed(group_section, first_task_list, embed);
            checklist.groups.push(group);
        }
        // Depth first, in order: push children reversed.
        for child in group_section.children.iter_mut().rev() {
            sections.push(child);
        }
    }
    out.checklists.push(checklist);
}

/// A group's items as checklist items, depth first: an item, then its
/// sub-items (each with its parent's id). Those with no owner are noted.
fn convert_items(
    items: Vec<MItem>,
    checklist_id: &str,
    roles: &RoleBook,
    item_ids: &mut UniqueIds,
    earlier: &EarlierItems,
    out: &mut Checklists,
) -> Vec<ChecklistItem> {
    let mut converted_items = Vec::new();
    let mut pending: Vec<(MItem, Option<String>)> =
        items.into_iter().rev().map(|i| (i, None)).collect();
    while let Some((item, parent)) = pending.pop() {
        let mut converted = convert_item(&item, checklist_id, roles, item_ids, earlier);
        converted.parent = parent;
        if converted.owners.is_empty() && converted.reference.is_none() {
            out.without_owner.push((
                checklist_id.to_string(),
                converted.id.clone(),
                converted.text.clone(),
            ));
        }
        if let Some(children) = &item.children {
            for child in children.items.iter().rev() {
                pending.push((child.clone(), Some(converted.id.clone())));
            }
        }
        converted_items.push(converted);
    }
    converted_items
}

/// The line that embeds a group, where its first task list was (at the
/// end when it had none).
fn insert_embed(section: &mut MSection, first_task_list: Option<usize>, embed: String) {
    let at = first_task_list
        .unwrap_or(section.blocks.len())
        .min(section.blocks.len());
    section.blocks.insert(
        at,
        MBlock::Text {
            markdown: embed,
            sources: Vec::new(),
            alternatives: Vec::new(),
        },
    );
}

fn has_tasks(section: &MSection) -> bool {
    section
        .blocks
        .iter()
        .any(|b| matches!(b, MBlock::List(l) if l.items.iter().any(|i| i.task)))
        || section.children.iter().any(has_tasks)
}

/// Remove a section's task lists (lists with at least one task item; plain
/// bullet lists stay prose) and return their items, in order.
fn take_items(section: &mut MSection) -> Vec<MItem> {
    let mut items = Vec::new();
    section.blocks.retain_mut(|block| match block {
        MBlock::List(list) if list.items.iter().any(|i| i.task) => {
            items.append(&mut list.items);
            false
        }
        _ => true,
    });
    items
}

fn convert_item(
    item: &MItem,
    checklist: &str,
    roles: &RoleBook,
    ids: &mut UniqueIds,
    earlier: &EarlierItems,
) -> ChecklistItem {
    let mut plain = item.analysed.text.clone();
    let mut spellings = item.analysed.owners.clone();
    // "(RM)", "— Release Mgr", "[QA] …", "QA: …": an owner when it names a known role.
    for tagged in [abbreviation_candidate, owner_tag] {
        if let Some((candidate, rest)) = tagged(&plain) {
            if roles.resolve(&candidate).is_some() {
                spellings.push(candidate);
                plain = rest;
            }
        }
    }
    let id = ids.unique(&item_id(&plain));
    // The item moves from a page at the content root into checklists/.
    let text = rebase_links(&plain, "../");
    let mut owners: Vec<String> = Vec::new();
    for spelling in &spellings {
        let owner = roles.resolve(spelling).unwrap_or_else(|| spelling.clone());
        if !owners.contains(&owner) {
            owners.push(owner);
        }
    }
    if owners.is_empty() {
        // "Product Manager approval", "QA sign-off received": a role that
        // opens the item is the one who does it.
        if let Some(owner) = leading_role(&item.analysed.text, roles) {
            owners.push(owner);
        }
    }
    let types: Vec<ReleaseType> = item
        .analysed
        .release_types
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    let reference = earlier
        .covering(&item.analysed.text, &item.tokens)
        .map(str::to_string);
    let _ = checklist;
    ChecklistItem {
        id,
        text: if reference.is_some() {
            String::new()
        } else {
            text
        },
        reference,
        owners,
        inferred: Vec::new(),
        types,
        optional: item.analysed.optional,
        when: (!item.analysed.when.is_empty()).then(|| item.analysed.when.join("; ")),
        parent: None,
        sources: item.sources.clone(),
    }
}

/// The role whose exact name or alias (any case) makes up the first one to
/// four words of `text`, if any. Exact, so "Stakeholders notified" does not
/// become an owner by a loose match.
fn leading_role(text: &str, roles: &RoleBook) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().take(4).collect();
    let known = roles.roles_ref();
    (1..=words.len()).rev().find_map(|n| {
        let candidate = words[..n].join(" ").to_lowercase();
        known
            .iter()
            .find(|r| {
                r.name.to_lowercase() == candidate
                    || r.aliases.iter().any(|a| a.to_lowercase() == candidate)
            })
            .map(|r| r.id.clone())
    })
}

/// Prefix every relative link destination in `markdown` with `prefix`, for
/// text that moves to another folder. Absolute URLs and `#anchors` stay.
pub fn rebase_links(markdown: &str, prefix: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut out = String::with_capacity(markdown.len() + 8);
    let mut copied = 0;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let relative = !(dest_url.is_empty()
            || dest_url.starts_with('#')
            || dest_url.starts_with('/')
            || dest_url.contains(':'));
        let Some(open) = markdown[range.clone()]
            .rfind("](")
            .map(|i| range.start + i + 2)
        else {
            continue;
        };
        if !relative || open < copied {
            continue;
        }
        out.push_str(&markdown[copied..open]);
        out.push_str(prefix);
        copied = open + usize::from(markdown[open..].starts_with("./")) * 2;
    }
    out.push_str(&markdown[copied..]);
    out
}

fn unique_in(taken: &mut BTreeSet<String>, base: &str) -> String {
    let base = if base.is_empty() { "checklist" } else { base };
    let mut candidate = base.to_string();
    let mut n = 1;
    while taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// The release-note spec: the union of every release-notes template section.
/// Their lists and code blocks leave the page for `release-notes.yaml`.
pub fn release_note_spec(docs: &mut [Doc], roles: &RoleBook) -> Option<ReleaseNoteSpec> {
    let mut spec = ReleaseNoteSpec {
        commits: None,
        title: "Release {version} — {date}".to_string(),
        sections: Vec::new(),
    };
    let mut found = false;
    for doc in docs.iter_mut() {
        for section in doc.sections.iter_mut() {
            if !normalise_heading(&section.heading).contains("release notes template") {
                continue;
            }
            found = true;
            // The rich template first, so its order leads; then the plain
            // fields, each placed after the field before it.
            let blocks = std::mem::take(&mut section.blocks);
            let mut kept = Vec::new();
            for block in &blocks {
                if let MBlock::Code { code, sources, .. } = block {
                    if code.trim_start().starts_with('#') {
                        add_rich_template(&mut spec, code, sources);
                        continue;
                    }
                }
                if !matches!(block, MBlock::List(_)) {
                    kept.push(block.clone());
                }
            }
            for block in &blocks {
                if let MBlock::List(list) = block {
                    let mut cursor = None;
                    for item in &list.items {
                        add_field(&mut spec, item, roles, &mut cursor);
                    }
                }
            }
            kept.push(MBlock::Text {
                markdown: "The Release notes page lists the sections of a release note, with what to write in each and the release types that need each one, ready to copy for a patch, minor or major release.".to_string(),
                sources: Vec::new(),
                alternatives: Vec::new(),
            });
            section.blocks = kept;
        }
    }
    found.then_some(spec)
}

/// A plain field such as `- Migration steps (if any):`.
fn add_field(
    spec: &mut ReleaseNoteSpec,
    item: &MItem,
    roles: &RoleBook,
    cursor: &mut Option<usize>,
) {
    let label = item
        .analysed
        .text
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_string();
    let key = normalise_heading(&label);
    if key.contains("release name") || key == "date" {
        return; // part of the title pattern
    }
    let owners = item
        .analysed
        .owners
        .iter()
        .map(|o| roles.resolve(o).unwrap_or_else(|| o.clone()))
        .collect();
    let base = prompt_from("", &label);
    let prompt = if item.analysed.owners.is_empty() {
        base
    } else {
        format!("{base} Prepared by {}.", item.analysed.owners.join(" and "))
    };
    let draft = Draft {
        title: &label,
        prompt: &prompt,
        template: "",
        owners,
        sources: &item.sources,
        optional: item.analysed.optional,
    };
    *cursor = Some(upsert(spec, draft, *cursor));
}

/// A Markdown release-note template: `# Release [Name/Number] — [Date]` and `## Section` parts.
fn add_rich_template(spec: &mut ReleaseNoteSpec, code: &str, sources: &[String]) {
    let mut current: Option<(String, Vec<String>)> = None;
    let flush = |current: &mut Option<(String, Vec<String>)>, spec: &mut ReleaseNoteSpec| {
        if let Some((title, lines)) = current.take() {
            let body = lines.join("\n").trim().to_string();
            let prompt = prompt_from(&body, &title);
            let draft = Draft {
                title: &title,
                prompt: &prompt,
                template: &body,
                owners: Vec::new(),
                sources,
                optional: false,
            };
            upsert(spec, draft, None);
        }
    };
    for line in code.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            flush(&mut current, spec);
            current = Some((strip_symbols(title), Vec::new()));
        } else if line.starts_with("# ") {
            continue;
        } else if line.trim() == "---" {
            flush(&mut current, spec);
        } else if let Some((_, lines)) = &mut current {
            lines.push(line.to_string());
        } else if !line.trim().is_empty() && line.trim_start().starts_with("**") {
            current = Some((
                strip_symbols(line.trim().trim_matches('*').trim_end_matches('?')),
                Vec::new(),
            ));
        }
    }
    flush(&mut current, spec);
}

/// What to write in a section: a known prompt for the usual release-note
/// sections, else the template's most descriptive bracketed hint, else the title.
fn prompt_from(body: &str, title: &str) -> String {
    if let Some(prompt) = known_prompt(&normalise_heading(title)) {
        return prompt.to_string();
    }
    let hints = body
        .split('[')
        .skip(1)
        .filter_map(|s| s.split_once(']').map(|(h, _)| h.trim()));
    match hints
        .filter(|h| h.split_whitespace().count() >= 3)
        .max_by_key(|h| h.len())
    {
        Some(hint) => format!("{hint}."),
        None => format!("{title}."),
    }
}

/// Prompts for the sections release notes usually have.
fn known_prompt(key: &str) -> Option<&'static str> {
    const PROMPTS: &[(&str, &str)] = &[
        ("summary", "Two or three sentences: what is in this release and why it matters to users."),
        ("notable changes", "The changes users will notice, most important first."),
        ("whats new", "New features, grouped by area: what each does, who gets it, how to use it."),
        ("improvements", "What got better and the effect users will see."),
        ("bug fixes", "Each fixed problem as users experienced it."),
        ("breaking changes", "What stops working as before, and exactly what users must do about it."),
        ("migration steps", "Step-by-step instructions to move to this release, or a link to the migration guide."),
        ("known issues", "Problems still open in this release, each with its workaround or expected fix."),
        ("deprecations", "What is deprecated, when it will be removed, and what to use instead."),
        ("documentation", "Links to the updated user guide, API reference and migration guide."),
        ("acknowledgments", "The contributors and teams who made this release possible."),
        ("need help", "Where to find documentation, support contacts and the issue tracker."),
        ("customer impact", "How customers are affected, and what account teams should tell them."),
        ("support readiness checklist", "Confirm support has the release notes, known issues, FAQs, escalation contacts and training."),
    ];
    PROMPTS.iter().find(|(k, _)| *k == key).map(|(_, p)| *p)
}

/// A title without trailing emoji and symbols: "What's New ✨" → "What's New".
fn strip_symbols(title: &str) -> String {
    title
        .trim()
        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != ')')
        .trim()
        .to_string()
}

/// A release-note section as one template describes it.
struct Draft<'a> {
    title: &'a str,
    prompt: &'a str,
    template: &'a str,
    owners: Vec<String>,
    sources: &'a [String],
    optional: bool,
}

/// Merge a section into the spec (by normalised title), or add it after
/// `after` (at the end without one). Returns its index.
fn upsert(spec: &mut ReleaseNoteSpec, draft: Draft, after: Option<usize>) -> usize {
    let key = normalise_heading(draft.title);
    let key = key.trim_end_matches(" if any").to_string();
    if let Some(i) = spec
        .sections
        .iter()
        .position(|s| normalise_heading(&s.title).trim_end_matches(" if any") == key)
    {
        let existing = &mut spec.sections[i];
        if existing.template.is_empty() && !draft.template.is_empty() {
            existing.template = draft.template.to_string();
            existing.prompt = draft.prompt.to_string();
        }
        for owner in draft.owners {
            if !existing.owners.contains(&owner) {
                existing.owners.push(owner);
            }
        }
        for source in draft.sources {
            if !existing.sources.contains(source) {
                existing.sources.push(source.clone());
            }
        }
        return i;
    }
    let mut ids = UniqueIds::default();
    for s in &spec.sections {
        ids.reserve(&s.id);
    }
    let at = after
        .map_or(spec.sections.len(), |a| a + 1)
        .min(spec.sections.len());
    spec.sections.insert(
        at,
        ReleaseNoteSection {
            id: ids.unique(&crate::ids::id_from(&key, "section")),
            title: draft.title.trim_end_matches(" (if any)").to_string(),
            prompt: draft.prompt.to_string(),
            types: types_for(&key, draft.optional),
            template: draft.template.to_string(),
            owners: draft.owners,
            sources: draft.sources.to_vec(),
        },
    );
    at
}

/// Which releases need a section: breaking changes only major ones,
/// migrations and deprecations minor and major ones, the rest all.
fn types_for(key: &str, optional: bool) -> Vec<ReleaseType> {
    if key.contains("breaking") {
        vec![ReleaseType::Major]
    } else if key.contains("migration")
        || key.contains("deprecat")
        || (optional && key.contains("steps"))
    {
        vec![ReleaseType::Minor, ReleaseType::Major]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_labels_and_prefixes() {
        assert_eq!(
            bold_label("**QA/Testing Specialist:**").as_deref(),
            Some("QA/Testing Specialist")
        );
        assert_eq!(bold_label("**Developers**:").as_deref(), Some("Developers"));
        assert_eq!(bold_label("**See [x](y) for details.**"), None);
        assert_eq!(
            bold_prefix("**SRE/DevOps**: Lead technical response"),
            Some(("SRE/DevOps".into(), "Lead technical response".into()))
        );
        assert_eq!(
            bold_prefix("**Decision Maker:** Release Manager"),
            Some(("Decision Maker".into(), "Release Manager".into()))
        );
    }

    #[test]
    fn links_are_rebased_when_text_moves_folder() {
        assert_eq!(
            rebase_links("See [log](./decision-log.md) now", "../"),
            "See [log](../decision-log.md) now"
        );
        assert_eq!(
            rebase_links("[a](x.md#b) and [c](https://e.org) and [d](#e)", "../"),
            "[a](../x.md#b) and [c](https://e.org) and [d](#e)"
        );
        assert_eq!(
            rebase_links("no links (at all)", "../"),
            "no links (at all)"
        );
    }

    #[test]
    fn symbols_leave_titles() {
        assert_eq!(strip_symbols("What's New ✨"), "What's New");
        assert_eq!(strip_symbols("Breaking Changes ⚠️"), "Breaking Changes");
        assert_eq!(strip_symbols("Known Issues"), "Known Issues");
    }

    #[test]
    fn prompts_come_from_bracketed_hints() {
        assert_eq!(
            prompt_from("- [Item]: [What changed for the payments team]", "Payments"),
            "What changed for the payments team."
        );
        assert_eq!(prompt_from("[x]", "Odd section"), "Odd section.");
        assert!(prompt_from("", "Known Issues").starts_with("Problems still open"));
    }

    #[test]
    fn release_types_by_section() {
        assert_eq!(types_for("breaking changes", false), [ReleaseType::Major]);
        assert_eq!(
            types_for("migration steps", true),
            [ReleaseType::Minor, ReleaseType::Major]
        );
        assert!(types_for("summary", false).is_empty());
    }

    /// A phrase of one to four words from a vocabulary with stopwords,
    /// capitals, stems in common and a dash (an item without content words).
    fn phrase() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        const WORDS: [&str; 11] = [
            "deploy", "Deploy", "deployed", "the", "and", "staging", "review", "notes", "plan",
            "tests", "—",
        ];
        proptest::collection::vec(proptest::sample::select(&WORDS[..]), 1..5)
            .prop_map(|w| w.join(" "))
    }

    proptest::proptest! {
        #[test]
        fn the_token_index_finds_what_searching_every_earlier_item_finds(
            texts in proptest::collection::vec(phrase(), 0..30),
            // A query's tokens may come from other words than its text, as
            // a merged item's do when an owner abbreviation left them.
            queries in proptest::collection::vec((phrase(), proptest::option::of(phrase())), 1..10),
        ) {
            let mut yaml = String::from("id: c\ntitle: C\ngroups:\n- id: g\n  title: G\n  items:\n");
            for (i, text) in texts.iter().enumerate() {
                yaml.push_str(&format!("  - {{id: i{i}, text: \"{text}\"}}\n"));
            }
            let checklist: Checklist = serde_norway::from_str(&yaml).unwrap();
            let mut earlier = EarlierItems::default();
            earlier.extend(std::slice::from_ref(&checklist));
            for (query, other_words) in &queries {
                let tokens = item_tokens(other_words.as_ref().unwrap_or(query));
                let linear = earlier
                    .items
                    .iter()
                    .find(|e| same_analysed(&e.text, &e.tokens, query, &tokens))
                    .map(|e| e.reference.as_str());
                proptest::prop_assert_eq!(earlier.same_as(query, &tokens), linear, "{}", query);
            }
        }
    }

    #[test]
    fn a_ref_stands_only_for_an_item_whose_words_it_holds() {
        let yaml = "id: c\ntitle: C\ngroups:\n- id: g\n  title: G\n  items:\n  - {id: short, text: Acceptance criteria met}\n";
        let checklist: Checklist = serde_norway::from_str(yaml).unwrap();
        let mut earlier = EarlierItems::default();
        earlier.extend(std::slice::from_ref(&checklist));
        let fuller = "All acceptance criteria met and PRs merged";
        let tokens = item_tokens(fuller);
        assert_eq!(
            earlier.same_as(fuller, &tokens),
            Some("c/short"),
            "the same step by similarity"
        );
        assert_eq!(
            earlier.covering(fuller, &tokens),
            None,
            "but no earlier item holds `PRs merged`"
        );
        let shorter = "All acceptance criteria met";
        assert_eq!(
            earlier.covering(shorter, &item_tokens(shorter)),
            Some("c/short")
        );
    }
}
