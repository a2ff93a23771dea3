//! The `playbook serve` harness the serve and browser tests share: the
//! binary started on a free port (`--port 0`, the URL read from its first
//! line of output) in a temporary project, driven over HTTP on loopback, and
//! killed by a drop guard, so a failing test leaks no server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::Project;

/// How long anything the server does may take before the test gives up:
/// generous, as debug builds on a loaded CI machine are slow.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// How long the first build may take before serve prints its URL (the
/// browser fixture is the largest).
const STARTUP: Duration = Duration::from_secs(60);

/// A running `playbook serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    /// `127.0.0.1:PORT`
    pub addr: String,
    pub stderr: Arc<Mutex<String>>,
}

/// One HTTP response.
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Server {
    pub fn start(project: &Project) -> Server {
        Server::start_with(project, &[])
    }

    pub fn start_with(project: &Project, args: &[&str]) -> Server {
        Server::start_with_env(project, args, &[])
    }

    /// `playbook serve ARGS` with `env` set, as for a hidden tuning knob.
    pub fn start_with_env(project: &Project, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["serve", "--root"])
            .arg(project.root())
            .args(["--port", "0"])
            .args(args)
            .current_dir(project.root())
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start playbook serve");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = collect(child.stderr.take().expect("stderr"));
        let mut server = Server {
            child,
            url: String::new(),
            addr: String::new(),
            stderr,
        };
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let first = lines
            .recv_timeout(STARTUP)
            .unwrap_or_else(|_| panic!("serve printed no URL; stderr:\n{}", server.stderr()));
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in the first line: {first}"));
        server.url = url.to_string();
        server.addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        server
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn get(&self, path: &str) -> Reply {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .proxy(None)
            .timeout_global(Some(PATIENCE))
            .build()
            .into();
        let url = format!("{}{}", self.url, path.trim_start_matches('/'));
        let mut response = agent
            .get(&url)
            .call()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = response
            .body_mut()
            .read_to_string()
            .unwrap_or_else(|e| panic!("GET {url}: reading the body: {e}"));
        Reply {
            status: response.status().as_u16(),
            content_type,
            headers,
            body,
        }
    }

    /// Send `request` as it is and read the whole answer (the request must
    /// say `Connection: close`): for targets an HTTP client would refuse or
    /// normalise.
    pub fn raw(&self, request: &str) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream.write_all(request.as_bytes()).expect("send");
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line in answer to {request:?}: {text:?}"));
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
            .collect();
        let content_type = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        Reply {
            status,
            content_type,
            headers,
            body: body.to_string(),
        }
    }

    pub fn raw_request(&self, method: &str, target: &str) -> Reply {
        self.raw(&format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    /// Open the live-reload stream; returns once its `hello` has arrived.
    pub fn events(&self) -> Events {
        let agent: ureq::Agent = ureq::Agent::config_builder().proxy(None).build().into();
        let url = format!("{}__playbook/events", self.url);
        let response = agent
            .get(&url)
            .call()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        assert_eq!(
            response.headers().get("content-type").unwrap(),
            "text/event-stream"
        );
        let reader = BufReader::new(response.into_body().into_reader());
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || read_events(reader, &tx));
        let events = Events { rx };
        events.expect("hello");
        events
    }

    /// Wait until `path` answers with a body containing `text`.
    pub fn wait_for_text(&self, path: &str, text: &str) -> Reply {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let reply = self.get(path);
            if reply.body.contains(text) {
                return reply;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never showed {text:?}; last answer {}:\n{}\nstderr:\n{}",
                reply.status,
                reply.body,
                self.stderr()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_for_stderr(&self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let stderr = self.stderr();
            if stderr.contains(text) {
                return stderr;
            }
            assert!(
                Instant::now() < deadline,
                "stderr never showed {text:?}:\n{stderr}"
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait for the process to end by itself.
    pub fn wait_for_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "serve did not stop; stderr:\n{}",
                self.stderr()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Everything a pipe says, gathered by a thread (so the child never blocks on a full pipe).
pub fn collect(pipe: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut sink = sink.lock().unwrap();
            sink.push_str(&line);
            sink.push('\n');
        }
    });
    text
}

/// A live-reload stream: (event, data) as they arrive.
pub struct Events {
    rx: Receiver<(String, String)>,
}

fn read_events(reader: impl BufRead, tx: &mpsc::Sender<(String, String)>) {
    let mut name = String::new();
    let mut data: Vec<String> = Vec::new();
    for line in reader.lines() {
        let Ok(line) = line else { return };
        if line.is_empty() {
            if !name.is_empty() || !data.is_empty() {
                let event = (std::mem::take(&mut name), data.join("\n"));
                data.clear();
                if tx.send(event).is_err() {
                    return;
                }
            }
        } else if let Some(value) = line.strip_prefix("event:") {
            name = value.trim_start().to_string();
        } else if let Some(value) = line.strip_prefix("data:") {
            data.push(value.strip_prefix(' ').unwrap_or(value).to_string());
        }
    }
}

impl Events {
    /// The next event, which must be `name`; returns its data.
    pub fn expect(&self, name: &str) -> String {
        match self.rx.recv_timeout(PATIENCE) {
            Ok((event, data)) => {
                assert_eq!(event, name, "expected a {name} event, got {event}: {data}");
                data
            }
            Err(e) => panic!("no {name} event: {e:?}"),
        }
    }

    /// Forget what has arrived so far.
    pub fn drain(&self) {
        while self.rx.try_recv().is_ok() {}
    }

    /// Nothing arrives within `quiet`.
    pub fn expect_none(&self, quiet: Duration) {
        match self.rx.recv_timeout(quiet) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok((event, data)) => panic!("unexpected {event} event: {data}"),
            Err(e) => panic!("the event stream ended: {e:?}"),
        }
    }

    /// Whether the stream has been closed by the server.
    pub fn ended(&self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            match self.rx.recv_timeout(Duration::from_millis(50)) {
                Err(RecvTimeoutError::Disconnected) => return true,
                _ => continue,
            }
        }
        false
    }
}
