//! Shared helpers for integration tests: copy a fixture tree (or write files)
//! into a temporary project, run the real `playbook` binary on it (through
//! [`Test`], which checks the exit status of every run), and look at what it
//! produced.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

pub use crate::test::{Run, Test};

pub mod serve;

/// A temporary project folder.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    /// An empty project with an empty `content/`.
    pub fn empty() -> Project {
        let project = Project {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir_all(project.path("content")).expect("content dir");
        project
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Project {
        let project = Project {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        copy_tree(&fixtures_dir().join(name), project.root());
        project
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Write a file (creating folders), returning the project for chaining.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Project {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, contents).expect("write");
        self
    }

    /// `playbook ARGS` in the project folder, without colour, expected to
    /// succeed unless `.status(..)` says otherwise; nothing runs until `.run()`.
    pub fn test(&self, args: &[&str]) -> Test {
        Test::in_dir(self.root()).args(args)
    }

    /// Run `playbook build` and insist that it succeeds.
    pub fn build(&self) -> &Project {
        self.test(&["build"]).run();
        self
    }

    /// Run `playbook build --allow-broken`, for fixtures that keep broken
    /// links on purpose (to show how they render), and insist that it succeeds.
    pub fn build_broken(&self) -> &Project {
        self.test(&["build", "--allow-broken"]).run();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    /// A built page, parsed.
    pub fn page(&self, rel: &str) -> Page {
        Page {
            html: Html::parse_document(&self.read(rel)),
        }
    }

    /// Every file under `rel`, relative path → bytes.
    pub fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.path(rel))
    }
}

/// A parsed HTML page with small query helpers.
pub struct Page {
    pub html: Html,
}

impl Page {
    fn select(selector: &str) -> Selector {
        Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"))
    }

    /// Inner HTML of the first element matching `selector`.
    pub fn inner(&self, selector: &str) -> String {
        self.html
            .select(&Self::select(selector))
            .next()
            .unwrap_or_else(|| panic!("no {selector} in page"))
            .inner_html()
    }

    /// Text of every element matching `selector`, whitespace collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        self.html
            .select(&Self::select(selector))
            .map(|e| {
                e.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// Attribute `attr` of every element matching `selector`.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        self.html
            .select(&Self::select(selector))
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn count(&self, selector: &str) -> usize {
        self.html.select(&Self::select(selector)).count()
    }
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir(from) {
        let rel = entry.strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &dest).expect("copy");
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir(dir)
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(&p).expect("read");
            (rel, bytes)
        })
        .collect()
}

/// Whether `program` runs here (`program --version`); without it the test
/// that needs it (`why`) prints a `SKIPPED:` line, except under `CI=true`,
/// where CI installs it and its absence is a failure.
pub fn program_or_skip(program: &str, why: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{why} needs `{program}` (CI=true: it must run in CI)"
        );
        eprintln!("SKIPPED: {why} needs `{program}`");
    }
    found
}
