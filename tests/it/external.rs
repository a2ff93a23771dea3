//! `playbook check --external`, against a tiny HTTP server on 127.0.0.1 that
//! counts the requests it gets. Nothing here reaches any other host.

use crate::common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Project, Test};

/// A server answering `/ok` 200, `/gone` 404, `/moved` 301 to `/ok`,
/// `/slow` after two seconds, `/busy` 429, `/no-head` 405 to `HEAD` but
/// 200 to `GET`, and `/pause/...` 200 after a tenth of a second.
struct Server {
    base: String,
    hits: Arc<Mutex<BTreeMap<String, usize>>>,
    in_flight: Arc<InFlight>,
}

/// Requests being answered now, and the most there ever were at once.
#[derive(Default)]
struct InFlight {
    counts: Mutex<(usize, usize)>,
}

impl InFlight {
    fn enter(&self) {
        let mut counts = self.counts.lock().expect("counts");
        counts.0 += 1;
        counts.1 = counts.1.max(counts.0);
    }

    fn leave(&self) {
        self.counts.lock().expect("counts").0 -= 1;
    }

    fn most(&self) -> usize {
        self.counts.lock().expect("counts").1
    }
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let hits = Arc::new(Mutex::new(BTreeMap::new()));
        let in_flight = Arc::new(InFlight::default());
        let counter = Arc::clone(&hits);
        let gauge = Arc::clone(&in_flight);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counter = Arc::clone(&counter);
                let gauge = Arc::clone(&gauge);
                std::thread::spawn(move || answer(stream, &counter, &gauge));
            }
        });
        Server {
            base,
            hits,
            in_flight,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Requests so far, as `METHOD /path` → count.
    fn hits(&self) -> BTreeMap<String, usize> {
        self.hits.lock().expect("hits").clone()
    }
}

fn answer(stream: TcpStream, hits: &Mutex<BTreeMap<String, usize>>, in_flight: &InFlight) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let path = parts.next().unwrap_or_default();
    *hits
        .lock()
        .expect("hits")
        .entry(format!("{method} {path}"))
        .or_default() += 1;
    in_flight.enter();
    let (status, extra) = match path {
        "/ok" => ("200 OK", ""),
        "/moved" => ("301 Moved Permanently", "Location: /ok\r\n"),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(2));
            ("200 OK", "")
        }
        "/busy" => ("429 Too Many Requests", ""),
        "/no-head" if method == "HEAD" => ("405 Method Not Allowed", ""),
        "/no-head" => ("200 OK", ""),
        _ if path.starts_with("/pause/") => {
            std::thread::sleep(Duration::from_millis(100));
            ("200 OK", "")
        }
        _ => ("404 Not Found", ""),
    };
    in_flight.leave();
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

/// Run `playbook ARGS` with a short timeout and no proxy, the server's
/// address in the output replaced by `[SERVER]` and the underlines (whose
/// length depends on the port's) shortened to `^^^`.
fn run(project: &Project, server: &Server, args: &[&str]) -> Test {
    let mut test = project
        .test(args)
        .env("PLAYBOOK_EXTERNAL_TIMEOUT_MS", "300")
        // A 429 is reported at once here; tests/it/habits.rs tests the retries.
        .env("PLAYBOOK_EXTERNAL_RETRY_BUDGET_MS", "0")
        .redact(&server.base, "[SERVER]")
        .tidy(shorten_underlines);
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

fn shorten_underlines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c != '^' || !out.ends_with("^^^") {
            out.push(c);
        }
    }
    out
}

fn project(server: &Server) -> Project {
    let a = format!(
        "# A\n\n- [ok]({})\n- [gone]({})\n- [moved]({})\n- [slow]({})\n- [busy]({})\n- [no head]({})\n",
        server.url("/ok"),
        server.url("/gone"),
        server.url("/moved"),
        server.url("/slow"),
        server.url("/busy"),
        server.url("/no-head"),
    );
    let b = format!(
        "# B\n\nSee [the same page]({}) and [mail](mailto:ops@example.com).\n",
        server.url("/gone#section"),
    );
    Project::empty()
        .file("content/a.md", a)
        .file("content/b.md", b)
}

const EXPECTED: &str = "\
error[external-link]: external link [SERVER]/gone is broken: HTTP 404 Not Found
  ┌─ content/a.md:4:3
  │
4 │ - [gone]([SERVER]/gone)
  │   ^^^
  │
  = help: fix the address, link to the page's new home, or remove the link

error[external-link]: external link [SERVER]/slow did not answer within 300 ms
  ┌─ content/a.md:6:3
  │
6 │ - [slow]([SERVER]/slow)
  │   ^^^
  │
  = help: if the address is right and the site is only down for now, run again later (failures are asked again after an hour)

warning[external-link]: external link [SERVER]/busy was not checked: HTTP 429 Too Many Requests
  ┌─ content/a.md:7:3
  │
7 │ - [busy]([SERVER]/busy)
  │   ^^^
  │
  = help: the server asks for fewer requests; it is asked again after an hour

error[external-link]: external link [SERVER]/gone#section is broken: HTTP 404 Not Found
  ┌─ content/b.md:3:5
  │
