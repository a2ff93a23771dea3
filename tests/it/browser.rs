//! Real-browser tests. The first builds `tests/fixtures/browser-site` with
//! the real `playbook` binary, then runs `tests/browser/site.test.mjs` (the site:
//! navigation, search, phone layout, themes) and
//! `tests/browser/checklist.test.mjs` (checklist ticks and their storage,
//! release type and version, export, reset, role pages, release notes, and
//! the printable checklists printed to PDF on A4 and Letter) with
//! playwright-core driving headless Chromium against the built site. The
//! second serves a copy of the fixture with `playbook serve` and runs
//! `tests/browser/serve.test.mjs`, which edits its content (live reload).
//!
//! A third builds the shipped playbook (`content/`) and runs
//! `tests/browser/print.test.mjs`: its printed checklists within their page
//! budgets on A4 and Letter, timeline order, release types, ticks on paper,
//! axe-core on every page type (PDFs and PNGs of their first pages in
//! `target/browser-screenshots/print/`).
//!
//! Needs `node`, `npm ci --prefix tests/browser` and Chromium (`CHROMIUM`,
//! default `/usr/bin/chromium`). Without them the test prints a `SKIPPED:` line
//! and passes, except under `CI=true`, where it fails.
//!
//! Screenshots are written to `target/browser-screenshots/` (the checklist
//! test's, with its PDFs and PDF page renderings, to `.../checklist/`; the
//! serve test's to `.../serve/`).

use crate::common;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

// The same harness as the serve tests'.
use common::serve::Server as Serve;
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
    for package in ["playwright-core", "pdfjs-dist", "axe-core"] {
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

/// Chromium's path when everything the browser tests need is there; `None`
/// (after a `SKIPPED:` line) when it is not, except under `CI=true`, where
/// that is a failure.
pub(crate) fn chromium_or_skip() -> Option<PathBuf> {
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
        return None;
    }
    Some(chromium)
}

/// Where screenshots go, where a developer can look at them.
pub(crate) fn screenshots_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("target"))
        .join("browser-screenshots")
}

#[test]
fn built_site_works_in_a_real_browser() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };

    // Build the fixture with the real binary, in a scratch copy.
    let project = Project::fixture("browser-site");
    project.build();
    let site = project.path("site");
    assert!(
        site.join("index.html").is_file(),
        "the build wrote no index.html"
    );

    // Screenshots go where a developer can look at them (the serve test's
    // in their own folder, which this one leaves alone).
    let shots = screenshots_dir();
    for entry in fs::read_dir(&shots).into_iter().flatten().flatten() {
        if entry.file_name() != "serve"
            && entry.file_name() != "names"
            && entry.file_name() != "runs"
            && entry.file_name() != "print"
        {
            let path = entry.path();
            let _ = fs::remove_dir_all(&path).or_else(|_| fs::remove_file(&path));
        }
    }
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

/// `playbook serve` on a scratch copy of the fixture, driven by
/// `tests/browser/serve.test.mjs`: open pages show edits to a page and a
/// checklist without a manual reload, and build errors as an overlay.
#[test]
fn served_pages_show_edits_without_a_manual_reload() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let project = Project::fixture("browser-site");
    let serve = Serve::start(&project);
    let shots = screenshots_dir().join("serve");
    let _ = fs::remove_dir_all(&shots);
    fs::create_dir_all(&shots).expect("create target/browser-screenshots/serve");

    let out = Command::new("node")
        .arg(manifest_dir().join("tests/browser/serve.test.mjs"))
        .arg(&serve.url)
        .arg(project.path("content"))
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .current_dir(manifest_dir())
        .output()
        .expect("run node tests/browser/serve.test.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("--- serve.test.mjs\n{stdout}");
    eprintln!("{stderr}");
    assert!(
        out.status.success(),
        "serve.test.mjs failed ({}); screenshots in {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- playbook serve\n{}",
        out.status,
        shots.display(),
        serve.stderr()
    );
}

