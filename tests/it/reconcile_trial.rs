//! `playbook reconcile` on copies written the way another team would
//! (tests/fixtures/reconcile-trial: `a.md` with front matter, setext
//! headings, a roles section holding an H3 of steps, a table and mixed
//! owner notations; `b16.md` in UTF-16), and on more unseen shapes.

use crate::common::{fixtures_dir, Project};
use playbook::checklist::{Checklist, ChecklistItem};

use std::collections::BTreeMap;

/// The trial copies reconciled into `out/` with `report.json` and `r.md`.
fn trial() -> (Project, crate::common::Run) {
    let mut project = Project::empty();
    for name in ["a.md", "b16.md"] {
        let bytes = std::fs::read(fixtures_dir().join("reconcile-trial").join(name)).unwrap();
        project = project.file(name, bytes);
    }
    let run = project
        .test(&[
            "reconcile",
            "a.md",
            "b16.md",
            "--out",
            "out",
            "--report",
            "r.md",
        ])
        .run();
    (project, run)
}

/// Reconcile inline copies (name → text) into `out/`.
fn reconcile_texts(copies: &[(&str, &str)]) -> (Project, crate::common::Run) {
    let mut project = Project::empty();
    let mut args = vec!["reconcile".to_string()];
    for (name, text) in copies {
        project = project.file(name, text);
        args.push(name.to_string());
    }
    args.extend(["--out", "out", "--report", "r.md"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = project.test(&args).run();
    (project, run)
}

fn checklists(project: &Project) -> BTreeMap<String, Checklist> {
    project
        .tree("out/checklists")
        .into_iter()
        .map(|(path, bytes)| (path, serde_norway::from_slice(&bytes).unwrap()))
        .collect()
}

/// Every checklist item, keyed "checklist/item".
fn items(project: &Project) -> BTreeMap<String, ChecklistItem> {
    let mut out = BTreeMap::new();
    for checklist in checklists(project).into_values() {
        for group in checklist.groups {
            for item in group.items {
                out.insert(format!("{}/{}", checklist.id, item.id), item);
            }
        }
    }
    out
}

#[test]
fn a_roles_section_never_becomes_a_checklist_and_its_steps_align_with_another_copy() {
    let (project, _) = trial();
    let all = checklists(&project);
    assert!(all.values().all(|c| c.title != "Roles"), "{:?}", all.keys());
    // a's "### Pre-Release Checks" (under "Roles") and b's "## Pre-release
    // requirements" are one checklist holding both copies' steps.
    let pre: Vec<&Checklist> = all
        .values()
        .filter(|c| c.title.to_lowercase().starts_with("pre-release"))
        .collect();
    assert_eq!(pre.len(), 1, "{:?}", all.keys());
    let texts: Vec<&str> = pre[0].groups[0]
        .items
        .iter()
        .map(|i| i.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "Freeze the branch and announce it",
            "Run the full regression suite",
            "Include the payments flows",
            "Notify customers"
        ]
    );
    let page = project.read("out/release-guide.md");
    assert!(!page.contains("Roles checklist"), "{page}");
}

#[test]
fn a_step_worded_with_an_extra_clause_merges_and_keeps_its_abbreviated_owner() {
    let (project, _) = trial();
    let items = items(&project);
    let freeze: Vec<&ChecklistItem> = items
        .values()
        .filter(|i| i.text.contains("Freeze"))
        .collect();
    assert_eq!(freeze.len(), 1, "{freeze:#?}");
    assert_eq!(freeze[0].text, "Freeze the branch and announce it");
    assert_eq!(freeze[0].owners, ["release-manager"]);
    assert_eq!(freeze[0].sources, ["a", "b16"]);
}

#[test]
fn a_step_with_one_qualifier_more_merges_with_the_fuller_wording() {
    let (project, _) = trial();
    let items = items(&project);
    let regression: Vec<&ChecklistItem> = items
        .values()
        .filter(|i| i.text.contains("regression"))
        .collect();
    assert_eq!(regression.len(), 1, "{regression:#?}");
    assert_eq!(regression[0].text, "Run the full regression suite");
    assert_eq!(regression[0].owners, ["qa-lead"]);
    assert_eq!(regression[0].sources, ["a", "b16"]);
    // Its sub-item keeps pointing at it.
    let include = items
        .values()
        .find(|i| i.text == "Include the payments flows")
        .unwrap();
    assert_eq!(include.parent.as_deref(), Some(regression[0].id.as_str()));
}

#[test]
fn owner_notations_leave_no_residue_in_table_cells_or_after_conditions() {
    let (project, _) = trial();
    let items = items(&project);
    for (key, item) in &items {
        assert!(
            !key.contains("owner") && !item.text.to_lowercase().contains("owner"),
            "{key}: {}",
            item.text
        );
    }
    let by_text = |text: &str| {
        items
            .values()
            .find(|i| i.text == text)
            .unwrap_or_else(|| panic!("{text}: {:#?}", items.keys()))
    };
    // `| Verify dashboards | [owner: QA Lead] |`
    assert_eq!(by_text("Verify dashboards").owners, ["qa-lead"]);
    // `* [x] Roll forward the config (skip for patches) Owner: SRE`
    let roll = by_text("Roll forward the config");
    assert_eq!(roll.owners, ["sre"]);
    assert_eq!(roll.id, "roll-forward-config");
}

#[test]
fn the_trial_summary_is_honest_and_its_output_checks_clean() {
    let (project, run) = trial();
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
    assert!(project.read("r.md").contains("lost: 0."));
    project
        .test(&["check", "--content", "out", "--deny-warnings"])
        .run();
    let page = project.read("out/release-guide.md");
    let front = page.split("\n---\n").next().unwrap();
    assert!(front.contains("\nowner: platform"), "{page}");
}

/// A guide written with every owner notation, in every order with
/// conditions, at the start and at the end of its items.
const NOTATIONS: &str = "# Guide

## Roles

- **Release Manager**: coordinates the release
- **QA Lead**: tests the build
- **SRE**: runs production

## Release Checklist

- [ ] Freeze the branch (Owner: QA Lead)
- [ ] Tag the release — owner: SRE
- [ ] Push the tag to the mirror @sre
- [ ] Owner: SRE — Roll forward the config
- [ ] Roll back the config (skip for patches) Owner: SRE
- [ ] [owner: Release Manager] Close the freeze (if time allows)
- [ ] Open the freeze (if time allows) [owner: Release Manager]
- [ ] Verify the rollback (major releases only) — QA Lead
- [ ] Notify support — owner: SRE (if external-facing)
- [ ] Owner: QA Lead. Run the soak test (minor and major releases)
- [ ] Check the logs (if high-risk release) (@sre)
- [ ] **Owner:** SRE — Rotate the keys
- [ ] Email the owner: tell them the date
";

#[test]
fn owner_notations_are_found_in_any_order_with_conditions_at_the_start_or_the_end() {
    let (project, run) = reconcile_texts(&[("guide.md", NOTATIONS)]);
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
    let items = items(&project);
    let cases = [
        ("Freeze the branch", "qa-lead", None),
        ("Tag the release", "sre", None),
        ("Push the tag to the mirror", "sre", None),
        ("Roll forward the config", "sre", None),
        ("Roll back the config", "sre", None),
        (
            "Close the freeze",
            "release-manager",
            Some("if time allows"),
        ),
        ("Open the freeze", "release-manager", Some("if time allows")),
        ("Verify the rollback", "qa-lead", None),
        ("Notify support", "sre", Some("if external-facing")),
        ("Run the soak test", "qa-lead", None),
        ("Check the logs", "sre", Some("if high-risk release")),
        ("Rotate the keys", "sre", None),
        // Running text about an owner is no owner notation.
        ("Email the owner: tell them the date", "", None),
    ];
    for (text, owner, when) in cases {
        let item = items
            .values()
            .find(|i| i.text == text)
            .unwrap_or_else(|| panic!("{text}: {:#?}", items.values().map(|i| &i.text)));
        assert_eq!(item.owners.join(" "), owner, "{text}");
        assert_eq!(item.when.as_deref(), when, "{text}");
        assert!(
            !item.id.contains("owner") || text.starts_with("Email"),
            "{}",
            item.id
        );
    }
    let roles = project.read("out/roles.yaml");
    assert!(roles.contains("'@sre'"), "the handle is an alias: {roles}");
}

/// A guide in shapes the seeds never use: an H1 per phase with H2
/// checklists, `+` bullets nested two deep, a roles table, a "Checklist"
/// at H4, step tables whose owner column is "Who" or "Responsible" with
/// code, links and owner notation in their cells, and a step linking to
/// another page of the copies.
const SHAPES: &str = "# Release Playbook

Roles
=====

| Role | Responsibilities |
|------|------------------|
| Release Manager | Coordinates the release; owns the go/no-go |
| QA Lead | Runs regression testing<br>Documents known issues |

Preparation
===========

## Preparation Checklist

+ Freeze the branch
  + Tag the release candidate — owner: QA Lead
    + Push the tag to the mirror
+ Update the [runbook](runbook.md#rollback) before the freeze

Deployment
==========

## Deployment Steps

| # | Task | Who | Notes |
|---|------|-----|-------|
| 1 | Deploy with `deploy.sh --canary` | **Release Manager** | see [the runbook](runbook.md) |
| 2 | Check the [dashboard](https://grafana.example.com) | (Owner: QA Lead) | |

#### Checklist

- [ ] Announce the deploy — **Release Manager**

## Sign-off

| Item | Responsible |
|------|-------------|
| Sign off the release | Release Manager |
";

const RUNBOOK: &str = "# Runbook\n\n## Rollback\n\n- Revert the deploy\n";

#[test]
fn unseen_shapes_give_items_roles_and_valid_links() {
    let (project, run) = reconcile_texts(&[("playbook.md", SHAPES), ("runbook.md", RUNBOOK)]);
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
    project
        .test(&["check", "--content", "out", "--deny-warnings"])
        .run();
    let all = checklists(&project);
    let titles: Vec<&str> = all.values().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Deployment", "Preparation"], "an H1 per phase");
    let items = items(&project);
    let find = |text: &str| {
        items
            .values()
            .find(|i| i.text == text)
            .unwrap_or_else(|| panic!("{text}: {:#?}", items.values().map(|i| &i.text)))
    };
    // `+` bullets nested two deep keep their parents.
    let freeze = find("Freeze the branch");
    let tag = find("Tag the release candidate");
    assert_eq!(tag.owners, ["qa-lead"]);
    assert_eq!(tag.parent.as_deref(), Some(freeze.id.as_str()));
    assert_eq!(
        find("Push the tag to the mirror").parent.as_deref(),
        Some(tag.id.as_str())
    );
    // Links move with the item into checklists/ and still reach the page.
    find("Update the [runbook](../runbook.md#rollback) before the freeze");
    // "Who" and "Responsible" columns, code and links in cells.
    let deploy = items
        .values()
        .find(|i| i.text.starts_with("Deploy with `deploy.sh --canary`"))
        .unwrap();
    assert_eq!(deploy.owners, ["release-manager"]);
    assert_eq!(
        deploy.id, "deploy-deploy-sh-canary",
        "a note is no part of the id"
    );
    assert!(
        deploy.text.contains("[the runbook](../runbook.md)"),
        "{}",
        deploy.text
    );
    assert_eq!(
        find("Check the [dashboard](https://grafana.example.com)").owners,
        ["qa-lead"]
    );
    assert_eq!(find("Sign off the release").owners, ["release-manager"]);
    assert_eq!(find("Announce the deploy").owners, ["release-manager"]);
    // The roles table gives each role its responsibilities.
    let roles: playbook::checklist::RolesFile =
        serde_norway::from_str(&project.read("out/roles.yaml")).unwrap();
    let duties = |id: &str| {
        roles
            .roles
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.responsibilities.join(" | "))
            .unwrap_or_default()
    };
    assert_eq!(
        duties("release-manager"),
        "Coordinates the release | owns the go/no-go"
    );
    assert_eq!(
        duties("qa-lead"),
        "Runs regression testing | Documents known issues"
    );
}

#[test]
fn sections_align_by_meaning_whichever_copy_is_merged_first() {
    // b holds more items, so it is merged first; a's steps sit under an
    // "Overview" H2 as an H3, and b's extra checks under its roles section.
    let a = "# Guide\n\n## Overview\n\nShip it.\n\n### Deployment Steps\n\n1. Deploy to canary — Release Mgr\n2. Don’t skip the rollback drill\n\n## Roles\n\n- **Release Manager**: coordinates\n";
    let b = "# Guide\n\n## Deployment Checklist\n\n- [ ] Deploy to canary and watch the error budget — **Release Manager**\n- [ ] Don't skip the rollback drill (if time allows)\n- [ ] Page the on-call\n- [ ] Tag the release\n\n## Roles and Responsibilities\n\n### Release Manager\n\n- Coordinates the release\n\n### Deployment Checks\n\n- [ ] Check the version\n";
    let (project, run) = reconcile_texts(&[("a.md", a), ("b.md", b)]);
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
    let all = checklists(&project);
    assert_eq!(all.len(), 1, "{:?}", all.keys());
    let page = project.read("out/guide.md");
    assert_eq!(page.matches("## Roles").count(), 1, "{page}");
    assert!(!page.contains("Deployment Steps"), "{page}");
    let items = items(&project);
    let deploy: Vec<&ChecklistItem> = items
        .values()
        .filter(|i| i.text.contains("canary"))
        .collect();
    assert_eq!(deploy.len(), 1, "{deploy:#?}");
    assert_eq!(
        deploy[0].text,
        "Deploy to canary and watch the error budget"
    );
    assert_eq!(deploy[0].owners, ["release-manager"]);
    assert_eq!(deploy[0].sources, ["b", "a"]);
    let drill = items.values().find(|i| i.text.contains("drill")).unwrap();
    assert_eq!(drill.sources, ["b", "a"], "smart and straight quotes merge");
    assert_eq!(items.len(), 5, "{:#?}", items.keys());
}

#[test]
fn links_to_a_heading_merged_under_another_wording_follow_it() {
    let a = "# Guide\n\n## Roles\n\n- **Release Manager**: coordinates\n\n### Pre-Release Checks\n\n1. Freeze the branch (RM)\n2. Run the regression suite\n3. Tag it\n";
    let b = "# Guide\n\n## Pre-release requirements\n\n- [ ] Freeze the branch and announce it — **Release Manager**\n\n## Deploy\n\nFirst finish the [requirements](#pre-release-requirements), then read the [other guide](other.md#steps-to-follow).\n";
    let other =
        "# Other\n\n## Steps to follow\n\nSee [the requirements](b.md#pre-release-requirements).\n";
    let (project, _) = reconcile_texts(&[("a.md", a), ("b.md", b), ("other.md", other)]);
    project
        .test(&["check", "--content", "out", "--deny-warnings"])
        .run();
    assert!(project
        .read("out/guide.md")
        .contains("[requirements](#pre-release-checks)"));
    assert!(project
        .read("out/other.md")
        .contains("[the requirements](guide.md#pre-release-checks)"));
}

#[test]
fn owners_in_headings_roles_without_bold_and_handles_or_code_in_cells() {
    let guide = "# Guide

## Roles

- **Release Manager** — coordinates the release
- **QA Lead** – tests the build
- SRE: runs production

## Deployment Checklist (Owner: SRE)

- [ ] Deploy the canary
- [ ] Watch the graphs — QA Lead

## Verification Steps

| Step | Responsible |
|------|-------------|
| Verify the build | SRE, QA Lead |
| Page on-call | @sre |
| Close the ticket | `release-bot` |
";
    let (project, run) = reconcile_texts(&[("guide.md", guide)]);
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
    let all = checklists(&project);
    let titles: Vec<&str> = all.values().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Deployment Checklist", "Verification Steps"]);
    let items = items(&project);
    let owners = |key: &str| {
        items
            .get(key)
            .map(|i| i.owners.join(" "))
            .unwrap_or_else(|| panic!("{key}: {:#?}", items.keys()))
    };
    assert_eq!(owners("deployment-checklist/deploy-canary"), "sre");
    assert_eq!(owners("deployment-checklist/watch-graphs"), "qa-lead");
    assert_eq!(owners("verification-steps/verify-build"), "sre qa-lead");
    assert_eq!(owners("verification-steps/page-on-call"), "sre");
    assert_eq!(owners("verification-steps/close-ticket"), "release-bot");
    let roles: playbook::checklist::RolesFile =
        serde_norway::from_str(&project.read("out/roles.yaml")).unwrap();
    let found: Vec<(String, String)> = roles
        .roles
        .iter()
        .map(|r| (r.name.clone(), r.responsibilities.join(" | ")))
        .collect();
    assert_eq!(
        found,
        [
            ("QA Lead".to_string(), "tests the build".to_string()),
            ("release-bot".to_string(), String::new()),
            (
                "Release Manager".to_string(),
                "coordinates the release".to_string()
            ),
            ("SRE".to_string(), "runs production".to_string()),
        ]
    );
}

#[test]
fn an_h1_per_phase_keeps_each_phase_and_its_own_checklist() {
    let phases = "# Phase 1: Prepare\n\n## Checklist\n\n- [ ] Freeze the branch — **Release Manager**\n\n# Phase 2: Deploy\n\n## Checklist\n\n- [ ] Deploy the canary — **SRE**\n\n# Phase 3: Verify\n\n## Steps\n\n1. Watch the graphs — **SRE**\n";
    // Another team's copy: a title, then a phase per H2.
    let titled = "# Release\n\n## Phase 2: Deploy\n\n### Checklist\n\n- [ ] Deploy the canary\n- [ ] Announce it\n";
    let (project, run) = reconcile_texts(&[("release.md", phases), ("other.md", titled)]);
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
    assert!(
        run.stderr.contains("reconciled 2 copies into 1 documents"),
        "one document: {}",
        run.stderr
    );
    let items = items(&project);
    let keys: Vec<&str> = items.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        // Ids without the phase's number (runs refer to them, and phases
        // get renumbered); the titles keep it.
        [
            "deploy/announce",
            "deploy/deploy-canary",
            "prepare/freeze-branch",
            "verify/watch-graphs"
        ]
    );
    let mut titles: Vec<String> = checklists(&project)
        .into_values()
        .map(|c| c.title)
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        ["Phase 1: Prepare", "Phase 2: Deploy", "Phase 3: Verify"]
    );
    assert_eq!(items["deploy/deploy-canary"].sources, ["release", "other"]);
    let page = project.read("out/release.md");
    let headings: Vec<&str> = page.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            "# Release",
            "## Phase 1: Prepare",
            "### Checklist",
            "## Phase 2: Deploy",
            "### Checklist",
            "## Phase 3: Verify",
            "### Steps"
        ]
    );
}

