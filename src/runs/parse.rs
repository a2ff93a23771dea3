//! Reading a run file: YAML and typed errors at their file:line:col (like
//! every other YAML file playbook reads), then the rules serde cannot say:
//! ids in the `checklist/item` form and given once, a `skipped` item with
//! its reason, a closed item with who and when, an open one with neither.

use std::collections::HashMap;

use super::model::{ItemState, Run, RunDate, RunItem, RunVersion, Timestamp};
use crate::diagnostic::Diagnostic;
use crate::yaml_spans::Spans;

/// The code of every run-file diagnostic.
pub const CODE: &str = "run-file";

const SHAPE_HINT: &str = "a run file holds `version`, `type`, `date`, `started_by`, `started_at` and `items`, each item `{id, group, phase, state, text}` with optional `checklist`, `owners`, `optional`, `reason`, `by`, `at` and `note`; `playbook schema run` prints its schema";

/// The run in `text` (the file shown as `shown`), or every problem found.
pub fn parse(shown: &str, text: &str) -> Result<Run, Vec<Diagnostic>> {
    // A run of thousands of items can hold as many problems.
    let _placing = crate::diagnostic::placing_in(text);
    if let Some(nul) = crate::yaml::nul_character(CODE, shown, text) {
        return Err(vec![nul]);
    }
    if let Some((at, len)) = super::merge::first_conflict_marker(text) {
        return Err(vec![Diagnostic::error(
            CODE,
            shown,
            text,
            at..at + len,
            "this run file holds a git merge conflict: two people changed it",
        )
        .with_hint(format!(
            "`playbook run merge {shown}` merges it item by item (the later change of an item wins); `playbook run merge --install` has git do so in every merge"
        ))]);
    }
    let yaml_error = |err: serde_norway::Error| {
        vec![
            crate::yaml::diagnostic(CODE, shown, text, 0, &err, "invalid run file")
                .with_hint(SHAPE_HINT),
        ]
    };
    let value: serde_json::Value = serde_norway::from_str(text).map_err(yaml_error)?;
    let problems = check_scalars(shown, text, &value);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut run: Run = serde_norway::from_str(text).map_err(yaml_error)?;
    let problems = validate(shown, text, &mut run);
    if problems.is_empty() {
        Ok(run)
    } else {
        Err(problems)
    }
}

/// Versions, dates and times checked where they are written: serde would
/// place their errors at the start of the mapping that holds them.
fn check_scalars(shown: &str, text: &str, value: &serde_json::Value) -> Vec<Diagnostic> {
    type Check = fn(&str) -> Result<(), String>;
    let version: Check = |t| RunVersion::parse(t).map(drop);
    let date: Check = |t| RunDate::parse(t).map(drop);
    let time: Check = |t| Timestamp::parse(t).map(drop);
    let mut checks: Vec<(String, Check)> = vec![
        ("version".into(), version),
        ("date".into(), date),
        ("started_at".into(), time),
    ];
    if let Some(items) = value.get("items").and_then(|v| v.as_array()) {
        checks.extend((0..items.len()).map(|i| (format!("items/{i}/at"), time)));
    }
    // Where things are written is read (a second parse) only when needed.
    let spans = Spans::when_asked(text);
    let span_of = |path: &str| spans.get().value(path).unwrap_or(0..0);
    let mut problems = Vec::new();
    for (path, check) in checks {
        let pointer = format!("/{path}");
        // A number (`version: 2.4`) is checked as it is written.
        let written = match value.pointer(&pointer) {
            Some(serde_json::Value::String(written)) => written.as_str(),
            Some(serde_json::Value::Number(_) | serde_json::Value::Bool(_)) => {
                text.get(span_of(&path)).unwrap_or_default()
            }
            _ => continue,
        };
        if let Err(problem) = check(written) {
            let span = span_of(&path);
            let key = path.rsplit('/').next().unwrap_or(&path);
            problems.push(Diagnostic::error(
                CODE,
                shown,
                text,
                span,
                format!("invalid run file: `{key}`: {problem}"),
            ));
        }
    }
    problems
}

