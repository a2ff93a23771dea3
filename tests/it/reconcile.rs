//! `playbook reconcile` on the five OctoAcme guide copies (committed byte
//! for byte under tests/fixtures/variants) and on bad input.

use crate::common;

use std::collections::BTreeMap;

use common::{fixtures_dir, Project};
use playbook::checklist::{Checklist, ReleaseNoteSpec, ReleaseType, RolesFile};

const SEEDS: [&str; 5] = [
    "000_a804f8c1c801ecf0.txt",
    "001_e47323d773fedc98.txt",
    "002_82c8026eb0c5204f.txt",
    "003_9f7a477fd3868007.txt",
    "004_da4ebb1da3b72e6a.txt",
];

/// A project holding the seed copies under `variants/`.
fn seeds_project() -> Project {
    let mut project = Project::empty();
    for seed in SEEDS {
        let bytes = std::fs::read(fixtures_dir().join("variants").join(seed)).expect("seed");
        project = project.file(&format!("variants/{seed}"), bytes);
    }
    project
}

fn reconcile(project: &Project, seeds: &[&str], extra: &[&str]) -> common::Test {
    let mut args: Vec<String> = vec!["reconcile".into()];
    args.extend(seeds.iter().map(|s| format!("variants/{s}")));
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    project.test(&args)
}

fn checklists(project: &Project, dir: &str) -> BTreeMap<String, Checklist> {
    project
        .tree(&format!("{dir}/checklists"))
        .into_iter()
        .map(|(path, bytes)| {
            (
                path,
                serde_norway::from_slice(&bytes).expect("checklist YAML"),
            )
        })
        .collect()
}

#[test]
fn the_seeds_reconcile_without_loss() {
    let project = seeds_project();
    let run = reconcile(
        &project,
        &SEEDS,
        &["--out", "canon", "--report", "report.json"],
    )
    .run();
    let report: serde_json::Value = serde_json::from_str(&project.read("report.json")).unwrap();
    assert_eq!(
        report["lost"],
        serde_json::json!([]),
        "every input item is in the output"
    );
    // 329 list-marker lines in the copies, less the 22 inside the fenced release-note template.
    assert_eq!(report["items_in"], 307, "list items in the five copies");
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
    // Every heading of every copy is a heading of some output page.
    let mut output_headings = std::collections::BTreeSet::new();
    for (path, bytes) in project.tree("canon") {
        if path.ends_with(".md") {
            for line in String::from_utf8(bytes)
                .unwrap()
                .lines()
                .filter(|l| l.starts_with('#'))
            {
                output_headings.insert(line.trim_start_matches('#').trim().to_lowercase());
            }
        }
    }
    for seed in SEEDS {
        let (text, _) = playbook::reconcile::repair::repair_mojibake(
            &std::fs::read_to_string(fixtures_dir().join("variants").join(seed)).unwrap(),
        );
        let mut in_code = false;
        for line in text.lines() {
            in_code ^= line.starts_with("```");
            if !in_code && line.starts_with('#') {
                let heading = line.trim_start_matches('#').trim().to_lowercase();
                assert!(
                    output_headings.contains(&heading),
                    "{seed}: heading {heading:?} is in no output page"
                );
            }
        }
    }
    let files: Vec<String> = project.tree("canon").into_keys().collect();
    for expected in [
        "octoacme-release-and-deployment-guide.md",
        "octoacme-release-management-checklist.md",
        "roles.yaml",
        "release-notes.yaml",
    ] {
        assert!(
            files.contains(&expected.to_string()),
            "{expected} missing: {files:?}"
        );
    }
    for (path, bytes) in project.tree("canon") {
        let text = String::from_utf8(bytes).unwrap();
        for mojibake in ["â€", "‚Ä", "‚ú", "üî", "üê", "Ã"] {
            assert!(!text.contains(mojibake), "{path} still contains {mojibake}");
        }
    }
}

#[test]
fn spellings_of_one_role_become_one_role() {
    let project = seeds_project();
    reconcile(&project, &SEEDS, &["--out", "canon"]).run();
    let roles: RolesFile = serde_norway::from_str(&project.read("canon/roles.yaml")).unwrap();
    let find = |spelling: &str| {
        roles
            .roles
            .iter()
            .find(|r| r.name == spelling || r.aliases.iter().any(|a| a == spelling))
            .map(|r| r.id.clone())
            .unwrap_or_else(|| panic!("no role for {spelling}"))
    };
    assert_eq!(find("QA/Testing Specialist"), find("QA/Test Engineer"));
    assert_eq!(find("QA Specialist"), find("QA/Test Engineer"));
    assert_eq!(find("Release/Deployment Manager"), find("Release Manager"));
    assert_ne!(find("Product Manager"), find("Project Manager"));
    assert_ne!(find("SRE/DevOps"), find("Developers"));
    let qa = roles
        .roles
        .iter()
        .find(|r| r.id == find("QA Specialist"))
        .unwrap();
    assert!(
        qa.responsibilities
            .iter()
            .any(|r| r.contains("quality sign-off")),
        "{qa:?}"
    );
}

#[test]
fn items_that_say_the_same_thing_merge_with_owners_and_provenance() {
    let project = seeds_project();
    reconcile(&project, &SEEDS, &["--out", "canon"]).run();
    let all: Vec<_> = checklists(&project, "canon")
        .into_values()
        .flat_map(|c| c.groups.into_iter().flat_map(|g| g.items))
        .collect();
    let window: Vec<_> = all
        .iter()
        .filter(|i| {
            i.text
                .to_lowercase()
                .starts_with("deployment window scheduled")
        })
        .collect();
    assert_eq!(window.len(), 1, "one deployment-window item: {window:#?}");
    assert!(
        window[0].owners.iter().any(|o| o.contains("project")),
        "{:?}",
        window[0]
    );
    assert!(window[0].sources.len() >= 4, "{:?}", window[0].sources);
    let perf = all
        .iter()
        .find(|i| i.text.starts_with("Performance testing passed"))
        .expect("performance item");
    assert_eq!(perf.types, [playbook::checklist::ReleaseType::Major]);
    let backup = all
        .iter()
        .find(|i| i.text.starts_with("Backup or snapshot"))
        .expect("backup item");
    assert!(backup.optional);
}

#[test]
fn the_release_note_spec_is_the_union_of_every_template() {
    let project = seeds_project();
    reconcile(&project, &SEEDS, &["--out", "canon"]).run();
    let spec: ReleaseNoteSpec =
        serde_norway::from_str(&project.read("canon/release-notes.yaml")).unwrap();
    let ids: Vec<&str> = spec.sections.iter().map(|s| s.id.as_str()).collect();
    for expected in [
        "summary",
        "known-issues",
        "breaking-changes",
        "customer-impact",
        "support-readiness-checklist",
        "notable-changes",
    ] {
        assert!(
            ids.iter().any(|id| id.starts_with(expected)),
            "{expected} missing from {ids:?}"
        );
    }
    let breaking = spec
        .sections
        .iter()
        .find(|s| s.id.starts_with("breaking"))
        .unwrap();
    assert_eq!(breaking.types, [playbook::checklist::ReleaseType::Major]);
    assert!(spec.sections.iter().all(|s| !s.prompt.is_empty()));
}

