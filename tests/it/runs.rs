//! `playbook run`: a release run kept as a file. Start, tick, skip, reopen
//! and the status gate per selection; import from a task list; export as
//! evidence; two processes ticking at once; malformed and hostile input;
//! `check`'s drift warnings and `run sync`.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{Project, Test};

const NOW: &str = "2026-12-06T09:00:00Z";
const RUN: &str = "content/runs/2.4.0.yaml";

const ROLES: &str = "roles:\n- id: rm\n  name: Release Manager\n- id: qa\n  name: QA Engineer\n  aliases: [QA Specialist]\n- id: sre\n  name: SRE\n";

const CHECKLIST: &str = r#"id: release
title: Release
groups:
- id: planning
  title: Planning
  phase: planning
  items:
  - id: version-confirmed
    text: Release version and date confirmed
    owners: [rm]
- id: testing
  title: Testing
  phase: pre-release
  items:
  - id: regression
    text: Regression tests pass
    owners: [qa]
  - id: performance
    text: Performance testing passed
    owners: [QA Specialist]
    types: [major]
  - id: security-scan
    text: Security scan clean
    owners: [sre, qa]
  - id: docs
    text: Docs reviewed
    owners: [rm]
    optional: true
- id: deploy
  title: Deploy
  phase: deployment
  items:
  - id: deploy-prod
    text: Deploy to production
    owners: [sre]
  - id: smoke
    text: 'Smoke tests pass: "yes" # really <script>alert(1)</script>'
    owners: [sre]
"#;

fn project() -> Project {
    Project::empty()
        .file(
            "content/index.md",
            "# Home\n\n[Release](checklists/release.yaml)\n",
        )
        .file("content/roles.yaml", ROLES)
        .file("content/checklists/release.yaml", CHECKLIST)
}

/// `playbook run ARGS` at the fixed time `NOW`.
fn run(project: &Project, args: &[&str]) -> Test {
    project.test(&["run"]).args(args).env("PLAYBOOK_NOW", NOW)
}

fn started() -> Project {
    let project = project();
    run(
        &project,
        &["start", "2.4.0", "--type", "major", "--by", "Dana"],
    )
    .stdout("started content/runs/2.4.0.yaml: 7 items for a major release (6 required)\n")
    .run();
    project
}

#[test]
fn start_writes_one_line_per_item_and_refuses_an_existing_run() {
    let project = started();
    let text = project.read(RUN);
    insta::assert_snapshot!("run_file_started", text);
    run(&project, &["start", "2.4.0", "--by", "Kim"])
        .status(2)
        .stderr("error: the run file content/runs/2.4.0.yaml exists already; nothing was written\nhelp: tick its items with `playbook run tick 2.4.0 ITEM --by NAME`, or remove the file to start again\n")
        .run();
    assert_eq!(project.read(RUN), text, "left as it was");
    // A patch release has no major-only item; the date defaults to today (UTC).
    run(
        &project,
        &["start", "2.4.1", "--type", "patch", "--by", "Dana"],
    )
    .run();
    let patch = project.read("content/runs/2.4.1.yaml");
    assert!(!patch.contains("release/performance"), "{patch}");
    assert!(patch.contains("\ndate: 2026-12-06\n"), "{patch}");
    // Without --by, $USER starts it.
    run(&project, &["start", "2.5.0"])
        .env("USER", "ci-bot")
        .run();
    assert!(project
        .read("content/runs/2.5.0.yaml")
        .contains("started_by: ci-bot\n"));
}

#[test]
fn a_tick_is_a_one_line_diff() {
    let project = started();
    let before = project.read(RUN);
    run(
        &project,
        &[
            "tick",
            "2.4.0",
            "regression",
            "--by",
            "Sam",
            "--note",
            "CI run #812",
        ],
    )
    .stdout("release/regression: done\n")
    .run();
    let after = project.read(RUN);
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(
        changed,
        [(
            "- {id: release/regression, group: testing, phase: pre-release, owners: [qa], state: open, text: Regression tests pass}",
            "- {id: release/regression, group: testing, phase: pre-release, owners: [qa], state: done, by: Sam, at: 2026-12-06T09:00:00Z, note: \"CI run #812\", text: Regression tests pass}"
        )]
    );
}

