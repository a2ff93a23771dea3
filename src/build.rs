//! The build, as a table of contents: each step of `produce` is one line,
//! timed. Loading is [`crate::site_load`], checking [`crate::check`], pages
//! [`crate::render`], the search index `search`, writing
//! [`crate::write`]; `serve`'s in-memory and incremental builds are
//! [`crate::incremental`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Sources};
pub use crate::error::BuildError;
use crate::model::Site;
use crate::render::{self, PageCache, Templates};
pub use crate::site_load::load_site;
use crate::write::Staging;
use crate::{check, highlight, search, theme};

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
    /// What the build left out on purpose, and why (for the reader).
    pub notes: Vec<String>,
}

/// Build the site into `config.out_dir`.
pub fn build(config: &Config) -> Result<BuildReport, BuildError> {
    crate::ownership::guard_output(config)?;
    let staging = Staging::new(&config.out_dir, &crate::ownership::SITE)?;
    let mut outputs = produce(config, None, &staging)?;
    let mut clock = Timings(std::mem::take(&mut outputs.timings));
    clock.timed("swap in", || staging.commit())?;
    let Outputs {
        problems,
        problem_sources,
        pages,
        files,
        notes,
        site,
        templates,
        ..
    } = outputs;
    // Freed on another thread: the command can end without waiting for it
    // (a 10,000-page site's model took 20 ms to free).
    std::thread::spawn(move || drop((site, templates)));
    Ok(BuildReport {
        problems,
        problem_sources,
        pages,
        files,
        out_dir: config.out_dir.clone(),
        timings: clock.0,
        notes,
    })
}

/// What a build may reuse from the previous one (`serve` keeps it).
pub(crate) struct Reuse<'a> {
    pub(crate) pages: &'a mut PageCache,
    /// The highlighting stylesheets (light, dark).
    pub(crate) highlight: &'a (String, String),
}

