//! The command line itself: help, version and usage errors.

use crate::common;

use common::Project;

#[test]
fn help_lists_the_commands() {
    let run = Project::empty().test(&["--help"]).run();
    assert!(run.stdout.contains("build"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("Build the site from the content folder"),
        "{}",
        run.stdout
    );
}

#[test]
fn build_help_documents_every_option() {
    let run = Project::empty().test(&["build", "--help"]).run();
    for option in [
        "--root <DIR>",
        "--content <DIR>",
        "--out <DIR>",
        "--drafts",
        "--timings",
    ] {
        assert!(
            run.stdout.contains(option),
            "{option} missing from:\n{}",
            run.stdout
        );
    }
    let flowing = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flowing.contains("a failed build leaves the previous site untouched"),
        "{}",
        run.stdout
    );
}

#[test]
fn version_is_the_crate_version() {
    Project::empty()
        .test(&["--version"])
        .stdout(&format!("playbook {}\n", env!("CARGO_PKG_VERSION")))
        .run();
}

#[test]
fn no_command_is_a_usage_error() {
    let run = Project::empty().test(&[]).status(2).run();
    assert!(
        run.stderr.contains("Usage: playbook [OPTIONS] <COMMAND>"),
        "{}",
        run.stderr
    );
}

#[test]
fn timings_name_every_stage() {
    let project = Project::empty().file("content/a.md", "# A\n");
    let run = project.test(&["build", "--timings"]).run();
    let stages: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .map(|l| l.rsplitn(3, ' ').nth(2).unwrap_or("").trim())
        .collect();
    assert_eq!(
        stages,
        [
            "load and parse",
            "render and write",
            "check",
            "other pages",
            "search index",
            "theme and assets",
            "swap in"
        ],
        "{}",
        run.stderr
    );
}
