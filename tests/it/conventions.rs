//! The habits people bring from mdBook, Zola and Hugo (issue 17): shell
//! completions, `init`, the global `--color`/`-q`/`-v`, `serve --open`, and
//! the GitHub Action and pre-commit hook run the way CI runs them.

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
    assert!(page.contains("All tests pass on the release branch"), "{page}");
    let list = Test::in_dir(&starter)
        .args(["checklist", "--role", "release-manager"])
        .run();
    assert!(list.stdout.contains("Release notes written"), "{}", list.stdout);
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
    let always = project.test(&["check", "--color", "always"]).status(1).run();
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
    let piped = project.test(&["check"]).env_remove("NO_COLOR").status(1).run();
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
    assert!(loud.stderr.contains("Built 1 pages"), "{}", loud.stderr);
    // Errors still show.
    let run = broken().test(&["-q", "build"]).status(1).run();
    assert!(run.stderr.contains("missing.md"), "{}", run.stderr);
}

#[test]
fn verbose_prints_the_stages_and_conflicts_with_quiet() {
    let project = Project::empty().file("content/README.md", "# Home\n");
    let run = project.test(&["build", "-v"]).run();
    assert!(run.stderr.contains(" ms\n  "), "no stage timings:\n{}", run.stderr);
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
