//! `playbook check`: every kind of problem, in every output format, and the
//! exit statuses CI relies on.

use crate::common;

use common::{copy_tree, Project};

#[test]
fn every_problem_is_found_and_explained() {
    let run = Project::fixture("broken").test(&["check"]).status(1).run();
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn json_output_lists_each_diagnostic_with_its_place() {
    let run = Project::fixture("broken")
        .test(&["check", "--format", "json"])
        .status(1)
        .run();
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let diagnostics = value["diagnostics"].as_array().unwrap();
    assert!(value["errors"].as_u64().unwrap() >= 10, "{value}");
    let anchor = diagnostics
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("#rolback"))
        .expect("bad anchor reported");
    assert_eq!(anchor["path"], "content/README.md");
    assert_eq!(anchor["line"], 4);
    assert_eq!(anchor["column"], 33);
    assert_eq!(anchor["severity"], "error");
    assert!(
        anchor["suggestion"].as_str().unwrap().contains("#rollback"),
        "{anchor}"
    );
    insta::assert_snapshot!("broken_json", run.stdout);
}

#[test]
fn github_annotations_and_sarif() {
    let project = Project::fixture("broken");
    let github = project
        .test(&["check", "--format", "github"])
        .status(1)
        .run();
    assert!(
        github
            .stdout
            .lines()
            .all(|l| l.starts_with("::error file=") || l.starts_with("::warning file=")),
        "{}",
        github.stdout
    );
    assert!(
        github
            .stdout
            .contains("::error file=content/README.md,line=4,col=1,title=link::"),
        "{}",
        github.stdout
    );
    insta::assert_snapshot!("broken_github", github.stdout);
    let sarif = project
        .test(&["check", "--format", "sarif"])
        .status(1)
        .run();
    insta::assert_snapshot!("broken_sarif", sarif.stdout);
    let value: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF JSON");
    assert_eq!(value["version"], "2.1.0");
    let results = value["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "link"
        && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 4));
}

#[test]
fn the_shipped_playbook_checks_clean() {
    let project = Project::empty();
    copy_tree(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &project.path("content"),
    );
    let run = project.test(&["check"]).run();
    assert!(
        run.stderr.ends_with("0 errors, 0 warnings\n"),
        "{}",
        run.stderr
    );
    project.test(&["check", "--deny-warnings"]).run();
}

