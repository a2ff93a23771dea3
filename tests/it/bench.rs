//! The benchmark's corpus (`bench/gen_corpus.py`): it has input for every
//! feature the benchmark claims is on, and it checks and builds clean, so
//! the timings in `bench/RESULTS.md` are of a site that works. No timings
//! here: the speed targets live in `bench/compare.sh`.

use std::io::Write as _;
use std::process::Command;

use crate::common::{fixtures_dir, Project};

/// `python3 bench/gen_corpus.py PAGES DIR`, or `None` (after a `SKIPPED:`
/// line) without Python, except under `CI=true`, where that is a failure.
fn generate(project: &Project, pages: &str, dir: &str) -> Option<()> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_corpus.py");
    let run = Command::new("python3")
        .arg(&script)
        .args([pages, &project.path(dir).to_string_lossy()])
        .arg("--seeds")
        .arg(fixtures_dir().join("variants"))
        .output();
    match run {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(())
        }
        Err(err) if std::env::var("CI").as_deref() != Ok("true") => {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: the corpus needs python3 ({err})"
            );
            None
        }
        Err(err) => panic!("python3: {err} (CI=true: the corpus test must run)"),
    }
}

#[test]
fn the_benchmark_corpus_has_every_feature_and_builds_clean() {
    let project = Project::empty();
    if generate(&project, "120", "corpus").is_none() {
        return;
    }
    // Exit 0: no errors. Warnings (task lists outside checklists, repeated
    // titles) are part of the load.
    project.test(&["check", "--root", "corpus"]).run();
    project.test(&["build", "--root", "corpus"]).run();

    // Role pages from roles.yaml, one per role the pages name.
    for role in ["release-manager", "qa-specialist", "customer-success"] {
        let page = project.page(&format!("corpus/site/roles/{role}.html"));
        assert!(
            page.count(".checklist-text, li") > 0,
            "role page {role} is empty"
        );
    }
    // Checklists embedded in pages: every section's first page embeds one group.
    let embedding = std::fs::read_dir(project.path("corpus/site/01-release-planning"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-00000.html"))
        .expect("the first page");
    let html = std::fs::read_to_string(embedding).unwrap();
    assert!(
        html.contains("class=\"checklist-group\""),
        "no embedded checklist"
    );
    assert!(html.contains("<span class=\"hl-"), "no highlighted code");
    assert!(
        project.path("corpus/site/search").is_dir(),
        "no search index"
    );
}

#[test]
fn the_benchmark_corpus_is_the_same_every_time() {
    let project = Project::empty();
    if generate(&project, "40", "a").is_none() || generate(&project, "40", "b").is_none() {
        return;
    }
    assert_eq!(project.tree("a"), project.tree("b"));
}
