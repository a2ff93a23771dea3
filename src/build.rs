//! The build, step by step: load the content into a Site, render it, write
//! it. `load_site` is shared with every command that needs the model.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Sources};
use crate::frontmatter::{self, FrontMatter};
use crate::markdown::{self, PageRef, ParseContext};
use crate::model::{Document, Page, Site};
use crate::render::{self, Templates};
use crate::routes::{page_url, Routes};
use crate::write::Staging;
use crate::{highlight, load, nav, search, structured, theme};

/// Why a build did not produce a site.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the user's files; `sources` holds their texts for display.
    Invalid {
        diagnostics: Vec<Diagnostic>,
        sources: Sources,
    },
    /// Anything else: the output cannot be written, a folder cannot be read, ...
    Io(anyhow::Error),
}

impl From<anyhow::Error> for BuildError {
    fn from(err: anyhow::Error) -> Self {
        BuildError::Io(err)
    }
}

impl BuildError {
    fn invalid(diagnostics: Vec<Diagnostic>, sources: Sources) -> Self {
        BuildError::Invalid {
            diagnostics,
            sources,
        }
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// What `check` found that did not stop the build (warnings, or errors with --allow-broken).
    pub problems: Vec<Diagnostic>,
    pub problem_sources: Sources,
    pub pages: usize,
    pub files: usize,
    pub out_dir: PathBuf,
    /// Time per stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// A page's source, cut and with its front matter read.
struct Source {
    path: String,
    text: String,
    front: FrontMatter,
    body_start: usize,
}

/// Load and parse a content tree into the Site model.
pub fn load_site(config: &Config) -> Result<Site, BuildError> {
    let prefix = config.content_display_prefix();
    let limits = config.settings.limits();
    let content = load::load_limited(&config.content_dir, &prefix, &limits)?;
    let mut diagnostics = content.diagnostics;
    let mut sources = content.diagnostic_sources;

    let mut pages = Vec::new();
    // Front matter is read on every core; results keep the path order.
    let read: Vec<_> = content
        .pages
        .into_par_iter()
        .map(|(path, text)| {
            let shown = format!("{prefix}{path}");
            let front = read_front_matter(&shown, &text);
            (path, shown, text, front)
        })
        .collect();
    for (path, shown, text, front) in read {
        match front {
            Ok((front, body_start)) => {
                if config.drafts || !front.draft {
                    pages.push(Source {
                        path,
                        text,
                        front,
                        body_start,
                    });
                }
            }
            Err(diagnostic) => {
                diagnostics.push(*diagnostic);
                sources.insert(shown, text);
            }
        }
    }
    let data = parse_data_files(&content.data_files, &prefix, &mut diagnostics, &mut sources);
    let mut structured =
        structured::read(&content.data_files, &prefix, &mut diagnostics, &mut sources);
    diagnostics.extend(url_conflicts(&pages, &prefix));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(BuildError::invalid(diagnostics, sources));
    }

    structured.embeds.trusted_html = config.settings.trusted_html;
    let routes = Routes::new(pages.iter().map(|p| &p.path));
    let context = ParseContext {
        output: if config.model_only {
            markdown::Output::Model
        } else {
            markdown::Output::SearchText
        },
        trusted_html: config.settings.trusted_html,
        max_nesting: limits.max_nesting,
        routes: &routes,
        embeds: &structured.embeds,
    };
    let parsed: Vec<Page> = pages
        .into_par_iter()
        .map(|source| parse_page(source, &context))
        .collect();
    let too_deep: Vec<Diagnostic> = parsed
        .iter()
        .filter_map(|p| {
            let at = p.doc.too_deep?;
            Some(nesting_diagnostic(
                &format!("{prefix}{}", p.source_path),
                &p.text,
                at,
                limits.max_nesting,
            ))
        })
        .collect();
    if !too_deep.is_empty() {
        for page in &parsed {
            if page.doc.too_deep.is_some() {
                sources.insert(format!("{prefix}{}", page.source_path), page.text.clone());
            }
        }
        return Err(BuildError::invalid(too_deep, sources));
    }
    let pages: BTreeMap<String, Page> = parsed
        .into_iter()
        .map(|p| (p.source_path.clone(), p))
        .collect();

    let home_title = pages
        .iter()
        .find(|(p, _)| routes.page_url(p) == Some("index.html"))
        .map(|(_, p)| p.title.clone());
    let title = config
        .settings
        .title
        .clone()
        .or(home_title)
        .unwrap_or_else(|| "Playbook".to_string());
    let sections = nav::sections(routes.folders(), &pages, &title);
    let generated = generated_pages(&structured, &routes);
    let nav = nav::build(&pages, &sections, generated);
    let site = Site {
        display_prefix: prefix,
        data_texts: content.data_files,
        title,
        description: config.settings.description.clone(),
        pages,
        sections,
        data,
        embeds: structured.embeds,
        release_notes: structured.release_notes,
        assets: content.assets,
        nav,
        max_nesting: limits.max_nesting,
        routes,
    };
    let (problems, sources) = crate::outputs::check(&site, config)?;
    if !problems.is_empty() {
        return Err(BuildError::invalid(problems, sources));
    }
    Ok(site)
}

/// A page whose lists or block quotes nest deeper than `max`.
pub fn nesting_diagnostic(shown: &str, text: &str, at: usize, max: usize) -> Diagnostic {
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    Diagnostic::error(
        "too-deep",
        shown,
        text,
        at..end,
        format!(
            "nesting here is deeper than the limit of {max} lists and block quotes (or {} raw HTML elements)",
            max.saturating_mul(10)
        ),
    )
    .with_hint("flatten the nesting; if it is intended, raise `max_nesting` in playbook.yaml")
}

/// The pages the build makes from data, when the content has that data.
fn generated_pages(
    structured: &structured::Structured,
    routes: &Routes,
) -> Vec<nav::GeneratedPage> {
    let mut generated = Vec::new();
    let roles = structured.embeds.roles.all();
    if !roles.is_empty() && routes.page_url_taken(ROLES_INDEX_URL).is_none() {
        generated.push(nav::GeneratedPage {
            url: ROLES_INDEX_URL.to_string(),
            title: "Roles".to_string(),
            children: roles
                .iter()
                .map(|r| nav::GeneratedPage {
                    url: crate::embed::role_url(&r.id),
                    title: r.name.clone(),
                    children: Vec::new(),
                })
                .collect(),
        });
    }
    if structured.release_notes.is_some() && routes.page_url_taken(RELEASE_NOTES_URL).is_none() {
        generated.push(nav::GeneratedPage {
            url: RELEASE_NOTES_URL.to_string(),
            title: "Release notes".to_string(),
            children: Vec::new(),
        });
    }
    generated
}

/// Where the generated pages go.
pub const ROLES_INDEX_URL: &str = "roles/index.html";
pub const RELEASE_NOTES_URL: &str = "release-notes.html";

fn read_front_matter(shown: &str, text: &str) -> Result<(FrontMatter, usize), Box<Diagnostic>> {
    if let Some(nul) = crate::yaml::nul_character("nul", shown, text) {
        return Err(Box::new(nul));
    }
    let split = frontmatter::split(shown, text)?;
    let front = frontmatter::parse(shown, text, &split)?;
    if let (Some(yaml), Ok(value)) = (split.yaml, serde_json::to_value(&front)) {
        let at = (yaml, split.yaml_start);
        if let Some(nul) = crate::yaml::nul_in_value("nul", shown, text, at, &value) {
            return Err(Box::new(nul));
        }
    }
    Ok((front, split.body_start))
}

fn parse_page(source: Source, context: &ParseContext) -> Page {
    let url = page_url(&source.path);
    let page_ref = PageRef {
        source_path: &source.path,
        url: &url,
        body_start: source.body_start,
        file_text: &source.text,
    };
    let doc: Document = markdown::parse(&page_ref, context, &source.text[source.body_start..]);
    let file_name = source.path.rsplit('/').next().unwrap_or(&source.path);
    let title = source
        .front
        .title
        .clone()
        .or_else(|| markdown::first_heading_title(&doc).map(str::to_string))
        .unwrap_or_else(|| nav::humanize(file_name));
    let weight = source.front.weight.or_else(|| nav::name_weight(file_name));
    Page {
        source_path: source.path,
        url,
        front: source.front,
        title,
        weight,
        doc,
        text: source.text,
        body_start: source.body_start,
    }
}

fn parse_data_files(
    files: &BTreeMap<String, String>,
    prefix: &str,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) -> BTreeMap<String, serde_json::Value> {
    let mut data = BTreeMap::new();
    for (path, text) in files {
        let shown = format!("{prefix}{path}");
        match serde_norway::from_str::<serde_json::Value>(text) {
            Ok(value) => {
                if let Some(nul) = crate::yaml::nul_in_value("nul", &shown, text, (text, 0), &value)
                {
                    diagnostics.push(nul);
                    sources.insert(shown.clone(), text.clone());
                }
                let key = path
                    .rsplit_once('.')
                    .map_or(path.as_str(), |(stem, _)| stem);
                data.insert(key.to_string(), value);
            }
            Err(_) if structured::is_structured(path) => {}
            Err(err) => {
                diagnostics.push(
                    crate::yaml::diagnostic("data-file", &shown, text, 0, &err, "invalid YAML")
                        .with_hint("check the indentation and quote values that contain `: ` or start with `*`, `&`, `!` or `@`"),
                );
                sources.insert(shown, text.clone());
            }
        }
    }
    data
}

/// Two sources that would be written to the same page (`README.md` and `index.md` in one folder).
fn url_conflicts(pages: &[Source], prefix: &str) -> Vec<Diagnostic> {
    let mut by_url: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for page in pages {
        by_url
            .entry(page_url(&page.path))
            .or_default()
            .push(&page.path);
    }
    by_url
        .into_iter()
        .filter(|(_, paths)| paths.len() > 1)
        .map(|(url, paths)| {
            let others = paths[..paths.len() - 1].iter().map(|p| format!("{prefix}{p}")).collect::<Vec<_>>().join(", ");
            let last = format!("{prefix}{}", paths[paths.len() - 1]);
            let shown = crate::routes::url_path(&url);
            let all_index = paths.iter().all(|p| crate::routes::is_index_name(p.rsplit('/').next().unwrap_or(p)));
            let hint = if all_index {
                "a folder takes one index page: keep README.md, index.md or _index.md, and rename the others".to_string()
            } else {
                format!("these files have the same page URL, {shown}: rename or remove one of them")
            };
            Diagnostic::file_error("output-conflict", &last, format!("both {others} and {last} would become {shown}")).with_hint(hint)
        })
        .collect()
}

/// What `produce` reports besides the files it made.
struct Outputs {
    problems: Vec<Diagnostic>,
    problem_sources: Sources,
    /// HTML pages in the site, and how many of them were rendered this time.
    pages: usize,
    rendered: usize,
    files: usize,
    timings: Vec<(&'static str, Duration)>,
    site: Site,
    templates: Templates,
}

/// Where `produce` puts each output file as soon as it is made.
trait Sink: Sync {
    fn bytes(&self, path: &str, bytes: Vec<u8>) -> anyhow::Result<()>;
    /// Bytes that something else (the render cache) keeps too.
    fn shared(&self, path: &str, bytes: Arc<[u8]>) -> anyhow::Result<()>;
    fn copy(&self, path: &str, source: &Path) -> anyhow::Result<()>;
}

impl Sink for Staging {
    fn bytes(&self, path: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.write(path, &bytes)
    }