#[test]
fn missing_link_targets_are_reported() {
    let project = seeds_project();
    reconcile(&project, &SEEDS, &["--out", "canon", "--report", "r.json"]).run();
    let report: serde_json::Value = serde_json::from_str(&project.read("r.json")).unwrap();
    let links: Vec<String> = report["missing_link_targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["link"].as_str().unwrap().to_string())
        .collect();
    for target in [
        "octoacme-templates-and-checklists.md#pre-release-checklist",
        "./octoacme-decision-log.md",
        "./octoacme-risks-and-communication.md#incident-escalation-checklist",
    ] {
        assert!(
            links.iter().any(|l| l == target),
            "{target} not in {links:?}"
        );
    }
}

#[test]
fn output_is_deterministic_and_idempotent() {
    let project = seeds_project();
    reconcile(&project, &SEEDS, &["--out", "one"]).run();
    let reversed: Vec<&str> = SEEDS.iter().rev().copied().collect();
    reconcile(&project, &reversed, &["--out", "two"]).run();
    assert!(
        project.tree("one") == project.tree("two"),
        "input order changes the output"
    );
    reconcile(&project, &SEEDS, &["--out", "one", "--base", "one"]).run();
    assert!(
        project.tree("one") == project.tree("two"),
        "reconciling onto its own output changes it"
    );
}

#[test]
fn a_hand_edit_survives_a_second_reconcile_with_one_more_copy() {
    let project = seeds_project();
    reconcile(&project, &SEEDS[..4], &["--out", "canon"]).run();
    let path = project.path("canon/checklists/deployment-checklist.yaml");
    let original = std::fs::read_to_string(&path).unwrap();
    let edited = original.replacen(
        "text: Deploy to staging environment first",
        "text: Deploy to staging first, always (hand edit)",
        1,
    );
    assert_ne!(edited, original, "the item to edit exists");
    std::fs::write(&path, &edited).unwrap();
    std::fs::write(project.path("canon/notes.md"), "# Notes written by hand\n").unwrap();
    reconcile(&project, &SEEDS, &["--out", "canon", "--base", "canon"]).run();
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(
        after.contains("Deploy to staging first, always (hand edit)"),
        "hand edit lost"
    );
    assert!(
        project.path("canon/notes.md").exists(),
        "hand-written page lost"
    );
    assert!(
        project
            .path("canon/octoacme-release-management-checklist.md")
            .exists(),
        "the fifth copy's document was added"
    );
}

#[test]
fn the_reconciled_tree_builds_and_check_finds_exactly_the_missing_targets() {
    let project = seeds_project();
    reconcile(&project, &SEEDS, &["--out", "content"]).run();
    // Reconcile reports links to pages none of the copies contains; check agrees.
    let check = project.test(&["check", "--format", "json"]).status(1).run();
    let value: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    for d in value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
    {
        let message = d["message"].as_str().unwrap();
        assert!(
            [
                "octoacme-decision-log.md",
                "octoacme-risks-and-communication.md",
                "octoacme-templates-and-checklists.md"
            ]
            .iter()
            .any(|m| message.contains(m)),
            "unexpected error: {d}"
        );
    }
    project.build_broken();
    let guide = project.page("site/octoacme-release-and-deployment-guide.html");
    assert!(
        guide.count("div.checklist") >= 4,
        "checklists are embedded in the guide"
    );
}

#[test]
fn an_existing_output_is_not_overwritten() {
    let project = seeds_project();
    reconcile(&project, &SEEDS, &["--out", "canon"]).run();
    let project = project.file("canon/keep.md", "# Keep\n");
    let run = reconcile(&project, &SEEDS, &["--out", "canon"])
        .status(2)
        .run();
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(project.path("canon/keep.md").exists());
    // --force replaces only a tree reconcile wrote (see tests/it/adversarial/output.rs).
    reconcile(&project, &SEEDS, &["--out", "canon", "--force"]).run();
    assert!(!project.path("canon/keep.md").exists());
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let big = format!("# Big\n\n## Part\n{}", "- item\n".repeat(1_600_000));
    let divs = format!(
        "<html><body><h1>T</h1><h2>S</h2>{}x{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let cases: [(&str, Vec<u8>, &str); 9] = [
        ("empty.md", Vec::new(), "file is empty"),
        // An HTML copy nested past the limit: refused at once, no crash.
        (
            "deep.html",
            divs.into_bytes(),
            "nesting here is deeper than the limit",
        ),
        // What a word processor saves: named, with what to do.
        (
            "guide.docx",
            b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml".to_vec(),
            "file is a ZIP archive (a Word .docx or OpenDocument .odt file is one)",
        ),
        (
            "guide.pdf",
            b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec(),
            "file is a PDF document",
        ),
        (
            "guide.rtf",
            b"{\\rtf1\\ansi # Guide\\par ## Steps\\par}".to_vec(),
            "file is an RTF document",
        ),
        (
            "guide.doc",
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
            "file is an old Microsoft Office document",
        ),
        (
            "binary.md",
            vec![0x89, b'P', b'N', b'G', 0, 0, 1],
            "file is binary",
        ),
        (
            "flat.md",
            b"Just text, no headings.\n- a\n".to_vec(),
            "has no headings",
        ),
        ("big.md", big.into_bytes(), "over the 10 MB limit"),
    ];
    for (name, bytes, message) in cases {
        let project = seeds_project().file(&format!("variants/{name}"), bytes);
        let run = reconcile(&project, &[SEEDS[0], name], &["--out", "canon"])
            .status(1)
            .run();
        assert!(run.stderr.contains(message), "{name}: {}", run.stderr);
        if name.starts_with("guide.") {
            assert!(run.stderr.contains("save it as Markdown"), "{}", run.stderr);
        }
        assert!(
            run.stderr.contains(&format!("variants/{name}")),
            "names the file: {}",
            run.stderr
        );
        assert!(!project.path("canon").exists(), "{name}: nothing written");
    }
}

#[test]
fn latin1_input_is_decoded_with_a_warning() {
    let project = Project::empty().file(
        "variants/latin.md",
        b"# Caf\xe9 guide\n\n## Steps\n- [ ] Order caf\xe9\n".as_slice(),
    );
    let run = project
        .test(&["reconcile", "variants/latin.md", "--out", "canon"])
        .run();
    assert!(
        run.stderr.contains("warning: variants/latin.md: "),
        "{}",
        run.stderr
    );
    // A Markdown copy keeps its file name.
    let page = project.read("canon/latin.md");
    assert!(page.contains("# Café guide"), "{page}");
}

#[test]
fn the_shipped_content_is_what_reconcile_makes_plus_its_hand_edits() {
    // The files README.md lists as written by hand after reconciling.
    const HAND_WRITTEN: [&str; 6] = [
        "README.md",
        "checklists/incident-escalation.yaml",
        "checklists/support-handoff.yaml",
        "octoacme-decision-log.md",
        "octoacme-risks-and-communication.md",
        "octoacme-templates-and-checklists.md",
    ];
    // Files reconcile makes that writers then edited: the release types an
    // item applies to, as a flow list with a `# Writer:` comment saying why.
    // Without those lines they are exactly what reconcile makes.
    const HAND_EDITED: [&str; 5] = [
        "checklists/deployment-checklist.yaml",
        "checklists/hotfix-process.yaml",
        "checklists/post-release-phase.yaml",
        "checklists/pre-release-phase.yaml",
        "checklists/pre-release-requirements.yaml",
    ];
    let without_writers_types = |bytes: &[u8]| -> String {
        String::from_utf8_lossy(bytes)
            .lines()
            .filter(|line| {
                let line = line.trim_start();
                let writers_types = line.starts_with("types: [") && line.ends_with(']');
                !(line.starts_with("# Writer:") || writers_types)
            })
            .map(|line| format!("{line}\n"))
            .collect()
    };
    let project = seeds_project();
    reconcile(&project, &SEEDS, &["--out", "fresh"]).run();
    let fresh = project.tree("fresh");
    let shipped = common::tree(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    for (path, bytes) in &fresh {
        if HAND_EDITED.contains(&path.as_str()) {
            let shipped = shipped.get(path).map(|b| without_writers_types(b));
            assert_eq!(
                shipped.as_deref(),
                Some(without_writers_types(bytes).as_str()),
                "content/{path}, but for the writers' `types:` lines, is not what reconcile makes"
            );
            continue;
        }
        assert!(shipped.get(path) == Some(bytes), "content/{path} is not what reconcile makes: run `cargo run -- reconcile tests/fixtures/variants/* --out content --base content`");
    }
    let extra: Vec<&str> = shipped
        .keys()
        .map(String::as_str)
        .filter(|p| !fresh.contains_key(*p))
        .collect();
    assert_eq!(
        extra, HAND_WRITTEN,
        "hand-written files in content/ must be listed in README.md"
    );

    // And reconciling onto the shipped tree changes nothing.
    common::copy_tree(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &project.path("content"),
    );
    reconcile(&project, &SEEDS, &["--out", "content", "--base", "content"]).run();
    assert!(
        project.tree("content") == shipped,
        "reconcile --base content changed the shipped content"
    );
}

#[test]
fn a_document_written_for_one_role_gives_it_the_unowned_items() {
    let project = seeds_project();
    let run = reconcile(&project, &SEEDS, &["--out", "canon", "--report", "r.json"]).run();
    assert!(
        run.stderr
            .contains("owners taken from a document's purpose: 55"),
        "{}",
        run.stderr
    );
    // "Provide a comprehensive checklist for Release Managers to coordinate ..."
    let phase: Checklist =
        serde_norway::from_str(&project.read("canon/checklists/pre-release-phase.yaml")).unwrap();
    let planning = &phase.groups[0];
    assert!(
        planning
            .items
            .iter()
            .filter(|i| i.reference.is_none())
            .all(|i| i.owners == ["release-manager"]),
        "{planning:#?}"
    );
    // The guide says it is for nobody in particular: its unowned items stay unowned.
    let guide: Checklist =
        serde_norway::from_str(&project.read("canon/checklists/pre-release-requirements.yaml"))
            .unwrap();
    assert!(guide
        .groups
        .iter()
        .flat_map(|g| &g.items)
        .any(|i| i.owners.is_empty()));
}

#[test]
fn the_output_may_not_swallow_the_copies_or_the_current_folder() {
    let project = seeds_project();
    for out in ["variants", ".", ".."] {
        let run = reconcile(&project, &SEEDS, &["--out", out, "--force"])
            .status(2)
            .run();
        assert!(
            run.stderr.starts_with("error: refusing to write to"),
            "{}",
            run.stderr
        );
    }
    assert!(project.path("variants").join(SEEDS[0]).exists());
}

/// The copies in `tests/fixtures/variants-forms` (the same team guide in
/// UTF-8 with front matter, UTF-16 LE and BE with a BOM, Windows-1252 with
/// CRLF), reconciled one at a time.
fn reconcile_form(file: &str) -> (Project, common::Run) {
    let bytes = std::fs::read(fixtures_dir().join("variants-forms").join(file)).expect("fixture");
    let project = Project::empty().file(&format!("copies/{file}"), bytes);
    let run = project
        .test(&[
            "reconcile",
            &format!("copies/{file}"),
            "--out",
            "out",
            "--report",
            "report.json",
        ])
        .run();
    let report: serde_json::Value = serde_json::from_str(&project.read("report.json")).unwrap();
    assert_eq!(
        report["lost"],
        serde_json::json!([]),
        "{file}: nothing lost"
    );
    (project, run)
}

/// Every checklist item of a reconciled tree, by id, sources left out so
/// copies of different names compare equal.
fn items_of(project: &Project) -> BTreeMap<String, playbook::checklist::ChecklistItem> {
    let mut items = BTreeMap::new();
    for checklist in checklists(project, "out").into_values() {
        for group in checklist.groups {
            for mut item in group.items {
                item.sources.clear();
                items.insert(format!("{}/{}", group.id, item.id), item);
            }
        }
    }
    items
}

#[test]
fn every_encoding_an_editor_writes_gives_the_same_items() {
    let (utf8, _) = reconcile_form("team-guide.md");
    let want = items_of(&utf8);
    assert_eq!(want.len(), 18, "{:#?}", want.keys());
    for file in [
        "team-guide-utf16le.md",
        "team-guide-utf16be.md",
        "team-guide-cp1252-crlf.md",
    ] {
        let (project, run) = reconcile_form(file);
        assert_eq!(items_of(&project), want, "{file}");
        if file.contains("cp1252") {
            assert!(
                run.stderr.contains("decoded as Windows-1252"),
                "{}",
                run.stderr
            );
            let page = project.read("out/team-guide-cp1252-crlf.md");
            assert!(page.contains("# Équipe Release Guide\n"), "{page}");
            assert!(!page.contains('\r'), "CRLF normalised");
        }
    }
}

/// `iconv -t UTF-16LE` and .NET's `Encoding.Unicode` write no byte-order
/// mark: the bytes themselves say UTF-16.
#[test]
fn utf16_without_its_mark_gives_the_same_items() {
    let (utf8, _) = reconcile_form("team-guide.md");
    let want = items_of(&utf8);
    for file in ["team-guide-utf16le.md", "team-guide-utf16be.md"] {
        let marked = std::fs::read(fixtures_dir().join("variants-forms").join(file)).unwrap();
        let project = Project::empty().file("copies/unmarked.md", &marked[2..]);
        project
            .test(&["reconcile", "copies/unmarked.md", "--out", "out"])
            .run();
        assert_eq!(items_of(&project), want, "{file} without its mark");
    }
}

#[test]
fn front_matter_gives_the_title_and_its_other_keys_stay_front_matter() {
    let (project, _) = reconcile_form("team-guide.md");
    let page = project.read("out/team-guide.md");
    let (front, body) = page
        .strip_prefix("---\n")
        .and_then(|p| p.split_once("\n---\n"))
        .expect("front matter");
    assert!(front.contains("title: \"Team Release Guide\""), "{front}");
    assert!(front.contains("owner: platform-team"), "{front}");
    assert!(front.contains("tags:\n- release\n- ops"), "{front}");
    assert!(
        !body.contains("platform-team") && !body.contains("title:"),
        "{body}"
    );
    assert_eq!(body.matches("# Team Release Guide").count(), 1, "{body}");
    assert_eq!(
        project
            .tree("out")
            .keys()
            .filter(|p| p.ends_with(".md"))
            .count(),
        1
    );
}

#[test]
fn list_forms_tables_and_nested_items_become_checklist_items() {
    let (project, _) = reconcile_form("team-guide.md");
    let items = items_of(&project);
    let item = |key: &str| {
        items
            .get(key)
            .unwrap_or_else(|| panic!("{key} in {:#?}", items.keys()))
    };
    // Numbered items (`1.`) under a setext "Pre-Release Checks" heading.
    assert_eq!(
        item("pre-release-checks/acceptance-criteria-met-prs-merged").text,
        "All acceptance criteria met and PRs merged."
    );
    // A table row: owner, timing and release types from their columns, other columns a note.
    let deploy = item("deployment-steps/deploy-staging-run-smoke-tests");
    assert_eq!(
        deploy.text,
        "Deploy to staging and run smoke tests (Notes: use the pipeline)"
    );
    assert_eq!(deploy.owners, ["sre", "qa-lead"]);
    assert_eq!(deploy.when.as_deref(), Some("T-1h"));
    let migrations = item("deployment-steps/run-database-migrations");
    assert_eq!(migrations.owners, ["release-manager"]);
    assert_eq!(migrations.types, [ReleaseType::Minor, ReleaseType::Major]);
    assert_eq!(
        migrations.when.as_deref(),
        Some("T-0; only when migrations lock tables")
    );
    // `- [x]` and `* [ ]` items keep no tick; nested items have a parent.
    let rollback = item("rollback/rollback-last-known-good-release");
    assert_eq!(rollback.text, "Rollback to last known-good release");
    for child in ["rollback/revert-deploy", "rollback/disable-feature-flags"] {
        assert_eq!(
            item(child).parent.as_deref(),
            Some("rollback-last-known-good-release"),
            "{child}"
        );
    }
    assert!(
        !rollback.text.contains("Revert"),
        "children are not glued in"
    );
}

#[test]
fn every_owner_notation_names_the_right_role() {
    let (project, _) = reconcile_form("team-guide.md");
    let items = items_of(&project);
    let owners = |key: &str| items[key].owners.join(" ");
    let cases = [
        (
            "pre-release-checks/acceptance-criteria-met-prs-merged",
            "qa-lead",
        ), // Owner: QA Lead
        ("pre-release-checks/security-scan-passed", "security-lead"), // [owner: Security Lead]
        ("pre-release-checks/load-tests", "sre"),                     // (@sre-devops)
        ("rollback/trigger-incident-response", "release-manager"),    // (RM)
        (
            "rollback/rollback-last-known-good-release",
            "release-manager",
        ), // — Release Mgr
        ("rollback/notify-customers", "release-manager qa-lead"),     // — **A** and **B**
        ("rollback/verify-dashboards", "qa-lead"),                    // (QA Lead validates)
        ("rollback/confirm-sign-off", "security-lead"), // (validated by Security Lead)
    ];
    for (key, want) in cases {
        assert_eq!(owners(key), want, "{key}");
    }
    let roles: RolesFile = serde_norway::from_str(&project.read("out/roles.yaml")).unwrap();
    let ids: Vec<&str> = roles.roles.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["qa-lead", "release-manager", "security-lead", "sre"]);
    let release_manager = &roles.roles[1];
    for alias in ["RM", "Release Mgr"] {
        assert!(
            release_manager.aliases.iter().any(|a| a == alias),
            "{alias}"
        );
    }
    assert!(roles.roles[3].aliases.iter().any(|a| a == "@sre-devops"));
}

#[test]
fn conditions_become_types_optional_or_a_when_kept_as_written() {
    let (project, _) = reconcile_form("team-guide.md");
    let items = items_of(&project);
    let all = [ReleaseType::Patch, ReleaseType::Minor, ReleaseType::Major];
    let cases: [(&str, &[ReleaseType], bool, Option<&str>); 7] = [
        ("penetration-test", &[], false, Some("if external-facing")),
        ("load-tests", &all[2..], false, None),
        ("chaos-test", &[], false, Some("if time allows")),
        ("changelog-entry-added", &all[..1], false, None),
        ("feature-flags-reviewed", &all[1..], false, None),
        ("migration-dry-run", &all[1..], false, None),
        ("backup-taken", &[], true, None),
    ];
    for (id, types, optional, when) in cases {
        let item = &items[&format!("pre-release-checks/{id}")];
        assert_eq!(item.types, types, "{id}");
        assert_eq!(item.optional, optional, "{id}");
        assert_eq!(item.when.as_deref(), when, "{id}");
    }
    assert_eq!(
        items["rollback/disable-feature-flags"].when.as_deref(),
        Some("if high-risk release")
    );
}

/// Reconcile inline copies (name → text) into `out/`, with `report.json`.
fn reconcile_texts(copies: &[(&str, &str)]) -> (Project, serde_json::Value) {
    let mut project = Project::empty();
    let mut args = vec!["reconcile".to_string()];
    for (name, text) in copies {
        project = project.file(&format!("copies/{name}"), text);
        args.push(format!("copies/{name}"));
    }
    args.extend(["--out", "out", "--report", "report.json"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    project.test(&args).run();
    let report = serde_json::from_str(&project.read("report.json")).unwrap();
    (project, report)
}

#[test]
fn merging_keeps_the_words_only_one_copy_has() {
    let (project, report) = reconcile_texts(&[
        ("a.md", "# Guide\n\n## Incident\n\n- Notify on-call\n- **Developer** and **SRE** triage root cause\n- Run smoke tests on the staging environment\n- Page the DBA\n"),
        ("b.md", "# Guide\n\n## Incident\n\n- Notify on-call\n- Triage root cause and capture action items\n- Run automated smoke tests in staging\n"),
    ]);
    let page = project.read("out/guide.md");
    assert!(
        page.contains("- Triage root cause and capture action items — **Developer** and **SRE**"),
        "{page}"
    );
    // Two wordings each with words of their own: one is kept, the other is
    // in the report in full, with both sources.
    let conflicts = report["conflicts"].as_array().unwrap();
    let smoke = conflicts
        .iter()
        .find(|c| c["other"].as_str().unwrap_or("").contains("smoke"))
        .unwrap_or_else(|| panic!("{conflicts:#?}"));
    let texts = [
        smoke["kept"].as_str().unwrap(),
        smoke["other"].as_str().unwrap(),
    ];
    assert!(
        texts.contains(&"Run smoke tests on the staging environment"),
        "{smoke}"
    );
    assert!(
        texts.contains(&"Run automated smoke tests in staging"),
        "{smoke}"
    );
    assert!(
        smoke["kept_from"].as_array().is_some_and(|f| !f.is_empty()),
        "{smoke}"
    );
    assert!(
        smoke["other_from"]
            .as_str()
            .is_some_and(|f| f == "copies/a.md" || f == "copies/b.md"),
        "{smoke}"
    );
}

#[test]
fn a_compound_item_maps_to_both_items_with_its_owners_on_each() {
    let (project, _) = reconcile_texts(&[
        ("a.md", "# Guide\n\n## Deployment Checklist\n\n- [ ] Deploy to staging environment first\n- [ ] Run automated smoke tests in staging\n- [ ] Deploy to production\n"),
        ("b.md", "# Guide\n\n## Deployment Checklist\n\n- [ ] Deploy to staging and run smoke tests — **SRE/DevOps** and **QA/Test Engineer**\n"),
    ]);
    let checklist = &checklists(&project, "out")["deployment-checklist.yaml"];
    let items = &checklist.groups[0].items;
    assert_eq!(items.len(), 3, "{items:#?}");
    for item in &items[..2] {
        assert_eq!(item.owners, ["sre", "qa"], "{}", item.text);
        assert_eq!(item.sources, ["a", "b"], "{}", item.text);
    }
    assert!(items[2].owners.is_empty());
}

#[test]
fn headings_align_by_meaning_at_any_level() {
    let (project, _) = reconcile_texts(&[
        ("a.md", "# Guide\n\n## Purpose\n\nShip safely.\n\n## Pre-release requirements\n\n- [ ] All PRs merged\n- [ ] Release notes drafted\n\n## Deployment Checklist\n\n- [ ] Deploy to production\n- [ ] Announce the release\n- [ ] Verify dashboards\n"),
        ("b.md", "# Guide\n\n## Purpose\n\nShip safely.\n\n### Pre-Release Checks\n\n1. All PRs merged\n2) Security review done\n\nDeployment Steps\n----------------\n\n* Deploy to production\n* Page the on-call engineer\n"),
    ]);
    let page = project.read("out/guide.md");
    assert!(
        !page.contains("Pre-Release Checks") && !page.contains("Deployment Steps"),
        "{page}"
    );
    let all = checklists(&project, "out");
    let texts = |file: &str| -> Vec<String> {
        all[file]
            .groups
            .iter()
            .flat_map(|g| g.items.iter().map(|i| i.text.clone()))
            .collect()
    };
    assert_eq!(
        texts("pre-release-requirements.yaml"),
        [
            "All PRs merged",
            "Security review done",
            "Release notes drafted"
        ]
    );
    assert_eq!(
        texts("deployment-checklist.yaml"),
        [
            "Deploy to production",
            "Page the on-call engineer",
            "Announce the release",
            "Verify dashboards"
        ]
    );
}

#[test]
fn conditions_and_sub_items_show_on_the_site_in_print_and_in_checklist_output() {
    let (project, _) = reconcile_form("team-guide.md");
    project
        .test(&["build", "--content", "out", "--out", "site"])
        .run();
    let page = project.read("site/team-guide.html");
    assert!(
        page.contains("<span class=\"checklist-when\">if external-facing</span>"),
        "{page}"
    );
    assert!(page.contains("checklist-item checklist-subitem"), "{page}");
    let print = project.read("site/print/release-manager.html");
    assert!(
        print.contains(
            "<span class=\"checklist-when\">T-0; only when migrations lock tables</span>"
        ),
        "{print}"
    );
    let run = project
        .test(&["checklist", "--content", "out", "--role", "all"])
        .run();
    assert!(
        run.stdout
            .contains("- [ ] Penetration test (if external-facing)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "\n  - [ ] Revert the deploy <!-- id: pre-release-checks/revert-deploy -->\n"
        ),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------
// `--base`: merging a new copy into an edited content tree.

const BASE_COPY: &str = "# Guide\n\n## Purpose\n\nShip safely.\n\n## Deployment Checklist\n\n### Before\n\n- [ ] Freeze the branch\n- [ ] Deploy to production — **SRE**\n\n### After\n\n- [ ] Announce the release\n";
const NEW_COPY: &str = "# Guide\n\n## Purpose\n\nShip safely.\n\nA paragraph only the new copy has.\n\n## Pre-flight\n\n- [ ] Warm the caches\n\n## Deployment Checklist\n\n### Before\n\n- [ ] Freeze the branch\n- [ ] Run smoke tests in staging\n- [ ] Deploy to production — **SRE**\n\n### After\n\n- [ ] Announce the release — **QA Lead**\n";

/// A project whose `content/` was reconciled from [`BASE_COPY`], then
/// edited by `edit` (path → new text), with [`NEW_COPY`] beside it.
fn base_project(edit: &[(&str, &dyn Fn(String) -> String)]) -> Project {
    let project = Project::empty()
        .file("copies/a.md", BASE_COPY)
        .file("copies/b.md", NEW_COPY);
    std::fs::remove_dir_all(project.path("content")).unwrap();
    project
        .test(&["reconcile", "copies/a.md", "--out", "content"])
        .run();
    for (path, change) in edit {
        let file = format!("content/{path}");
        let text = change(project.read(&file));
        std::fs::write(project.path(&file), text).unwrap();
    }
    project
}

fn merge_new_copy(project: &Project) -> common::Run {
    project
        .test(&[
            "reconcile",
            "copies/a.md",
            "copies/b.md",
            "--out",
            "content",
            "--base",
            "content",
        ])
        .run()
}

fn deployment_items(project: &Project) -> Vec<(String, String, Vec<String>)> {
    let checklist: Checklist =
        serde_norway::from_str(&project.read("content/checklists/deployment-checklist.yaml"))
            .unwrap();
    checklist
        .groups
        .iter()
        .flat_map(|g| {
            g.items
                .iter()
                .map(|i| (g.id.clone(), i.text.clone(), i.owners.clone()))
        })
        .collect()
}

#[test]
fn base_a_new_section_goes_where_the_copy_puts_it() {
    let project = base_project(&[]);
    merge_new_copy(&project);
    let page = project.read("content/a.md");
    let purpose = page.find("## Purpose").unwrap();
    let preflight = page
        .find("## Pre-flight")
        .unwrap_or_else(|| panic!("{page}"));
    let deployment = page.find("## Deployment Checklist").unwrap();
    assert!(purpose < preflight && preflight < deployment, "{page}");
    assert!(page.contains("[Pre-flight checklist](checklists/pre-flight.yaml#pre-flight)"));
    // The copies' file names now disagree ("guide.md" from the title), but
    // the base's page of that title keeps its name.
    assert!(!project.path("content/guide.md").exists());
    assert!(project
        .read("content/checklists/pre-flight.yaml")
        .contains("Warm the caches"));
}

#[test]
fn base_a_new_paragraph_is_added_under_its_heading() {
    let project = base_project(&[]);
    merge_new_copy(&project);
    let page = project.read("content/a.md");
    assert!(
        page.contains("## Purpose\n\nShip safely.\n\nA paragraph only the new copy has.\n"),
        "{page}"
    );
}

#[test]
fn base_a_new_item_goes_into_its_group_after_the_item_before_it() {
    let project = base_project(&[]);
    merge_new_copy(&project);
    let items = deployment_items(&project);
    let texts: Vec<(&str, &str)> = items
        .iter()
        .map(|(g, t, _)| (g.as_str(), t.as_str()))
        .collect();
    assert_eq!(
        texts,
        [
            ("before", "Freeze the branch"),
            ("before", "Run smoke tests in staging"),
            ("before", "Deploy to production"),
            ("after", "Announce the release"),
        ]
    );
}

#[test]
fn base_an_owner_a_copy_adds_is_added() {
    let project = base_project(&[]);
    let run = merge_new_copy(&project);
    let items = deployment_items(&project);
    assert_eq!(items[3].2, ["qa-lead"]);
    assert!(run.stderr.contains("updated 1 items"), "{}", run.stderr);
}

#[test]
fn base_an_item_a_writer_deleted_stays_deleted() {
    let remove_freeze: &dyn Fn(String) -> String = &|text: String| {
        let mut checklist: Checklist = serde_norway::from_str(&text).unwrap();
        checklist.groups[0]
            .items
            .retain(|i| i.text != "Freeze the branch");
        serde_norway::to_string(&checklist).unwrap()
    };
    let project = base_project(&[("checklists/deployment-checklist.yaml", remove_freeze)]);
    let run = merge_new_copy(&project);
    let items = deployment_items(&project);
    assert!(
        items.iter().all(|(_, t, _)| t != "Freeze the branch"),
        "{items:?}"
    );
    assert!(items
        .iter()
        .any(|(_, t, _)| t == "Run smoke tests in staging"));
    assert!(
        run.stderr
            .contains("kept deleted: deployment-checklist/freeze-branch"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
}

#[test]
fn base_a_hand_edit_is_kept_byte_for_byte() {
    let edit: &dyn Fn(String) -> String = &|text: String| {
        text.replace(
            "Ship safely.",
            "Ship *very* safely — edited by hand.\n<!-- keep -->",
        )
    };
    let project = base_project(&[("a.md", edit)]);
    let before = project.read("content/a.md");
    merge_new_copy(&project);
    let after = project.read("content/a.md");
    let head = &before[..before.find("## Deployment Checklist").unwrap()];
    // Byte for byte, but for the new copy named in the front matter's sources.
    let head = head[..head.find("## Purpose").unwrap()].replace("sources: [a]", "sources: [a, b]");
    assert!(after.starts_with(&head), "{after}");
    assert!(
        after.contains("Ship *very* safely — edited by hand.\n<!-- keep -->"),
        "{after}"
    );
    assert!(
        !after.contains("Ship safely.\n"),
        "the writer's rewording wins: {after}"
    );
    // With nothing new, every file stays byte for byte.
    let tree = project.tree("content");
    merge_new_copy(&project);
    assert!(
        project.tree("content") == tree,
        "a second merge changes nothing"
    );
}

#[test]
fn base_the_summary_is_honest_about_what_the_written_files_hold() {
    let project = base_project(&[]);
    let run = merge_new_copy(&project);
    assert!(
        run.stderr.contains("merged into --base: added 1 items, 1 sections, 1 paragraphs, 1 files; updated 1 items; kept deleted: 0"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
    // Every input item's words are in the written files.
    let written: String = project
        .tree("content")
        .into_values()
        .map(|b| String::from_utf8(b).unwrap())
        .collect();
    for word in ["Warm", "caches", "smoke", "staging", "paragraph only"] {
        assert!(written.contains(word), "{word}");
    }
}

#[test]
fn base_what_reconcile_published_and_nobody_edited_takes_the_new_wording() {
    // A tree published from one copy; then a second copy says more about a
    // paragraph and an item nobody edited, and about one a writer edited.
    let project = Project::empty()
        .file("copies/a.md", "# Guide\n\n## Purpose\n\nShip safely.\n\n## Steps\n\n- [ ] Deploy to production\n- [ ] Tag the release\n")
        .file("copies/b.md", "# Guide\n\n## Purpose\n\nShip safely, every time.\n\n## Steps\n\n- [ ] Deploy to production in every region\n- [ ] Tag the release and push the tag\n");
    std::fs::remove_dir_all(project.path("content")).unwrap();
    project
        .test(&["reconcile", "copies/a.md", "--out", "content"])
        .run();
    let path = project.path("content/checklists/steps.yaml");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Tag the release", "Tag the release (signed)");
    std::fs::write(&path, edited).unwrap();
    merge_new_copy_from(&project, &["copies/a.md", "copies/b.md"]);
    let page = project.read("content/a.md");
    assert!(page.contains("Ship safely, every time."), "{page}");
    assert!(
        !page.contains("Ship safely.\n"),
        "replaced in place, not duplicated: {page}"
    );
    let steps = project.read("content/checklists/steps.yaml");
    assert!(
        steps.contains("text: Deploy to production in every region"),
        "{steps}"
    );
    assert!(
        steps.contains("text: Tag the release (signed)"),
        "the writer's wording wins: {steps}"
    );
    assert!(
        steps.contains("id: deploy-production\n"),
        "ids stay: {steps}"
    );
}

fn merge_new_copy_from(project: &Project, copies: &[&str]) {
    let mut args = vec!["reconcile"];
    args.extend(copies);
    args.extend(["--out", "content", "--base", "content"]);
    project.test(&args).run();
}

#[test]
fn optional_in_one_copy_only_is_a_conflict_with_both_sources() {
    let (_, report) = reconcile_texts(&[
        (
            "a.md",
            "# Guide\n\n## Deployment Checklist\n\n- [ ] Backup taken\n- [ ] Deploy\n",
        ),
        (
            "b.md",
            "# Guide\n\n## Deployment Checklist\n\n- [ ] Backup taken (if needed)\n",
        ),
    ]);
    let conflicts = report["conflicts"].as_array().unwrap();
    let optional = conflicts
        .iter()
        .find(|c| {
            c["what"]
                .as_str()
                .unwrap_or("")
                .starts_with("optional in one copy")
        })
        .unwrap_or_else(|| panic!("{conflicts:#?}"));
    assert_eq!(optional["kept"], "Backup taken (required)");
    assert_eq!(optional["kept_from"], serde_json::json!(["copies/a.md"]));
    assert_eq!(optional["other"], "Backup taken (optional)");
    assert_eq!(optional["other_from"], "copies/b.md");
}

#[test]
fn metrics_and_with_or_to_bullets_are_not_roles() {
    let (project, _) = reconcile_texts(&[(
        "a.md",
        "# Guide\n\n## Roles and Responsibilities\n\n- **Release Manager:** runs the release\n- **Product Marketing Manager:** writes the announcement\n- **Product Manager:** owns scope\n\n### Interactions with Other Roles\n\n- **With Release Manager:** agree the date\n- **To QA:** hand over builds\n\n## Release Metrics to Track\n\n- **Lead Time**: from commit to production\n- **Change Failure Rate**: failed deploys\n",
    )]);
    let roles: RolesFile = serde_norway::from_str(&project.read("out/roles.yaml")).unwrap();
    let names: Vec<(&str, &[String])> = roles
        .roles
        .iter()
        .map(|r| (r.name.as_str(), r.aliases.as_slice()))
        .collect();
    assert_eq!(
        names,
        [
            ("Product Manager", &[][..]),
            ("Product Marketing Manager", &[][..]),
            ("Release Manager", &[][..]),
        ]
    );
}

#[test]
fn a_docs_tree_keeps_its_file_names_and_links_and_checks_clean() {
    let project = Project::empty()
        .file("docs/README.md", "# OctoAcme Project Docs\n\n## Overview\n\nStart with the [release process](release.md#deploy-steps) and [who does what](./roles-guide.md).\n")
        .file("docs/release.md", "# Release and Deployment\n\n## Deploy steps\n\n- [ ] Deploy to staging — **SRE**\n- [ ] Announce the release\n\nBack to the [overview](README.md#overview).\n")
        .file("docs/roles-guide.md", "# Who does what\n\n## Roles and Responsibilities\n\n- **SRE:** runs deployments\n\nSee the [steps](release.md#deploy-steps).\n")
        .file("fork/README.md", "# OctoAcme Project Docs\n\n## Overview\n\nStart with the [release process](release.md#deploy-steps) and [who does what](./roles-guide.md).\n\nA line only the fork has.\n");
    project.test(&["check", "--content", "docs"]).run();
    project
        .test(&[
            "reconcile",
            "docs/README.md",
            "docs/release.md",
            "docs/roles-guide.md",
            "fork/README.md",
            "--out",
            "out",
        ])
        .run();
    let pages: Vec<String> = project
        .tree("out")
        .into_keys()
        .filter(|p| p.ends_with(".md"))
        .collect();
    assert_eq!(pages, ["README.md", "release.md", "roles-guide.md"]);
    assert!(project
        .read("out/README.md")
        .contains("A line only the fork has."));
    project.test(&["check", "--content", "out"]).run();
}

#[test]
fn links_follow_a_page_whose_copies_disagree_on_its_name() {
    let project = Project::empty()
        .file("a/guide.md", "# The Guide\n\n## Steps\n\n- [ ] Deploy\n")
        .file("b/handbook.md", "# The Guide\n\n## Steps\n\n- [ ] Deploy\n- [ ] Announce\n")
        .file("a/index.md", "# Index\n\n## Start\n\nRead [the guide](guide.md#steps) and [the handbook](./handbook.md).\n");
    project
        .test(&[
            "reconcile",
            "a/guide.md",
            "b/handbook.md",
            "a/index.md",
            "--out",
            "out",
        ])
        .run();
    let index = project.read("out/index.md");
    assert!(
        index.contains("[the guide](the-guide.md#steps) and [the handbook](./the-guide.md)"),
        "{index}"
    );
    project.test(&["check", "--content", "out"]).run();
}

#[test]
fn a_markdown_report_lists_what_a_writer_must_decide() {
    let project = Project::empty()
        .file("copies/a.md", "# Guide\n\n## Deployment Checklist\n\n- [ ] Backup taken\n- [ ] Run smoke tests on the staging environment\n")
        .file("copies/b.md", "# Guide\n\n## Deployment Checklist\n\n- [ ] Backup taken (if needed)\n- [ ] Run automated smoke tests in staging\n");
    project
        .test(&[
            "reconcile",
            "copies/a.md",
            "copies/b.md",
            "--out",
            "out",
            "--report",
            "review.md",
        ])
        .run();
    let review = project.read("review.md");
    assert!(review.starts_with("# Reconcile report\n"), "{review}");
    assert!(
        review.contains("| copies/a.md | Guide |"),
        "inputs by path: {review}"
    );
    assert!(review.contains("## Needs a decision (2)"), "{review}");
    assert!(
        review.contains(
            "  - kept (copies/a.md): Backup taken (required)\n  - other (copies/b.md): Backup taken (optional)"
        ),
        "{review}"
    );
    assert!(review.contains("## Items without an owner (2)"), "{review}");
}

/// A copy whose roles section lists what QA and the technical writer do,
/// and checklists that name no owner for that work.
const RESPONSIBILITIES_COPY: &str = "# Guide\n\n## Roles and Responsibilities\n\n**QA Specialist:**\n\n- Provides quality sign-off and test results\n- Documents known issues and workarounds\n- Validate fixes and regression test before redeployment\n\n**Technical Writer:**\n\n- Ensures release notes and documentation are ready\n- Coordinates documentation publication with deployment\n\n## Pre-release\n\n### Quality Assurance\n\n- [ ] Performance testing passed\n\n### Checks\n\n- [ ] Regression testing completed\n- [ ] Known issues documented with workarounds\n- [ ] Known limitations documented\n- [ ] Update status page\n- [ ] Smoke tests run — **QA Specialist**\n\n### Documentation\n\n- [ ] API reference updated\n";

#[test]
fn owners_from_responsibilities_are_inferred_marked_and_reported() {
    let (project, report) = reconcile_texts(&[("guide.md", RESPONSIBILITIES_COPY)]);
    let items: BTreeMap<String, playbook::checklist::ChecklistItem> = checklists(&project, "out")
        .into_values()
        .flat_map(|c| c.groups)
        .flat_map(|g| g.items)
        .map(|i| (i.id.clone(), i))
        .collect();
    let owners = |id: &str| (items[id].owners.join(" "), items[id].inferred.join(" "));
    let qa = ("qa".to_string(), "qa".to_string());
    assert_eq!(owners("regression-testing-completed"), qa);
    assert_eq!(owners("known-issues-documented-workarounds"), qa);
    assert_eq!(owners("performance-testing-passed"), qa, "a QA section");
    let writer = (
        "technical-writer".to_string(),
        "technical-writer".to_string(),
    );
    assert_eq!(
        owners("api-reference-updated"),
        writer,
        "a documentation section"
    );
    // The copy says who runs the smoke tests: not inferred.
    assert_eq!(owners("smoke-tests-run"), ("qa".to_string(), String::new()));
    // Near misses: only generic words ("known", "documented"), one word ("status").
    assert_eq!(owners("known-limitations-documented"), Default::default());
    assert_eq!(owners("update-status-page"), Default::default());

    let inferred = report["inferred_owners"].as_array().unwrap();
    assert_eq!(inferred.len(), 4, "{inferred:#?}");
    assert!(inferred
        .iter()
        .any(|i| i["item"] == "regression-testing-completed"
            && i["role"] == "qa"
            && i["reason"]
                == "responsibility: Validate fixes and regression test before redeployment"));

    // The Markdown review lists them to confirm; check accepts the marker;
    // the role's checklist shows them, marked.
    project
        .test(&[
            "reconcile",
            "copies/guide.md",
            "--out",
            "again",
            "--report",
            "review.md",
        ])
        .run();
    let review = project.read("review.md");
    assert!(
        review.contains("## Inferred owners, to confirm (4)"),
        "{review}"
    );
    assert!(review.contains("Regression testing completed — **qa** (responsibility: Validate fixes and regression test before redeployment)"), "{review}");
    let check = project.test(&["check", "--content", "out"]).run();
    assert!(!check.stderr.contains("inferred"), "{}", check.stderr);
    project
        .test(&["build", "--content", "out", "--out", "site"])
        .run();
    let page = project.read("site/guide.html");
    assert!(
        page.contains("QA Specialist</a> <span class=\"owner-inferred\">(inferred)</span>"),
        "{page}"
    );
    let list = project
        .test(&["checklist", "--role", "qa", "--content", "out"])
        .run();
    assert!(
        list.stdout
            .contains("- [ ] Regression testing completed — QA Specialist (inferred)"),
        "{}{}",
        list.stdout,
        list.stderr
    );
    assert!(
        list.stdout
            .contains("- [ ] Smoke tests run <!-- id: pre-release/smoke-tests-run -->\n"),
        "{}",
        list.stdout
    );
}

#[test]
fn check_refuses_an_inferred_owner_the_owners_do_not_name() {
    let (project, _) = reconcile_texts(&[("guide.md", RESPONSIBILITIES_COPY)]);
    let path = project.path("out/checklists/pre-release.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replacen("owners:\n    - qa\n    inferred:", "inferred:", 1);
    assert_ne!(broken, text, "{text}");
    std::fs::write(&path, broken).unwrap();
    let check = project.test(&["check", "--content", "out"]).status(1).run();
    assert!(
        check
            .stderr
            .contains("as an inferred owner, but its owners do not name it"),
        "{}",
        check.stderr
    );
}

#[test]
fn base_an_inferred_owner_a_writer_rejected_or_confirmed_stays_so() {
    let (project, _) = reconcile_texts(&[("guide.md", RESPONSIBILITIES_COPY)]);
    let path = project.path("out/checklists/pre-release.yaml");
    let mut checklist: Checklist =
        serde_norway::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for item in checklist.groups.iter_mut().flat_map(|g| g.items.iter_mut()) {
        match item.id.as_str() {
            // rejected: the writer deletes the guess
            "regression-testing-completed" => {
                item.owners.clear();
                item.inferred.clear();
            }
            // confirmed: the writer deletes the marker
            "known-issues-documented-workarounds" => item.inferred.clear(),
            _ => {}
        }
    }
    std::fs::write(&path, serde_norway::to_string(&checklist).unwrap()).unwrap();
    project
        .test(&[
            "reconcile",
            "copies/guide.md",
            "--out",
            "out",
            "--base",
            "out",
        ])
        .run();
    let after: Checklist =
        serde_norway::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let item = |id: &str| {
        after
            .groups
            .iter()
            .flat_map(|g| &g.items)
            .find(|i| i.id == id)
            .unwrap()
            .clone()
    };
    let rejected = item("regression-testing-completed");
    assert!(
        rejected.owners.is_empty() && rejected.inferred.is_empty(),
        "{rejected:?}"
    );
    let confirmed = item("known-issues-documented-workarounds");
    assert_eq!(
        (confirmed.owners, confirmed.inferred),
        (vec!["qa".to_string()], vec![])
    );
    assert_eq!(item("performance-testing-passed").inferred, ["qa"]);
}

#[test]
fn the_report_names_copies_by_the_path_given() {
    let project = Project::empty()
        .file("team-a/guide.md", "# Guide\n\n## Deploy\n\nShip it on Tuesdays after the freeze.\n\n- [ ] Freeze the branch (if needed)\n- [ ] Warm the caches in staging\n")
        .file("team-b/guide.md", "# Guide\n\n## Deploy\n\nShip it on Tuesdays after the freeze, with QA.\n\n- [ ] Freeze the branch\n- [ ] Warm caches\n- [ ] Read [the runbook](missing.md)\n");
    let run = project
        .test(&[
            "reconcile",
            "team-a/guide.md",
            "team-b/guide.md",
            "--out",
            "out",
            "--report",
            "report.json",
        ])
        .run();
    let run_md = project
        .test(&[
            "reconcile",
            "team-a/guide.md",
            "team-b/guide.md",
            "--out",
            "out2",
            "--report",
            "report.md",
        ])
        .run();
    let json = project.read("report.json");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut sources: Vec<&str> = report["documents"][0]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    sources.sort();
    assert_eq!(sources, ["team-a/guide.md", "team-b/guide.md"]);
    assert_eq!(report["missing_link_targets"][0]["from"], "team-b/guide.md");
    assert!(
        !report["conflicts"].as_array().unwrap().is_empty(),
        "{json}"
    );
    for conflict in report["conflicts"].as_array().unwrap() {
        assert!(
            conflict["other_from"]
                .as_str()
                .unwrap()
                .starts_with("team-"),
            "{conflict}"
        );
    }
    // The short names stay only where they are ids: the inputs' `name` and the YAML's `sources`.
    let names: Vec<&str> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["guide", "guide-2"]);
    let without_inputs = json.split("\"documents\"").nth(1).unwrap();
    assert!(
        !without_inputs.contains("\"guide-2\"") && !without_inputs.contains("\"guide\""),
        "{json}"
    );
    for text in [
        run.stderr.as_str(),
        run_md.stderr.as_str(),
        project.read("report.md").as_str(),
    ] {
        assert!(!text.contains("guide-2"), "{text}");
        assert!(text.contains("team-b/guide.md"), "{text}");
    }
}

/// Reconcile `first` into `content/`, then `first` (as rewritten to
/// `then`) and `extra` into it with `--base content`; the page's text.
fn base_page_after(first: &str, then: &str, extra: Option<&str>) -> String {
    let project = Project::empty().file("copies/a.md", first);
    std::fs::remove_dir_all(project.path("content")).unwrap();
    project
        .test(&["reconcile", "copies/a.md", "--out", "content"])
        .run();
    std::fs::write(project.path("copies/a.md"), then).unwrap();
    let mut args = vec!["reconcile", "copies/a.md"];
    if let Some(text) = extra {
        std::fs::write(project.path("copies/b.md"), text).unwrap();
        args.push("copies/b.md");
    }
    args.extend(["--out", "content", "--base", "content"]);
    let run = project.test(&args).run();
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
    project.read("content/a.md")
}

const NOTES_PAGE: &str = "# Guide\n\n## Notes\n\nSome notes.\n\nSecond paragraph.\n\n- Alpha step\n- Beta step\n\n## Deployment Checklist\n\n- [ ] Freeze\n";

#[test]
fn base_a_new_nested_list_line_keeps_its_place_and_parent() {
    let copy = "# Guide\n\n## Notes\n\nSome notes.\n\nSecond paragraph.\n\n- Alpha step\n  - Alpha detail\n- Beta step\n\n## Deployment Checklist\n\n- [ ] Freeze\n";
    let page = base_page_after(NOTES_PAGE, NOTES_PAGE, Some(copy));
    assert!(
        page.contains("- Alpha step\n  - Alpha detail\n- Beta step\n"),
        "{page}"
    );
}

#[test]
fn base_the_page_front_matter_names_the_new_copy() {
    let copy = "# Guide\n\n## Notes\n\nSome notes.\n\nA paragraph only b has.\n";
    let page = base_page_after(NOTES_PAGE, NOTES_PAGE, Some(copy));
    assert!(page.contains("\nsources: [a, b]\n"), "{page}");
    // Nothing new: the page stays byte for byte.
    let page = base_page_after(NOTES_PAGE, NOTES_PAGE, None);
    assert!(page.contains("\nsources: [a]\n"), "{page}");
}

#[test]
fn base_a_replaced_block_leaves_no_double_blank_line() {
    let reworded = NOTES_PAGE
        .replace("Some notes.", "Some notes, reworded.")
        .replace("Second paragraph.\n\n", "");
    let page = base_page_after(NOTES_PAGE, &reworded, None);
    assert!(
        page.contains("## Notes\n\nSome notes, reworded.\n\n- Alpha step\n"),
        "{page}"
    );
    assert!(!page.contains("\n\n\n"), "{page}");
}

#[path = "reconcile_trial.rs"]
mod trial;

#[test]
fn a_folder_given_as_a_copy_is_a_usage_error_naming_it() {
    let project = seeds_project().file("variants/more/extra.md", "# Extra\n\n## A\n\n- [ ] b\n");
    let run = reconcile(&project, &[SEEDS[0], "more"], &["--out", "canon"])
        .status(2)
        .run();
    assert!(
        run.stderr.contains("variants/more is a folder, not a file")
            && run.stderr.contains("variants/more/*.md"),
        "{}",
        run.stderr
    );
    assert!(!project.path("canon").exists());
}

#[path = "reconcile_shapes.rs"]
mod shapes;
