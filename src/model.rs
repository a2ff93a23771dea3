//! The Site model: everything loaded and parsed from a content tree, as plain
//! data. It is built once and shared read-only by `check` and `render`.
//!
//! Pages are keyed by their content-relative source path (`guide/setup.md`,
//! always with `/`) in ordered maps, so every walk over the site is
//! deterministic.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use crate::checklist::{Checklist, ChecklistItem, ReleaseNoteSpec, RoleIndex};
use crate::frontmatter::FrontMatter;
pub use crate::routes::LinkTarget;

/// A whole site: pages, folders, data files and static files.
#[derive(Debug)]
pub struct Site {
    /// Prepended to content-relative paths in messages (`content/`).
    pub display_prefix: String,
    /// The text of every YAML file, by content-relative path, for messages.
    pub data_texts: BTreeMap<String, String>,
    pub title: String,
    pub description: Option<String>,
    /// Every published Markdown page, by source path.
    pub pages: BTreeMap<String, Page>,
    /// Every folder that holds pages (the content root is `""`), by folder path.
    pub sections: BTreeMap<String, Section>,
    /// YAML data files, keyed by content-relative path without extension.
    pub data: BTreeMap<String, serde_json::Value>,
    /// Checklists (`checklists/*.yaml`) and roles (`roles.yaml`), typed.
    pub embeds: Embeds,
    /// `release-notes.yaml`, if the content has one.
    pub release_notes: Option<ReleaseNoteSpec>,
    /// Release run files (`runs/*.yaml`), by content-relative path.
    pub runs: BTreeMap<String, crate::run::Run>,
    /// Files copied to the output as they are (images, downloads, ...).
    pub assets: Vec<Asset>,
    /// The navigation: home first, then the tree in sidebar order.
    pub nav: Nav,
    /// The deepest nesting of lists and block quotes a page may have.
    pub max_nesting: usize,
    /// Where every page goes, for resolving links.
    pub routes: crate::routes::Routes,
    /// `base_url`, edit links and language from `playbook.yaml`.
    pub publishing: crate::publishing::Publishing,
    /// Draft pages this build leaves out, by source path: a link to one
    /// is broken, and says why.
    pub drafts: BTreeSet<String>,
}

impl Site {
    /// Take in the models of pages parsed as they were rendered
    /// (`render::render_unparsed_pages`), by source path.
    pub(crate) fn take_in_parsed(&mut self, parsed: Vec<(String, Document)>) {
        for (path, doc) in parsed {
            if let Some(page) = self.pages.get_mut(&path) {
                page.doc = doc;
                page.unparsed = false;
            }
        }
    }

    /// The site once every page is written, for the steps that remain (the
    /// search index, theme and sitemap): each page without its text,
    /// links, headings and ids, which only checking and rendering read.
    /// It takes the site by value, so nothing is looking at what it drops:
    /// the site is never changed in place, and on a big site the search
    /// step no longer holds every page's text for nothing.
    pub(crate) fn into_written(mut self) -> Site {
        use rayon::prelude::*;
        // Freed on every core: one page after another, it held up the
        // search index of a 10,000-page site by 35 ms.
        self.pages
            .par_iter_mut()
            .for_each(|(_, page)| page.let_go_of_written());
        self
    }
}

/// One Markdown page.
#[derive(Debug)]
pub struct Page {
    /// Content-relative source path, e.g. `guide/README.md`.
    pub source_path: String,
    /// Site-root-relative output path, e.g. `guide/index.html`.
    pub url: String,
    pub front: FrontMatter,
    /// Front matter title, else the first heading, else the file name.
    pub title: String,
    /// Sidebar order: front matter weight, else a numeric file-name prefix.
    pub weight: Option<i64>,
    pub doc: Document,
    /// The file's text (front matter included): rendering parses it again,
    /// and diagnostics quote it.
    pub text: String,
    /// Where the Markdown starts in `text`, after the front matter.
    pub body_start: usize,
    /// Not parsed yet, `doc` empty: `build` parses each page only when it
    /// renders it (see [`crate::site_load`]).
    pub unparsed: bool,
}

impl Page {
    /// Keep only what [`Site::into_written`] keeps.
    fn let_go_of_written(&mut self) {
        self.text = String::new();
        self.doc.links = Vec::new();
        self.doc.headings = Vec::new();
        self.doc.ids = Vec::new();
        self.doc.task_sections = Vec::new();
    }
}

