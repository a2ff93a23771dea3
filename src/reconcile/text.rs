//! Text analysis for reconcile: what a checklist or bullet item says once
//! its owner annotations and conditions are taken out ([`analyse_item`]);
//! how headings and items compare, and item ids, are in [`compare`] and
//! re-exported here.
//!
//! All functions are pure and take repaired text (em dashes, not mojibake).

mod compare;

use super::roles::{listed, looks_like_role, parse_role_list};

pub use compare::{
    item_id, item_tokens, normalise_heading, same_analysed, same_item, same_tokens, similarity,
    split_timing, without_attributes, without_numbering, SAME_ITEM_THRESHOLD,
};

pub use crate::checklist::ReleaseType;

/// "patch", "hotfixes", "Major" → the type; anything else → `None`.
fn release_type_from_word(word: &str) -> Option<ReleaseType> {
    match word {
        "patch" | "patches" | "hotfix" | "hotfixes" => Some(ReleaseType::Patch),
        "minor" => Some(ReleaseType::Minor),
        "major" => Some(ReleaseType::Major),
        _ => None,
    }
}

/// One item, analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemText {
    /// The item without owner annotations and condition phrases; inline
    /// Markdown other than bold role names kept, whitespace tidied.
    pub text: String,
    /// Owner spellings exactly as written, in order, without duplicates.
    pub owners: Vec<String>,
    /// `Some` when the item applies to some release types only.
    pub release_types: Option<Vec<ReleaseType>>,
    /// "(if applicable)", "(if needed)", "if necessary", ...
    pub optional: bool,
    /// The condition phrases as written, for the report.
    pub conditions: Vec<String>,
    /// Conditions that are neither release types nor plain "if needed",
    /// kept verbatim: "if external-facing", "only when migrations lock tables".
    pub when: Vec<String>,
}

/// Phrases that make an item optional when they end it without parentheses
/// ("Backport fix to main development branch if needed"), comma-separated.
const OPTIONAL_ENDINGS: &str = "if applicable, if needed, if necessary, if required, if any, \
    if possible, as needed, as necessary, when possible, where possible, when applicable, \
    where applicable, when needed";
/// Words a release-type condition may consist of ("for minor and major releases").
const RELEASE_WORDS: &str = "for only release releases and or if type types required & a on \
    skip except excluding not no patch patches hotfix hotfixes minor major";
/// Words that mark a parenthetical as a release-type condition rather than a
/// list ("Release type identified (patch, minor, major)" is not one).
const RELEASE_MARKERS: &str = "for only release releases if required skip except excluding";
/// Words that turn a release-type phrase around: "skip for patches".
const NEGATIONS: &str = "skip except excluding not no";
/// Analyses one item. Recognised, in this order:
///
/// 1. a leading bold role as subject: "**SRE/DevOps** triggers incident
///    response" → owner, text "Triggers incident response" (the subject is
///    removed and the verb capitalised, so the item reads like the other
///    variants' imperative items and matches them); "**SRE/DevOps**: Lead
///    technical response" likewise;
/// 2. a trailing owner list after a dash: "— **SRE/DevOps** and **QA/Test
///    Engineer**";
/// 3. parentheticals: owner lists ("(**QA/Test Engineer**)", "(QA
///    Specialist validates)", "(validated by **Security Lead**)"), release
///    types ("(for major releases)", "(patch only)") and optional
///    conditions ("(if applicable)", "(when possible)"), all removed; any
///    other parenthetical and link targets are kept;
/// 4. a trailing bare condition ("... if necessary"), removed;
/// 5. owners named in running text after "by" ("signed off by External
///    Stakeholders"), text kept; bold role names elsewhere lose their `**`.
///
/// Analysing an analysed text gives the same text again.
pub fn analyse_item(raw: &str) -> ItemText {
    let mut item = ItemText {
        text: String::new(),
        owners: Vec::new(),
        release_types: None,
        optional: false,
        conditions: Vec::new(),
        when: Vec::new(),
    };
    // Taking one annotation out can expose another ("**QA** (if needed)
    // triggers ..."), so passes repeat until the text settles.
    let mut text = tidy(raw);
    for _ in 0..4 {
        let next = analyse_pass(&text, &mut item);
        if next == text {
            break;
        }
        text = next;
    }
    item.text = text;
    if let Some(types) = item.release_types.as_mut() {
        types.sort();
        types.dedup();
    }
    item
}