/// The exit status of `run status 2.4.0` with `selection`.
fn gate(project: &Project, selection: &[&str]) -> i32 {
    let mut command = Command::new(env!("CARGO_BIN_EXE_playbook"));
    command
        .args(["run", "status", "2.4.0"])
        .args(selection)
        .current_dir(project.root());
    command.output().expect("runs").status.code().unwrap_or(-1)
}

#[test]
fn the_gate_follows_each_selection_through_tick_skip_and_reopen() {
    let project = started();
    let pre = ["--phase", "pre-release"];
    assert_eq!(gate(&project, &pre), 1);
    run(
        &project,
        &["tick", "2.4.0", "regression", "performance", "--by", "Sam"],
    )
    .run();
    assert_eq!(gate(&project, &pre), 1, "the security scan is open");
    assert_eq!(
        gate(
            &project,
            &["--role", "QA Specialist", "--phase", "pre-release"]
        ),
        1
    );
    run(
        &project,
        &[
            "skip",
            "2.4.0",
            "security scan",
            "--reason",
            "scanner down; manual review done",
            "--by",
            "Kim",
        ],
    )
    .stdout("release/security-scan: skipped\n")
    .run();
    assert_eq!(gate(&project, &pre), 0, "the open docs review is optional");
    assert_eq!(gate(&project, &["--role", "qa"]), 0);
    assert_eq!(gate(&project, &["--role", "sre"]), 1, "deployment is open");
    assert_eq!(
        gate(&project, &["--role", "sre", "--phase", "pre-release"]),
        0
    );
    assert_eq!(gate(&project, &[]), 1);
    run(&project, &["reopen", "2.4.0", "release/regression"])
        .stdout("release/regression: open (was done by Sam at 2026-12-06T09:00:00Z)\n")
        .run();
    assert_eq!(gate(&project, &pre), 1);
    run(&project, &["reopen", "2.4.0", "release/regression"])
        .stdout("release/regression: already open\n")
        .run();
    run(
        &project,
        &[
            "tick",
            "2.4.0",
            "regression",
            "version",
            "deploy",
            "smoke",
            "--by",
            "Sam",
        ],
    )
    .run();
    run(
        &project,
        &["skip", "2.4.0", "docs", "--not-applicable", "--by", "Dana"],
    )
    .run();
    assert_eq!(gate(&project, &[]), 0);
    // An unknown role or phase is a usage error, not a failed gate.
    assert_eq!(gate(&project, &["--role", "chef"]), 2);
    assert_eq!(gate(&project, &["--phase", "someday"]), 2);
}

#[test]
fn status_formats() {
    let project = started();
    run(&project, &["tick", "2.4.0", "regression", "--by", "Sam"]).run();
    let human = run(&project, &["status", "2.4.0", "--phase", "pre-release"])
        .status(1)
        .run()
        .stdout;
    insta::assert_snapshot!("run_status_human", human);
    let md = run(
        &project,
        &["status", "2.4.0", "--role", "qa", "--format", "md"],
    )
    .status(1)
    .run()
    .stdout;
    insta::assert_snapshot!("run_status_md", md);
    let github = run(
        &project,
        &[
            "status",
            "2.4.0",
            "--phase",
            "deployment",
            "--format",
            "github",
        ],
    )
    .status(1)
    .run()
    .stdout;
    insta::assert_snapshot!("run_status_github", github);
    let json = run(&project, &["status", "2.4.0", "--format", "json"])
        .status(1)
        .run()
        .stdout;
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(value["passes"], false);
    assert_eq!(value["overall"]["open_required"], 5);
    assert_eq!(
        value["items"][0]["id"], "release/version-confirmed",
        "open required first"
    );
}

