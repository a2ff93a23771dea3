//! `playbook serve`, run for real: the binary is started on a free port
//! (`--port 0`, the URL read from its first line of output) in a temporary
//! project, and driven over HTTP on loopback while the test edits files.
//! Every server is killed by a drop guard, so a failing test leaks nothing
//! (the harness, shared with the browser tests, is `common::serve`).

use crate::common;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use common::serve::{collect, Server, PATIENCE};
use common::Project;

/// A small site that `check` finds nothing wrong with.
fn site() -> Project {
    Project::empty()
        .file(
            "content/README.md",
            "# Home\n\nHello from the home page. Read [the guide](guide/alpha.md).\n",
        )
        .file("content/guide/README.md", "# Guide\n\nThe guide.\n")
        .file(
            "content/guide/alpha.md",
            "# Alpha\n\nFirst version of alpha.\n",
        )
}

fn write(project: &Project, rel: &str, text: &str) {
    let path = project.path(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const SCRIPT: &str = "<script src=\"/__playbook/livereload.js\"";

#[test]
fn serves_the_site_from_memory_with_the_live_reload_script() {
    let project = site();
    let server = Server::start(&project);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let stderr = server.wait_for_stderr("built 5 pages in");
    assert!(!stderr.contains("error"), "{stderr}");

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert_eq!(home.header("cache-control"), Some("no-cache"));
    assert!(home.body.contains("Hello from the home page"));
    assert_eq!(home.body.matches(SCRIPT).count(), 1);
    let script_at = home.body.find(SCRIPT).unwrap();
    assert!(home.body[script_at..].contains("</body>"));
    assert!(home.body.trim_end().ends_with("</html>"));
    assert_eq!(server.get("/index.html").body, home.body);

    assert!(server
        .get("/guide/alpha.html")
        .body
        .contains("First version"));
    assert!(server.get("/guide/").body.contains("The guide."));
    let folder = server.get("/guide");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/guide/"));

    let script = server.get("/__playbook/livereload.js");
    assert_eq!(script.status, 200);
    assert_eq!(script.content_type, "text/javascript; charset=utf-8");
    assert!(script.body.contains("EventSource('/__playbook/events')"));

    let missing = server.get("/nope.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains(SCRIPT), "a 404 page reloads too");

    // The script is only ever added by serve: the build's pages have none.
    project.build();
    let built = project.read("site/index.html");
    assert!(!built.contains("__playbook"), "{built}");
    let script_end =
        script_at + home.body[script_at..].find("</script>").unwrap() + "</script>".len();
    let without_script = format!("{}{}", &home.body[..script_at], &home.body[script_end..]);
    assert_eq!(
        without_script, built,
        "serve shows the bytes build writes, plus the script"
    );
}

#[test]
fn an_edit_reloads_open_pages_and_renders_only_what_changed() {
    let project = site();
    let server = Server::start(&project);
    let events = server.events();

    write(
        &project,
        "content/guide/alpha.md",
        "# Alpha\n\nSecond version of alpha.\n",
    );
    events.expect("reload");
    let page = server.get("/guide/alpha.html");
    assert!(page.body.contains("Second version"), "{}", page.body);
    server.wait_for_stderr("rebuilt 2 of 5 pages in");

    // Each save is a reload; a save that changes nothing is not.
    write(
        &project,
        "content/guide/alpha.md",
        "# Alpha\n\nThird version of alpha.\n",
    );
    events.expect("reload");
    assert!(server
        .get("/guide/alpha.html")
        .body
        .contains("Third version"));
    write(
        &project,
        "content/guide/alpha.md",
        "# Alpha\n\nThird version of alpha.\n",
    );
    events.expect_none(Duration::from_millis(1500));
}

#[test]
fn a_body_edit_rebuilds_only_that_page_and_the_search_index_follows() {
    let project = site();
    let server = Server::start_with(&project, &["--timings"]);
    server.wait_for_stderr("built 5 pages");
    let events = server.events();

    write(
        &project,
        "content/guide/alpha.md",
        "# Alpha\n\nSecond version of alpha, about zeppelins.\n",
    );
    events.expect("reload");
    assert!(server.get("/guide/alpha.html").body.contains("zeppelins"));
    let stderr = server.wait_for_stderr("rebuilt 2 of 5 pages in");
    assert!(
        stderr.contains("parse edited"),
        "a body edit takes the page-only path: {stderr}"
    );
    // The index catches up after the page is served.
    server.wait_for_text("/search/t-ze.js", "\"zeppelin\""); // the stem of "zeppelins"
}

#[test]
fn an_edit_other_pages_depend_on_rebuilds_everything() {
    let project = site().file(
        "content/guide/beta.md",
        "# Beta\n\nSee [alpha's setup](alpha.md#setup).\n",
    );
    write(
        &project,
        "content/guide/alpha.md",
        "# Alpha\n\n## Setup\n\nSteps.\n",
    );
    let server = Server::start_with(&project, &["--timings"]);
    server.wait_for_stderr("built 6 pages");
    let events = server.events();

    // Renaming the heading removes the anchor beta links to: beta is broken
    // now, which only a full check can see.
    write(
        &project,
        "content/guide/alpha.md",
        "# Alpha\n\n## Install\n\nSteps.\n",
    );
    let error = events.expect("error");
    assert!(error.contains("guide/beta.md"), "{error}");
    assert!(error.contains("#setup"), "{error}");
    let stderr = server.wait_for_stderr("still serving the last good build");
    assert!(!stderr.contains("parse edited"), "{stderr}");

    // A page-only edit that breaks a link is caught too.
    write(
        &project,
        "content/guide/alpha.md",
        "# Alpha\n\n## Setup\n\nSteps.\n",
    );
    events.expect("reload");
    write(
        &project,
        "content/guide/alpha.md",
        "# Alpha\n\n## Setup\n\nSteps, see [nowhere](nowhere.md).\n",
    );
    let error = events.expect("error");
    assert!(error.contains("guide/alpha.md:5:"), "{error}");
    assert!(error.contains("nowhere.md"), "{error}");
    write(
        &project,
        "content/guide/alpha.md",
        "# Alpha\n\n## Setup\n\nSteps again.\n",
    );
    events.expect("reload");
    assert!(server
        .get("/guide/alpha.html")
        .body
        .contains("Steps again."));
}

#[test]
fn new_renamed_and_deleted_pages_are_picked_up() {
    let project = site();
    let server = Server::start(&project);
    let events = server.events();

    write(&project, "content/guide/beta.md", "# Beta\n\nA new page.\n");
    events.expect("reload");
    assert!(server.get("/guide/beta.html").body.contains("A new page."));
    assert!(
        server.get("/").body.contains("guide/beta.html"),
        "the navigation lists the new page"
    );

    std::fs::rename(
        project.path("content/guide/beta.md"),
        project.path("content/guide/gamma.md"),
    )
    .unwrap();
    events.expect("reload");
    server.wait_for_text("/guide/gamma.html", "A new page.");
    assert_eq!(server.get("/guide/beta.html").status, 404);

    std::fs::remove_file(project.path("content/guide/gamma.md")).unwrap();
    events.expect("reload");
    let deadline = Instant::now() + PATIENCE;
    while server.get("/guide/gamma.html").status != 404 {
        assert!(
            Instant::now() < deadline,
            "the deleted page is still served"
        );
        thread::sleep(Duration::from_millis(50));
    }
    assert!(!server.get("/").body.contains("guide/gamma.html"));

    // A new folder, too.
    write(&project, "content/ops/README.md", "# Ops\n\nOperations.\n");
    server.wait_for_text("/ops/", "Operations.");
}

#[test]
fn a_broken_page_keeps_the_last_good_site_and_shows_the_error() {
    let project = site();
    let server = Server::start(&project);
    let events = server.events();

    write(
        &project,
        "content/guide/alpha.md",
        "---\ntitle: [unclosed\n---\n# Alpha\n\n<b>Broken</b> version.\n",
    );
    let error = events.expect("error");
    assert!(error.contains("guide/alpha.md:2:"), "{error}");
    assert!(error.contains("front-matter"), "{error}");
    let stderr = server.wait_for_stderr("still serving the last good build");
    assert!(stderr.contains("guide/alpha.md:2:"), "{stderr}");

    // The last good site is still served, and a page opened now learns of
    // the error as soon as it connects.
    let page = server.get("/guide/alpha.html");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("First version"));
    let late = server.events();
    assert!(late.expect("error").contains("guide/alpha.md:2:"));

    write(
        &project,
        "content/guide/alpha.md",
        "# Alpha\n\nFixed version.\n",
    );
    events.expect("reload");
    late.expect("reload");
    assert!(server
        .get("/guide/alpha.html")
        .body
        .contains("Fixed version."));
    // A page opened after the fix sees no error.
    let fresh = server.events();
    fresh.expect_none(Duration::from_millis(300));
}

#[test]
fn starting_with_broken_content_serves_the_problem_then_recovers() {
    let project = site().file("content/README.md", "---\ntitle: \"<oops>\n---\n# Home\n");
    let server = Server::start(&project);
    server.wait_for_stderr("the site could not be built");

    let page = server.get("/");
    assert_eq!(page.status, 503);
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    assert!(page.body.contains("README.md:2:"), "{}", page.body);
    assert!(
        page.body.contains("&lt;oops&gt;"),
        "the diagnostic is escaped"
    );
    assert!(!page.body.contains("<oops>"));
    assert!(page.body.contains(SCRIPT));
    let events = server.events();
    assert!(events.expect("error").contains("README.md:2:"));

    write(&project, "content/README.md", "# Home\n\nRecovered.\n");
    events.expect("reload");
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Recovered."));
}

#[test]
fn config_changes_rebuild_and_hidden_or_output_files_do_not() {
    let project = site();
    let server = Server::start(&project);
    let events = server.events();

    write(&project, "playbook.yaml", "title: Renamed Playbook\n");
    events.expect("reload");
    server.wait_for_text("/guide/alpha.html", "Renamed Playbook");

    write(&project, "playbook.yaml", "title: [bad\n");
    assert!(events.expect("error").contains("playbook.yaml"));
    write(&project, "playbook.yaml", "title: Good Again\n");
    events.expect("reload");

    events.drain();
    write(&project, "content/.alpha.md.swp", "swap");
    write(&project, "content/guide/alpha.md~", "backup");
    write(&project, "content/.git/index", "git");
    write(&project, "site/index.html", "stale output");
    write(&project, ".playbook/cache.json", "{}");
    write(&project, "notes.txt", "not part of the site");
    events.expect_none(Duration::from_millis(1500));
}

#[test]
fn paths_outside_the_site_are_never_served() {
    let project = site()
        .file("secret.txt", "TOP-SECRET-MARKER\n")
        .file("content/guide/notes.txt", "plain notes\n");
    let server = Server::start(&project);
    assert_eq!(server.get("/guide/notes.txt").status, 200);
    // Symlinks out of the content make the content invalid (the rebuild fails
    // and the last good site stays served); either way they are never served.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(project.path("secret.txt"), project.path("content/leak.txt"))
            .unwrap();
        std::os::unix::fs::symlink(project.root(), project.path("content/leakdir")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", project.path("content/passwd.txt")).unwrap();
    }

    let attempts = [
        "/../secret.txt",
        "/../Cargo.toml",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2fsecret.txt",
        "/guide/..%2f..%2fsecret.txt",
        "/guide/%2e%2e/%2e%2e/secret.txt",
        "/a\\..\\b",
        "/guide\\..\\..\\secret.txt",
        "/guide%5c..%5c..%5csecret.txt",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/C:/Windows/win.ini",
        "/c:%5cWindows%5cwin.ini",
        "/secret.txt%00.html",
        "/./secret.txt",
        "/secret.txt",
        "/etc/passwd",
        "/leak.txt",
        "/leakdir/secret.txt",
        "/passwd.txt",
        "/content/guide/alpha.md",
        "/guide/alpha.md",
    ];
    for target in attempts {
        let reply = server.raw_request("GET", target);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{target}: {} {}",
            reply.status,
            reply.body
        );
        assert!(
            !reply.body.contains("TOP-SECRET"),
            "{target} leaked the secret"
        );
        assert!(!reply.body.contains("root:"), "{target} leaked /etc/passwd");
    }

    // A missing path gets the site's own 404 page, which does not echo it.
    let reply = server.raw_request("GET", "/%3Cscript%3Ealert(1)%3C%2Fscript%3E.html");
    assert_eq!(reply.status, 404);
    assert!(!reply.body.contains("<script>alert"), "{}", reply.body);
    assert!(
        reply.body.contains("<title>Page not found"),
        "{}",
        reply.body
    );
}

#[test]
fn only_get_and_head_are_answered() {
    let server = Server::start(&site());
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        for target in ["/", "/guide/alpha.html", "/nope.html", "/__playbook/events"] {
            let reply = server.raw_request(method, target);
            assert_eq!(reply.status, 405, "{method} {target}");
            let allow = reply.header("allow").unwrap_or("").replace(' ', "");
            assert_eq!(allow, "GET,HEAD", "{method} {target}");
        }
    }
    let head = server.raw_request("HEAD", "/guide/alpha.html");
    assert_eq!(head.status, 200);
    assert_eq!(head.content_type, "text/html; charset=utf-8");
    assert_eq!(head.body, "");
    let length: usize = head.header("content-length").unwrap().parse().unwrap();
    assert_eq!(length, server.get("/guide/alpha.html").body.len());
}

