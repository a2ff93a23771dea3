//! Where things are (root, content, output, templates, theme) and the
//! optional site settings in `ROOT/playbook.yaml`.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// The name of the optional settings file in the project root.
pub const CONFIG_FILE: &str = "playbook.yaml";

/// Folders given on the command line; `None` means the default.
#[derive(Debug, Clone, Default)]
pub struct Paths {
    pub root: PathBuf,
    pub content: Option<PathBuf>,
    pub out: Option<PathBuf>,
}

/// Site settings from `playbook.yaml`; every key is optional.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The site's name, shown in the header and the browser tab.
    pub title: Option<String>,
    /// One line about the site, for the home page and search engines.
    pub description: Option<String>,
    /// Publish raw HTML in the Markdown untouched. Off by default: raw HTML
    /// is cleaned (no scripts, event handlers, frames, forms or styles).
    pub trusted_html: bool,
    /// The largest file read from the content folder, in bytes.
    pub max_file_size: Option<u64>,
    /// The most files the content folder may hold.
    pub max_files: Option<usize>,
    /// The deepest nesting of lists and block quotes a page may have.
    pub max_nesting: Option<usize>,
    /// Where the site is published (`https://example.org/docs/`): turns on
    /// `sitemap.xml`, canonical links and absolute links in `404.html`.
    pub base_url: Option<BaseUrl>,
    /// The project's repository, linked from the footer.
    pub repository: Option<WebUrl>,
    /// The "Edit this page" link, `{path}` standing for the page's source
    /// path in the content folder.
    pub edit_url: Option<EditUrl>,
    /// The language of the content, a BCP 47 tag (`en`, `pt-BR`).
    pub lang: Option<Lang>,
    /// The content folder, relative to the root (`--content` wins).
    pub content_dir: Option<PathBuf>,
    /// The output folder, relative to the root (`--out` wins).
    pub out_dir: Option<PathBuf>,
    /// What `check --external` requests and what it accepts.
    pub external: ExternalSettings,
    /// The folder of release run files (`playbook run`), relative to the
    /// content folder and inside it: `runs` unless set.
    pub runs_dir: Option<PathBuf>,
    /// `git`: each page shows the date of the last commit that changed it.
    pub last_updated: Option<LastUpdated>,
}

/// Where a page's "Last updated" date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LastUpdated {
    /// The committer date (UTC) of the last commit on HEAD's first-parent
    /// line that changed the page; none for a page never committed.
    Git,
}

pub use crate::external::ExternalSettings;
pub use crate::publishing::{BaseUrl, EditUrl, Lang, Publishing, WebUrl};

pub use crate::load::{DEFAULT_MAX_FILES, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_NESTING};

impl Settings {
    pub fn publishing(&self) -> Publishing {
        Publishing {
            base_url: self.base_url.clone(),
            edit_url: self.edit_url.clone(),
            repository: self.repository.clone(),
            lang: self.lang.clone().unwrap_or_default(),
            last_updated: Default::default(),
        }
    }

    pub fn limits(&self) -> crate::load::Limits {
        crate::load::Limits {
            max_file_size: self.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            max_files: self.max_files.unwrap_or(DEFAULT_MAX_FILES),
            max_nesting: self.max_nesting.unwrap_or(DEFAULT_MAX_NESTING),
        }
    }
}

/// Everything a command needs to know about the project's layout.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub out_dir: PathBuf,
    pub templates_dir: PathBuf,
    pub theme_dir: PathBuf,
    pub settings: Settings,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Publish even when `check` finds errors (broken links, unknown roles).
    pub allow_broken: bool,
    /// Parse pages for the model only (no HTML, no search text): for
    /// commands that never show them.
    pub model_only: bool,
    /// Leave the run files unread (still kept out of the data files): for
    /// the `run` commands, which read the one run they work on themselves,
    /// so another version's broken run file does not stop them.
    pub skip_runs: bool,
}

impl Config {
    pub fn new(paths: &Paths) -> Result<Config, Error> {
        let root = paths.root.clone();
        if !root.is_dir() {
            return Err(Error::Usage(format!(
                "the project root {} is not a folder; pass --root DIR",
                root.display()
            )));
        }
        let settings = read_settings(&root.join(CONFIG_FILE))?;
        let content_dir = paths.content.clone().unwrap_or_else(|| {
            root.join(
                settings
                    .content_dir
                    .as_deref()
                    .unwrap_or(Path::new("content")),
            )
        });
        if !content_dir.is_dir() {
            let shown = display(&content_dir);
            return Err(Error::Usage(if content_dir.exists() {
                format!("the content folder {shown} is a file, not a folder; point --content at a folder of Markdown")
            } else {
                format!("the content folder {shown} does not exist; create it or point --content at a folder of Markdown")
            }));
        }
        runs_rel(&settings)?;
        let out_dir = paths
            .out
            .clone()
            .unwrap_or_else(|| root.join(settings.out_dir.as_deref().unwrap_or(Path::new("site"))));
        Ok(Config {
            out_dir,
            templates_dir: root.join("templates"),
            theme_dir: root.join("themes").join("default"),
            root,
            content_dir,
            settings,
            drafts: false,
            allow_broken: false,
            model_only: false,
            skip_runs: false,
        })
    }