/// One pass of the steps [`analyse_item`] lists.
fn analyse_pass(text: &str, item: &mut ItemText) -> String {
    let mut text = strip_list_marker(text);
    text = take_owner_labels(&text, item);
    text = take_leading_owners(&text, item);
    text = take_trailing_owners(&text, item);
    text = take_parentheticals(&text, item);
    text = take_trailing_owners(&tidy(&text), item);
    text = take_trailing_handles(&tidy(&text), item);
    text = take_trailing_condition(&tidy(&text), item);
    text = take_trailing_release_phrase(&tidy(&text), item);
    note_owners_after_by(&text, item);
    tidy(&drop_empty_owner_labels(&unbold_roles(&text)))
}

fn add_owners(item: &mut ItemText, owners: Vec<String>) {
    for owner in owners {
        if !item.owners.contains(&owner) {
            item.owners.push(owner);
        }
    }
}

/// Drops a leading "- ", "* ", "+ " and "[ ] " / "[x] ".
fn strip_list_marker(text: &str) -> String {
    let mut rest = text;
    for marker in ["- ", "* ", "+ "] {
        rest = rest.strip_prefix(marker).unwrap_or(rest);
    }
    for marker in ["[ ] ", "[x] ", "[X] "] {
        rest = rest.strip_prefix(marker).unwrap_or(rest);
    }
    rest.to_string()
}

/// Collapses whitespace, drops spaces before punctuation and empty
/// parentheses, and trims dangling punctuation from both ends.
fn tidy(text: &str) -> String {
    let mut out = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (from, to) in [
        (" ,", ","),
        (" .", "."),
        (" ;", ";"),
        (" :", ":"),
        ("()", ""),
        ("( ", "("),
    ] {
        out = out.replace(from, to);
    }
    let debris = |c: char| c.is_whitespace() || ",;:—–".contains(c);
    let out = out.trim_matches(debris);
    out.strip_suffix(" -")
        .unwrap_or(out)
        .trim_end_matches(debris)
        .to_string()
}