#[test]
fn requests_for_other_hosts_are_refused() {
    let server = Server::start(&site());
    let ask = |host: &str| {
        server.raw(&format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    };
    assert_eq!(ask("evil.example").status, 403, "DNS rebinding");
    assert_eq!(ask("localhost.evil.example:80").status, 403);
    assert_eq!(ask(&server.addr).status, 200);
    assert_eq!(ask("localhost").status, 200);
}

#[test]
fn every_file_type_has_its_content_type() {
    let project = site()
        .file("content/img/a.png", b"\x89PNG\r\n\x1a\n")
        .file("content/img/a.jpg", b"\xff\xd8\xff")
        .file("content/img/a.gif", b"GIF89a")
        .file("content/img/a.webp", b"RIFF")
        .file(
            "content/img/a.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .file("content/favicon.ico", b"\0\0\x01\0")
        .file("content/files/a.pdf", b"%PDF-1.4")
        .file("content/files/a.txt", "text")
        .file("content/files/a.json", "{}")
        .file("content/files/a.woff2", b"wOF2")
        .file("content/files/a.bin", b"\0\x01");
    let server = Server::start(&project);
    let cases = [
        ("/", "text/html; charset=utf-8"),
        ("/theme/style.css", "text/css; charset=utf-8"),
        ("/search/meta.js", "text/javascript; charset=utf-8"),
        ("/img/a.png", "image/png"),
        ("/img/a.jpg", "image/jpeg"),
        ("/img/a.gif", "image/gif"),
        ("/img/a.webp", "image/webp"),
        ("/img/a.svg", "image/svg+xml"),
        ("/favicon.ico", "image/x-icon"),
        ("/files/a.pdf", "application/pdf"),
        ("/files/a.txt", "text/plain; charset=utf-8"),
        ("/files/a.json", "application/json; charset=utf-8"),
        ("/files/a.woff2", "font/woff2"),
        ("/files/a.bin", "application/octet-stream"),
    ];
    for (path, content_type) in cases {
        let reply = server.raw_request("GET", path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.content_type, content_type, "{path}");
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        if !path.ends_with(".html") && path != "/" {
            assert!(
                !reply.body.contains("__playbook"),
                "{path}: only HTML gets the script"
            );
        }
    }
}

#[test]
fn pages_stay_whole_under_load_while_files_change() {
    let project = site();
    let server = Arc::new(Server::start(&project));
    let stop = Instant::now() + Duration::from_secs(3);
    let workers: Vec<_> = (0..4)
        .map(|n| {
            let server = Arc::clone(&server);
            thread::spawn(move || {
                let paths = ["/", "/guide/alpha.html", "/guide/", "/theme/style.css"];
                let mut failures = Vec::new();
                let mut count = 0;
                // Bounded in time and in count.
                while Instant::now() < stop && count < 20_000 {
                    let path = paths[(n + count) % paths.len()];
                    let reply = server.get(path);
                    count += 1;
                    if reply.status != 200 {
                        failures.push(format!("{path}: {}", reply.status));
                    } else if reply.content_type.starts_with("text/html")
                        && !reply.body.trim_end().ends_with("</html>")
                    {
                        failures.push(format!(
                            "{path}: incomplete page ({} bytes)",
                            reply.body.len()
                        ));
                    }
                }
                (count, failures)
            })
        })
        .collect();
    for i in 0..10 {
        let filler = "More text to make the page longer. ".repeat(50 * (i + 1));
        write(
            &project,
            "content/guide/alpha.md",
            &format!("# Alpha\n\nEdit number {i}.\n\n{filler}\n"),
        );
        thread::sleep(Duration::from_millis(250));
    }
    let mut total = 0;
    for worker in workers {
        let (count, failures) = worker.join().expect("worker");
        assert!(
            failures.is_empty(),
            "{} failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
        total += count;
    }
    assert!(total > 100, "only {total} requests were made");
    server.wait_for_text("/guide/alpha.html", "Edit number 9.");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let project = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["serve", "--root"])
        .arg(project.root())
        .args(["--port", &port])
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = collect(child.stderr.take().unwrap());
    let mut server = Server {
        child,
        url: String::new(),
        addr: String::new(),
        stderr,
    };
    let status = server.wait_for_exit();
    assert_eq!(status.code(), Some(2));
    let stderr = server.wait_for_stderr("--port");
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
    assert!(stderr.contains("already in use"), "{stderr}");
}

#[test]
fn a_missing_content_folder_is_a_usage_error() {
    let project = Project::empty();
    std::fs::remove_dir(project.path("content")).unwrap();
    let run = project.test(&["serve", "--port", "0"]).status(2).run();
    assert!(run.stderr.contains("content folder"), "{}", run.stderr);
}

#[test]
fn listening_beyond_loopback_warns() {
    let server = Server::start_with(&site(), &["--bind", "0.0.0.0"]);
    let stderr = server.wait_for_stderr("warning: listening on 0.0.0.0");
    assert!(stderr.contains("--bind 127.0.0.1"), "{stderr}");
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    assert_eq!(server.get("/").status, 200);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_with_pages_open() {
    let mut server = Server::start(&site());
    let events = server.events();
    let pid = i32::try_from(server.child.id()).unwrap();
    // SAFETY: kill(2) with a pid this test started and still owns.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let status = server.wait_for_exit();
    assert!(status.success(), "{status}: {}", server.stderr());
    assert!(
        events.ended(Duration::from_secs(5)),
        "the event stream stayed open"
    );
}

#[test]
fn the_help_describes_serve() {
    let run = Project::empty().test(&["serve", "--help"]).run();
    for flag in ["--root", "--content", "--port", "--bind", "127.0.0.1"] {
        assert!(run.stdout.contains(flag), "{flag}:\n{}", run.stdout);
    }
}
