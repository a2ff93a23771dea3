//! The one safe form of the ids written in YAML that become paths or
//! anchors (roles, checklists, groups, items, release-note sections), and
//! their validation at load, with each id's place found from the parser.
//!
//! An id is what GitHub makes of a heading: lowercase letters and digits of
//! any script, `-` and `_`, from 1 to [`MAX_ID_BYTES`] bytes. So an id can
//! never be a scheme (`javascript:`), a path (`../x`, `/tmp/x`), a fragment
//! or query (`#`, `?`), an escape (`%`), or two spellings of one file on a
//! case-insensitive disk; and `reconcile`, which makes ids with
//! [`crate::slug::slugify`], always writes valid ones.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::checklist::{Checklist, ReleaseNoteSpec, RolesFile};
use crate::diagnostic::{offset_of, Diagnostic};

/// The code of a duplicate-id diagnostic.
pub(crate) const DUPLICATE: &str = "duplicate-id";

/// The longest id, in bytes: a role id is a file name (`roles/<id>.html`).
pub(crate) const MAX_ID_BYTES: usize = 200;

/// What is wrong with `id`, if anything.
pub(crate) fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("is empty".to_string());
    }
    if id.len() > MAX_ID_BYTES {
        return Some(format!("is longer than {MAX_ID_BYTES} bytes"));
    }
    let bad = id
        .chars()
        .find(|&c| !(c == '-' || c == '_' || (c.is_alphanumeric() && !c.is_uppercase())))?;
    Some(if bad.is_uppercase() {
        format!("has the uppercase letter {bad:?}")
    } else {
        format!("has the character {:?}", bad)
    })
}

/// An id in the safe form made from `text` (a heading, a role's name):
/// its GitHub slug without what the form refuses, cut to the longest id;
/// `fallback` when nothing is left. What `reconcile` writes.
pub(crate) fn id_from(text: &str, fallback: &str) -> String {
    let mut id = String::new();
    for c in crate::slug::slugify(text).chars() {
        let fits = c == '-' || c == '_' || (c.is_alphanumeric() && !c.is_uppercase());
        if fits && id.len() + c.len_utf8() <= MAX_ID_BYTES {
            id.push(c);
        }
    }
    if id.is_empty() {
        fallback.to_string()
    } else {
        id
    }
}

/// The same id in the safe form, as a suggestion (may be empty).
fn suggestion(id: &str) -> String {
    let slug = crate::slug::slugify(&id.replace(['.', '/', ':', '#', '?', '%'], " "));
    slug.chars().take(MAX_ID_BYTES / 4).collect()
}

/// One step of the way to a value in a YAML document.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step {
    Key(&'static str),
    Index(usize),
}

/// One id to validate: where it is, what it is, and its value.
struct IdAt<'a> {
    at: Vec<Step>,
    /// `role`, `group`, ... for messages.
    kind: &'static str,
    id: &'a str,
    /// Ids of one scope must be unique (`role`, `checklist file`, ...).
    scope: &'static str,
}

/// Validate the ids of `roles.yaml`.
pub(crate) fn roles(shown: &str, text: &str, file: &RolesFile) -> Vec<Diagnostic> {
    let ids = file.roles.iter().enumerate().map(|(i, r)| IdAt {
        at: vec![Step::Key("roles"), Step::Index(i), Step::Key("id")],
        kind: "role",
        id: &r.id,
        scope: "roles",
    });
    validate(shown, text, ids.collect())
}

/// Validate the ids of a checklist file: its own, its groups' and its items'.
pub(crate) fn checklist(shown: &str, text: &str, file: &Checklist) -> Vec<Diagnostic> {
    let mut ids = vec![IdAt {
        at: vec![Step::Key("id")],
        kind: "checklist",
        id: &file.id,
        scope: "checklist",
    }];
    for (g, group) in file.groups.iter().enumerate() {
        let group_at = [Step::Key("groups"), Step::Index(g)];
        ids.push(IdAt {
            at: [&group_at[..], &[Step::Key("id")]].concat(),
            kind: "group",
            id: &group.id,
            scope: "groups",
        });
        for (i, item) in group.items.iter().enumerate() {
            ids.push(IdAt {
                at: [
                    &group_at[..],
                    &[Step::Key("items"), Step::Index(i), Step::Key("id")],
                ]
                .concat(),
                kind: "item",
                id: &item.id,
                scope: "items",
            });
        }
    }
    validate(shown, text, ids)
}

/// Validate the section ids of `release-notes.yaml`.
pub(crate) fn release_notes(shown: &str, text: &str, spec: &ReleaseNoteSpec) -> Vec<Diagnostic> {
    let ids = spec.sections.iter().enumerate().map(|(i, s)| IdAt {
        at: vec![Step::Key("sections"), Step::Index(i), Step::Key("id")],
        kind: "section",
        id: &s.id,
        scope: "sections",
    });
    let mut problems = validate(shown, text, ids.collect());
    problems.extend(commit_mapping(shown, text, spec));
    problems
}

