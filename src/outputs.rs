//! What a content file may not be: one that takes the output path of
//! something the build makes (a page, a generated page, a theme file, the
//! search index), or, unless the project sets `trusted_html: true`, an
//! active document (HTML, or SVG and XML that can run script) that would be
//! published as it is, around the cleaning of raw HTML.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Sources};
use crate::model::{Asset, Site};

/// Every output-path conflict and every active document refused, with the
/// texts the diagnostics point into.
pub(crate) fn check(site: &Site, config: &Config) -> anyhow::Result<(Vec<Diagnostic>, Sources)> {
    let generated = generated_outputs(site, config)?;
    let mut problems = generated.conflicts;
    let mut free = Vec::new();
    // Paths compare ignoring letter case: many file systems and servers do.
    let folded: Folded = generated
        .paths
        .iter()
        .map(|(p, origin)| (p.to_lowercase(), (p.as_str(), origin.as_str())))
        .collect();
    for asset in &site.assets {
        match asset_conflict(asset, &folded, &site.display_prefix) {
            Some(conflict) => problems.push(conflict),
            None => free.push(asset),
        }
    }
    let mut sources = Sources::new();
    if !config.settings.trusted_html {
        let active: Vec<(Diagnostic, Option<String>)> = free
            .par_iter()
            .filter_map(|asset| active_document(asset, &site.display_prefix))
            .collect();
        for (diagnostic, text) in active {
            if let Some(text) = text {
                sources.insert(diagnostic.path.clone(), text);
            }
            problems.push(diagnostic);
        }
    }
    Ok((problems, sources))
}

/// The output paths the build makes, and pages that take a generated one.
struct Generated {
    /// Output path → what makes it.
    paths: BTreeMap<String, String>,
    conflicts: Vec<Diagnostic>,
}

fn generated_outputs(site: &Site, config: &Config) -> anyhow::Result<Generated> {
    let mut paths: BTreeMap<String, String> = BTreeMap::new();
    // Letter case ignored (`Print/all.md` and the build's `print/all.html`):
    // lowercase path → the first path and what makes it.
    let mut folded: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut conflicts = Vec::new();
    for (path, origin) in crate::render::page_outputs(site) {
        match folded.get(&path.to_lowercase()) {
            // Two sources of one page are reported where they are loaded, and
            // two outputs of one id (a duplicate role id) as a duplicate id.
            Some((_, first)) if first == &origin => {}
            Some((first_path, first)) if !(is_page(&origin) && is_page(first)) => {
                let written = if first_path == &path {
                    format!("would both be written to {path}")
                } else {
                    format!("would be written to {first_path} and {path}, which differ only in letter case")
                };
                conflicts.push(
                    Diagnostic::file_error(
                        "output-conflict",
                        &page_source(&origin, first),
                        format!("{origin} and {first} {written}"),
                    )
                    .with_hint("rename or move the page: the build makes that path itself"),
                );
            }
            Some(_) => {}
            None => {
                folded.insert(path.to_lowercase(), (path.clone(), origin.clone()));
                paths.insert(path, origin);
            }
        }
    }
    if site.publishing.base_url.is_some() {
        paths.insert(
            crate::routes::SITEMAP_URL.to_string(),
            "the sitemap the build writes when `base_url` is set".to_string(),
        );
    }
    let theme_dir = crate::config::display(&config.theme_dir);
    for name in crate::theme::asset_names(&config.theme_dir)? {
        paths.insert(
            format!("theme/{name}"),
            format!("the theme file {name} (built in, or from {theme_dir}/)"),
        );
    }
    Ok(Generated { paths, conflicts })
}

fn is_page(origin: &str) -> bool {
    origin.starts_with("the page ")
}

/// The content path named in whichever of two origins is a page.
fn page_source(a: &str, b: &str) -> String {
    [a, b]
        .into_iter()
        .find_map(|o| o.strip_prefix("the page "))
        .unwrap_or(a)
        .to_string()
}

/// Whether the search index writes `path`: `search/meta.js`, and its
/// `search/t-*.js` and `search/d-*.js` files, however many the site needs.
pub(crate) fn is_search_index(path: &str) -> bool {
    path.strip_prefix("search/")
        .and_then(|name| name.strip_suffix(".js"))
        .is_some_and(|stem| {
            stem == "meta"
                || (stem.starts_with("t-") || stem.starts_with("d-")) && !stem.contains('/')
        })
}

/// Generated output paths by their lowercase form: (path, what makes it).
type Folded<'a> = BTreeMap<String, (&'a str, &'a str)>;

/// A content file whose output path the build writes itself, or that
/// stands where the build needs a folder (or the reverse), letter case
/// ignored.
fn asset_conflict(asset: &Asset, generated: &Folded, prefix: &str) -> Option<Diagnostic> {
    let path = asset.rel_path.as_str();
    let folded = path.to_lowercase();
    let shown = format!("{prefix}{path}");
    let clash = |what: String, hint: &str| {
        Some(Diagnostic::file_error("output-conflict", &shown, what).with_hint(hint.to_string()))
    };
    let rename = "rename or move the file: the build writes that path itself";
    if let Some((out, origin)) = generated.get(&folded) {
        let hint = if folded.starts_with("theme/") {
            "to change the theme, put your file in the theme folder named there instead; otherwise rename or move the file"
        } else {
            rename
        };
        return clash(
            format!("{shown} would replace {origin}, published as {out}"),
            hint,
        );
    }
    if is_search_index(&folded) {
        return clash(
            format!("{shown} would replace a file of the search index, {path}"),
            "search/meta.js, search/t-*.js and search/d-*.js are the search index: rename or move the file",
        );
    }
    let folder = format!("{folded}/");
    let needs_folder = generated
        .range(folder.clone()..)
        .next()
        .filter(|(p, _)| p.starts_with(&folder))
        .map(|(_, (out, origin))| format!("{origin}, {out}"))
        .or_else(|| (folded == "search").then(|| "the search index, search/meta.js".to_string()));
    if let Some(what) = needs_folder {
        return clash(
            format!("{shown} stands where the build needs a folder for {what}"),
            rename,
        );
    }
    let mut parent = folded.as_str();
    while let Some((up, _)) = parent.rsplit_once('/') {
        if let Some((out, origin)) = generated.get(up) {
            return clash(
                format!("{shown} needs a folder {up}/ where the build writes {origin}, {out}"),
                rename,
            );
        }
        parent = up;
    }
    None
}