    fn shared(&self, path: &str, bytes: Arc<[u8]>) -> anyhow::Result<()> {
        self.write(path, &bytes)
    }

    fn copy(&self, path: &str, source: &Path) -> anyhow::Result<()> {
        Staging::copy(self, path, source)
    }
}

/// Output path → bytes, for `serve`.
#[derive(Default)]
struct MemorySink(Mutex<BTreeMap<String, Arc<[u8]>>>);

impl Sink for MemorySink {
    fn bytes(&self, path: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.shared(path, Arc::from(bytes))
    }

    fn shared(&self, path: &str, bytes: Arc<[u8]>) -> anyhow::Result<()> {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path.to_string(), bytes);
        Ok(())
    }

    fn copy(&self, path: &str, source: &Path) -> anyhow::Result<()> {
        let bytes = std::fs::read(source)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", source.display()))?;
        self.bytes(path, bytes)
    }
}

/// The pipeline shared by `build` and `build_in_memory`: load, check,
/// render (reusing what `cache` holds, when there is one), search index,
/// theme, assets, each file handed to `sink` as soon as it is made.
fn produce(
    config: &Config,
    cache: Option<&mut RenderCache>,
    sink: &dyn Sink,
) -> Result<Outputs, BuildError> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };

    let mut site = load_site(config)?;
    lap("load and parse", &mut timings);

    let problems = crate::check::check_site(&site);
    if !config.allow_broken && problems.iter().any(Diagnostic::is_error) {
        let sources = crate::check::sources(&site, &problems);
        return Err(BuildError::invalid(problems, sources));
    }
    let problem_sources = if problems.is_empty() {
        Sources::new()
    } else {
        crate::check::sources(&site, &problems)
    };
    lap("check", &mut timings);

    let templates = compile_templates(config)?;
    let mut highlight_css = None;
    let keep_model = cache.is_some();
    let (pages, rendered) = match cache {
        Some(cache) => {
            let (pages, rendered) =
                render::render_pages_cached(&site, &templates, &mut cache.pages)
                    .map_err(|d| template_failure(*d, &templates))?;
            let count = pages.len();
            for (path, html) in pages {
                sink.shared(&path, html)?;
            }
            highlight_css = cache.highlight.clone();
            (count, rendered)
        }
        None => {
            let emit = |path: &str, html: String| sink.bytes(path, html.into_bytes());
            let count =
                render::render_pages_into(&site, &templates, &emit).map_err(|e| match e {
                    render::RenderError::Template(d) => template_failure(*d, &templates),
                    render::RenderError::Output(e) => BuildError::Io(e),
                })?;
            (count, count)
        }
    };
    lap("render and write", &mut timings);
    if !keep_model {
        site.keep_only_search_data();
    }

    let mut files = pages + search::write_index(&site, &|path, bytes| sink.bytes(&path, bytes))?;
    lap("search index", &mut timings);

    let (light, dark) = match highlight_css {
        Some(css) => css,
        None => highlight::stylesheets()?,
    };
    let [light_name, dark_name] = theme::HIGHLIGHT_STYLESHEETS;
    sink.bytes(&format!("theme/{light_name}"), light.into_bytes())?;
    sink.bytes(&format!("theme/{dark_name}"), dark.into_bytes())?;
    files += 2;
    for (name, bytes) in theme::assets(&config.theme_dir)? {
        sink.bytes(&format!("theme/{name}"), bytes)?;
        files += 1;
    }
    for asset in &site.assets {
        sink.copy(&asset.rel_path, &asset.abs_path)?;
        files += 1;
    }
    lap("theme and assets", &mut timings);
    Ok(Outputs {
        problems,
        problem_sources,
        pages,
        rendered,
        files,
        timings,
        site,
        templates,
    })
}

