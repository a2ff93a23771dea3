//! The HTTP side of `serve`: the site from memory, the live-reload script
//! and its event stream.
//!
//! Safe by construction: a request path is only ever a key into the built
//! site's files ([`files`](super::files)), so no file outside the site can be
//! served, symlinks included. Only GET and HEAD, but for the one write path
//! ([`runs`](super::runs): a tick on a run page); no directory listings.
//! When bound to loopback, requests naming another host are refused, so a
//! web page cannot read the preview through DNS rebinding.

use crate::html::escape;
use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State as Shared};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::broadcast::error::RecvError;

use super::files::{content_type, is_local_host, lookup, site_path, Lookup};
use super::{Notice, Snapshot, State};

/// Where the live-reload script and its event stream are served.
const SCRIPT_PATH: &str = "/__playbook/livereload.js";
const EVENTS_PATH: &str = "/__playbook/events";
const LIVERELOAD_JS: &str = include_str!("livereload.js");
/// How long open connections get to finish once the server is told to stop.
const GRACE: Duration = Duration::from_secs(2);

/// How long a client may take to send a request's headers (also how long
/// an idle kept-alive connection stays open): a client that sends half a
/// header is dropped then, not kept forever. `PLAYBOOK_HEADER_TIMEOUT_MS`
/// overrides it, for tests.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

fn header_timeout() -> Duration {
    std::env::var("PLAYBOOK_HEADER_TIMEOUT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(HEADER_TIMEOUT, Duration::from_millis)
}

/// Serve until Ctrl-C or SIGTERM; `ready` is called once requests are
/// accepted and the signals are caught.
pub(super) fn run(
    listener: std::net::TcpListener,
    state: Arc<State>,
    ready: impl FnOnce(),
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let loopback_only = listener.local_addr()?.ip().is_loopback();
        let stop = stop_signal(Arc::clone(&state))?;
        let service = TowerToHyperService::new(router(state, loopback_only));
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(header_timeout());
        let connections = GracefulShutdown::new();
        ready();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        let connection = http.serve_connection(TokioIo::new(stream), service.clone());
                        let connection = connections.watch(connection);
                        tokio::spawn(connection);
                    }
                    // Out of file descriptors, say: let some connections end.
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                },
                () = &mut stop => break,
            }
        }
        drop(listener);
        // Connections still open after the grace period are dropped.
        let _ = tokio::time::timeout(GRACE, connections.shutdown()).await;
        Ok(())
    })
}

fn router(state: Arc<State>, loopback_only: bool) -> Router {
    let writes = Router::new()
        .route(super::runs::ITEMS_ROUTE, post(super::runs::post_item))
        .with_state(Arc::clone(&state.run_writer));
    Router::new()
        .route(SCRIPT_PATH, get(livereload_script))
        .route(EVENTS_PATH, get(events))
        .fallback(site)
        .with_state(state)
        .merge(writes)
        .layer(middleware::from_fn_with_state(loopback_only, guard))
}

/// Catch Ctrl-C and SIGTERM now; the future completes on either, telling
/// the live-reload streams to end.
#[cfg(unix)]
fn stop_signal(state: Arc<State>) -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        state.stopping.send_replace(true);
    })
}

#[cfg(not(unix))]
fn stop_signal(state: Arc<State>) -> std::io::Result<impl Future<Output = ()>> {
    Ok(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        state.stopping.send_replace(true);
    })
}

/// Refuse foreign hosts; mark every response as not to be cached or sniffed.
async fn guard(Shared(loopback_only): Shared<bool>, request: Request, next: Next) -> Response {
    if loopback_only && !is_local_host(request.headers().get(header::HOST)) {
        return plain(
            StatusCode::FORBIDDEN,
            "403 Forbidden: this preview answers only to localhost\n",
        );
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

async fn livereload_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVERELOAD_JS,
    )
        .into_response()
}

/// The live-reload stream: `hello` with the site's version first (and
/// `error` when the latest build failed), then `reload` after each good
/// build and `error` after each failed one.
async fn events(Shared(state): Shared<Arc<State>>) -> Response {
    // Subscribe before looking at the site, so no build falls in between.
    let notices = state.notices.subscribe();
    let stopping = state.stopping.subscribe();
    let snapshot = state.current();
    let mut first = vec![SseEvent::default()
        .event("hello")
        .data(state.version(snapshot.generation))];
    if let Some(text) = &snapshot.error {
        first.push(notice_event(&Notice::Error(Arc::clone(text))));
    }
    let live = stream::unfold(
        (notices, stopping, state),
        |(mut notices, mut stopping, state)| async move {
            let notice = tokio::select! {
                _ = stopping.wait_for(|s| *s) => return None,
                notice = notices.recv() => match notice {
                    Ok(notice) => notice,
                    // Missed some: reload to be current.
                    Err(RecvError::Lagged(_)) => Notice::Reload(state.version(state.current().generation)),
                    Err(RecvError::Closed) => return None,
                },
            };
            Some((notice_event(&notice), (notices, stopping, state)))
        },
    );
    let stream = stream::iter(first).chain(live);
    Sse::new(infallible(stream))
        .keep_alive(KeepAlive::default())
        .into_response()
}

fn infallible(
    events: impl Stream<Item = SseEvent>,
) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    events.map(Ok)
}

fn notice_event(notice: &Notice) -> SseEvent {
    match notice {
        Notice::Reload(version) => SseEvent::default().event("reload").data(version),
        Notice::Error(text) => SseEvent::default().event("error").data(text.trim_end()),
    }
}

