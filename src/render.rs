//! Turn the Site model into HTML with Tera: one page per Markdown file, one
//! index page per folder, pages rendered in parallel from one compiled
//! template set and borrowed views of the site (nothing is cloned per page).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tera::Tera;

use crate::diagnostic::Diagnostic;
use crate::highlight::escape;
use crate::model::{NavKey, NavNode, Page, Section, Site};
use crate::nav::ancestors;
use crate::routes::root_prefix;
use crate::theme::TemplateSource;

/// The compiled templates, and their sources for error messages.
pub struct Templates {
    tera: Tera,
    sources: BTreeMap<String, TemplateSource>,
}

impl Templates {
    /// Compile a template set; a syntax error is a diagnostic in the template file.
    pub fn compile(
        sources: BTreeMap<String, TemplateSource>,
    ) -> Result<Templates, Box<Diagnostic>> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        // Tera's default escaper also turns `/` into `&#x2F;`, bloating every URL.
        tera.set_escape_fn(escape);
        let raw: Vec<(&str, &str)> = sources
            .iter()
            .map(|(n, s)| (n.as_str(), s.text.as_str()))
            .collect();
        match tera.add_raw_templates(raw) {
            Ok(()) => Ok(Templates { tera, sources }),
            Err(err) => Err(Box::new(template_diagnostic(&err, &sources))),
        }
    }

    /// The template texts by origin path, for rendering diagnostics.
    pub fn source_texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources
            .values()
            .map(|s| (s.origin.as_str(), s.text.as_str()))
    }
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    generator: &'static str,
    data: &'a BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct LinkView<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    level: u8,
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct ChildView<'a> {
    title: &'a str,
    url: &'a str,
    description: Option<&'a str>,
    kind: &'static str,
}

#[derive(Serialize)]
struct PageView<'a> {
    kind: &'static str,
    title: &'a str,
    description: Option<&'a str>,
    weight: Option<i64>,
    roles: &'a [String],
    extra: Cow<'a, BTreeMap<String, serde_json::Value>>,
    source_path: Option<&'a str>,
    url: &'a str,
    content: Cow<'a, str>,
    toc: Vec<TocEntry<'a>>,
    children: Vec<ChildView<'a>>,
}

#[derive(Serialize)]
struct NavView<'a> {
    title: &'a str,
    url: &'a str,
    kind: &'static str,
    current: bool,
    open: bool,
    children: Vec<NavView<'a>>,
}

#[derive(Serialize)]
struct PageContext<'a> {
    site: &'a SiteView<'a>,
    root: String,
    page: PageView<'a>,
    breadcrumbs: Vec<LinkView<'a>>,
    prev: Option<LinkView<'a>>,
    next: Option<LinkView<'a>>,
    nav: Vec<NavView<'a>>,
}

/// One HTML page to render: a Markdown page, or a folder without an index page.
#[derive(Clone, Copy)]
enum Unit<'a> {
    Page(&'a Page),
    GeneratedSection(&'a Section),
}

/// Lookups shared by every page of one render.
struct Renderer<'a> {
    site: &'a Site,
    site_view: SiteView<'a>,
    templates: &'a Templates,
    position: HashMap<&'a NavKey, usize>,
    /// Children of every folder in sidebar order (the root is `""`).
    folder_children: HashMap<&'a str, &'a [NavNode]>,
    /// Whether the site is small enough to show its whole tree on every page.
    expand_all: bool,
}

/// Sites with at most this many pages and folders show their whole sidebar tree.
pub const FULL_SIDEBAR_LIMIT: usize = 150;

/// Render every page of the site to `(output path, HTML)`, in output-path order.
pub fn render_pages(
    site: &Site,
    templates: &Templates,
) -> Result<Vec<(String, String)>, Box<Diagnostic>> {
    let mut folder_children: HashMap<&str, &[NavNode]> = HashMap::new();
    folder_children.insert("", &site.nav.tree);
    fn index_children<'a>(nodes: &'a [NavNode], map: &mut HashMap<&'a str, &'a [NavNode]>) {
        for node in nodes {
            if let NavKey::Section(folder) = &node.key {
                map.insert(folder, &node.children);
            }
            index_children(&node.children, map);
        }
    }
    index_children(&site.nav.tree, &mut folder_children);
    let renderer = Renderer {
        site,
        site_view: SiteView {
            title: &site.title,
            description: site.description.as_deref(),
            generator: concat!("playbook ", env!("CARGO_PKG_VERSION")),
            data: &site.data,
        },
        templates,
        position: site
            .nav
            .order
            .iter()
            .enumerate()
            .map(|(i, k)| (k, i))
            .collect(),
        folder_children,
        expand_all: site.nav.order.len() <= FULL_SIDEBAR_LIMIT,
    };
    let mut units: Vec<Unit> = site.pages.values().map(Unit::Page).collect();
    units.extend(
        site.sections
            .values()
            .filter(|s| s.index_page.is_none())
            .map(Unit::GeneratedSection),
    );
    let mut rendered = units
        .par_iter()
        .map(|unit| renderer.render(*unit))
        .collect::<Result<Vec<_>, _>>()?;
    rendered.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(rendered)
}

