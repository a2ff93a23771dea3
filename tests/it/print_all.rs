//! The whole guide on one page (`print/guide.html`, issue 15): every page
//! in sidebar order, ids unique across pages, links to pages of the guide
//! made in-page links (links to role pages, files and folders without a
//! page left as links to the site), a contents list, no site chrome,
//! deterministic, whatever the pages are called; linked from the site and
//! kept out of search and the sitemap.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Page, Project};
use proptest::prelude::*;

const GUIDE: &str = "site/print/guide.html";

/// Every `id` of a page, with how often it occurs.
fn ids(page: &Page) -> BTreeMap<String, usize> {
    let mut ids = BTreeMap::new();
    for id in page.attrs("[id]", "id") {
        *ids.entry(id).or_default() += 1;
    }
    ids
}

/// Every `href="#..."` of a page that names no id of it.
fn dangling(page: &Page) -> Vec<String> {
    let ids = ids(page);
    page.attrs("a[href^='#']", "href")
        .into_iter()
        .filter(|href| {
            let id = percent_encoding::percent_decode_str(&href[1..]).decode_utf8_lossy();
            !ids.contains_key(id.as_ref())
        })
        .collect()
}

fn duplicates(page: &Page) -> Vec<String> {
    ids(page)
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, _)| id)
        .collect()
}

/// A guide with pages whose headings clash, odd file names, a folder
/// without a page, an embedded checklist, an image and footnotes.
fn guide() -> Project {
    Project::empty()
        .file(
            "content/README.md",
            "# Home\n\n## Setup\n\nSee [setup](guide/setup.md#setup), [the guide](guide/README.md), \
             [odd](a%23b.md#setup), [percent](100%25.md), [spaced](with%20space.md#setup), \
             [accents](%C3%A9t%C3%A9.md#r%C3%A9sum%C3%A9) and [here](#setup).\n",
        )
        .file(
            "content/guide/README.md",
            "# Guide\n\n## Setup\n\nThe guide's own setup. Back [home](../README.md#setup).\n",
        )
        .file(
            "content/guide/setup.md",
            "---\nweight: 1\n---\n\n# Setup\n\n## Setup\n\nTwice.[^n]\n\n[^n]: A note.\n\n\
             ![diagram](img/flow.png)\n\n## Steps\n\n[Hotfix](../checklists/hotfix.yaml)\n",
        )
        .file("content/guide/img/flow.png", b"\x89PNG\r\n\x1a\n")
        .file("content/a#b.md", "# Hash\n\n## Setup\n\nText.[^n]\n\n[^n]: Its note.\n")
        .file("content/100%.md", "# Percent\n\n## Setup\n\nText.\n")
        .file("content/with space.md", "# Spaced\n\n## Setup\n\nText.\n")
        .file("content/été.md", "# Été\n\n## Résumé\n\nTexte.\n")
        .file("content/notes/one.md", "# One\n\n## Setup\n\nIn a folder without a page.\n")
        .file(
            "content/roles.yaml",
            "roles:\n- id: qa\n  name: QA\n  summary: Tests.\n- id: rm\n  name: Release Manager\n  summary: Ships.\n",
        )
        .file(
            "content/checklists/hotfix.yaml",
            "id: hotfix\ntitle: Hotfix\ngroups:\n- id: fix\n  title: Fix\n  items:\n  - id: setup\n    text: Set up, see [the guide](../guide/setup.md#steps)\n    owners: [qa, rm]\n",
        )
}

