//! A run's items made from the playbook: every item that applies to the
//! release type, in the order role pages and `playbook checklist --role
//! all` list them (see [`crate::views::phases`]); and how a run and the
//! playbook have drifted apart since it started.

use std::collections::BTreeSet;

use super::model::{ItemState, Run, RunDate, RunItem, RunVersion, Timestamp};
use crate::checklist::ReleaseType;
use crate::model::Site;

/// Every item of the playbook that applies to `release_type`, open.
pub fn playbook_items(site: &Site, release_type: ReleaseType) -> Vec<RunItem> {
    let phases = crate::views::for_type(crate::views::phases(site), Some(release_type));
    let mut items = Vec::new();
    for phase in &phases {
        for resolved in &phase.items {
            let item = resolved.item;
            let owners = item
                .owners
                .iter()
                .map(|o| {
                    site.embeds
                        .roles
                        .resolve(o)
                        .map_or_else(|| o.clone(), |r| r.id.clone())
                })
                .collect::<Vec<_>>();
            let mut unique = Vec::new();
            for owner in owners {
                if !unique.contains(&owner) {
                    unique.push(owner);
                }
            }
            items.push(RunItem {
                id: resolved.key.clone(),
                checklist: phase.checklist.id.clone(),
                group: phase.group.id.clone(),
                phase: phase.release_phase,
                owners: unique,
                optional: item.optional,
                state: ItemState::Open,
                reason: None,
                by: None,
                at: None,
                note: None,
                text: item.text.clone(),
            });
        }
    }
    items
}

/// What starting a run needs besides the playbook.
#[derive(Debug, Clone)]
pub struct NewRun {
    pub version: RunVersion,
    pub release_type: ReleaseType,
    pub date: RunDate,
    pub started_by: String,
    pub started_at: Timestamp,
}

/// A new run: every applicable item of the playbook, open.
pub fn new_run(site: &Site, new: NewRun) -> Run {
    Run {
        items: playbook_items(site, new.release_type),
        version: new.version,
        release_type: new.release_type,
        date: new.date,
        started_by: new.started_by,
        started_at: new.started_at,
    }
}

/// How a run and the playbook differ.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drift {
    /// Items the playbook has for the run's type and the run does not.
    pub added: Vec<RunItem>,
    /// Open items of the run whose ids the playbook no longer has (closed
    /// ones stay: they are the record of what was done).
    pub removed: Vec<String>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// How `run` differs from what the playbook gives its release type now.
pub fn drift(run: &Run, site: &Site) -> Drift {
    drift_from(run, &playbook_items(site, run.release_type))
}

fn drift_from(run: &Run, fresh: &[RunItem]) -> Drift {
    let have: BTreeSet<&str> = run.items.iter().map(|i| i.id.as_str()).collect();
    let want: BTreeSet<&str> = fresh.iter().map(|i| i.id.as_str()).collect();
    Drift {
        added: fresh
            .iter()
            .filter(|i| !have.contains(i.id.as_str()))
            .cloned()
            .collect(),
        removed: run
            .items
            .iter()
            .filter(|i| !i.is_closed() && !want.contains(i.id.as_str()))
            .map(|i| i.id.clone())
            .collect(),
    }
}

/// Bring `run` up to date with the playbook: new items added, open, in
/// playbook order; open items the playbook no longer has dropped; every
/// other item kept as it is (its text as it was when the run started).
/// Returns what changed.
pub fn sync(run: &mut Run, site: &Site) -> Drift {
    sync_with(run, &playbook_items(site, run.release_type))
}

fn sync_with(run: &mut Run, fresh: &[RunItem]) -> Drift {
    let drift = drift_from(run, fresh);
    if drift.is_empty() {
        return drift;
    }
    let mut old: Vec<Option<RunItem>> = std::mem::take(&mut run.items)
        .into_iter()
        .map(Some)
        .collect();
    let mut items = Vec::new();
    for item in fresh {
        match old
            .iter_mut()
            .find(|o| o.as_ref().is_some_and(|o| o.id == item.id))
        {
            Some(kept) => items.extend(kept.take()),
            None => items.push(item.clone()),
        }
    }
    // What the playbook no longer has but was done: kept, at the end.
    items.extend(old.into_iter().flatten().filter(RunItem::is_closed));
    run.items = items;
    drift
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, state: ItemState) -> RunItem {
        let mut item = RunItem {
            id: id.into(),
            checklist: "c".into(),
            group: "g".into(),
            phase: crate::checklist::ReleasePhase::PreRelease,
            owners: vec![],
            optional: false,
            state: ItemState::Open,
            reason: None,
            by: None,
            at: None,
            note: None,
            text: id.into(),
        };
        if state != ItemState::Open {
            item.close(
                state,
                "X",
                Timestamp::parse("2026-12-06T09:00:00Z").unwrap(),
                None,
            );
        }
        item
    }

    #[test]
    fn sync_adds_new_items_in_order_and_drops_only_open_removed_ones() {
        let mut run = super::super::store::tests::sample("1.0.0", 0);
        run.items = vec![
            item("c/a", ItemState::Done),
            item("c/gone-open", ItemState::Open),
            item("c/gone-done", ItemState::Done),
            item("c/c", ItemState::Open),
        ];
        let fresh = vec![
            item("c/a", ItemState::Open),
            item("c/b", ItemState::Open),
            item("c/c", ItemState::Open),
        ];
        let drift = sync_with(&mut run, &fresh);
        assert_eq!(
            drift
                .added
                .iter()
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>(),
            ["c/b"]
        );
        assert_eq!(drift.removed, ["c/gone-open"]);
        let ids: Vec<(&str, ItemState)> =
            run.items.iter().map(|i| (i.id.as_str(), i.state)).collect();
        assert_eq!(
            ids,
            [
                ("c/a", ItemState::Done),
                ("c/b", ItemState::Open),
                ("c/c", ItemState::Open),
                ("c/gone-done", ItemState::Done)
            ]
        );
        assert!(drift_from(&run, &fresh).is_empty(), "in step after a sync");
    }
}
