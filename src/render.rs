//! Turn the Site model into HTML with Tera: one page per Markdown file, one
//! index page per folder, pages rendered in parallel from one compiled
//! template set and borrowed views of the site (nothing is cloned per page).

use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Tera;

use crate::checklist::{ReleaseType, RoleEntry};
use crate::diagnostic::Diagnostic;
use crate::highlight::escape;
use crate::markdown::{Output, PageRef, ParseContext};
use crate::model::{NavKey, NavNode, Page, Section, Site};
use crate::nav::ancestors;
use crate::routes::{relative_url, root_prefix};
use crate::theme::TemplateSource;
use crate::views::{self, PhaseView};

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
    url: String,
    content: Cow<'a, str>,
    toc: Vec<TocEntry<'a>>,
    children: Vec<ChildView<'a>>,
}

#[derive(Serialize)]
struct NavView<'a> {
    title: &'a str,
    url: &'a str,
    kind: &'static str,
    /// For `kind == "more"`: how many entries the link stands for.
    more: String,
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
    /// What generated pages show (null elsewhere).
    #[serde(flatten)]
    generated: Generated<'a>,
}

/// The data of the pages made from checklists, roles and the release-note spec.
#[derive(Serialize, Default)]
struct Generated<'a> {
    roles: Option<Vec<RoleSummary<'a>>>,
    role: Option<RoleView<'a>>,
    phases: Option<Vec<PhaseView<'a>>>,
    release_notes: Option<ReleaseNotesView>,
    title: Option<String>,
    /// A release filled in ahead (the `checklist` command): version and type.
    release: Option<ReleaseFill>,
    /// Theme CSS and JS to inline, so a printable page stands alone.
    inline: Option<InlineAssets>,
}

#[derive(Serialize)]
struct ReleaseFill {
    version: Option<String>,
    #[serde(rename = "type")]
    release_type: Option<&'static str>,
}

#[derive(Serialize)]
struct InlineAssets {
    css: String,
    js: String,
}

/// What `playbook checklist --format html` prints.
pub struct StandalonePrint<'a> {
    pub role: Option<&'a RoleEntry>,
    pub release_type: Option<ReleaseType>,
    pub version: Option<String>,
    pub css: String,
    pub js: String,
}

/// A printable checklist as one self-contained HTML file.
pub fn render_standalone_print(
    site: &Site,
    templates: &Templates,
    print: StandalonePrint,
) -> Result<String, Box<Diagnostic>> {
    let routes = &site.routes;
    let url = print_url(print.role);
    let phases = match print.role {
        Some(role) => views::role_phases(site, role),
        None => views::phases(site),
    };
    let phases = views::for_type(phases, print.release_type);
    let title = match print.role {
        Some(r) => format!("{} checklist", r.name),
        None => "Release checklist".to_string(),
    };
    let site_view = SiteView {
        title: &site.title,
        description: site.description.as_deref(),
        generator: concat!("playbook ", env!("CARGO_PKG_VERSION")),
        data: &site.data,
    };
    static NO_EXTRA: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let context = PageContext {
        site: &site_view,
        root: String::new(),
        page: PageView {
            kind: "print",
            title: &title,
            description: None,
            weight: None,
            roles: &[],
            extra: Cow::Borrowed(&NO_EXTRA),
            source_path: None,
            url: url.clone(),
            content: Cow::Borrowed(""),
            toc: Vec::new(),
            children: Vec::new(),
        },
        breadcrumbs: Vec::new(),
        prev: None,
        next: None,
        nav: Vec::new(),
        generated: Generated {
            role: print.role.map(|r| RoleView {
                id: &r.id,
                name: &r.name,
                aliases: &r.aliases,
                summary: &r.summary,
                responsibilities: &r.responsibilities,
                print_url: url.clone(),
            }),
            phases: Some(views::phase_views(site, routes, &phases, &url, true)),
            title: Some(title.clone()),
            release: Some(ReleaseFill {
                version: print.version,
                release_type: print.release_type.map(ReleaseType::as_str),
            }),
            inline: Some(InlineAssets {
                css: print.css,
                js: print.js,
            }),
            ..Generated::default()
        },
    };
    let context = tera::Context::from_serialize(&context)
        .map_err(|e| Box::new(template_diagnostic(&e, &templates.sources)))?;
    templates
        .tera
        .render("print.html", &context)
        .map_err(|e| Box::new(template_diagnostic(&e, &templates.sources)))
}