#[test]
fn a_plain_docs_folder_is_checked_as_it_is() {
    let project = Project::fixture("docs-folder");
    project.test(&["check", "--content", "docs"]).run();
    let broken = project.file(
        "docs/faq.md",
        "# FAQ\n\nSee [the API](api/README.md#nope) and [owner](team.md).\n",
    );
    let run = broken.test(&["check", "--content", "docs"]).status(1).run();
    assert!(run.stderr.contains("docs/faq.md:3:5"), "{}", run.stderr);
    assert!(
        run.stderr.contains("docs/team.md does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn build_refuses_broken_content_unless_allowed() {
    let project = Project::fixture("broken");
    let run = project.test(&["build"]).status(1).run();
    assert!(
        run.stderr.contains("the site was not built"),
        "{}",
        run.stderr
    );
    assert!(!project.path("site").exists());
    let run = project.test(&["build", "--allow-broken"]).run();
    assert!(
        run.stderr.contains("errors"),
        "problems are still reported: {}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    Project::empty()
        .test(&["check", "--content", "nope"])
        .status(2)
        .run();
    Project::empty()
        .test(&["check", "--format", "xml"])
        .status(2)
        .run();
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let project = Project::empty()
        .file("content/a.md", "# Same\n")
        .file("content/b.md", "# Same\n");
    project.test(&["check"]).run();
    project.test(&["check", "--deny-warnings"]).status(1).run();
}

#[test]
fn positions_are_exact_in_lists_tables_references_and_after_front_matter() {
    let page = "---\ntitle: Positions\n---\n\n# Positions\n\n- item\n  - nested [one](gone-1.md)\n\n| a | b |\n|---|---|\n| x | [two](gone-2.md) |\n\nSee [three][ref].\n\n[ref]: gone-3.md\n";
    let run = Project::empty()
        .file("content/p.md", page)
        .test(&["check", "--format", "github"])
        .status(1)
        .run();
    let places: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split("::").nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        places,
        [
            "error file=content/p.md,line=8,col=12,title=link",
            "error file=content/p.md,line=12,col=7,title=link",
            "error file=content/p.md,line=14,col=5,title=link",
        ],
        "{}",
        run.stdout
    );
}

/// `check --format github` of a site whose one page embeds `checklist`
/// (as `checklists/c.yaml`), which has problems.
fn check_one_checklist(checklist: &str) -> crate::common::Run {
    Project::empty()
        .file("content/index.md", "# Home\n\n[C](checklists/c.yaml)\n")
        .file("content/checklists/c.yaml", checklist)
        .test(&["check", "--format", "github"])
        .status(1)
        .run()
}

#[test]
fn checklist_item_problems_point_at_the_item_not_a_longer_id_before_it() {
    // `a-1` is also the start of `a-10`, which comes first; a flow mapping
    // and a second group too.
    let checklist = "id: c\ntitle: C\ngroups:\n- id: g\n  title: G\n  phase: planning\n  items:\n  - id: a-10\n    text: Fine\n  - id: a-1\n    ref: nowhere/gone\n- id: h\n  title: H\n  phase: planning\n  items:\n  - {text: \"  \", id: a-2}\n";
    let run = check_one_checklist(checklist);
    let places: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("title=checklist"))
        .map(|l| l.split("::").nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        places,
        [
            "error file=content/checklists/c.yaml,line=10,col=5,title=checklist",
            "error file=content/checklists/c.yaml,line=16,col=18,title=checklist",
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn refs_to_refs_and_parents_that_are_no_item_above_are_errors() {
    // Each was published without a word: a ref to a ref (or to itself) as
    // an empty item, a sub-item under whatever item came before it.
    let checklist = "id: c\ntitle: C\ngroups:\n- id: g\n  title: G\n  phase: planning\n  items:\n  - id: a\n    text: A\n  - id: b\n    text: B\n    parent: a\n  - id: loop\n    ref: c/me\n  - id: me\n    ref: c/me\n  - id: lost\n    text: Lost\n    parent: nowhere\n  - id: own\n    text: Own\n    parent: own\n";
    let run = check_one_checklist(checklist);
    let found: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("title=checklist"))
        .map(|l| l.split_once("::").map_or("", |(_, rest)| rest))
        // Without the hint, in parentheses at the end.
        .map(|l| l.rsplit_once(" (").map_or(l, |(message, _)| message))
        .collect();
    assert_eq!(
        found,
        [
            "error file=content/checklists/c.yaml,line=13,col=5,title=checklist::item loop refers to c/me, which is itself a ref (to c/me), so it would show as an empty item",
            "error file=content/checklists/c.yaml,line=15,col=5,title=checklist::item me refers to c/me, which is itself a ref (to c/me), so it would show as an empty item",
            "error file=content/checklists/c.yaml,line=19,col=13,title=checklist::item lost is a sub-item of nowhere, which is no item above it in checklist c",
            "error file=content/checklists/c.yaml,line=22,col=13,title=checklist::item own is a sub-item of own, which is no item above it in checklist c",
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn an_empty_checklist_group_is_a_warning_at_its_id() {
    // It was published as a heading over an empty list, without a word.
    let run = Project::empty()
        .file("content/index.md", "# Home\n\n[C](checklists/c.yaml)\n")
        .file(
            "content/checklists/c.yaml",
            "id: c\ntitle: C\ngroups:\n- id: g\n  title: G\n  items: []\n- id: h\n  title: H\n  items:\n  - id: one\n    text: One\n",
        )
        .test(&["check", "--format", "github"])
        .run();
    let found: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("title=checklist"))
        .collect();
    assert_eq!(
        found,
        ["::warning file=content/checklists/c.yaml,line=4,col=3,title=checklist::group g has no items: it shows as an empty list (add its items, or remove the group)"],
        "{}",
        run.stdout
    );
}

#[test]
fn a_link_to_a_draft_says_it_is_a_draft() {
    // It said "file content/b.md does not exist", and suggested the page itself.
    let project = Project::empty()
        .file("content/a.md", "# A\n\nSee [b](b.md).\n")
        .file("content/b.md", "---\ndraft: true\n---\n# B\n");
    let run = project.test(&["check"]).status(1).run();
    assert!(
        run.stderr.contains("error[link]: content/b.md is a draft (`draft: true`), which this build leaves out\n  ┌─ content/a.md:3:5"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("does not exist"), "{}", run.stderr);
    project.test(&["build", "--drafts"]).run();
}

#[test]
fn anchors_made_by_raw_html_ids_are_found() {
    // `<a id="stable"></a>` keeps a link working across heading renames;
    // links to it were "no heading or item on this page has the anchor".
    let project = Project::empty()
        .file(
            "content/a.md",
            "# A\n\n<a id=\"custom\"></a>\n\n[here](#custom) [there](b.md#other)\n",
        )
        .file("content/b.md", "# B\n\n<span id=\"other\">o</span>\n");
    project.test(&["check"]).run();
    project.build();
    let guide = project.page("site/print/guide.html");
    let ids = guide.attrs("#a\\.custom, #b\\.other", "id");
    assert_eq!(
        ids,
        ["a.custom", "b.other"],
        "the whole guide prefixes them too"
    );
}

#[test]
fn anchors_of_pages_with_many_headings_are_checked_like_any_others() {
    // 40 headings: past the count above which a page's anchors are a set.
    let mut big = String::from("# Big\n\n");
    for i in 0..40 {
        big.push_str(&format!("## Part {i}\n\ntext\n\n"));
    }
    big.push_str("[here](#part-39) [gone](#part-40)\n");
    let run = Project::empty()
        .file("content/big.md", &big)
        .file(
            "content/index.md",
            "# Home\n\n[ok](big.md#part-0) [missing](big.md#part-99) [top](big.md#big)\n",
        )
        .test(&["check", "--format", "github"])
        .status(1)
        .run();
    let messages: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("title=link"))
        .map(|l| l.rsplit("::").next().unwrap_or(""))
        .collect();
    assert_eq!(messages.len(), 2, "{}", run.stdout);
    assert!(
        messages[0].starts_with("no heading or item on this page has the anchor #part-40"),
        "{}",
        run.stdout
    );
    assert!(
        messages[1].starts_with("content/big.md has no anchor #part-99"),
        "{}",
        run.stdout
    );
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let schema_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/schemas/sarif-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    for (project, status) in [
        (Project::fixture("broken"), 1),
        (Project::fixture("docs-folder"), 0),
    ] {
        let run = project
            .test(&[
                "check",
                "--format",
                "sarif",
                "--content",
                if project.path("docs").exists() {
                    "docs"
                } else {
                    "content"
                },
            ])
            .status(status)
            .run();
        let output: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&output)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");
    }
    // And the validator does catch a broken document.
    let broken = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {}}]});
    assert!(!validator.is_valid(&broken));
}

