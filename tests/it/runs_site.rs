//! Release runs on the site: the runs index and a page per run, built from
//! a run file (names in it are hostile: they must stay text), and the one
//! write path of `playbook serve` (a tick on a run page writes the run
//! file), attacked every way a page from elsewhere could try.

use crate::common;

use common::serve::Server;
use common::Project;

const HOSTILE: &str = "<script>alert(1)</script>";

/// A run file in the one-line-per-item form the CLI writes.
fn run_file(version: &str, release_type: &str) -> String {
    let text = format!(
        "version: {version}\ntype: {release_type}\ndate: 2026-12-06\nstarted_by: \"Dana {HOSTILE}\"\nstarted_at: 2026-12-06T09:00:00Z\nitems:\n\
- {{id: release/tests-pass, group: before, phase: pre-release, owners: [qa], state: open, text: All tests pass}}\n\
- {{id: release/backup, group: before, phase: pre-release, owners: [sre], optional: true, state: open, text: Backup taken}}\n\
- {{id: release/notes, group: before, phase: pre-release, owners: [qa], state: done, by: \"Sam <b>O'Neil</b>\", at: 2026-12-06T09:05:00Z, note: \"</li><img src=x onerror=alert(1)>\", text: Release notes written}}\n\
- {{id: release/deploy, group: during, phase: deployment, owners: [sre], state: skipped, reason: \"canary only {HOSTILE}\", by: Kim, at: 2026-12-06T10:00:00Z, text: Deploy to production}}\n"
    );
    let run = playbook::runs::parse("run", &text).expect("the fixture run parses");
    playbook::runs::format(&run)
}

/// A playbook with two roles, one checklist and runs 2.4.0 and 2.10.0.
pub(crate) fn project() -> Project {
    Project::empty()
        .file("content/README.md", "# Home\n\nThe playbook.\n")
        .file(
            "content/roles.yaml",
            "roles:\n  - id: qa\n    name: \"QA <i>Lead</i>\"\n  - id: sre\n    name: SRE\n",
        )
        .file(
            "content/checklists/release.yaml",
            "id: release\ntitle: Release\ngroups:\n  - id: before\n    title: Before\n    phase: pre-release\n    items:\n      - {id: tests-pass, text: All tests pass, owners: [qa]}\n      - {id: backup, text: Backup taken, owners: [sre], optional: true}\n      - {id: notes, text: Release notes written, owners: [qa]}\n  - id: during\n    title: During\n    phase: deployment\n    items:\n      - {id: deploy, text: Deploy to production, owners: [sre]}\n",
        )
        .file("content/runs/2.4.0.yaml", run_file("2.4.0", "major"))
        .file("content/runs/2.10.0.yaml", run_file("2.10.0", "minor"))
}

#[test]
fn the_runs_index_lists_every_run_newest_first_with_its_gate() {
    let project = project();
    project.build();
    let index = project.page("site/runs/index.html");
    assert_eq!(index.texts("h1"), ["Release runs"]);
    assert_eq!(
        index.attrs(".runs-table tbody tr", "data-version"),
        ["2.10.0", "2.4.0"]
    );
    assert_eq!(
        index.attrs(".runs-table tbody a", "href"),
        ["2.10.0/index.html", "2.4.0/index.html"]
    );
    assert_eq!(
        index.texts(".runs-table tbody tr"),
        [
            "2.10.0 minor 2026-12-06 2 of 4 closed 1 required open",
            "2.4.0 major 2026-12-06 2 of 4 closed 1 required open"
        ]
    );
    // A role's page opens each run "for the role": its items only.
    let qa = project.page("site/roles/qa.html");
    assert_eq!(
        qa.attrs(".role-runs a", "href"),
        [
            "../runs/2.10.0/index.html?role=qa",
            "../runs/2.4.0/index.html?role=qa"
        ]
    );
    assert_eq!(
        qa.texts(".role-runs li")[1],
        "Release 2.4.0 : 1 of 2 closed, 1 required open"
    );
    // The sidebar has the runs, on every page; search finds a run by its version.
    let home = project.page("site/index.html");
    assert!(home
        .texts(".sidebar a")
        .contains(&"Release runs".to_string()));
    let search: String = common::tree(&project.path("site/search"))
        .into_values()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    assert!(
        search.contains("runs/2.4.0/index.html"),
        "run page not in search"
    );
    assert!(search.contains("Release 2.4.0"));
}

