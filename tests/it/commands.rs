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
            .contains("- [ ] Manual validation in staging by QA <!-- id: deployment-checklist/manual-validation-staging-qa -->\n"),
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
        run.stdout.contains(
            "- [ ] Backup or snapshot created (optional) <!-- id: deploy/backup-or-snapshot -->\n"
        ),
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

/// Pages in navigation order that embed, in reverse timeline order, groups
/// whose phase is said (`phase:`), named by their title, or only by their
/// checklist's title; owned by `rm` (some shared with `qa`).
fn timeline_project() -> Project {
    Project::empty()
        .file(
            "content/roles.yaml",
            "roles:\n- id: rm\n  name: Release Manager\n- id: qa\n  name: QA\n  summary: Tests things.\n",
        )
        .file(
            "content/a-incident.md",
            "---\nweight: 1\n---\n# Incident\n\n[Incident](checklists/incident.yaml)\n",
        )
        .file(
            "content/b-after.md",
            "---\nweight: 2\n---\n# After\n\n[After](checklists/after.yaml)\n",
        )
        .file(
            "content/c-before.md",
            "---\nweight: 3\n---\n# Before\n\n[Before](checklists/before.yaml)\n",
        )
        .file(
            "content/checklists/incident.yaml",
            "id: incident\ntitle: Incident Response\ngroups:\n- id: first\n  title: First minutes\n  items:\n  - id: page-on-call\n    text: Page the on-call engineer\n    owners: [rm]\n",
        )
        .file(
            "content/checklists/after.yaml",
            "id: after\ntitle: Post-Release Phase\ngroups:\n- id: comms\n  title: Communication\n  items:\n  - id: announce\n    text: Announce the release\n    owners: [rm, qa]\n- id: odd\n  title: Odds and ends\n  phase: planning\n  items:\n  - id: book-room\n    text: Book the meeting room\n    owners: [rm]\n",
        )
        .file(
            "content/checklists/before.yaml",
            "id: before\ntitle: Getting ready\ngroups:\n- id: deploy\n  title: Deployment Execution\n  items:\n  - id: ship\n    text: Ship it\n    owners: [rm]\n- id: pre\n  title: Pre-Deployment\n  items:\n  - id: backup\n    text: Take a backup\n    owners: [rm]\n",
        )
}

#[test]
fn a_role_checklist_follows_the_release_timeline_on_the_site_in_print_and_in_the_cli() {
    let project = timeline_project();
    // Planning (said), pre-deployment and deployment (titles), post-deployment
    // (the checklist's title), incident (title): not page order.
    let expected = [
        "Odds and ends",
        "Pre-Deployment",
        "Deployment Execution",
        "Communication",
        "First minutes",
    ];
    let run = project.test(&["checklist", "--role", "rm"]).run();
    let headings: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .collect();
    assert_eq!(headings, expected, "{}", run.stdout);

    project.build();
    let role = project.page("site/roles/rm.html");
    assert_eq!(role.texts(".checklist-phase-title"), expected);
    assert_eq!(
        role.attrs(".checklist-stage", "data-stage"),
        [
            "planning",
            "pre-deployment",
            "deployment",
            "post-deployment",
            "incident"
        ]
    );
    let print = project.page("site/print/rm.html");
    assert_eq!(print.texts(".print-phase-title"), expected);
    assert_eq!(
        print.count(".print-stage > .print-signoff"),
        5,
        "one sign-off per release phase"
    );
}

#[test]
fn a_role_page_names_each_source_once_and_owners_only_when_shared() {
    let project = timeline_project();
    project.build();
    let role = project.page("site/roles/rm.html");
    assert_eq!(role.count(".checklist-source"), 0, "no source on items");
    assert_eq!(role.count(".checklist-phase-source"), 5);
    // Only "Announce the release" is shared (with QA): only it names owners.
    assert_eq!(role.texts(".checklist-owners"), ["Release Manager , QA"]);
    assert_eq!(
        role.attrs("li[data-item='after/book-room']", "data-owners"),
        ["Release Manager"],
        "the export still knows every owner"
    );
    // The whole release sheet names every owner.
    let all = project.page("site/print/all.html");
    assert_eq!(all.count(".checklist-owners"), 5);
}

#[test]
fn role_cards_without_responsibilities_show_what_the_role_owns() {
    let project = timeline_project();
    project.build();
    let qa = project.page("site/roles/qa.html");
    assert_eq!(qa.texts(".role-stages li"), ["Post-deployment : 1 item"]);
    let rm = project.page("site/roles/rm.html");
    assert_eq!(rm.count(".role-stages li"), 5);
    let index = project.page("site/roles/index.html");
    let counts = index.texts(".role-stage-counts");
    assert_eq!(counts.len(), 2, "{counts:?}");
    assert!(
        counts[0].starts_with("Planning 1 · Pre-deployment 1"),
        "{counts:?}"
    );
    // A role with no summary: its first items stand in.
    let desc = index.texts("[data-role=rm] .card-desc");
    assert_eq!(
        desc,
        ["Owns: Book the meeting room; Take a backup; Ship it …"],
        "{desc:?}"
    );
}

