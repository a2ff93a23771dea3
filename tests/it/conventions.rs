//! The habits people bring from mdBook, Zola and Hugo (issue 17): shell
//! completions, `init`, the global `--color`/`-q`/`-v`, `serve --open`, and
//! the GitHub Action and pre-commit hook run the way CI runs them.

use std::path::Path;
use std::process::Command;

use crate::common::{Project, Test};

const SUBCOMMANDS: &[&str] = &[
    "build",
    "check",
    "reconcile",
    "checklist",
    "release-notes",
    "serve",
    "init",
    "completions",
];

#[test]
fn completions_for_every_shell_name_every_subcommand() {
    let project = Project::empty();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = project.test(&["completions", shell]).run();
        for command in SUBCOMMANDS {
            assert!(
                run.stdout.contains(command),
                "{shell} completions do not name `{command}`:\n{}",
                run.stdout
            );
        }
    }
}

#[test]
fn completion_scripts_are_valid_shell_syntax() {
    let project = Project::empty();
    // bash is always here; the others are checked where installed (CI installs them).
    for (shell, checker) in [("bash", "bash"), ("zsh", "zsh"), ("fish", "fish")] {
        let script = project.test(&["completions", shell]).run().stdout;
        let path = project.path(&format!("playbook.{shell}"));
        std::fs::write(&path, &script).unwrap();
        match Command::new(checker).arg("-n").arg(&path).output() {
            Ok(out) => assert!(
                out.status.success(),
                "`{checker} -n` rejects the {shell} completions: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(_) if shell != "bash" && std::env::var_os("CI").is_none() => {
                eprintln!("skipped: {checker} is not installed");
            }
            Err(err) => panic!("cannot run {checker}: {err}"),
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let run = Project::empty()
        .test(&["completions", "tcsh"])
        .status(2)
        .run();
    assert!(run.stderr.contains("possible values"), "{}", run.stderr);
}

/// A folder with nothing in it, for `init`.
fn empty_folder() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn init_makes_a_project_that_builds_and_checks_clean() {
    let dir = empty_folder();
    Test::in_dir(dir.path()).args(["init", "starter"]).run();
    let starter = dir.path().join("starter");
    for file in [
        "playbook.yaml",
        "content/README.md",
        "content/roles.yaml",
        "content/checklists/release.yaml",
        "content/release-notes.yaml",
    ] {
        assert!(starter.join(file).is_file(), "init wrote no {file}");
    }
    Test::in_dir(&starter)
        .args(["check", "--deny-warnings"])
        .stderr("0 errors, 0 warnings\n")
        .run();
    Test::in_dir(&starter).args(["build"]).run();
    // The page embeds the checklist; the checklist's owners are roles.
    let page = std::fs::read_to_string(starter.join("site/releasing.html")).unwrap();
    assert!(
        page.contains("All tests pass on the release branch"),
        "{page}"
    );
    let list = Test::in_dir(&starter)
        .args(["checklist", "--role", "release-manager"])
        .run();
    assert!(
        list.stdout.contains("Release notes written"),
        "{}",
        list.stdout
    );
    let notes = Test::in_dir(&starter)
        .args(["release-notes", "1.0.0"])
        .run();
    assert!(notes.stdout.contains("## Summary"), "{}", notes.stdout);
}

#[test]
fn init_defaults_to_the_current_folder() {
    let dir = empty_folder();
    Test::in_dir(dir.path()).args(["init"]).run();
    assert!(dir.path().join("playbook.yaml").is_file());
    Test::in_dir(dir.path())
        .args(["check", "--deny-warnings"])
        .run();
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_leaves_it_alone() {
    let dir = empty_folder();
    let sentinel = dir.path().join("keep-me.txt");
    std::fs::write(&sentinel, "precious").unwrap();
    Test::in_dir(dir.path())
        .args(["init", "."])
        .status(2)
        .stderr(
            "error: . is not empty; `playbook init` only starts a project in a new or empty folder\n\
             help: run `playbook init NEW-FOLDER`, or add playbook.yaml and content/ by hand\n",
        )
        .run();
    // By its full path too, with a hidden file only.
    let hidden = empty_folder();
    std::fs::write(hidden.path().join(".git"), "gitdir: elsewhere").unwrap();
    let run = Test::in_dir(dir.path())
        .args(["init".as_ref(), hidden.path().as_os_str()])
        .status(2)
        .run();
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&sentinel).unwrap(), "precious");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "init wrote beside the sentinel");
    assert!(!hidden.path().join("playbook.yaml").exists());
}

