//! Issue 12, points 4 and 5: file, folder and id names never become
//! `javascript:` links or broken ones. Every href and search-index URL the
//! build writes is percent-encoded, never reads as a scheme, and decodes to
//! a file that exists; names that cannot be URLs, and ids outside the one
//! safe form, are errors at file:line:col.

use std::path::{Component, Path, PathBuf};

use proptest::prelude::*;
use scraper::{Html, Selector};

use super::*;
use crate::common::serve::Server;

/// The names the issue tried, and their kin.
const HOSTILE_PAGES: [&str; 7] = [
    "javascript:void(document.title='X').md",
    "a#b.md",
    "a?b.md",
    "100%.md",
    "with space.md",
    "é.md",
    "javascript:x/p.md",
];

/// The one absolute URL the templates write: the inline favicon.
const FAVICON: &str = "data:image/svg+xml,";

/// Whether `url` would be read as `scheme:...` by a browser.
fn reads_as_scheme(url: &str) -> bool {
    let head = url.split(['/', '?', '#']).next().unwrap_or("");
    head.contains(':')
}

/// Every URL in the built site: `(file that holds it, URL, base folder it
/// is relative to)`, from the href and src of every HTML file and from the
/// page URLs of the search index (relative to the site root).
fn emitted_urls(site: &Path) -> Vec<(String, String, PathBuf)> {
    let mut urls = Vec::new();
    let linked = Selector::parse("[href], [src]").unwrap();
    for (rel, bytes) in tree(site) {
        let text = String::from_utf8_lossy(&bytes);
        let dir = site.join(&rel).parent().unwrap().to_path_buf();
        if rel.ends_with(".html") {
            let html = Html::parse_document(&text);
            for element in html.select(&linked) {
                for attr in ["href", "src"] {
                    if let Some(url) = element.value().attr(attr) {
                        urls.push((rel.clone(), url.to_string(), dir.clone()));
                    }
                }
            }
        } else if rel.starts_with("search/d-") {
            let json = &text[text.find('[').unwrap()..text.rfind(']').unwrap() + 1];
            let docs: serde_json::Value = serde_json::from_str(json).unwrap();
            for doc in docs.as_array().unwrap() {
                if let Some(url) = doc.get(3).and_then(|u| u.as_str()) {
                    urls.push((rel.clone(), url.to_string(), site.to_path_buf()));
                }
            }
        }
    }
    urls
}

/// Every emitted URL is relative (or the favicon), percent-encoded, never
/// a scheme, and names a file of the site once decoded. Returns how many.
fn assert_urls_resolve(site: &Path) -> usize {
    let urls = emitted_urls(site);
    for (file, url, base) in &urls {
        if url.starts_with(FAVICON) || url.starts_with('#') {
            continue;
        }
        assert!(!reads_as_scheme(url), "{file}: {url:?} reads as a scheme");
        assert!(
            url.bytes()
                .all(|b| b.is_ascii_graphic() && !b"\"'<>\\`".contains(&b)),
            "{file}: {url:?} is not percent-encoded"
        );
        let path = url.split(['#', '?']).next().unwrap();
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .unwrap_or_else(|_| panic!("{file}: {url:?} is not UTF-8 once decoded"));
        let mut target = base.clone();
        for part in Path::new(decoded.as_ref()).components() {
            match part {
                Component::ParentDir => assert!(target.pop()),
                Component::Normal(name) => target.push(name),
                _ => {}
            }
        }
        assert!(target.starts_with(site), "{file}: {url:?} leaves the site");
        if decoded.ends_with('/') || target.is_dir() {
            target.push("index.html");
        }
        assert!(
            target.is_file(),
            "{file}: {url:?} names {}, which does not exist",
            target.display()
        );
    }
    urls.len()
}