#[test]
fn an_owner_label_names_roles_only_and_an_abbreviation_in_it_is_an_alias() {
    let guide = "# G\n\n## Checklist\n\n- [ ] Email the Owner: tell them the date\n- [ ] Ship it Owner: RM\n- [ ] Owner: Release Manager — Sign off\n";
    let (project, run) = reconcile_texts(&[("g.md", guide)]);
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
    let items = items(&project);
    let owners = |key: &str| items[key].owners.join(" ");
    assert_eq!(owners("checklist/email-owner-tell-them-date"), "");
    assert_eq!(owners("checklist/ship"), "release-manager");
    assert_eq!(owners("checklist/sign-off"), "release-manager");
    let roles: playbook::checklist::RolesFile =
        serde_norway::from_str(&project.read("out/roles.yaml")).unwrap();
    assert_eq!(roles.roles.len(), 1, "{:#?}", roles.roles);
    assert_eq!(roles.roles[0].aliases, ["RM"]);
}

#[test]
fn a_link_to_a_heading_that_lost_its_owner_notation_follows_it() {
    let guide = "# G\n\n## Deployment Checklist (Owner: SRE)\n\n- [ ] Deploy the canary\n\n## Notes\n\nSee the [checklist](#deployment-checklist-owner-sre).\n";
    let (project, _) = reconcile_texts(&[("g.md", guide)]);
    project
        .test(&["check", "--content", "out", "--deny-warnings"])
        .run();
    assert!(project
        .read("out/g.md")
        .contains("[checklist](#deployment-checklist)"));
}

