//! The run file as text: written by hand, not by serde's emitter, so the
//! same run is always the same bytes and each item is one line (a tick is
//! a one-line git diff).
//!
//! A scalar is written plain only when it is a word any YAML reader takes
//! as that very string (starts with a letter, holds letters, digits and a
//! few safe marks, is not `yes`/`no`/`null`/...); anything else is
//! double-quoted, with every control, invisible or line-breaking character
//! escaped.

use std::fmt::Write;

use super::model::{Run, RunItem};

const HEADER: &str = "# A release run: the state of every checklist item of this release.\n\
# Kept by `playbook run` (start, tick, skip, reopen, sync); one item per line.\n";

/// The whole file for `run`.
pub fn format(run: &Run) -> String {
    let mut out = String::from(HEADER);
    // Writing into a String cannot fail.
    // A semantic version is letters, digits, `.`, `-` and `+`: a string to every reader.
    let _ = writeln!(out, "version: {}", run.version);
    let _ = writeln!(out, "type: {}", run.release_type.as_str());
    let _ = writeln!(out, "date: {}", run.date);
    let _ = writeln!(out, "started_by: {}", scalar(&run.started_by));
    let _ = writeln!(out, "started_at: {}", run.started_at);
    if run.items.is_empty() {
        out.push_str("items: []\n");
    } else {
        out.push_str("items:\n");
        for item in &run.items {
            out.push_str(&item_line(item));
            out.push('\n');
        }
    }
    out
}

/// One item as `- {id: ..., ...}`.
pub fn item_line(item: &RunItem) -> String {
    let mut fields: Vec<(&str, String)> = vec![("id", scalar(&item.id))];
    if !item.checklist.is_empty() && item.checklist != item.id_checklist() {
        fields.push(("checklist", scalar(&item.checklist)));
    }
    fields.push(("group", scalar(&item.group)));
    fields.push(("phase", item.phase.as_str().to_string()));
    if !item.owners.is_empty() {
        let owners: Vec<String> = item.owners.iter().map(|o| scalar(o)).collect();
        fields.push(("owners", format!("[{}]", owners.join(", "))));
    }
    if item.optional {
        fields.push(("optional", "true".to_string()));
    }
    fields.push(("state", item.state.as_str().to_string()));
    if let Some(reason) = &item.reason {
        fields.push(("reason", scalar(reason)));
    }
    if let Some(by) = &item.by {
        fields.push(("by", scalar(by)));
    }
    if let Some(at) = &item.at {
        fields.push(("at", at.to_string()));
    }
    if let Some(note) = &item.note {
        fields.push(("note", scalar(note)));
    }
    fields.push(("text", scalar(&item.text)));
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("- {{{}}}", body.join(", "))
}