#[test]
fn items_are_named_by_id_item_id_or_text_and_others_list_candidates() {
    let project = started();
    let before = project.read(RUN);
    run(&project, &["tick", "2.4.0", "regression", "release/smok", "--by", "Sam"])
        .status(2)
        .stderr("error: no item of the run is `release/smok`, nor has it as its item id or as the start of its text\nhelp: the closest:\n  release/smoke\n")
        .run();
    assert_eq!(
        project.read(RUN),
        before,
        "nothing is written when one item is unknown"
    );
    run(&project, &["tick", "2.4.0", "re", "--by", "Sam"])
        .status(2)
        .stderr("error: `re` matches 2 items; give one by its id\nhelp: they are:\n  release/version-confirmed\n  release/regression\n")
        .run();
    run(&project, &["tick", "2.4.0", "SMOKE TESTS", "--by", "Sam"])
        .stdout("release/smoke: done\n")
        .run();
    run(&project, &["tick", "2.4.0", "smoke", "--by", "Kim"])
        .stdout("release/smoke: already done by Sam\n")
        .run();
}

#[test]
fn import_records_ticked_lines_of_a_github_task_list() {
    let project = started();
    let issue = project
        .test(&["checklist", "--role", "all", "--type", "major"])
        .run()
        .stdout;
    assert!(issue.contains("<!-- id: release/regression -->"), "{issue}");
    let mut ticked: String = issue
        .lines()
        .map(|line| {
            if line.contains("release/regression") || line.contains("release/performance") {
                line.replacen("- [ ]", "- [x]", 1)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    ticked.push_str("\n\n## Added by hand\n- [x] Deploy to production — done from the runbook\n- [X] Feed the cat\n* [x] Renamed <!-- id: release/gone -->\n- [ ] Smoke tests pass\n");
    let project = project.file("issue.md", &ticked);
    let out = run(&project, &["import", "2.4.0", "issue.md", "--by", "Sam"])
        .stdout("release/regression: done\nrelease/performance: done\nrelease/deploy-prod: done\n3 item(s) ticked from issue.md\n")
        .run();
    let lines = ticked.lines().count();
    assert_eq!(
        out.stderr,
        format!("warning: issue.md:{}: `Feed the cat` was not recorded: its text matches no item of the run\nwarning: issue.md:{}: `Renamed` was not recorded: the id `release/gone` is not in the run\n", lines - 2, lines - 1)
    );
    assert_eq!(
        gate(&project, &["--role", "qa", "--phase", "pre-release"]),
        1
    );
    // Importing again changes nothing.
    let file = project.read(RUN);
    run(&project, &["import", "2.4.0", "issue.md", "--by", "Kim"]).run();
    assert_eq!(project.read(RUN), file);
}

/// A task list as other tools and editors save it: UTF-16 with a BOM and
/// CRLF (Windows Notepad), numbered and quoted items, and an example in
/// fenced code that must not count.
#[test]
fn import_reads_utf16_crlf_numbered_quoted_and_skips_fenced_examples() {
    let project = started();
    let list = "## Release 2.4.0\r\n1. [x] Regression <!-- id: release/regression -->\r\n> 2) [X] Performance testing passed\r\n```md\r\n- [x] Deploy to production <!-- id: release/deploy-prod -->\r\n```\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in list.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let project = project.file("issue.md", bytes);
    run(&project, &["import", "2.4.0", "issue.md", "--by", "Sam"])
        .stdout(
            "release/regression: done\nrelease/performance: done\n2 item(s) ticked from issue.md\n",
        )
        .stderr("")
        .run();
    let file = project.read(RUN);
    let deploy = file
        .lines()
        .find(|l| l.contains("id: release/deploy-prod,"))
        .expect("the deploy item");
    assert!(
        deploy.contains("state: open"),
        "the fenced example is not a tick: {deploy}"
    );
}

#[test]
fn export_gives_the_evidence_as_markdown_and_json() {
    let project = started();
    run(&project, &["tick", "2.4.0", "version", "--by", "Dana"])
        .env("PLAYBOOK_NOW", "2026-12-06T09:05:00Z")
        .run();
    run(
        &project,
        &["tick", "2.4.0", "regression", "performance", "--by", "Sam"],
    )
    .env("PLAYBOOK_NOW", "2026-12-06T10:00:00Z")
    .run();
    run(
        &project,
        &[
            "skip",
            "2.4.0",
            "security-scan",
            "--reason",
            "scanner down | see <INC-7>",
            "--by",
            "Kim",
        ],
    )
    .env("PLAYBOOK_NOW", "2026-12-06T10:30:00Z")
    .run();
    run(
        &project,
        &["skip", "2.4.0", "docs", "--not-applicable", "--by", "Dana"],
    )
    .env("PLAYBOOK_NOW", "2026-12-06T11:00:00Z")
    .run();
    let md = run(&project, &["export", "2.4.0"]).run().stdout;
    insta::assert_snapshot!("run_export_md", md);
    let json = run(&project, &["export", "2.4.0", "--format", "json"])
        .run()
        .stdout;
    insta::assert_snapshot!("run_export_json", json);
    // The evidence reads back: its ticked lines are the done items.
    let project = project.file("evidence.md", &md);
    run(&project, &["reopen", "2.4.0", "regression"]).run();
    run(
        &project,
        &["import", "2.4.0", "evidence.md", "--by", "Audit"],
    )
    .stdout("release/regression: done\n1 item(s) ticked from evidence.md\n")
    .run();
}

#[test]
fn two_processes_ticking_at_once_both_land() {
    let mut checklist =
        String::from("id: big\ntitle: Big\ngroups:\n- id: g\n  title: G\n  items:\n");
    const ROUNDS: usize = 12;
    for i in 0..ROUNDS * 2 {
        checklist.push_str(&format!("  - id: item-{i}\n    text: Item number {i}\n"));
    }
    let project = Project::empty()
        .file("content/index.md", "# Home\n")
        .file("content/checklists/big.yaml", checklist);
    run(&project, &["start", "1.0.0", "--by", "Dana"]).run();
    for round in 0..ROUNDS {
        let spawn = |i: usize| {
            Command::new(env!("CARGO_BIN_EXE_playbook"))
                .args([
                    "run",
                    "tick",
                    "1.0.0",
                    &format!("big/item-{i}"),
                    "--by",
                    &format!("p{i}"),
                ])
                .current_dir(project.root())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawns")
        };
        let (a, b) = (spawn(round * 2), spawn(round * 2 + 1));
        for child in [a, b] {
            let out = child.wait_with_output().expect("waits");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let text = project.read("content/runs/1.0.0.yaml");
        for i in [round * 2, round * 2 + 1] {
            assert!(
                text.contains(&format!(
                    "id: big/item-{i}, group: g, phase: pre-release, state: done, by: p{i},"
                )),
                "round {round}: item {i} lost\n{text}"
            );
        }
    }
    let leftovers: Vec<String> = std::fs::read_dir(project.path("content/runs"))
        .expect("runs")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, ["1.0.0.yaml"], "no lock or staging file left");
}

#[test]
fn a_malformed_run_file_gives_file_line_col() {
    let project = started();
    let text = project.read(RUN).replace(
        "release/regression, group: testing, phase: pre-release, owners: [qa], state: open",
        "release/regression, group: testing, phase: pre-release, owners: [qa], state: skipped, by: Sam, at: 2026-12-06T09:00:00Z",
    );
    let project = project.file(RUN, &text);
    for args in [
        vec!["run", "tick", "2.4.0", "docs", "--by", "Sam"],
        vec!["check"],
        vec!["build"],
    ] {
        let out = project.test(&args).status(1).run();
        assert!(
            out.stderr.contains("error[run-file]: the item `release/regression` is skipped without a reason\n   ┌─ content/runs/2.4.0.yaml:10:85\n"),
            "{args:?}\n{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("help: add `reason: ...` saying why"),
            "{}",
            out.stderr
        );
    }
    let project = project.file(RUN, text.replace("type: major", "type: huge"));
    let out = run(&project, &["status", "2.4.0"]).status(1).run();
    assert!(
        out.stderr.contains("content/runs/2.4.0.yaml:4:7"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("unknown variant `huge`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_broken_run_file_stops_only_the_commands_that_read_it() {
    // One team's run file is broken (bad YAML, then a wrong type): the
    // next release's run still starts, ticks, reports and syncs.
    for broken in ["version: 2.4.0\nitems: [\n", "version: 2.4.0\ntype: huge\n"] {
        let project = started().file(RUN, broken);
        run(
            &project,
            &["start", "2.5.0", "--type", "minor", "--by", "Kim"],
        )
        .run();
        run(&project, &["tick", "2.5.0", "regression", "--by", "Kim"])
            .stdout("release/regression: done\n")
            .run();
        let status = run(&project, &["status", "2.5.0"]).status(1).run();
        assert!(
            status.stdout.contains("1 of 6 items closed (1 done"),
            "{}",
            status.stdout
        );
        run(&project, &["sync", "2.5.0"])
            .stdout("content/runs/2.5.0.yaml is up to date with the playbook\n")
            .run();
        // What reads the broken file still says where it is broken.
        for args in [vec!["run", "status", "2.4.0"], vec!["check"], vec!["build"]] {
            let out = project.test(&args).status(1).run();
            assert!(
                out.stderr.contains("content/runs/2.4.0.yaml:"),
                "{args:?}\n{}",
                out.stderr
            );
        }
    }
}

#[test]
fn hostile_names_notes_and_versions() {
    let project = started();
    let name = "Zoë \"<img src=x onerror=alert(1)>\" #1: yes";
    let note = "line one\nline two\u{202E} -- ] } # &x";
    run(
        &project,
        &["tick", "2.4.0", "smoke", "--by", name, "--note", note],
    )
    .run();
    let text = project.read(RUN);
    let line = text
        .lines()
        .find(|l| l.contains("release/smoke"))
        .expect("line");
    assert!(
        line.contains(r#"by: "Zoë \"<img src=x onerror=alert(1)>\" #1: yes""#),
        "{line}"
    );
    assert!(
        line.contains(r#"note: "line one\nline two\u202E -- ] } # &x""#),
        "{line}"
    );
    assert!(
        line.contains(r#"text: "Smoke tests pass: \"yes\" # really <script>alert(1)</script>""#),
        "{line}"
    );
    let json = run(&project, &["export", "2.4.0", "--format", "json"])
        .run()
        .stdout;
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let smoke = value["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == "release/smoke")
        .expect("smoke");
    assert_eq!(
        (smoke["by"].as_str(), smoke["note"].as_str()),
        (Some(name), Some(note)),
        "kept exactly"
    );
    let md = run(&project, &["export", "2.4.0"]).run().stdout;
    assert!(
        md.contains(r#"by Zoë "\<img src=x onerror=alert(1)\>" \#1: yes"#),
        "{md}"
    );
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&md));
    assert!(
        !html.contains("<img") && !html.contains("<script"),
        "nothing becomes HTML: {html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    // A name on several lines, or a version that is a path, is refused; nothing is written.
    let sentinel = project.path("content/sentinel.yaml");
    std::fs::write(&sentinel, "keep: me\n").expect("sentinel");
    run(&project, &["tick", "2.4.0", "docs", "--by", "Eve\nadmin"])
        .status(2)
        .run();
    for version in [
        "../sentinel",
        "2.4.0/../../sentinel",
        "v2.4.0",
        "2.4",
        "2.4.0\u{7}",
    ] {
        let out = run(&project, &["start", version, "--by", "Eve"])
            .status(2)
            .run();
        assert!(
            out.stderr.contains("VERSION"),
            "{version:?}: {}",
            out.stderr
        );
    }
    assert_eq!(
        std::fs::read_to_string(&sentinel).expect("kept"),
        "keep: me\n"
    );
    assert_eq!(gate(&project, &["--role", "qa"]), 1);
}

#[test]
fn check_warns_about_drift_and_sync_brings_the_run_up_to_date() {
    let project = started();
    run(&project, &["tick", "2.4.0", "regression", "--by", "Sam"]).run();
    let changed = CHECKLIST
        .replace(
            "  - id: regression\n    text: Regression tests pass",
            "  - id: regression-suite\n    text: Regression suite passes",
        )
        .replace(
            "  - id: docs\n",
            "  - id: changelog\n    text: Changelog written\n    owners: [rm]\n  - id: docs\n",
        )
        .replace("id: deploy-prod", "id: deploy-production");
    let project = project.file("content/checklists/release.yaml", changed);
    let out = project.test(&["check"]).run();
    assert!(out.stderr.contains("warning[run-drift]: the run's open item `release/deploy-prod` is no longer in the playbook"), "{}", out.stderr);
    assert!(out.stderr.contains("warning[run-drift]: the playbook has 3 item(s) for a major release that this run lacks: release/regression-suite, release/changelog, release/deploy-production"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("help: `playbook run sync 2.4.0` adds them, open"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("`release/regression`"),
        "a done item stays, as the record: {}",
        out.stderr
    );
    run(&project, &["sync", "2.4.0"])
        .stdout("release/regression-suite: added\nrelease/changelog: added\nrelease/deploy-production: added\nrelease/deploy-prod: removed (no longer in the playbook)\n")
        .run();
    project
        .test(&["check"])
        .stderr("0 errors, 0 warnings\n")
        .run();
    let ids: Vec<String> = project
        .read(RUN)
        .lines()
        .filter_map(|l| {
            l.strip_prefix("- {id: ")
                .and_then(|l| l.split(',').next())
                .map(String::from)
        })
        .collect();
    assert_eq!(
        ids,
        [
            "release/version-confirmed",
            "release/regression-suite",
            "release/performance",
            "release/security-scan",
            "release/changelog",
            "release/docs",
            "release/deploy-production",
            "release/smoke",
            "release/regression"
        ]
    );
    run(&project, &["sync", "2.4.0"])
        .stdout("content/runs/2.4.0.yaml is up to date with the playbook\n")
        .run();
}

#[test]
fn run_files_are_neither_template_data_nor_published() {
    let project = started().file("playbook.yaml", "runs_dir: releases/runs\n");
    run(&project, &["start", "3.0.0", "--by", "Dana"]).run();
    assert!(project.path("content/releases/runs/3.0.0.yaml").is_file());
    // The old folder is plain data now, and still builds.
    project.build();
    let mut published = Vec::new();
    for entry in walk(&project.path("site")) {
        // The site's pages of the runs (runs_site.rs) and their script are not the files.
        let page = entry.ends_with(".html") || entry.ends_with("theme/runs.js");
        if (entry.contains("runs") && !page) || entry.ends_with(".yaml") {
            published.push(entry);
        }
    }
    assert!(published.is_empty(), "{published:?}");
    // Only the runs of the configured folder have pages.
    assert!(project.path("site/runs/3.0.0/index.html").is_file());
    assert!(!project.path("site/runs/2.4.0").exists());
    let project = project.file("playbook.yaml", "runs_dir: ../elsewhere\n");
    project
        .test(&["run", "status", "3.0.0"])
        .status(2)
        .stderr("error: runs_dir `../elsewhere` in playbook.yaml is not a folder inside the content folder; write a relative path like `runs` (not absolute, no `..`, not hidden, not under `checklists`)\n")
        .run();
}

fn walk(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path.to_string_lossy().into_owned());
        }
    }
    found
}

#[test]
fn a_started_run_validates_against_its_schema() {
    let project = started();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/run.schema.json"),
        )
        .expect("schema"),
    )
    .expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("compiles");
    run(
        &project,
        &["skip", "2.4.0", "docs", "--reason", "none", "--by", "D"],
    )
    .run();
    let value: serde_json::Value = serde_norway::from_str(&project.read(RUN)).expect("YAML");
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn a_tick_waits_for_the_lock_and_says_for_whom() {
    let project = started();
    let runs = project.path("content/runs");
    let marker = playbook::ownership::Marker {
        name: "",
        text: "",
        command: "run",
    };
    let lock = playbook::ownership::OutputLock::acquire(
        &runs.join("2.4.0.yaml"),
        &runs,
        "2.4.0.yaml",
        &marker,
    )
    .expect("locks");
    let child = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["run", "tick", "2.4.0", "docs", "--by", "Sam"])
        .current_dir(project.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(project.read(RUN).contains("release/docs, group: testing, phase: pre-release, owners: [rm], optional: true, state: open"), "waits");
    drop(lock);
    let out = child.wait_with_output().expect("waits");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "waiting for another run of content/runs/2.4.0.yaml (pid {}) to finish\n",
            std::process::id()
        )
    );
    assert!(project
        .read(RUN)
        .contains("optional: true, state: done, by: Sam"));
}