/// One broken rule: the key it is at, what is wrong, how to fix it.
type Problem = (&'static str, String, &'static str);

/// The rules of a run's items; fills each item's `checklist` from its id
/// when the file leaves it out.
fn validate(shown: &str, text: &str, run: &mut Run) -> Vec<Diagnostic> {
    // Where things are written is read (a second parse) only for a problem.
    let spans = Spans::when_asked(text);
    let mut problems = Vec::new();
    let mut at = |path: String, message: String, hint: &str| {
        let span = spans.get().value(&path).unwrap_or(0..0);
        problems
            .push(Diagnostic::error(CODE, shown, text, span, message).with_hint(hint.to_string()));
    };
    if let Some(problem) = name_problem(&run.started_by) {
        at(
            "started_by".to_string(),
            format!("`started_by` {problem}"),
            "write the name of a person or a team",
        );
    }
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for (i, item) in run.items.iter().enumerate() {
        let mut found = id_problems(item);
        if let Some(first) = first_seen.insert(&item.id, i) {
            found.push((
                "id",
                format!(
                    "the item `{}` is listed twice (also item {} of the list)",
                    item.id,
                    first + 1
                ),
                "keep one of the two lines",
            ));
        }
        found.extend(state_problems(item));
        for (key, message, hint) in found {
            at(format!("items/{i}/{key}"), message, hint);
        }
    }
    for item in &mut run.items {
        if item.checklist.is_empty() {
            item.checklist = item.id_checklist().to_string();
        }
    }
    problems
}

/// An item's id, group and checklist in the id form the checklists use.
fn id_problems(item: &RunItem) -> Vec<Problem> {
    let mut found = Vec::new();
    match item.id.split_once('/') {
        Some((checklist, id))
            if crate::ids::id_problem(checklist).is_none()
                && crate::ids::id_problem(id).is_none() => {}
        _ => found.push((
            "id",
            format!("the item id `{}` is not `checklist-id/item-id`", item.id.escape_debug()),
            "ids are lowercase letters, digits, `-` and `_`, as `playbook checklist --format md` shows them; `playbook run sync VERSION` rewrites the items from the playbook",
        )),
    }
    for (key, value) in [("group", &item.group), ("checklist", &item.checklist)] {
        if key == "checklist" && value.is_empty() {
            continue;
        }
        if let Some(problem) = crate::ids::id_problem(value) {
            found.push((
                key,
                format!("the {key} id `{}` {problem}", value.escape_debug()),
                "ids are lowercase letters, digits, `-` and `_`, as in the checklist files",
            ));
        }
    }
    found
}

/// A skipped item with its reason, a closed one with who and when, an open
/// one with neither.
fn state_problems(item: &RunItem) -> Vec<Problem> {
    let mut found = Vec::new();
    let closed = item.state != ItemState::Open;
    if item.state == ItemState::Skipped
        && item.reason.as_deref().is_none_or(|r| r.trim().is_empty())
    {
        found.push((
            "state",
            format!("the item `{}` is skipped without a reason", item.id),
            "add `reason: ...` saying why, or use `playbook run skip VERSION ITEM --reason TEXT --by NAME`",
        ));
    }
    if item.state != ItemState::Skipped && item.reason.is_some() {
        found.push((
            "reason",
            format!("the item `{}` has a `reason` but is not skipped", item.id),
            "a reason goes only with `state: skipped`; remove it or put it in `note`",
        ));
    }
    if closed && (item.by.is_none() || item.at.is_none()) {
        found.push((
            "state",
            format!(
                "the item `{}` is {} but does not say `by` whom and `at` what time",
                item.id,
                item.state.as_str()
            ),
            "add `by: NAME, at: 2026-12-06T09:05:00Z` (UTC), or record it with `playbook run tick`",
        ));
    }
    if !closed && (item.by.is_some() || item.at.is_some()) {
        let key = if item.by.is_some() { "by" } else { "at" };
        found.push((
            key,
            format!("the item `{}` is open but has `{key}`", item.id),
            "an open item has no `by` or `at`: remove them, or set `state: done`",
        ));
    }
    if let Some(problem) = item.by.as_deref().and_then(name_problem) {
        found.push((
            "by",
            format!("`by` {problem}"),
            "write the name of a person or a team",
        ));
    }
    found
}