/// What `produce` reports besides the files it made.
pub(crate) struct Outputs {
    pub(crate) problems: Vec<Diagnostic>,
    pub(crate) problem_sources: Sources,
    /// HTML pages in the site, and how many of them were rendered this time.
    pub(crate) pages: usize,
    pub(crate) rendered: usize,
    pub(crate) files: usize,
    pub(crate) timings: Vec<(&'static str, Duration)>,
    /// The site as loaded when `reuse` was given; else only what the steps
    /// after rendering read (see [`Site::into_written`]).
    pub(crate) site: Site,
    pub(crate) templates: Templates,
    /// What the build left out on purpose, and why.
    pub(crate) notes: Vec<String>,
}

/// The pipeline shared by `build` and `serve`: load, check, render (reusing
/// what `reuse` holds, when there is one), search index, theme, assets, each
/// file handed to `sink` as soon as it is made.
pub(crate) fn produce(
    config: &Config,
    reuse: Option<Reuse>,
    sink: &dyn Sink,
) -> Result<Outputs, BuildError> {
    let Some(reuse) = reuse else {
        return produce_parsing_once(config, sink);
    };
    let mut clock = Timings(Vec::new());
    let site = clock.timed("load and parse", || load_site(config))?;
    let (problems, problem_sources) = clock.timed("check", || check_or_stop(config, &site))?;
    let (templates, pages, rendered, highlight_css) = clock.timed("render and write", || {
        render_pages(config, &site, reuse, sink)
    })?;
    // `serve` keeps the whole site for its next build.
    let notes: Vec<String> = crate::print_guide::too_big(&site).into_iter().collect();
    let made = Made {
        problems,
        problem_sources,
        pages,
        rendered,
        templates,
        notes,
        highlight_css,
    };
    finish(config, site, made, clock, sink)
}

/// `build`'s pipeline: each page is parsed once, as it is rendered, rather
/// than once for the model and again for its HTML (on a 10,000-page site
/// the first parse was a fifth of the work). So its pages are rendered before the check, which needs their
/// models; a site with errors still never replaces the previous one (the
/// pages went to the staging folder, which is dropped), and the pages that
/// show other pages' checklists are rendered after it.
fn produce_parsing_once(config: &Config, sink: &dyn Sink) -> Result<Outputs, BuildError> {
    let mut clock = Timings(Vec::new());
    let mut site = clock.timed("load and parse", || {
        crate::site_load::load_site_deferring(config)
    })?;
    let templates = compile_templates(config)?;
    let emit = |path: &str, html: String| sink.bytes(path, html.into_bytes());
    let parsed = clock.timed("render and write", || {
        render::render_unparsed_pages(&site, &templates, &emit)
            .map_err(|e| failed_before_check(config, e, &templates))
    })?;
    site.take_in_parsed(parsed);
    crate::site_load::refuse_too_deep(
        site.pages.values(),
        &site.display_prefix,
        site.max_nesting,
        Sources::new(),
    )?;
    let (problems, problem_sources) = clock.timed("check", || check_or_stop(config, &site))?;
    let others = clock.timed("other pages", || {
        render::render_generated_pages_into(&site, &templates, &emit)
            .map_err(|e| render_failure(e, &templates))
    })?;
    // Before the page texts are let go: they say whether the guide was too big.
    let notes: Vec<String> = crate::print_guide::too_big(&site).into_iter().collect();
    let pages = site.pages.len() + others;
    let made = Made {
        problems,
        problem_sources,
        pages,
        rendered: pages,
        templates,
        notes,
        highlight_css: None,
    };
    // Only what the steps after rendering read.
    finish(config, site.into_written(), made, clock, sink)
}

/// What rendering made and found, for [`finish`].
struct Made {
    problems: Vec<Diagnostic>,
    problem_sources: Sources,
    pages: usize,
    rendered: usize,
    templates: Templates,
    notes: Vec<String>,
    /// The highlighting stylesheets, when `serve` kept them.
    highlight_css: Option<(String, String)>,
}

/// The steps after the pages: search index, theme and assets, sitemap.
fn finish(
    config: &Config,
    site: Site,
    made: Made,
    mut clock: Timings,
    sink: &dyn Sink,
) -> Result<Outputs, BuildError> {
    let Made {
        problems,
        problem_sources,
        pages,
        rendered,
        templates,
        notes,
        highlight_css,
    } = made;
    let index = clock.timed("search index", || write_search_index(&site, sink))?;
    let theme = clock.timed("theme and assets", || {
        write_theme_and_assets(config, &site, highlight_css, sink)
    })?;
    let sitemap = match &site.publishing.base_url {
        Some(base_url) => clock.timed("sitemap", || write_sitemap(&site, base_url, sink))?,
        None => 0,
    };
    Ok(Outputs {
        problems,
        problem_sources,
        pages,
        rendered,
        files: pages + index + theme + sitemap,
        timings: clock.0,
        site,
        templates,
        notes,
    })
}

/// Time per step, in the order the steps ran.
struct Timings(Vec<(&'static str, Duration)>);

impl Timings {
    fn timed<T>(&mut self, name: &'static str, step: impl FnOnce() -> T) -> T {
        let clock = Instant::now();
        let result = step();
        self.0.push((name, clock.elapsed()));
        result
    }
}

/// The site's problems; an error unless the build may go on with them.
fn check_or_stop(config: &Config, site: &Site) -> Result<(Vec<Diagnostic>, Sources), BuildError> {
    let problems = check::check_site(site);
    let sources = if problems.is_empty() {
        Sources::new()
    } else {
        check::sources(site, &problems)
    };
    if !config.allow_broken && problems.iter().any(Diagnostic::is_error) {
        return Err(BuildError::invalid(problems, sources));
    }
    Ok((problems, sources))
}

/// Compiled templates, pages in the site, pages rendered this time, and the
/// highlighting stylesheets when `reuse` held them.
type Rendered = (Templates, usize, usize, Option<(String, String)>);

/// `serve`'s pages: those whose inputs did not change come from `reuse`.
fn render_pages(
    config: &Config,
    site: &Site,
    reuse: Reuse,
    sink: &dyn Sink,
) -> Result<Rendered, BuildError> {
    let templates = compile_templates(config)?;
    let (pages, rendered) = render::render_pages_cached(site, &templates, reuse.pages)
        .map_err(|d| template_failure(*d, &templates))?;
    let count = pages.len();
    for (path, html) in pages {
        sink.shared(&path, html)?;
    }
    Ok((templates, count, rendered, Some(reuse.highlight.clone())))
}

fn write_search_index(site: &Site, sink: &dyn Sink) -> anyhow::Result<usize> {
    search::write_index(site, &|path, bytes| sink.bytes(&path, bytes))
}

/// `sitemap.xml` (for a set `base_url`): every page's absolute URL, sorted.
fn write_sitemap(
    site: &Site,
    base_url: &crate::config::BaseUrl,
    sink: &dyn Sink,
) -> anyhow::Result<usize> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in render::sitemap_urls(site, base_url.as_str()) {
        xml.push_str("<url><loc>");
        xml.push_str(&crate::html::escape(&url));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    sink.bytes(crate::routes::SITEMAP_URL, xml.into_bytes())?;
    Ok(1)
}

/// The highlighting stylesheets, the theme's files and the content's
/// assets; returns how many files.
fn write_theme_and_assets(
    config: &Config,
    site: &Site,
    highlight_css: Option<(String, String)>,
    sink: &dyn Sink,
) -> anyhow::Result<usize> {
    let (light, dark) = match highlight_css {
        Some(css) => css,
        None => highlight::stylesheets()?,
    };
    let [light_name, dark_name] = theme::HIGHLIGHT_STYLESHEETS;
    sink.bytes(&format!("theme/{light_name}"), light.into_bytes())?;
    sink.bytes(&format!("theme/{dark_name}"), dark.into_bytes())?;
    let mut files = 2;
    for (name, bytes) in theme::assets(&config.theme_dir)? {
        sink.bytes(&format!("theme/{name}"), bytes)?;
        files += 1;
    }
    for asset in &site.assets {
        sink.copy(&asset.rel_path, &asset.abs_path)?;
        files += 1;
    }
    Ok(files)
}

/// Where `produce` puts each output file as soon as it is made.
pub(crate) trait Sink: Sync {
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

/// The templates (built-in, or the project's own), compiled.
pub fn compile_templates(config: &Config) -> Result<Templates, BuildError> {
    let shown = format!("{}/", config.root_display("templates"));
    let sources = theme::templates(&config.templates_dir, &shown)?;
    let texts: Sources = sources
        .values()
        .map(|s| (s.origin.clone(), s.text.clone()))
        .collect();
    Templates::compile(sources).map_err(|d| BuildError::invalid(vec![*d], texts))
}

/// A page that failed to render before the check ran (see
/// [`produce_parsing_once`]): the content's own errors, when it has any,
/// come first, as when every page is checked before any is rendered, and
/// the template's after them.
fn failed_before_check(
    config: &Config,
    error: render::RenderError,
    templates: &Templates,
) -> BuildError {
    let failure = render_failure(error, templates);
    let BuildError::Invalid {
        diagnostics,
        sources,
    } = failure
    else {
        return failure;
    };
    let site = match load_site(config) {
        Ok(site) => site,
        Err(content) => return content,
    };
    let problems = check::check_site(&site);
    if config.allow_broken || !problems.iter().any(Diagnostic::is_error) {
        return BuildError::invalid(diagnostics, sources);
    }
    let mut shown = check::sources(&site, &problems);
    shown.extend(sources);
    BuildError::invalid(problems.into_iter().chain(diagnostics).collect(), shown)
}

/// A page that could not be rendered (a template failed) or written.
fn render_failure(error: render::RenderError, templates: &Templates) -> BuildError {
    match error {
        render::RenderError::Template(d) => template_failure(*d, templates),
        render::RenderError::Output(e) => BuildError::Io(e),
    }
}

/// A template that failed while rendering, shown against the templates' texts.
pub fn template_failure(diagnostic: Diagnostic, templates: &Templates) -> BuildError {
    let sources = templates
        .source_texts()
        .map(|(o, t)| (o.to_string(), t.to_string()))
        .collect();
    BuildError::invalid(vec![diagnostic], sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_is_timed_in_order_even_when_it_fails() {
        let mut clock = Timings(Vec::new());
        assert_eq!(clock.timed("load", || 1), 1);
        let failed: Result<(), &str> = clock.timed("check", || Err("broken"));
        assert_eq!(failed, Err("broken"));
        let names: Vec<&str> = clock.0.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["load", "check"]);
    }

    #[test]
    fn the_steps_after_rendering_make_the_same_files_from_the_written_site() {
        let (site, _templates, _dir) = crate::render::tests::site(&[
            ("index.md", "# Home\n\nSee [deploy](guide/deploy.md#roll-back).\n"),
            (
                "guide/deploy.md",
                "# Deploy\n\nShip it with care.\n\n## Roll back\n\n- [ ] Revert the release\n",
            ),
            ("roles.yaml", "roles:\n- id: sre\n  name: SRE\n  summary: Keeps it up.\n"),
            (
                "checklists/ship.yaml",
                "id: ship\ntitle: Ship\ngroups:\n- id: go\n  title: Go\n  items:\n  - id: tag\n    text: Tag the release\n    owners: [sre]\n",
            ),
            ("logo.png", "not really a png"),
        ]);
        let index = search::index_files(&site).expect("index");
        let sitemap = render::sitemap_urls(&site, "https://example.com/");
        let assets: Vec<String> = site.assets.iter().map(|a| a.rel_path.clone()).collect();
        assert!(site.pages.values().all(|p| !p.text.is_empty()));

        let written = site.into_written();
        assert!(written
            .pages
            .values()
            .all(|p| p.text.is_empty() && p.doc.links.is_empty()));
        assert_eq!(search::index_files(&written).expect("index"), index);
        assert_eq!(
            render::sitemap_urls(&written, "https://example.com/"),
            sitemap
        );
        let written_assets: Vec<String> =
            written.assets.iter().map(|a| a.rel_path.clone()).collect();
        assert_eq!(written_assets, assets);
    }
}
