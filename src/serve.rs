//! `playbook serve`: a live preview for writers.
//!
//! The site is built into memory ([`build_in_memory`]) and served from
//! there, so nothing outside the built site can ever be served. A watcher
//! (`watch`) rebuilds on every change to the content, the templates, the
//! theme or `playbook.yaml`, reusing one [`RenderCache`] so only the pages
//! whose inputs changed are rendered again. Each good build is swapped in
//! whole and tells every open page to reload; a failed build keeps the last
//! good site and shows its diagnostics over the page instead (`http`).
//!
//! This module owns watching and HTTP only; what to print is the caller's,
//! through [`Event`]s.

mod files;
mod http;
mod runs;
mod watch;

use std::collections::BTreeMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use tokio::sync::{broadcast, watch as signal_watch};

use crate::config::{Config, Paths};
use crate::diagnostic::{render_human, Diagnostic, Sources};
use crate::error::{BuildError, Error};
use crate::incremental::{build_in_memory, LastBuild, MemorySite, RenderCache};

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The project; `out` is ignored (nothing is written).
    pub paths: Paths,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Serve even when `check` finds errors (broken links, unknown roles).
    pub allow_broken: bool,
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
}

/// What happens while serving, for the caller to show.
pub enum Event<'a> {
    /// The first build is done and the server accepts requests at `url`.
    Listening { url: &'a str },
    /// A build succeeded and its site is now served.
    Built(&'a BuildSummary),
    /// A build failed; the last good site, if any, stays served.
    Failed {
        error: &'a BuildError,
        /// Whether an earlier build is still being served.
        serving_previous: bool,
    },
    /// The file watcher reported a problem; changes may have been missed.
    WatchError(&'a str),
}

/// One successful build, as reported to the caller.
pub struct BuildSummary {
    /// Whether this was the build at startup.
    pub first: bool,
    /// HTML pages in the site, and how many of them were rendered this time.
    pub pages: usize,
    pub rendered: usize,
    /// Output files whose bytes changed (added and removed ones included).
    pub changed: usize,
    pub elapsed: Duration,
    /// Warnings `check` found (and errors, with `allow_broken`), with the
    /// texts they point into.
    pub warnings: Arc<Vec<Diagnostic>>,
    pub sources: Sources,
    /// Time per stage of the build, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Serve the project until Ctrl-C (or SIGTERM), calling `report` for
/// everything worth telling the user.
pub fn serve<R>(options: &Options, report: R) -> Result<(), Error>
where
    R: Fn(Event) + Send + Sync + 'static,
{
    if let Err(Error::Usage(message)) = Config::new(&options.paths) {
        return Err(Error::Usage(message));
    }
    let listener = std::net::TcpListener::bind(options.addr).map_err(|err| {
        if err.kind() == io::ErrorKind::AddrInUse {
            Error::AddrInUse(options.addr)
        } else {
            Error::Io(anyhow::anyhow!("cannot listen on {}: {err}", options.addr))
        }
    })?;
    let local = listener.local_addr().map_err(|e| Error::Io(e.into()))?;

    let writer = runs::RunWriter::new(options.paths.clone(), local.ip().is_loopback());
    let state = Arc::new(State::new(writer));
    let report: Arc<dyn Fn(Event) + Send + Sync> = Arc::new(report);
    let mut builder = Builder {
        paths: options.paths.clone(),
        drafts: options.drafts,
        allow_broken: options.allow_broken,
        cache: RenderCache::default(),
        last: None,
        search_stale: false,
        state: Arc::clone(&state),
        report: Arc::clone(&report),
        built_once: false,
    };
    // Watch before the first build, so a save during it is not missed.
    let (fs_events, changes) = mpsc::channel();
    let layout = watch::Layout::new(&options.paths);
    let watcher = watch::Watcher::start(layout, fs_events.clone()).map_err(Error::Io)?;
    builder.rebuild(None);
    std::thread::Builder::new()
        .name("playbook-rebuild".to_string())
        .spawn(move || rebuild_loop(&changes, watcher, builder))
        .map_err(|e| Error::Io(e.into()))?;

    let url = url_for(local);
    let served = http::run(listener, state, || report(Event::Listening { url: &url }));
    // Stop the rebuild thread; a build in progress is abandoned with the process.
    let _ = fs_events.send(watch::Message::Stop);
    served.map_err(Error::Io)
}

/// The URL to open for a listening address: a wildcard address is reached
/// through loopback.
pub fn url_for(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// Wait for changes and rebuild: a burst of changes that arrives during a
/// build is handled by one more build, not one per change.
fn rebuild_loop(
    changes: &mpsc::Receiver<watch::Message>,
    mut watcher: watch::Watcher,
    mut builder: Builder,
) {
    loop {
        // A page-only rebuild leaves the search index behind; it catches up
        // once the writer pauses, so quick saves are not queued behind it.
        let message = if builder.search_stale {
            match changes.recv_timeout(SEARCH_INDEX_IDLE) {
                Ok(message) => message,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    builder.refresh_search_index();
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match changes.recv() {
                Ok(message) => message,
                Err(_) => return,
            }
        };
        let mut changed = watch::Changed::default();
        watcher.collect(message, &*builder.report, &mut changed);
        while let Ok(more) = changes.try_recv() {
            watcher.collect(more, &*builder.report, &mut changed);
        }
        if watcher.stopped() {
            return;
        }
        if changed.any() {
            watcher.refresh();
            builder.rebuild(changed.paths());
        }
    }
}

/// How long no change must come before a stale search index is rebuilt.
const SEARCH_INDEX_IDLE: Duration = Duration::from_millis(250);

/// What every request and every live-reload connection shares.
struct State {
    site: RwLock<Arc<Snapshot>>,
    /// Tells live-reload connections about builds.
    notices: broadcast::Sender<Notice>,
    /// Set once when the server is stopping.
    stopping: signal_watch::Sender<bool>,
    /// Distinguishes this process's builds from an earlier one's, so a page
    /// that reconnects after a restart reloads.
    run_id: u128,
    /// The one write path: ticks on run pages.
    run_writer: Arc<runs::RunWriter>,
}

/// One build's site, as served. Replaced whole, never changed in place.
struct Snapshot {
    /// Output path → bytes; empty until the first good build. Shared with
    /// the snapshots of the failed builds after it.
    files: Arc<BTreeMap<String, Bytes>>,
    /// The diagnostics of the latest build, when it failed.
    error: Option<Arc<str>>,
    /// Counts good builds.
    generation: u64,
}

/// What live-reload connections are told.
#[derive(Clone, Debug)]
enum Notice {
    /// A new site is served: reload.
    Reload(String),
    /// The latest build failed: show this over the page.
    Error(Arc<str>),
}

impl State {
    fn new(run_writer: runs::RunWriter) -> State {
        let run_id = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        State {
            site: RwLock::new(Arc::new(Snapshot {
                files: Arc::default(),
                error: None,
                generation: 0,
            })),
            notices: broadcast::channel(16).0,
            stopping: signal_watch::channel(false).0,
            run_id,
            run_writer: Arc::new(run_writer),
        }
    }

    /// The site being served now.
    fn current(&self) -> Arc<Snapshot> {
        Arc::clone(&self.site.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn swap(&self, snapshot: Snapshot) {
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
    }

    /// Names a generation of the site for the live-reload script.
    fn version(&self, generation: u64) -> String {
        format!("{:x}-{generation}", self.run_id)
    }
}

/// Runs builds and publishes their outcome.
struct Builder {
    paths: Paths,
    drafts: bool,
    allow_broken: bool,
    cache: RenderCache,
    /// The model of the last good build, for rebuilding only edited pages.
    last: Option<LastBuild>,
    /// Pages were rebuilt alone since the search index was made.
    search_stale: bool,
    state: Arc<State>,
    report: Arc<dyn Fn(Event) + Send + Sync>,
    built_once: bool,
}

impl Builder {
    /// Build, and either swap the new site in and tell pages to reload, or
    /// keep the last good one and tell pages what is wrong.
    /// `edited`: the files that changed, when the watcher knows them all.
    fn rebuild(&mut self, edited: Option<Vec<PathBuf>>) {
        let started = Instant::now();
        // The config is read every time: `playbook.yaml` may have changed.
        let config = Config::new(&self.paths).map(|mut config| {
            config.drafts = self.drafts;
            config.allow_broken = self.allow_broken;
            config
        });
        if let (Ok(config), Some(edited)) = (&config, &edited) {
            if self.rebuild_pages(config, edited, started) {
                return;
            }
        }
        let result = match config {
            Ok(config) => self.build(&config),
            Err(err) => Err(err),
        };
        match result {
            Ok(mut site) => {
                self.last = site.last.take();
                self.search_stale = false;
                let summary = BuildSummary {
                    first: !self.built_once,
                    pages: site.files.keys().filter(|p| p.ends_with(".html")).count(),
                    rendered: site.rendered,
                    changed: site.changed.len(),
                    elapsed: started.elapsed(),
                    warnings: Arc::new(site.problems),
                    sources: site.problem_sources,
                    timings: site.timings,
                };
                let files = site
                    .files
                    .into_iter()
                    .map(|(path, bytes)| (path, Bytes::from_owner(bytes)))
                    .collect();
                self.publish(files, &summary);
            }
            Err(error) => {
                // The files no longer match the model: the next change rebuilds all.
                self.last = None;
                self.publish_failure(&error);
            }
        }
    }

    /// Rebuild only the edited pages, when [`LastBuild::update_pages`] can.
    /// Returns whether it did (or failed in a way to report); false means a
    /// full build is needed.
    fn rebuild_pages(&mut self, config: &Config, edited: &[PathBuf], started: Instant) -> bool {
        let Some(last) = self.last.as_mut() else {
            return false;
        };
        let update =
            match panic::catch_unwind(AssertUnwindSafe(|| last.update_pages(config, edited))) {
                Ok(Some(update)) => update,
                Ok(None) => return false,
                Err(_) => {
                    // A bug: drop the model, and let a full build report it.
                    self.last = None;
                    return false;
                }
            };
        match update {
            Ok(update) => {
                let previous = self.state.current();
                let mut files = (*previous.files).clone();
                let rendered = update.files.len();
                let mut changed = 0;
                for (path, bytes) in update.files {
                    if files.get(&path).map(|b| b.as_ref()) != Some(bytes.as_slice()) {
                        changed += 1;
                    }
                    files.insert(path, Bytes::from(bytes));
                }
                let summary = BuildSummary {
                    first: false,
                    pages: files.keys().filter(|p| p.ends_with(".html")).count(),
                    rendered,
                    changed,
                    elapsed: started.elapsed(),
                    warnings: update.problems,
                    sources: update.problem_sources,
                    timings: update.timings,
                };
                self.publish(files, &summary);
                self.search_stale = true;
            }
            Err(error) => self.publish_failure(&error),
        }
        true
    }

    /// After page-only rebuilds, the search index catches up: the pages are
    /// served first, the index (a few hundred milliseconds on a big site)
    /// follows without another reload.
    fn refresh_search_index(&mut self) {
        self.search_stale = false;
        let Some(Ok(search)) = self.last.as_ref().map(LastBuild::search_files) else {
            return;
        };
        let current = self.state.current();
        let mut files = (*current.files).clone();
        files.retain(|path, _| !path.starts_with("search/"));
        for (path, bytes) in search {
            files.insert(path, Bytes::from(bytes));
        }
        self.state.swap(Snapshot {
            files: Arc::new(files),
            error: current.error.clone(),
            generation: current.generation,
        });
    }

    /// Serve `files` and tell pages to reload.
    fn publish(&mut self, files: BTreeMap<String, Bytes>, summary: &BuildSummary) {
        let previous = self.state.current();
        let generation = previous.generation + 1;
        self.state.swap(Snapshot {
            files: Arc::new(files),
            error: None,
            generation,
        });
        self.built_once = true;
        if summary.changed > 0 || previous.error.is_some() {
            let _ = self
                .state
                .notices
                .send(Notice::Reload(self.state.version(generation)));
        }
        (self.report)(Event::Built(summary));
    }

    /// Keep serving the last good site, and show what is wrong.
    fn publish_failure(&mut self, error: &BuildError) {
        let previous = self.state.current();
        let text: Arc<str> = browser_text(error).into();
        self.state.swap(Snapshot {
            files: Arc::clone(&previous.files),
            error: Some(Arc::clone(&text)),
            generation: previous.generation,
        });
        let _ = self.state.notices.send(Notice::Error(text));
        (self.report)(Event::Failed {
            error,
            serving_previous: self.built_once,
        });
    }

    /// One build. A bug that panics in the build is reported like any
    /// failed build, so the server goes on serving the last good site.
    fn build(&mut self, config: &Config) -> Result<MemorySite, BuildError> {
        let cache = &mut self.cache;
        match panic::catch_unwind(AssertUnwindSafe(|| build_in_memory(config, cache))) {
            Ok(result) => result,
            Err(payload) => {
                // What the cache holds may be half updated.
                self.cache = RenderCache::default();
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown cause".to_string());
                Err(BuildError::Io(anyhow::anyhow!(
                    "internal error: the build panicked ({message}); please report this"
                )))
            }
        }
    }
}

/// A failed build's diagnostics, as plain text for the browser overlay.
fn browser_text(error: &BuildError) -> String {
    match error {
        BuildError::Invalid {
            diagnostics,
            sources,
        } => render_human(diagnostics, sources, false),
        other => format!("error: {other}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_for_addresses() {
        let cases = [
            ("127.0.0.1:3000", "http://127.0.0.1:3000/"),
            ("0.0.0.0:8080", "http://127.0.0.1:8080/"),
            ("[::]:3000", "http://[::1]:3000/"),
            ("[::1]:3000", "http://[::1]:3000/"),
            ("192.168.1.5:3000", "http://192.168.1.5:3000/"),
        ];
        for (addr, url) in cases {
            assert_eq!(url_for(addr.parse().unwrap()), url, "{addr}");
        }
    }

    #[test]
    fn a_bad_config_reads_like_a_build_error() {
        let diagnostic = Diagnostic::file_error("config", "playbook.yaml", "bad");
        let error = Error::in_file(diagnostic, "x".into());
        assert!(browser_text(&error).contains("playbook.yaml"));
        let error = Error::Usage("no content".into());
        assert_eq!(browser_text(&error), "error: no content\n");
    }
}
