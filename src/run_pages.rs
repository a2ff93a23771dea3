//! What the site shows of release runs: the runs index (`runs/index.html`)
//! and one page per run (`runs/<version>/index.html`), as typed views for
//! the templates and as text for the search index.
//!
//! Everything shown comes from the run file, as plain text: ids, names,
//! notes and item text are escaped by the templates, never trusted as HTML.
//! Runs are listed newest version first, so the order is deterministic.

use serde::Serialize;

use crate::checklist::ReleasePhase;
use crate::model::Site;
use crate::routes::relative_url;
pub use crate::routes::{run_url, RUNS_INDEX_URL};
use crate::runs::{self, ItemState, Progress, Run, RunItem, Selection};

/// The sidebar title of the runs index.
pub const RUNS_TITLE: &str = "Release runs";
/// The phase the release gate on the index looks at.
const GATE_PHASE: ReleasePhase = ReleasePhase::PreRelease;

/// The runs of a site, newest version first.
pub fn newest_first<'a>(runs: impl IntoIterator<Item = &'a Run>) -> Vec<&'a Run> {
    let mut runs: Vec<&Run> = runs.into_iter().collect();
    runs.sort_by(|a, b| b.version.cmp(&a.version));
    runs
}

/// Counts of one part of a run, for a progress bar.
#[derive(Serialize)]
pub(crate) struct ProgressView {
    /// The phase (`pre-release`) or role id.
    pub key: String,
    pub title: String,
    pub total: usize,
    pub closed: usize,
    pub done: usize,
    pub skipped: usize,
    pub open: usize,
    pub open_required: usize,
    /// Closed items in percent, rounded down.
    pub percent: usize,
    /// For a role: the run page showing that role's items only.
    pub url: Option<String>,
}

impl ProgressView {
    fn of(progress: &Progress, title: String, url: Option<String>) -> ProgressView {
        ProgressView {
            key: progress.key.clone(),
            title,
            total: progress.total,
            closed: progress.closed(),
            done: progress.done,
            skipped: progress.skipped,
            open: progress.open,
            open_required: progress.open_required,
            percent: (progress.closed() * 100)
                .checked_div(progress.total)
                .unwrap_or(100),
            url,
        }
    }
}

/// The release gate: whether the pre-release items let a deploy start.
#[derive(Serialize)]
pub(crate) struct GateView {
    pub phase: &'static str,
    pub title: &'static str,
    pub passes: bool,
    pub open_required: usize,
}

fn gate(run: &Run) -> GateView {
    let selection = Selection {
        role: None,
        phase: Some(GATE_PHASE),
    };
    let status = runs::status(run, &selection);
    GateView {
        phase: GATE_PHASE.as_str(),
        title: GATE_PHASE.title(),
        passes: status.passes,
        open_required: status.overall.open_required,
    }
}

/// One run on the runs index.
#[derive(Serialize)]
pub(crate) struct RunSummary<'a> {
    pub version: String,
    /// Relative to the page showing it.
    pub url: String,
    #[serde(rename = "type")]
    pub release_type: &'static str,
    pub date: String,
    pub started_by: &'a str,
    pub progress: ProgressView,
    pub gate: GateView,
}

/// Every run, newest first, for the page at `page_url`.
pub(crate) fn summaries<'a>(site: &'a Site, page_url: &str) -> Vec<RunSummary<'a>> {
    newest_first(site.runs.values())
        .into_iter()
        .map(|run| {
            let version = run.version.to_string();
            let status = runs::status(run, &Selection::default());
            RunSummary {
                url: relative_url(page_url, &run_url(&version)),
                release_type: run.release_type.as_str(),
                date: run.date.to_string(),
                started_by: &run.started_by,
                progress: ProgressView::of(&status.overall, version.clone(), None),
                gate: gate(run),
                version,
            }
        })
        .collect()
}

/// A list of items in one state on a run's page.
#[derive(Serialize)]
pub(crate) struct ItemSection<'a> {
    /// Its heading's id: `open-required`, `skipped`, ...
    pub id: &'static str,
    pub title: &'static str,
    /// What it says when it has no items.
    pub none: &'static str,
    pub items: Vec<ItemView<'a>>,
}

/// A role's part of one run, for the role's page: the run page showing
/// that role's items only.
#[derive(Serialize)]
pub(crate) struct RoleRun {
    pub version: String,
    /// Relative to the role page.
    pub url: String,
    pub progress: ProgressView,
}

