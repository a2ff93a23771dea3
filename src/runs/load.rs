//! Run files as part of a content tree: every YAML file in the runs folder
//! (`runs/` unless `runs_dir` says otherwise) is a run, read and checked
//! when the site loads, and kept out of the plain data files templates see.

use std::collections::BTreeMap;

use super::model::Run;
use super::parse::{parse, CODE};
use crate::diagnostic::{Diagnostic, Sources};
use crate::yaml_spans::Spans;

/// Whether the content-relative `path` is a run file of the runs folder
/// `runs_rel` (itself content-relative).
pub fn is_run_path(path: &str, runs_rel: &str) -> bool {
    path.strip_prefix(runs_rel)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|name| !name.is_empty())
        && (path.ends_with(".yaml") || path.ends_with(".yml"))
}

/// Every run file among `files` (content-relative path → text), read; the
/// problems of the others go to `diagnostics`.
pub(crate) fn read(
    files: &BTreeMap<String, String>,
    runs_rel: &str,
    prefix: &str,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) -> BTreeMap<String, Run> {
    use rayon::prelude::*;
    let run_files: Vec<(&String, &String)> = files
        .iter()
        .filter(|(p, _)| is_run_path(p, runs_rel))
        .collect();
    // A run file holds every item of a release: a few can take a while to parse.
    let parsed: Vec<_> = run_files
        .par_iter()
        .map(|&(path, text)| {
            let shown = format!("{prefix}{path}");
            let run =
                parse(&shown, text).and_then(|run| match misnamed(&shown, path, text, &run) {
                    None => Ok(run),
                    Some(problem) => Err(vec![problem]),
                });
            (path, text, shown, run)
        })
        .collect();
    let mut runs = BTreeMap::new();
    for (path, text, shown, run) in parsed {
        match run {
            Ok(run) => {
                runs.insert(path.clone(), run);
            }
            Err(problems) => {
                diagnostics.extend(problems);
                sources.insert(shown, text.clone());
            }
        }
    }
    runs
}

/// A run file must be named for its version: `2.4.0.yaml` holds 2.4.0.
fn misnamed(shown: &str, path: &str, text: &str, run: &Run) -> Option<Diagnostic> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let version = run.version.to_string();
    (stem != version).then(|| {
        let span = Spans::of(text).value("version").unwrap_or(0..0);
        Diagnostic::error(
            CODE,
            shown,
            text,
            span,
            format!("the run file {name} holds the run of version {version}"),
        )
        .with_hint(format!(
            "a run file is named for its version: rename it {version}.yaml, or correct the version"
        ))
    })
}

/// The code of the warnings about a run and the playbook drifting apart.
pub const DRIFT: &str = "run-drift";

/// How many new item ids a drift warning names.
const SHOWN_NEW: usize = 10;

/// Warnings for every open run (one with an open item) of `site` that has
/// drifted from the playbook: open items whose ids the playbook no longer
/// has, and items the playbook now has that the run lacks, each with the
/// command that brings the run up to date. Finished runs are history and
/// are left alone.
pub fn drift_warnings(site: &crate::model::Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (path, run) in &site.runs {
        if run.items.iter().all(|i| i.is_closed()) {
            continue;
        }
        let Some(text) = site.data_texts.get(path) else {
            continue;
        };
        let shown = format!("{}{path}", site.display_prefix);
        let drift = super::items::drift(run, site);
        let sync = format!("playbook run sync {}", run.version);
        let spans = Spans::of(text);
        for id in &drift.removed {
            let index = run.items.iter().position(|i| &i.id == id).unwrap_or(0);
            let span = spans.value(&format!("items/{index}/id")).unwrap_or(0..0);
            out.push(warning(
                Diagnostic::error(DRIFT, &shown, text, span, format!("the run's open item `{id}` is no longer in the playbook"))
                    .with_hint(format!("`{sync}` removes it (items already done stay, as the record); or give the checklist item its id back")),
            ));
        }
        if !drift.added.is_empty() {
            let span = spans
                .top_keys()
                .iter()
                .find(|(k, _)| k == "items")
                .map_or(0..0, |(_, s)| s.clone());
            let mut ids: Vec<&str> = drift
                .added
                .iter()
                .take(SHOWN_NEW)
                .map(|i| i.id.as_str())
                .collect();
            if drift.added.len() > SHOWN_NEW {
                ids.push("...");
            }
            out.push(warning(
                Diagnostic::error(
                    DRIFT,
                    &shown,
                    text,
                    span,
                    format!(
                        "the playbook has {} item(s) for a {} release that this run lacks: {}",
                        drift.added.len(),
                        run.release_type.as_str(),
                        ids.join(", ")
                    ),
                )
                .with_hint(format!("`{sync}` adds them, open")),
            ));
        }
    }
    out
}

fn warning(mut d: Diagnostic) -> Diagnostic {
    d.severity = crate::diagnostic::Severity::Warning;
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_paths_are_the_yaml_files_of_the_runs_folder() {
        assert!(is_run_path("runs/2.4.0.yaml", "runs"));
        assert!(is_run_path("runs/2.4.0.yml", "runs"));
        assert!(is_run_path("ops/runs/1.0.0.yaml", "ops/runs"));
        assert!(!is_run_path("runs.yaml", "runs"));
        assert!(!is_run_path("runsx/1.0.0.yaml", "runs"));
        assert!(!is_run_path("runs/notes.md", "runs"));
        assert!(!is_run_path("checklists/runs.yaml", "runs"));
    }

    #[test]
    fn a_misnamed_or_broken_run_file_is_a_problem() {
        let run = "version: 2.4.0\ntype: major\ndate: 2026-12-06\nstarted_by: D\nstarted_at: 2026-12-06T09:00:00Z\nitems: []\n";
        let files: BTreeMap<String, String> = [
            ("runs/2.4.0.yaml".to_string(), run.to_string()),
            ("runs/2.5.0.yaml".to_string(), run.to_string()),
            ("runs/3.0.0.yaml".to_string(), "version: [".to_string()),
            ("data.yaml".to_string(), "x: 1".to_string()),
        ]
        .into();
        let (mut diagnostics, mut sources) = (Vec::new(), Sources::new());
        let runs = read(&files, "runs", "content/", &mut diagnostics, &mut sources);
        assert_eq!(runs.keys().collect::<Vec<_>>(), ["runs/2.4.0.yaml"]);
        let found: Vec<(&str, usize, usize)> = diagnostics
            .iter()
            .map(|d| (d.path.as_str(), d.line, d.col))
            .collect();
        assert_eq!(
            found,
            [
                ("content/runs/2.5.0.yaml", 1, 10),
                ("content/runs/3.0.0.yaml", 1, 11)
            ]
        );
        assert!(diagnostics[0]
            .message
            .contains("holds the run of version 2.4.0"));
        assert_eq!(sources.len(), 2);
    }
}