/// Issue 12, point 4: a page whose file name holds `#`, `?`, `%`, a space
/// and `é` is reached from the sidebar and from search, on the built site
/// (over HTTP and `file://`) and from `playbook serve`
/// (`tests/browser/names.test.mjs`).
#[test]
fn pages_with_odd_file_names_are_reached_from_the_sidebar() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let (page, folder) = ("odd #?% é name", "odd #?% é dir");
    let project = Project::empty()
        .file("content/README.md", "# Home\n\nWelcome.\n")
        .file(
            &format!("content/{page}.md"),
            "---\ntitle: Odd name page\n---\n\nThe word zephyrquux is only here.\n",
        )
        .file(
            &format!("content/{folder}/inner.md"),
            "# Inner page\n\nInside.\n",
        );
    project.build();
    let serve = Serve::start(&project);
    let shots = screenshots_dir().join("names");
    let _ = fs::remove_dir_all(&shots);
    fs::create_dir_all(&shots).expect("create target/browser-screenshots/names");
    let out = Command::new("node")
        .arg(manifest_dir().join("tests/browser/names.test.mjs"))
        .arg(project.path("site"))
        .arg(&serve.url)
        .args([page, folder])
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .current_dir(manifest_dir())
        .output()
        .expect("run node tests/browser/names.test.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("--- names.test.mjs\n{stdout}");
    assert!(
        out.status.success(),
        "names.test.mjs failed ({}); screenshots in {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- playbook serve\n{}",
        out.status,
        shots.display(),
        serve.stderr()
    );
}

#[test]
fn shipped_playbook_prints_within_budget_in_a_real_browser() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let project = Project::empty();
    common::copy_tree(&manifest_dir().join("content"), &project.path("content"));
    fs::copy(
        manifest_dir().join("playbook.yaml"),
        project.path("playbook.yaml"),
    )
    .expect("copy playbook.yaml");
    project.build();
    let shots = screenshots_dir().join("print");
    let _ = fs::remove_dir_all(&shots);
    fs::create_dir_all(&shots).expect("create target/browser-screenshots/print");
    let out = Command::new("node")
        .arg(manifest_dir().join("tests/browser/print.test.mjs"))
        .arg(project.path("site"))
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .current_dir(manifest_dir())
        .output()
        .expect("run node tests/browser/print.test.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("--- print.test.mjs\n{stdout}");
    eprintln!("{stderr}");
    assert!(
        out.status.success(),
        "print.test.mjs failed ({}); PDFs and screenshots in {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status,
        shots.display()
    );
}

/// Issue 15: the browser's stemmer (`themes/default/stemmer.js`) stems a
/// large word list exactly as the build's (rust-stemmers, Snowball English):
/// every word of the shipped content and of the theme's sources, each also
/// with common English endings added, and the stemmer's own exceptions.
/// Run by `tests/browser/stemmer.test.mjs` (node only, no browser).
#[test]
fn browser_stemmer_matches_the_rust_stemmer() {
    let Some(_) = chromium_or_skip() else {
        return;
    };
    let mut bases = std::collections::BTreeSet::new();
    for dir in ["content", "content/checklists", "templates", "src"] {
        for entry in fs::read_dir(manifest_dir().join(dir))
            .expect("read dir")
            .flatten()
        {
            let text = fs::read_to_string(entry.path()).unwrap_or_default();
            for word in text.split(|c: char| !c.is_ascii_alphabetic()) {
                if word.len() >= 2 {
                    bases.insert(word.to_ascii_lowercase());
                }
            }
        }
    }
    const ENDINGS: &[&str] = &[
        "", "s", "es", "ies", "ied", "ed", "eed", "ing", "ingly", "edly", "eedly", "ly", "y",
        "ness", "ful", "fulness", "fully", "ation", "ational", "tional", "ization", "izer", "ize",
        "ise", "alism", "ality", "ously", "ousness", "ive", "iveness", "ivity", "ability",
        "ibility", "bility", "ent", "ently", "ence", "ency", "ance", "ancy", "ator", "al", "ally",
        "ical", "icate", "iciti", "ative", "ment", "ement", "ism", "ist", "ion", "sion", "tion",
        "ous", "ant", "er", "est", "able", "ible", "ic", "e", "le", "ll", "logy", "ogi", "li",
        "lessly", "at", "bl", "iz", "bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt", "sses",
        "ss", "us", "'s",
    ];
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let mut lines = String::new();
    let exceptions = [
        "skis",
        "skies",
        "dying",
        "lying",
        "tying",
        "idly",
        "gently",
        "ugly",
        "early",
        "only",
        "singly",
        "sky",
        "news",
        "howe",
        "atlas",
        "cosmos",
        "bias",
        "andes",
        "inning",
        "outing",
        "canning",
        "herring",
        "earring",
        "proceed",
        "exceed",
        "succeed",
        "generate",
        "communism",
        "arsenal",
        "yes",
        "say",
        "yyy",
        "eyy",
        "ayy",
        "by",
        "cry",
        "ties",
        "cries",
        "gas",
        "gaps",
    ];
    let words = bases
        .iter()
        .flat_map(|b| ENDINGS.iter().map(move |e| format!("{b}{e}")))
        .chain(exceptions.iter().map(|w| w.to_string()))
        .filter(|w| w.bytes().all(|b| b.is_ascii_lowercase()));
    for word in words {
        lines.push_str(&format!("{word}\t{}\n", stemmer.stem(&word)));
    }
    let dir = tempfile_dir("stemmer");
    let list = dir.join("words.tsv");
    fs::write(&list, lines).expect("write the word list");
    let out = Command::new("node")
        .arg(manifest_dir().join("tests/browser/stemmer.test.mjs"))
        .arg(&list)
        .output()
        .expect("run node tests/browser/stemmer.test.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "stemmer.test.mjs failed ({})\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    let _ = fs::remove_dir_all(&dir);
}

/// A fresh scratch folder for one test.
fn tempfile_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("playbook-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create a scratch folder");
    dir
}