/// What one pass over a page's Markdown yields.
#[derive(Debug, Default)]
pub struct Document {
    /// The body as HTML, links already rewritten to output pages; only when
    /// parsed for [`crate::markdown::Output::Html`].
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    /// Plain text cut at headings, for the search index.
    pub sections: Vec<TextSection>,
    /// Checklists embedded in the page, in order: (checklist id, group id if only one group).
    pub embeds: Vec<(String, Option<String>)>,
    /// Every id on the page (headings and embedded checklist items), sorted.
    pub ids: Vec<String>,
    /// `[text][ref]` links whose reference is defined nowhere: (span, reference).
    pub broken_references: Vec<(Range<usize>, String)>,
    /// Explicit `{#id}`s that an earlier heading, footnote or item already
    /// has: (id, offset of the `#id`, what has it first).
    pub duplicate_ids: Vec<(String, usize, String)>,
    /// `id`s of raw HTML elements that a heading, footnote, item or an
    /// earlier element already has: (id, offset of the value, what has it).
    pub duplicate_html_ids: Vec<(String, usize, String)>,
    /// Sections holding a task list written in the page: (heading id and text, offset).
    pub task_sections: Vec<(Option<(String, String)>, usize)>,
    /// Links and images whose URL would run code; rendered without it.
    pub dangerous_links: Vec<DangerousLink>,
    /// Where lists and block quotes first nest deeper than allowed (offset).
    pub too_deep: Option<usize>,
    /// Raw HTML tags shown as text by GitHub's tag filter (`<style>`, ...):
    /// (offset in the file, length of `<name`).
    pub filtered_tags: Vec<(usize, usize)>,
    /// A raw HTML block opened by `<script>`, `<style>`, `<textarea>` or
    /// `<pre>` that runs to the end of the page for want of its end tag:
    /// (offset, tag name).
    pub runaway_html: Option<(usize, &'static str)>,
    /// Paragraphs that open like an MkDocs admonition (`!!! warning`),
    /// shown as text: (offset, length of the opener's first word pair).
    pub admonitions: Vec<(usize, usize)>,
}

/// A link or image to a `javascript:`, `vbscript:` or `data:` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DangerousLink {
    pub dest: String,
    pub scheme: &'static str,
    pub is_image: bool,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    /// The id in the HTML: explicit `{#id}` or the GitHub slug, made unique.
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
    /// 1-based line in the source file.
    pub line: usize,
}

/// A link or image in a page, as written and as resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination exactly as written in the Markdown.
    pub dest: String,
    pub target: LinkTarget,
    pub is_image: bool,
    /// Byte range of the whole link in the source file (front matter included).
    pub span: Range<usize>,
}

/// A run of plain text under one heading (or before the first one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextSection {
    /// Id and text of the heading that opens it; `None` for the page's top.
    pub heading: Option<(String, String)>,
    pub text: String,
}

/// A folder of pages.
#[derive(Debug, Clone)]
pub struct Section {
    /// Content-relative folder path, `""` for the root.
    pub path: String,
    /// Source path of its README.md / index.md / _index.md, if it has one.
    pub index_page: Option<String>,
    pub title: String,
    pub weight: Option<i64>,
    /// Site-root-relative output path of its index (`guide/index.html`).
    pub url: String,
}

/// A file copied verbatim.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Content-relative path, also its output path.
    pub rel_path: String,
    pub abs_path: PathBuf,
}

/// Something the sidebar lists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NavKey {
    Page(String),
    Section(String),
    /// A page the build makes from data (roles, release notes), by output path.
    Generated(String),
}

/// One entry of the sidebar tree.
#[derive(Debug, Clone)]
pub struct NavNode {
    pub key: NavKey,
    pub title: String,
    pub url: String,
    pub children: Vec<NavNode>,
}

/// The navigation: the tree and the reading order derived from it.
#[derive(Debug, Default)]
pub struct Nav {
    /// Top-level entries of the sidebar (the home page is not among them).
    pub tree: Vec<NavNode>,
    /// Every page and section in reading order, home first.
    pub order: Vec<NavKey>,
    /// The parent section of every page and section (the root has none).
    pub parent: BTreeMap<NavKey, String>,
    /// Generated pages: output path → title.
    pub generated: BTreeMap<String, String>,
}

impl NavKey {
    /// The section whose page is the site's home.
    pub fn home() -> NavKey {
        NavKey::Section(String::new())
    }
}

/// What pages can embed: every checklist by its content path, and the roles.
#[derive(Debug, Default)]
pub struct Embeds {
    /// Content-relative path (`checklists/deployment.yaml`) → checklist.
    pub checklists: BTreeMap<String, Checklist>,
    pub roles: RoleIndex,
    /// Let raw HTML in checklist items through (`trusted_html: true`);
    /// otherwise it is shown as text.
    pub trusted_html: bool,
    /// Ids given twice in these files, found at load and reported by `check`
    /// with the rest (unsafe ids stop the load instead).
    pub duplicate_ids: Vec<crate::diagnostic::Diagnostic>,
}

impl Embeds {
    /// A checklist by its id.
    pub fn by_id(&self, id: &str) -> Option<(&str, &Checklist)> {
        self.checklists
            .iter()
            .find(|(_, c)| c.id == id)
            .map(|(p, c)| (p.as_str(), c))
    }

    /// The item a `ref` points at (`checklist-id/item-id`), with its file.
    pub fn referenced(&self, reference: &str) -> Option<(&str, &ChecklistItem)> {
        let (checklist, item) = reference.split_once('/')?;
        let (path, checklist) = self.by_id(checklist)?;
        let item = checklist
            .groups
            .iter()
            .flat_map(|g| &g.items)
            .find(|i| i.id == item)?;
        Some((path, item))
    }
}

/// An item as shown: a `ref` replaced by the item it points at.
#[derive(Clone)]
pub struct ResolvedItem<'a> {
    /// The stable key of the work: `checklist/item` of the item itself, or of the item a ref points at.
    pub key: String,
    /// The file whose folder the item's links are relative to.
    pub path: &'a str,
    pub item: &'a ChecklistItem,
}

impl Embeds {
    /// Follow an item's `ref`, if it has one that resolves.
    pub fn resolve_item<'a>(
        &'a self,
        path: &'a str,
        checklist: &str,
        item: &'a ChecklistItem,
    ) -> ResolvedItem<'a> {
        if let Some(reference) = item.reference.as_deref() {
            if let Some((ref_path, referenced)) = self.referenced(reference) {
                return ResolvedItem {
                    key: reference.to_string(),
                    path: ref_path,
                    item: referenced,
                };
            }
        }
        ResolvedItem {
            key: format!("{checklist}/{}", item.id),
            path,
            item,
        }
    }
}
