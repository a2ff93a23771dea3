//! Two people tick one release run in two clones, and git merges their
//! commits: neighbouring ticks must both land, not stop the merge. With
//! `playbook run merge --install`, git merges run files item by item; a
//! file git already left with conflict markers is named by every command
//! and merged by `playbook run merge FILE`.

use std::path::Path;
use std::process::Command;

use crate::common::Project;

const RUN: &str = "content/runs/2.4.0.yaml";
const CHECKLIST: &str = "id: release\ntitle: Release\ngroups:\n- id: steps\n  title: Steps\n  items:\n  - {id: version, text: Version confirmed}\n  - {id: scope, text: Scope documented}\n  - {id: notes, text: Release notes drafted}\n";

fn project() -> Project {
    Project::empty()
        .file(
            "content/index.md",
            "# Home\n\n[Release](checklists/release.yaml)\n",
        )
        .file("content/checklists/release.yaml", CHECKLIST)
}

/// `playbook run ARGS` at time `now`.
fn run(project: &Project, now: &str, args: &[&str]) -> crate::common::Run {
    project
        .test(&["run"])
        .args(args)
        .env("PLAYBOOK_NOW", now)
        .run()
}

fn state_of(text: &str, item: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.contains(&format!("id: release/{item},")))
        .unwrap_or_else(|| panic!("no {item} in {text}"));
    line.split("state: ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_run_file_with_conflict_markers_is_named_and_merged_item_by_item() {
    let project = project();
    run(
        &project,
        "2026-12-06T09:00:00Z",
        &["start", "2.4.0", "--by", "Dana"],
    );
    let started = project.read(RUN);
    let line = |item: &str, change: &str| {
        started
            .lines()
            .find(|l| l.contains(&format!("id: release/{item},")))
            .expect("the item")
            .replace("state: open", change)
    };
    let ours = format!(
        "{}\n{}",
        line(
            "version",
            "state: done, by: Alice, at: 2026-12-06T10:00:00Z"
        ),
        line("scope", "state: open")
    );
    let theirs = format!(
        "{}\n{}",
        line("version", "state: open"),
        line("scope", "state: done, by: Bob, at: 2026-12-06T10:05:00Z")
    );
    // What git leaves after two neighbouring ticks, in its diff3 style.
    let base = format!(
        "{}\n{}",
        line("version", "state: open"),
        line("scope", "state: open")
    );
    let conflicted = started.replace(
        &base,
        &format!("<<<<<<< HEAD\n{ours}\n||||||| base\n{base}\n=======\n{theirs}\n>>>>>>> alice"),
    );
    assert_ne!(conflicted, started);
    let project = project.file(RUN, &conflicted);
    let status = project.test(&["run", "status", "2.4.0"]).status(1).run();
    assert!(
        status
            .stderr
            .contains("this run file holds a git merge conflict")
            && status.stderr.contains("content/runs/2.4.0.yaml:9:1")
            && status
                .stderr
                .contains("playbook run merge content/runs/2.4.0.yaml"),
        "{}",
        status.stderr
    );
    let merged = project.test(&["run", "merge", RUN]).run();
    assert!(
        merged.stderr.contains("1 item(s) from the other side"),
        "{}",
        merged.stderr
    );
    let text = project.read(RUN);
    assert_eq!(state_of(&text, "version"), "done");
    assert_eq!(state_of(&text, "scope"), "done");
    assert_eq!(state_of(&text, "notes"), "open");
    assert!(!text.contains("<<<<<<<"), "{text}");
    // The file is as `playbook run` writes it: the next tick changes one line.
    run(
        &project,
        "2026-12-06T11:00:00Z",
        &["tick", "2.4.0", "notes", "--by", "Kim"],
    );
    // Nothing to do the second time.
    let again = project.test(&["run", "merge", RUN]).run();
    assert!(
        again.stdout.contains("has no merge conflict"),
        "{}",
        again.stdout
    );
    // A conflict left open is named at its line, and the file left alone.
    let open = format!("{text}<<<<<<< HEAD\n");
    let project = project.file(RUN, &open);
    let refused = project.test(&["run", "merge", RUN]).status(2).run();
    assert!(
        refused.stderr.contains(&format!(
            "{RUN}:{}:1: these conflict markers are not git's one-level form",
            open.lines().count()
        )),
        "{}",
        refused.stderr
    );
    assert_eq!(project.read(RUN), open);
}

