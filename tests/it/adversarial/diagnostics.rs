//! Diagnostics that hid problems (issue 12, points 9 to 12): every broken
//! link reported where it is, typos in keys named, unreadable settings
//! refused, and small messages that misled.

use crate::common::serve::Server;
use crate::common::Project;

/// The `path:line:col: message` lines of a run's stderr (`error:` / `warning:`
/// lines with their location arrow folded in), in order.
fn located(stderr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut message = None;
    for line in stderr.lines() {
        if let Some(rest) = line
            .strip_prefix("error")
            .or_else(|| line.strip_prefix("warning"))
        {
            message = rest.split_once(": ").map(|(_, m)| m.to_string());
        } else if let (Some(at), Some(m)) = (line.trim_start().strip_prefix("┌─ "), &message) {
            out.push(format!("{at}: {m}"));
            message = None;
        }
    }
    out
}

// ------------------------------------------------------------- 12. yaml-rust

#[test]
fn yaml_rust_is_not_a_dependency() {
    for (file, lock) in [
        (
            "Cargo.lock",
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")),
        ),
        (
            "fuzz/Cargo.lock",
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/Cargo.lock")),
        ),
    ] {
        assert!(
            !lock.contains("name = \"yaml-rust\""),
            "yaml-rust (RUSTSEC-2024-0320) is back in {file}"
        );
    }
}

// ------------------------------------------- 9. every broken link, where it is

/// The `does not exist` errors of `playbook check`, as `path:line:col`.
fn missing_files(project: &Project) -> Vec<String> {
    let run = project.test(&["check"]).status(1).run();
    located(&run.stderr)
        .into_iter()
        .filter(|l| l.contains("does not exist"))
        .collect()
}

#[test]
fn identical_broken_links_in_a_checklist_are_each_reported_where_they_are() {
    let project = Project::empty()
        .file("content/index.md", "[Deploy](checklists/deploy.yaml)\n")
        .file(
            "content/checklists/deploy.yaml",
            "id: deploy\ntitle: Deploy\ngroups:\n  - id: before\n    title: Before\n    items:\n      - id: one\n        text: Read [the plan](plan.md)\n      - id: two\n        text: Read [the plan](plan.md)\n      - id: three\n        text: \"Both [a](plan.md) and [b](plan.md)\"\n      - id: four\n        text: >-\n          Folded, and then\n          [the plan](plan.md)\n",
        );
    let message = "file content/checklists/plan.md does not exist";
    assert_eq!(
        missing_files(&project),
        [
            format!("content/checklists/deploy.yaml:8:31: {message}"),
            format!("content/checklists/deploy.yaml:10:31: {message}"),
            format!("content/checklists/deploy.yaml:12:25: {message}"),
            format!("content/checklists/deploy.yaml:12:42: {message}"),
            format!("content/checklists/deploy.yaml:16:22: {message}"),
        ]
    );
}

#[test]
fn identical_broken_links_in_roles_and_release_notes_are_each_reported() {
    let project = Project::empty()
        .file("content/index.md", "# Home\n")
        .file(
            "content/roles.yaml",
            "roles:\n  - id: qa\n    name: QA\n    summary: See [the guide](guide.md)\n    responsibilities:\n      - Follow [the guide](guide.md)\n      - Follow [the guide](guide.md)\n  - id: sre\n    name: SRE\n    summary: See [the guide](guide.md)\n",
        )
        .file(
            "content/release-notes.yaml",
            "title: Release {version}\nsections:\n  - id: fixes\n    title: Fixes\n    prompt: As in [the guide](guide.md)\n  - id: features\n    title: Features\n    prompt: As in [the guide](guide.md)\n",
        );
    let message = "file content/guide.md does not exist";
    assert_eq!(
        missing_files(&project),
        [
            format!("content/release-notes.yaml:5:31: {message}"),
            format!("content/release-notes.yaml:8:31: {message}"),
            format!("content/roles.yaml:4:30: {message}"),
            format!("content/roles.yaml:6:28: {message}"),
            format!("content/roles.yaml:7:28: {message}"),
            format!("content/roles.yaml:10:30: {message}"),
        ]
    );
}