/// Every section the `commits:` mapping names is one of the spec's.
fn commit_mapping(shown: &str, text: &str, spec: &ReleaseNoteSpec) -> Vec<Diagnostic> {
    let Some(mapping) = &spec.commits else {
        return Vec::new();
    };
    let known: Vec<&str> = spec.sections.iter().map(|s| s.id.as_str()).collect();
    let breaking = mapping
        .breaking
        .iter()
        .map(|id| (&[Step::Key("commits"), Step::Key("breaking")][..], id));
    // A type is a key chosen by the writer: the span is found from `types:` on.
    let types = mapping
        .types
        .values()
        .map(|id| (&[Step::Key("commits"), Step::Key("types")][..], id));
    breaking
        .chain(types)
        .filter(|(_, id)| !known.contains(&id.as_str()))
        .map(|(at, id)| {
            let from = locate(text, at).unwrap_or(0);
            let span = text[from..]
                .find(id.as_str())
                .map_or(from..from, |o| from + o..from + o + id.len());
            Diagnostic::error(
                "unknown-section",
                shown,
                text,
                span,
                format!(
                    "`commits:` maps to the section {id:?}, which release-notes.yaml does not have"
                ),
            )
            .with_hint(format!("use one of the section ids: {}", known.join(", ")))
        })
        .collect()
}

/// Checklist ids are unique across files: `files` is (shown path, text, checklist).
pub(crate) fn checklists_across_files(files: &[(String, &str, &Checklist)]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    let mut out = Vec::new();
    for (shown, text, checklist) in files {
        if id_problem(&checklist.id).is_some() {
            continue; // reported by `checklist`
        }
        match first.get(checklist.id.as_str()) {
            None => {
                first.insert(&checklist.id, (shown, text));
            }
            Some((other, other_text)) => {
                // Past the first few, the places are not looked up (see MAX_SHOWN).
                let (here, there) = if out.len() < MAX_SHOWN {
                    (
                        span_of(text, &[Step::Key("id")], &checklist.id),
                        span_of(other_text, &[Step::Key("id")], &checklist.id),
                    )
                } else {
                    (0..0, 0..0)
                };
                out.push(
                    Diagnostic::error(
                        DUPLICATE,
                        shown,
                        text,
                        here,
                        format!(
                            "checklist id {:?} is also the id of {}",
                            checklist.id,
                            place(other, other_text, there.start)
                        ),
                    )
                    .with_hint("give every checklist file its own id"),
                );
            }
        }
    }
    out
}

/// The most id problems reported one by one per file: finding each one's
/// place parses the file again, so a file of thousands of repeated ids
/// would take minutes. The rest are counted in one more diagnostic.
const MAX_SHOWN: usize = 20;

/// What is wrong with one id.
enum Problem<'a> {
    Unsafe(String),
    /// The same id, first given here.
    Repeated(&'a [Step]),
}

fn validate(shown: &str, text: &str, ids: Vec<IdAt>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen: BTreeMap<(&str, &str), &[Step]> = BTreeMap::new();
    for id in &ids {
        if let Some(problem) = id_problem(id.id) {
            problems.push((id, Problem::Unsafe(problem)));
        } else if let Some(first) = seen.get(&(id.scope, id.id)) {
            problems.push((id, Problem::Repeated(first)));
        } else {
            seen.insert((id.scope, id.id), &id.at);
        }
    }
    let mut out: Vec<Diagnostic> = problems
        .iter()
        .take(MAX_SHOWN)
        .map(|(id, problem)| diagnostic(shown, text, id, problem))
        .collect();
    let rest = &problems[out.len()..];
    if let Some((id, _)) = rest.first() {
        let code = if rest.iter().any(|(_, p)| matches!(p, Problem::Unsafe(_))) {
            "id"
        } else {
            DUPLICATE
        };
        out.push(
            Diagnostic::error(
                code,
                shown,
                text,
                span_of(text, &id.at, id.id),
                format!(
                    "and {} more ids from here on are unsafe or repeated",
                    rest.len()
                ),
            )
            .with_hint("fix the ids above the same way, then check again"),
        );
    }
    out
}

fn diagnostic(shown: &str, text: &str, id: &IdAt, problem: &Problem) -> Diagnostic {
    let span = span_of(text, &id.at, id.id);
    match problem {
        Problem::Unsafe(problem) => {
            let fix = suggestion(id.id);
            let hint = if fix.is_empty() {
                "an id is lowercase letters and digits (any script), `-` and `_`: it becomes a page name or an anchor".to_string()
            } else {
                format!("write it as {fix:?}: an id is lowercase letters and digits (any script), `-` and `_`, as it becomes a page name or an anchor")
            };
            Diagnostic::error(
                "id",
                shown,
                text,
                span,
                format!("{} id {:?} {problem}", id.kind, id.id),
            )
            .with_hint(hint)
        }
        Problem::Repeated(first) => {
            let first_at = span_of(text, first, id.id).start;
            Diagnostic::error(
                DUPLICATE,
                shown,
                text,
                span,
                format!(
                    "{} id {:?} is used twice: first at {}",
                    id.kind,
                    id.id,
                    place(shown, text, first_at)
                ),
            )
            .with_hint(match id.kind {
                "item" => {
                    "item ids are anchors and tick keys: keep them unique and stable".to_string()
                }
                kind => format!("give each {kind} its own id"),
            })
        }
    }
}