#[test]
fn an_item_both_changed_without_times_stays_marked_on_its_one_line() {
    let project = project();
    run(
        &project,
        "2026-12-06T09:00:00Z",
        &["start", "2.4.0", "--by", "Dana"],
    );
    run(
        &project,
        "2026-12-06T10:00:00Z",
        &["tick", "2.4.0", "version", "--by", "Alice"],
    );
    let ticked = project.read(RUN);
    let line = ticked
        .lines()
        .find(|l| l.contains("id: release/version,"))
        .expect("the item")
        .to_string();
    // Ours reopened it (a reopen keeps no time); theirs added a note.
    let reopened = line.replace(
        "state: done, by: Alice, at: 2026-12-06T10:00:00Z",
        "state: open",
    );
    let noted = line.replace(", text:", ", note: CI 9, text:");
    let conflicted = ticked.replace(
        &line,
        &format!("<<<<<<< HEAD\n{reopened}\n||||||| base\n{line}\n=======\n{noted}\n>>>>>>> kim"),
    );
    let project = project.file(RUN, &conflicted);
    let merged = project.test(&["run", "merge", RUN]).status(1).run();
    assert!(
        merged.stderr.contains("1 left to decide")
            && merged
                .stderr
                .contains("release/version: open here, done there"),
        "{}",
        merged.stderr
    );
    let text = project.read(RUN);
    assert_eq!(text.matches("<<<<<<<").count(), 1, "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("- {")).count(),
        4,
        "{text}"
    );
}

/// Whether `git` runs (see [`crate::common::program_or_skip`]).
fn git_or_skip() -> bool {
    crate::common::program_or_skip("git", "the run merge-driver test")
}

/// `git ARGS` in `dir`, no user or system configuration, playbook on PATH
/// (git runs the merge driver by name).
fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_playbook"))
        .parent()
        .expect("the binary's folder")
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("a PATH");
    let output = Command::new("git")
        .args(["-c", "user.name=Ada", "-c", "user.email=ada@example.org"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .env("PATH", path)
        .env("PLAYBOOK_NOW", "2026-12-06T12:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn with_the_driver_installed_git_merges_neighbouring_ticks_cleanly() {
    if !git_or_skip() {
        return;
    }
    let project = project();
    let dir = project.root();
    git(dir, &["init", "-q", "-b", "main"]);
    let install = project.test(&["run", "merge", "--install"]).run();
    assert!(
        install
            .stdout
            .contains("content/runs/*.yaml merge=playbook-run"),
        "{}",
        install.stdout
    );
    assert_eq!(
        project.read(".gitattributes"),
        "content/runs/*.yaml merge=playbook-run\n"
    );
    // Twice is once.
    project.test(&["run", "merge", "--install"]).run();
    assert_eq!(
        project.read(".gitattributes"),
        "content/runs/*.yaml merge=playbook-run\n"
    );
    run(
        &project,
        "2026-12-06T09:00:00Z",
        &["start", "2.4.0", "--by", "Dana"],
    );
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "start 2.4.0"]);
    git(dir, &["checkout", "-qb", "alice"]);
    run(
        &project,
        "2026-12-06T10:00:00Z",
        &["tick", "2.4.0", "version", "--by", "Alice"],
    );
    git(dir, &["commit", "-qam", "version confirmed"]);
    git(dir, &["checkout", "-q", "main"]);
    run(
        &project,
        "2026-12-06T10:05:00Z",
        &["tick", "2.4.0", "scope", "--by", "Bob"],
    );
    git(dir, &["commit", "-qam", "scope documented"]);
    // Without the driver this merge stops: the two ticks are neighbouring lines.
    let merge = git(dir, &["merge", "-q", "alice", "-m", "merge alice"]);
    let said = String::from_utf8_lossy(&merge.stderr);
    assert!(
        said.contains("merged content/runs/2.4.0.yaml: 1 item(s) from the other side"),
        "{said}"
    );
    let text = project.read(RUN);
    assert_eq!(state_of(&text, "version"), "done");
    assert_eq!(state_of(&text, "scope"), "done");
    assert!(!text.contains("<<<<<<<"), "{text}");
    let status = String::from_utf8_lossy(&git(dir, &["status", "--porcelain"]).stdout).to_string();
    assert_eq!(status, "", "a clean merge commit");
}