    /// How to show a content-relative path to the user: `content/guide/a.md`.
    pub fn content_display_prefix(&self) -> String {
        let shown = display(&self.content_dir);
        if shown.is_empty() || shown == "." {
            String::new()
        } else {
            format!("{}/", shown.trim_end_matches('/'))
        }
    }

    /// The folder of release run files.
    pub fn runs_dir(&self) -> PathBuf {
        let rel = runs_rel(&self.settings).unwrap_or_default();
        self.content_dir.join(rel)
    }

    /// The folder of release run files relative to the content folder,
    /// `/`-separated (`runs`).
    pub fn runs_rel(&self) -> String {
        runs_rel(&self.settings).unwrap_or_default()
    }

    /// How to show a path under the root: `templates/page.html`.
    pub fn root_display(&self, rel: &str) -> String {
        display(&self.root.join(rel))
    }
}

pub use crate::fs::display;

/// `runs_dir` as a `/`-separated path inside the content folder, or why
/// it is not one.
fn runs_rel(settings: &Settings) -> Result<String, Error> {
    let Some(dir) = &settings.runs_dir else {
        return Ok(crate::run::DEFAULT_RUNS_DIR.to_string());
    };
    let parts: Option<Vec<&str>> = dir
        .components()
        .map(|c| match c {
            std::path::Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    match parts {
        Some(parts)
            if !parts.is_empty()
                && parts[0] != crate::structured::CHECKLISTS_DIR
                && parts.iter().all(|p| !p.starts_with('.')) =>
        {
            Ok(parts.join("/"))
        }
        _ => Err(Error::Usage(format!(
            "runs_dir `{}` in {CONFIG_FILE} is not a folder inside the content folder; write a relative path like `runs` (not absolute, no `..`, not hidden, not under `checklists`)",
            dir.display()
        ))),
    }
}

/// The keys of [`Settings`], for suggestions.
const SETTINGS_KEYS: [&str; 15] = [
    "title",
    "description",
    "trusted_html",
    "max_file_size",
    "max_files",
    "max_nesting",
    "base_url",
    "repository",
    "edit_url",
    "lang",
    "content_dir",
    "out_dir",
    "external",
    "runs_dir",
    "last_updated",
];

/// The settings in `path`: the defaults when there is no such file, an
/// error when there is one that cannot be read (a folder, no permission,
/// not UTF-8), never the defaults in its place.
fn read_settings(path: &Path) -> Result<Settings, Error> {
    let shown = display(path);
    let unreadable = |why: String| {
        Error::Usage(format!(
            "cannot read {shown}: {why}; make it a readable YAML file, or remove it to use the default settings"
        ))
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => return Err(unreadable("it is a folder, not a file".into())),
        Ok(meta) if !meta.is_file() => return Err(unreadable("it is not a regular file".into())),
        Ok(_) => {}
        // A link to nowhere is a file that cannot be read, not a missing one.
        Err(err)
            if err.kind() == std::io::ErrorKind::NotFound && path.symlink_metadata().is_err() =>
        {
            return Ok(Settings::default())
        }
        Err(err) => return Err(unreadable(err.to_string())),
    }
    let text = match crate::load::read_text(path, &shown) {
        Ok(text) => text,
        Err((diagnostic, Some(lossy))) => return Err(Error::in_file(*diagnostic, lossy)),
        Err((diagnostic, None)) => return Err(unreadable(diagnostic.message)),
    };
    if text.trim().is_empty() {
        return Ok(Settings::default());
    }
    let settings = parse_settings(&shown, &text)?;
    let problems = external_problems(&shown, &text, &settings.external);
    if !problems.is_empty() {
        let sources = crate::diagnostic::Sources::from([(shown, text)]);
        return Err(Error::invalid(problems, sources));
    }
    Ok(settings)
}

/// The settings in `text` (the file `shown`), or where they are wrong.
fn parse_settings(shown: &str, text: &str) -> Result<Settings, Error> {
    serde_norway::from_str::<Settings>(text).map_err(|err| {
        if let Some(diagnostic) = invalid_value(shown, text, &err) {
            return Error::in_file(diagnostic, text.to_string());
        }
        let diagnostic = crate::yaml::diagnostic(
            "config",
            shown,
            text,
            0,
            &err,
            &format!("invalid {CONFIG_FILE}"),
        );
        let message = err.to_string();
        let typo = unknown_field(&message)
            .and_then(|key| Some((key, crate::frontmatter::misspelling_of(key, &SETTINGS_KEYS)?)));
        let known = format!(
            "{CONFIG_FILE} takes `title`, `description`, `base_url`, `repository`, `edit_url`, `lang`, `content_dir`, `out_dir` and `runs_dir` (strings), `last_updated` (`git`), `trusted_html` (true or false), `max_file_size`, `max_files` and `max_nesting` (numbers), `external` (`exclude`, `accept`, `accept_status`)"
        );
        let hint = match typo {
            Some((key, meant)) => format!("did you mean `{meant}` rather than `{key}`? {known}"),
            None => known,
        };
        Error::in_file(diagnostic.with_hint(hint), text.to_string())
    })
}

/// The patterns of `external` that are not regular expressions and the
/// statuses that are not HTTP statuses, each where it is in `text`.
fn external_problems(shown: &str, text: &str, external: &ExternalSettings) -> Vec<Diagnostic> {
    let spans = crate::yaml_spans::Spans::of(text);
    let at = |path: String| spans.value(&path).unwrap_or(0..0);
    let mut out = Vec::new();
    for (list, patterns) in [("exclude", &external.exclude), ("accept", &external.accept)] {
        for (i, pattern) in patterns.iter().enumerate() {
            if let Err(why) = crate::external::UrlPatterns::compile(std::slice::from_ref(pattern)) {
                let message = format!("external.{list}: {why}");
                out.push(
                    Diagnostic::error("config", shown, text, at(format!("external/{list}/{i}")), message)
                        .with_hint(r"write a regular expression (Rust regex syntax), like `^https://intranet\.example\.com/`; put `\` before `.`, `?`, `(`, `[` or `+` to match it as it is"),
                );
            }
        }
    }
    if external.accept_status.as_ref().is_some_and(Vec::is_empty) {
        // A sequence has no scalar span: point at its key.
        let at = text
            .find("accept_status")
            .map_or(0..0, |i| i..i + "accept_status".len());
        out.push(
            Diagnostic::error("config", shown, text, at, "external.accept_status is empty: no link could work")
                .with_hint("list the HTTP statuses that count as working, like [200, 204, 403], or remove the key for any below 400"),
        );
    }
    for (i, status) in external.accept_status.iter().flatten().enumerate() {
        if !(100..=599).contains(status) {
            let message = format!("external.accept_status: {status} is not an HTTP status");
            out.push(
                Diagnostic::error(
                    "config",
                    shown,
                    text,
                    at(format!("external/accept_status/{i}")),
                    message,
                )
                .with_hint("HTTP statuses are 100 to 599, like 200, 204 or 403"),
            );
        }
    }
    out
}

/// A value our own checks refused (their messages start with the key): the
/// parser gives no place for those, so point at the value in the text.
fn invalid_value(shown: &str, text: &str, err: &serde_norway::Error) -> Option<Diagnostic> {
    let message = err.to_string();
    let key = message.split(' ').next()?;
    if !["base_url", "edit_url", "repository", "lang"].contains(&key) {
        return None;
    }
    let at = crate::yaml_spans::Spans::of(text).value(key)?;
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    Some(Diagnostic::error("config", shown, text, at, message))
}

/// The key named by serde's "unknown field `key`, expected ..." message.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.split("unknown field `").nth(1)?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_config_keys_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "title: X\ntitel: typo\n").unwrap();
        let paths = Paths {
            root: dir.path().into(),
            ..Paths::default()
        };
        match Config::new(&paths) {
            Err(Error::Invalid { diagnostics, .. }) => {
                let d = diagnostics.into_iter().next().unwrap();
                assert_eq!(d.line, 2);
                assert!(d.message.contains("titel"), "{}", d.message);
                let hint = d.hint.unwrap_or_default();
                assert!(
                    hint.starts_with("did you mean `title` rather than `titel`?"),
                    "{hint}"
                );
            }
            other => panic!("expected an invalid config, got {other:?}"),
        }
    }

    #[test]
    fn missing_content_is_a_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths {
            root: dir.path().into(),
            ..Paths::default()
        };
        assert!(matches!(Config::new(&paths), Err(Error::Usage(_))));
    }

    #[test]
    fn display_drops_dot_slash() {
        assert_eq!(display(Path::new("./content/a.md")), "content/a.md");
        assert_eq!(display(Path::new("/abs/x")), "/abs/x");
    }
}