/// Everything else: a file of the built site.
async fn site(Shared(state): Shared<Arc<State>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "405 Method Not Allowed: this preview only answers GET and HEAD\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Ok(key) = site_path(uri.path()) else {
        return plain(
            StatusCode::BAD_REQUEST,
            "400 Bad Request: not a path in the site\n",
        );
    };
    let snapshot = state.current();
    let version = state.version(snapshot.generation);
    if snapshot.generation == 0 {
        return not_built(&snapshot, &version);
    }
    match lookup(&snapshot.files, &key) {
        Lookup::File(path, bytes) => {
            // Only a run page served now gets the token that lets it write.
            let tag = if super::runs::is_run_page(path) {
                state.run_writer.page_tag()
            } else {
                String::new()
            };
            file(path, bytes, &version, &tag)
        }
        Lookup::Folder => {
            let mut location = format!("{}/", uri.path());
            if let Some(query) = uri.query() {
                location = format!("{location}?{query}");
            }
            match HeaderValue::from_str(&location) {
                Ok(location) => (
                    StatusCode::MOVED_PERMANENTLY,
                    [(header::LOCATION, location)],
                )
                    .into_response(),
                Err(_) => plain(StatusCode::BAD_REQUEST, "400 Bad Request\n"),
            }
        }
        // The site's own 404 page, as a static host serves it, with its status.
        Lookup::Missing if snapshot.files.contains_key(NOT_FOUND_PAGE) => {
            not_found(&snapshot.files[NOT_FOUND_PAGE], &version)
        }
        Lookup::Missing => html_page(
            StatusCode::NOT_FOUND,
            &version,
            "Not found",
            &format!(
                "<h1>Not found</h1><p>The site has no page at <code>{}</code>.</p><p><a href=\"/\">Go to the home page</a></p>",
                escape(&format!("/{key}"))
            ),
        ),
    }
}

/// The page shown for a missing path, when the site has one.
const NOT_FOUND_PAGE: &str = crate::routes::NOT_FOUND_URL;

/// The site's 404 page for a missing path, status 404. Here the site's
/// root is known to be `/`, so the page is told so with a `<base>` first
/// in its head (the first `<base>` wins over the one its own script adds
/// when the site has no `base_url`).
fn not_found(page: &[u8], version: &str) -> Response {
    let at = page
        .windows(6)
        .position(|w| w.eq_ignore_ascii_case(b"<head>"))
        .map_or(0, |i| i + 6);
    let mut html = Vec::with_capacity(page.len() + 32);
    html.extend_from_slice(&page[..at]);
    html.extend_from_slice(b"\n<base href=\"/\">");
    html.extend_from_slice(&page[at..]);
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        with_livereload(&html, version, ""),
    )
        .into_response()
}

fn file(path: &str, bytes: &Bytes, version: &str, extra: &str) -> Response {
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        Body::from(with_livereload(bytes, version, extra))
    } else {
        Body::from(bytes.clone())
    };
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The page with the live-reload script before its last `</body>` (at the
/// end when it has none). Only `serve` does this, never `build`. The
/// script is told which version of the site the page is from, so a build
/// that lands before its event stream connects still reloads the page.
fn with_livereload(html: &[u8], version: &str, extra: &str) -> Vec<u8> {
    let tag = format!(
        "{extra}<script src=\"{SCRIPT_PATH}\" data-version=\"{}\"></script>",
        escape(version)
    );
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// What every request gets before the first good build: the problem, and
/// the live-reload script that brings the site once it is fixed.
fn not_built(snapshot: &Snapshot, version: &str) -> Response {
    let problem = snapshot
        .error
        .as_deref()
        .unwrap_or("The site is being built.");
    html_page(
        StatusCode::SERVICE_UNAVAILABLE,
        version,
        "The site could not be built",
        &format!(
            "<h1>The site could not be built</h1>\
             <p>Fix the problem below and save: this page reloads by itself.</p>\
             <pre>{}</pre>",
            escape(problem)
        ),
    )
}

fn html_page(status: StatusCode, version: &str, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · playbook serve</title>\n\
         <style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}\
         pre{{background:#f6f6f6;padding:1rem;overflow:auto;white-space:pre-wrap}}</style>\n\
         </head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    );
    let html = with_livereload(html.as_bytes(), version, "");
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = b"<html><body><p>`</body>` in code</p>\n</BODY>\n</html>\n";
        let out = String::from_utf8(with_livereload(page, "1-2", "")).unwrap();
        assert_eq!(
            out,
            "<html><body><p>`</body>` in code</p>\n\
             <script src=\"/__playbook/livereload.js\" data-version=\"1-2\"></script></BODY>\n</html>\n"
        );
        let bare = String::from_utf8(with_livereload(b"<p>x</p>", "1-2", "")).unwrap();
        assert!(bare.ends_with("data-version=\"1-2\"></script>"));
    }

    #[test]
    fn hosts() {
        let cases = [
            (Some("localhost:3000"), true),
            (Some("LOCALHOST"), true),
            (Some("docs.localhost:3000"), true),
            (Some("127.0.0.1:3000"), true),
            (Some("127.1.2.3"), true),
            (Some("[::1]:3000"), true),
            (None, true),
            (Some("evil.example:3000"), false),
            (Some("localhost.evil.example"), false),
            (Some("192.168.1.5:3000"), false),
            (Some("[::2]:3000"), false),
        ];
        for (host, local) in cases {
            let value = host.map(|h| HeaderValue::from_str(h).unwrap());
            assert_eq!(is_local_host(value.as_ref()), local, "{host:?}");
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
