//! `playbook schema NAME`: the shipped `schemas/*.schema.json` are exactly
//! what the command prints, the repository's own YAML validates against
//! them, and a broken file does not.

use std::path::{Path, PathBuf};

use crate::common::Project;

const NAMES: [&str; 5] = ["playbook", "checklist", "roles", "release-notes", "run"];

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The validator for the shipped schema `name`.
fn validator(name: &str) -> jsonschema::Validator {
    let path = repo(&format!("schemas/{name}.schema.json"));
    let schema: serde_json::Value = serde_json::from_str(&read(&path))
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("{} does not compile: {e}", path.display()))
}

fn yaml(text: &str) -> serde_json::Value {
    serde_norway::from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

/// The validation errors of `value`, one line each.
fn errors(validator: &jsonschema::Validator, value: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

#[test]
fn the_shipped_schemas_are_what_the_command_prints() {
    let project = Project::empty();
    for name in NAMES {
        let printed = project.test(&["schema", name]).run().stdout;
        let shipped = read(&repo(&format!("schemas/{name}.schema.json")));
        assert!(
            printed == shipped,
            "schemas/{name}.schema.json is stale; regenerate it with\n  cargo run -- schema {name} > schemas/{name}.schema.json"
        );
        assert!(printed.ends_with("}\n"), "{name} ends in a newline");
    }
}

#[test]
fn the_repository_files_validate() {
    let mut files = vec![
        ("playbook", repo("playbook.yaml")),
        ("roles", repo("content/roles.yaml")),
        ("release-notes", repo("content/release-notes.yaml")),
    ];
    let mut checklists: Vec<_> = std::fs::read_dir(repo("content/checklists"))
        .expect("content/checklists")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    checklists.sort();
    assert!(!checklists.is_empty());
    files.extend(checklists.into_iter().map(|path| ("checklist", path)));
    for (name, path) in files {
        let problems = errors(&validator(name), &yaml(&read(&path)));
        assert!(
            problems.is_empty(),
            "{} does not match schemas/{name}.schema.json:\n{}",
            path.display(),
            problems.join("\n")
        );
    }
}

#[test]
fn the_files_init_writes_validate() {
    let project = Project::empty();
    project.test(&["init", "new"]).run();
    for (name, rel) in [
        ("playbook", "new/playbook.yaml"),
        ("checklist", "new/content/checklists/release.yaml"),
        ("roles", "new/content/roles.yaml"),
        ("release-notes", "new/content/release-notes.yaml"),
    ] {
        let problems = errors(&validator(name), &yaml(&project.read(rel)));
        assert!(problems.is_empty(), "{rel}:\n{}", problems.join("\n"));
    }
}

#[test]
fn broken_files_do_not_validate() {
    let cases = [
        // A typo'd key, a wrong type, a bad enum value, a missing key.
        ("playbook", "titel: Playbook\n"),
        ("playbook", "trusted_html: yes please\n"),
        ("playbook", "max_files: many\n"),
        ("playbook", "lang: not a tag\n"),
        ("playbook", "edit_url: https://example.org/edit/\n"),
        (
            "checklist",
            "id: c\ntitle: C\ngroups:\n- id: g\n  title: G\n  items:\n  - id: i\n    text: T\n    owner: qa\n",
        ),
        (
            "checklist",
            "id: c\ntitle: C\ngroups:\n- id: g\n  title: G\n  items:\n  - id: i\n    types: [huge]\n",
        ),
        ("checklist", "id: c\ntitle: C\ngroups:\n- id: g\n  title: G\n  phase: someday\n  items: []\n"),
        ("checklist", "id: c\ntitle: C\n"),
        ("roles", "roles:\n- id: qa\n  name: QA\n  alias: [Testers]\n"),
        ("roles", "roles:\n- id: qa\n  name: [QA]\n"),
        ("release-notes", "title: R\nsections:\n- id: s\n  title: S\n"),
        ("release-notes", "title: R\nsections: none\n"),
        ("run", "version: 2.4\ntype: major\ndate: 2026-12-06\nstarted_by: D\nstarted_at: 2026-12-06T09:00:00Z\nitems: []\n"),
        ("run", "version: 2.4.0\ntype: major\ndate: 2026-12-06\nstarted_by: D\nstarted_at: 2026-12-06T09:00:00Z\nitems:\n- {id: c/i, group: g, phase: deployment, state: finished, text: T}\n"),
        ("run", "version: 2.4.0\ntype: major\ndate: 2026-12-06\nstarted_by: D\nstarted_at: 2026-12-06 09:00\nitems: []\n"),
    ];
    for (name, text) in cases {
        assert!(
            !errors(&validator(name), &yaml(text)).is_empty(),
            "schemas/{name}.schema.json accepts\n{text}"
        );
    }
    // And their fixed forms pass, so the failures above are the breakage.
    let fixed = [
        ("playbook", "title: Playbook\ntrusted_html: true\nmax_files: 10\nlang: pt-BR\nedit_url: https://example.org/edit/{path}\nbase_url: https://example.org/docs/\n"),
        ("checklist", "id: c\ntitle: C\ngroups:\n- id: g\n  title: G\n  phase: pre-deployment\n  items:\n  - id: i\n    text: T\n    owners: [qa]\n    types: [major]\n    ref: other/i\n"),
        ("roles", "roles:\n- id: qa\n  name: QA\n  aliases: [Testers]\n"),
        ("release-notes", "title: R\nsections:\n- id: s\n  title: S\n  prompt: P\n  types: [patch]\n"),
        ("run", "version: 2.4.0\ntype: major\ndate: 2026-12-06\nstarted_by: D\nstarted_at: 2026-12-06T09:00:00Z\nitems:\n- {id: c/i, group: g, phase: deployment, state: done, by: D, at: 2026-12-06T09:05:00Z, text: T}\n"),
    ];
    for (name, text) in fixed {
        let problems = errors(&validator(name), &yaml(text));
        assert!(problems.is_empty(), "{name}: {problems:?}\n{text}");
    }
}

#[test]
fn an_unknown_name_is_a_usage_error_listing_the_names() {
    let run = Project::empty().test(&["schema", "config"]).status(2).run();
    for name in NAMES {
        assert!(run.stderr.contains(name), "{name} in\n{}", run.stderr);
    }
    assert!(run.stdout.is_empty());
}