#[derive(Serialize)]
struct RoleSummary<'a> {
    id: &'a str,
    name: &'a str,
    aliases: &'a [String],
    summary: &'a str,
    url: String,
    item_count: usize,
}

#[derive(Serialize)]
struct RoleView<'a> {
    id: &'a str,
    name: &'a str,
    aliases: &'a [String],
    summary: &'a str,
    responsibilities: &'a [String],
    print_url: String,
}

#[derive(Serialize)]
struct ReleaseNotesView {
    title: String,
    types: Vec<ScaffoldView>,
}

#[derive(Serialize)]
struct ScaffoldView {
    #[serde(rename = "type")]
    release_type: &'static str,
    markdown: String,
}

/// One HTML page to render.
#[derive(Clone, Copy)]
enum Unit<'a> {
    Page(&'a Page),
    /// A folder without an index page.
    GeneratedSection(&'a Section),
    RolesIndex,
    Role(&'a RoleEntry),
    /// The printable checklist of one role, or of the whole release.
    Print(Option<&'a RoleEntry>),
    ReleaseNotes,
}

/// Where the printable checklists go.
pub fn print_url(role: Option<&RoleEntry>) -> String {
    crate::routes::encode_path(&format!(
        "print/{}.html",
        role.map_or("all", |r| r.id.as_str())
    ))
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

/// Pages as `(output path, HTML)`, shared with the cache that keeps them.
pub type RenderedPages = Vec<(String, Arc<[u8]>)>;

/// Rendered pages kept between builds: output path → (fingerprint of
/// everything the page depends on, its HTML).
#[derive(Default)]
pub struct PageCache {
    pages: HashMap<String, (u64, Arc<[u8]>)>,
}

/// Render every page, reusing the cached HTML of pages whose inputs did not
/// change. A page depends on its own source, on everything every page shows
/// (templates, site settings, data files, the navigation with every title
/// and description), and, when it embeds one, on the checklists and roles;
/// generated pages depend on those too. Returns the pages and how many were
/// rendered.
pub fn render_pages_cached(
    site: &Site,
    templates: &Templates,
    cache: &mut PageCache,
) -> Result<(RenderedPages, usize), Box<Diagnostic>> {
    let renderer = Renderer::new(site, templates);
    let units = units(site);
    let (everywhere, checklists) = shared_fingerprints(site, templates);
    let fingerprint = |unit: &Unit| -> u64 {
        let mut hasher = DefaultHasher::new();
        everywhere.hash(&mut hasher);
        match unit {
            Unit::Page(page) => {
                page.text.hash(&mut hasher);
                page.source_path.hash(&mut hasher);
                if !page.doc.embeds.is_empty() {
                    checklists.hash(&mut hasher);
                }
            }
            Unit::GeneratedSection(section) => section.path.hash(&mut hasher),
            _ => checklists.hash(&mut hasher),
        }
        hasher.finish()
    };
    let results = units
        .par_iter()
        .map(|unit| {
            let print = fingerprint(unit);
            let url = renderer.url_of(*unit);
            match cache.pages.get(&url) {
                Some((cached, html)) if *cached == print => {
                    Ok((url, print, Arc::clone(html), false))
                }
                _ => renderer
                    .render(*unit)
                    .map(|(url, html)| (url, print, Arc::from(html.into_bytes()), true)),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let rendered = results.iter().filter(|r| r.3).count();
    cache.pages = results
        .iter()
        .map(|(url, print, html, _)| (url.clone(), (*print, Arc::clone(html))))
        .collect();
    let mut pages: RenderedPages = results
        .into_iter()
        .map(|(url, _, html, _)| (url, html))
        .collect();
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((pages, rendered))
}

/// Fingerprints of what every page shows, and of the checklists and roles.
fn shared_fingerprints(site: &Site, templates: &Templates) -> (u64, u64) {
    let mut everywhere = DefaultHasher::new();
    for (name, source) in &templates.sources {
        (name, &source.text).hash(&mut everywhere);
    }
    (&site.title, &site.description).hash(&mut everywhere);
    // Data files matter to every page only if some template reads them.
    if templates
        .sources
        .values()
        .any(|t| t.text.contains("site.data"))
    {
        serde_json::to_string(&site.data)
            .unwrap_or_default()
            .hash(&mut everywhere);
    }
    fn nav(nodes: &[NavNode], hasher: &mut DefaultHasher) {
        for node in nodes {
            (&node.key, &node.title, &node.url).hash(hasher);
            nav(&node.children, hasher);
        }
    }
    nav(&site.nav.tree, &mut everywhere);
    for page in site.pages.values() {
        (&page.front.description, &page.url).hash(&mut everywhere);
    }
    let mut checklists = DefaultHasher::new();
    serde_json::to_string(&site.embeds.checklists)
        .unwrap_or_default()
        .hash(&mut checklists);
    serde_json::to_string(site.embeds.roles.all())
        .unwrap_or_default()
        .hash(&mut checklists);
    serde_json::to_string(&site.release_notes)
        .unwrap_or_default()
        .hash(&mut checklists);
    (everywhere.finish(), checklists.finish())
}

impl<'a> Renderer<'a> {
    /// The output path of a unit's page (its URL decoded).
    fn url_of(&self, unit: Unit<'a>) -> String {
        unit_url(unit)
    }

    /// The unit's output path and HTML.
    fn render(&self, unit: Unit<'a>) -> Result<(String, String), Box<Diagnostic>> {
        let (key, url): (NavKey, String) = match unit {
            Unit::Page(page) => (self.key_of(page), page.url.clone()),
            Unit::GeneratedSection(section) => {
                (NavKey::Section(section.path.clone()), section.url.clone())
            }
            Unit::RolesIndex => (
                NavKey::Generated(crate::routes::ROLES_INDEX_URL.into()),
                crate::routes::ROLES_INDEX_URL.into(),
            ),
            Unit::Role(role) => {
                let url = crate::routes::role_url(&role.id);
                (NavKey::Generated(url.clone()), url)
            }
            Unit::Print(role) => {
                let url = print_url(role);
                (NavKey::Generated(url.clone()), url)
            }
            Unit::ReleaseNotes => (
                NavKey::Generated(crate::routes::RELEASE_NOTES_URL.into()),
                crate::routes::RELEASE_NOTES_URL.into(),
            ),
        };
        let kind = match (&key, unit) {
            (NavKey::Section(folder), _) if folder.is_empty() => "home",
            (NavKey::Section(_), _) => "section",
            (NavKey::Page(_), _) => "page",
            (_, Unit::RolesIndex) => "roles",
            (_, Unit::Role(_)) => "role",
            (_, Unit::Print(_)) => "print",
            _ => "release-notes",
        };
        let url_ref: &str = &url;
        let context = PageContext {
            site: &self.site_view,
            root: root_prefix(url_ref),
            page: self.page_view(unit, &key, kind, url_ref),
            breadcrumbs: self.breadcrumbs(&key),
            prev: self.neighbour(&key, -1),
            next: self.neighbour(&key, 1),
            nav: self.nav_views(&self.site.nav.tree, &key),
            generated: self.generated(unit, url_ref),
        };
        let template = format!("{kind}.html");
        let context = tera::Context::from_serialize(&context)
            .map_err(|e| Box::new(template_diagnostic(&e, &self.templates.sources)))?;
        let html = self
            .templates
            .tera
            .render(&template, &context)
            .map_err(|e| Box::new(template_diagnostic(&e, &self.templates.sources)))?;
        Ok((crate::routes::url_path(&url), html))
    }

    /// The data a generated page shows.
    fn generated(&self, unit: Unit<'a>, url: &str) -> Generated<'a> {
        let site = self.site;
        match unit {
            Unit::RolesIndex => Generated {
                roles: Some(
                    site.embeds
                        .roles
                        .all()
                        .iter()
                        .map(|r| RoleSummary {
                            id: &r.id,
                            name: &r.name,
                            aliases: &r.aliases,
                            summary: &r.summary,
                            url: relative_url(url, &crate::routes::role_url(&r.id)),
                            item_count: views::role_phases(site, r)
                                .iter()
                                .map(|p| p.items.len())
                                .sum(),
                        })
                        .collect(),
                ),
                ..Generated::default()
            },
            Unit::Role(role) => Generated {
                role: Some(self.role_view(role, url)),
                phases: Some(views::phase_views(
                    site,
                    &self.site.routes,
                    &views::role_phases(site, role),
                    url,
                    false,
                )),
                title: Some(role.name.clone()),
                ..Generated::default()
            },
            Unit::Print(role) => Generated {
                role: role.map(|r| self.role_view(r, url)),
                phases: Some(match role {
                    Some(r) => views::phase_views(
                        site,
                        &self.site.routes,
                        &views::role_phases(site, r),
                        url,
                        true,
                    ),
                    None => {
                        views::phase_views(site, &self.site.routes, &views::phases(site), url, true)
                    }
                }),
                title: Some(match role {
                    Some(r) => format!("{} checklist", r.name),
                    None => "Release checklist".to_string(),
                }),
                ..Generated::default()
            },
            Unit::ReleaseNotes => Generated {
                release_notes: site.release_notes.as_ref().map(|spec| ReleaseNotesView {
                    title: spec.title.clone(),
                    types: ReleaseType::ALL
                        .iter()
                        .map(|t| ScaffoldView {
                            release_type: t.as_str(),
                            markdown: crate::release_notes::scaffold(
                                spec,
                                "X.Y.Z",
                                "YYYY-MM-DD",
                                *t,
                            ),
                        })
                        .collect(),
                }),
                ..Generated::default()
            },
            Unit::Page(_) | Unit::GeneratedSection(_) => Generated::default(),
        }
    }

    fn role_view(&self, role: &'a RoleEntry, url: &str) -> RoleView<'a> {
        RoleView {
            id: &role.id,
            name: &role.name,
            aliases: &role.aliases,
            summary: &role.summary,
            responsibilities: &role.responsibilities,
            print_url: relative_url(url, &print_url(Some(role))),
        }
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
        url: &str,
    ) -> PageView<'a> {
        static NO_EXTRA: BTreeMap<String, serde_json::Value> = BTreeMap::new();
        let children = match key {
            NavKey::Section(folder) => self
                .folder_children
                .get(folder.as_str())
                .copied()
                .unwrap_or(&[]),
            NavKey::Generated(url) => self
                .site
                .nav
                .tree
                .iter()
                .find(|n| n.url == *url)
                .map_or(&[][..], |n| &n.children),
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
                url: url.to_string(),
                content: Cow::Owned(page_content(
                    page,
                    &ParseContext {
                        routes: &self.site.routes,
                        embeds: &self.site.embeds,
                        output: Output::Html,
                        trusted_html: self.site.embeds.trusted_html,
                        max_nesting: self.site.max_nesting,
                    },
                )),
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
                url: url.to_string(),
                content: Cow::Borrowed(""),
                toc: Vec::new(),
                children,
            },
            _ => PageView {
                kind,
                title: self.link_of(key).map_or("", |l| l.title),
                description: None,
                weight: None,
                roles: &[],
                extra: Cow::Borrowed(&NO_EXTRA),
                source_path: None,
                url: url.to_string(),
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
            NavKey::Generated(_) => None,
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
            NavKey::Generated(url) => self
                .site
                .nav
                .generated
                .get_key_value(url)
                .map(|(url, title)| LinkView { title, url }),
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
        if let NavKey::Generated(url) = key {
            let roles_index = NavKey::Generated(crate::routes::ROLES_INDEX_URL.to_string());
            let mut crumbs: Vec<LinkView<'a>> = self.link_of(&NavKey::home()).into_iter().collect();
            if url.starts_with("roles/") && *key != roles_index {
                crumbs.extend(self.link_of(&roles_index));
            }
            return crumbs;
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
        self.nav_level(nodes, "index.html", current, &open_folders)
    }

    fn nav_level(
        &self,
        nodes: &'a [NavNode],
        parent_url: &'a str,
        current: &NavKey,
        open_folders: &BTreeSet<String>,
    ) -> Vec<NavView<'a>> {
        let is_open = |node: &NavNode| {
            node.key == *current
                || matches!(&node.key, NavKey::Section(f) if open_folders.contains(f))
                // Generated groups (Roles) open like folders: on small sites, or around the current page.
                || matches!(node.key, NavKey::Generated(_))
                    && (self.expand_all || node.children.iter().any(|c| c.key == *current))
        };
        let (shown, before, after) = nav_window(nodes, |node| {
            node.key == *current
                || matches!(&node.key, NavKey::Section(f) if open_folders.contains(f))
        });
        let more = |count: usize, direction: &str| NavView {
            title: "",
            url: parent_url,
            kind: "more",
            more: format!(
                "{count} {direction} {}",
                if count == 1 { "page" } else { "pages" }
            ),
            current: false,
            open: false,
            children: Vec::new(),
        };
        let mut views = Vec::with_capacity(shown.len() + 2);
        if before > 0 {
            views.push(more(before, "earlier"));
        }
        views.extend(shown.iter().map(|node| {
            let open = is_open(node);
            NavView {
                title: &node.title,
                url: &node.url,
                kind: if matches!(node.key, NavKey::Section(_)) {
                    "section"
                } else {
                    "page"
                },
                more: String::new(),
                current: node.key == *current,
                open,
                children: if open {
                    self.nav_level(&node.children, &node.url, current, open_folders)
                } else {
                    Vec::new()
                },
            }
        }));
        if after > 0 {
            views.push(more(after, "more"));
        }
        views
    }
}

/// Sidebar lists longer than this show a window around the current page
/// and a link to the folder for the rest: a sidebar that lists every
/// sibling makes a big folder's output grow with the square of its pages.
pub const NAV_LIST_LIMIT: usize = 40;
/// Entries shown on each side of the current page in a long list.
const NAV_WINDOW_RADIUS: usize = 7;

/// The entries of a sidebar list to show, and how many are left out before
/// and after them. `is_pivot` marks the current page or its ancestor.
fn nav_window(
    nodes: &[NavNode],
    is_pivot: impl Fn(&NavNode) -> bool,
) -> (&[NavNode], usize, usize) {
    if nodes.len() <= NAV_LIST_LIMIT {
        return (nodes, 0, 0);
    }
    let pivot = nodes.iter().position(is_pivot).unwrap_or(0);
    let width = 2 * NAV_WINDOW_RADIUS + 1;
    let start = pivot
        .saturating_sub(NAV_WINDOW_RADIUS)
        .min(nodes.len() - width);
    let end = start + width;
    (&nodes[start..end], start, nodes.len() - end)
}

/// A page's HTML, with its title as an `<h1>` when the Markdown has none.
/// The first pass kept only the model, so the Markdown is parsed again here,
/// one page at a time, rather than holding every page's HTML at once.
fn page_content(page: &Page, context: &ParseContext) -> String {
    let page_ref = PageRef {
        source_path: &page.source_path,
        url: &page.url,
        body_start: page.body_start,
        file_text: &page.text,
    };
    let body = page.text.get(page.body_start..).unwrap_or_default();
    let html = crate::markdown::parse(&page_ref, context, body).html;
    if page.doc.headings.iter().any(|h| h.level == 1) {
        html
    } else {
        format!(
            "<h1 class=\"page-title\">{}</h1>\n{html}",
            escape(&page.title)
        )
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

/// Render one source page alone: for `serve`, after an edit that changed
/// nothing other pages show.
pub fn render_page(
    site: &Site,
    templates: &Templates,
    page: &Page,
) -> Result<(String, String), Box<Diagnostic>> {
    Renderer::new(site, templates).render(Unit::Page(page))
}

/// Where a page went wrong while rendering into a sink.
pub enum RenderError {
    Template(Box<Diagnostic>),
    Output(anyhow::Error),
}

/// Render every page and hand each to `emit` (output path, HTML) as soon as
/// it is made, in parallel: the build writes them straight to disk, so the
/// HTML of a big site is never all in memory. Returns how many pages.
pub fn render_pages_into(
    site: &Site,
    templates: &Templates,
    emit: &(dyn Fn(&str, String) -> anyhow::Result<()> + Sync),
) -> Result<usize, RenderError> {
    let renderer = Renderer::new(site, templates);
    let units = units(site);
    units.par_iter().try_for_each(|unit| {
        let (url, html) = renderer.render(*unit).map_err(RenderError::Template)?;
        emit(&url, html).map_err(RenderError::Output)
    })?;
    Ok(units.len())
}

/// The output path of a unit's page (its URL decoded).
fn unit_url(unit: Unit) -> String {
    crate::routes::url_path(&match unit {
        Unit::Page(page) => page.url.clone(),
        Unit::GeneratedSection(section) => section.url.clone(),
        Unit::RolesIndex => crate::routes::ROLES_INDEX_URL.into(),
        Unit::Role(role) => crate::routes::role_url(&role.id),
        Unit::Print(role) => print_url(role),
        Unit::ReleaseNotes => crate::routes::RELEASE_NOTES_URL.into(),
    })
}

/// Every HTML page the build renders: its output path and what makes it,
/// so that a content file taking one of these paths is reported.
pub fn page_outputs(site: &Site) -> Vec<(String, String)> {
    let prefix = &site.display_prefix;
    let roles = format!("{prefix}{}", crate::structured::ROLES_FILE);
    units(site)
        .into_iter()
        .map(|unit| {
            let origin = match unit {
                Unit::Page(page) => format!("the page {prefix}{}", page.source_path),
                Unit::GeneratedSection(section) => {
                    format!("the generated page of the folder {prefix}{}", section.path)
                }
                Unit::RolesIndex => format!("the roles index made from {roles}"),
                Unit::Role(role) => format!("the page of the role `{}` in {roles}", role.id),
                Unit::Print(Some(role)) => {
                    format!("the printable checklist of the role `{}`", role.id)
                }
                Unit::Print(None) => "the printable checklist of every role".to_string(),
                Unit::ReleaseNotes => format!(
                    "the release-notes page made from {prefix}{}",
                    crate::structured::RELEASE_NOTES_FILE
                ),
            };
            (unit_url(unit), origin)
        })
        .collect()
}

/// Every page the site has: sources, folder pages, and generated ones.
fn units(site: &Site) -> Vec<Unit<'_>> {
    let mut units: Vec<Unit> = site.pages.values().map(Unit::Page).collect();
    units.extend(
        site.sections
            .values()
            .filter(|s| s.index_page.is_none())
            .map(Unit::GeneratedSection),
    );
    let roles = site.embeds.roles.all();
    if site
        .nav
        .generated
        .contains_key(crate::routes::ROLES_INDEX_URL)
    {
        units.push(Unit::RolesIndex);
        units.extend(roles.iter().map(Unit::Role));
        units.extend(roles.iter().map(|r| Unit::Print(Some(r))));
    }
    if !site.embeds.checklists.is_empty() {
        units.push(Unit::Print(None));
    }
    if site
        .nav
        .generated
        .contains_key(crate::routes::RELEASE_NOTES_URL)
    {
        units.push(Unit::ReleaseNotes);
    }
    units
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, templates: &'a Templates) -> Renderer<'a> {
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
        Renderer {
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
        }
    }
}
