//! Real-browser test: builds `tests/fixtures/browser-site` with the real
//! `playbook` binary, then runs `tests/browser/site.test.mjs` (the site:
//! navigation, search, phone layout, themes) and
//! `tests/browser/checklist.test.mjs` (checklist ticks and their storage,
//! release type and version, export, reset, role pages, release notes, and
//! the printable checklists printed to PDF on A4 and Letter) with
//! playwright-core driving headless Chromium against the built site.
//!
//! Needs `node`, `npm ci --prefix tests/browser` and Chromium (`CHROMIUM`,
//! default `/usr/bin/chromium`). Without them the test prints a `SKIPPED:` line
//! and passes, except under `CI=true`, where it fails.
//!
//! Screenshots are written to `target/browser-screenshots/` (the checklist
//! test's, with its PDFs and PDF page renderings, to `.../checklist/`).

mod common;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Project;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What is missing for the browser test, if anything.
fn missing_prerequisites(chromium: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !node_ok {
        missing.push("`node` on PATH".to_string());
    }
    for package in ["playwright-core", "pdfjs-dist"] {
        let dir = manifest_dir()
            .join("tests/browser/node_modules")
            .join(package);
        if !dir.is_dir() {
            missing.push(format!(
                "{} (run `npm ci --prefix tests/browser`)",
                dir.display()
            ));
        }
    }
    if !chromium.is_file() {
        missing.push(format!(
            "Chromium at {} (apt-get install chromium, or set CHROMIUM)",
            chromium.display()
        ));
    }
    missing
}

#[test]
fn built_site_works_in_a_real_browser() {
    let chromium =
        PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    let missing = missing_prerequisites(&chromium);
    if !missing.is_empty() {
        let msg = format!("browser test needs {}", missing.join(", "));
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{msg} (CI=true: the browser test must run in CI)");
        }
        // Written to the real stderr, not with eprintln!, which the test harness
        // captures and hides for passing tests.
        let _ = writeln!(io::stderr(), "SKIPPED: {msg}");
        return;
    }

    // Build the fixture with the real binary, in a scratch copy.
    let project = Project::fixture("browser-site");
    project.build();
    let site = project.path("site");
    assert!(
        site.join("index.html").is_file(),
        "the build wrote no index.html"
    );

    // Screenshots go where a developer can look at them.
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("target"));
    let shots = target_dir.join("browser-screenshots");
    let _ = fs::remove_dir_all(&shots);
    fs::create_dir_all(&shots).expect("create target/browser-screenshots");

    let mut failures = Vec::new();
    for (script, shot_dir) in [
        ("site.test.mjs", shots.clone()),
        ("checklist.test.mjs", shots.join("checklist")),
    ] {
        let out = Command::new("node")
            .arg(manifest_dir().join("tests/browser").join(script))
            .arg(&site)
            .arg(&shot_dir)
            .env("CHROMIUM", &chromium)
            .current_dir(manifest_dir())
            .output()
            .unwrap_or_else(|e| panic!("run node tests/browser/{script}: {e}"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        println!("--- {script}\n{stdout}");
        eprintln!("{stderr}");
        if !out.status.success() {
            failures.push(format!(
                "{script} failed ({}); screenshots in {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
                out.status,
                shot_dir.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