/// What is wrong with a person's name, if anything: names are one line of
/// plain text.
pub fn name_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        Some("is empty")
    } else if name.chars().any(char::is_control) {
        Some("holds a control character (a line break, tab or escape)")
    } else if name.len() > 200 {
        Some("is longer than 200 bytes")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "version: 2.4.0\ntype: major\ndate: 2026-12-06\nstarted_by: Dana\nstarted_at: 2026-12-06T09:00:00Z\nitems:\n- {id: pre/a, group: g, phase: pre-release, state: done, by: Dana, at: 2026-12-06T09:05:00Z, text: A}\n- {id: pre/b, group: g, phase: pre-release, owners: [qa], state: skipped, reason: not needed, by: Sam, at: 2026-12-06T09:06:00Z, text: B}\n- {id: other/c, checklist: pre, group: g, phase: deployment, optional: true, state: open, text: C}\n";

    fn problems(text: &str) -> Vec<(usize, usize, String)> {
        parse("runs/2.4.0.yaml", text)
            .unwrap_err()
            .into_iter()
            .map(|d| (d.line, d.col, d.message))
            .collect()
    }

    #[test]
    fn a_good_file_parses() {
        let run = parse("r.yaml", GOOD).unwrap();
        assert_eq!(run.version.to_string(), "2.4.0");
        assert_eq!(run.items.len(), 3);
        assert_eq!(run.items[0].checklist, "pre", "filled from the id");
        assert_eq!(run.items[2].checklist, "pre");
        assert!(!run.items[2].required());
    }

    #[test]
    fn problems_name_line_and_column() {
        let cases: Vec<(String, (usize, usize), &str)> = vec![
            (
                GOOD.replace("state: done", "state: finished"),
                (7, 52),
                "unknown variant `finished`",
            ),
            (
                GOOD.replace("reason: not needed, ", ""),
                (8, 66),
                "skipped without a reason",
            ),
            (
                GOOD.replace("id: pre/b", "id: pre/a"),
                (8, 8),
                "listed twice",
            ),
            (
                GOOD.replace("09:05:00Z", "09:05"),
                (7, 72),
                "`at`: `2026-12-06T09:05` is not an RFC 3339 time",
            ),
            (
                GOOD.replace("version: 2.4.0", "version: 2.4"),
                (1, 10),
                "not a semantic version",
            ),
            (
                GOOD.replace("text: C}", "text: C, colour: red}"),
                (9, 100),
                "unknown field `colour`",
            ),
            (
                GOOD.replace("started_by: Dana", "startedby: Dana"),
                (4, 1),
                "unknown field `startedby`",
            ),
            (
                GOOD.replace("id: pre/a", "id: ../a"),
                (7, 8),
                "is not `checklist-id/item-id`",
            ),
            (
                GOOD.replace("state: open, text: C", "state: open, by: X, text: C"),
                (9, 95),
                "is open but has `by`",
            ),
            (
                GOOD.replace("by: Dana, at: 2026-12-06T09:05:00Z, ", ""),
                (7, 52),
                "does not say `by` whom",
            ),
        ];
        let mut wrong = Vec::new();
        for (text, (line, col), says) in cases {
            let found = problems(&text);
            if !found
                .iter()
                .any(|(l, c, m)| (*l, *c) == (line, col) && m.contains(says))
            {
                wrong.push(format!("{says}: {found:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
