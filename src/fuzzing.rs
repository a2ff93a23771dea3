//! Fuzzing entry points (issue #8): thin harnesses that feed arbitrary bytes
//! through the real code paths. The libFuzzer targets in `fuzz/` and the
//! replay test `tests/it/fuzz_replay.rs` both call these, so every corpus file
//! and crash reproducer is also an ordinary test.
//!
//! A harness never panics by itself on any input: a panic, hang or crash
//! means a bug in the code under test. The few `assert!`s are invariants the
//! code promises (a link never resolves outside the content, reconcile never
//! loses an item).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::diagnostic::{self, Diagnostic, Sources};
use crate::embed::Embeds;
use crate::frontmatter;
use crate::markdown::{self, PageRef, ParseContext};
use crate::model::{Asset, LinkTarget, Page, Site};
use crate::reconcile::{self, repair, text, variant};
use crate::routes::{self, Routes};
use crate::structured;

/// Where the fuzzed page sits in the fake site.
const FUZZED_PAGE: &str = "guide/fuzzed.md";

/// The other pages of the fake site, so links between pages resolve.
const FAKE_PAGES: &[(&str, &str)] = &[
    (
        "README.md",
        "---\ntitle: Home\n---\n# Home\n\nSee [setup](guide/setup.md#install) and [the guide](guide/).\n",
    ),
    (
        "guide/README.md",
        "# Guide\n\n## Overview {#overview}\n\n[Back](../README.md#home)\n",
    ),
    (
        "guide/setup.md",
        "# Setup\n\n## Install\n\n## Install\n\n### Ünïcode héading 日本\n\n[Deploy](../ops/run%20book.md#rollback)\n",
    ),
    (
        "ops/run book.md",
        "---\ntitle: \"Run book\"\nroles: [sre]\n---\n# Run book\n\n## Rollback\n\n- [ ] Page the on-call\n",
    ),
];

/// The structured files of the fake site, so checklist embeds and role
/// owners have something to resolve against.
const FAKE_DATA: &[(&str, &str)] = &[
    (
        "roles.yaml",
        "roles:\n  - id: sre\n    name: SRE\n    aliases: [devops]\n    summary: Runs production\n    responsibilities: [Deploys]\n  - id: qa\n    name: QA\n    summary: Tests\n",
    ),
    (
        "checklists/deploy.yaml",
        "id: deploy\ntitle: Deploy\ngroups:\n  - id: before\n    title: Before\n    items:\n      - id: backup\n        text: Take a [backup](../guide/setup.md#install)\n        owners: [sre]\n      - id: smoke\n        text: Run the smoke tests\n        owners: [qa]\n",
    ),
];

/// The embeds (checklists, roles) of the fake site, read once.
fn fake_embeds() -> &'static Embeds {
    static EMBEDS: OnceLock<Embeds> = OnceLock::new();
    EMBEDS.get_or_init(|| {
        let files: BTreeMap<String, String> = FAKE_DATA
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        let mut diagnostics = Vec::new();
        let mut sources = Sources::new();
        structured::read(&files, "", &mut diagnostics, &mut sources).embeds
    })
}

/// Render diagnostics in every format, as `check` and `build` do.
fn render(diagnostics: &[Diagnostic], sources: &Sources) {
    let _ = diagnostic::render_human(diagnostics, sources, false);
    let _ = diagnostic::render_json(diagnostics);
    let _ = diagnostic::render_github(diagnostics);
    let _ = diagnostic::render_sarif(diagnostics);
}