#[test]
fn identical_broken_links_on_a_page_are_each_reported() {
    let project = Project::empty().file(
        "content/index.md",
        "# Home\n\n[a](gone.md) and [a](gone.md)\n\n[a](gone.md)\n",
    );
    let message = "file content/gone.md does not exist";
    assert_eq!(
        missing_files(&project),
        [
            format!("content/index.md:3:1: {message}"),
            format!("content/index.md:3:18: {message}"),
            format!("content/index.md:5:1: {message}"),
        ]
    );
}

// ------------------------------------------------ 10. typos and unreadable settings

#[test]
fn misspelt_front_matter_keys_are_warnings_with_a_suggestion() {
    let project = Project::empty().file(
        "content/index.md",
        "---\ntitle: Home\nowner: ops\n---\n# Home\n",
    )
    .file(
        "content/deploy.md",
        "---\ntitel: Deploying\nowner: ops\n# a comment\nwieght: 3\nRoles: [qa]\n---\n# Deploy\n",
    );
    let run = project.test(&["check"]).run();
    assert_eq!(
        located(&run.stderr),
        [
            "content/deploy.md:2:1: unknown front matter key `titel`: did you mean `title`?",
            "content/deploy.md:5:1: unknown front matter key `wieght`: did you mean `weight`?",
            "content/deploy.md:6:1: unknown front matter key `Roles`: did you mean `roles`?",
        ]
    );
    assert!(run.stderr.contains("= help: rename it to `title`; playbook reads `title`, `description`, `weight`, `draft` and `roles`, and passes any other key to templates as it is"), "{}", run.stderr);
    project.test(&["check", "--deny-warnings"]).status(1).run();
}

