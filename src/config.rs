//! Where things are (root, content, output, templates, theme) and the
//! optional site settings in `ROOT/playbook.yaml`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Diagnostic;

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
#[derive(Debug, Clone, Default, Deserialize)]
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
}

/// Default of [`Settings::max_file_size`]: 10 MB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;
/// Default of [`Settings::max_files`].
pub const DEFAULT_MAX_FILES: usize = 100_000;
/// Default of [`Settings::max_nesting`].
pub const DEFAULT_MAX_NESTING: usize = 100;

impl Settings {
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
}

/// Why a configuration could not be made.
#[derive(Debug)]
pub enum ConfigError {
    /// A folder given on the command line does not exist.
    Usage(String),
    /// `playbook.yaml` is wrong; the diagnostic carries the file's text.
    Invalid(Box<Diagnostic>, String),
}

impl Config {
    pub fn new(paths: &Paths) -> Result<Config, ConfigError> {
        let root = paths.root.clone();
        if !root.is_dir() {
            return Err(ConfigError::Usage(format!(
                "the project root {} is not a folder; pass --root DIR",
                root.display()
            )));
        }
        let content_dir = paths
            .content
            .clone()
            .unwrap_or_else(|| root.join("content"));
        if !content_dir.is_dir() {
            return Err(ConfigError::Usage(format!(
                "the content folder {} does not exist; create it or point --content at a folder of Markdown",
                display(&content_dir)
            )));
        }
        let settings = read_settings(&root.join(CONFIG_FILE))?;
        Ok(Config {
            out_dir: paths.out.clone().unwrap_or_else(|| root.join("site")),
            templates_dir: root.join("templates"),
            theme_dir: root.join("themes").join("default"),
            root,
            content_dir,
            settings,
            drafts: false,
            allow_broken: false,
            model_only: false,
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

    /// How to show a path under the root: `templates/page.html`.
    pub fn root_display(&self, rel: &str) -> String {
        display(&self.root.join(rel))
    }
}

/// A path as the user would type it: no leading `./`.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut text: &str = &text;
    while let Some(rest) = text.strip_prefix("./") {
        text = rest;
    }
    text.to_string()
}

fn read_settings(path: &Path) -> Result<Settings, ConfigError> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(Settings::default());
    };
    if text.trim().is_empty() {
        return Ok(Settings::default());
    }
    serde_norway::from_str::<Settings>(&text).map_err(|err| {
        let shown = display(path);
        let diagnostic = crate::yaml::diagnostic(
            "config",
            &shown,
            &text,
            0,
            &err,
            &format!("invalid {CONFIG_FILE}"),
        )
        .with_hint(format!(
            "{CONFIG_FILE} takes `title` and `description` (strings), `trusted_html` (true or false), `max_file_size`, `max_files` and `max_nesting` (numbers)"
        ));
        ConfigError::Invalid(Box::new(diagnostic), text.clone())
    })
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
            Err(ConfigError::Invalid(d, _)) => {
                assert_eq!(d.line, 2);
                assert!(d.message.contains("titel"), "{}", d.message);
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
        assert!(matches!(Config::new(&paths), Err(ConfigError::Usage(_))));
    }

    #[test]
    fn display_drops_dot_slash() {
        assert_eq!(display(Path::new("./content/a.md")), "content/a.md");
        assert_eq!(display(Path::new("/abs/x")), "/abs/x");
    }
}