/// Read one page as the build does: front matter cut and parsed, then the
/// Markdown parsed into a [`Page`]. `None` when the front matter is invalid
/// (its diagnostic is rendered first).
fn parse_page(path: &str, text: &str, routes: &Routes, highlight: bool) -> Option<Page> {
    let output = if highlight {
        markdown::Output::Html
    } else {
        markdown::Output::SearchText
    };
    let parsed = frontmatter::split(path, text)
        .and_then(|split| Ok((frontmatter::parse(path, text, &split)?, split.body_start)));
    let (front, body_start) = match parsed {
        Ok(parsed) => parsed,
        Err(diagnostic) => {
            let sources = Sources::from([(path.to_string(), text.to_string())]);
            render(&[*diagnostic], &sources);
            return None;
        }
    };
    let url = routes::page_url(path);
    let context = ParseContext {
        routes,
        embeds: fake_embeds(),
        output,
        trusted_html: false,
        max_nesting: 100,
        guide: None,
    };
    let page_ref = PageRef {
        source_path: path,
        url: &url,
        body_start,
        file_text: text,
    };
    let doc = markdown::parse(&page_ref, &context, text.get(body_start..).unwrap_or(""));
    let title = front
        .title
        .clone()
        .or_else(|| markdown::first_heading_title(&doc).map(str::to_string))
        .unwrap_or_else(|| crate::nav::humanize(path));
    Some(Page {
        source_path: path.to_string(),
        url,
        weight: front.weight,
        front,
        title,
        doc,
        text: text.to_string(),
        body_start,
        unparsed: false,
    })
}

/// A site of the fake pages plus `extra` (path, text), checked as `check`
/// does, with every diagnostic rendered. Returns the site for more checks.
fn check_fake_site(extra: &[(&str, &str)], highlight: bool) -> Site {
    let mut texts: BTreeMap<String, String> = FAKE_PAGES
        .iter()
        .chain(extra)
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let routes = Routes::new(texts.keys());
    let pages: BTreeMap<String, Page> = std::mem::take(&mut texts)
        .into_iter()
        .filter_map(|(path, text)| parse_page(&path, &text, &routes, highlight))
        .map(|page| (page.source_path.clone(), page))
        .collect();
    let sections = crate::nav::sections(routes.folders(), &pages, "Fuzz");
    let nav = crate::nav::build(&pages, &sections, Vec::new());
    let site = Site {
        display_prefix: "content/".to_string(),
        data_texts: FAKE_DATA
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect(),
        title: "Fuzz".to_string(),
        description: None,
        pages,
        sections,
        data: BTreeMap::new(),
        embeds: Embeds::default(),
        release_notes: None,
        runs: BTreeMap::new(),
        publishing: Default::default(),
        assets: vec![Asset {
            rel_path: "img/logo.svg".to_string(),
            abs_path: std::path::PathBuf::from("img/logo.svg"),
        }],
        nav,
        max_nesting: 100,
        routes,
        drafts: Default::default(),
    };
    let diagnostics = crate::check::check_site(&site);
    render(&diagnostics, &crate::check::sources(&site, &diagnostics));
    site
}

/// (a) A page: front matter cut and parsed, Markdown parsed (links resolved
/// against a few fake pages, checklists embedded, code highlighted), then
/// the site checked and its diagnostics rendered.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check_fake_site(&[(FUZZED_PAGE, &text)], true);
    one_pass_is_both_passes(&text);
}

fn context_for(routes: &Routes, output: markdown::Output) -> ParseContext<'_> {
    ParseContext {
        routes,
        embeds: fake_embeds(),
        output,
        trusted_html: false,
        max_nesting: 100,
        guide: None,
    }
}

/// A page the build parses once, when it renders it, has the model of the
/// first pass and the HTML of the render pass, and the title read up to its
/// first heading is the one a whole parse gives (see [`crate::site_load`]).
fn one_pass_is_both_passes(body: &str) {
    let routes = Routes::new([FUZZED_PAGE.to_string()].iter());
    let url = routes::page_url(FUZZED_PAGE);
    let page_ref = PageRef {
        source_path: FUZZED_PAGE,
        url: &url,
        body_start: 0,
        file_text: body,
    };
    let parse = |output| markdown::parse(&page_ref, &context_for(&routes, output), body);
    assert_eq!(
        markdown::heading_title(
            &page_ref,
            &context_for(&routes, markdown::Output::Model),
            body
        ),
        markdown::first_heading_title(&parse(markdown::Output::SearchText)).map(str::to_string),
        "the title read up to the first heading"
    );
    let mut both = parse(markdown::Output::HtmlAndSearchText);
    let html = std::mem::take(&mut both.html);
    assert_eq!(html, parse(markdown::Output::Html).html, "HTML of one pass");
    assert_eq!(
        format!("{both:?}"),
        format!("{:?}", parse(markdown::Output::SearchText)),
        "model of one pass"
    );
}

