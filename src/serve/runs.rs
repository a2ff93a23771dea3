//! The one write path of `playbook serve`: ticking an item on a run page
//! writes the run file (`POST /__playbook/runs/<version>/items`).
//!
//! A request is refused, before anything is read or written, unless:
//! - the server is bound to loopback, and the request's `Host` names this
//!   machine (the guard in `http` checks it for every request; here it must
//!   also be present);
//! - its `Origin` is exactly the served origin (`http://` + `Host`), and its
//!   `Sec-Fetch-Site`, when the browser sends one, is `same-origin`;
//! - it carries this server's random token in `X-Playbook-Token`; the token
//!   is only ever put into run pages as they are served, never into the
//!   built site, and a custom header with a JSON body means another origin
//!   cannot even send it without a CORS preflight, which is never granted;
//! - its body is JSON of at most [`MAX_BODY`] bytes naming an item of the run.
//!
//! The write goes through [`RunFile::update`], the same lock and atomic
//! replace as `playbook run tick`; the watcher then sees the file change and
//! the page reloads like after any other edit.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Request, State as Shared};
use axum::http::header::{self, HeaderMap};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::config::{Config, Paths};
use crate::error::Error;
use crate::runs::{ItemState, RunFile, RunVersion, Timestamp};

/// Where run pages post their ticks (`{version}` is the run's).
pub(super) const ITEMS_ROUTE: &str = "/__playbook/runs/{version}/items";
/// The header the token rides in.
pub(super) const TOKEN_HEADER: &str = "x-playbook-token";
/// The largest body accepted, in bytes: a tick is a few hundred.
pub(super) const MAX_BODY: usize = 16 * 1024;
/// The longest `by`, and the longest note or reason, in characters.
const MAX_NAME: usize = 100;
const MAX_TEXT: usize = 2000;

/// What the write path needs: the project (to find the runs folder, which
/// `playbook.yaml` may move while serving) and this server's token.
pub(super) struct RunWriter {
    pub(super) paths: Paths,
    /// 256 random bits, hex; `None` when the system gave no randomness
    /// (then nothing can be written).
    pub(super) token: Option<String>,
    /// Whether the server listens on loopback only.
    pub(super) loopback_only: bool,
}

impl RunWriter {
    pub(super) fn new(paths: Paths, loopback_only: bool) -> RunWriter {
        let mut bytes = [0u8; 32];
        let token = getrandom::fill(&mut bytes)
            .ok()
            .map(|()| bytes.iter().map(|b| format!("{b:02x}")).collect());
        RunWriter {
            paths,
            token,
            loopback_only,
        }
    }

    /// What a served run page gets before `</body>`: the token, for
    /// `runs.js`. Nothing when writes are off.
    pub(super) fn page_tag(&self) -> String {
        match (&self.token, self.loopback_only) {
            (Some(token), true) => {
                format!("<span hidden id=\"playbook-run-writer\" data-token=\"{token}\"></span>")
            }
            _ => String::new(),
        }
    }
}

/// Whether the site path `key` (`runs/2.4.0/index.html`) is a run's page.
pub(super) fn is_run_page(key: &str) -> bool {
    key.strip_prefix("runs/")
        .and_then(|rest| rest.strip_suffix("/index.html"))
        .is_some_and(|version| RunVersion::parse(version).is_ok())
}

/// A tick as the page sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tick {
    item: String,
    state: ItemState,
    #[serde(default)]
    by: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

/// A refused request: its status and why, as plain text.
struct Refused(StatusCode, String);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let status = self.0;
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!(
                "{} {}: {}\n",
                status.as_u16(),
                status.canonical_reason().unwrap_or(""),
                self.1
            ),
        )
            .into_response()
    }
}

fn refuse(status: StatusCode, why: impl Into<String>) -> Refused {
    Refused(status, why.into())
}

/// `POST /__playbook/runs/{version}/items`.
pub(super) async fn post_item(
    Shared(writer): Shared<Arc<RunWriter>>,
    Path(version): Path<String>,
    request: Request,
) -> Response {
    match accept(&writer, &version, request).await {
        Ok(text) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response(),
        Err(refused) => refused.into_response(),
    }
}

async fn accept(
    writer: &Arc<RunWriter>,
    version: &str,
    request: Request,
) -> Result<String, Refused> {
    check_origin(writer, request.headers())?;
    let body = read_body(request.into_body()).await?;
    let tick: Tick = serde_json::from_slice(&body)
        .map_err(|e| refuse(StatusCode::BAD_REQUEST, format!("not a tick: {e}")))?;
    check_tick(&tick)?;
    let version = RunVersion::parse(version).map_err(|e| refuse(StatusCode::NOT_FOUND, e))?;
    let writer = Arc::clone(writer);
    tokio::task::spawn_blocking(move || record(&writer, &version, tick))
        .await
        .map_err(|_| refuse(StatusCode::INTERNAL_SERVER_ERROR, "the write failed"))?
}

/// Host present and local, Origin the served origin, same-origin fetch,
/// and the token.
fn check_origin(writer: &RunWriter, headers: &HeaderMap) -> Result<(), Refused> {
    let forbidden = |why: &str| refuse(StatusCode::FORBIDDEN, why);
    let Some(token) = &writer.token else {
        return Err(refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "this server has no token; writes are off",
        ));
    };
    if !writer.loopback_only {
        return Err(forbidden(
            "run files are written only by a server bound to loopback (the default, 127.0.0.1)",
        ));
    }
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST).ok_or_else(|| forbidden("no Host header"))?;
    if !super::files::is_local_host(headers.get(header::HOST)) {
        return Err(forbidden("this preview answers only to localhost"));
    }
    let origin = text(header::ORIGIN).ok_or_else(|| forbidden("no Origin header"))?;
    if !origin.eq_ignore_ascii_case(&format!("http://{host}")) {
        return Err(forbidden("the request comes from another origin"));
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        if site.as_bytes() != b"same-origin" {
            return Err(forbidden("the request comes from another site"));
        }
    }
    let sent = headers
        .get(TOKEN_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !same_secret(sent, token.as_bytes()) {
        return Err(forbidden("missing or wrong token; reload the run page"));
    }
    let json = text(header::CONTENT_TYPE)
        .and_then(|t| t.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the tick as application/json",
        ));
    }
    Ok(())
}