#[test]
fn a_run_page_shows_open_required_first_who_and_when_and_reasons_as_text() {
    let project = project();
    project.build();
    let page = project.page("site/runs/2.4.0/index.html");
    assert_eq!(page.texts("h1"), ["Release 2.4.0"]);
    assert_eq!(
        page.texts("article h2"),
        [
            "Progress by phase",
            "Progress by role",
            "Open, required (1)",
            "Open, optional (1)",
            "Skipped (1)",
            "Done (1)",
            "Sign-offs"
        ]
    );
    assert_eq!(
        page.attrs("li.run-item", "data-item"),
        [
            "release/tests-pass",
            "release/backup",
            "release/deploy",
            "release/notes"
        ]
    );
    assert_eq!(
        page.texts(".run-phases tbody tr"),
        ["Pre-release 1 of 3 1", "Deployment 1 of 1 0"]
    );
    assert_eq!(page.texts(".run-roles tbody th"), ["QA <i>Lead</i>", "SRE"]);
    assert_eq!(
        page.attrs(".run-roles tbody a", "href"),
        ["?role=qa", "?role=sre"]
    );
    assert!(page.texts(".run-gate")[0].starts_with("Pre-release gate: 1 required item open."));
    // Who ticked what and when; the skip's reason; the note: all as text.
    assert_eq!(
        page.texts("#item-3 .run-item-meta"),
        ["done · Pre-release · before · QA <i>Lead</i> · Sam <b>O'Neil</b> 2026-12-06T09:05:00Z"]
    );
    assert_eq!(
        page.texts("#item-3 .run-item-note"),
        ["Note: </li><img src=x onerror=alert(1)>"]
    );
    assert_eq!(
        page.texts("#item-4 .run-item-reason"),
        [format!("Reason: canary only {HOSTILE}")]
    );
    assert!(page.texts(".lead")[0].contains(&format!("Dana {HOSTILE}")));
    for tag in ["article script", "article img", "article b", "article i"] {
        assert_eq!(page.count(tag), 0, "{tag} in the run page");
    }
    assert_eq!(page.count("head script[src='../../theme/runs.js']"), 1);
    // A static page: read-only, and no write token on disk anywhere.
    assert_eq!(page.count("li.run-item input[disabled]"), 4);
    for (path, bytes) in common::tree(&project.path("site")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("playbook-run-writer\" data-token"),
            "{path} holds a write token"
        );
    }
}

#[test]
fn a_site_without_runs_has_no_runs_pages() {
    let project = Project::empty().file("content/README.md", "# Home\n");
    project.build();
    assert!(!project.path("site/runs").exists());
    assert!(!project.read("site/index.html").contains("Release runs"));
}

#[test]
fn rebuilds_are_byte_identical() {
    let project = project();
    project.build();
    let first = common::tree(&project.path("site/runs"));
    project.build();
    assert_eq!(common::tree(&project.path("site/runs")), first);
}

/// The served run page's token.
fn token(server: &Server) -> String {
    let page = server.wait_for_text("/runs/2.4.0/", "playbook-run-writer");
    let at = page.body.find("data-token=\"").expect("a token") + "data-token=\"".len();
    page.body[at..at + 64].to_string()
}

/// A POST to the write path with these headers (each `Name: value`).
fn post(server: &Server, target: &str, headers: &[String], body: &str) -> common::serve::Reply {
    let mut request = format!("POST {target} HTTP/1.1\r\n");
    for header in headers {
        request.push_str(header);
        request.push_str("\r\n");
    }
    request.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    server.raw(&request)
}

/// The headers a run page served by `server` sends.
fn page_headers(server: &Server, token: &str) -> Vec<String> {
    vec![
        format!("Host: {}", server.addr),
        format!("Origin: http://{}", server.addr),
        "Sec-Fetch-Site: same-origin".to_string(),
        "Content-Type: application/json".to_string(),
        format!("X-Playbook-Token: {token}"),
    ]
}

const ITEMS: &str = "/__playbook/runs/2.4.0/items";
const TICK: &str = r#"{"item": "release/tests-pass", "state": "done", "by": "Ana"}"#;

#[test]
fn under_serve_a_tick_writes_one_line_of_the_run_file_and_the_page_follows() {
    let project = project();
    let server = Server::start(&project);
    let token = token(&server);
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    // Only run pages carry the token.
    assert!(!server.get("/").body.contains(&token));
    assert!(!server.get("/runs/").body.contains(&token));
    let before = project.read("content/runs/2.4.0.yaml");
    let reply = post(&server, ITEMS, &page_headers(&server, &token), TICK);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let after = project.read("content/runs/2.4.0.yaml");
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed[0].1.starts_with("- {id: release/tests-pass, ")
            && changed[0].1.contains("state: done, by: Ana, at: "),
        "{}",
        changed[0].1
    );
    // The watcher rebuilds: the page shows the tick by itself.
    let page = server.wait_for_text("/runs/2.4.0/", "Open, required (0)");
    assert!(page.body.contains("Ana"));
    // And back to open: the line is as it was.
    let reopen = r#"{"item": "release/tests-pass", "state": "open"}"#;
    let reply = post(&server, ITEMS, &page_headers(&server, &token), reopen);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(project.read("content/runs/2.4.0.yaml"), before);
}

