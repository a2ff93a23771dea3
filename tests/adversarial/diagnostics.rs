//! Diagnostics that hid problems (issue 12, points 9 to 12): every broken
//! link reported where it is, typos in keys named, unreadable settings
//! refused, and small messages that misled.

use crate::common::Project;

/// The `path:line:col: message` lines of a run's stderr (`error:` / `warning:`
/// lines with their location arrow folded in), in order.
fn located(stderr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut message = None;
    for line in stderr.lines() {
        if let Some(rest) = line
            .strip_prefix("error")
            .or_else(|| line.strip_prefix("warning"))
        {
            message = rest.split_once(": ").map(|(_, m)| m.to_string());
        } else if let (Some(at), Some(m)) = (line.trim_start().strip_prefix("┌─ "), &message) {
            out.push(format!("{at}: {m}"));
            message = None;
        }
    }
    out
}

// ------------------------------------------------------------- 12. yaml-rust

#[test]
fn yaml_rust_is_not_a_dependency() {
    let lock = include_str!("../../Cargo.lock");
    assert!(
        !lock.contains("name = \"yaml-rust\""),
        "yaml-rust (RUSTSEC-2024-0320) is back in Cargo.lock"
    );
}

// ------------------------------------------- 9. every broken link, where it is

/// The `does not exist` errors of `playbook check`, as `path:line:col`.
fn missing_files(project: &Project) -> Vec<String> {
    let run = project.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    located(&run.stderr)
        .into_iter()
        .filter(|l| l.contains("does not exist"))
        .collect()
}

#[test]
fn identical_broken_links_in_a_checklist_are_each_reported_where_they_are() {
    let project = Project::empty()
        .file("content/index.md", "[Deploy](checklists/deploy.yaml)\n")
        .file(
            "content/checklists/deploy.yaml",
            "id: deploy\ntitle: Deploy\ngroups:\n  - id: before\n    title: Before\n    items:\n      - id: one\n        text: Read [the plan](plan.md)\n      - id: two\n        text: Read [the plan](plan.md)\n      - id: three\n        text: \"Both [a](plan.md) and [b](plan.md)\"\n      - id: four\n        text: >-\n          Folded, and then\n          [the plan](plan.md)\n",
        );
    let message = "file content/checklists/plan.md does not exist";
    assert_eq!(
        missing_files(&project),
        [
            format!("content/checklists/deploy.yaml:8:31: {message}"),
            format!("content/checklists/deploy.yaml:10:31: {message}"),
            format!("content/checklists/deploy.yaml:12:25: {message}"),
            format!("content/checklists/deploy.yaml:12:42: {message}"),
            format!("content/checklists/deploy.yaml:16:22: {message}"),
        ]
    );
}

#[test]
fn identical_broken_links_in_roles_and_release_notes_are_each_reported() {
    let project = Project::empty()
        .file("content/index.md", "# Home\n")
        .file(
            "content/roles.yaml",
            "roles:\n  - id: qa\n    name: QA\n    summary: See [the guide](guide.md)\n    responsibilities:\n      - Follow [the guide](guide.md)\n      - Follow [the guide](guide.md)\n  - id: sre\n    name: SRE\n    summary: See [the guide](guide.md)\n",
        )
        .file(
            "content/release-notes.yaml",
            "title: Release {version}\nsections:\n  - id: fixes\n    title: Fixes\n    prompt: As in [the guide](guide.md)\n  - id: features\n    title: Features\n    prompt: As in [the guide](guide.md)\n",
        );
    let message = "file content/guide.md does not exist";
    assert_eq!(
        missing_files(&project),
        [
            format!("content/release-notes.yaml:5:31: {message}"),
            format!("content/release-notes.yaml:8:31: {message}"),
            format!("content/roles.yaml:4:30: {message}"),
            format!("content/roles.yaml:6:28: {message}"),
            format!("content/roles.yaml:7:28: {message}"),
            format!("content/roles.yaml:10:30: {message}"),
        ]
    );
}

#[test]
fn identical_broken_links_on_a_page_are_each_reported() {
    let project = Project::empty().file(
        "content/index.md",
        "# Home\n\n[a](gone.md) and [a](gone.md)\n\n[a](gone.md)\n",
    );
    let message = "file content/gone.md does not exist";
    assert_eq!(
        missing_files(&project),
        [
            format!("content/index.md:3:1: {message}"),
            format!("content/index.md:3:18: {message}"),
            format!("content/index.md:5:1: {message}"),
        ]
    );
}