/// `text` as a YAML scalar that reads back as exactly `text`: plain when
/// that is safe, else double-quoted.
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let code = u32::from(c);
                if code <= 0xFFFF {
                    let _ = write!(out, "\\u{code:04X}");
                } else {
                    let _ = write!(out, "\\U{code:08X}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Words a YAML reader may take for something other than a string.
const KEYWORDS: &[&str] = &[
    "null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf",
];

/// Whether `text` may be written without quotes, in a flow mapping.
fn is_plain_safe(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_alphabetic()
        && !needs_escape(first)
        && !text.ends_with(' ')
        && !text.contains("  ")
        && text
            .chars()
            .all(|c| (c.is_alphanumeric() && !needs_escape(c)) || " -_./()".contains(c))
        && !KEYWORDS.contains(&text.to_ascii_lowercase().as_str())
}

/// Characters written as an escape in a quoted scalar: controls, line and
/// paragraph separators, byte-order marks, non-characters, and the
/// invisible ones that change how text reads (bidi, zero-width).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{FFFE}'
                | '\u{FFFF}'
        )
        || (u32::from(c) & 0xFFFE) == 0xFFFE
        || ('\u{FDD0}'..='\u{FDEF}').contains(&c)
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_plain_only_when_safe() {
        for (text, written) in [
            ("Dana", "Dana"),
            (
                "Release version and date confirmed",
                "Release version and date confirmed",
            ),
            ("release-planning", "release-planning"),
            ("Zoë Müller", "Zoë Müller"),
            ("yes", "\"yes\""),
            ("No", "\"No\""),
            ("null", "\"null\""),
            ("", "\"\""),
            ("12", "\"12\""),
            ("2.4.0", "\"2.4.0\""),
            ("a: b", "\"a: b\""),
            ("a #b", "\"a #b\""),
            ("- x", "\"- x\""),
            ("*alias", "\"*alias\""),
            ("trailing ", "\"trailing \""),
            ("say \"hi\"\n", "\"say \\\"hi\\\"\\n\""),
            ("rtl\u{202E}txt", "\"rtl\\u202Etxt\""),
            ("nul\0", "\"nul\\u0000\""),
            ("astral\u{10FFFF}", "\"astral\\U0010FFFF\""),
            ("<b>x</b>", "\"<b>x</b>\""),
        ] {
            assert_eq!(scalar(text), written, "{text:?}");
            let back: String = serde_norway::from_str(&format!("{{v: {written}}}"))
                .map(|m: std::collections::BTreeMap<String, String>| m["v"].clone())
                .unwrap_or_else(|e| panic!("{written}: {e}"));
            assert_eq!(back, text);
        }
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::super::model::*;
        use super::super::super::parse::parse;
        use super::super::*;
        use crate::checklist::{ReleasePhase, ReleaseType};

        fn id() -> impl Strategy<Value = String> {
            "[a-z0-9][a-z0-9_-]{0,12}"
        }

        /// Any text, and text made of what YAML gives a meaning to.
        fn text() -> impl Strategy<Value = String> {
            let special: Vec<char> = "\n\r\t\0 :#-\"'\\{}[],&*!|>%@`~?.+=1eyonYNuletrNU\u{85}\u{a0}\u{2028}\u{2029}\u{feff}\u{202e}\u{200b}\u{fffe}\u{10ffff}é".chars().collect();
            prop_oneof![
                any::<String>(),
                prop::collection::vec(prop::sample::select(special), 0..12)
                    .prop_map(|chars| chars.into_iter().collect::<String>()),
            ]
        }

        /// A name a person could give with `--by`: one line, not blank.
        fn name() -> impl Strategy<Value = String> {
            text().prop_filter("a valid name", |n| {
                crate::runs::parse::name_problem(n).is_none()
            })
        }

        fn item() -> impl Strategy<Value = RunItem> {
            (
                (id(), id(), prop::option::of(id()), id()),
                text(),
                prop::collection::vec(text(), 0..3),
                (any::<bool>(), 0..4usize),
                (name(), text(), prop::option::of(text())),
            )
                .prop_map(
                    |((c, i, other, g), text, owners, (optional, state), (by, reason, note))| {
                        let state = ItemState::ALL[state];
                        let closed = state != ItemState::Open;
                        RunItem {
                            id: format!("{c}/{i}"),
                            checklist: other.unwrap_or(c),
                            group: g,
                            phase: ReleasePhase::Deployment,
                            owners,
                            optional,
                            state,
                            reason: (state == ItemState::Skipped).then(|| format!("r{reason}")),
                            by: closed.then_some(by),
                            at: closed.then(|| Timestamp::parse("2026-12-06T09:05:00Z").unwrap()),
                            note,
                            text,
                        }
                    },
                )
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn any_text_round_trips(text in text()) {
                let yaml = format!("v: {}\n", scalar(&text));
                let back: std::collections::BTreeMap<String, String> =
                    serde_norway::from_str(&yaml).map_err(|e| TestCaseError::fail(format!("{yaml:?}: {e}")))?;
                prop_assert_eq!(&back["v"], &text);
            }

            #[test]
            fn a_run_round_trips_one_item_per_line(started_by in name(), items in prop::collection::vec(item(), 0..6)) {
                let mut items = items;
                for (n, item) in items.iter_mut().enumerate() {
                    item.id = format!("{}-{n}", item.id);
                }
                let run = Run {
                    version: RunVersion::parse("2.4.0-rc.1").unwrap(),
                    release_type: ReleaseType::Major,
                    date: RunDate::parse("2026-12-06").unwrap(),
                    started_by,
                    started_at: Timestamp::parse("2026-12-06T09:00:00Z").unwrap(),
                    items,
                };
                let text = format(&run);
                prop_assert_eq!(text.lines().filter(|l| l.starts_with("- {")).count(), run.items.len());
                prop_assert_eq!(text.lines().count(), 8 + run.items.len());
                let back = parse("r.yaml", &text).map_err(|e| TestCaseError::fail(format!("{text}\n{e:?}")))?;
                prop_assert_eq!(&back, &run);
                prop_assert_eq!(format(&back), text, "byte-identical when written again");
            }
        }
    }
}