#[test]
fn hostile_page_names_give_only_safe_encoded_urls_that_resolve() {
    let mut project = Project::empty().file(
        "content/README.md",
        concat!(
            "# Home\n\n",
            "[js](javascript%3Avoid(document.title='X').md), [js too](<./javascript:void(document.title='X').md>),\n",
            "[hash](a%23b.md), [query](a%3Fb.md), [percent](100%25.md), [raw percent](100%.md),\n",
            "[space](<with space.md>), [space too](with%20space.md#t-with-spacemd), [e](é.md), [e too](%C3%A9.md),\n",
            "[folder](javascript%3Ax/p.md)\n",
        ),
    );
    for name in HOSTILE_PAGES {
        project = project.file(&format!("content/{name}"), format!("# T {name}\n\nText.\n"));
    }
    project
        .test(&["check", "--deny-warnings"])
        .stderr("0 errors, 0 warnings\n")
        .run();
    project.build();

    let site = project.path("site");
    for name in HOSTILE_PAGES {
        let html = name.replace(".md", ".html");
        assert!(site.join(&html).is_file(), "no {html}");
    }
    let home = project.read("site/index.html");
    for href in [
        "href=\"javascript%3Avoid%28document.title%3D%27X%27%29.html\"",
        "href=\"a%23b.html\"",
        "href=\"a%3Fb.html\"",
        "href=\"100%25.html\"",
        "href=\"with%20space.html#t-with-spacemd\"",
        "href=\"%C3%A9.html\"",
        "href=\"javascript%3Ax/p.html\"",
        "href=\"javascript%3Ax/index.html\"",
    ] {
        assert!(home.contains(href), "index.html lacks {href}");
    }
    for (file, html) in all_html(&project) {
        assert!(
            !html.contains("href=\"javascript:"),
            "{file} links to a script"
        );
    }
    let checked = assert_urls_resolve(&site);
    assert!(checked > 100, "only {checked} URLs seen");
}

#[test]
fn names_that_cannot_be_urls_are_refused_naming_the_file() {
    let project = Project::empty()
        .file("content/README.md", "# Home\n")
        .file("content/bad\u{1}name.md", "# Bad\n")
        .file("content/dir\nx/p.md", "# In a bad folder\n")
        .file("content/a\\b.md", "# Backslash\n")
        .file("content/img/\u{202E}gnp.exe", "x")
        .file(&format!("content/{}.md", "b".repeat(252)), "# Long\n");
    let long = format!("content/{}.md:1:1", "b".repeat(252));
    for command in ["check", "build"] {
        let run = project.test(&[command]).status(1).run();
        for (shown, problem) in [
            (
                "content/bad\\u{1}name.md:1:1",
                "the file name contains a control character",
            ),
            (
                "content/dir\\u{a}x:1:1",
                "the folder name contains a control character",
            ),
            (
                "content/a\\u{5c}b.md:1:1",
                "the file name contains a backslash",
            ),
            (
                "content/img/\\u{202e}gnp.exe:1:1",
                "invisible bidirectional control",
            ),
            (&long, "the file name is too long"),
        ] {
            assert!(
                run.stderr.contains(shown) && run.stderr.contains(problem),
                "{command}: {shown} {problem}:\n{}",
                run.stderr
            );
        }
        assert!(!run.stderr.contains('\u{1}') && !run.stderr.contains('\u{202E}'));
    }
    assert!(!project.path("site").exists(), "nothing was built");
}