/// `path:line:col` of a byte offset.
fn place(shown: &str, text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("{shown}:{line}:{col}")
}

/// The byte range of the value at `at` in the YAML `text`, as the parser
/// reports it; the start of the file if it cannot be found.
fn span_of(text: &str, at: &[Step], value: &str) -> std::ops::Range<usize> {
    let Some(start) = locate(text, at) else {
        return 0..0;
    };
    let rest = &text[start..];
    let len = if rest.starts_with(value) && !value.is_empty() {
        value.len()
    } else if let Some(quote @ ('"' | '\'')) = rest.chars().next() {
        rest[1..].find(quote).map_or(1, |end| end + 2)
    } else {
        rest.find(['\n', ',', '}', ']']).unwrap_or(rest.len())
    };
    start..start + len
}

/// The byte offset where the value at `at` starts in `text`. The parser
/// knows it: walk to the value and fail there, and its error says where.
pub(crate) fn locate(text: &str, at: &[Step]) -> Option<usize> {
    let err = Seek(at)
        .deserialize(serde_norway::Deserializer::from_str(text))
        .err()?;
    let location = err.location()?;
    Some(offset_of(text, location.line(), location.column()))
}

/// Walks its steps into a document, then fails on the value found there.
struct Seek<'p>(&'p [Step]);

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Step::Key(wanted), rest)) = self.0.split_first() else {
            return Err(de::Error::custom("here"));
        };
        while let Some(key) = map.next_key::<serde_norway::Value>()? {
            if key.as_str() == Some(wanted) {
                return map.next_value_seed(Seek(rest));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Step::Index(wanted), rest)) = self.0.split_first() else {
            return Err(de::Error::custom("here"));
        };
        for _ in 0..*wanted {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Seek(rest)).map(|_| ())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom("here"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom("here"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom("here"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom("here"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom("here"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom("here"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_safe_form() {
        for ok in [
            "qa",
            "release-manager",
            "a_b",
            "step-1",
            "2fa",
            "café",
            "日本",
            "-intro",
        ] {
            assert_eq!(id_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "javascript:void(0)",
            "../x",
            "/tmp/x",
            "a.b",
            "QA",
            "a b",
            "a#b",
            "a?b",
            "100%",
            "e\u{301}",
            "a\u{0}",
        ] {
            assert!(id_problem(bad).is_some(), "{bad:?}");
        }
        assert!(id_problem(&"a".repeat(MAX_ID_BYTES + 1)).is_some());
    }

    #[test]
    fn ids_made_from_text_are_valid() {
        let long = "word ".repeat(100);
        for text in [
            "Pre-release",
            "!!!",
            "— Intro",
            "İstanbul",
            "Çé日本",
            long.as_str(),
            "",
        ] {
            let id = id_from(text, "group");
            assert_eq!(id_problem(&id), None, "{text:?} → {id:?}");
        }
        assert_eq!(id_from("Pre-Release Phase", "g"), "pre-release-phase");
        assert_eq!(id_from("!!!", "group"), "group");
    }

    #[test]
    fn values_are_located_by_the_parser() {
        let text = "roles:\n  - id: a\n    name: A\n  - name: B\n    id: \"b\"\n";
        let at = |i| locate(text, &[Step::Key("roles"), Step::Index(i), Step::Key("id")]);
        assert_eq!(at(0), Some(text.find("a\n").unwrap()));
        assert_eq!(at(1), Some(text.find("\"b\"").unwrap()));
        assert_eq!(at(2), None);
        let flow = "roles: [{id: x, name: X}, {id: '', name: Y}]";
        let span = span_of(
            flow,
            &[Step::Key("roles"), Step::Index(1), Step::Key("id")],
            "",
        );
        assert_eq!(&flow[span], "''");
    }

    #[test]
    fn duplicates_name_both_places() {
        let text = "roles:\n  - id: qa\n    name: A\n  - id: qa\n    name: B\n";
        let file: RolesFile = serde_norway::from_str(text).unwrap();
        let d = roles("content/roles.yaml", text, &file);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].col), (4, 9));
        assert_eq!(
            d[0].message,
            "role id \"qa\" is used twice: first at content/roles.yaml:2:9"
        );
    }

    #[test]
    fn many_problems_are_counted_past_the_first_ones() {
        let mut text = "roles:\n".to_string();
        for _ in 0..MAX_SHOWN + 5 {
            text.push_str("  - id: qa\n    name: A\n");
        }
        let file: RolesFile = serde_norway::from_str(&text).unwrap();
        let d = roles("r.yaml", &text, &file);
        assert_eq!(d.len(), MAX_SHOWN + 1);
        assert_eq!(
            d[MAX_SHOWN].message,
            "and 4 more ids from here on are unsafe or repeated"
        );
        assert_eq!(d[MAX_SHOWN].line, 2 + 2 * (MAX_SHOWN + 1));
    }
}
