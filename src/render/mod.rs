//! Turn the Site model into HTML with Tera: one page per Markdown file, one
//! index page per folder, pages rendered in parallel from one compiled
//! template set and borrowed views of the site (nothing is cloned per page).
//!
//! `templates` compiles the template set and explains its errors,
//! `context` holds what templates see, `page` a page's own content (its
//! Markdown's HTML), `navigation` the sidebar and its neighbours, `cache`
//! the pages `serve` keeps between builds.

mod cache;
mod context;
mod guide;
mod navigation;
mod page;
mod templates;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::checklist::{ReleaseType, RoleEntry};
use crate::diagnostic::Diagnostic;
use crate::model::{Document, NavKey, NavNode, Page, Section, Site};
use crate::routes::{relative_url, root_prefix};
use crate::views;
pub use cache::{render_pages_cached, PageCache, RenderedPages};
pub use context::StandalonePrint;
use context::{
    Generated, InlineAssets, PageContext, PageView, ReleaseFill, ReleaseNotesView, RoleSummary,
    RoleView, ScaffoldView, SiteView,
};
pub use navigation::{FULL_SIDEBAR_LIMIT, NAV_LIST_LIMIT};
pub use templates::{template_diagnostic, Templates};

/// A printable checklist as one self-contained HTML file.
pub fn render_standalone_print(
    site: &Site,
    templates: &Templates,
    print: StandalonePrint,
) -> Result<String, Box<Diagnostic>> {
    let url = print_url(print.role);
    let phases = views::for_type(print_phases(site, print.role), print.release_type);
    let title = print_title(print.role);
    let site_view = SiteView::of(site, templates);
    let context = PageContext {
        site: &site_view,
        root: String::new(),
        canonical: None,
        page: PageView::generated("print", &title, None, url.clone(), Vec::new()),
        breadcrumbs: Vec::new(),
        prev: None,
        next: None,
        sidebar: String::new(),
        nav: None,
        generated: Generated {
            role: print.role.map(|r| RoleView::new(r, url.clone())),
            phases: Some(print_phase_views(site, print.role, &phases, &url)),
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
    render_template(templates, "print.html", &context)
}

/// A role's checklist, or the whole release's, in timeline order.
fn print_phases<'a>(site: &'a Site, role: Option<&RoleEntry>) -> Vec<views::Phase<'a>> {
    match role {
        Some(role) => views::role_phases(site, role),
        None => views::phases(site),
    }
}

/// The phases as a printable checklist at `url` shows them.
fn print_phase_views<'a>(
    site: &'a Site,
    role: Option<&RoleEntry>,
    phases: &[views::Phase<'a>],
    url: &str,
) -> Vec<views::PhaseView<'a>> {
    let viewer = role.map(|r| r.id.as_str());
    views::phase_views(site, &site.routes, phases, url, true, viewer)
}

fn print_title(role: Option<&RoleEntry>) -> String {
    match role {
        Some(r) => format!("{} checklist", r.name),
        None => "Release checklist".to_string(),
    }
}

