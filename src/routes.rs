//! Where every source file ends up in the output, and how a link written in
//! one page resolves to another page, folder or file.
//!
//! Output paths mirror source paths so relative links to images and other
//! files keep working: `guide/setup.md` → `guide/setup.html`, and a folder's
//! `README.md`, `index.md` or `_index.md` → `guide/index.html`. Every link in
//! the output is relative, so the site works from any sub-path and `file://`.
//!
//! Every URL made here is built from path segments percent-encoded per
//! RFC 3986: only `A-Z a-z 0-9 - . _ ~` stay as they are, so a file named
//! `javascript:x.md` or `a#b.md` becomes `javascript%3Ax.html` or
//! `a%23b.html`, never a scheme, fragment or query. A URL is turned back
//! into the output path it names with [`url_path`], once, where files are
//! written.

use std::collections::{BTreeMap, BTreeSet};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What a path segment keeps unencoded: RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Where the pages the build generates from data go.
pub const ROLES_INDEX_URL: &str = "roles/index.html";
pub const RELEASE_NOTES_URL: &str = "release-notes.html";
/// The index of release runs; each run's page is at [`run_url`].
pub const RUNS_INDEX_URL: &str = "runs/index.html";
/// The page servers show for a missing URL.
pub const NOT_FOUND_URL: &str = "404.html";
/// The list of pages for search engines, written when `base_url` is set.
pub const SITEMAP_URL: &str = "sitemap.xml";

/// Where a link written in a page leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `https:`, `mailto:`, `//host`, ...: left alone.
    External,
    /// `#anchor` on the same page.
    SamePage { fragment: String },
    /// Another Markdown page (source path), with an optional fragment.
    Page {
        path: String,
        fragment: Option<String>,
    },
    /// A folder that holds pages (content-relative folder path, `""` for the root).
    Folder {
        path: String,
        fragment: Option<String>,
    },
    /// Any other file inside the content tree (content-relative path, may not exist).
    File {
        path: String,
        fragment: Option<String>,
    },
    /// A path that climbs out of the content tree.
    OutsideContent,
}

/// The URL of a role's page.
pub fn role_url(id: &str) -> String {
    crate::routes::encode_path(&format!("roles/{id}.html"))
}

/// The URL of a release run's page (a version may hold `+`: encoded).
pub fn run_url(version: &str) -> String {
    encode_path(&format!("runs/{version}/index.html"))
}

/// A `/`-separated output path as a URL: each segment percent-encoded.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The output path a URL made by [`encode_path`] names (the file to write).
pub fn url_path(url: &str) -> String {
    percent_encoding::percent_decode_str(url)
        .decode_utf8_lossy()
        .into_owned()
}

/// The output path of every page and folder of a site.
#[derive(Debug, Default)]
pub struct Routes {
    /// Source path → site-root-relative URL (percent-encoded output path).
    page_urls: BTreeMap<String, String>,
    /// Folders that hold pages (and so get an index page), `""` for the root.
    folders: BTreeSet<String>,
    /// Wiki-link name ([`wiki_name`]) of each page's file → its source
    /// paths; made on the first wiki link.
    wiki_names: std::sync::OnceLock<BTreeMap<String, Vec<String>>>,
}

/// A page name as wiki links compare it: lowercase, spaces, `-` and `_`
/// alike (`Rollback Plan`, `rollback-plan`, `Rollback_Plan`).
pub(crate) fn wiki_name(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            ' ' | '_' => '-',
            c => c.to_lowercase().next().unwrap_or(c),
        })
        .collect()
}

/// Whether a file name makes a page its folder's index.
pub fn is_index_name(file_name: &str) -> bool {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    ["readme", "index", "_index"].contains(&stem.to_ascii_lowercase().as_str())
}

/// The folder part of a content-relative path (`""` at the top).
pub fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The URL of the index page of `folder`.
pub fn folder_url(folder: &str) -> String {
    if folder.is_empty() {
        "index.html".to_string()
    } else {
        encode_path(&format!("{folder}/index.html"))
    }
}

/// The file name of the page made from a Markdown file named `file_name`.
pub fn page_file_name(file_name: &str) -> String {
    if is_index_name(file_name) {
        return "index.html".to_string();
    }
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    format!("{stem}.html")
}

/// The URL of the page made from a Markdown source.
pub fn page_url(source_path: &str) -> String {
    let file_name = source_path.rsplit('/').next().unwrap_or(source_path);
    match parent_dir(source_path) {
        "" => encode_path(&page_file_name(file_name)),
        dir => encode_path(&format!("{dir}/{}", page_file_name(file_name))),
    }
}