impl<'a> Renderer<'a> {
    fn render(&self, unit: Unit<'a>) -> Result<(String, String), Box<Diagnostic>> {
        let (key, url) = match unit {
            Unit::Page(page) => (self.key_of(page), page.url.as_str()),
            Unit::GeneratedSection(section) => {
                (NavKey::Section(section.path.clone()), section.url.as_str())
            }
        };
        let kind = match &key {
            NavKey::Section(folder) if folder.is_empty() => "home",
            NavKey::Section(_) => "section",
            NavKey::Page(_) => "page",
        };
        let context = PageContext {
            site: &self.site_view,
            root: root_prefix(url),
            page: self.page_view(unit, &key, kind, url),
            breadcrumbs: self.breadcrumbs(&key),
            prev: self.neighbour(&key, -1),
            next: self.neighbour(&key, 1),
            nav: self.nav_views(&self.site.nav.tree, &key),
        };
        let template = format!("{kind}.html");
        let context = tera::Context::from_serialize(&context)
            .map_err(|e| Box::new(template_diagnostic(&e, &self.templates.sources)))?;
        let html = self
            .templates
            .tera
            .render(&template, &context)
            .map_err(|e| Box::new(template_diagnostic(&e, &self.templates.sources)))?;
        Ok((url.to_string(), html))
    }

    /// A folder's index page stands for its folder in the navigation.
    fn key_of(&self, page: &Page) -> NavKey {
        let folder = crate::routes::parent_dir(&page.source_path);
        match self.site.sections.get(folder) {
            Some(section) if section.index_page.as_deref() == Some(page.source_path.as_str()) => {
                NavKey::Section(folder.to_string())
            }
            _ => NavKey::Page(page.source_path.clone()),
        }
    }