/// Issue 15: search finds what readers type on the shipped playbook. The
/// site built from `content/` is searched from `file://` with the queries of
/// `tests/browser/search-quality.test.mjs`, each with the result that must
/// come first (role pages, the release-notes page, stems, typos, versions).
#[test]
fn search_finds_what_readers_type_in_the_shipped_playbook() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile_dir("search-quality");
    let site = dir.join("site");
    let build = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["build", "--root"])
        .arg(manifest_dir())
        .arg("--out")
        .arg(&site)
        .output()
        .expect("run playbook build");
    assert!(
        build.status.success(),
        "building content/ failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let shots = screenshots_dir().join("search-quality");
    let _ = fs::remove_dir_all(&shots);
    fs::create_dir_all(&shots).expect("create target/browser-screenshots/search-quality");
    let out = Command::new("node")
        .arg(manifest_dir().join("tests/browser/search-quality.test.mjs"))
        .arg(&site)
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .current_dir(manifest_dir())
        .output()
        .expect("run node tests/browser/search-quality.test.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("--- search-quality.test.mjs\n{stdout}");
    assert!(
        out.status.success(),
        "search-quality.test.mjs failed ({}); screenshots in {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status,
        shots.display()
    );
    let _ = fs::remove_dir_all(&dir);
}

/// Issue 16: under `playbook serve`, ticking an item on a run page writes
/// the run file and shows after a reload; axe finds nothing on the runs
/// index and the run page (`tests/browser/runs.test.mjs`).
#[test]
fn a_tick_on_a_served_run_page_writes_the_run_file() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let project = crate::runs_site::project();
    let serve = Serve::start(&project);
    let shots = screenshots_dir().join("runs");
    let _ = fs::remove_dir_all(&shots);
    fs::create_dir_all(&shots).expect("create target/browser-screenshots/runs");
    let out = Command::new("node")
        .arg(manifest_dir().join("tests/browser/runs.test.mjs"))
        .arg(&serve.url)
        .arg(project.path("content/runs/2.4.0.yaml"))
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .current_dir(manifest_dir())
        .output()
        .expect("run node tests/browser/runs.test.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("--- runs.test.mjs\n{stdout}");
    assert!(
        out.status.success(),
        "runs.test.mjs failed ({}); screenshots in {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- playbook serve\n{}",
        out.status,
        shots.display(),
        serve.stderr()
    );
}