/// Compare without leaking, by timing, how much of the token was right.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn read_body(body: Body) -> Result<axum::body::Bytes, Refused> {
    axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("a tick is at most {MAX_BODY} bytes"),
        )
    })
}

/// Names and texts are one line of printable text, of a sane length.
fn check_tick(tick: &Tick) -> Result<(), Refused> {
    let bad = |why: String| refuse(StatusCode::BAD_REQUEST, why);
    let by = tick.by.trim();
    if tick.state != ItemState::Open && by.is_empty() {
        return Err(bad("say who ticked it: `by` is empty".into()));
    }
    for (field, text, max) in [
        ("item", Some(tick.item.as_str()), MAX_TEXT),
        ("by", Some(by), MAX_NAME),
        ("note", tick.note.as_deref(), MAX_TEXT),
        ("reason", tick.reason.as_deref(), MAX_TEXT),
    ] {
        let Some(text) = text else { continue };
        if text.chars().count() > max {
            return Err(bad(format!("`{field}` is longer than {max} characters")));
        }
        if text.chars().any(char::is_control) {
            return Err(bad(format!(
                "`{field}` holds a control character (a line break, say)"
            )));
        }
    }
    match (tick.state, tick.reason.as_deref().map(str::trim)) {
        (ItemState::Skipped, None | Some("")) => Err(bad("a skipped item needs a `reason`".into())),
        (ItemState::Skipped, _) | (_, None) => Ok(()),
        (_, Some(_)) => Err(bad("only a skipped item has a `reason`".into())),
    }
}

/// Write the tick under the run file's lock; nothing is written when the
/// item is not in the run.
fn record(writer: &RunWriter, version: &RunVersion, tick: Tick) -> Result<String, Refused> {
    let config = Config::new(&writer.paths).map_err(|_| {
        refuse(
            StatusCode::CONFLICT,
            "playbook.yaml cannot be read; fix it first",
        )
    })?;
    let file = RunFile::new(&config.runs_dir(), version);
    if !file.exists() {
        return Err(refuse(
            StatusCode::NOT_FOUND,
            format!("there is no run {version}"),
        ));
    }
    let mut unknown = false;
    let outcome = file.update(|run| {
        let Some(item) = run.items.iter_mut().find(|i| i.id == tick.item) else {
            unknown = true;
            return Err(Error::Usage(String::new()));
        };
        let by = tick.by.trim();
        match tick.state {
            ItemState::Open => item.reopen(),
            state => {
                item.close(state, by, Timestamp::now(), tick.note.clone());
                if state == ItemState::Skipped {
                    item.reason = tick.reason.clone();
                }
            }
        }
        Ok(format!(
            "{} is {} in {}\n",
            item.id,
            item.state.as_str(),
            file.shown
        ))
    });
    match outcome {
        Ok(text) => Ok(text),
        Err(_) if unknown => Err(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the run {version} has no item with that id"),
        )),
        Err(err) => Err(refuse(
            StatusCode::CONFLICT,
            format!("the run file was not written: {err}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_pages_are_recognised_by_a_version() {
        assert!(is_run_page("runs/2.4.0/index.html"));
        assert!(is_run_page("runs/2.4.0+b.1/index.html"));
        assert!(!is_run_page("runs/index.html"));
        assert!(!is_run_page("runs/notes/index.html"));
        assert!(!is_run_page("guide/runs/2.4.0/index.html"));
    }

    #[test]
    fn only_a_loopback_server_with_a_token_puts_it_in_pages() {
        let local = RunWriter::new(Paths::default(), true);
        let token = local.token.clone().expect("randomness");
        assert_eq!(token.len(), 64);
        assert_ne!(RunWriter::new(Paths::default(), true).token, local.token);
        assert!(local.page_tag().contains(&token));
        assert_eq!(RunWriter::new(Paths::default(), false).page_tag(), "");
        let without = RunWriter {
            token: None,
            ..RunWriter::new(Paths::default(), true)
        };
        assert_eq!(without.page_tag(), "");
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abd", b"abc"));
        assert!(!same_secret(b"ab", b"abc"));
        assert!(!same_secret(b"", b"abc"));
    }

    #[test]
    fn ticks_are_checked() {
        let tick = |state: ItemState, by: &str, reason: Option<&str>| Tick {
            item: "c/a".into(),
            state,
            by: by.into(),
            note: None,
            reason: reason.map(String::from),
        };
        assert!(check_tick(&tick(ItemState::Done, "Sam", None)).is_ok());
        assert!(check_tick(&tick(ItemState::Open, "", None)).is_ok());
        assert!(check_tick(&tick(ItemState::Done, " ", None)).is_err());
        assert!(check_tick(&tick(ItemState::Done, "Sam\nX", None)).is_err());
        assert!(check_tick(&tick(ItemState::Done, &"a".repeat(101), None)).is_err());
        assert!(check_tick(&tick(ItemState::Skipped, "Sam", None)).is_err());
        assert!(check_tick(&tick(ItemState::Skipped, "Sam", Some("later"))).is_ok());
        assert!(check_tick(&tick(ItemState::Done, "Sam", Some("later"))).is_err());
    }
}