#[test]
fn the_whole_guide_prints_every_page_in_sidebar_order_with_in_page_links() {
    let project = guide();
    project.build();
    let page = project.page(GUIDE);
    // Contents, in the sidebar's order; the folder without a page by title.
    let contents = page.texts(".guide-contents li");
    assert_eq!(
        contents.first().map(String::as_str),
        Some("Home"),
        "{contents:?}"
    );
    for title in [
        "Guide", "Setup", "Hash", "Percent", "Spaced", "Été", "Notes", "One",
    ] {
        assert!(
            contents.iter().any(|t| t == title),
            "{title} in {contents:?}"
        );
    }
    let guide_at = contents.iter().position(|t| t == "Guide").unwrap();
    assert_eq!(contents[guide_at + 1], "Setup", "{contents:?}");
    // The sidebar's order (the home page first; not the role pages).
    let sidebar = project.page("site/index.html").texts(".sidebar a");
    let roles_at = sidebar
        .iter()
        .position(|t| t == "Roles")
        .unwrap_or(sidebar.len());
    assert_eq!(contents[1..], sidebar[..roles_at], "{sidebar:?}");
    // Every page once, with its anchor, in that order.
    let anchors = page.attrs("article.guide-page", "id");
    let expected = [
        "home",
        "guide",
        "guide-setup",
        "ab",
        "notes-one",
        "100",
        "with-space",
        "été",
    ];
    assert_eq!(anchors, expected);
    let links = page.attrs(".guide-contents a", "href");
    assert_eq!(links, expected.map(|a| format!("#{a}")));
    // Headings that clash across pages are told apart by their page.
    assert!(duplicates(&page).is_empty(), "{:?}", duplicates(&page));
    assert!(dangling(&page).is_empty(), "{:?}", dangling(&page));
    let hrefs = page.attrs("article.guide-page a", "href");
    for want in [
        "#guide-setup.setup",
        "#guide",
        "#ab.setup",
        "#100",
        "#with-space.setup",
        "#%C3%A9t%C3%A9.r%C3%A9sum%C3%A9",
        "#home.setup",
        // Checklist items: in-page links, owners to their role pages.
        "#guide-setup.steps",
        "../roles/qa.html",
    ] {
        assert!(hrefs.iter().any(|h| h == want), "{want} in {hrefs:?}");
    }
    assert_eq!(page.attrs("article img", "src"), ["../guide/img/flow.png"]);
    // Checklists print as blank boxes; no site chrome.
    assert_eq!(page.count("li.checklist-item > .print-box"), 1);
    assert_eq!(page.count("input"), 0);
    for chrome in [
        ".sidebar",
        ".site-header",
        "#search-input",
        ".site-footer",
        ".toc",
        ".pager",
    ] {
        assert_eq!(page.count(chrome), 0, "{chrome}");
    }
}

#[test]
fn the_whole_guide_is_linked_from_the_site_but_not_searched_or_listed_in_the_sitemap() {
    let project = guide().file(
        "playbook.yaml",
        "title: Guide\nbase_url: https://example.org/docs/\n",
    );
    project.build();
    for (page, href) in [
        ("site/index.html", "print/guide.html"),
        ("site/guide/setup.html", "../print/guide.html"),
        ("site/print/qa.html", "../print/guide.html"),
    ] {
        let links = project.page(page).attrs("a.print-guide-link", "href");
        assert_eq!(links, [href], "{page}");
    }
    let sitemap = project.read("site/sitemap.xml");
    assert!(sitemap.contains("guide/setup.html"), "{sitemap}");
    assert!(!sitemap.contains("print/"), "{sitemap}");
    for (path, bytes) in project.tree("site/search") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("print/guide"),
            "search/{path} lists the whole guide"
        );
    }
}

#[test]
fn the_whole_guide_is_the_same_on_every_build() {
    let project = guide();
    project.build();
    let first = project.read(GUIDE);
    project.test(&["build", "--out", "again"]).run();
    assert_eq!(first, project.read("again/print/guide.html"));
}

#[test]
fn a_body_edit_in_serve_reaches_the_whole_guide() {
    let project = guide();
    let server = common::serve::Server::start(&project);
    let events = server.events();
    std::fs::write(
        project.path("content/with space.md"),
        "# Spaced\n\n## Setup\n\nNow about zeppelins.\n",
    )
    .unwrap();
    events.expect("reload");
    let guide = server.get("/print/guide.html");
    assert!(
        guide.body.contains("Now about zeppelins."),
        "{}",
        guide.body
    );
}

