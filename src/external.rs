//! `check --external`: whether the http(s) links in the content still answer.
//!
//! Off by default: it needs the network and is slow next to the rest of
//! `check`. Every URL is requested once (links that differ only in their
//! `#fragment` share one request) by a small pool of worker threads that
//! never has more than `per_host` requests in flight to one host. A `HEAD`
//! is tried first; a server that refuses it (403, 405, 501) gets a `GET`.
//! Redirects are followed, up to [`MAX_REDIRECTS`].
//!
//! A 429 (Too Many Requests) is asked again after the server's
//! `Retry-After` (seconds or an HTTP date), or after 1, 2, 4 s without one,
//! [`MAX_RETRIES`] times at most, and never past `retry_budget` from the
//! start of the run: a wait that would end later gives up at once.
//!
//! `playbook.yaml`'s `external:` rules (see [`LinkRules`]) leave links out
//! (`exclude`), accept any answer from some (`accept`) and say which
//! statuses count as working (`accept_status`). They are applied to the
//! answers when they are reported, not when they are cached, so a changed
//! rule takes effect on cached answers too.
//!
//! Results are cached in a JSON file (sorted by URL, so it diffs cleanly),
//! so that CI re-running `check` does not hammer the same servers: an answer
//! that works is trusted for `max_age` (a day by default); a failure, a
//! timeout or a 429 is kept for at most [`FAILURE_MAX_AGE`] (an hour), so a
//! site that was down for a moment is asked again soon. Delete the file to
//! check everything now.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use indicatif::ProgressBar;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Severity};

/// `check --external`'s rules. URL patterns are regular expressions (the
/// Rust `regex` syntax), each searched for anywhere in the link as written:
/// anchor one with `^` to match a prefix, and write `\.` for a dot.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ExternalSettings {
    /// Links never requested, like `^https://intranet\.example\.com/`.
    #[schemars(extend("items" = {"type": "string", "format": "regex"}))]
    pub exclude: Vec<String>,
    /// Links requested, but whose every HTTP answer counts as working:
    /// only no answer at all (no such host, a timeout) is reported.
    #[schemars(extend("items" = {"type": "string", "format": "regex"}))]
    pub accept: Vec<String>,
    /// The HTTP statuses, after redirects, that count as working; by
    /// default any below 400.
    #[schemars(inner(range(min = 100, max = 599)))]
    pub accept_status: Option<Vec<u16>>,
}

/// How long a failed check is cached, whatever `max_age` says (if longer).
pub const FAILURE_MAX_AGE: Duration = Duration::from_secs(60 * 60);
/// Redirects followed before a link counts as broken.
pub const MAX_REDIRECTS: u32 = 5;
/// How many times a 429 is asked again at most.
pub const MAX_RETRIES: u32 = 3;
/// The wait before asking again after the first 429 without `Retry-After`;
/// it doubles each time.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The diagnostic code of every problem this module finds.
const CODE: &str = "external-link";
/// Bumped when the cache's shape changes; a cache of another version is ignored.
const CACHE_VERSION: u32 = 1;

/// One external link found in the content.
#[derive(Debug, Clone)]
pub struct ExternalLink {
    /// The destination as written, fragment included.
    pub url: String,
    /// The file as shown in messages, e.g. `content/a.md`.
    pub path: String,
    /// Byte span of the link in that file.
    pub span: Range<usize>,
    /// The file's whole text, to build diagnostics.
    pub text: Arc<str>,
}

/// How to check external links.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Where results are cached; its folder is created when missing.
    pub cache_file: PathBuf,
    /// The longest one URL may take, redirects included.
    pub timeout: Duration,
    /// Requests in flight to one host at most.
    pub per_host: usize,
    /// Requests in flight in all at most.
    pub max_in_flight: usize,
    /// How long a working link is trusted without asking again.
    pub max_age: Duration,
    /// How long after the start of the run a 429 may still be waited for.
    pub retry_budget: Duration,
    /// Which links to request and which answers count as working.
    pub rules: LinkRules,
    /// Ticked once per URL requested; hidden unless the caller draws it.
    pub progress: ProgressBar,
}

