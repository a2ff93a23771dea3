//! The default templates and theme, compiled into the binary, and the
//! site's own files that override them one by one.
//!
//! The repository's `templates/` and `themes/default/` are the very files
//! embedded here, so editing them changes the built-in defaults.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;

/// Built-in Tera templates, by name: the pages' and the release-note scaffold's.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("page.html", include_str!("../templates/page.html")),
    ("section.html", include_str!("../templates/section.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("roles.html", include_str!("../templates/roles.html")),
    ("role.html", include_str!("../templates/role.html")),
    ("print.html", include_str!("../templates/print.html")),
    (
        "print-guide.html",
        include_str!("../templates/print-guide.html"),
    ),
    (
        "release-notes.html",
        include_str!("../templates/release-notes.html"),
    ),
    ("404.html", include_str!("../templates/404.html")),
    (
        crate::release_notes::TEMPLATE_NAME,
        crate::release_notes::TEMPLATE,
    ),
    ("runs.html", include_str!("../templates/runs.html")),
    ("run.html", include_str!("../templates/run.html")),
];

/// Built-in theme files, by name; written to `theme/` in the output.
pub const ASSETS: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../themes/default/style.css")),
    ("print.css", include_bytes!("../themes/default/print.css")),
    (
        "playbook.js",
        include_bytes!("../themes/default/playbook.js"),
    ),
    ("search.js", include_bytes!("../themes/default/search.js")),
    ("stemmer.js", include_bytes!("../themes/default/stemmer.js")),
    (
        "checklist.js",
        include_bytes!("../themes/default/checklist.js"),
    ),
    ("runs.js", include_bytes!("../themes/default/runs.js")),
    (
        "print-checklist.css",
        include_bytes!("../themes/default/print-checklist.css"),
    ),
];

/// A template's text and where it came from, for error messages.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub text: String,
    /// `templates/page.html` for a site's own file, `<built-in>/page.html` otherwise.
    pub origin: String,
}

/// The built-in templates, with every `*.html` in `templates_dir` laid over them.
pub fn templates(
    templates_dir: &Path,
    display_dir: &str,
) -> anyhow::Result<BTreeMap<String, TemplateSource>> {
    let mut set: BTreeMap<String, TemplateSource> = TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                TemplateSource {
                    text: text.to_string(),
                    origin: format!("<built-in>/{name}"),
                },
            )
        })
        .collect();
    for (name, path) in files_in(templates_dir)? {
        // Pages are `*.html`; the release-note scaffold is Markdown.
        if !name.ends_with(".html") && name != crate::release_notes::TEMPLATE_NAME {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read template {}", path.display()))?;
        set.insert(
            name.clone(),
            TemplateSource {
                text,
                origin: format!("{display_dir}{name}"),
            },
        );
    }
    Ok(set)
}

/// The built-in theme files, with every file in `theme_dir` laid over them.
pub fn assets(theme_dir: &Path) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    let mut set: BTreeMap<String, Vec<u8>> = ASSETS
        .iter()
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect();
    for (name, path) in files_in(theme_dir)? {
        let bytes = std::fs::read(&path)
            .with_context(|| format!("cannot read theme file {}", path.display()))?;
        set.insert(name, bytes);
    }
    Ok(set)
}

/// The stylesheets of highlighted code, written to `theme/` beside [`ASSETS`].
pub const HIGHLIGHT_STYLESHEETS: [&str; 2] = ["highlight-light.css", "highlight-dark.css"];

/// The names of every file the build writes to `theme/`: the built-in ones,
/// the highlight stylesheets and the files in `theme_dir`.
pub fn asset_names(theme_dir: &Path) -> anyhow::Result<std::collections::BTreeSet<String>> {
    let mut names: std::collections::BTreeSet<String> = ASSETS
        .iter()
        .map(|(name, _)| name.to_string())
        .chain(HIGHLIGHT_STYLESHEETS.map(String::from))
        .collect();
    names.extend(files_in(theme_dir)?.into_iter().map(|(name, _)| name));
    Ok(names)
}

/// Regular files directly in `dir` (none when it does not exist), sorted.
fn files_in(dir: &Path) -> anyhow::Result<Vec<(String, std::path::PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_ok_and(|t| t.is_file()) && !name.starts_with('.') {
            files.push((name, entry.path()));
        }
    }
    files.sort();
    Ok(files)
}