#[test]
fn a_guide_too_big_to_print_whole_is_left_out_with_a_note() {
    // 4 pages of 1.1 MB: past the 4 MB one page prints.
    let body = format!("{}\n\n", "Words to print. ".repeat(64)).repeat(1100);
    let mut project = Project::empty();
    for i in 0..4 {
        project = project.file(&format!("content/p{i}.md"), format!("# P{i}\n\n{body}"));
    }
    let run = project.test(&["build"]).run();
    assert!(
        run.stderr.contains(
            "note: the whole guide is not made printable as one page (print/guide.html): \
             its pages hold 4.3 MB of Markdown, more than the 4 MB one page can print; \
             print pages one by one instead\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!project.path(GUIDE).exists());
    assert_eq!(
        project.page("site/index.html").count("a.print-guide-link"),
        0
    );
}

/// Issue 15: `checklist --format md` names each group's source once, under
/// its heading, as text (relative links lead nowhere in a release issue).
#[test]
fn the_markdown_checklist_names_each_groups_source_once() {
    let project = guide().file(
        "content/checklists/deploy.yaml",
        "id: deploy\ntitle: Deploy_it\ngroups:\n- id: go\n  title: Go\n  items:\n  - id: ship\n    text: Ship\n    owners: [qa]\n  - id: watch\n    text: Watch\n    owners: [qa]\n",
    );
    let run = project.test(&["checklist", "--role", "qa"]).run();
    let out = run.stdout;
    assert!(
        out.contains(
            "### Fix\n_From: Hotfix · Setup_\n- [ ] Set up, see the guide — QA, Release Manager <!-- id: hotfix/setup -->\n"
        ),
        "{out}"
    );
    // A checklist no page shows: its own title; Markdown in it as text.
    assert!(
        out.contains("### Go\n_From: Deploy\\_it_\n- [ ] Ship <!-- id: deploy/ship -->\n- [ ] Watch <!-- id: deploy/watch -->\n"),
        "{out}"
    );
    assert_eq!(out.matches("_From: ").count(), 2, "{out}");
    // The role's own name is said only where it shares the item.
    assert_eq!(out.matches(" — QA").count(), 1, "{out}");
}

/// A heading text, from a small set so that pages share them.
fn heading() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Setup".to_string()),
        Just("Notes".to_string()),
        Just("Setup {#custom-id}".to_string()),
        Just("Résumé".to_string()),
        Just("Rollback `v1.2`".to_string()),
        Just("Notes 1".to_string()),
    ]
}

/// A page file name, hostile ones included.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("setup".to_string()),
        Just("notes".to_string()),
        Just("a#b".to_string()),
        Just("100%".to_string()),
        Just("with space".to_string()),
        Just("日本".to_string()),
        Just("guide/setup".to_string()),
        Just("guide-setup".to_string()),
        Just("README".to_string()),
        Just("guide/README".to_string()),
    ]
}

/// The Markdown link to the page `to` from `from` (both without `.md`).
fn link(from: &str, to: &str, fragment: Option<&str>) -> String {
    let up = "../".repeat(from.matches('/').count());
    let path: String = format!("{up}{to}.md")
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '#' => "%23".to_string(),
            '%' => "%25".to_string(),
            c => c.to_string(),
        })
        .collect();
    match fragment {
        Some(f) => format!("[x]({path}#{f})"),
        None => format!("[x]({path})"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Whatever the pages are called and however their headings clash, the
    /// whole guide has no id twice and every in-page link lands.
    #[test]
    fn ids_are_unique_and_in_page_links_land(
        pages in prop::collection::btree_map(name(), prop::collection::vec(heading(), 1..4), 1..6),
        footnote in any::<bool>(),
    ) {
        let names: Vec<&String> = pages.keys().collect();
        let mut project = Project::empty();
        for (i, (file, headings)) in pages.iter().enumerate() {
            let mut text = String::new();
            let mut seen = BTreeSet::new();
            for h in headings {
                // An explicit id twice on one page is the writer's error.
                if h.contains("{#") && !seen.insert(h.clone()) {
                    continue;
                }
                text.push_str(&format!("## {h}\n\nText.\n\n"));
            }
            // Links: to a neighbour, to its first heading, to this page's own.
            let to = names[(i + 1) % names.len()];
            let first = playbook::slug::slugify(pages[to][0].split(" {#").next().unwrap());
            let first = if pages[to][0].contains("{#") { "custom-id".to_string() } else { first };
            text.push_str(&format!("{} {} [self](#{})\n", link(file, to, None), link(file, to, Some(&first)), {
                let own = &headings[0];
                if own.contains("{#") { "custom-id".to_string() } else { playbook::slug::slugify(own) }
            }));
            if footnote {
                text.push_str("\nSee.[^a]\n\n[^a]: Note.\n");
            }
            project = project.file(&format!("content/{file}.md"), text);
        }
        project.test(&["build", "--allow-broken"]).run();
        let page = project.page(GUIDE);
        prop_assert!(duplicates(&page).is_empty(), "{:?}", duplicates(&page));
        prop_assert!(dangling(&page).is_empty(), "{:?}", dangling(&page));
        prop_assert_eq!(page.count("article.guide-page"), pages.len());
    }
}
