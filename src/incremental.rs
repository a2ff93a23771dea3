//! `serve`'s builds: the whole site into memory, reusing the pages whose
//! inputs did not change ([`build_in_memory`]), and an edit to a page or two
//! rebuilt without the rest of the site ([`LastBuild::update_pages`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::build::{produce, template_failure, Reuse, Sink};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Sources};
use crate::error::BuildError;
use crate::markdown::{self, ParseContext};
use crate::model::{Page, Site};
use crate::render::{self, Templates};
use crate::site_load::{parse_page, read_front_matter, Source};
use crate::{highlight, load, search};

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
    let highlight = match cache.highlight.take() {
        Some(css) => css,
        None => highlight::stylesheets()?,
    };
    let sink = MemorySink::default();
    let reuse = Reuse {
        pages: &mut cache.pages,
        highlight: &highlight,
    };
    let outputs = produce(config, Some(reuse), &sink);
    cache.highlight = Some(highlight);
    let outputs = outputs?;
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
        let fresh = self.reparse(config, changed)?;
        let parsed = clock.elapsed();
        let clock = Instant::now();
        let paths: Vec<String> = fresh.iter().map(|p| p.source_path.clone()).collect();
        for page in fresh {
            self.site.pages.insert(page.source_path.clone(), page);
        }
        self.recheck(&paths);
        let problems = Arc::clone(&self.problems);
        let problem_sources = crate::check::sources(&self.site, &problems);
        if !config.allow_broken && problems.iter().any(Diagnostic::is_error) {
            return Some(Err(BuildError::invalid(problems.to_vec(), problem_sources)));
        }
        let checked = clock.elapsed();
        let clock = Instant::now();
        let mut files = Vec::new();
        let pages = paths.iter().filter_map(|path| self.site.pages.get(path));
        let rendered = pages
            .map(|page| Some(render::render_page(&self.site, &self.templates, page)))
            // The whole guide prints the edited pages too.
            .chain([render::render_guide_print(&self.site, &self.templates)]);
        for made in rendered.flatten() {
            match made {
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

    /// The `changed` pages parsed again; `None` unless each is an existing
    /// page whose edit leaves what other pages show of it as it was.
    fn reparse(&self, config: &Config, changed: &[PathBuf]) -> Option<Vec<Page>> {
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
                guide: None,
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
        Some(fresh)
    }

    /// The problems of the pages at `paths` found again. Site-wide problems
    /// (titles, roles, checklists) cannot have changed. `problems` stays
    /// sorted by path, so each page's are one run of it.
    fn recheck(&mut self, paths: &[String]) {
        let prefix = &self.site.display_prefix;
        let problems = Arc::make_mut(&mut self.problems);
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
            // One page's: all with the same path.
            found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            problems.splice(start..end, found);
        }
    }

    /// The search index of the site as it is now.
    pub fn search_files(&self) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
        search::index_files(&self.site)
    }
}

/// Diagnostics of this code compare pages with each other.
const TITLE_CODE: &str = "title";

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