/// Every run with items `role` owns, newest first, for its page at `page_url`.
pub(crate) fn role_runs(site: &Site, role: &str, page_url: &str) -> Vec<RoleRun> {
    newest_first(site.runs.values())
        .into_iter()
        .filter_map(|run| {
            let selection = Selection {
                role: Some(role),
                phase: None,
            };
            let status = runs::status(run, &selection);
            if status.overall.total == 0 {
                return None;
            }
            let version = run.version.to_string();
            let url = format!(
                "{}?role={}",
                relative_url(page_url, &run_url(&version)),
                percent_encoding::utf8_percent_encode(role, percent_encoding::NON_ALPHANUMERIC)
            );
            Some(RoleRun {
                progress: ProgressView::of(&status.overall, run_title(run), None),
                url,
                version,
            })
        })
        .collect()
}

/// One item of a run, as its page shows it.
#[derive(Serialize)]
pub(crate) struct ItemView<'a> {
    /// `checklist/item`: the id `run tick` and the write path take.
    pub id: &'a str,
    /// An HTML id made from its position (item ids are any text).
    pub anchor: String,
    /// Plain text (the Markdown's text, no markup).
    pub text: String,
    pub group: &'a str,
    pub phase: &'static str,
    pub phase_title: &'static str,
    /// Role ids, space-separated (for filtering by role).
    pub owner_ids: String,
    /// Role names, as shown.
    pub owners: Vec<String>,
    pub optional: bool,
    pub state: &'static str,
    pub by: Option<&'a str>,
    pub at: Option<String>,
    pub note: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// A run's page.
#[derive(Serialize)]
pub(crate) struct RunView<'a> {
    pub version: String,
    #[serde(rename = "type")]
    pub release_type: &'static str,
    pub date: String,
    pub started_by: &'a str,
    pub started_at: String,
    pub progress: ProgressView,
    pub gate: GateView,
    /// In timeline order.
    pub phases: Vec<ProgressView>,
    pub roles: Vec<ProgressView>,
    /// Open required items first, then open optional, skipped (with their
    /// reasons), done and not applicable; the empty ones left out, but for
    /// the first two that say so.
    pub sections: Vec<ItemSection<'a>>,
    /// Phases whose items are all closed: who closed the last, and when.
    pub sign_offs: Vec<SignOffView>,
    /// The runs index, relative to the run page.
    pub index_url: String,
}

#[derive(Serialize)]
pub(crate) struct SignOffView {
    pub phase: &'static str,
    pub by: String,
    pub at: String,
}

/// The view of `run`'s page, which is at `page_url`.
pub(crate) fn run_view<'a>(site: &'a Site, run: &'a Run, page_url: &str) -> RunView<'a> {
    let status = runs::status(run, &Selection::default());
    let version = run.version.to_string();
    RunView {
        sections: item_sections(site, run, &status),
        release_type: run.release_type.as_str(),
        date: run.date.to_string(),
        started_by: &run.started_by,
        started_at: run.started_at.to_string(),
        progress: ProgressView::of(&status.overall, version.clone(), None),
        gate: gate(run),
        phases: status
            .by_phase
            .iter()
            .map(|p| {
                let title = crate::runs::status::PHASES
                    .iter()
                    .find(|phase| phase.as_str() == p.key)
                    .map_or_else(|| p.key.clone(), |phase| phase.title().to_string());
                ProgressView::of(p, title, None)
            })
            .collect(),
        roles: status
            .by_role
            .iter()
            .map(|p| {
                let query = format!(
                    "?role={}",
                    percent_encoding::utf8_percent_encode(
                        &p.key,
                        percent_encoding::NON_ALPHANUMERIC
                    )
                );
                ProgressView::of(p, role_name(site, &p.key), Some(query))
            })
            .collect(),
        sign_offs: runs::sign_offs(run)
            .into_iter()
            .map(|s| SignOffView {
                phase: s.phase.title(),
                by: s.by,
                at: s.at.to_string(),
            })
            .collect(),
        index_url: relative_url(page_url, RUNS_INDEX_URL),
        version,
    }
}

/// A role's name by its id; the id itself when no role has it.
fn role_name(site: &Site, id: &str) -> String {
    site.embeds
        .roles
        .resolve(id)
        .filter(|r| r.id == id)
        .map_or_else(|| id.to_string(), |r| r.name.clone())
}

