//! Two people tick a run in two clones; git merges their commits. Each
//! item is one line, but git's line merge still stops at two ticks on
//! neighbouring lines, which a run is full of. A run merges item by item
//! instead: `playbook run merge` as git's merge driver (three versions: the
//! common base, ours, theirs), or on a file git already left with conflict
//! markers (ours and theirs, and the base when git wrote it, `diff3`).
//!
//! Per item: what only one side changed is taken; what both changed the
//! same way is kept; what both changed differently goes to the later
//! `at` (a run keeps only the latest state of an item; git keeps the
//! rest). An item both sides changed with no time to tell them apart (a
//! reopen forgets its time) stays a conflict, marked on its one line.
//! Items one side added (by `sync`) are kept in the playbook order they
//! came in; an item one side dropped is dropped unless the other changed it.

use std::collections::{BTreeSet, HashMap};

use super::format::{format, item_line};
use super::model::{Run, RunItem};

/// A merged run, and the items it could not decide: (ours, theirs).
#[derive(Debug)]
pub struct Merged {
    pub run: Run,
    pub conflicts: Vec<(RunItem, RunItem)>,
    /// How many items came from their side.
    pub taken_from_theirs: usize,
}

/// The three-way merge of a run; `base` is `None` when git's markers did
/// not keep it.
pub fn merge(base: Option<&Run>, ours: &Run, theirs: &Run) -> Merged {
    let base_items: HashMap<&str, &RunItem> = base
        .map(|b| b.items.iter().map(|i| (i.id.as_str(), i)).collect())
        .unwrap_or_default();
    let their_items: HashMap<&str, &RunItem> =
        theirs.items.iter().map(|i| (i.id.as_str(), i)).collect();
    let our_ids: BTreeSet<&str> = ours.items.iter().map(|i| i.id.as_str()).collect();
    let mut run = merged_header(base, ours, theirs);
    let mut conflicts = Vec::new();
    let mut taken_from_theirs = 0;
    for ours_item in &ours.items {
        let id = ours_item.id.as_str();
        let base_item = base_items.get(id).copied();
        let Some(&theirs_item) = their_items.get(id) else {
            // Theirs dropped it (or never had it): keep it if ours added or changed it.
            if base_item.is_none_or(|b| b != ours_item) {
                run.items.push(ours_item.clone());
            }
            continue;
        };
        match decide(base_item, ours_item, theirs_item) {
            Some(Side::Ours) => run.items.push(ours_item.clone()),
            Some(Side::Theirs) => {
                taken_from_theirs += 1;
                run.items.push(theirs_item.clone());
            }
            None => {
                conflicts.push((ours_item.clone(), theirs_item.clone()));
                run.items.push(ours_item.clone());
            }
        }
    }
    // Their items ours has not: each after the item it follows in theirs.
    for (at, theirs_item) in theirs.items.iter().enumerate() {
        let id = theirs_item.id.as_str();
        if our_ids.contains(id) {
            continue;
        }
        let base_item = base_items.get(id).copied();
        if base_item.is_some_and(|b| b == theirs_item) {
            continue; // ours dropped it and theirs left it as it was
        }
        let after = theirs.items[..at]
            .iter()
            .rev()
            .find_map(|before| run.items.iter().position(|i| i.id == before.id));
        run.items
            .insert(after.map_or(0, |i| i + 1), theirs_item.clone());
        taken_from_theirs += 1;
    }
    Merged {
        run,
        conflicts,
        taken_from_theirs,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Ours,
    Theirs,
}

/// Which side's item the merge keeps, if a rule decides. `base` is the
/// item as it was: `None` when the base is unknown (markers without it).
fn decide(base: Option<&RunItem>, ours: &RunItem, theirs: &RunItem) -> Option<Side> {
    if ours == theirs || base == Some(theirs) {
        return Some(Side::Ours);
    }
    if base == Some(ours) {
        return Some(Side::Theirs);
    }
    // Both changed it, differently: the later change is the item's state.
    // Without the base, a closed item against one with no time is taken
    // for a tick the other side had not seen (a reopen would look the same,
    // and is far rarer).
    match (ours.at, theirs.at) {
        (Some(a), Some(b)) if a > b => Some(Side::Ours),
        (Some(a), Some(b)) if b > a => Some(Side::Theirs),
        (Some(_), None) if base.is_none() => Some(Side::Ours),
        (None, Some(_)) if base.is_none() => Some(Side::Theirs),
        _ => None,
    }
}

/// The run's own fields: what one side changed, else ours.
fn merged_header(base: Option<&Run>, ours: &Run, theirs: &Run) -> Run {
    let mut run = Run {
        items: Vec::new(),
        ..ours.clone()
    };
    if let Some(base) = base {
        if ours.release_type == base.release_type {
            run.release_type = theirs.release_type;
        }
        if ours.date == base.date {
            run.date = theirs.date;
        }
    }
    run
}

/// The merged file: the run as `playbook run` writes it, each undecided
/// item as a conflict of its one line.
pub fn render(merged: &Merged) -> String {
    let text = format(&merged.run);
    if merged.conflicts.is_empty() {
        return text;
    }
    let undecided: HashMap<String, &RunItem> = merged
        .conflicts
        .iter()
        .map(|(ours, theirs)| (item_line(ours), theirs))
        .collect();
    let mut out = String::with_capacity(text.len() + 200 * undecided.len());
    for line in text.split_inclusive('\n') {
        match undecided.get(line.trim_end_matches('\n')) {
            Some(theirs) => {
                out.push_str("<<<<<<< ours\n");
                out.push_str(line);
                out.push_str("=======\n");
                out.push_str(&item_line(theirs));
                out.push_str("\n>>>>>>> theirs\n");
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A file git left with conflict markers, as its sides: (ours, base when
/// git wrote it, theirs); `None` when it has none, or markers that are not
/// git's one-level form (unclosed, or a conflict inside another).
pub fn conflict_sides(text: &str) -> Option<(String, Option<String>, String)> {
    #[derive(PartialEq)]
    enum In {
        Both,
        Ours,
        Base,
        Theirs,
    }
    let mut state = In::Both;
    let (mut ours, mut base, mut theirs) = (String::new(), String::new(), String::new());
    let mut had_markers = false;
    let mut had_base = false;
    for line in text.split_inclusive('\n') {
        let marker = |m: &str| {
            line.starts_with(m) && line[m.len()..].starts_with([' ', '\n', '\r'])
                || line.trim_end() == m
        };
        match state {
            In::Both if marker("<<<<<<<") => {
                state = In::Ours;
                had_markers = true;
            }
            // A conflict inside a conflict (a merge of merges): not split.
            In::Ours | In::Base | In::Theirs if marker("<<<<<<<") => return None,
            In::Ours if marker("|||||||") => {
                state = In::Base;
                had_base = true;
            }
            In::Ours | In::Base if marker("=======") => state = In::Theirs,
            In::Theirs if marker(">>>>>>>") => state = In::Both,
            In::Both => {
                ours.push_str(line);
                base.push_str(line);
                theirs.push_str(line);
            }
            In::Ours => ours.push_str(line),
            In::Base => base.push_str(line),
            In::Theirs => theirs.push_str(line),
        }
    }
    (had_markers && state == In::Both).then_some((ours, had_base.then_some(base), theirs))
}

/// Where the first conflict marker git left starts (its `<<<<<<<` line), if
/// the text has one: (byte offset, length).
pub fn first_conflict_marker(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("<<<<<<<") {
            return Some((offset, line.trim_end().len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runs::{parse, ItemState, Timestamp};

    const BASE: &str = "version: 2.4.0\ntype: major\ndate: 2026-12-06\nstarted_by: Dana\nstarted_at: 2026-12-06T09:00:00Z\nitems:\n\
- {id: c/a, group: g, phase: planning, state: open, text: A}\n\
- {id: c/b, group: g, phase: planning, state: open, text: B}\n\
- {id: c/c, group: g, phase: planning, state: open, text: C}\n";

    fn run(text: &str) -> Run {
        parse("run.yaml", text).expect("a valid run")
    }

    fn at(time: &str) -> Timestamp {
        Timestamp::parse(time).expect("a time")
    }

    fn ticked(mut run: Run, id: &str, by: &str, time: &str) -> Run {
        let item = run.items.iter_mut().find(|i| i.id == id).expect("the item");
        item.close(ItemState::Done, by, at(time), None);
        run
    }

    fn states(run: &Run) -> Vec<(String, ItemState, Option<String>)> {
        run.items
            .iter()
            .map(|i| (i.id.clone(), i.state, i.by.clone()))
            .collect()
    }

    #[test]
    fn ticks_of_neighbouring_items_both_land() {
        let base = run(BASE);
        let ours = ticked(base.clone(), "c/a", "Alice", "2026-12-06T10:00:00Z");
        let theirs = ticked(base.clone(), "c/b", "Bob", "2026-12-06T10:05:00Z");
        let merged = merge(Some(&base), &ours, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.taken_from_theirs, 1);
        assert_eq!(
            states(&merged.run),
            [
                ("c/a".into(), ItemState::Done, Some("Alice".into())),
                ("c/b".into(), ItemState::Done, Some("Bob".into())),
                ("c/c".into(), ItemState::Open, None),
            ]
        );
    }

    #[test]
    fn one_item_changed_on_both_sides_goes_to_the_later_change() {
        let base = run(BASE);
        let ours = ticked(base.clone(), "c/a", "Alice", "2026-12-06T10:00:00Z");
        let mut theirs = base.clone();
        theirs.items[0].close(ItemState::Skipped, "Bob", at("2026-12-06T11:00:00Z"), None);
        theirs.items[0].reason = Some("not this time".into());
        let merged = merge(Some(&base), &ours, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.run.items[0].state, ItemState::Skipped);
        // Either way round.
        let merged = merge(Some(&base), &theirs, &ours);
        assert_eq!(merged.run.items[0].state, ItemState::Skipped);
    }

    #[test]
    fn a_reopen_against_a_change_is_left_to_a_person_on_its_one_line() {
        let base = ticked(run(BASE), "c/a", "Alice", "2026-12-06T10:00:00Z");
        let mut ours = base.clone();
        ours.items[0].reopen();
        let mut theirs = base.clone();
        theirs.items[0].note = Some("see CI #9".into());
        let merged = merge(Some(&base), &ours, &theirs);
        assert_eq!(merged.conflicts.len(), 1);
        let text = render(&merged);
        let lines: Vec<&str> = text.lines().collect();
        let open = lines
            .iter()
            .position(|l| *l == "<<<<<<< ours")
            .expect("a marker");
        assert_eq!(lines[open + 2], "=======");
        assert_eq!(lines[open + 4], ">>>>>>> theirs");
        assert!(lines[open + 1].contains("state: open"));
        assert!(lines[open + 3].contains("see CI #9"));
        // Only that line: every other item is outside the markers.
        assert_eq!(text.matches("<<<<<<<").count(), 1);
        assert!(first_conflict_marker(&text).is_some());
    }

    #[test]
    fn items_one_side_added_or_dropped() {
        let base = run(BASE);
        let mut theirs = base.clone();
        let mut new_item = theirs.items[1].clone();
        new_item.id = "c/b2".into();
        new_item.text = "B2".into();
        theirs.items.insert(2, new_item);
        let mut ours = ticked(base.clone(), "c/a", "Alice", "2026-12-06T10:00:00Z");
        ours.items.retain(|i| i.id != "c/c"); // synced away on our side
        let merged = merge(Some(&base), &ours, &theirs);
        let ids: Vec<&str> = merged.run.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["c/a", "c/b", "c/b2"]);
        // Dropped on one side but ticked on the other: kept.
        let theirs = ticked(base.clone(), "c/c", "Bob", "2026-12-06T10:00:00Z");
        let merged = merge(Some(&base), &ours, &theirs);
        assert!(merged.run.items.iter().any(|i| i.id == "c/c"));
    }

    #[test]
    fn a_file_with_git_markers_splits_into_its_sides() {
        let text = "a\n<<<<<<< HEAD\nours\n||||||| base\nold\n=======\ntheirs\n>>>>>>> alice\nz\n";
        let (ours, base, theirs) = conflict_sides(text).expect("markers");
        assert_eq!(ours, "a\nours\nz\n");
        assert_eq!(base.as_deref(), Some("a\nold\nz\n"));
        assert_eq!(theirs, "a\ntheirs\nz\n");
        let plain = "a\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> alice\n";
        assert_eq!(conflict_sides(plain).expect("markers").1, None);
        assert_eq!(conflict_sides("no markers\n"), None);
        // An unfinished or nested conflict is not split.
        assert_eq!(conflict_sides("<<<<<<< HEAD\nours\n"), None);
        assert_eq!(
            conflict_sides(
                "<<<<<<< HEAD\n<<<<<<< x\na\n=======\nb\n>>>>>>> y\n=======\nc\n>>>>>>> z\n"
            ),
            None
        );
    }

    #[test]
    fn without_a_base_the_later_change_of_each_item_wins() {
        let base = run(BASE);
        let ours = ticked(base.clone(), "c/a", "Alice", "2026-12-06T10:00:00Z");
        let theirs = ticked(base.clone(), "c/b", "Bob", "2026-12-06T10:05:00Z");
        let merged = merge(None, &ours, &theirs);
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.run.items[0].state, ItemState::Done);
        assert_eq!(merged.run.items[1].state, ItemState::Done);
    }

    proptest::proptest! {
        /// Any text with or without markers splits or is left alone.
        #[test]
        fn any_text_splits_into_sides_or_none(lines in proptest::collection::vec("(<<<<<<< a|\\|\\|\\|\\|\\|\\|\\| b|=======|>>>>>>> c|x|)", 0..12)) {
            let text = lines.join("\n");
            if let Some((ours, base, theirs)) = conflict_sides(&text) {
                for side in [Some(&ours), base.as_ref(), Some(&theirs)].into_iter().flatten() {
                    proptest::prop_assert!(!side.contains("<<<<<<<"));
                }
            }
            let _ = first_conflict_marker(&text);
        }
    }
}