/// A template filled in with a page's context.
fn render_template(
    templates: &Templates,
    name: &str,
    context: &PageContext,
) -> Result<String, Box<Diagnostic>> {
    let context = tera::Context::from_serialize(context)
        .map_err(|e| Box::new(template_diagnostic(&e, &templates.sources)))?;
    templates
        .tera
        .render(name, &context)
        .map_err(|e| Box::new(template_diagnostic(&e, &templates.sources)))
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
    /// Every release run.
    RunsIndex,
    /// One release run.
    Run(&'a crate::runs::Run),
    /// The page servers show for a missing URL, at any depth.
    NotFound,
    /// Every page of the guide on one page, to print.
    GuidePrint,
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
    /// Every checklist phase, found once (it walks every page) for the
    /// role and print pages that show them.
    phases: std::sync::OnceLock<Vec<views::Phase<'a>>>,
    /// Each role's share of them, found in one pass for every role.
    role_phases: std::sync::OnceLock<HashMap<&'a str, Vec<views::Phase<'a>>>>,
}

impl<'a> Renderer<'a> {
    /// The output path of a unit's page (its URL decoded).
    fn url_of(&self, unit: Unit<'a>) -> String {
        unit_url(unit)
    }

    /// The unit's output path and HTML.
    fn render(&self, unit: Unit<'a>) -> Result<(String, String), Box<Diagnostic>> {
        self.render_parsing(unit)
            .map(|(path, html, _)| (path, html))
    }

    /// The unit's output path and HTML, and for a page not parsed before,
    /// its model.
    fn render_parsing(&self, unit: Unit<'a>) -> Result<Rendering, Box<Diagnostic>> {
        let (key, url) = match unit {
            Unit::Page(page) => (self.key_of(page), page.url.clone()),
            Unit::GeneratedSection(section) => {
                (NavKey::Section(section.path.clone()), section.url.clone())
            }
            _ => {
                let url = unit_encoded_url(unit);
                (NavKey::Generated(url.clone()), url)
            }
        };
        let kind = match (&key, unit) {
            (NavKey::Section(folder), _) if folder.is_empty() => "home",
            (NavKey::Section(_), _) => "section",
            (NavKey::Page(_), _) => "page",
            (_, Unit::RolesIndex) => "roles",
            (_, Unit::Role(_)) => "role",
            (_, Unit::Print(_)) => "print",
            (_, Unit::GuidePrint) => "print-guide",
            (_, Unit::NotFound) => "404",
            (_, Unit::RunsIndex) => "runs",
            (_, Unit::Run(_)) => "run",
            _ => "release-notes",
        };
        let url_ref: &str = &url;
        let base_url = self.site.publishing.base_url.as_ref();
        // The 404 page is served in place of any missing URL, at any depth:
        // only absolute links work from everywhere.
        let root = match (unit, base_url) {
            (Unit::NotFound, Some(base)) => base.as_str().to_string(),
            _ => root_prefix(url_ref),
        };
        let nav = self.nav_views(&self.site.nav.tree, &key);
        let sidebar = navigation::sidebar_html(&nav, &root);
        let (page, parsed) = self.page_view(unit, &key, kind, url_ref);
        let context = PageContext {
            site: &self.site_view,
            root,
            canonical: match unit {
                Unit::NotFound => None,
                _ => base_url.map(|base| format!("{}{url_ref}", base.as_str())),
            },
            page,
            breadcrumbs: self.breadcrumbs(&key),
            prev: self.neighbour(&key, -1),
            next: self.neighbour(&key, 1),
            sidebar,
            nav: self.templates.reads_nav.then_some(nav),
            generated: self.generated(unit, url_ref)?,
        };
        let html = render_template(self.templates, &format!("{kind}.html"), &context)?;
        Ok((crate::routes::url_path(&url), html, parsed))
    }

    /// The data a generated page shows.
    fn generated(&self, unit: Unit<'a>, url: &str) -> Result<Generated<'a>, Box<Diagnostic>> {
        let site = self.site;
        Ok(match unit {
            Unit::RolesIndex => Generated {
                roles: Some(self.role_summaries(url)),
                ..Generated::default()
            },
            Unit::Role(role) => Generated {
                role: Some(self.role_view(role, url)),
                phases: Some(views::phase_views(
                    site,
                    &site.routes,
                    &self.role_phases(Some(role)),
                    url,
                    false,
                    Some(&role.id),
                )),
                title: Some(role.name.clone()),
                role_runs: Some(crate::run_pages::role_runs(site, &role.id, url)),
                ..Generated::default()
            },
            Unit::Print(role) => Generated {
                role: role.map(|r| self.role_view(r, url)),
                phases: Some(print_phase_views(site, role, &self.role_phases(role), url)),
                title: Some(print_title(role)),
                ..Generated::default()
            },
            Unit::ReleaseNotes => Generated {
                release_notes: match site.release_notes.as_ref() {
                    Some(spec) => Some(self.release_notes_view(spec)?),
                    None => None,
                },
                ..Generated::default()
            },
            Unit::GuidePrint => Generated {
                guide: Some(self.guide_view()),
                title: Some(site.title.clone()),
                ..Generated::default()
            },
            Unit::NotFound if site.publishing.base_url.is_none() => Generated {
                top_level_json: Some(top_level_json(site)),
                ..Generated::default()
            },
            Unit::RunsIndex => Generated {
                runs: Some(crate::run_pages::summaries(site, url)),
                ..Generated::default()
            },
            Unit::Run(run) => Generated {
                title: Some(crate::run_pages::run_title(run)),
                run: Some(crate::run_pages::run_view(site, run, url)),
                ..Generated::default()
            },
            Unit::Page(_) | Unit::GeneratedSection(_) | Unit::NotFound => Generated::default(),
        })
    }

    /// The scaffold of each release type, from the `release-notes.md` template.
    fn release_notes_view(
        &self,
        spec: &crate::checklist::ReleaseNoteSpec,
    ) -> Result<ReleaseNotesView, Box<Diagnostic>> {
        let types = ReleaseType::ALL.iter().map(|t| {
            let context = crate::release_notes::context(spec, "X.Y.Z", "YYYY-MM-DD", *t);
            Ok(ScaffoldView {
                release_type: t.as_str(),
                markdown: self
                    .templates
                    .render_text(crate::release_notes::TEMPLATE_NAME, &context)?,
            })
        });
        Ok(ReleaseNotesView {
            title: spec.title.clone(),
            types: types.collect::<Result<_, Box<Diagnostic>>>()?,
        })
    }

    /// Every role's card on the roles index.
    fn role_summaries(&self, url: &str) -> Vec<RoleSummary<'a>> {
        let site = self.site;
        site.embeds
            .roles
            .all()
            .iter()
            .map(|r| {
                let phases = self.role_phases(Some(r));
                RoleSummary {
                    id: &r.id,
                    name: &r.name,
                    aliases: &r.aliases,
                    summary: &r.summary,
                    url: relative_url(url, &crate::routes::role_url(&r.id)),
                    item_count: phases.iter().map(|p| p.items.len()).sum(),
                    stages: views::stage_counts(&phases),
                    first_items: views::first_items(&phases, 3),
                }
            })
            .collect()
    }

    /// The phases with the items `role` owns; every item without one.
    fn role_phases(&self, role: Option<&RoleEntry>) -> Vec<views::Phase<'a>> {
        let all = self.phases.get_or_init(|| views::phases(self.site));
        match role {
            Some(role) => self
                .role_phases
                .get_or_init(|| views::by_role(self.site, all))
                .get(role.id.as_str())
                .cloned()
                .unwrap_or_default(),
            None => all.clone(),
        }
    }

    fn role_view(&self, role: &'a RoleEntry, url: &str) -> RoleView<'a> {
        let phases = self.role_phases(Some(role));
        RoleView {
            stages: views::stage_counts(&phases),
            first_items: views::first_items(&phases, 3),
            ..RoleView::new(role, relative_url(url, &print_url(Some(role))))
        }
    }
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

/// The whole guide's page alone, when the build makes it: for `serve`,
/// after an edit to a page it prints.
pub fn render_guide_print(
    site: &Site,
    templates: &Templates,
) -> Option<Result<(String, String), Box<Diagnostic>>> {
    crate::print_guide::printed(site)
        .then(|| Renderer::new(site, templates).render(Unit::GuidePrint))
}

/// Where a page went wrong while rendering into a sink.
#[derive(Debug)]
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
    render_units_into(site, templates, units(site), emit)
}

/// [`render_pages_into`], but for the Markdown pages: the pages the build
/// makes (folders, roles, printable checklists, runs, 404), after
/// [`render_unparsed_pages`] rendered those.
pub fn render_generated_pages_into(
    site: &Site,
    templates: &Templates,
    emit: &(dyn Fn(&str, String) -> anyhow::Result<()> + Sync),
) -> Result<usize, RenderError> {
    let mut units = units(site);
    units.retain(|unit| !matches!(unit, Unit::Page(_)));
    render_units_into(site, templates, units, emit)
}

fn render_units_into(
    site: &Site,
    templates: &Templates,
    units: Vec<Unit>,
    emit: &(dyn Fn(&str, String) -> anyhow::Result<()> + Sync),
) -> Result<usize, RenderError> {
    let renderer = Renderer::new(site, templates);
    units.par_iter().try_for_each(|unit| {
        let (url, html) = renderer.render(*unit).map_err(RenderError::Template)?;
        emit(&url, html).map_err(RenderError::Output)
    })?;
    Ok(units.len())
}

/// Render and emit the Markdown pages not parsed yet ([`Page::unparsed`]),
/// each parsed once for its HTML and its model. Nothing a Markdown page
/// shows depends on another page's Markdown, only on titles, which the
/// site has. Returns each page's model by source path, for
/// [`Site::take_in_parsed`] before the pages that do depend on them (roles,
/// printable checklists, runs) are rendered.
pub fn render_unparsed_pages(
    site: &Site,
    templates: &Templates,
    emit: &(dyn Fn(&str, String) -> anyhow::Result<()> + Sync),
) -> Result<Vec<(String, Document)>, RenderError> {
    let renderer = Renderer::new(site, templates);
    let pages: Vec<&Page> = site.pages.values().filter(|p| p.unparsed).collect();
    pages
        .par_iter()
        .map(|page| {
            let (url, html, doc) = renderer
                .render_parsing(Unit::Page(page))
                .map_err(RenderError::Template)?;
            emit(&url, html).map_err(RenderError::Output)?;
            Ok((page.source_path.clone(), doc.unwrap_or_default()))
        })
        .collect()
}

/// A unit's output path, HTML, and model when it was a page parsed now.
type Rendering = (String, String, Option<Document>);

/// The URL of a unit's page.
fn unit_encoded_url(unit: Unit) -> String {
    match unit {
        Unit::Page(page) => page.url.clone(),
        Unit::GeneratedSection(section) => section.url.clone(),
        Unit::RolesIndex => crate::routes::ROLES_INDEX_URL.into(),
        Unit::Role(role) => crate::routes::role_url(&role.id),
        Unit::Print(role) => print_url(role),
        Unit::ReleaseNotes => crate::routes::RELEASE_NOTES_URL.into(),
        Unit::RunsIndex => crate::routes::RUNS_INDEX_URL.into(),
        Unit::Run(run) => crate::routes::run_url(&run.version.to_string()),
        Unit::NotFound => crate::routes::NOT_FOUND_URL.into(),
        Unit::GuidePrint => crate::print_guide::GUIDE_PRINT_URL.into(),
    }
}

/// The output path of a unit's page (its URL decoded).
fn unit_url(unit: Unit) -> String {
    crate::routes::url_path(&unit_encoded_url(unit))
}

/// The absolute URL of every page a search engine should list (not the
/// printable copies, the whole guide's included, nor the 404 page), sorted:
/// for `sitemap.xml`.
pub fn sitemap_urls(site: &Site, base_url: &str) -> Vec<String> {
    let mut urls: Vec<String> = units(site)
        .into_iter()
        .filter(|unit| !matches!(unit, Unit::Print(_) | Unit::GuidePrint | Unit::NotFound))
        .map(|unit| format!("{base_url}{}", crate::routes::encode_path(&unit_url(unit))))
        .collect();
    urls.sort();
    urls
}

/// The names of the folders at the root of the built site (of its pages,
/// its assets, `theme` and `search`), sorted, as a JSON array that is safe
/// inside a `<script>`: the 404 page finds the site's root by them. Files
/// are left out (a site may have thousands at its root): a missing URL
/// beside them is found by its own folder.
fn top_level_json(site: &Site) -> String {
    let mut names: std::collections::BTreeSet<String> = units(site)
        .into_iter()
        .map(unit_url)
        .chain(site.assets.iter().map(|a| a.rel_path.clone()))
        .filter_map(|path| path.split_once('/').map(|(folder, _)| folder.to_string()))
        .collect();
    names.extend(["theme", "search"].map(String::from));
    let json = serde_json::to_string(&names).unwrap_or_else(|_| "[]".to_string());
    json.replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
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
                Unit::RunsIndex => "the index of release runs".to_string(),
                Unit::Run(run) => format!(
                    "the page of the release run {}",
                    crate::routes::run_url(&run.version.to_string())
                ),
                Unit::NotFound => "the 404 page, shown for any missing URL".to_string(),
                Unit::GuidePrint => "the printable copy of the whole guide".to_string(),
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
    if crate::print_guide::printed(site) {
        units.push(Unit::GuidePrint);
    }
    if site
        .nav
        .generated
        .contains_key(crate::routes::RUNS_INDEX_URL)
    {
        units.push(Unit::RunsIndex);
        units.extend(
            crate::run_pages::newest_first(site.runs.values())
                .into_iter()
                .map(Unit::Run),
        );
    }
    units.push(Unit::NotFound);
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
            site_view: SiteView::of(site, templates),
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
            phases: std::sync::OnceLock::new(),
            role_phases: std::sync::OnceLock::new(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A site loaded from `files` (content-relative path, text), its
    /// templates, and the folder that holds it (kept alive by the caller).
    pub(crate) fn site(files: &[(&str, &str)]) -> (Site, Templates, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join("content").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let config = crate::config::Config::new(&crate::config::Paths {
            root: dir.path().to_path_buf(),
            ..Default::default()
        })
        .unwrap();
        let site = crate::site_load::load_site(&config).unwrap();
        let templates = crate::build::compile_templates(&config).unwrap();
        (site, templates, dir)
    }

    /// Every page of `site` rendered: output path → HTML.
    fn rendered(site: &Site, templates: &Templates) -> std::collections::BTreeMap<String, String> {
        let made = std::sync::Mutex::new(std::collections::BTreeMap::new());
        render_pages_into(site, templates, &|path, html| {
            made.lock().unwrap().insert(path.to_string(), html);
            Ok(())
        })
        .unwrap();
        made.into_inner().unwrap()
    }

    #[test]
    fn a_template_drawing_its_own_sidebar_from_nav_draws_the_built_in_one() {
        // Big enough for a windowed sidebar ("… earlier", "… more") and nesting.
        let mut files: Vec<(String, String)> = vec![("index.md".into(), "# Home\n".into())];
        for folder in ["a", "b c"] {
            files.push((format!("{folder}/index.md"), format!("# {folder}\n")));
            for i in 0..90 {
                files.push((
                    format!("{folder}/p{i:02}.md"),
                    format!("# Page \"{i}\" & co\n"),
                ));
            }
            files.push((format!("{folder}/deep/x.md"), "# X\n".into()));
        }
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let (built_in_site, templates, _dir) = site(&files);
        assert!(!templates.reads_nav);
        let built_in = rendered(&built_in_site, &templates);

        // The base template as it was when Tera drew the sidebar from `nav`.
        let (_, _, dir) = site(&files);
        let own = dir.path().join("templates");
        std::fs::create_dir_all(&own).unwrap();
        std::fs::write(
            own.join("base.html"),
            include_str!("testdata/base-drawing-nav.html"),
        )
        .unwrap();
        let config = crate::config::Config::new(&crate::config::Paths {
            root: dir.path().to_path_buf(),
            ..Default::default()
        })
        .unwrap();
        let drawing = crate::build::compile_templates(&config).unwrap();
        assert!(drawing.reads_nav);
        let own_site = crate::site_load::load_site(&config).unwrap();
        let drawn = rendered(&own_site, &drawing);

        assert_eq!(built_in.len(), drawn.len());
        let page = &built_in["a/p50.html"];
        for expected in [
            "earlier pages</a>",
            "more pages</a>",
            "aria-current=\"page\">Page &quot;50&quot; &amp; co</a>",
            "href=\"../b%20c/index.html\"",
        ] {
            assert!(page.contains(expected), "{expected} in {page}");
        }
        for (path, html) in &built_in {
            assert_eq!(html, &drawn[path], "{path}");
        }
    }

    #[test]
    fn every_page_once_in_order_with_its_output_path() {
        let (site, templates, _dir) = site(&[
            ("index.md", "# Home\n"),
            ("guide/b.md", "# B\n"),
            ("guide/a b.md", "# A\n"),
        ]);
        let made = std::sync::Mutex::new(Vec::new());
        let count = render_pages_into(&site, &templates, &|path, html| {
            made.lock().unwrap().push((path.to_string(), html));
            Ok(())
        })
        .unwrap();
        let mut made = made.into_inner().unwrap();
        made.sort();
        let paths: Vec<&str> = made.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(count, made.len());
        assert_eq!(
            paths,
            [
                "404.html",
                "guide/a b.html",
                "guide/b.html",
                "guide/index.html",
                "index.html",
                "print/guide.html"
            ]
        );
        let outputs: Vec<String> = page_outputs(&site).into_iter().map(|(p, _)| p).collect();
        for path in paths {
            assert!(outputs.iter().any(|o| o == path), "{path} in {outputs:?}");
        }
    }

    #[test]
    fn one_page_alone_is_the_same_as_in_the_whole_render() {
        let (site, templates, _dir) = site(&[
            ("index.md", "# Home\n\nSee [g](g.md).\n"),
            ("g.md", "# G\n"),
        ]);
        let page = &site.pages["index.md"];
        let (url, alone) = render_page(&site, &templates, page).unwrap();
        let whole = std::sync::Mutex::new(std::collections::BTreeMap::new());
        render_pages_into(&site, &templates, &|path, html| {
            whole.lock().unwrap().insert(path.to_string(), html);
            Ok(())
        })
        .unwrap();
        assert_eq!(whole.into_inner().unwrap()[&url], alone);
        assert!(alone.contains("href=\"g.html\""), "{alone}");
    }
}