impl Routes {
    pub fn new<'a>(page_paths: impl IntoIterator<Item = &'a String>) -> Routes {
        let mut routes = Routes::default();
        routes.folders.insert(String::new());
        for path in page_paths {
            let mut dir = parent_dir(path);
            while !dir.is_empty() {
                routes.folders.insert(dir.to_string());
                dir = parent_dir(dir);
            }
            routes.page_urls.insert(path.clone(), page_url(path));
        }
        routes
    }

    /// The page a wiki link names (`[[Rollback Plan]]`, `[[ops/rollback-plan]]`,
    /// as Obsidian, GitHub wikis and MkDocs' roamlinks write them): a page
    /// whose path without `.md` ends with the name, compared as
    /// [`wiki_name`] does; of several, the one in `from`'s folder, else
    /// the one nearest the top, else the first by path.
    pub fn wiki_page(&self, from: &str, name: &str) -> Option<&str> {
        let names = self.wiki_names.get_or_init(|| {
            let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for path in self.page_urls.keys() {
                let file = path.rsplit('/').next().unwrap_or(path);
                let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
                names.entry(wiki_name(stem)).or_default().push(path.clone());
            }
            names
        });
        let wanted = wiki_name(name.trim_start_matches('/'));
        let wanted = wanted
            .strip_suffix(".md")
            .or_else(|| wanted.strip_suffix(".markdown"))
            .unwrap_or(&wanted);
        let last = wanted.rsplit('/').next().unwrap_or(wanted);
        let folder = parent_dir(from);
        names
            .get(last)?
            .iter()
            .filter(|path| {
                let stem = path
                    .rsplit_once('.')
                    .map_or(path.as_str(), |(stem, _)| stem);
                let stem = wiki_name(stem);
                stem == wanted || stem.ends_with(&format!("/{wanted}"))
            })
            .min_by_key(|path| (parent_dir(path) != folder, path.matches('/').count(), *path))
            .map(String::as_str)
    }

    pub fn page_url(&self, source_path: &str) -> Option<&str> {
        self.page_urls.get(source_path).map(String::as_str)
    }

    pub fn folders(&self) -> impl Iterator<Item = &String> {
        self.folders.iter()
    }

    /// What `dest`, written in the page at `from`, points at.
    pub fn resolve(&self, from: &str, dest: &str) -> LinkTarget {
        if let Some(fragment) = dest.strip_prefix('#') {
            return LinkTarget::SamePage {
                fragment: percent_decode(fragment),
            };
        }
        if dest.is_empty() || dest.starts_with("//") || has_scheme(dest) {
            return LinkTarget::External;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((path, fragment)) => (path, Some(percent_decode(fragment))),
            None => (dest, None),
        };
        let path = path.split_once('?').map_or(path, |(path, _)| path);
        let base = if path.starts_with('/') {
            ""
        } else {
            parent_dir(from)
        };
        let Some(joined) = join(base, &percent_decode(path)) else {
            return LinkTarget::OutsideContent;
        };
        let is_markdown = joined.to_ascii_lowercase().ends_with(".md")
            || joined.to_ascii_lowercase().ends_with(".markdown");
        if is_markdown {
            return LinkTarget::Page {
                path: joined,
                fragment,
            };
        }
        if self.folders.contains(&joined) {
            return LinkTarget::Folder {
                path: joined,
                fragment,
            };
        }
        if joined.is_empty() {
            return LinkTarget::Folder {
                path: joined,
                fragment,
            };
        }
        LinkTarget::File {
            path: joined,
            fragment,
        }
    }

    /// The href to write in the page whose output is `from_url`, or `None`
    /// when the target is unknown and the link should stay as written.
    pub fn href(&self, from_url: &str, target: &LinkTarget) -> Option<String> {
        let (url, fragment) = match target {
            LinkTarget::Page { path, fragment } => (self.page_urls.get(path)?.as_str(), fragment),
            LinkTarget::Folder { path, fragment } => {
                return Some(with_fragment(
                    relative_url(from_url, &folder_url(path)),
                    fragment.as_deref(),
                ));
            }
            _ => return None,
        };
        Some(with_fragment(
            relative_url(from_url, url),
            fragment.as_deref(),
        ))
    }
}