/// The run's items by state, open required first, each with its position
/// in the file (its anchor).
fn item_sections<'a>(site: &Site, run: &'a Run, status: &runs::Status<'a>) -> Vec<ItemSection<'a>> {
    let item_view = |(index, item): (usize, &'a RunItem)| ItemView {
        id: &item.id,
        anchor: format!("item-{}", index + 1),
        text: crate::links::plain_text(&item.text),
        group: &item.group,
        phase: item.phase.as_str(),
        phase_title: item.phase.title(),
        owner_ids: item.owners.join(" "),
        owners: item.owners.iter().map(|o| role_name(site, o)).collect(),
        optional: item.optional,
        state: item.state.as_str(),
        by: item.by.as_deref(),
        at: item.at.map(|t| t.to_string()),
        note: item.note.as_deref(),
        reason: item.reason.as_deref(),
    };
    // Status order (open required first), each item with its file position.
    let ordered: Vec<(usize, &RunItem)> = status
        .items
        .iter()
        .filter_map(|shown| {
            let index = run.items.iter().position(|i| std::ptr::eq(i, *shown))?;
            Some((index, *shown))
        })
        .collect();
    let section = |id, title, none, keep: &dyn Fn(&RunItem) -> bool| ItemSection {
        id,
        title,
        none,
        items: ordered
            .iter()
            .filter(|(_, item)| keep(item))
            .map(|&pair| item_view(pair))
            .collect(),
    };
    vec![
        section(
            "open-required",
            "Open, required",
            "None: every required item is closed.",
            &|i| i.state == ItemState::Open && i.required(),
        ),
        section("open-optional", "Open, optional", "", &|i| {
            i.state == ItemState::Open && !i.required()
        }),
        section("skipped", "Skipped", "", &|i| i.state == ItemState::Skipped),
        section("done", "Done", "Nothing ticked yet.", &|i| {
            i.state == ItemState::Done
        }),
        section("not-applicable", "Not applicable", "", &|i| {
            i.state == ItemState::NotApplicable
        }),
    ]
    .into_iter()
    .filter(|s| !s.items.is_empty() || !s.none.is_empty())
    .collect()
}

/// A page as search sees it: url, title, and sections of (heading, parts).
pub(crate) type SearchPage = (String, String, Vec<(String, Vec<String>)>);

/// The search text of the runs index and of each run's page. A run is
/// found by its version.
pub(crate) fn search_pages(site: &Site) -> Vec<SearchPage> {
    if site.runs.is_empty() || !site.nav.generated.contains_key(RUNS_INDEX_URL) {
        return Vec::new();
    }
    let runs = newest_first(site.runs.values());
    let mut pages = vec![(
        RUNS_INDEX_URL.to_string(),
        RUNS_TITLE.to_string(),
        vec![(
            String::new(),
            runs.iter()
                .map(|r| {
                    format!(
                        "Release {} ({}, {})",
                        r.version,
                        r.release_type.as_str(),
                        r.date
                    )
                })
                .collect(),
        )],
    )];
    for run in runs {
        let version = run.version.to_string();
        let about = vec![
            format!("Release {version}"),
            format!("{} release, {}", run.release_type.as_str(), run.date),
            format!("started by {}", run.started_by),
        ];
        let items = run
            .items
            .iter()
            .map(|i| {
                let mut line = format!(
                    "{}: {}",
                    i.state.as_str(),
                    crate::links::plain_text(&i.text)
                );
                if let Some(by) = &i.by {
                    line.push_str(&format!(" ({by})"));
                }
                line
            })
            .collect();
        pages.push((
            run_url(&version),
            run_title(run),
            vec![(String::new(), about), ("Items".to_string(), items)],
        ));
    }
    pages
}

/// A run page's title and sidebar entry.
pub fn run_title(run: &Run) -> String {
    format!("Release {}", run.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_encoded_and_runs_newest_first() {
        assert_eq!(run_url("2.4.0"), "runs/2.4.0/index.html");
        assert_eq!(run_url("2.4.0+b.1"), "runs/2.4.0%2Bb.1/index.html");
        let text = |v: &str| {
            format!("version: {v}\ntype: minor\ndate: 2026-12-06\nstarted_by: D\nstarted_at: 2026-12-06T09:00:00Z\nitems: []\n")
        };
        let runs: Vec<Run> = ["2.4.0", "10.0.0", "2.4.0-rc.1", "2.10.0"]
            .iter()
            .map(|v| crate::runs::parse("r", &text(v)).unwrap())
            .collect();
        let order: Vec<String> = newest_first(&runs)
            .iter()
            .map(|r| r.version.to_string())
            .collect();
        assert_eq!(order, ["10.0.0", "2.10.0", "2.4.0", "2.4.0-rc.1"]);
    }
}
