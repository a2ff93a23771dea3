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

/// In Chromium, from `file://`: a German site's search finds its words as
/// they are written, stop words of English included, and marks them.
/// Run by `tests/browser/lang-search.test.mjs`.
#[test]
fn a_german_site_is_searched_word_for_word_in_a_real_browser() {
    let Some(chromium) = crate::browser::chromium_or_skip() else {
        return;
    };
    let project = Project::empty()
        .file("playbook.yaml", "lang: de\n")
        .file("content/index.md", GERMAN)
        .file(
            "content/ablauf.md",
            "# Ablauf\n\n## Übergabe\n\nWer übernimmt, will die Übergabe schriftlich.\n",
        );
    project.build();
    let shots = crate::browser::screenshots_dir().join("lang-search");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).expect("screenshots folder");
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("node")
        .arg(manifest.join("tests/browser/lang-search.test.mjs"))
        .arg(project.path("site"))
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .current_dir(manifest)
        .output()
        .expect("run node tests/browser/lang-search.test.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("--- lang-search.test.mjs\n{stdout}");
    assert!(
        out.status.success(),
        "lang-search.test.mjs failed ({}); screenshots in {}\n--- stdout\n{stdout}\n--- stderr\n{}",
        out.status,
        shots.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Whether `node` runs here; without it a test skips visibly, except under
/// `CI=true`, where that is a failure.
fn node_or_skip() -> bool {
    crate::common::program_or_skip("node", "this test")
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

/// A server on 127.0.0.1 answering by path: `/flaky` 429 (`Retry-After:
/// 1`) the first time and 200 after, `/always` 429 (`Retry-After: 1`),
/// `/forever` 429 (`Retry-After: 3600`), `/backoff` 429 without
/// `Retry-After`, `/forbidden` 403, `/created` 201, `/ok` 200, anything
/// else 404. It counts the requests to each path.
struct Remote {
    base: String,
    hits: std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<String, usize>>>,
}

impl Remote {
    fn start() -> Remote {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let hits = std::sync::Arc::new(std::sync::Mutex::new(std::collections::BTreeMap::new()));
        let counter = std::sync::Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counter = std::sync::Arc::clone(&counter);
                std::thread::spawn(move || {
                    let Ok(read_half) = stream.try_clone() else {
                        return;
                    };
                    let mut reader = BufReader::new(read_half);
                    let mut request = String::new();
                    if reader.read_line(&mut request).is_err() {
                        return;
                    }
                    let mut header = String::new();
                    while reader.read_line(&mut header).is_ok_and(|n| n > 0) && header.trim() != ""
                    {
                        header.clear();
                    }
                    let path = request.split_whitespace().nth(1).unwrap_or("").to_string();
                    let seen = {
                        let mut hits: std::sync::MutexGuard<
                            '_,
                            std::collections::BTreeMap<String, usize>,
                        > = counter.lock().expect("hits");
                        let n = hits.entry(path.clone()).or_default();
                        *n += 1;
                        *n
                    };
                    let (status, extra) = match path.as_str() {
                        "/flaky" if seen == 1 => ("429 Too Many Requests", "Retry-After: 1\r\n"),
                        "/flaky" | "/ok" => ("200 OK", ""),
                        "/always" => ("429 Too Many Requests", "Retry-After: 1\r\n"),
                        "/forever" => ("429 Too Many Requests", "Retry-After: 3600\r\n"),
                        "/backoff" => ("429 Too Many Requests", ""),
                        "/forbidden" => ("403 Forbidden", ""),
                        "/created" => ("201 Created", ""),
                        _ => ("404 Not Found", ""),
                    };
                    let mut stream = stream;
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                });
            }
        });
        Remote { base, hits }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn hits(&self, path: &str) -> usize {
        self.hits
            .lock()
            .expect("hits")
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

/// `playbook ARGS` in `project` with no proxy and the server's address
/// shown as `[SERVER]`.
fn external_run(project: &Project, remote: &Remote, args: &[&str]) -> crate::common::Test {
    let mut test = project
        .test(args)
        .env("PLAYBOOK_EXTERNAL_TIMEOUT_MS", "2000")
        .redact(&remote.base, "[SERVER]");
    for proxy in [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ] {
        test = test.env_remove(proxy);
    }
    test
}

fn linking(remote: &Remote, paths: &[&str]) -> Project {
    let list: String = paths
        .iter()
        .map(|p| format!("- <{}>\n", remote.url(p)))
        .collect();
    Project::empty().file("content/a.md", format!("# A\n\n{list}"))
}

#[test]
fn a_429_is_asked_again_after_its_retry_after_and_then_works() {
    let remote = Remote::start();
    let project = linking(&remote, &["/flaky"]);
    let started = std::time::Instant::now();
    let run = external_run(&project, &remote, &["check", "--external"]).run();
    assert_eq!(run.stderr, "0 errors, 0 warnings\n");
    assert_eq!(remote.hits("/flaky"), 2);
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "waited as asked"
    );
}

#[test]
fn a_server_that_always_answers_429_is_asked_three_more_times_then_warned_about() {
    let remote = Remote::start();
    let project = linking(&remote, &["/always"]);
    let started = std::time::Instant::now();
    let run = external_run(&project, &remote, &["check", "--external"]).run();
    let elapsed = started.elapsed();
    assert!(
        run.stderr.starts_with("warning[external-link]: external link [SERVER]/always was not checked: HTTP 429 Too Many Requests\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("0 errors, 1 warning\n"),
        "{}",
        run.stderr
    );
    assert_eq!(remote.hits("/always"), 4, "once, then three retries");
    assert!(elapsed >= std::time::Duration::from_secs(3), "{elapsed:?}");
    assert!(elapsed < std::time::Duration::from_secs(20), "{elapsed:?}");
}

#[test]
fn a_retry_after_beyond_the_time_budget_gives_up_at_once() {
    let remote = Remote::start();
    let project = linking(&remote, &["/forever"]);
    let started = std::time::Instant::now();
    let run = external_run(&project, &remote, &["check", "--external"]).run();
    assert!(
        run.stderr.ends_with("0 errors, 1 warning\n"),
        "{}",
        run.stderr
    );
    assert_eq!(remote.hits("/forever"), 1);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn without_retry_after_the_waits_double_within_the_time_budget() {
    let remote = Remote::start();
    let project = linking(&remote, &["/backoff"]);
    let started = std::time::Instant::now();
    let run = external_run(&project, &remote, &["check", "--external"])
        .env("PLAYBOOK_EXTERNAL_RETRY_BUDGET_MS", "2500")
        .run();
    let elapsed = started.elapsed();
    assert!(
        run.stderr.ends_with("0 errors, 1 warning\n"),
        "{}",
        run.stderr
    );
    // Asked at 0 s and after 1 s; the next wait (2 s) would end past 2.5 s.
    assert_eq!(remote.hits("/backoff"), 2);
    assert!(elapsed >= std::time::Duration::from_secs(1), "{elapsed:?}");
    assert!(
        elapsed < std::time::Duration::from_millis(2500),
        "{elapsed:?}"
    );
}

#[test]
fn excluded_links_are_never_requested_and_accepted_ones_never_fail() {
    let remote = Remote::start();
    let project = linking(&remote, &["/gone", "/forbidden", "/forever", "/ok"]).file(
        "playbook.yaml",
        "external:\n  exclude:\n    - '/gone$'\n  accept:\n    - '^http://127\\.0\\.0\\.1:\\d+/(forbidden|forever)'\n",
    );
    let run = external_run(&project, &remote, &["check", "--external"]).run();
    assert_eq!(run.stderr, "0 errors, 0 warnings\n");
    assert_eq!(remote.hits("/gone"), 0, "excluded: not requested");
    assert_eq!(remote.hits("/ok"), 1);
    assert!(
        remote.hits("/forbidden") >= 1,
        "accepted links are still requested"
    );
}

#[test]
fn accept_status_lists_exactly_the_statuses_that_work() {
    let remote = Remote::start();
    let project = linking(&remote, &["/forbidden", "/created", "/ok"]).file(
        "playbook.yaml",
        "external:\n  accept_status: [200, 204, 403]\n",
    );
    let run = external_run(&project, &remote, &["check", "--external"])
        .status(1)
        .run();
    assert!(
        run.stderr.starts_with("error[external-link]: external link [SERVER]/created answered HTTP 201 Created, which external.accept_status does not list\n  ┌─ content/a.md:4:3\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("1 error, 0 warnings\n"),
        "{}",
        run.stderr
    );
    // A changed rule applies to the cached answers too.
    let project = project.file(
        "playbook.yaml",
        "external:\n  accept_status: [200, 201, 403]\n",
    );
    external_run(&project, &remote, &["check", "--external"]).run();
    assert_eq!(remote.hits("/created"), 1, "answered from the cache");
}

#[test]
fn a_bad_pattern_or_status_is_shown_where_it_is() {
    let project = Project::empty().file("content/a.md", "# A\n").file(
        "playbook.yaml",
        "title: T\nexternal:\n  exclude:\n    - '^https://ok\\.example/'\n    - 'https://(unclosed'\n  accept_status: [200, 99]\n",
    );
    project
        .test(&["--color", "never", "check"])
        .status(1)
        .stderr(
            "error[config]: external.exclude: `https://(unclosed` is not a regular expression: unclosed group
  ┌─ playbook.yaml:5:7
  │
5 │     - 'https://(unclosed'
  │       ^^^^^^^^^^^^^^^^^^^
  │
  = help: write a regular expression (Rust regex syntax), like `^https://intranet\\.example\\.com/`; put `\\` before `.`, `?`, `(`, `[` or `+` to match it as it is

error[config]: external.accept_status: 99 is not an HTTP status
  ┌─ playbook.yaml:6:24
  │
6 │   accept_status: [200, 99]
  │                        ^^
  │
  = help: HTTP statuses are 100 to 599, like 200, 204 or 403

2 errors, 0 warnings
",
        )
        .run();
}

#[test]
fn an_empty_accept_status_is_refused() {
    let project = Project::empty()
        .file("content/a.md", "# A\n")
        .file("playbook.yaml", "external:\n  accept_status: []\n");
    let run = project.test(&["--color", "never", "check"]).status(1).run();
    assert!(
        run.stderr.starts_with(
            "error[config]: external.accept_status is empty: no link could work\n  ┌─ playbook.yaml:2:3\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn links_in_checklists_roles_and_release_notes_are_checked_where_they_are() {
    let remote = Remote::start();
    let gone = remote.url("/gone");
    let project = Project::empty()
        .file("content/index.md", "# Home\n\n[List](checklists/release.yaml)\n")
        .file(
            "content/roles.yaml",
            format!("roles:\n  - id: rm\n    name: Release Manager\n    summary: Owns it; see [the runbook]({gone}/role).\n"),
        )
        .file(
            "content/checklists/release.yaml",
            format!("id: release\ntitle: Release\ngroups:\n  - id: before\n    title: Before\n    items:\n      - id: a\n        text: Read [the policy]({gone}/item) first\n        owners: [rm]\n"),
        )
        .file(
            "content/release-notes.yaml",
            format!("title: \"Release {{version}}\"\nsections:\n  - id: summary\n    title: Summary\n    prompt: \"Follow <{gone}/prompt>.\"\n"),
        );
    let run = external_run(
        &project,
        &remote,
        &["check", "--external", "--format", "json"],
    )
    .status(1)
    .run();
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let found: Vec<String> = value["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["path"].as_str().unwrap_or(""),
                d["line"],
                d["column"],
                d["code"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "content/checklists/release.yaml:8:33 external-link",
            "content/release-notes.yaml:5:22 external-link",
            "content/roles.yaml:4:41 external-link",
        ],
        "{}",
        run.stdout
    );
    for path in ["/gone/item", "/gone/role", "/gone/prompt"] {
        assert_eq!(remote.hits(path), 1, "{path}");
    }
}

/// Progress bars: none into a pipe, whatever the colour options say. The
/// first run requests every link (and would draw a bar); the second
/// answers from the cache (and has none to draw): their stderr is the same
/// to the byte.
#[test]
fn no_progress_bar_is_written_into_a_pipe() {
    let remote = Remote::start();
    let project = linking(&remote, &["/ok", "/gone", "/created"]);
    let run = || {
        external_run(
            &project,
            &remote,
            &["--color", "always", "check", "--external"],
        )
        .env("TERM", "xterm-256color")
        .env("CLICOLOR_FORCE", "1")
        .status(1)
        .run()
        .stderr
    };
    let requested = run();
    let cached = run();
    assert_eq!(remote.hits("/ok"), 1, "the second run used the cache");
    assert_eq!(requested, cached);
    assert!(!requested.contains('\r') && !requested.contains("checking links"));

    let variants = Project::empty()
        .file("a.md", "# Guide\n\n## Steps\n\n- [ ] Tag the release\n")
        .file(
            "b.md",
            "# Guide\n\n## Steps\n\n- [ ] Tag the release\n- [ ] Announce it\n",
        );
    let reconcile = variants
        .test(&["reconcile", "a.md", "b.md", "--out", "out"])
        .env("TERM", "xterm-256color")
        .run();
    assert!(
        !reconcile.stderr.contains('\r') && !reconcile.stderr.contains("reading copies"),
        "{}",
        reconcile.stderr
    );
}

/// What `playbook ARGS` writes to a pseudo-terminal (util-linux `script`),
/// run in `project`; `None` (after a SKIPPED line) without `script`.
fn on_a_terminal(project: &Project, args: &str, env: &[(&str, &str)]) -> Option<String> {
    if !crate::common::program_or_skip("script", "this test (util-linux)") {
        return None;
    }
    let command = format!(
        "cd '{}' && '{}' {args}",
        project.root().display(),
        env!("CARGO_BIN_EXE_playbook")
    );
    let mut script = std::process::Command::new("script");
    script.args(["-qec", &command, "/dev/null"]);
    script.env("TERM", "xterm-256color").env_remove("NO_COLOR");
    for proxy in [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ] {
        script.env_remove(proxy);
    }
    for (key, value) in env {
        script.env(key, value);
    }
    let out = script.output().expect("run script");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn on_a_terminal_a_progress_bar_counts_the_links_unless_quiet() {
    let remote = Remote::start();
    let project = linking(&remote, &["/ok", "/created", "/flaky"]);
    let Some(shown) = on_a_terminal(&project, "check --external", &[]) else {
        return;
    };
    assert!(shown.contains("checking links"), "{shown:?}");
    assert!(shown.contains("3/3") || shown.contains("0/3"), "{shown:?}");
    assert!(
        shown.contains("\x1b[36m"),
        "coloured on a terminal: {shown:?}"
    );
    assert!(shown.contains("\r\x1b[2K"), "the bar is cleared: {shown:?}");

    std::fs::remove_dir_all(project.path(".playbook")).expect("forget the cache");
    let plain =
        on_a_terminal(&project, "check --external", &[("NO_COLOR", "1")]).unwrap_or_default();
    assert!(plain.contains("checking links ["), "{plain:?}");
    assert!(
        !plain.contains("\x1b[3"),
        "no colour under NO_COLOR: {plain:?}"
    );

    std::fs::remove_dir_all(project.path(".playbook")).expect("forget the cache");
    let quiet = on_a_terminal(&project, "-q check --external", &[]).unwrap_or_default();
    assert!(!quiet.contains("checking links"), "{quiet:?}");

    // reconcile counts the copies it reads, then says it is merging.
    let copies = Project::empty()
        .file("a.md", "# Guide\n\n## Steps\n\n- [ ] Tag the release\n")
        .file(
            "b.md",
            "# Guide\n\n## Steps\n\n- [ ] Tag the release\n- [ ] Announce it\n",
        );
    let shown = on_a_terminal(&copies, "reconcile a.md b.md --out out", &[]).unwrap_or_default();
    assert!(shown.contains("reading copies"), "{shown:?}");
    assert!(shown.contains("2/2 merging"), "{shown:?}");
    assert!(copies.path("out/guide.md").is_file(), "{shown:?}");
}

/// A project with folders, one of them not ASCII, and no `base_url`.
fn foldered_site() -> Project {
    Project::empty()
        .file(
            "content/index.md",
            "# Home\n\nSee the [guide](guide/a.md).\n",
        )
        .file("content/guide/a.md", "# A\n\nDeploy with care.\n")
        .file("content/guide/deep/b.md", "# B\n")
        .file("content/über/c.md", "# C\n")
}

#[test]
fn serve_answers_a_missing_path_with_the_sites_404_page() {
    let project = foldered_site();
    let server = crate::common::serve::Server::start(&project);
    for path in ["/a/b/missing.html", "/guide/deep/er/missing", "/nope"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(
            reply.content_type.starts_with("text/html"),
            "{path}: {}",
            reply.content_type
        );
        assert!(
            reply.body.contains("<title>Page not found"),
            "{path}: {}",
            reply.body
        );
        // The root is `/` here: the page is told so before its own script.
        let base = reply.body.find("<base href=\"/\">").expect("a base");
        assert!(
            base < reply.body.find("<script").expect("a script"),
            "{path}"
        );
    }
    // What is there is still served as it was.
    assert_eq!(server.get("/guide/a.html").status, 200);
}

#[test]
fn without_base_url_the_404_page_knows_the_folders_at_the_sites_root() {
    let project = foldered_site();
    project.build();
    let page = project.read("site/404.html");
    assert!(
        page.contains(r#"})(["guide","print","search","theme","über"]);"#),
        "{page}"
    );
    // Its stylesheets and scripts wait in a template (the browser fetches
    // nothing from there) until the script has set the base.
    let (head, _) = page.split_once("</head>").expect("a head");
    let (before, rest) = head
        .split_once("<template id=\"site-assets\">")
        .expect("the template");
    let (assets, after) = rest.split_once("</template>").expect("its end");
    assert!(assets.contains("<link rel=\"stylesheet\" href=\"theme/style.css\">"));
    assert!(assets.contains("<script src=\"theme/search.js\" defer></script>"));
    assert!(
        !before.contains("theme/") && !after.contains("\"theme/"),
        "{head}"
    );
    assert!(after.contains("createElement(\"base\")"));
    // With base_url every link is absolute and no script is needed.
    let project = foldered_site().file("playbook.yaml", "base_url: https://example.org/docs/\n");
    project.build();
    let page = project.read("site/404.html");
    assert!(!page.contains("createElement(\"base\")"));
    assert!(page.contains("href=\"https://example.org/docs/theme/style.css\""));
}

/// In Chromium: the 404 page, at missing URLs of any depth, of a site
/// hosted like a GitHub Pages project site (under /repo/) and of `playbook
/// serve`, is styled, loads nothing that fails, links to the site's root
/// and searches. Run by `tests/browser/not-found.test.mjs`.
#[test]
fn the_404_page_works_at_any_depth_in_a_real_browser() {
    let Some(chromium) = crate::browser::chromium_or_skip() else {
        return;
    };
    let project = foldered_site();
    project.build();
    let server = crate::common::serve::Server::start(&project);
    let shots = crate::browser::screenshots_dir().join("not-found");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).expect("screenshots folder");
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("node")
        .arg(manifest.join("tests/browser/not-found.test.mjs"))
        .arg(project.path("site"))
        .arg(server.url.trim_end_matches('/'))
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .current_dir(manifest)
        .output()
        .expect("run node tests/browser/not-found.test.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("--- not-found.test.mjs\n{stdout}");
    assert!(
        out.status.success(),
        "not-found.test.mjs failed ({}); screenshots in {}\n--- stdout\n{stdout}\n--- stderr\n{}",
        out.status,
        shots.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The shipped project (playbook.yaml, content/, templates/, themes/)
/// copied into a temporary folder, as a CI runner's checkout holds it.
fn shipped_checkout() -> Project {
    let project = Project::empty();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["content", "templates", "themes"] {
        crate::common::copy_tree(&repo.join(folder), &project.path(folder));
    }
    std::fs::copy(repo.join("playbook.yaml"), project.path("playbook.yaml"))
        .expect("copy playbook.yaml");
    project
}

/// A CI job's script line run with bash in `dir`, the freshly built
/// `playbook` first on PATH.
fn ci_script(dir: &std::path::Path, script: &str) -> std::process::Output {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_playbook"))
        .parent()
        .expect("the binary's folder");
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");
    std::process::Command::new("bash")
        .args(["-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .expect("run bash")
}

/// The Pages workflows' commands (README: GitHub Pages uploads `_site`,
/// GitLab Pages publishes `public`) work on the shipped content, twice in
/// the same workspace (a runner that kept the last output), and give a
/// folder a Pages host takes: an index, the 404 page, the search index and
/// no symbolic links (`upload-pages-artifact` refuses them).
#[test]
fn the_pages_workflows_commands_build_the_shipped_playbook() {
    let checkout = shipped_checkout();
    for (script, out) in [
        ("playbook check && playbook build --out public", "public"),
        ("playbook build --out _site", "_site"),
    ] {
        for attempt in 1..=2 {
            let run = ci_script(checkout.root(), script);
            assert!(
                run.status.success(),
                "`{script}` (run {attempt}) failed:\n{}",
                String::from_utf8_lossy(&run.stderr)
            );
        }
        for file in [
            "index.html",
            "404.html",
            "search/meta.js",
            "theme/style.css",
        ] {
            assert!(checkout.path(out).join(file).is_file(), "{out}/{file}");
        }
        for entry in walkdir_all(&checkout.path(out)) {
            assert!(
                !entry.is_symlink(),
                "{} is a symbolic link",
                entry.display()
            );
        }
    }
}

/// Every path under `dir`, without following links.
fn walkdir_all(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read_dir").flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path.clone());
            }
            out.push(path);
        }
    }
    out
}
