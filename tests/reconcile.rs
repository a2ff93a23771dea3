//! `playbook reconcile` on the five OctoAcme guide copies (committed byte
//! for byte under tests/fixtures/variants) and on bad input.

mod common;

use std::collections::BTreeMap;

use common::{fixtures_dir, Project};
use playbook::checklist::{Checklist, ReleaseNoteSpec, RolesFile};

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

fn reconcile(project: &Project, seeds: &[&str], extra: &[&str]) -> common::Run {
    let mut args: Vec<String> = vec!["reconcile".into()];
    args.extend(seeds.iter().map(|s| format!("variants/{s}")));
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    project.run(&args)
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
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
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
    assert_eq!(reconcile(&project, &SEEDS, &["--out", "canon"]).code, 0);
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
    assert_eq!(reconcile(&project, &SEEDS, &["--out", "canon"]).code, 0);
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
    assert_eq!(reconcile(&project, &SEEDS, &["--out", "canon"]).code, 0);
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
    let run = reconcile(&project, &SEEDS, &["--out", "canon", "--report", "r.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
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
    assert_eq!(reconcile(&project, &SEEDS, &["--out", "one"]).code, 0);
    let reversed: Vec<&str> = SEEDS.iter().rev().copied().collect();
    assert_eq!(reconcile(&project, &reversed, &["--out", "two"]).code, 0);
    assert!(
        project.tree("one") == project.tree("two"),
        "input order changes the output"
    );
    assert_eq!(
        reconcile(&project, &SEEDS, &["--out", "one", "--base", "one"]).code,
        0
    );
    assert!(
        project.tree("one") == project.tree("two"),
        "reconciling onto its own output changes it"
    );
}

#[test]
fn a_hand_edit_survives_a_second_reconcile_with_one_more_copy() {
    let project = seeds_project();
    assert_eq!(
        reconcile(&project, &SEEDS[..4], &["--out", "canon"]).code,
        0
    );
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
    let run = reconcile(&project, &SEEDS, &["--out", "canon", "--base", "canon"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
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
    assert_eq!(reconcile(&project, &SEEDS, &["--out", "content"]).code, 0);
    // Reconcile reports links to pages none of the copies contains; check agrees.
    let check = project.run(&["check", "--format", "json"]);
    assert_eq!(check.code, 1);
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
    assert_eq!(reconcile(&project, &SEEDS, &["--out", "canon"]).code, 0);
    let project = project.file("canon/keep.md", "# Keep\n");
    let run = reconcile(&project, &SEEDS, &["--out", "canon"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(project.path("canon/keep.md").exists());
    // --force replaces only a tree reconcile wrote (see tests/adversarial/output.rs).
    assert_eq!(
        reconcile(&project, &SEEDS, &["--out", "canon", "--force"]).code,
        0
    );
    assert!(!project.path("canon/keep.md").exists());
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let big = format!("# Big\n\n## Part\n{}", "- item\n".repeat(1_600_000));
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("empty.md", Vec::new(), "file is empty"),
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
        let run = reconcile(&project, &[SEEDS[0], name], &["--out", "canon"]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{name}: {}", run.stderr);
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
    let run = project.run(&["reconcile", "variants/latin.md", "--out", "canon"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: variants/latin.md: "),
        "{}",
        run.stderr
    );
    let page = project.read("canon/caf\u{e9}-guide.md");
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
    // Files reconcile makes that writers then edited (the release types each
    // item applies to, with a comment saying why): `--base` keeps the edits,
    // checked below.
    const HAND_EDITED: [&str; 5] = [
        "checklists/deployment-checklist.yaml",
        "checklists/hotfix-process.yaml",
        "checklists/post-release-phase.yaml",
        "checklists/pre-release-phase.yaml",
        "checklists/pre-release-requirements.yaml",
    ];
    let project = seeds_project();
    assert_eq!(reconcile(&project, &SEEDS, &["--out", "fresh"]).code, 0);
    let fresh = project.tree("fresh");
    let shipped = common::tree(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    for (path, bytes) in &fresh {
        if HAND_EDITED.contains(&path.as_str()) {
            assert!(shipped.contains_key(path), "content/{path} is missing");
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
    let run = reconcile(&project, &SEEDS, &["--out", "content", "--base", "content"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        project.tree("content") == shipped,
        "reconcile --base content changed the shipped content"
    );
}

#[test]
fn a_document_written_for_one_role_gives_it_the_unowned_items() {
    let project = seeds_project();
    let run = reconcile(&project, &SEEDS, &["--out", "canon", "--report", "r.json"]);
    assert!(
        run.stderr
            .contains("owners taken from a document's purpose: 52"),
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
        let run = reconcile(&project, &SEEDS, &["--out", out, "--force"]);
        assert_eq!(run.code, 2, "--out {out}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("error: refusing to write to"),
            "{}",
            run.stderr
        );
    }
    assert!(project.path("variants").join(SEEDS[0]).exists());
}