/// What a fragment keeps unencoded: the path set and the other characters
/// RFC 3986 allows in a fragment, but never `#`, `%`, quotes or spaces.
const FRAGMENT: &AsciiSet = &SEGMENT
    .remove(b'!')
    .remove(b'$')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@')
    .remove(b'/')
    .remove(b'?');

/// `url#fragment`, the fragment percent-encoded as RFC 3986 allows.
pub(crate) fn with_fragment(url: String, fragment: Option<&str>) -> String {
    match fragment {
        Some(f) => format!("{url}#{}", utf8_percent_encode(f, FRAGMENT)),
        None => url,
    }
}

/// `https:`, `mailto:`, `data:` ... (but not a Windows drive letter or a relative path).
fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Join a relative path onto a folder, resolving `.` and `..`; `None` when it
/// climbs above the content root.
fn join(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// Decode `%20`-style escapes; invalid escapes are kept as written.
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|d| d as u8)
}

/// The relative URL from one page to another (both site-root-relative
/// URLs). It never reads as a scheme: a first segment with a `:` (which
/// [`encode_path`] never leaves) gets `./` in front.
pub fn relative_url(from_url: &str, to_url: &str) -> String {
    let from_dirs: Vec<&str> = parent_dir(from_url)
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    let to_parts: Vec<&str> = to_url.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut url = "../".repeat(from_dirs.len() - common);
    let rest = to_parts[common..].join("/");
    if url.is_empty() && rest.split('/').next().is_some_and(|s| s.contains(':')) {
        url.push_str("./");
    }
    url.push_str(&rest);
    url
}