#[test]
fn mkdocs_admonitions_are_warnings_at_their_opener_and_look_alikes_are_not() {
    let page = "# Deploy\n\n!!! warning \"Before you deploy\"\n    Freeze the branch.\n\n??? Tip\n    Folded.\n\n!!! shout nothing MkDocs knows\n\n```\n!!! note in code\n```\n\nText !!! note mid-line.\n";
    let run = Project::empty()
        .file("content/p.md", page)
        .test(&["check", "--format", "github"])
        .run();
    let places: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split("::").nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        places,
        [
            "warning file=content/p.md,line=3,col=1,title=admonition",
            "warning file=content/p.md,line=6,col=1,title=admonition",
        ],
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("> [!WARNING]"),
        "the hint says what to write: {}",
        run.stdout
    );
}

#[test]
fn wiki_links_resolve_by_file_name_and_one_naming_no_page_is_an_error_where_it_is() {
    let project = Project::empty()
        .file(
            "content/index.md",
            "# Home\n\nSee [[Rollback Plan#Verify It|the check]] and [[runbook]].\n\nAlso [[Rolback Plan]].\n",
        )
        .file("content/ops/rollback-plan.md", "# Rollback\n\n## Verify it\n\n[[index|Home]]\n")
        .file("content/ops/Runbook.md", "# Runbook\n");
    let run = project.test(&["check"]).status(1).run();
    assert!(
        run.stderr
            .contains("error[link]: no page is named `Rolback Plan`")
            && run.stderr.contains("content/index.md:5:6")
            && run
                .stderr
                .contains("did you mean the page content/ops/rollback-plan.md?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("1 error"),
        "only the misspelt one: {}",
        run.stderr
    );
    // Fixed, the site links the pages and the heading.
    let project = project.file(
        "content/index.md",
        "# Home\n\nSee [[Rollback Plan#Verify It|the check]] and [[runbook]].\n",
    );
    project.build();
    let home = project.read("site/index.html");
    assert!(
        home.contains(r#"<a href="ops/rollback-plan.html#verify-it">the check</a>"#)
            && home.contains(r#"<a href="ops/Runbook.html">runbook</a>"#),
        "{home}"
    );
    // A page left out as a draft is named as one.
    let project = project.file(
        "content/ops/Runbook.md",
        "---\ndraft: true\n---\n# Runbook\n",
    );
    let run = project.test(&["check"]).status(1).run();
    assert!(
        run.stderr
            .contains("content/ops/Runbook.md is a draft (`draft: true`)"),
        "{}",
        run.stderr
    );
}