/// URL patterns: regular expressions searched for in a link as written.
#[derive(Debug, Clone, Default)]
pub struct UrlPatterns(Option<regex::RegexSet>);

impl UrlPatterns {
    /// The patterns compiled, or why one is not a regular expression.
    pub fn compile(patterns: &[String]) -> Result<UrlPatterns, String> {
        if patterns.is_empty() {
            return Ok(UrlPatterns(None));
        }
        regex::RegexSet::new(patterns)
            .map(|set| UrlPatterns(Some(set)))
            .map_err(|err| {
                let why = match &err {
                    // The last line of a syntax error says what is wrong.
                    regex::Error::Syntax(text) => text
                        .lines()
                        .last()
                        .unwrap_or(text)
                        .trim_start_matches("error: ")
                        .to_string(),
                    other => other.to_string(),
                };
                let shown = match patterns {
                    [one] => format!("`{one}` is"),
                    _ => "a pattern is".to_string(),
                };
                format!("{shown} not a regular expression: {why}")
            })
    }

    pub fn matches(&self, url: &str) -> bool {
        self.0.as_ref().is_some_and(|set| set.is_match(url))
    }
}

/// `playbook.yaml`'s `external:` rules, compiled.
#[derive(Debug, Clone, Default)]
pub struct LinkRules {
    /// Links never requested nor reported.
    pub exclude: UrlPatterns,
    /// Links whose every HTTP answer counts as working.
    pub accept: UrlPatterns,
    /// The statuses that count as working; `None`: any below 400.
    pub accept_status: Option<Vec<u16>>,
}

impl LinkRules {
    pub fn new(settings: &ExternalSettings) -> Result<LinkRules, String> {
        Ok(LinkRules {
            exclude: UrlPatterns::compile(&settings.exclude)?,
            accept: UrlPatterns::compile(&settings.accept)?,
            accept_status: settings.accept_status.clone(),
        })
    }

    /// Whether an answer of `status` means the link works.
    fn works(&self, status: u16) -> bool {
        match &self.accept_status {
            Some(statuses) => statuses.contains(&status),
            None => status < 400,
        }
    }
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            cache_file: PathBuf::from(".playbook/external-links.json"),
            timeout: Duration::from_secs(10),
            per_host: 2,
            max_in_flight: 8,
            max_age: Duration::from_secs(24 * 60 * 60),
            retry_budget: Duration::from_secs(60),
            rules: LinkRules::default(),
            progress: ProgressBar::hidden(),
        }
    }
}