#[test]
fn init_refuses_a_file() {
    let dir = empty_folder();
    std::fs::write(dir.path().join("notes"), "mine").unwrap();
    let run = Test::in_dir(dir.path())
        .args(["init", "notes"])
        .status(2)
        .run();
    assert!(run.stderr.contains("notes is a file"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes")).unwrap(),
        "mine"
    );
}

/// A project whose check finds an error, so there is a diagnostic to colour.
fn broken() -> Project {
    Project::empty().file("content/README.md", "# Home\n\n[gone](missing.md)\n")
}

const ESC: &str = "\x1b[";

#[test]
fn color_always_colours_diagnostics_and_never_does_not() {
    let project = broken();
    let always = project
        .test(&["check", "--color", "always"])
        .status(1)
        .run();
    assert!(always.stderr.contains(ESC), "{}", always.stderr);
    assert!(always.stderr.contains("missing.md"), "{}", always.stderr);
    // The flag is global: before the command too.
    let before = project.test(&["--color=always", "check"]).status(1).run();
    assert!(before.stderr.contains(ESC), "{}", before.stderr);
    let never = project
        .test(&["check", "--color", "never"])
        .env("CLICOLOR_FORCE", "1")
        .status(1)
        .run();
    assert!(!never.stderr.contains(ESC), "{}", never.stderr);
    assert!(never.stderr.contains("missing.md"), "{}", never.stderr);
}

#[test]
fn auto_colour_honours_no_color_over_clicolor_force() {
    let project = broken();
    let forced = project
        .test(&["check"])
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .status(1)
        .run();
    assert!(forced.stderr.contains(ESC), "{}", forced.stderr);
    let no_color = project
        .test(&["check", "--color", "auto"])
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .status(1)
        .run();
    assert!(!no_color.stderr.contains(ESC), "{}", no_color.stderr);
    // Not a terminal, nothing forced: plain.
    let piped = project
        .test(&["check"])
        .env_remove("NO_COLOR")
        .status(1)
        .run();
    assert!(!piped.stderr.contains(ESC), "{}", piped.stderr);
}

#[test]
fn an_unknown_colour_is_a_usage_error() {
    let run = Project::empty()
        .test(&["build", "--color", "sometimes"])
        .status(2)
        .run();
    assert!(run.stderr.contains("possible values"), "{}", run.stderr);
}

#[test]
fn quiet_prints_only_errors() {
    let project = Project::empty().file("content/README.md", "# Home\n");
    project.test(&["build", "-q"]).stderr("").stdout("").run();
    project.test(&["--quiet", "build"]).stderr("").run();
    let loud = project.test(&["build"]).run();
    // One page, the whole guide to print and the 404 page.
    assert!(loud.stderr.contains("Built 3 pages"), "{}", loud.stderr);
    // Errors still show.
    let run = broken().test(&["-q", "build"]).status(1).run();
    assert!(run.stderr.contains("missing.md"), "{}", run.stderr);
}

#[test]
fn verbose_prints_the_stages_and_conflicts_with_quiet() {
    let project = Project::empty().file("content/README.md", "# Home\n");
    let run = project.test(&["build", "-v"]).run();
    assert!(
        run.stderr.contains(" ms\n  "),
        "no stage timings:\n{}",
        run.stderr
    );
    project.test(&["build", "-q", "-v"]).status(2).run();
}

#[test]
fn serve_open_hands_the_url_to_the_browser() {
    use crate::common::serve::Server;
    let project = Project::empty().file("content/README.md", "# Home\n");
    let opened = project.path("opened.txt");
    let browser = project.path("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let browser = browser.to_string_lossy().into_owned();
    let server = Server::start_with_env(&project, &["--open"], &[("BROWSER", &browser)]);
    let deadline = std::time::Instant::now() + crate::common::serve::PATIENCE;
    while !opened.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut url = String::new();
    while std::time::Instant::now() < deadline {
        url = std::fs::read_to_string(&opened).unwrap_or_default();
        if !url.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(url, server.url, "stderr:\n{}", server.stderr());
}

/// A file at the repository's root, parsed as YAML.
fn repo_yaml(name: &str) -> serde_norway::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{name} is not YAML: {e}"))
}

/// The `run:` of the action's step `id`, with its `env:` keys.
fn action_step(action: &serde_norway::Value, id: &str) -> (String, Vec<String>) {
    let steps = action["runs"]["steps"].as_sequence().expect("runs.steps");
    let step = steps
        .iter()
        .find(|s| s["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no step `{id}` in action.yml"));
    assert_eq!(step["shell"].as_str(), Some("bash"), "step {id}");
    let env = step["env"]
        .as_mapping()
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let run = step["run"].as_str().expect("run").to_string();
    assert!(
        !run.contains("${{"),
        "step {id} pastes an expression into its script (shell injection): {run}"
    );
    (run, env)
}

/// Run an action step's script with bash, as the runner does, with the
/// freshly built `playbook` first on PATH.
fn run_step(script: &str, dir: &Path, env: &[(&str, &str)]) -> std::process::Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_playbook")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    Command::new("bash")
        .args(["-e", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("run bash")
}

#[test]
fn the_action_is_a_composite_action_with_its_inputs() {
    let action = repo_yaml("action.yml");
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    assert!(action["name"].as_str().is_some() && action["description"].as_str().is_some());
    for input in ["root", "args", "sarif"] {
        assert!(
            action["inputs"][input]["description"].as_str().is_some(),
            "input {input}"
        );
    }
    assert_eq!(action["inputs"]["sarif"]["default"].as_str(), Some("false"));
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let upload = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("upload"))
        .expect("upload step");
    assert!(upload["uses"]
        .as_str()
        .unwrap()
        .starts_with("github/codeql-action/upload-sarif@"));
    assert!(upload["if"]
        .as_str()
        .unwrap()
        .contains("inputs.sarif == 'true'"));
    let (_, env) = action_step(&action, "check");
    assert_eq!(env, ["PLAYBOOK_ROOT", "PLAYBOOK_ARGS"]);
}

#[test]
fn the_action_installs_checks_with_annotations_and_writes_sarif() {
    let action = repo_yaml("action.yml");
    let workspace = Project::empty();
    let dir = workspace.path("docs");
    Test::in_dir(workspace.root()).args(["init", "docs"]).run();
    let root = dir.to_string_lossy().into_owned();

    // Already on PATH: the install step keeps it, and builds nothing.
    let (install, _) = action_step(&action, "install");
    let out = run_step(
        &install,
        workspace.root(),
        &[("ACTION_PATH", "/nonexistent")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("already installed"));

    let (check, _) = action_step(&action, "check");
    let env = [
        ("PLAYBOOK_ROOT", root.as_str()),
        ("PLAYBOOK_ARGS", "--deny-warnings"),
    ];
    let clean = run_step(&check, workspace.root(), &env);
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );

    std::fs::write(
        dir.join("content/releasing.md"),
        "# Releasing\n\n[gone](gone.md)\n",
    )
    .unwrap();
    let failed = run_step(&check, workspace.root(), &env);
    assert_eq!(failed.status.code(), Some(1));
    let annotations = String::from_utf8_lossy(&failed.stdout);
    assert!(
        annotations.contains("::error file=") && annotations.contains("gone.md"),
        "{annotations}"
    );

    let (sarif, _) = action_step(&action, "sarif");
    let file = workspace.path("playbook.sarif");
    let file = file.to_string_lossy();
    let out = run_step(
        &sarif,
        workspace.root(),
        &[env[0], env[1], ("SARIF_FILE", &file)],
    );
    assert!(
        out.status.success(),
        "the SARIF step fails the job by itself"
    );
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&*file).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(
        results.iter().any(|r| r.to_string().contains("gone.md")),
        "{log}"
    );
}

#[test]
fn the_pre_commit_hook_runs_playbook_check_once_per_commit() {
    let hooks = repo_yaml(".pre-commit-hooks.yaml");
    let hook = hooks
        .as_sequence()
        .expect("a list of hooks")
        .iter()
        .find(|h| h["id"].as_str() == Some("playbook-check"))
        .expect("the playbook-check hook");
    assert_eq!(hook["language"].as_str(), Some("rust"));
    assert_eq!(hook["pass_filenames"].as_bool(), Some(false));
    assert!(hook["name"].as_str().is_some());
    let files = hook["files"].as_str().expect("files");
    // Markdown and YAML changes only (pre-commit matches with Python's `re.search`).
    assert_eq!(files, r"\.(md|markdown|ya?ml)$");
    // Its command line, as pre-commit runs it (entry, then args), in a project.
    let entry = hook["entry"].as_str().expect("entry");
    let mut words: Vec<String> = entry.split_whitespace().map(String::from).collect();
    assert_eq!(words.remove(0), "playbook");
    if let Some(args) = hook["args"].as_sequence() {
        words.extend(args.iter().filter_map(|a| a.as_str().map(String::from)));
    }
    let dir = empty_folder();
    Test::in_dir(dir.path()).args(["init"]).run();
    Test::in_dir(dir.path()).args(&words).run();
    std::fs::write(
        dir.path().join("content/README.md"),
        "# Home\n\n[x](nope.md)\n",
    )
    .unwrap();
    Test::in_dir(dir.path()).args(&words).status(1).run();
}

#[test]
fn quiet_check_prints_errors_but_not_warnings_or_the_summary() {
    let warned = Project::empty().file("content/README.md", "# Home\n\n<script>x</script>\n");
    let loud = warned.test(&["check"]).run();
    assert!(loud.stderr.contains("warning"), "{}", loud.stderr);
    warned.test(&["check", "-q"]).stderr("").run();
    // A warning that fails the run is shown.
    let denied = warned
        .test(&["check", "-q", "--deny-warnings"])
        .status(1)
        .run();
    assert!(denied.stderr.contains("<script"), "{}", denied.stderr);
    Project::empty()
        .file("content/README.md", "# Home\n")
        .test(&["-q", "check"])
        .stderr("")
        .run();
    let broken = broken().test(&["check", "-q"]).status(1).run();
    assert!(broken.stderr.contains("missing.md"), "{}", broken.stderr);
}
