//! How far a run is: progress by phase and by role, the open required items
//! first, and the release gate: a selection (a role, a phase, or both)
//! passes when every required item in it is done, skipped or not applicable.

use serde::Serialize;

use super::model::{ItemState, Run, RunItem};
use crate::checklist::ReleasePhase;

/// Which items a status or gate looks at; `None` means all.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection<'a> {
    /// A role id: items it owns.
    pub role: Option<&'a str>,
    pub phase: Option<ReleasePhase>,
}

impl Selection<'_> {
    pub fn matches(&self, item: &RunItem) -> bool {
        self.role.is_none_or(|r| item.owners.iter().any(|o| o == r))
            && self.phase.is_none_or(|p| item.phase == p)
    }
}

/// The counts of one part of a run (a phase, a role, the whole selection).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// The phase (`pre-release`) or role id; empty for the whole selection.
    pub key: String,
    pub total: usize,
    pub done: usize,
    pub skipped: usize,
    pub not_applicable: usize,
    pub open: usize,
    /// Open items the gate waits for.
    pub open_required: usize,
}

impl Progress {
    fn new(key: &str) -> Progress {
        Progress {
            key: key.to_string(),
            ..Progress::default()
        }
    }

    fn add(&mut self, item: &RunItem) {
        self.total += 1;
        match item.state {
            ItemState::Open => {
                self.open += 1;
                if item.required() {
                    self.open_required += 1;
                }
            }
            ItemState::Done => self.done += 1,
            ItemState::Skipped => self.skipped += 1,
            ItemState::NotApplicable => self.not_applicable += 1,
        }
    }

    /// Closed items (done, skipped, not applicable).
    pub fn closed(&self) -> usize {
        self.total - self.open
    }
}

/// A run's state for one selection.
#[derive(Debug, Serialize)]
pub struct Status<'a> {
    /// Every required item of the selection is closed.
    pub passes: bool,
    pub overall: Progress,
    /// In timeline order.
    pub by_phase: Vec<Progress>,
    /// By role id, in the order roles first appear among the items.
    pub by_role: Vec<Progress>,
    /// Open required items first, then open optional ones, then the closed,
    /// each in playbook order.
    pub items: Vec<&'a RunItem>,
}

/// The status of `selection` of `run`.
pub fn status<'a>(run: &'a Run, selection: &Selection) -> Status<'a> {
    let selected: Vec<&RunItem> = run.items.iter().filter(|i| selection.matches(i)).collect();
    let mut overall = Progress::new("");
    let mut by_phase: Vec<Progress> = Vec::new();
    let mut by_role: Vec<Progress> = Vec::new();
    for item in &selected {
        overall.add(item);
        let phase = item.phase.as_str();
        match by_phase.iter_mut().find(|p| p.key == phase) {
            Some(p) => p.add(item),
            None => {
                let mut p = Progress::new(phase);
                p.add(item);
                by_phase.push(p);
            }
        }
        for owner in &item.owners {
            match by_role.iter_mut().find(|p| &p.key == owner) {
                Some(p) => p.add(item),
                None => {
                    let mut p = Progress::new(owner);
                    p.add(item);
                    by_role.push(p);
                }
            }
        }
    }
    by_phase.sort_by_key(|p| phase_rank(&p.key));
    let rank = |i: &RunItem| match (i.state, i.required()) {
        (ItemState::Open, true) => 0,
        (ItemState::Open, false) => 1,
        _ => 2,
    };
    let mut items = selected;
    items.sort_by_key(|i| rank(i));
    Status {
        passes: overall.open_required == 0,
        overall,
        by_phase,
        by_role,
        items,
    }
}

/// The gate alone: every required item of `selection` is closed.
pub fn passes(run: &Run, selection: &Selection) -> bool {
    run.items
        .iter()
        .filter(|i| selection.matches(i))
        .all(|i| i.is_closed() || !i.required())
}

fn phase_rank(key: &str) -> usize {
    PHASES
        .iter()
        .position(|p| p.as_str() == key)
        .unwrap_or(PHASES.len())
}

/// Every phase, in timeline order.
pub const PHASES: [ReleasePhase; 8] = [
    ReleasePhase::Planning,
    ReleasePhase::PreRelease,
    ReleasePhase::PreDeployment,
    ReleasePhase::Deployment,
    ReleasePhase::PostDeployment,
    ReleasePhase::FollowUp,
    ReleasePhase::Rollback,
    ReleasePhase::Incident,
];

/// Who closed the last item of a phase, and when: the phase's sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignOff {
    pub phase: ReleasePhase,
    pub by: String,
    pub at: super::model::Timestamp,
}