/// The prefix that leads from an output page back to the site root.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes() -> Routes {
        let pages = [
            "README.md",
            "guide/README.md",
            "guide/setup.md",
            "guide/deep/x.md",
            "other.md",
        ]
        .map(String::from);
        Routes::new(pages.iter())
    }

    #[test]
    fn page_urls() {
        let cases = [
            ("README.md", "index.html"),
            ("index.md", "index.html"),
            ("guide/_index.md", "guide/index.html"),
            ("guide/Readme.markdown", "guide/index.html"),
            ("guide/setup.md", "guide/setup.html"),
            ("a.b/c.d.md", "a.b/c.d.html"),
            ("javascript:x.md", "javascript%3Ax.html"),
            ("a#b/c?d.md", "a%23b/c%3Fd.html"),
            ("100% é ~_.md", "100%25%20%C3%A9%20~_.html"),
            ("x/'\"<>&.md", "x/%27%22%3C%3E%26.html"),
            ("javascript:x/README.md", "javascript%3Ax/index.html"),
        ];
        for (source, url) in cases {
            assert_eq!(page_url(source), url, "{source}");
        }
    }

    #[test]
    fn resolves_links() {
        let r = routes();
        let page = |path: &str, fragment: Option<&str>| LinkTarget::Page {
            path: path.into(),
            fragment: fragment.map(String::from),
        };
        let cases = [
            ("setup.md", page("guide/setup.md", None)),
            ("./setup.md#step-1", page("guide/setup.md", Some("step-1"))),
            ("../other.md", page("other.md", None)),
            ("/other.md", page("other.md", None)),
            (
                "deep/x.md?plain=1#a%20b",
                page("guide/deep/x.md", Some("a b")),
            ),
            ("My%20Page.md", page("guide/My Page.md", None)),
            (
                "deep/",
                LinkTarget::Folder {
                    path: "guide/deep".into(),
                    fragment: None,
                },
            ),
            (
                "..",
                LinkTarget::Folder {
                    path: "".into(),
                    fragment: None,
                },
            ),
            (
                "img/logo.png",
                LinkTarget::File {
                    path: "guide/img/logo.png".into(),
                    fragment: None,
                },
            ),
            (
                "../checklists/a.yaml#g",
                LinkTarget::File {
                    path: "checklists/a.yaml".into(),
                    fragment: Some("g".into()),
                },
            ),
            (
                "#top",
                LinkTarget::SamePage {
                    fragment: "top".into(),
                },
            ),
            ("https://example.com/a.md", LinkTarget::External),
            ("mailto:ops@example.com", LinkTarget::External),
            ("//cdn.example.com/x.js", LinkTarget::External),
            ("../../etc/passwd", LinkTarget::OutsideContent),
        ];
        for (dest, want) in cases {
            assert_eq!(r.resolve("guide/README.md", dest), want, "{dest}");
        }
    }

    #[test]
    fn hrefs_are_relative() {
        let r = routes();
        let from = "guide/deep/x.html";
        let to_setup = r.resolve("guide/deep/x.md", "../setup.md#a");
        assert_eq!(r.href(from, &to_setup).unwrap(), "../setup.html#a");
        let to_home = r.resolve("guide/deep/x.md", "../../README.md");
        assert_eq!(r.href(from, &to_home).unwrap(), "../../index.html");
        let to_folder = r.resolve("guide/deep/x.md", "..");
        assert_eq!(r.href(from, &to_folder).unwrap(), "../index.html");
        let missing = r.resolve("guide/deep/x.md", "nope.md");
        assert_eq!(r.href(from, &missing), None);
    }

    #[test]
    fn relative_urls() {
        assert_eq!(relative_url("index.html", "a/b.html"), "a/b.html");
        assert_eq!(relative_url("a/b.html", "a/c.html"), "c.html");
        assert_eq!(relative_url("a/b/c.html", "a/d.html"), "../d.html");
        assert_eq!(relative_url("a/b.html", "index.html"), "../index.html");
        assert_eq!(root_prefix("a/b/c.html"), "../../");
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(relative_url("index.html", "a:b.html"), "./a:b.html");
        assert_eq!(relative_url("a/b.html", "a/c:d/e.html"), "./c:d/e.html");
    }

    #[test]
    fn urls_decode_to_output_paths() {
        for path in ["a#b.html", "100%.html", "é/x y.html", "javascript:x.html"] {
            assert_eq!(url_path(&encode_path(path)), path);
        }
    }

    #[test]
    fn links_to_hostile_names_resolve_and_encode() {
        let pages = ["a#b.md", "100%.md", "with space.md", "é.md"].map(String::from);
        let r = Routes::new(pages.iter());
        let cases = [
            ("a%23b.md", "a%23b.html"),
            ("100%25.md", "100%25.html"),
            ("100%.md", "100%25.html"),
            ("with space.md", "with%20space.html"),
            ("with%20space.md#x%20y", "with%20space.html#x%20y"),
            ("%C3%A9.md", "%C3%A9.html"),
        ];
        for (dest, href) in cases {
            let target = r.resolve("README.md", dest);
            assert_eq!(
                r.href("index.html", &target).as_deref(),
                Some(href),
                "{dest}"
            );
        }
    }

    #[test]
    fn wiki_links_name_pages_by_file_name_nearest_first() {
        let pages = [
            "index.md",
            "ops/rollback-plan.md",
            "ops/Runbook.md",
            "guide/rollback-plan.md",
            "guide/setup.md",
            "deep/a/b/setup.md",
            "Rollback_Notes.markdown",
        ]
        .map(String::from);
        let routes = Routes::new(pages.iter());
        let page = |from: &str, name: &str| routes.wiki_page(from, name);
        // Case, spaces, `-` and `_` alike; `.md` may be written.
        assert_eq!(page("index.md", "Runbook"), Some("ops/Runbook.md"));
        assert_eq!(page("index.md", "runbook.md"), Some("ops/Runbook.md"));
        assert_eq!(
            page("index.md", "rollback notes"),
            Some("Rollback_Notes.markdown")
        );
        // Of two, the one beside the page, else the nearest the top, else the first by path.
        assert_eq!(
            page("ops/x.md", "Rollback Plan"),
            Some("ops/rollback-plan.md")
        );
        assert_eq!(
            page("guide/x.md", "Rollback Plan"),
            Some("guide/rollback-plan.md")
        );
        assert_eq!(
            page("index.md", "Rollback Plan"),
            Some("guide/rollback-plan.md")
        );
        assert_eq!(page("index.md", "setup"), Some("guide/setup.md"));
        // A folder in the name narrows it.
        assert_eq!(
            page("guide/x.md", "ops/Rollback Plan"),
            Some("ops/rollback-plan.md")
        );
        assert_eq!(page("index.md", "a/b/setup"), Some("deep/a/b/setup.md"));
        assert_eq!(page("index.md", "/guide/setup"), Some("guide/setup.md"));
        // Nothing by part of a name, nor a name nothing has.
        assert_eq!(page("index.md", "plan"), None);
        assert_eq!(page("index.md", "b/setup/x"), None);
        assert_eq!(page("index.md", ""), None);
        assert_eq!(page("index.md", "javascript:alert(1)"), None);
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(
            percent_decode("%é"),
            "%é",
            "no panic on a multi-byte char after %"
        );
    }
}
