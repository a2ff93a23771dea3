//! The rest of issue 17: progress bars on a terminal only, the
//! `external:` rules and 429 back-off of `check --external` and links in
//! the YAML files, the search's tokenising for a site's `lang`, a 404 page
//! that works at any depth without `base_url` (and from `serve`), and the
//! command lines of the Pages workflows.

use crate::common::Project;

/// A page in German whose words English search would stem or drop.
const GERMAN: &str = "# Was tun bei einem Ausfall\n\nDer Bereitschaftsdienst will in der Nacht die Ursache des Ausfalls finden.\n";

/// The terms of the built search index, in file order.
fn indexed_terms(project: &Project) -> Vec<String> {
    let mut terms = Vec::new();
    for (name, bytes) in project.tree("site/search") {
        if !name.starts_with("t-") {
            continue;
        }
        let text = String::from_utf8(bytes).expect("UTF-8");
        let json = &text[text.find(',').expect("a comma") + 1..text.len() - ");\n".len()];
        let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
        let array = value.as_array().expect("an array");
        terms.extend(
            array
                .iter()
                .step_by(2)
                .map(|t| t.as_str().expect("a term").to_string()),
        );
    }
    terms
}

fn german_site(config: &str) -> Project {
    let project = Project::empty()
        .file("playbook.yaml", config)
        .file("content/index.md", GERMAN);
    project.build();
    project
}

#[test]
fn a_german_site_is_indexed_word_for_word_without_english_stop_words() {
    let project = german_site("lang: de\n");
    let terms = indexed_terms(&project);
    for word in [
        "was",
        "will",
        "in",
        "ausfalls",
        "ursache",
        "bereitschaftsdienst",
    ] {
        assert!(terms.iter().any(|t| t == word), "{word} in {terms:?}");
    }
    assert!(
        !terms.iter().any(|t| t == "ausfal" || t == "ursach"),
        "{terms:?}"
    );
    let meta = project.read("site/search/meta.js");
    assert!(meta.ends_with(",\"stop\":[],\"stem\":false});\n"), "{meta}");
}

#[test]
fn an_english_site_is_still_stemmed_without_stop_words() {
    for config in ["title: T\n", "lang: en-GB\n", "lang: EN\n"] {
        let project = german_site(config);
        let terms = indexed_terms(&project);
        assert!(terms.iter().any(|t| t == "ausfal"), "{config}: {terms:?}");
        for stop in ["was", "will", "in"] {
            assert!(
                !terms.iter().any(|t| t == stop),
                "{config}: {stop} in {terms:?}"
            );
        }
        let meta = project.read("site/search/meta.js");
        assert!(meta.contains(",\"stop\":[\"an\",\"and\","), "{meta}");
        assert!(!meta.contains("stem"), "{meta}");
    }
}

#[test]
fn a_french_site_keeps_its_words_and_accents() {
    let project = Project::empty()
        .file("playbook.yaml", "lang: fr-CA\n")
        .file(
            "content/index.md",
            "# Documentation des déploiements\n\nOn vérifie les sauvegardes.\n",
        );
    project.build();
    let terms = indexed_terms(&project);
    for word in [
        "documentation",
        "déploiements",
        "on",
        "vérifie",
        "sauvegardes",
    ] {
        assert!(terms.iter().any(|t| t == word), "{word} in {terms:?}");
    }
    assert!(!terms.iter().any(|t| t == "document"), "{terms:?}");
}

/// Whether `node` runs here; without it a test skips visibly, except under
/// `CI=true`, where that is a failure.
fn node_or_skip() -> bool {
    let ok = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "this test needs `node` (CI=true)"
        );
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "SKIPPED: this test needs `node` on PATH");
    }
    ok
}

/// The browser's half: `stemmer.js` makes a query's terms as the build
/// does, stemmed for English, word for word once `meta.js` says
/// `"stem": false`.
#[test]
fn the_browser_stems_only_when_the_index_says_so() {
    if !node_or_skip() {
        return;
    }
    let stemmer =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/stemmer.js");
    let script = format!(
        "const S = require({:?}); const a = S.term('ausfalls'); S.setStemming(false); \
         const b = S.term('ausfalls'); const c = S.term('on-call'); S.setStemming(true); \
         console.log([a, b, c, S.term('deployments')].join(' '));",
        stemmer.display().to_string()
    );
    let out = std::process::Command::new("node")
        .args(["-e", &script])
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ausfal ausfalls oncall deploy\n"
    );
}