/// Build the site into `config.out_dir`.
pub fn build(config: &Config) -> Result<BuildReport, BuildError> {
    guard_output(config)?;
    let staging = Staging::new(&config.out_dir, &crate::ownership::SITE)?;
    let mut outputs = produce(config, None, &staging)?;
    let clock = Instant::now();
    staging.commit()?;
    outputs.timings.push(("swap in", clock.elapsed()));
    Ok(BuildReport {
        problems: outputs.problems,
        problem_sources: outputs.problem_sources,
        pages: outputs.pages,
        files: outputs.files,
        out_dir: config.out_dir.clone(),
        timings: outputs.timings,
    })
}

/// What is kept between builds so that only pages whose inputs changed are
/// rendered again (see [`render::render_pages_cached`]).
#[derive(Default)]
pub struct RenderCache {
    pages: render::PageCache,
    highlight: Option<(String, String)>,
    /// A hash of every file of the previous build, to tell what changed
    /// without keeping a second copy of the site.
    previous: BTreeMap<String, u64>,
}

/// Everything a build produces, in memory: output path → bytes (shared
/// with the render cache, not copied).
pub struct MemorySite {
    pub files: BTreeMap<String, Arc<[u8]>>,
    /// Output paths whose bytes changed since the previous build with this
    /// cache, or appeared, or disappeared (all of them the first time).
    pub changed: Vec<String>,
    /// How many HTML pages were rendered (the others came from the cache).
    pub rendered: usize,
    pub problems: Vec<Diagnostic>,
    pub problem_sources: Sources,
    pub timings: Vec<(&'static str, Duration)>,
    /// The model behind these files, for [`LastBuild::update_pages`].
    pub last: Option<LastBuild>,
}

/// Build into memory, for `serve`: the same bytes `build` writes.
pub fn build_in_memory(config: &Config, cache: &mut RenderCache) -> Result<MemorySite, BuildError> {
    if cache.highlight.is_none() {
        cache.highlight = Some(highlight::stylesheets()?);
    }
    let sink = MemorySink::default();
    let outputs = produce(config, Some(cache), &sink)?;
    let files = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut changed: Vec<String> = files
        .iter()
        .filter(|(p, b)| cache.previous.get(*p) != Some(&hash_bytes(b)))
        .map(|(p, _)| p.clone())
        .collect();
    changed.extend(
        cache
            .previous
            .keys()
            .filter(|p| !files.contains_key(*p))
            .cloned(),
    );
    changed.sort();
    cache.previous = files
        .iter()
        .map(|(p, b)| (p.clone(), hash_bytes(b)))
        .collect();
    Ok(MemorySite {
        files,
        changed,
        rendered: outputs.rendered,
        problems: outputs.problems.clone(),
        problem_sources: outputs.problem_sources,
        timings: outputs.timings,
        last: Some(LastBuild {
            files: crate::check::FileIndex::new(&outputs.site),
            site: outputs.site,
            templates: outputs.templates,
            problems: Arc::new(outputs.problems),
        }),
    })
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// What `serve` keeps of its last build, so that an edit to the text of a
/// page or two is rebuilt without the rest of the site: the model, the
/// compiled templates and the problems found.
pub struct LastBuild {
    site: Site,
    /// What checking one page needs to know of the others' files.
    files: crate::check::FileIndex,
    templates: Templates,
    /// Sorted by path, as `check` gives them.
    problems: Arc<Vec<Diagnostic>>,
}

/// The pages an edit changed, rebuilt.
pub struct PagesUpdate {
    /// Output path → new bytes, for the changed pages only.
    pub files: Vec<(String, Vec<u8>)>,
    /// Every problem in the site, not only the edited pages'.
    pub problems: Arc<Vec<Diagnostic>>,
    pub problem_sources: Sources,
    pub timings: Vec<(&'static str, Duration)>,
}

impl LastBuild {
    /// Rebuild after `changed` files (absolute paths) were written, when
    /// every one of them is an existing page whose edit leaves what other
    /// pages show as it was: its title, front matter, anchors and embedded
    /// checklists. Then only those pages are parsed, checked and rendered.
    /// `None` when the change needs a full build (a new or deleted file, a
    /// renamed heading, a data file, a template, an unreadable page...).
    pub fn update_pages(
        &mut self,
        config: &Config,
        changed: &[PathBuf],
    ) -> Option<Result<PagesUpdate, BuildError>> {
        let clock = Instant::now();
        let content = std::path::absolute(&config.content_dir).ok()?;
        let mut fresh = Vec::new();
        for path in changed {
            let rel = path.strip_prefix(&content).ok()?;
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_str())
                .collect::<Option<Vec<_>>>()?
                .join("/");
            let old = self.site.pages.get(&rel)?;
            let shown = format!("{}{rel}", self.site.display_prefix);
            let text = load::read_text(path, &shown).ok()?;
            let (front, body_start) = read_front_matter(&shown, &text).ok()?;
            if front != old.front {
                return None;
            }
            let source = Source {
                path: rel,
                text,
                front,
                body_start,
            };
            let context = ParseContext {
                routes: &self.site.routes,
                embeds: &self.site.embeds,
                output: markdown::Output::SearchText,
                trusted_html: self.site.embeds.trusted_html,
                max_nesting: self.site.max_nesting,
            };
            let page = parse_page(source, &context);
            let same_outside = page.doc.too_deep.is_none()
                && page.title == old.title
                && page.weight == old.weight
                && page.doc.ids == old.doc.ids
                && page.doc.embeds == old.doc.embeds;
            if !same_outside {
                return None;
            }
            fresh.push(page);
        }
        let parsed = clock.elapsed();
        let clock = Instant::now();
        // Site-wide problems (titles, roles, checklists) cannot have changed;
        // the edited pages' own are found again. `problems` stays sorted by
        // path, so each page's are one run of it.
        let prefix = self.site.display_prefix.clone();
        let problems = Arc::make_mut(&mut self.problems);
        let paths: Vec<String> = fresh.iter().map(|p| p.source_path.clone()).collect();
        for page in fresh {
            self.site.pages.insert(page.source_path.clone(), page);
        }
        for page in paths.iter().filter_map(|path| self.site.pages.get(path)) {
            let shown = format!("{prefix}{}", page.source_path);
            let start = problems.partition_point(|d| d.path < shown);
            let end = start + problems[start..].partition_point(|d| d.path == shown);
            let mut found: Vec<Diagnostic> = problems[start..end]
                .iter()
                .filter(|d| d.code == TITLE_CODE)
                .cloned()
                .collect();
            found.extend(crate::check::check_page(&self.site, &self.files, page));
            found.sort_by(|a, b| (a.line, a.col, &a.message).cmp(&(b.line, b.col, &b.message)));
            problems.splice(start..end, found);
        }
        let problems = Arc::clone(&self.problems);
        let problem_sources = crate::check::sources(&self.site, &problems);
        if !config.allow_broken && problems.iter().any(Diagnostic::is_error) {
            return Some(Err(BuildError::invalid(problems.to_vec(), problem_sources)));
        }
        let checked = clock.elapsed();
        let clock = Instant::now();
        let mut files = Vec::new();
        for page in paths.iter().filter_map(|path| self.site.pages.get(path)) {
            match render::render_page(&self.site, &self.templates, page) {
                Ok((url, html)) => files.push((url, html.into_bytes())),
                Err(d) => return Some(Err(template_failure(*d, &self.templates))),
            }
        }
        Some(Ok(PagesUpdate {
            files,
            problems,
            problem_sources,
            timings: vec![
                ("parse edited", parsed),
                ("check edited", checked),
                ("render edited", clock.elapsed()),
            ],
        }))
    }

    /// The search index of the site as it is now.
    pub fn search_files(&self) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
        search::index_files(&self.site)
    }
}

/// Diagnostics of this code compare pages with each other.
const TITLE_CODE: &str = "title";

pub fn compile_templates(config: &Config) -> Result<Templates, BuildError> {
    let shown = format!("{}/", config.root_display("templates"));
    let sources = theme::templates(&config.templates_dir, &shown)?;
    let texts: Sources = sources
        .values()
        .map(|s| (s.origin.clone(), s.text.clone()))
        .collect();
    Templates::compile(sources).map_err(|d| BuildError::invalid(vec![*d], texts))
}

fn template_failure(diagnostic: Diagnostic, templates: &Templates) -> BuildError {
    let sources = templates
        .source_texts()
        .map(|(o, t)| (o.to_string(), t.to_string()))
        .collect();
    BuildError::invalid(vec![diagnostic], sources)
}

/// Refuse an output folder that would swallow the sources: the site
/// replaces `--out` wholesale.
fn guard_output(config: &Config) -> Result<(), BuildError> {
    let out = absolute(&config.out_dir);
    for (what, dir) in [
        ("project root", &config.root),
        ("content folder", &config.content_dir),
    ] {
        let dir = absolute(dir);
        if dir.starts_with(&out) || out.starts_with(&dir) && what == "content folder" {
            return Err(BuildError::Io(anyhow::anyhow!(
                "refusing to write the site to {}: it would replace the {what} {}; choose another --out",
                crate::config::display(&config.out_dir),
                crate::config::display(&dir)
            )));
        }
    }
    Ok(())
}

/// An absolute, normalised form of a path that may not exist yet.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => absolute(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        })
        .join(name),
        _ => std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}