/// (b) Reconcile's text layer on arbitrary bytes: decoding and mojibake
/// repair, the variant parser, and the item analysis (owners, conditions).
pub fn reconcile_text(data: &[u8]) {
    let decoded = repair::decode(data);
    let (repaired, _) = repair::repair_mojibake(&decoded.text);
    let _ = repair::looks_misdecoded(&repaired);
    let _ = repair::repair_mojibake(&String::from_utf8_lossy(data));
    let parsed = variant::parse("fuzz", &decoded.text);
    let _ = text::normalise_heading(&parsed.title);
    for section in &parsed.sections {
        let _ = text::normalise_heading(&section.heading);
        for item in section.all_items() {
            let _ = text::analyse_item(&item.text);
        }
    }
    for line in decoded.text.lines().take(200) {
        let _ = text::analyse_item(line);
    }
}

/// (b) The whole reconcile on up to three copies, cut from `data` at ASCII
/// record separators (0x1E). Every input item must be accounted for.
pub fn reconcile(data: &[u8]) {
    let inputs: Vec<reconcile::Input> = data
        .split(|&b| b == 0x1E)
        .take(3)
        .enumerate()
        .map(|(i, bytes)| reconcile::Input {
            path: format!("copy-{i}.md"),
            bytes: bytes.to_vec(),
        })
        .collect();
    match reconcile::reconcile(&inputs) {
        Ok(outcome) => {
            let _ = outcome.report.summary();
            assert!(
                outcome.report.lost.is_empty(),
                "reconcile lost items: {:?}",
                outcome.report.lost
            );
        }
        Err(diagnostics) => render(&diagnostics, &Sources::new()),
    }
}

/// (c) Link and anchor resolution. The first line of `data` is a link
/// destination, resolved from every fake page as `check` and `render` do
/// (target, then href); the whole input is also a page of the fake site,
/// with that link added in Markdown, and the site is checked.
pub fn links(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let dest = text.lines().next().unwrap_or("");
    let routes = Routes::new(
        FAKE_PAGES
            .iter()
            .map(|(p, _)| p.to_string())
            .chain([FUZZED_PAGE.to_string()])
            .collect::<Vec<_>>()
            .iter(),
    );
    for from in FAKE_PAGES.iter().map(|(p, _)| *p).chain([FUZZED_PAGE]) {
        let target = routes.resolve(from, dest);
        if let LinkTarget::Page { path, .. }
        | LinkTarget::Folder { path, .. }
        | LinkTarget::File { path, .. } = &target
        {
            assert!(
                !path.split('/').any(|part| part == ".." || part == "."),
                "{dest:?} from {from} resolved to {path:?}, outside normal form"
            );
            assert!(
                !path.starts_with('/'),
                "{dest:?} resolved to an absolute path"
            );
        }
        let from_url = routes::page_url(from);
        let _ = routes.href(&from_url, &target);
    }
    let _ = routes::percent_decode(dest);
    let page =
        format!("# Links\n\n[text]({dest}) ![image]({dest}) <{dest}>\n\n[ref]: {dest}\n\n{text}\n");
    check_fake_site(&[(FUZZED_PAGE, &page)], false);
}

/// (d) The structured YAML files: `data` read as a checklist, a roles file
/// and a release-note spec, each error rendered.
pub fn yaml(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    for path in [
        "checklists/fuzz.yaml",
        structured::ROLES_FILE,
        structured::RELEASE_NOTES_FILE,
    ] {
        let files = BTreeMap::from([(path.to_string(), text.clone())]);
        let mut diagnostics = Vec::new();
        let mut sources = Sources::new();
        let read = structured::read(&files, "content/", &mut diagnostics, &mut sources);
        let _ = read.embeds.roles.all();
        render(&diagnostics, &sources);
    }
    // Any other YAML file is plain data for templates.
    if let Err(err) = serde_norway::from_str::<serde_json::Value>(&text) {
        let diagnostic = crate::yaml::diagnostic(
            "data-file",
            "content/data.yaml",
            &text,
            0,
            &err,
            "invalid YAML",
        );
        let sources = Sources::from([("content/data.yaml".to_string(), text.clone())]);
        render(&[diagnostic], &sources);
    }
}