    fn page_view(
        &self,
        unit: Unit<'a>,
        key: &NavKey,
        kind: &'static str,
        url: &'a str,
    ) -> PageView<'a> {
        static NO_EXTRA: BTreeMap<String, serde_json::Value> = BTreeMap::new();
        let children = match key {
            NavKey::Section(folder) => self
                .folder_children
                .get(folder.as_str())
                .copied()
                .unwrap_or(&[]),
            NavKey::Page(_) => &[],
        };
        let children = children
            .iter()
            .map(|node| ChildView {
                title: &node.title,
                url: &node.url,
                description: self.description_of(&node.key),
                kind: if matches!(node.key, NavKey::Section(_)) {
                    "section"
                } else {
                    "page"
                },
            })
            .collect();
        match unit {
            Unit::Page(page) => PageView {
                kind,
                title: &page.title,
                description: page.front.description.as_deref(),
                weight: page.weight,
                roles: &page.front.roles,
                extra: Cow::Borrowed(&page.front.extra),
                source_path: Some(&page.source_path),
                url,
                content: page_content(page),
                toc: page
                    .doc
                    .headings
                    .iter()
                    .filter(|h| matches!(h.level, 2 | 3))
                    .map(|h| TocEntry {
                        level: h.level,
                        id: &h.id,
                        title: &h.text,
                    })
                    .collect(),
                children,
            },
            Unit::GeneratedSection(section) => PageView {
                kind,
                title: &section.title,
                description: None,
                weight: section.weight,
                roles: &[],
                extra: Cow::Borrowed(&NO_EXTRA),
                source_path: None,
                url,
                content: Cow::Borrowed(""),
                toc: Vec::new(),
                children,
            },
        }
    }

    fn description_of(&self, key: &NavKey) -> Option<&'a str> {
        let page = match key {
            NavKey::Page(path) => self.site.pages.get(path),
            NavKey::Section(folder) => self
                .site
                .sections
                .get(folder)?
                .index_page
                .as_ref()
                .and_then(|p| self.site.pages.get(p)),
        };
        page.and_then(|p| p.front.description.as_deref())
    }

    fn link_of(&self, key: &NavKey) -> Option<LinkView<'a>> {
        match key {
            NavKey::Page(path) => self.site.pages.get(path).map(|p| LinkView {
                title: &p.title,
                url: &p.url,
            }),
            NavKey::Section(folder) => self.site.sections.get(folder).map(|s| LinkView {
                title: &s.title,
                url: &s.url,
            }),
        }
    }

    fn neighbour(&self, key: &NavKey, step: isize) -> Option<LinkView<'a>> {
        let position = *self.position.get(key)? as isize + step;
        let key = self.site.nav.order.get(usize::try_from(position).ok()?)?;
        self.link_of(key)
    }

    fn breadcrumbs(&self, key: &NavKey) -> Vec<LinkView<'a>> {
        if *key == NavKey::home() {
            return Vec::new();
        }
        ancestors(&self.site.nav, key)
            .iter()
            .filter_map(|folder| self.link_of(&NavKey::Section(folder.clone())))
            .collect()
    }

    /// The sidebar for one page. A small site shows its whole tree; a big
    /// one opens only the current page's ancestors, so that the sidebars of
    /// all pages together grow with pages × depth, not pages².
    fn nav_views(&self, nodes: &'a [NavNode], current: &NavKey) -> Vec<NavView<'a>> {
        let open_folders: BTreeSet<String> = if self.expand_all {
            self.site.sections.keys().cloned().collect()
        } else {
            ancestors(&self.site.nav, current).into_iter().collect()
        };
        self.nav_level(nodes, current, &open_folders)
    }

    fn nav_level(
        &self,
        nodes: &'a [NavNode],
        current: &NavKey,
        open_folders: &BTreeSet<String>,
    ) -> Vec<NavView<'a>> {
        nodes
            .iter()
            .map(|node| {
                let is_current = node.key == *current;
                let open = is_current
                    || matches!(&node.key, NavKey::Section(f) if open_folders.contains(f));
                NavView {
                    title: &node.title,
                    url: &node.url,
                    kind: if matches!(node.key, NavKey::Section(_)) {
                        "section"
                    } else {
                        "page"
                    },
                    current: is_current,
                    open,
                    children: if open {
                        self.nav_level(&node.children, current, open_folders)
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect()
    }
}

/// A page's HTML, with its title as an `<h1>` when the Markdown has none.
fn page_content(page: &Page) -> Cow<'_, str> {
    if page.doc.headings.iter().any(|h| h.level == 1) {
        Cow::Borrowed(&page.doc.html)
    } else {
        Cow::Owned(format!(
            "<h1 class=\"page-title\">{}</h1>\n{}",
            escape(&page.title),
            page.doc.html
        ))
    }
}

/// A Tera error as a diagnostic in the template file that caused it.
pub fn template_diagnostic(
    err: &tera::Error,
    sources: &BTreeMap<String, TemplateSource>,
) -> Diagnostic {
    let mut messages = vec![err.to_string()];
    let mut cause = std::error::Error::source(err);
    while let Some(c) = cause {
        messages.push(c.to_string());
        cause = c.source();
    }
    // The innermost message names the template that really failed (a base template, say).
    let name = messages
        .iter()
        .rev()
        .find_map(|m| quoted_template(m, sources));
    let source = name.as_ref().and_then(|n| sources.get(n));
    let origin = source.map_or_else(|| "<templates>".to_string(), |s| s.origin.clone());
    let detail = messages.last().cloned().unwrap_or_default();
    let text = source.map_or("", |s| s.text.as_str());
    let span = match parse_position(&detail) {
        Some((line, col)) => {
            let at = crate::diagnostic::offset_of(text, line, col);
            at..at
        }
        None => backticked(&detail)
            .and_then(|needle| text.find(needle).map(|at| at..at + needle.len()))
            .unwrap_or(0..0),
    };
    let summary = detail.lines().next().unwrap_or("").trim().to_string();
    let message = if detail.contains("-->") {
        format!("template syntax error: {}", first_error_line(&detail))
    } else {
        format!("template error: {summary}")
    };
    Diagnostic::error("template", &origin, text, span, message).with_hint(
        "fix the template, or delete it from templates/ to fall back to the built-in one",
    )
}

/// `'page.html'` in a Tera message, when it names a known template.
fn quoted_template(message: &str, sources: &BTreeMap<String, TemplateSource>) -> Option<String> {
    message
        .split('\'')
        .skip(1)
        .step_by(2)
        .find(|name| sources.contains_key(*name))
        .map(str::to_string)
}

/// The first `` `…` `` span of a message (a variable or filter name).
fn backticked(message: &str) -> Option<&str> {
    message.split('`').nth(1).filter(|s| !s.is_empty())
}

/// Tera's parse errors carry ` --> line:col`.
fn parse_position(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("--> ")? + 4..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != ':')
        .unwrap_or(rest.len());
    let (line, col) = rest[..end].split_once(':')?;
    Some((line.parse().ok()?, col.parse().ok()?))
}

/// The explanation line of a Tera parse error (after the source excerpt).
fn first_error_line(detail: &str) -> String {
    detail
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| {
            !l.is_empty()
                && !l.starts_with('|')
                && !l.starts_with("-->")
                && !l.chars().next().is_some_and(|c| c.is_ascii_digit())
        })
        .unwrap_or("")
        .trim_start_matches("= ")
        .to_string()
}
