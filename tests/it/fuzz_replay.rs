//! Replays every fuzz corpus file and crash reproducer through the same
//! harness functions the libFuzzer targets call (`playbook::fuzzing`), so
//! CI guards them without running a fuzzer. See fuzz/README.md.

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Run `harness` on every file of `fuzz/corpus/<target>/` and
/// `fuzz/regressions/<target>/`; a panic names the file.
fn replay(target: &str, harness: fn(&[u8])) {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let corpus = files(&fuzz.join("corpus").join(target));
    assert!(
        !corpus.is_empty(),
        "fuzz/corpus/{target}/ is empty: the committed corpus is missing"
    );
    let regressions = files(&fuzz.join("regressions").join(target));
    for path in corpus.iter().chain(&regressions) {
        let data = std::fs::read(path).expect("read corpus file");
        let outcome = std::panic::catch_unwind(|| harness(&data));
        assert!(outcome.is_ok(), "{target}: {} panicked", path.display());
    }
}

#[test]
fn markdown_corpus() {
    replay("markdown", playbook::fuzzing::markdown);
}

#[test]
fn reconcile_text_corpus() {
    replay("reconcile_text", playbook::fuzzing::reconcile_text);
}

#[test]
fn reconcile_corpus() {
    replay("reconcile", playbook::fuzzing::reconcile);
}

#[test]
fn links_corpus() {
    replay("links", playbook::fuzzing::links);
}

#[test]
fn yaml_corpus() {
    replay("yaml", playbook::fuzzing::yaml);
}