#[test]
fn hostile_duplicate_and_empty_ids_are_errors_at_their_place() {
    let project = Project::empty()
        .file("content/README.md", "# Home\n\n[D](checklists/d.yaml)\n")
        .file(
            "content/roles.yaml",
            concat!(
                "roles:\n",
                "  - id: \"javascript:void(document.title='X')\"\n    name: Evil\n",
                "  - id: qa\n    name: QA\n",
                "  - {id: qa, name: QA again}\n",
                "  - id: \"\"\n    name: Empty\n",
            ),
        )
        .file(
            "content/checklists/d.yaml",
            concat!(
                "id: d\ntitle: D\ngroups:\n",
                "  - id: g\n    title: G\n    items:\n",
                "      - id: x\n        text: Do\n        owners: [qa]\n",
                "      - id: x\n        text: Again\n",
                "  - id: 'a#b'\n    title: H\n    items: []\n",
            ),
        )
        .file(
            "content/release-notes.yaml",
            "title: R {version}\nsections:\n  - id: Notes.1\n    title: N\n    prompt: P\n",
        );
    let run = project.test(&["check"]).status(1).run();
    for expected in [
        "error[id]: role id \"javascript:void(document.title='X')\" has the character ':'\n  ┌─ content/roles.yaml:2:9",
        "error[id]: role id \"\" is empty\n  ┌─ content/roles.yaml:7:9",
        "error[id]: group id \"a#b\" has the character '#'\n   ┌─ content/checklists/d.yaml:12:9",
        "error[id]: section id \"Notes.1\" has the uppercase letter 'N'\n  ┌─ content/release-notes.yaml:3:9",
        "help: write it as \"notes-1\"",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n---\n{}", run.stderr);
    }
    project.test(&["build", "--allow-broken"]).status(1).run();
    assert!(!project.path("site").exists());

    // Once the ids are safe, the duplicates are left, each naming both places.
    let project = project
        .file(
            "content/roles.yaml",
            "roles:\n  - id: qa\n    name: QA\n  - {id: qa, name: QA again}\n",
        )
        .file(
            "content/release-notes.yaml",
            "title: R {version}\nsections:\n  - id: notes\n    title: N\n    prompt: P\n",
        )
        .file(
            "content/checklists/d.yaml",
            "id: d\ntitle: D\ngroups:\n  - id: g\n    title: G\n    items:\n      - id: x\n        text: Do\n        owners: [qa]\n      - id: x\n        text: Again\n",
        )
        .file(
            "content/checklists/e.yaml",
            "id: d\ntitle: E\ngroups:\n  - id: g\n    title: G\n    items: []\n",
        );
    let run = project.test(&["check"]).status(1).run();
    for expected in [
        "error[duplicate-id]: role id \"qa\" is used twice: first at content/roles.yaml:2:9\n  ┌─ content/roles.yaml:4:10",
        "error[duplicate-id]: item id \"x\" is used twice: first at content/checklists/d.yaml:7:13\n   ┌─ content/checklists/d.yaml:10:13",
        "error[duplicate-id]: checklist id \"d\" is also the id of content/checklists/d.yaml:1:5\n  ┌─ content/checklists/e.yaml:1:5",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n---\n{}", run.stderr);
    }
}

/// A name from a wide alphabet: ASCII punctuation, spaces, letters of other
/// scripts, an emoji; never `/` (a folder), a leading `.` (hidden), or what
/// is refused.
fn name_strategy() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = " !\"#$%&'()*+,-.:;<=>?@[]^_`{|}~azAZ09éßΩж日本\u{1F600}\u{A0}"
        .chars()
        .collect();
    proptest::collection::vec(proptest::sample::select(alphabet), 1..12).prop_map(|chars| {
        let name: String = chars.into_iter().collect();
        format!("x{name}")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(12), ..ProptestConfig::default() })]

    /// Whatever the names of pages and folders, every URL the build writes
    /// decodes to a file of the site and never starts with a scheme.
    #[test]
    fn every_emitted_url_resolves_whatever_the_names(
        names in proptest::collection::btree_set(name_strategy(), 1..5),
        folder in name_strategy(),
    ) {
        let mut project = Project::empty().file("content/README.md", "# Home\n");
        for (i, name) in names.iter().enumerate() {
            let rel = if i % 2 == 0 { format!("{name}.md") } else { format!("{folder}/{name}.md") };
            project = project.file(&format!("content/{rel}"), format!("# Page {i}\n\n## Part\n\nWords.\n"));
        }
        // A failed build panics in `run()`, which proptest reports and shrinks like a failed assertion.
        project.test(&["build"]).run();
        assert_urls_resolve(&project.path("site"));
    }
}

/// `playbook serve` answers the percent-encoded URLs the pages link to.
#[test]
fn serve_answers_the_encoded_urls_of_hostile_names() {
    let mut project = Project::empty().file("content/README.md", "# Home\n");
    for name in HOSTILE_PAGES {
        project = project.file(&format!("content/{name}"), format!("# Page {name}\n"));
    }
    let server = Server::start(&project);
    let encoded = [
        "javascript%3Avoid%28document.title%3D%27X%27%29.html",
        "a%23b.html",
        "a%3Fb.html",
        "100%25.html",
        "with%20space.html",
        "%C3%A9.html",
        "javascript%3Ax/p.html",
    ];
    for (name, url) in HOSTILE_PAGES.iter().zip(encoded) {
        let reply = server.get(url);
        assert_eq!(reply.status, 200, "GET {url} for {name}");
        let title = format!("<title>Page {}", name.replace('\'', "&#39;"));
        assert!(
            reply.body.contains(&title),
            "GET {url} is not the page of {name}"
        );
    }
}