/// What requesting one URL found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
enum Outcome {
    /// A 2xx or 3xx answer, after redirects.
    Ok { status: u16 },
    /// A 4xx or 5xx answer other than 429.
    Broken { status: u16 },
    /// 429 Too Many Requests: not known to be broken.
    RateLimited,
    /// No answer within the timeout.
    Timeout { after_ms: u64 },
    /// No answer at all: DNS, connection, TLS, protocol or redirect failure.
    Unreachable { error: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct CacheEntry {
    /// When the URL was requested, in seconds since the Unix epoch.
    checked: u64,
    outcome: Outcome,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    version: u32,
    /// By URL without fragment.
    links: BTreeMap<String, CacheEntry>,
}

/// Check every http(s) link once, or take its answer from the cache, and
/// return a diagnostic for every link that is broken (an error) or that
/// the server would not answer for now (429, a warning). Other links
/// (`mailto:`, `//host`, ...) are skipped.
pub fn check_external(links: &[ExternalLink], options: &ExternalOptions) -> Vec<Diagnostic> {
    let now = unix_now();
    let mut cache = load_cache(&options.cache_file);
    let cached = cache.links.len();
    cache
        .links
        .retain(|_, entry| is_fresh(entry, now, options.max_age));
    let expired = cached != cache.links.len();

    let links: Vec<&ExternalLink> = links
        .iter()
        .filter(|link| is_http(&link.url) && !options.rules.exclude.matches(&link.url))
        .collect();
    let unchecked: Vec<String> = unique_urls(&links)
        .into_iter()
        .filter(|url| !cache.links.contains_key(url))
        .collect();
    for (url, outcome) in request_all(&unchecked, options) {
        let entry = CacheEntry {
            checked: now,
            outcome,
        };
        cache.links.insert(url, entry);
    }

    let mut out: Vec<Diagnostic> = links
        .iter()
        .filter_map(|link| {
            let entry = cache.links.get(cache_key(&link.url))?;
            diagnostic(link, &entry.outcome, &options.rules)
        })
        .collect();
    if !unchecked.is_empty() || expired {
        if let Err(err) = save_cache(&options.cache_file, &cache) {
            out.push(cache_warning(&options.cache_file, &err));
        }
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// Whether `url` is one this module checks.
fn is_http(url: &str) -> bool {
    let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// The URL requested for a link: the fragment never reaches the server.
fn cache_key(url: &str) -> &str {
    url.split_once('#').map_or(url, |(before, _)| before)
}

/// Every http(s) URL to request, once each, sorted.
fn unique_urls(links: &[&ExternalLink]) -> BTreeSet<String> {
    links
        .iter()
        .filter(|link| is_http(&link.url))
        .map(|link| cache_key(&link.url).to_string())
        .collect()
}

/// Whether a cached answer may still be used at `now`: a working link for
/// `max_age`, anything else for `FAILURE_MAX_AGE` at most. An entry from the
/// future (a clock that moved back) is not trusted.
fn is_fresh(entry: &CacheEntry, now: u64, max_age: Duration) -> bool {
    let ttl = match entry.outcome {
        Outcome::Ok { .. } => max_age,
        _ => max_age.min(FAILURE_MAX_AGE),
    };
    entry.checked <= now && now - entry.checked < ttl.as_secs()
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The cache in `path`; empty when the file is missing, unreadable, corrupt
/// or of another version (it is rewritten after the run).
fn load_cache(path: &Path) -> Cache {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str::<Cache>(&text).ok())
        .filter(|cache| cache.version == CACHE_VERSION)
        .unwrap_or_default()
}

/// Write the cache beside `path`, then move it into place, so a reader
/// never sees half a file.
fn save_cache(path: &Path, cache: &Cache) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let cache = Cache {
        version: CACHE_VERSION,
        links: cache.links.clone(),
    };
    let json = serde_json::to_string_pretty(&cache).map_err(std::io::Error::other)? + "\n";
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    std::fs::write(&temp, json)?;
    std::fs::rename(&temp, path)
}

fn cache_warning(path: &Path, err: &std::io::Error) -> Diagnostic {
    let mut warning = Diagnostic::file_error(
        "external-link-cache",
        &path.display().to_string(),
        format!("cannot save the external-link results: {err}"),
    )
    .with_hint("the next run requests every external link again");
    warning.severity = Severity::Warning;
    warning
}

/// The diagnostic for a link whose URL gave `outcome`, if that is a
/// problem under `rules`.
fn diagnostic(link: &ExternalLink, outcome: &Outcome, rules: &LinkRules) -> Option<Diagnostic> {
    let url = &link.url;
    let retry = "if the address is right and the site is only down for now, \
                 run again later (failures are asked again after an hour)";
    let answered = matches!(
        outcome,
        Outcome::Ok { .. } | Outcome::Broken { .. } | Outcome::RateLimited
    );
    if answered && rules.accept.matches(url) {
        return None;
    }
    let (severity, message, hint) = match outcome {
        Outcome::Ok { status } | Outcome::Broken { status } if rules.works(*status) => {
            return None
        }
        Outcome::RateLimited if rules.works(429) => return None,
        Outcome::Ok { status } | Outcome::Broken { status } if rules.accept_status.is_some() => (
            Severity::Error,
            format!(
                "external link {url} answered HTTP {}, which external.accept_status does not list",
                status_text(*status)
            ),
            "fix the address, or add the status to external.accept_status (or the link to external.accept) in playbook.yaml".to_string(),
        ),
        Outcome::Ok { .. } => return None,
        Outcome::Broken { status } => (
            Severity::Error,
            format!(
                "external link {url} is broken: HTTP {}",
                status_text(*status)
            ),
            "fix the address, link to the page's new home, or remove the link".to_string(),
        ),
        Outcome::RateLimited => (
            Severity::Warning,
            format!("external link {url} was not checked: HTTP 429 Too Many Requests"),
            "the server asks for fewer requests; it is asked again after an hour".to_string(),
        ),
        Outcome::Timeout { after_ms } => (
            Severity::Error,
            format!(
                "external link {url} did not answer within {}",
                millis(*after_ms)
            ),
            retry.to_string(),
        ),
        Outcome::Unreachable { error } => (
            Severity::Error,
            format!("external link {url} cannot be reached: {error}"),
            format!("check the address for typos; {retry}"),
        ),
    };
    let mut diagnostic =
        Diagnostic::error(CODE, &link.path, &link.text, link.span.clone(), message).with_hint(hint);
    diagnostic.severity = severity;
    Some(diagnostic)
}

/// `404 Not Found`, or just the number for a status without a name.
fn status_text(status: u16) -> String {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
        .map_or(status.to_string(), |reason| format!("{status} {reason}"))
}

fn millis(ms: u64) -> String {
    if ms >= 1000 && ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

/// Request every URL, with `max_in_flight` worker threads and at most
/// `per_host` requests to one host at a time.
fn request_all(urls: &[String], options: &ExternalOptions) -> BTreeMap<String, Outcome> {
    if urls.is_empty() {
        return BTreeMap::new();
    }
    let agent = agent(options.timeout);
    let queue = Queue::new(urls, options.per_host);
    let results = Mutex::new(BTreeMap::new());
    let deadline = Instant::now() + options.retry_budget;
    options.progress.set_length(urls.len() as u64);
    std::thread::scope(|scope| {
        for _ in 0..options.max_in_flight.clamp(1, urls.len()) {
            scope.spawn(|| {
                while let Some(job) = queue.next() {
                    let outcome = check_url(&agent, &job.url, options.timeout, deadline);
                    queue.done(&job.host);
                    lock(&results).insert(job.url, outcome);
                    options.progress.inc(1);
                }
            });
        }
    });
    options.progress.finish_and_clear();
    results.into_inner().unwrap_or_else(PoisonError::into_inner)
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(MAX_REDIRECTS)
        .timeout_global(Some(timeout))
        .user_agent(concat!("playbook-linkcheck/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Ask for `url`, again after a 429 while `deadline` allows the wait.
fn check_url(agent: &ureq::Agent, url: &str, timeout: Duration, deadline: Instant) -> Outcome {
    let url = escape_for_request(url);
    let mut retries = 0;
    loop {
        match ask(agent, &url) {
            Ok((429, retry_after)) => {
                let wait = retry_delay(retries, retry_after);
                let ends = Instant::now().checked_add(wait);
                if retries == MAX_RETRIES || ends.is_none_or(|end| end > deadline) {
                    return Outcome::RateLimited;
                }
                std::thread::sleep(wait);
                retries += 1;
            }
            Ok((status, _)) if status >= 400 => return Outcome::Broken { status },
            Ok((status, _)) => return Outcome::Ok { status },
            Err(err) => return failure(err, timeout),
        }
    }
}

/// One answer to `url`: `HEAD`, then `GET` if the server will not answer
/// `HEAD`; its status and `Retry-After`.
fn ask(agent: &ureq::Agent, url: &str) -> Result<(u16, Option<Duration>), ureq::Error> {
    let answer = |response: ureq::http::Response<ureq::Body>| {
        let retry_after = response
            .headers()
            .get(ureq::http::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| parse_retry_after(value, SystemTime::now()));
        (response.status().as_u16(), retry_after)
    };
    let first = agent.head(url).call().map(answer)?;
    if matches!(first.0, 403 | 405 | 501) {
        return agent.get(url).call().map(answer);
    }
    Ok(first)
}

/// The wait `Retry-After` asks for: a number of seconds, or an HTTP date
/// (zero when it has passed). `None` when it is neither.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// How long to wait before asking again after the `retries`+1-th 429: what
/// the server asked for, else 1, 2, 4 s...
fn retry_delay(retries: u32, retry_after: Option<Duration>) -> Duration {
    retry_after.unwrap_or_else(|| FIRST_BACKOFF.saturating_mul(1 << retries.min(16)))
}

fn failure(err: ureq::Error, timeout: Duration) -> Outcome {
    let after_ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
    let error = match err {
        ureq::Error::Timeout(_) => return Outcome::Timeout { after_ms },
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            return Outcome::Timeout { after_ms }
        }
        ureq::Error::Io(io) => io.to_string(),
        ureq::Error::HostNotFound => "the host name does not resolve".to_string(),
        ureq::Error::TooManyRedirects => format!("more than {MAX_REDIRECTS} redirects"),
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => format!("not a valid URL ({err})"),
        other => other.to_string(),
    };
    Outcome::Unreachable { error }
}

/// Percent-encode what browsers encode before sending (spaces, non-ASCII
/// letters), so `https://de.wikipedia.org/wiki/Ä` is checked as a browser
/// would open it.
fn escape_for_request(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for byte in url.bytes() {
        if byte.is_ascii_graphic() {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The host part of `url` (with its port), lowercased: what `per_host` limits.
fn host_of(url: &str) -> String {
    escape_for_request(url)
        .parse::<ureq::http::Uri>()
        .ok()
        .and_then(|uri| uri.authority().map(|a| a.as_str().to_ascii_lowercase()))
        .unwrap_or_default()
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One URL to request.
#[derive(Debug, PartialEq, Eq)]
struct Job {
    url: String,
    host: String,
}

/// The URLs still to request and how many requests each host has in
/// flight. A worker takes the first URL whose host has room, so one slow
/// host never holds up the others.
struct Queue {
    state: Mutex<QueueState>,
    changed: Condvar,
    per_host: usize,
}

struct QueueState {
    pending: VecDeque<Job>,
    busy: HashMap<String, usize>,
}

impl Queue {
    fn new(urls: &[String], per_host: usize) -> Queue {
        let pending = urls
            .iter()
            .map(|url| Job {
                url: url.clone(),
                host: host_of(url),
            })
            .collect();
        Queue {
            state: Mutex::new(QueueState {
                pending,
                busy: HashMap::new(),
            }),
            changed: Condvar::new(),
            per_host: per_host.max(1),
        }
    }

    /// The next URL to request, waiting while every pending URL's host is
    /// at its limit; `None` when nothing is left.
    fn next(&self) -> Option<Job> {
        let mut state = lock(&self.state);
        loop {
            if state.pending.is_empty() {
                return None;
            }
            let QueueState { pending, busy } = &mut *state;
            let free = pending
                .iter()
                .position(|job| busy.get(&job.host).copied().unwrap_or(0) < self.per_host);
            if let Some(job) = free.and_then(|i| pending.remove(i)) {
                *busy.entry(job.host.clone()).or_default() += 1;
                return Some(job);
            }
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// A request to `host` has finished.
    fn done(&self, host: &str) {
        if let Some(count) = lock(&self.state).busy.get_mut(host) {
            *count = count.saturating_sub(1);
        }
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: u64 = 60 * 60;
    const DAY: Duration = Duration::from_secs(24 * HOUR);

    fn entry(checked: u64, outcome: Outcome) -> CacheEntry {
        CacheEntry { checked, outcome }
    }

    #[test]
    fn cached_answers_expire() {
        let ok = Outcome::Ok { status: 200 };
        let gone = Outcome::Broken { status: 404 };
        let now = 1_000_000;
        // (checked, outcome, max_age, fresh?)
        let cases = [
            (now, ok.clone(), DAY, true),
            (now - 23 * HOUR, ok.clone(), DAY, true),
            (now - 24 * HOUR, ok.clone(), DAY, false),
            (now - 30 * 60, gone.clone(), DAY, true),
            (now - HOUR, gone.clone(), DAY, false),
            (now - 2 * HOUR, Outcome::RateLimited, DAY, false),
            (now - 60, gone.clone(), Duration::from_secs(30), false),
            (now - 10, ok.clone(), Duration::ZERO, false),
            (now + 60, ok.clone(), DAY, false),
        ];
        for (checked, outcome, max_age, fresh) in cases {
            let e = entry(checked, outcome);
            assert_eq!(
                is_fresh(&e, now, max_age),
                fresh,
                "{e:?} max_age {max_age:?}"
            );
        }
    }

    fn link(url: &str) -> ExternalLink {
        ExternalLink {
            url: url.to_string(),
            path: "content/a.md".to_string(),
            span: 0..0,
            text: Arc::from(""),
        }
    }

    #[test]
    fn each_url_is_requested_once_without_its_fragment() {
        let links: Vec<ExternalLink> = [
            "https://example.com/a#one",
            "https://example.com/a#two",
            "https://example.com/a",
            "HTTP://example.com/b",
            "mailto:ops@example.com",
            "//cdn.example.com/x.js",
            "ftp://example.com/f",
        ]
        .iter()
        .map(|url| link(url))
        .collect();
        let links: Vec<&ExternalLink> = links.iter().collect();
        let urls: Vec<String> = unique_urls(&links).into_iter().collect();
        assert_eq!(urls, ["HTTP://example.com/b", "https://example.com/a"]);
    }

    #[test]
    fn urls_are_escaped_as_a_browser_would() {
        assert_eq!(
            escape_for_request("https://a.org/x y"),
            "https://a.org/x%20y"
        );
        assert_eq!(
            escape_for_request("https://a.org/Ä?q=1"),
            "https://a.org/%C3%84?q=1"
        );
        assert_eq!(escape_for_request("https://a.org/%20"), "https://a.org/%20");
    }

    #[test]
    fn hosts_are_keyed_with_their_port() {
        assert_eq!(host_of("https://Example.COM/a"), "example.com");
        assert_eq!(host_of("http://127.0.0.1:8080/ok"), "127.0.0.1:8080");
        assert_eq!(host_of("not a url"), "");
    }

    #[test]
    fn the_queue_skips_hosts_at_their_limit() {
        let urls = ["http://a/1", "http://a/2", "http://b/1"].map(String::from);
        let queue = Queue::new(&urls, 1);
        let take = |queue: &Queue| queue.next().map(|job| job.url);
        assert_eq!(take(&queue).as_deref(), Some("http://a/1"));
        assert_eq!(take(&queue).as_deref(), Some("http://b/1"));
        queue.done("a");
        assert_eq!(take(&queue).as_deref(), Some("http://a/2"));
        assert_eq!(take(&queue), None);
    }

    #[test]
    fn the_cache_round_trips_and_a_corrupt_one_is_ignored() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("new/folder/links.json");
        assert!(load_cache(&path).links.is_empty());
        let mut cache = Cache::default();
        let ok = entry(5, Outcome::Ok { status: 200 });
        cache.links.insert("https://a.org/".to_string(), ok.clone());
        save_cache(&path, &cache).expect("save");
        assert_eq!(load_cache(&path).links["https://a.org/"], ok);

        std::fs::write(&path, "{ not json").expect("write");
        assert!(load_cache(&path).links.is_empty());
        std::fs::write(&path, r#"{"version": 99, "links": {}}"#).expect("write");
        assert!(load_cache(&path).links.is_empty());
    }

    #[test]
    fn messages_name_the_url_and_the_answer() {
        let cases = [
            (
                Outcome::Broken { status: 404 },
                "external link https://a.org/x is broken: HTTP 404 Not Found",
            ),
            (
                Outcome::Broken { status: 599 },
                "external link https://a.org/x is broken: HTTP 599",
            ),
            (
                Outcome::Timeout { after_ms: 10_000 },
                "external link https://a.org/x did not answer within 10 s",
            ),
            (
                Outcome::Timeout { after_ms: 300 },
                "external link https://a.org/x did not answer within 300 ms",
            ),
        ];
        for (outcome, message) in cases {
            let d = diagnostic(&link("https://a.org/x"), &outcome, &LinkRules::default())
                .expect("a problem");
            assert_eq!(d.message, message);
            assert!(d.is_error());
        }
        let rules = LinkRules::default();
        let busy =
            diagnostic(&link("https://a.org/x"), &Outcome::RateLimited, &rules).expect("a warning");
        assert_eq!(busy.severity, Severity::Warning);
        assert_eq!(
            diagnostic(
                &link("https://a.org/x"),
                &Outcome::Ok { status: 200 },
                &rules
            ),
            None
        );
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_480); // Wed, 21 Oct 2015 07:28:00 GMT
        let cases = [
            ("120", Some(Duration::from_secs(120))),
            (" 0 ", Some(Duration::ZERO)),
            (
                "Wed, 21 Oct 2015 07:28:30 GMT",
                Some(Duration::from_secs(30)),
            ),
            ("Wed, 21 Oct 2015 07:00:00 GMT", Some(Duration::ZERO)),
            ("soon", None),
            ("-5", None),
        ];
        for (value, expected) in cases {
            assert_eq!(parse_retry_after(value, now), expected, "{value}");
        }
    }

    #[test]
    fn without_retry_after_the_wait_doubles() {
        let waits: Vec<u64> = (0..4).map(|n| retry_delay(n, None).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8]);
        assert_eq!(
            retry_delay(2, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert!(retry_delay(u32::MAX, None) >= Duration::from_secs(1 << 16));
    }

    #[test]
    fn rules_decide_what_counts_as_working() {
        let settings = ExternalSettings {
            exclude: vec![],
            accept: vec![r"^https://bot-hostile\.example/".to_string()],
            accept_status: Some(vec![200, 403]),
        };
        let rules = LinkRules::new(&settings).expect("valid");
        let problem = |url: &str, outcome: Outcome| {
            diagnostic(&link(url), &outcome, &rules).map(|d| d.message)
        };
        assert_eq!(
            problem("https://a.org/", Outcome::Broken { status: 403 }),
            None
        );
        assert_eq!(
            problem("https://a.org/", Outcome::Ok { status: 204 }).as_deref(),
            Some("external link https://a.org/ answered HTTP 204 No Content, which external.accept_status does not list")
        );
        assert_eq!(
            problem(
                "https://bot-hostile.example/x",
                Outcome::Broken { status: 500 }
            ),
            None
        );
        assert_eq!(
            problem("https://bot-hostile.example/x", Outcome::RateLimited),
            None
        );
        assert!(problem(
            "https://bot-hostile.example/x",
            Outcome::Timeout { after_ms: 5 }
        )
        .is_some());
        assert!(UrlPatterns::compile(&["(".to_string()])
            .expect_err("not a regex")
            .starts_with("`(` is not a regular expression: "));
    }
}