#[test]
fn a_misspelt_setting_is_an_error_with_a_suggestion() {
    let project = Project::empty()
        .file("content/index.md", "# Home\n")
        .file("playbook.yaml", "title: Ops\nmax_file: 10\n");
    let run = project.test(&["check"]).status(1).run();
    assert!(
        run.stderr
            .contains("= help: did you mean `max_files` rather than `max_file`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_playbook_yaml_that_is_a_folder_is_an_error_not_the_defaults() {
    let project = Project::empty()
        .file("content/index.md", "# Home\n")
        .file("playbook.yaml/inside", "title: Ops\n");
    let run = project.test(&["build"]).status(2).run();
    assert_eq!(
        run.stderr,
        "error: cannot read playbook.yaml: it is a folder, not a file; make it a readable YAML file, or remove it to use the default settings\n"
    );
    assert!(!project.path("site").exists());
}

#[test]
fn a_playbook_yaml_that_is_not_utf8_is_an_error_at_the_bad_byte() {
    let project = Project::empty()
        .file("content/index.md", "# Home\n")
        .file("playbook.yaml", b"title: Ops\ndescription: caf\xe9\n");
    let run = project.test(&["check"]).status(1).run();
    assert_eq!(
        located(&run.stderr),
        ["playbook.yaml:2:17: file is not valid UTF-8: byte 0xE9 is not part of any UTF-8 character"]
    );
}

#[cfg(unix)]
#[test]
fn a_playbook_yaml_nobody_may_read_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::empty()
        .file("content/index.md", "# Home\n")
        .file("playbook.yaml", "title: Ops\n");
    let path = project.path("playbook.yaml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        eprintln!("skipped: running as a user who reads any file (root)");
        return;
    }
    let run = project.test(&["check"]).status(2).run();
    assert_eq!(
        run.stderr,
        "error: cannot read playbook.yaml: Permission denied (os error 13); make it a readable YAML file, or remove it to use the default settings\n"
    );
}

#[cfg(unix)]
#[test]
fn a_playbook_yaml_linking_nowhere_is_an_error() {
    let project = Project::empty().file("content/index.md", "# Home\n");
    std::os::unix::fs::symlink("gone.yaml", project.path("playbook.yaml")).unwrap();
    let run = project.test(&["check"]).status(2).run();
    assert!(
        run.stderr
            .starts_with("error: cannot read playbook.yaml: No such file or directory"),
        "{}",
        run.stderr
    );
}

// ------------------------------------------------------------- 11. smaller

#[test]
fn a_content_folder_that_is_a_file_is_called_a_file() {
    let project = Project::empty().file("docs.md", "# Not a folder\n");
    let run = project
        .test(&["check", "--content", "docs.md"])
        .status(2)
        .run();
    assert_eq!(
        run.stderr,
        "error: the content folder docs.md is a file, not a folder; point --content at a folder of Markdown\n"
    );
}

#[test]
fn nul_characters_are_errors_where_they_are() {
    let project = Project::empty()
        .file("content/index.md", "# Home\n")
        .file("content/raw.md", b"# Raw\n\nA H\0eading\n")
        .file(
            "content/escaped.md",
            "---\ntitle: \"A\\0B\"\n---\n# Escaped\n",
        )
        .file(
            "content/roles.yaml",
            "roles:\n  - id: qa\n    name: \"Q\\x00A\"\n",
        )
        .file("content/raw.yaml", b"a: ok\nb: \"x\0y\"\n");
    let run = project.test(&["build"]).status(1).run();
    assert_eq!(
        located(&run.stderr),
        [
            "content/escaped.md:2:8: the value of `title` holds a NUL character (U+0000)",
            "content/raw.md:3:4: NUL character (U+0000) in the text",
            "content/raw.yaml:2:6: invalid YAML: control characters are not allowed",
            "content/roles.yaml:3:11: the value of `roles/0/name` holds a NUL character (U+0000)",
        ]
    );
    assert!(!project.path("site").exists());
}

#[test]
fn a_float_weight_is_shown_as_written() {
    let project = Project::empty().file("content/index.md", "---\nweight: 1e300\n---\n# Home\n");
    let run = project.test(&["check"]).status(1).run();
    assert_eq!(
        located(&run.stderr),
        ["content/index.md:2:9: invalid front matter: weight: invalid type: floating point `1e300`, expected i64"]
    );
}

#[test]
fn two_files_with_one_page_url_get_a_hint_about_them() {
    let project = Project::empty()
        .file("content/dup.md", "# One\n")
        .file("content/dup.markdown", "# Two\n")
        .file("content/guide/README.md", "# Guide\n")
        .file("content/guide/index.md", "# Guide too\n");
    let run = project.test(&["check"]).status(1).run();
    assert!(
        run.stderr.contains("both content/dup.markdown and content/dup.md would become dup.html\n = in content/dup.md:1:1\n = help: these files have the same page URL, dup.html: rename or remove one of them\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("= help: a folder takes one index page: keep README.md, index.md or _index.md, and rename the others"),
        "{}",
        run.stderr
    );
}

#[test]
fn serve_drops_clients_that_send_half_a_header() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    let project = Project::empty().file("content/index.md", "# Home\n");
    let server = Server::start_with_env(&project, &[], &[("PLAYBOOK_HEADER_TIMEOUT_MS", "500")]);
    let started = Instant::now();
    let mut slow: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut stream = TcpStream::connect(&server.addr).expect("connect");
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .expect("send half a header");
            stream
        })
        .collect();
    for (i, stream) in slow.iter_mut().enumerate() {
        let left = Duration::from_secs(10).saturating_sub(started.elapsed());
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        let mut rest = Vec::new();
        if let Err(err) = stream.read_to_end(&mut rest) {
            assert!(
                !matches!(
                    err.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
                "connection {i} is still open after {:?}",
                started.elapsed()
            );
        }
    }
    // And the server still answers.
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).expect("a reply");
    assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
    assert!(reply.contains("<h1"), "{reply}");
}