/// Step 1 of [`analyse_item`]: "**A** and **B** verb ..." or "**A**: ...".
fn take_leading_owners(text: &str, item: &mut ItemText) -> String {
    let mut owners = Vec::new();
    let mut rest = text;
    let mut colon = false;
    while let Some(after) = rest.strip_prefix("**") {
        let Some(end) = after.find("**") else {
            return text.to_string();
        };
        let inner = &after[..end];
        colon = inner.ends_with(':');
        if !looks_like_role(inner) {
            return text.to_string();
        }
        owners.push(inner.trim_end_matches(':').trim().to_string());
        rest = &after[end + 2..];
        let next = [" and ", ", ", " & "]
            .iter()
            .find_map(|s| rest.strip_prefix(s));
        match next {
            Some(next) if !colon && next.starts_with("**") => rest = next,
            _ => break,
        }
    }
    if let Some(after) = rest.strip_prefix(':') {
        colon = true;
        rest = after;
    }
    let rest = rest.trim();
    let verb_follows = rest.chars().next().is_some_and(char::is_lowercase);
    if owners.is_empty() || rest.is_empty() || !(colon || verb_follows) {
        return text.to_string();
    }
    add_owners(item, owners);
    let mut chars = rest.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Step 2: "text — **A** and **B**" (also "–", "--" and " - "), a
/// sentence's full stop after the owners allowed.
fn take_trailing_owners(text: &str, item: &mut ItemText) -> String {
    for sep in [" — ", " – ", " -- ", " - "] {
        let Some(pos) = text.rfind(sep) else { continue };
        let owners = text[pos + sep.len()..].trim_end().trim_end_matches('.');
        if let Some(owners) = parse_role_list(owners).or_else(|| handles(owners)) {
            add_owners(item, owners);
            return text[..pos].to_string();
        }
    }
    text.to_string()
}

/// "Push the tag to the mirror @sre-team": team handles ending an item,
/// without parentheses or a dash, are its owners.
fn take_trailing_handles(text: &str, item: &mut ItemText) -> String {
    let trimmed = text.trim_end().trim_end_matches('.');
    let words: Vec<&str> = trimmed.split(' ').collect();
    let handle = |w: &str| handles(w.trim_end_matches(',')).is_some();
    let mut start = words.len();
    while start > 1 {
        let word = words[start - 1];
        if handle(word) || (start < words.len() && ["and", "&", "+"].contains(&word)) {
            start -= 1;
        } else {
            break;
        }
    }
    while start < words.len() && !handle(words[start]) {
        start += 1;
    }
    if start == words.len() {
        return text.to_string();
    }
    let tail = words[start..].join(" ");
    let Some(owners) = handles(&tail) else {
        return text.to_string();
    };
    add_owners(item, owners);
    words[..start].join(" ")
}

/// Byte ranges of the top-level parentheticals of `text`, skipping link
/// targets (`](...)`) and code spans.
fn parentheticals(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let (mut found, mut depth, mut in_code) = (Vec::new(), 0usize, false);
    let mut open: Option<(usize, bool)> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'`' if depth == 0 => in_code = !in_code,
            b'(' if !in_code => {
                if depth == 0 {
                    open = Some((i, i > 0 && bytes[i - 1] == b']'));
                }
                depth += 1;
            }
            b')' if !in_code && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    if let Some((start, false)) = open.take() {
                        found.push((start, i + 1));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// What a parenthetical says.
enum Paren {
    Owners(Vec<String>),
    Releases(Vec<ReleaseType>),
    Optional,
    /// A condition kept as written.
    When(String),
    Keep,
}

fn classify(inner: &str) -> Paren {
    let inner = inner.trim();
    if let Some(owners) = owner_label(inner).or_else(|| handles(inner)) {
        return Paren::Owners(owners);
    }
    if let Some(condition) = strip_prefix_ci(inner, "when:") {
        return Paren::When(condition.trim().to_string());
    }
    if let Some(owners) = owners_in_parens(inner) {
        return Paren::Owners(owners);
    }
    let lower = inner.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(types) = release_phrase(&words) {
        return Paren::Releases(types);
    }
    let plain = lower.trim_end_matches('.');
    let optional = OPTIONAL_ENDINGS.split(", ").any(|e| e == plain)
        || ["optional", "as needed", "as necessary"].contains(&plain);
    let starts = [
        "if ",
        "when ",
        "where ",
        "unless ",
        "only if ",
        "only when ",
        "only where ",
        "except ",
        "provided ",
        "once ",
        "after ",
        "before ",
    ];
    if optional {
        Paren::Optional
    } else if starts.iter().any(|s| lower.starts_with(s)) {
        Paren::When(inner.to_string())
    } else {
        Paren::Keep
    }
}

/// The release types a phrase such as "for major releases", "hotfixes
/// only", "skip for patches" or "minor and major releases" names.
fn release_phrase(words: &[&str]) -> Option<Vec<ReleaseType>> {
    let types: Vec<ReleaseType> = words
        .iter()
        .filter_map(|w| release_type_from_word(w))
        .collect();
    let is_phrase = !types.is_empty()
        && words.iter().all(|w| listed(RELEASE_WORDS, w))
        && words.iter().any(|w| listed(RELEASE_MARKERS, w));
    if !is_phrase {
        return None;
    }
    if words.iter().any(|w| listed(NEGATIONS, w)) {
        let rest: Vec<ReleaseType> = ReleaseType::ALL
            .into_iter()
            .filter(|t| !types.contains(t))
            .collect();
        return (!rest.is_empty()).then_some(rest);
    }
    Some(types)
}

/// `s` without a case-insensitive ASCII `prefix`.
fn strip_prefix_ci<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// "owner: QA", "Owners: SRE and QA", "owned by QA": whoever the label
/// names is the owner, whatever the spelling.
fn owner_label(text: &str) -> Option<Vec<String>> {
    let rest = [
        "owners:",
        "owner:",
        "owned by ",
        "assignee:",
        "responsible:",
    ]
    .iter()
    .find_map(|p| strip_prefix_ci(text.trim(), p))?;
    let owners = split_owner_list(rest);
    (!owners.is_empty()).then_some(owners)
}

/// "@sre-team", "@qa and @release-managers": team handles.
fn handles(text: &str) -> Option<Vec<String>> {
    let owners = split_owner_list(text);
    let all = !owners.is_empty()
        && owners.iter().all(|o| {
            o.strip_prefix('@').is_some_and(|h| {
                !h.is_empty() && h.chars().all(|c| c.is_alphanumeric() || "-_/.".contains(c))
            })
        });
    all.then_some(owners)
}

/// "A, B and C" → its parts, `**` and whitespace tidied.
fn split_owner_list(text: &str) -> Vec<String> {
    let mut parts = vec![text.replace("**", "")];
    for sep in [",", ";", " and ", " & ", " + "] {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    parts
        .iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .map(|p| p.trim_matches(|c: char| c == '.' || c == ':').to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// "[owner: QA]" anywhere, and a final "Owner: QA" after a full stop,
/// dash, semicolon or bar: the label and its owners leave the text.
fn take_owner_labels(text: &str, item: &mut ItemText) -> String {
    let mut text = text.to_string();
    // ASCII lowercase keeps byte offsets.
    while let Some(open) = text.to_ascii_lowercase().find("[owner") {
        let Some(len) = text[open..].find(']') else {
            break;
        };
        let close = open + len;
        let followed_by_link = text[close + 1..].starts_with('(');
        match owner_label(&text[open + 1..close]) {
            Some(owners) if !followed_by_link => {
                add_owners(item, owners);
                text.replace_range(open..=close, "");
            }
            _ => break,
        }
    }
    let lower = text.to_ascii_lowercase();
    for label in ["owners:", "owner:"] {
        let Some(at) = lower.rfind(label) else {
            continue;
        };
        let before = text[..at].trim_end();
        let label_text = text[at..].trim_start_matches('*');
        if before.is_empty() || before.trim_end_matches('*').is_empty() {
            // "Owner: SRE — roll forward the config": the label opens the item.
            let Some((owners, rest)) = leading_owner_label(label_text) else {
                continue;
            };
            add_owners(item, owners);
            return rest;
        }
        // After a sentence, a dash, a parenthetical, or written "Owner:"
        // and naming roles ("Email the Owner: tell them" names none).
        let punctuated = before.ends_with(['.', ';', '|', '—', '–', ',', ')', ']', '`'])
            || before.ends_with(" -")
            || before.ends_with("**");
        let capitalised = text[at..].starts_with('O');
        match owner_label(label_text) {
            Some(owners)
                if owners.iter().all(|o| plain_owner(o))
                    && (punctuated || (capitalised && owners.iter().all(|o| names_a_role(o)))) =>
            {
                add_owners(item, owners);
                let head = before.trim_end_matches("**").trim_end();
                return head.to_string();
            }
            _ => {}
        }
    }
    text
}

/// An owner spelling with nothing else in it: no parenthetical, dash or
/// bracket (those are other annotations, taken first), at most six words.
fn plain_owner(owner: &str) -> bool {
    !owner.contains(['(', ')', '[', ']', '—', '–', '|']) && owner.split_whitespace().count() <= 6
}

/// A role name, a team handle or an abbreviation ("QA Lead", "@sre", "RM").
fn names_a_role(owner: &str) -> bool {
    looks_like_role(owner)
        || handles(owner).is_some()
        || ((2..=5).contains(&owner.len()) && owner.chars().all(|c| c.is_ascii_uppercase()))
}

/// "Owner: SRE — Roll forward" → (["SRE"], "Roll forward"): a label that
/// opens an item ends at a dash, a full stop, a colon or a semicolon.
fn leading_owner_label(text: &str) -> Option<(Vec<String>, String)> {
    let ends = [" — ", " – ", " -- ", " - ", ". ", "; ", ": ", " | "];
    let after_label = text.find(':')? + 1;
    let end = ends
        .iter()
        .filter_map(|e| {
            text[after_label..]
                .find(e)
                .map(|i| (after_label + i, e.len()))
        })
        .min()?;
    let owners = owner_label(&text[..end.0])?;
    owners
        .iter()
        .all(|o| plain_owner(o) && names_a_role(o))
        .then(|| (owners, text[end.0 + end.1..].trim().to_string()))
}

/// Owner notation left with no owner in it ("(owner: )", "[owner:]") once
/// its owner was taken some other way, removed.
fn drop_empty_owner_labels(text: &str) -> String {
    let mut out = text.to_string();
    for (open, close) in [("(", ")"), ("[", "]")] {
        for label in ["owners", "owner"] {
            loop {
                let lower = out.to_ascii_lowercase();
                let pattern = format!("{open}{label}:");
                let Some(at) = lower.find(&pattern) else {
                    break;
                };
                let inner_start = at + pattern.len();
                let Some(len) = out[inner_start..].find(close) else {
                    break;
                };
                if !out[inner_start..inner_start + len].trim().is_empty() {
                    break;
                }
                out.replace_range(at..inner_start + len + close.len(), "");
            }
        }
    }
    out
}

/// A final release-type phrase outside parentheses: "Run load tests for
/// major releases", "Update the status page — hotfixes only".
fn take_trailing_release_phrase(text: &str, item: &mut ItemText) -> String {
    let trimmed = text.trim_end_matches('.');
    let words: Vec<(usize, &str)> = trimmed
        .char_indices()
        .filter(|&(i, c)| {
            !c.is_whitespace() && (i == 0 || trimmed[..i].ends_with(char::is_whitespace))
        })
        .map(|(i, _)| {
            let end = trimmed[i..]
                .find(char::is_whitespace)
                .map_or(trimmed.len(), |e| i + e);
            (i, &trimmed[i..end])
        })
        .collect();
    // The longest run of release words at the end that names a type.
    let mut best = None;
    for start in (1..words.len()).rev() {
        let tail: Vec<String> = words[start..]
            .iter()
            .map(|(_, w)| w.to_lowercase().trim_matches(',').to_string())
            .collect();
        if !tail.iter().all(|w| listed(RELEASE_WORDS, w)) {
            break;
        }
        let refs: Vec<&str> = tail.iter().map(String::as_str).collect();
        if let Some(types) = release_phrase(&refs) {
            best = Some((start, types));
        }
    }
    let Some((start, types)) = best else {
        return text.to_string();
    };
    let phrase = trimmed[words[start].0..].to_string();
    item.release_types
        .get_or_insert_with(Vec::new)
        .extend(types);
    item.conditions.push(phrase);
    trimmed[..words[start].0].to_string()
}

/// "**A** and **B**", "validated by **A**", "QA Specialist validates".
fn owners_in_parens(inner: &str) -> Option<Vec<String>> {
    if let Some(owners) = parse_role_list(inner) {
        return Some(owners);
    }
    if let Some((verb, who)) = inner.split_once(" by ") {
        let verb_words: Vec<&str> = verb.split_whitespace().collect();
        let lowercase = verb_words
            .iter()
            .all(|w| w.chars().all(|c| c.is_lowercase() || c == '-'));
        if lowercase && (1..=3).contains(&verb_words.len()) {
            return parse_role_list(who);
        }
    }
    let words: Vec<&str> = inner.split_whitespace().collect();
    (1..=2).find_map(|verbs| {
        let (who, tail) = words.split_at(words.len().checked_sub(verbs)?);
        let all_lower = tail.iter().all(|w| w.chars().all(char::is_lowercase));
        if all_lower && !who.is_empty() {
            parse_role_list(&who.join(" "))
        } else {
            None
        }
    })
}

/// Step 3: removes owner and condition parentheticals.
fn take_parentheticals(text: &str, item: &mut ItemText) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in parentheticals(text) {
        let inner = text[start + 1..end - 1].trim();
        let parts = match classify(inner) {
            // "(major releases only, if applicable)": every clause a condition.
            Paren::Keep => {
                let clauses: Vec<(&str, Paren)> = inner
                    .split([',', ';'])
                    .map(|c| (c.trim(), classify(c)))
                    .collect();
                let conditions = clauses.iter().all(|(_, p)| {
                    matches!(p, Paren::Releases(_) | Paren::Optional | Paren::When(_))
                });
                if clauses.len() < 2 || !conditions {
                    continue;
                }
                clauses
            }
            paren => vec![(inner, paren)],
        };
        for (phrase, paren) in parts {
            match paren {
                Paren::Keep => {}
                Paren::Owners(owners) => add_owners(item, owners),
                Paren::Releases(types) => {
                    let known = item.release_types.get_or_insert_with(Vec::new);
                    known.extend(types);
                    item.conditions.push(phrase.to_string());
                }
                Paren::Optional => {
                    item.optional = true;
                    item.conditions.push(phrase.to_string());
                }
                Paren::When(condition) => {
                    if !item.when.contains(&condition) {
                        item.when.push(condition);
                    }
                    item.conditions.push(phrase.to_string());
                }
            }
        }
        out.push_str(&text[last..start]);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// Step 4: "... if necessary" at the very end.
fn take_trailing_condition(text: &str, item: &mut ItemText) -> String {
    let trimmed = text.trim_end_matches('.');
    for ending in OPTIONAL_ENDINGS.split(", ") {
        let Some(cut) = trimmed.len().checked_sub(ending.len()) else {
            continue;
        };
        let (Some(head), Some(tail)) = (trimmed.get(..cut), trimmed.get(cut..)) else {
            continue;
        };
        if head.ends_with(' ') && tail.eq_ignore_ascii_case(ending) {
            item.optional = true;
            item.conditions.push(tail.to_string());
            return head.to_string();
        }
    }
    // ", if time allows", " — only when migrations lock tables": kept as written.
    for sep in [", ", " — ", " – ", "; "] {
        for start in ["if ", "only if ", "only when ", "unless ", "when "] {
            let needle = format!("{sep}{start}");
            let Some(at) = trimmed.to_ascii_lowercase().rfind(&needle) else {
                continue;
            };
            let condition = trimmed[at + sep.len()..].to_string();
            if condition.split_whitespace().count() <= 8 && !condition.contains([',', ';']) {
                if !item.when.contains(&condition) {
                    item.when.push(condition.clone());
                }
                item.conditions.push(condition);
                return trimmed[..at].to_string();
            }
        }
    }
    text.to_string()
}

/// Step 5: "validated by Product Manager", "signed off by **QA**".
fn note_owners_after_by(text: &str, item: &mut ItemText) {
    let plain = text.replace("**", "");
    for (pos, _) in plain.match_indices(" by ") {
        let mut who = Vec::new();
        for word in plain[pos + 4..].split_whitespace() {
            let bare = word.trim_end_matches(['.', ',', ';', ':', ')']);
            let joiner = ["and", "&", "or", "team", "/"].contains(&bare);
            if !(joiner || bare.chars().next().is_some_and(char::is_uppercase)) {
                break;
            }
            who.push(if word.ends_with(',') { word } else { bare });
            if bare.len() != word.len() && !word.ends_with(',') {
                break;
            }
        }
        while who.last().is_some_and(|w| ["and", "&", "or"].contains(w)) {
            who.pop();
        }
        if let Some(owners) = parse_role_list(&who.join(" ")) {
            add_owners(item, owners);
        }
    }
}

/// "**Security Lead**" → "Security Lead"; other bold is kept.
fn unbold_roles(text: &str) -> String {
    let pieces: Vec<&str> = text.split("**").collect();
    if pieces.len() % 2 == 0 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (i, piece) in pieces.iter().enumerate() {
        let bold = i % 2 == 1 && !looks_like_role(piece);
        out.push_str(if bold { "**" } else { "" });
        out.push_str(piece);
        out.push_str(if bold { "**" } else { "" });
    }
    out
}

/// A final "(RM)" or "— Release Mgr": a short all-capitals word in
/// parentheses, or one to three capitalised words after a dash. Returns it
/// and the text without it.
pub fn abbreviation_candidate(text: &str) -> Option<(String, String)> {
    let trimmed = text.trim_end().trim_end_matches('.');
    if let Some(open) = trimmed.strip_suffix(')').and_then(|t| t.rfind('(')) {
        let inner = &trimmed[open + 1..trimmed.len() - 1];
        let caps = (2..=5).contains(&inner.len()) && inner.chars().all(|c| c.is_ascii_uppercase());
        if caps && open > 0 {
            return Some((inner.to_string(), trimmed[..open].trim_end().to_string()));
        }
    }
    for sep in [" — ", " – ", " -- ", " - "] {
        let Some(at) = trimmed.rfind(sep) else {
            continue;
        };
        let tail = trimmed[at + sep.len()..].trim();
        let words: Vec<&str> = tail.split_whitespace().collect();
        let shaped = (1..=3).contains(&words.len())
            && words.iter().all(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().all(|c| c.is_alphabetic() || c == '.')
            });
        if shaped {
            return Some((
                tail.trim_end_matches('.').to_string(),
                trimmed[..at].to_string(),
            ));
        }
    }
    None
}

/// A tag that may name the item's owner: "[QA] Run the suite", "Run the
/// suite [QA]", "QA: Run the suite", "Release Manager: Approve it". One to
/// three words of letters; the caller makes it an owner only if it names a
/// known role. Returns it and the text without it.
pub fn owner_tag(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    let shaped = |tag: &str| {
        let words: Vec<&str> = tag.split_whitespace().collect();
        (1..=3).contains(&words.len())
            && words
                .iter()
                .all(|w| w.chars().all(|c| c.is_alphabetic() || "/&.-".contains(c)))
    };
    let found = if let Some(rest) = text.strip_prefix('[') {
        rest.split_once("] ")
    } else if let Some(rest) = text.strip_suffix(']') {
        rest.rsplit_once(" [").map(|(rest, tag)| (tag, rest))
    } else {
        text.split_once(": ")
    };
    let (tag, rest) = found?;
    let rest = rest.trim();
    (shaped(tag) && !rest.is_empty()).then(|| (tag.trim().to_string(), rest.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of a table whose columns are split by `sep`, blank lines skipped.
    fn table<'a>(text: &'a str, sep: &str) -> Vec<Vec<&'a str>> {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split(sep).map(str::trim).collect())
            .collect()
    }

    /// `raw => text | owners; ... | release types | optional?`
    const ITEMS: &str = "
        Deployment window scheduled (if needed) — **Project Manager** => Deployment window scheduled | Project Manager | | optional
        Passing CI and security scans (validated by **Security Lead**) => Passing CI and security scans | Security Lead | |
        QA sign-off completed (**QA/Test Engineer**) => QA sign-off completed | QA/Test Engineer | |
        Release notes drafted (**Product Manager** and **Project Manager**) => Release notes drafted | Product Manager; Project Manager | |
        Smoke tests prepared and validated in staging (**QA/Test Engineer** and **SRE/DevOps**) => Smoke tests prepared and validated in staging | QA/Test Engineer; SRE/DevOps | |
        Deploy to staging and run smoke tests — **SRE/DevOps** and **QA/Test Engineer** => Deploy to staging and run smoke tests | SRE/DevOps; QA/Test Engineer | |
        Announce release to stakeholders — **Project Manager** and **Product Manager**. => Announce release to stakeholders | Project Manager; Product Manager | |
        Deploy to staging and run smoke tests (QA Specialist validates) => Deploy to staging and run smoke tests | QA Specialist | |
        Run post-deploy verifications (QA Specialist and Developers) => Run post-deploy verifications | QA Specialist; Developers | |
        UAT completed and signed off by External Stakeholders => UAT completed and signed off by External Stakeholders | External Stakeholders | |
        All acceptance criteria met and validated by Product Manager => All acceptance criteria met and validated by Product Manager | Product Manager | |
        Manual validation in staging by QA => Manual validation in staging by QA | QA | |
        **SRE/DevOps** triggers incident response and notifies on-call => Triggers incident response and notifies on-call | SRE/DevOps | |
        **Developer** and **SRE/DevOps** triage root cause => Triage root cause | Developer; SRE/DevOps | |
        **SRE/DevOps** rollback to last known-good release if necessary => Rollback to last known-good release | SRE/DevOps | | optional
        **SRE/DevOps**: Lead technical response, execute rollback => Lead technical response, execute rollback | SRE/DevOps | |
        **QA/Test Engineer:** Validate fixes => Validate fixes | QA/Test Engineer | |
        Customer impact (prepared by Account Executive/Customer Success) => Customer impact | Account Executive/Customer Success | |
        Performance testing passed (for major releases) => Performance testing passed | | major |
        Smoke tests run (for minor and major releases) => Smoke tests run | | minor major |
        Changelog entry added (patch only) => Changelog entry added | | patch |
        Load test (major releases only, if applicable) => Load test | | major | optional
        Migration steps (if any): => Migration steps | | | optional
        Backup or snapshot created (if applicable) => Backup or snapshot created | | | optional
        Include GIFs for UI changes when possible => Include GIFs for UI changes | | | optional
        - [ ] Run `cargo test (all)` (if needed) => Run `cargo test (all)` | | | optional
        Release type identified (patch, minor, major) => Release type identified (patch, minor, major) | | |
        Deploy to production (automated pipeline preferred) => Deploy to production (automated pipeline preferred) | | |
        Communication channels ready (status page, Slack, email) => Communication channels ready (status page, Slack, email) | | |
        Code freeze in effect (no new changes without approval) => Code freeze in effect (no new changes without approval) | | |
        Key decisions in [Decision Log](./octoacme-decision-log.md) => Key decisions in [Decision Log](./octoacme-decision-log.md) | | |
        **Declare incident** and assemble response team => **Declare incident** and assemble response team | | |
        **Decision Maker:** Release Manager or Incident Commander => **Decision Maker:** Release Manager or Incident Commander | | |
        Escalate requests to **Product Manager** => Escalate requests to Product Manager | | |
        Deployment runbook reviewed by release team => Deployment runbook reviewed by release team | | |
        Brief Account Executive/Customer Success team on impact => Brief Account Executive/Customer Success team on impact | | |";

    #[test]
    fn items_lose_owners_and_conditions() {
        for row in table(ITEMS, " => ") {
            let (raw, want) = (row[0], table(row[1], "|").remove(0));
            let got = analyse_item(raw);
            assert_eq!(got.text, want[0], "text of {raw:?}");
            let owners: Vec<&str> = want[1].split("; ").filter(|o| !o.is_empty()).collect();
            assert_eq!(got.owners, owners, "owners of {raw:?}");
            let types = got.release_types.map(|t| {
                let names: Vec<String> =
                    t.iter().map(|t| format!("{t:?}").to_lowercase()).collect();
                names.join(" ")
            });
            assert_eq!(
                types.unwrap_or_default(),
                want[2],
                "release types of {raw:?}"
            );
            assert_eq!(got.optional, want[3] == "optional", "optional of {raw:?}");
            assert_eq!(
                analyse_item(&got.text).text,
                got.text,
                "idempotence on {raw:?}"
            );
        }
    }

    #[test]
    fn conditions_are_kept_as_written() {
        let got = analyse_item("Load test (for Major releases) (If applicable) when possible");
        assert_eq!(
            got.conditions,
            ["for Major releases", "If applicable", "when possible"]
        );
        assert_eq!(got.release_types, Some(vec![ReleaseType::Major]));
        let json = serde_json::to_string(&ReleaseType::Major).unwrap_or_default();
        assert_eq!(json, "\"major\"");
    }

    #[test]
    fn odd_input_never_panics() {
        let pieces = [
            "**",
            "(",
            ")",
            "](",
            "`",
            " — ",
            "**QA**",
            " by ",
            "if needed",
            "é",
            "✨",
            ":",
            "T-",
            " and ",
            ",",
            "[x] ",
            "- ",
            "İ",
            "",
            "(for major releases)",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let raw = format!("{a}{b}x{c}");
                    let text = analyse_item(&raw).text;
                    assert_eq!(analyse_item(&text).text, text, "idempotence on {raw:?}");
                    let _ = (same_item(&raw, "x"), item_id(&raw), normalise_heading(&raw));
                }
            }
        }
    }

    #[test]
    fn owner_tags_before_after_or_with_a_colon() {
        let tag = owner_tag;
        let some = |t: &str, rest: &str| Some((t.to_string(), rest.to_string()));
        assert_eq!(tag("[QA] Run the suite"), some("QA", "Run the suite"));
        assert_eq!(tag("Run the suite [QA]"), some("QA", "Run the suite"));
        assert_eq!(tag("QA: Run the suite"), some("QA", "Run the suite"));
        assert_eq!(
            tag("Release Manager: Approve it"),
            some("Release Manager", "Approve it")
        );
        assert_eq!(tag("[QA/QE] Sign off"), some("QA/QE", "Sign off"));
        // Not tags: a link, a ratio, a long label, nothing after the tag, a number.
        assert_eq!(tag("[the runbook](r.md) first"), None);
        assert_eq!(tag("Ratio 3: 1 of traffic"), None);
        assert_eq!(
            tag("Before you deploy to production: check the flags"),
            None
        );
        assert_eq!(tag("[QA]"), None);
        assert_eq!(tag("See footnote [1]"), None);
    }
}