3 │ See [the same page]([SERVER]/gone#section) and [mail](mailto:ops@example.com).
  │     ^^^
  │
  = help: fix the address, link to the page's new home, or remove the link

3 errors, 1 warning
";

fn first_run_hits() -> BTreeMap<String, usize> {
    [
        ("HEAD /ok", 2), // once for itself, once at the end of /moved
        ("HEAD /gone", 1),
        ("HEAD /moved", 1),
        ("HEAD /slow", 1),
        ("HEAD /busy", 1),
        ("HEAD /no-head", 1),
        ("GET /no-head", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

#[test]
fn every_kind_of_answer_is_reported_and_each_url_requested_once() {
    let server = Server::start();
    let project = project(&server);
    let run = run(&project, &server, &["check", "--external"])
        .status(1)
        .run();
    assert_eq!(run.stderr, EXPECTED);
    assert_eq!(server.hits(), first_run_hits());
}

#[test]
fn a_second_run_within_the_day_answers_from_the_cache() {
    let server = Server::start();
    let project = project(&server);
    let first = run(&project, &server, &["check", "--external"])
        .status(1)
        .run();
    let second = run(&project, &server, &["check", "--external"])
        .status(1)
        .run();
    assert_eq!(
        second.stderr, first.stderr,
        "cached failures are still reported"
    );
    assert_eq!(
        server.hits(),
        first_run_hits(),
        "nothing was requested again"
    );

    let cache = project.read(".playbook/external-links.json");
    let value: serde_json::Value = serde_json::from_str(&cache).expect("cache is JSON");
    let urls: Vec<&String> = value["links"].as_object().expect("links").keys().collect();
    let mut sorted = urls.clone();
    sorted.sort();
    assert_eq!(urls, sorted, "the cache is in a stable order");
    assert_eq!(urls.len(), 6, "one entry per URL, without fragments");
}

#[test]
fn expired_answers_are_asked_again() {
    let server = Server::start();
    let project = project(&server);
    run(&project, &server, &["check", "--external"])
        .status(1)
        .run();
    let cache = project.read(".playbook/external-links.json");
    let mut value: serde_json::Value = serde_json::from_str(&cache).expect("cache is JSON");
    for entry in value["links"].as_object_mut().expect("links").values_mut() {
        entry["checked"] = serde_json::json!(0);
    }
    let project = project.file(".playbook/external-links.json", value.to_string());
    run(&project, &server, &["check", "--external"])
        .status(1)
        .run();
    let twice: BTreeMap<String, usize> = first_run_hits()
        .into_iter()
        .map(|(k, v)| (k, v * 2))
        .collect();
    assert_eq!(server.hits(), twice);
}

#[test]
fn a_corrupt_cache_is_ignored_and_replaced() {
    let server = Server::start();
    let project = project(&server).file(".playbook/external-links.json", "{ not json");
    let run = run(&project, &server, &["check", "--external"])
        .status(1)
        .run();
    assert_eq!(run.stderr, EXPECTED);
    let cache = project.read(".playbook/external-links.json");
    assert!(serde_json::from_str::<serde_json::Value>(&cache).is_ok());
}

#[test]
fn without_the_flag_nothing_is_requested() {
    let server = Server::start();
    let project = project(&server);
    let run = run(&project, &server, &["check"]).run();
    assert_eq!(run.stderr, "0 errors, 0 warnings\n");
    assert!(server.hits().is_empty());
    assert!(!project.path(".playbook").exists());
}

#[test]
fn no_more_than_two_requests_go_to_one_host_at_once() {
    let server = Server::start();
    let page: String = (1..=6)
        .map(|i| format!("- [{i}]({})\n", server.url(&format!("/pause/{i}"))))
        .collect();
    let project = Project::empty().file("content/a.md", format!("# A\n\n{page}"));
    run(&project, &server, &["check", "--external"]).run();
    assert_eq!(server.hits().len(), 6);
    assert_eq!(server.in_flight.most(), 2);
}

#[test]
fn a_rate_limit_is_only_a_warning() {
    let server = Server::start();
    let page = format!("# A\n\n[busy]({})\n", server.url("/busy"));
    let project = Project::empty().file("content/a.md", page);
    let run = run(&project, &server, &["check", "--external"]).run();
    assert!(
        run.stderr.contains("warning[external-link]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("0 errors, 1 warning\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_host_that_refuses_connections_is_an_error() {
    let server = Server::start();
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/", closed.local_addr().expect("address"));
    drop(closed);
    let project = Project::empty().file("content/a.md", format!("# A\n\n<{url}>\n"));
    let run = run(
        &project,
        &server,
        &["check", "--external", "--format", "json"],
    )
    .status(1)
    .run();
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let diagnostic = &value["diagnostics"][0];
    assert_eq!(diagnostic["code"], "external-link");
    assert_eq!(diagnostic["line"], 3);
    let message = diagnostic["message"].as_str().expect("message");
    assert!(
        message.starts_with(&format!("external link {url} cannot be reached: ")),
        "{message}"
    );
}

#[test]
fn a_bad_timeout_is_a_usage_error() {
    let project = Project::empty().file("content/a.md", "# A\n");
    project
        .test(&["check", "--external"])
        .env("PLAYBOOK_EXTERNAL_TIMEOUT_MS", "soon")
        .status(2)
        .stderr(
            "error: PLAYBOOK_EXTERNAL_TIMEOUT_MS must be a number of milliseconds, not \"soon\"\n",
        )
        .run();
}