#[test]
fn a_copy_pasted_from_a_word_processor_gives_the_same_checklist_as_markdown() {
    // The same steps as Markdown tasks, as boxes a word processor or a form
    // pastes (one line each, no list marker), and as list items with boxes
    // Markdown does not read (☐, `[]`, a no-break space after `[ ]`).
    let markdown = "# Guide\n\n## Before the release\n\n- [ ] Freeze the branch\n- [x] Run the regression suite\n- [ ] Draft the release notes\n";
    let pasted = "# Guide\n\n## Before the release\n\n☐ Freeze the branch  \n☑ Run the regression suite  \n☐ Draft the release notes\n";
    let listed = "# Guide\n\n## Before the release\n\n- ☐ Freeze the branch\n- [✓] Run the regression suite\n- [ ]\u{a0}Draft the release notes\n";
    let mut found = Vec::new();
    for text in [markdown, pasted, listed] {
        let (project, run) = reconcile_texts(&[("guide.md", text)]);
        assert!(
            run.stdout.contains("items lost: 0") || run.stderr.contains("items lost: 0"),
            "{}",
            run.stderr
        );
        let steps: Vec<(String, String)> = items(&project)
            .into_iter()
            .map(|(key, item)| (key, item.text))
            .collect();
        let page = project.read("out/guide.md");
        assert!(
            !page.contains('☐') && !page.contains("[]"),
            "no box is left in the page: {page}"
        );
        found.push(steps);
    }
    assert_eq!(found[0].len(), 3, "{:?}", found[0]);
    assert_eq!(found[1], found[0], "pasted boxes");
    assert_eq!(found[2], found[0], "boxes in a list");
}