#[test]
fn under_serve_every_other_write_is_refused_and_the_file_stays_byte_identical() {
    let project = project();
    let server = Server::start(&project);
    let token = token(&server);
    let good = page_headers(&server, &token);
    let without = |name: &str| -> Vec<String> {
        good.iter()
            .filter(|h| !h.starts_with(name))
            .cloned()
            .collect()
    };
    let with = |name: &str, value: &str| -> Vec<String> {
        let mut headers = without(name);
        headers.push(format!("{name}: {value}"));
        headers
    };
    let big = format!(
        r#"{{"item": "release/tests-pass", "state": "done", "by": "Ana", "note": "{}"}}"#,
        "x".repeat(20_000)
    );
    let cases: Vec<(&str, String, Vec<String>, String, u16)> = vec![
        ("no token", ITEMS.into(), without("X-Playbook-Token"), TICK.into(), 403),
        ("wrong token", ITEMS.into(), with("X-Playbook-Token", &"0".repeat(64)), TICK.into(), 403),
        ("token cut short", ITEMS.into(), with("X-Playbook-Token", &token[..63]), TICK.into(), 403),
        ("another origin", ITEMS.into(), with("Origin", "http://evil.example"), TICK.into(), 403),
        ("origin null", ITEMS.into(), with("Origin", "null"), TICK.into(), 403),
        ("no origin", ITEMS.into(), without("Origin"), TICK.into(), 403),
        ("another host", ITEMS.into(), with("Host", "evil.example"), TICK.into(), 403),
        (
            "rebinding: host and origin agree on a foreign name",
            ITEMS.into(),
            {
                let mut h = with("Host", "evil.example");
                h.retain(|h| !h.starts_with("Origin"));
                h.push("Origin: http://evil.example".into());
                h
            },
            TICK.into(),
            403,
        ),
        ("cross-site fetch", ITEMS.into(), with("Sec-Fetch-Site", "cross-site"), TICK.into(), 403),
        ("a form post", ITEMS.into(), with("Content-Type", "text/plain"), TICK.into(), 415),
        (
            "an id not in the run",
            ITEMS.into(),
            good.clone(),
            r#"{"item": "release/nope", "state": "done", "by": "Ana"}"#.into(),
            422,
        ),
        (
            "an item's text is not its id",
            ITEMS.into(),
            good.clone(),
            r#"{"item": "All tests pass", "state": "done", "by": "Ana"}"#.into(),
            422,
        ),
        (
            "a bad state",
            ITEMS.into(),
            good.clone(),
            r#"{"item": "release/tests-pass", "state": "finished", "by": "Ana"}"#.into(),
            400,
        ),
        (
            "an unknown field",
            ITEMS.into(),
            good.clone(),
            r#"{"item": "release/tests-pass", "state": "done", "by": "Ana", "at": "2020-01-01T00:00:00Z"}"#.into(),
            400,
        ),
        (
            "a name with a line break",
            ITEMS.into(),
            good.clone(),
            r#"{"item": "release/tests-pass", "state": "done", "by": "Ana\nstate: done"}"#.into(),
            400,
        ),
        (
            "a skip without a reason",
            ITEMS.into(),
            good.clone(),
            r#"{"item": "release/tests-pass", "state": "skipped", "by": "Ana"}"#.into(),
            400,
        ),
        ("not JSON", ITEMS.into(), good.clone(), "item=release/tests-pass".into(), 400),
        ("an oversized body", ITEMS.into(), good.clone(), big, 413),
        ("a run that does not exist", "/__playbook/runs/3.0.0/items".into(), good.clone(), TICK.into(), 404),
        (
            "a version that climbs out",
            "/__playbook/runs/..%2F2.4.0/items".into(),
            good.clone(),
            TICK.into(),
            404,
        ),
        ("another path", "/runs/2.4.0/index.html".into(), good.clone(), TICK.into(), 405),
    ];
    let before = common::tree(&project.path("content"));
    for (what, target, headers, body, status) in cases {
        let reply = post(&server, &target, &headers, &body);
        assert_eq!(reply.status, status, "{what}: {}", reply.body);
        assert_eq!(
            common::tree(&project.path("content")),
            before,
            "{what} changed a file"
        );
    }
    for method in ["GET", "HEAD", "PUT", "DELETE"] {
        let reply = server.raw_request(method, ITEMS);
        assert_eq!(reply.status, 405, "{method}");
    }
    assert_eq!(common::tree(&project.path("content")), before);
    // The right request still works after all that.
    assert_eq!(post(&server, ITEMS, &good, TICK).status, 200);
}

#[test]
fn under_serve_a_page_tick_and_a_command_line_tick_at_once_both_land() {
    let project = project();
    let server = Server::start(&project);
    let token = token(&server);
    let headers = page_headers(&server, &token);
    std::thread::scope(|s| {
        let cli = s.spawn(|| {
            project
                .test(&["run", "tick", "2.4.0", "release/backup", "--by", "Cli"])
                .run();
        });
        for _ in 0..3 {
            let reply = post(&server, ITEMS, &headers, TICK);
            assert_eq!(reply.status, 200, "{}", reply.body);
        }
        cli.join().unwrap();
    });
    let text = project.read("content/runs/2.4.0.yaml");
    assert!(text.contains("state: done, by: Ana"), "{text}");
    assert!(text.contains("state: done, by: Cli"), "{text}");
    let leftovers: Vec<String> = std::fs::read_dir(project.path("content/runs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