#[test]
fn checklist_and_group_types_apply_to_items_that_name_none() {
    let project = Project::empty()
        .file("content/roles.yaml", "roles:\n- id: rm\n  name: RM\n")
        .file("content/p.md", "# P\n\n[H](checklists/h.yaml)\n")
        .file(
            "content/checklists/h.yaml",
            "id: h\ntitle: Hotfix Process\ntypes: [patch]\ngroups:\n- id: a\n  title: A\n  items:\n  - id: branch\n    text: Create hotfix branch\n    owners: [rm]\n  - id: both\n    text: Item of its own\n    owners: [rm]\n    types: [patch, minor]\n- id: b\n  title: B\n  types: [major]\n  items:\n  - id: perf\n    text: Performance testing\n    owners: [rm]\n",
        );
    let list = |t: &str| {
        project
            .test(&["checklist", "--role", "all", "--type", t])
            .run()
            .stdout
    };
    let (patch, minor, major) = (list("patch"), list("minor"), list("major"));
    assert!(patch.contains("Create hotfix branch") && patch.contains("Item of its own"));
    assert!(!patch.contains("Performance testing"), "{patch}");
    assert!(!minor.contains("Create hotfix branch"), "{minor}");
    assert!(minor.contains("Item of its own"), "{minor}");
    assert!(
        major.contains("Performance testing") && !major.contains("hotfix"),
        "{major}"
    );
}

#[test]
fn an_unknown_phase_is_an_error_naming_the_file() {
    let project = Project::empty().file(
        "content/checklists/h.yaml",
        "id: h\ntitle: H\ngroups:\n- id: a\n  title: A\n  phase: launch-day\n  items:\n  - id: x\n    text: X\n",
    );
    let run = project.test(&["check"]).status(1).run();
    assert!(
        run.stderr.contains("checklists/h.yaml:6:10")
            && run
                .stderr
                .contains("expected one of `planning`, `pre-release`"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_shipped_release_manager_checklist_is_in_timeline_order() {
    let project = shipped();
    let run = project
        .test(&["checklist", "--role", "release-manager"])
        .run();
    let headings: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .collect();
    assert_eq!(headings.first(), Some(&"Release Planning"), "{headings:?}");
    let at = |h: &str| {
        headings
            .iter()
            .position(|x| x.starts_with(h))
            .unwrap_or_else(|| panic!("no {h} in {headings:?}"))
    };
    assert!(at("Stakeholder Alignment") > at("Release Planning"));
    assert!(at("Pre-Deployment") < at("Deployment Execution"));
    assert!(at("Deployment Execution") < at("Post-Deployment Verification"));
    assert!(at("Post-Deployment Verification") < at("Rollback Checklist"));
    assert!(at("Rollback Checklist") < at("First 15 minutes"));
}

#[test]
fn the_shipped_release_types_give_different_lists() {
    let project = shipped();
    let items = |role: &str, t: &str| -> Vec<String> {
        let run = project
            .test(&["checklist", "--role", role, "--type", t])
            .run();
        run.stdout
            .lines()
            .filter(|l| l.starts_with("- [ ] "))
            .map(str::to_string)
            .collect()
    };
    let patch = items("all", "patch");
    let leaked: Vec<&String> = patch
        .iter()
        .filter(|l| {
            l.contains("minor and major only")
                || l.contains("(major only")
                || l.contains(", major only")
        })
        .collect();
    assert!(
        leaked.is_empty(),
        "minor/major-only items in a patch list: {leaked:?}"
    );
    let minor = items("all", "minor");
    assert!(
        !minor.iter().any(|l| l.contains("Create hotfix branch")),
        "the hotfix process is for patch releases"
    );
    assert!(patch.iter().any(|l| l.contains("Create hotfix branch")));
    assert!(items("all", "major")
        .iter()
        .any(|l| l.contains("Performance testing passed")));
    assert!(!minor
        .iter()
        .any(|l| l.contains("Performance testing passed")));
    for role in ["release-manager", "product-manager", "account-executive"] {
        let (p, m, j) = (
            items(role, "patch").len(),
            items(role, "minor").len(),
            items(role, "major").len(),
        );
        assert!(p < m && m <= j, "{role}: patch {p}, minor {m}, major {j}");
    }
}

#[test]
fn shipped_pages_show_no_text_meant_for_authors() {
    let project = shipped();
    project.build();
    for (path, bytes) in project.tree("site") {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for author_text in [
            "edit it once",
            "<code>checklists/</code>",
            "<code>release-notes.yaml</code>",
            "<code>roles.yaml</code>",
        ] {
            assert!(!html.contains(author_text), "{path} shows {author_text:?}");
        }
    }
}

#[test]
fn an_item_written_over_several_lines_is_one_task_line_with_its_id() {
    // A `|` block kept its line breaks: the id fell onto a line of its own,
    // and a line of the text read as a ticked task to `run import`.
    let project = Project::empty()
        .file("content/roles.yaml", "roles:\n- id: qa\n  name: QA\n")
        .file("content/index.md", "# Home\n\n[C](checklists/c.yaml)\n")
        .file(
            "content/checklists/c.yaml",
            "id: c\ntitle: C\ngroups:\n- id: g\n  title: |\n    Two-line\n    group\n  items:\n  - id: one\n    text: |\n      First line\n      - [x] looks ticked\n    owners: [qa]\n  - id: two\n    text: Second\n    owners: [qa]\n",
        );
    let out = project.test(&["checklist", "--role", "qa"]).run().stdout;
    let tasks: Vec<&str> = out.lines().filter(|l| l.contains("- [")).collect();
    assert_eq!(
        tasks,
        [
            "- [ ] First line - [x] looks ticked <!-- id: c/one -->",
            "- [ ] Second <!-- id: c/two -->"
        ],
        "{out}"
    );
    assert!(out.contains("\n### Two-line group\n"), "{out}");
}