/// The sign-off of every phase whose required items are all closed (see
/// [`holding_items`]), in timeline order: who closed the last of them, and
/// when. Open optional items do not hold a sign-off back, as they do not
/// hold the gate.
pub fn sign_offs(run: &Run) -> Vec<SignOff> {
    PHASES
        .iter()
        .filter_map(|&phase| {
            let required = holding_items(run, phase);
            if required.is_empty() || required.iter().any(|i| !i.is_closed()) {
                return None;
            }
            let last = required
                .iter()
                .filter(|i| i.at.is_some())
                .max_by_key(|i| i.at)?;
            Some(SignOff {
                phase,
                by: last.by.clone().unwrap_or_default(),
                at: last.at?,
            })
        })
        .collect()
}

/// The items a phase's sign-off waits for: its required ones, or all of
/// them when every one is optional.
pub fn holding_items(run: &Run, phase: ReleasePhase) -> Vec<&RunItem> {
    let of_phase = run.items.iter().filter(|i| i.phase == phase);
    let required: Vec<&RunItem> = of_phase.clone().filter(|i| i.required()).collect();
    if required.is_empty() {
        of_phase.collect()
    } else {
        required
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::*;
    use super::*;

    fn run() -> Run {
        let text = "version: 2.4.0\ntype: major\ndate: 2026-12-06\nstarted_by: Dana\nstarted_at: 2026-12-06T09:00:00Z\nitems:\n\
- {id: c/a, group: g, phase: pre-release, owners: [qa], state: done, by: Sam, at: 2026-12-06T09:05:00Z, text: A}\n\
- {id: c/b, group: g, phase: pre-release, owners: [sre], state: open, text: B}\n\
- {id: c/c, group: g, phase: pre-release, owners: [qa], optional: true, state: open, text: C}\n\
- {id: c/d, group: h, phase: deployment, owners: [sre, qa], state: skipped, reason: later, by: Kim, at: 2026-12-06T11:00:00Z, text: D}\n\
- {id: c/e, group: h, phase: deployment, owners: [sre], state: not-applicable, by: Kim, at: 2026-12-06T10:00:00Z, text: E}\n";
        super::super::parse::parse("r", text).unwrap()
    }

    #[test]
    fn the_gate_per_selection() {
        let run = run();
        let qa = Selection {
            role: Some("qa"),
            phase: None,
        };
        let sre = Selection {
            role: Some("sre"),
            phase: None,
        };
        let pre = Selection {
            role: None,
            phase: Some(ReleasePhase::PreRelease),
        };
        let dep = Selection {
            role: None,
            phase: Some(ReleasePhase::Deployment),
        };
        for (selection, want) in [
            (Selection::default(), false),
            (qa, true),
            (sre, false),
            (pre, false),
            (dep, true),
        ] {
            assert_eq!(passes(&run, &selection), want, "{selection:?}");
            assert_eq!(status(&run, &selection).passes, want, "{selection:?}");
        }
        let sre_pre = Selection {
            role: Some("sre"),
            phase: Some(ReleasePhase::PreRelease),
        };
        assert!(!passes(&run, &sre_pre));
    }

    #[test]
    fn progress_by_phase_and_role_open_required_first() {
        let run = run();
        let s = status(&run, &Selection::default());
        assert_eq!(
            (s.overall.total, s.overall.closed(), s.overall.open_required),
            (5, 3, 1)
        );
        let phases: Vec<(&str, usize)> = s
            .by_phase
            .iter()
            .map(|p| (p.key.as_str(), p.open))
            .collect();
        assert_eq!(phases, [("pre-release", 2), ("deployment", 0)]);
        let roles: Vec<&str> = s.by_role.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(roles, ["qa", "sre"]);
        let order: Vec<&str> = s.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(order, ["c/b", "c/c", "c/a", "c/d", "c/e"]);
        let signed = sign_offs(&run);
        assert_eq!(signed.len(), 1);
        assert_eq!(
            (
                signed[0].phase,
                signed[0].by.as_str(),
                signed[0].at.to_string().as_str()
            ),
            (ReleasePhase::Deployment, "Kim", "2026-12-06T11:00:00Z")
        );
    }

    #[test]
    fn a_phase_is_signed_off_by_whoever_closed_its_last_required_item() {
        let mut run = run();
        let at = Timestamp::parse("2026-12-06T12:00:00Z").expect("time");
        let b = run.items.iter().position(|i| i.id == "c/b").expect("c/b");
        run.items[b].close(ItemState::Done, "Quinn", at, None);
        let signed = sign_offs(&run);
        let pre = signed
            .iter()
            .find(|s| s.phase == ReleasePhase::PreRelease)
            .expect("pre-release is signed off though an optional item is open");
        assert_eq!((pre.by.as_str(), pre.at), ("Quinn", at));
        run.items[b].reopen();
        assert!(sign_offs(&run)
            .iter()
            .all(|s| s.phase != ReleasePhase::PreRelease));
    }
}