/// What kind of active document a file is, by its extension.
#[derive(Debug, PartialEq, Eq)]
enum Active {
    /// HTML in any form: always able to run script.
    Html,
    /// XML (SVG, feeds, stylesheets): can run script, checked element by element.
    Xml,
    /// Compressed SVG: cannot be checked.
    Compressed,
}

fn active_kind(path: &str) -> Option<Active> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" | "xht" | "shtml" | "shtm" | "stm" | "mht" | "mhtml" | "hta" => {
            Some(Active::Html)
        }
        "svg" | "xml" | "xsl" | "xslt" | "rss" | "atom" | "rdf" | "mathml" | "mml" => {
            Some(Active::Xml)
        }
        "svgz" => Some(Active::Compressed),
        _ => None,
    }
}

const TRUST_HINT: &str = "if every writer of this content is trusted, set `trusted_html: true` in playbook.yaml to publish such files as they are";

/// A refusal of an active document, with its text when the diagnostic
/// points into it.
fn active_document(asset: &Asset, prefix: &str) -> Option<(Diagnostic, Option<String>)> {
    let kind = active_kind(&asset.rel_path)?;
    let shown = format!("{prefix}{}", asset.rel_path);
    match kind {
        Active::Html => Some((
            Diagnostic::file_error(
                "active-file",
                &shown,
                format!("{shown} is an HTML document: it would be published as it is, scripts and all, around the cleaning of raw HTML"),
            )
            .with_hint(format!("convert it to a Markdown page, or link to where it is published elsewhere; {TRUST_HINT}")),
            None,
        )),
        Active::Compressed => Some((
            Diagnostic::file_error(
                "active-file",
                &shown,
                format!("{shown} is a compressed SVG, which can run script and cannot be checked"),
            )
            .with_hint(format!("publish it uncompressed, as .svg; {TRUST_HINT}")),
            None,
        )),
        Active::Xml => {
            let text = match std::fs::read(&asset.abs_path) {
                Ok(bytes) => decode(&bytes),
                Err(err) => {
                    return Some((
                        Diagnostic::file_error("unreadable", &shown, format!("cannot read file: {err}")),
                        None,
                    ))
                }
            };
            let (at, what) = crate::sanitize::active_xml(&text).err()?;
            let diagnostic = Diagnostic::error(
                "active-file",
                &shown,
                &text,
                at..at,
                format!("{shown} could run script when opened: it has {what}"),
            )
            .with_hint(format!("remove it (an image needs no script; most editors can export without it); {TRUST_HINT}"));
            Some((diagnostic, Some(text)))
        }
    }
}

/// A file's text: UTF-16 when it says so with a byte-order mark, else UTF-8
/// (bytes that are not are replaced: markup is ASCII either way).
fn decode(bytes: &[u8]) -> String {
    // Without a mark, UTF-16 shows in the XML declaration's first bytes.
    let (encoding, skip) = match encoding_rs::Encoding::for_bom(bytes) {
        Some(found) => found,
        None if bytes.starts_with(b"<\0?\0") => (encoding_rs::UTF_16LE, 0),
        None if bytes.starts_with(b"\0<\0?") => (encoding_rs::UTF_16BE, 0),
        None => return String::from_utf8_lossy(bytes).into_owned(),
    };
    encoding
        .decode_without_bom_handling(&bytes[skip..])
        .0
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_index_paths() {
        for path in [
            "search/meta.js",
            "search/t-de.js",
            "search/d-0.js",
            "search/d-999.js",
        ] {
            assert!(is_search_index(path), "{path}");
        }
        for path in [
            "search/howto.html",
            "search/x.js",
            "search/d-0.json",
            "search/a/t-x.js",
            "meta.js",
            "search/t-a/b.js",
        ] {
            assert!(!is_search_index(path), "{path}");
        }
    }

    #[test]
    fn utf16_is_read_with_or_without_a_mark() {
        let text = "<?xml version=\"1.0\"?><svg onload=\"x\"/>";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let marked: Vec<u8> = [0xFF, 0xFE].into_iter().chain(le.iter().copied()).collect();
        for bytes in [le, be, marked] {
            assert_eq!(decode(&bytes), text);
        }
        assert_eq!(decode("é<svg/>".as_bytes()), "é<svg/>");
    }

    #[test]
    fn active_kinds_by_extension() {
        assert_eq!(active_kind("a/B.HTML"), Some(Active::Html));
        assert_eq!(active_kind("x.xhtml"), Some(Active::Html));
        assert_eq!(active_kind("logo.Svg"), Some(Active::Xml));
        assert_eq!(active_kind("feed.xml"), Some(Active::Xml));
        assert_eq!(active_kind("z.svgz"), Some(Active::Compressed));
        for inert in ["a.png", "app.js", "style.css", "Makefile", "html", "a.pdf"] {
            assert_eq!(active_kind(inert), None, "{inert}");
        }
    }
}
