//! `playbook checklist` and `playbook release-notes`, on the shipped
//! OctoAcme content and on a fixture.

use crate::common;

use common::{copy_tree, Project};

/// A project holding a copy of the shipped content.
fn shipped() -> Project {
    let project = Project::empty();
    copy_tree(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &project.path("content"),
    );
    project
}

#[test]
fn a_role_by_any_spelling_and_case_gets_the_same_checklist() {
    let project = shipped();
    let by_id = project.test(&["checklist", "--role", "qa"]).run();
    for spelling in ["QA Specialist", "qa/test engineer", "QA/TESTING SPECIALIST"] {
        let run = project.test(&["checklist", "--role", spelling]).run();
        assert_eq!(run.stdout, by_id.stdout, "{spelling}");
    }
    assert!(
        by_id.stdout.starts_with("## QA/Test Engineer checklist\n"),
        "{}",
        by_id.stdout
    );
    assert!(
        by_id
            .stdout
            .contains("- [ ] Manual validation in staging by QA — QA/Test Engineer\n"),
        "{}",
        by_id.stdout
    );
}

#[test]
fn release_types_filter_items() {
    let project = Project::fixture("checklists");
    let all = project.test(&["checklist", "--role", "all"]).run().stdout;
    let patch = project
        .test(&["checklist", "--role", "all", "--type", "patch"])
        .run()
        .stdout;
    let major = project
        .test(&[
            "checklist",
            "--role",
            "all",
            "--type",
            "major",
            "--release",
            "3.0.0",
        ])
        .run()
        .stdout;
    assert!(all.contains("Performance testing passed"));
    assert!(
        !patch.contains("Performance testing passed"),
        "major-only items leave patch lists"
    );
    assert!(major.contains("Performance testing passed"));
    assert!(
        major.starts_with("## Release checklist — release 3.0.0 (major)\n"),
        "{major}"
    );
    insta::assert_snapshot!("checklist_all_markdown", all);
}

#[test]
fn markdown_output_is_a_github_task_list() {
    let project = Project::fixture("checklists");
    let run = project.test(&["checklist", "--role", "SRE"]).run();
    let items: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("- ")).collect();
    assert!(!items.is_empty());
    assert!(items.iter().all(|l| l.starts_with("- [ ] ")), "{items:?}");
    assert!(
        run.stdout.contains("### Before (T-24 to T-1 hours)\n"),
        "timing on the phase: {}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("- [ ] Backup or snapshot created — SRE/DevOps (optional)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn html_output_is_a_standalone_printable_page() {
    let project = Project::fixture("checklists");
    let run = project
        .test(&[
            "checklist",
            "--role",
            "sre",
            "--format",
            "html",
            "--release",
            "1.2.0",
            "--type",
            "minor",
        ])
        .run();
    let html = scraper::Html::parse_document(&run.stdout);
    let select = |s: &str| scraper::Selector::parse(s).unwrap();
    assert!(html.select(&select("li.checklist-item")).count() >= 2);
    assert_eq!(
        html.select(&select("link[rel=stylesheet]")).count(),
        0,
        "styles are inlined, so the file stands alone"
    );
    assert!(html.select(&select("style")).count() >= 1);
    assert!(
        run.stdout.contains("1.2.0"),
        "the release version is filled in"
    );
    assert_eq!(
        html.select(&select("nav.sidebar, #search-input")).count(),
        0,
        "no site chrome"
    );
}

#[test]
fn an_unknown_role_lists_the_valid_ones() {
    let project = Project::fixture("checklists");
    let run = project
        .test(&["checklist", "--role", "Chief Vibes Officer"])
        .status(2)
        .run();
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn release_notes_follow_the_release_type() {
    let project = shipped();
    let patch = project
        .test(&[
            "release-notes",
            "2.4.1",
            "--type",
            "patch",
            "--date",
            "2026-12-01",
        ])
        .run();
    assert!(
        patch.stdout.starts_with("# Release 2.4.1 — 2026-12-01\n"),
        "{}",
        patch.stdout
    );
    assert!(patch.stdout.contains("\n## Known Issues\n"));
    assert!(patch.stdout.contains("\n## Support readiness checklist\n"));
    assert!(
        !patch.stdout.contains("\n## Breaking Changes\n"),
        "breaking changes are for major releases"
    );
    let major = project
        .test(&[
            "release-notes",
            "3.0.0",
            "--type",
            "major",
            "--date",
            "2026-12-01",
        ])
        .run();
    assert!(major.stdout.contains("\n## Breaking Changes\n"));
    insta::assert_snapshot!(
        "release_notes_minor",
        project
            .test(&["release-notes", "2.5.0", "--date", "2026-12-01"])
            .run()
            .stdout
    );
}

#[test]
fn release_notes_default_to_today() {
    let run = shipped().test(&["release-notes", "1.0.0"]).run();
    let first = run.stdout.lines().next().unwrap_or_default().to_string();
    let date = first.rsplit(' ').next().unwrap_or_default();
    assert_eq!(date.len(), 10, "{first}");
    assert_eq!(date.as_bytes()[4], b'-');
}

#[test]
fn release_notes_refuse_bad_versions_and_dates() {
    let project = shipped();
    let run = project.test(&["release-notes", "v2.0"]).status(2).run();
    assert_eq!(run.stderr, "error: \"v2.0\" is not a semantic version\nhelp: write MAJOR.MINOR.PATCH, such as 2.4.0 or 3.0.0-rc.1 (no leading `v`)\n");
    let run = project
        .test(&["release-notes", "2.0.0", "--date", "31/12/2026"])
        .status(2)
        .run();
    assert!(run.stderr.contains("is not a date"), "{}", run.stderr);
}

#[test]
fn release_notes_never_overwrite_without_force() {
    let project = shipped().file("notes.md", "keep me");
    let run = project
        .test(&["release-notes", "2.0.0", "--out", "notes.md"])
        .status(2)
        .run();
    assert!(
        run.stderr.contains("notes.md already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(project.read("notes.md"), "keep me");
    project
        .test(&["release-notes", "2.0.0", "--out", "notes.md", "--force"])
        .run();
    assert!(project.read("notes.md").starts_with("# Release 2.0.0"));
    project
        .test(&["release-notes", "2.0.1", "--out", "new.md"])
        .run();
    assert!(project.read("new.md").starts_with("# Release 2.0.1"));
}

#[test]
fn the_site_has_role_print_and_release_notes_pages() {
    let project = shipped();
    project.build();
    for page in [
        "roles/index.html",
        "roles/qa.html",
        "print/qa.html",
        "print/all.html",
        "release-notes.html",
    ] {
        assert!(project.path(&format!("site/{page}")).exists(), "{page}");
    }
    let guide = project.page("site/octoacme-release-and-deployment-guide.html");
    let owner_links = guide.attrs("a.owner[data-role=qa]", "href");
    assert!(
        !owner_links.is_empty() && owner_links.iter().all(|h| h == "roles/qa.html"),
        "{owner_links:?}"
    );
}