#[test]
fn decorated_and_counted_headings_align_with_plain_ones() {
    let plain = "# Guide\n\n## Pre-release Checklist\n\n### Quality (T-24 hours)\n\n- [ ] Run the regression suite\n- [ ] Scan dependencies\n";
    let decorated = "# Guide\n\n## Step 2: Pre-release Checklist:\n\n### **Quality (T-24 hours):**\n\n- [ ] Run the regression suite\n- [ ] Scan dependencies\n- [ ] Sign off the test report\n";
    // Heading attributes and HTML anchors are the page's, not its words.
    let with_ids = "# Guide\n\n## <a name=\"pre\"></a>Pre-release Checklist {#pre}\n\n### Quality (T-24 hours) {#quality .wide}\n\n- [ ] Run the regression suite\n";
    let (project, run) =
        reconcile_texts(&[("a.md", plain), ("b.md", decorated), ("c.md", with_ids)]);
    assert!(
        !run.stderr.contains("matched by their steps"),
        "{}",
        run.stderr
    );
    let all = checklists(&project);
    assert_eq!(all.len(), 1, "one checklist: {:?}", all.keys());
    let checklist = all.values().next().unwrap();
    let groups: Vec<(&str, Vec<&str>)> = checklist
        .groups
        .iter()
        .map(|g| {
            (
                g.title.as_str(),
                g.items.iter().map(|i| i.text.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [(
            "Quality",
            vec![
                "Run the regression suite",
                "Scan dependencies",
                "Sign off the test report"
            ]
        )]
    );
}

#[test]
fn a_section_renamed_in_one_copy_is_found_by_the_steps_it_shares() {
    let a = "# Guide\n\nSee [the test steps](#quality-assurance).\n\n## Pre-release Checklist\n\n### Quality Assurance\n\n- [ ] Run the regression suite\n- [ ] Scan dependencies for vulnerabilities\n- [ ] Record the test results\n\n### Documentation\n\n- [ ] Draft the release notes\n- [ ] Update the user guide\n";
    // The richer copy: its headings are kept.
    let b = "# Guide\n\n## Pre-release Checklist\n\n### QA\n\n- [ ] Run the regression suite\n- [ ] Scan dependencies for vulnerabilities\n- [ ] Record the test results\n- [ ] Sign off the test report\n\n### Writing\n\n- [ ] Update the user guide\n- [ ] Brief the support team\n- [ ] Translate the release notes\n";
    let (project, run) = reconcile_texts(&[("a.md", a), ("b.md", b)]);
    let all = checklists(&project);
    assert_eq!(all.len(), 1, "{:?}", all.keys());
    let groups: Vec<(&str, usize)> = all
        .values()
        .next()
        .unwrap()
        .groups
        .iter()
        .map(|g| (g.title.as_str(), g.items.len()))
        .collect();
    // "Quality Assurance" shares all three of its steps with "QA": the same
    // section. "Documentation" shares one of two with "Writing": its own.
    assert_eq!(groups, [("QA", 4), ("Documentation", 2), ("Writing", 3)]);
    assert!(
        run.stderr.contains("sections matched by their steps, not their headings: 1\n  QA ← Quality Assurance (a.md)\n"),
        "{}",
        run.stderr
    );
    let report = project.read("r.md");
    assert!(
        report.contains("- QA ← Quality Assurance (a.md)\n"),
        "{report}"
    );
    // "Update the user guide": a's Documentation, b's Writing: kept in both, flagged.
    assert!(
        report.contains("## Needs a decision (1)\n\n- [ ] Pre-release Checklist — a step filed under two groups, \"Documentation\" and \"Writing\" (kept in both)\n  - kept (a.md): Update the user guide\n  - other (b.md): Update the user guide\n"),
        "{report}"
    );
    let page = project.read("out/guide.md");
    assert!(
        page.contains("(#qa)") && !page.contains("#quality-assurance"),
        "the link follows its section: {page}"
    );
}

/// A guide of one section of three steps for each of `sections`, under `title`.
fn guide(title: &str, sections: &[&str]) -> String {
    let mut text = format!("# {title}\n\n");
    for name in sections {
        text.push_str(&format!(
            "## {name}\n\n- [ ] Agree the {name} scope\n- [ ] Review the {name} results with the team\n- [ ] Archive the {name} evidence\n\n"
        ));
    }
    text
}

#[test]
fn a_retitled_copy_is_the_same_document_and_a_different_document_is_not() {
    let shared = ["Planning", "Testing", "Staging", "Deployment", "Monitoring"];
    let original = guide("OctoAcme Release Guide", &shared);
    let mut six = shared.to_vec();
    six.push("Retrospective");
    let retitled = guide("Release Guide v2 (Team B)", &six);
    // No title word shared, but everything else: the same document.
    let renamed = guide("How We Ship", &shared);
    // Title words shared, two sections in five: another document.
    let checklist = guide(
        "OctoAcme Release Checklist",
        &["Planning", "Testing", "Approvals", "Budget", "Hiring"],
    );
    // Three sections and steps in five shared, as a retitled copy must, but
    // no title word: another document.
    let handbook = guide(
        "Hiring Handbook",
        &["Planning", "Testing", "Staging", "Onboarding", "Payroll"],
    );
    let (project, run) = reconcile_texts(&[
        ("a.md", &original),
        ("b.md", &retitled),
        ("c.md", &renamed),
        ("d.md", &checklist),
        ("e.md", &handbook),
    ]);
    assert!(
        run.stderr.contains("reconciled 5 copies into 3 documents"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "copies titled otherwise, one document by what they hold: 2\n  Release Guide v2 (Team B) ← How We Ship (c.md)\n  Release Guide v2 (Team B) ← OctoAcme Release Guide (a.md)\n"
        ),
        "{}",
        run.stderr
    );
    // b is the richest copy: its title and its sixth section are kept.
    let page = project.read("out/release-guide-v2-team-b.md");
    assert!(page.contains("## Retrospective"), "{page}");
    let steps: Vec<String> = checklists(&project)
        .values()
        .flat_map(|c| {
            c.groups
                .iter()
                .flat_map(|g| g.items.iter().map(|i| i.text.clone()))
        })
        .collect();
    // The guide's 18 steps once each; the checklist's and the handbook's 15
    // each, the 6 and 9 they share with the guide as references (no text).
    let testing = steps.iter().filter(|s| *s == "Agree the Testing scope");
    assert_eq!(testing.count(), 1, "{steps:?}");
    assert_eq!(steps.len(), 18 + 15 + 15, "{steps:?}");
    assert_eq!(
        steps.iter().filter(|s| s.is_empty()).count(),
        6 + 9,
        "{steps:?}"
    );
}

#[test]
fn owner_tags_before_after_or_with_a_colon_name_known_roles_only() {
    let a = "# Guide\n\n## Roles\n\n- **QA**: tests every release\n\n## Release Checklist\n\n- [ ] [QA] Run the regression suite\n- [ ] Record the results [QA]\n- [ ] QA: Sign off the test report\n- [ ] Note: keep the logs for a year\n- [ ] [WIP] Draft the rollback drill\n";
    let (project, run) = reconcile_texts(&[("a.md", a)]);
    let items = items(&project);
    let found: Vec<(&str, Vec<&str>)> = items
        .values()
        .map(|i| {
            (
                i.text.as_str(),
                i.owners.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        found,
        // By item id.
        [
            ("Note: keep the logs for a year", vec![]),
            ("Record the results", vec!["qa"]),
            ("Run the regression suite", vec!["qa"]),
            ("Sign off the test report", vec!["qa"]),
            ("[WIP] Draft the rollback drill", vec![]),
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn a_copy_with_toml_front_matter_gives_its_title_and_yaml_front_matter() {
    let zola = "+++\ntitle = \"Release Guide\"\nweight = 4\ndate = 2024-05-01\n+++\n\n## Release Checklist\n\n- [ ] Tag the release\n";
    let (project, run) = reconcile_texts(&[("zola.md", zola)]);
    let page = project.read("out/zola.md");
    assert!(!page.contains("+++"), "{page}");
    assert!(
        page.starts_with("---\ntitle: \"Release Guide\"\n"),
        "{page}"
    );
    assert!(
        page.contains("weight: 4") && page.contains("date: 2024-05-01"),
        "{page}"
    );
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
}

#[test]
fn a_copy_titled_in_front_matter_keeps_its_own_h1_as_the_pages_heading() {
    let copy = "---\ntitle: Release Guide (Team B)\n---\n# OctoAcme Release Guide\n\n## Release Checklist\n\n- [ ] Tag the release\n";
    let (project, run) = reconcile_texts(&[("b.md", copy)]);
    let page = project.read("out/b.md");
    assert!(
        page.starts_with("---\ntitle: \"Release Guide (Team B)\"\n"),
        "{page}"
    );
    assert!(page.contains("\n# OctoAcme Release Guide\n"), "{page}");
    assert_eq!(
        page.matches("OctoAcme Release Guide").count(),
        1,
        "not again as a section: {page}"
    );
    assert!(run.stderr.contains("items lost: 0"), "{}", run.stderr);
}
