//! Loading: a content tree read, its front matter and data files parsed,
//! its pages parsed once into the Site model. Every command that needs the
//! model (build, check, checklist, release-notes, serve) starts here.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Sources};
use crate::error::BuildError;
use crate::frontmatter::{self, FrontMatter};
use crate::markdown::{self, PageRef, ParseContext};
use crate::model::{Document, Page, Site};
use crate::routes::{self, page_url, Routes};
use crate::{load, nav, structured};

/// A page's source, cut and with its front matter read.
pub(crate) struct Source {
    pub(crate) path: String,
    pub(crate) text: String,
    pub(crate) front: FrontMatter,
    pub(crate) body_start: usize,
}

/// Load and parse a content tree into the Site model.
pub fn load_site(config: &Config) -> Result<Site, BuildError> {
    load(config, false)
}

/// The Site model with its pages not parsed yet ([`Page::unparsed`]):
/// `build` parses each once, as it renders it
/// ([`crate::render::render_unparsed_pages`]). Nothing else the site holds
/// depends on a page's Markdown but its title, which the first heading
/// gives when the front matter does not: that is read up to the first
/// level-1 heading.
pub(crate) fn load_site_deferring(config: &Config) -> Result<Site, BuildError> {
    load(config, true)
}

fn load(config: &Config, defer: bool) -> Result<Site, BuildError> {
    let prefix = config.content_display_prefix();
    let limits = config.settings.limits();
    let content = load::load_limited(&config.content_dir, &prefix, &limits)?;
    let read = read_sources(config, content, &prefix)?;
    let routes = Routes::new(read.pages.iter().map(|p| &p.path));
    let mut embeds = read.structured.embeds;
    embeds.trusted_html = config.settings.trusted_html;
    let context = ParseContext {
        output: if config.model_only {
            markdown::Output::Model
        } else {
            markdown::Output::SearchText
        },
        trusted_html: config.settings.trusted_html,
        max_nesting: limits.max_nesting,
        guide: None,
        routes: &routes,
        embeds: &embeds,
    };
    let pages = parse_pages(read.pages, &context, &prefix, read.sources, defer)?;
    let structured = structured::Structured {
        embeds,
        release_notes: read.structured.release_notes,
    };
    let last_updated = last_updated(config, &pages)?;
    let mut site = assemble(config, pages, structured, routes, read.rest);
    site.publishing.last_updated = last_updated;
    let (problems, sources) = crate::outputs::check(&site, config)?;
    if !problems.is_empty() {
        return Err(BuildError::invalid(problems, sources));
    }
    Ok(site)
}

/// Each page's last commit date, with `last_updated: git` (not for the
/// commands that never show pages).
fn last_updated(
    config: &Config,
    pages: &BTreeMap<String, Page>,
) -> Result<BTreeMap<String, String>, BuildError> {
    if config.settings.last_updated != Some(crate::config::LastUpdated::Git) || config.model_only {
        return Ok(BTreeMap::new());
    }
    let paths = pages.keys().cloned().collect();
    crate::git::last_commit_dates(&config.content_dir, &paths)
}

/// The content's sources with their front matter and data files read.
struct Read {
    pages: Vec<Source>,
    structured: structured::Structured,
    /// Texts of files with problems, for showing them.
    sources: Sources,
    rest: Rest,
}

/// What the Site keeps of the content as it was read.
struct Rest {
    prefix: String,
    data_texts: BTreeMap<String, String>,
    data: BTreeMap<String, serde_json::Value>,
    runs: BTreeMap<String, crate::runs::Run>,
    assets: Vec<crate::model::Asset>,
    max_nesting: usize,
    drafts: BTreeSet<String>,
}

/// Front matter of every page (on every core; results keep the path
/// order), data files and checklists read; every problem found in them.
fn read_sources(config: &Config, content: load::Content, prefix: &str) -> Result<Read, BuildError> {
    let mut diagnostics = content.diagnostics;
    let mut sources = content.diagnostic_sources;
    let mut pages = Vec::new();
    let mut drafts = BTreeSet::new();
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
                } else {
                    drafts.insert(path);
                }
            }
            Err(diagnostic) => {
                diagnostics.push(*diagnostic);
                sources.insert(shown, text);
            }
        }
    }
    let runs_rel = config.runs_rel();
    let runs = if config.skip_runs {
        BTreeMap::new()
    } else {
        crate::runs::load::read(
            &content.data_files,
            &runs_rel,
            prefix,
            &mut diagnostics,
            &mut sources,
        )
    };
    let data = parse_data_files(
        &content.data_files,
        &runs_rel,
        prefix,
        &mut diagnostics,
        &mut sources,
    );
    let structured = structured::read(&content.data_files, prefix, &mut diagnostics, &mut sources);
    diagnostics.extend(url_conflicts(&pages, prefix));
    diagnostics.extend(folder_case_conflicts(&pages, prefix));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(BuildError::invalid(diagnostics, sources));
    }
    Ok(Read {
        pages,
        structured,
        sources,
        rest: Rest {
            prefix: prefix.to_string(),
            data_texts: content.data_files,
            data,
            runs,
            assets: content.assets,
            max_nesting: config.settings.limits().max_nesting,
            drafts,
        },
    })
}

/// Every page's Markdown parsed, on every core; an error when one nests
/// deeper than the limit.
fn parse_pages(
    pages: Vec<Source>,
    context: &ParseContext,
    prefix: &str,
    sources: Sources,
    defer: bool,
) -> Result<BTreeMap<String, Page>, BuildError> {
    let parsed: Vec<Page> = pages
        .into_par_iter()
        .map(|source| {
            if defer {
                unparsed_page(source, context)
            } else {
                parse_page(source, context)
            }
        })
        .collect();
    refuse_too_deep(parsed.iter(), prefix, context.max_nesting, sources)?;
    Ok(parsed
        .into_iter()
        .map(|p| (p.source_path.clone(), p))
        .collect())
}

/// An error in each page whose lists, block quotes or raw HTML nest deeper
/// than `max_nesting`, if any does; `sources` holds the texts of files
/// with other problems, to show beside them.
pub(crate) fn refuse_too_deep<'p>(
    pages: impl Iterator<Item = &'p Page>,
    prefix: &str,
    max_nesting: usize,
    mut sources: Sources,
) -> Result<(), BuildError> {
    let mut too_deep = Vec::new();
    for page in pages {
        let Some(at) = page.doc.too_deep else {
            continue;
        };
        let shown = format!("{prefix}{}", page.source_path);
        too_deep.push(nesting_diagnostic(&shown, &page.text, at, max_nesting));
        sources.insert(shown, page.text.clone());
    }
    if too_deep.is_empty() {
        Ok(())
    } else {
        Err(BuildError::invalid(too_deep, sources))
    }
}

/// The Site: the parsed pages with their title, sections and navigation.
fn assemble(
    config: &Config,
    pages: BTreeMap<String, Page>,
    structured: structured::Structured,
    routes: Routes,
    rest: Rest,
) -> Site {
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
    let generated = generated_pages(&structured, &rest.runs);
    let nav = nav::build(&pages, &sections, generated);
    Site {
        display_prefix: rest.prefix,
        data_texts: rest.data_texts,
        title,
        description: config.settings.description.clone(),
        pages,
        sections,
        data: rest.data,
        embeds: structured.embeds,
        release_notes: structured.release_notes,
        runs: rest.runs,
        assets: rest.assets,
        nav,
        max_nesting: rest.max_nesting,
        routes,
        publishing: config.settings.publishing(),
        drafts: rest.drafts,
    }
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
    runs: &BTreeMap<String, crate::runs::Run>,
) -> Vec<nav::GeneratedPage> {
    let mut generated = Vec::new();
    let roles = structured.embeds.roles.all();
    // A page at one of these URLs is an output conflict (`outputs`): the
    // index goes with pages others link to (each role's, each run's).
    if !roles.is_empty() {
        generated.push(nav::GeneratedPage {
            url: crate::routes::ROLES_INDEX_URL.to_string(),
            title: "Roles".to_string(),
            children: roles
                .iter()
                .map(|r| nav::GeneratedPage {
                    url: crate::routes::role_url(&r.id),
                    title: r.name.clone(),
                    children: Vec::new(),
                })
                .collect(),
        });
    }
    if structured.release_notes.is_some() {
        generated.push(nav::GeneratedPage {
            url: crate::routes::RELEASE_NOTES_URL.to_string(),
            title: "Release notes".to_string(),
            children: Vec::new(),
        });
    }
    if !runs.is_empty() {
        generated.push(nav::GeneratedPage {
            url: crate::routes::RUNS_INDEX_URL.to_string(),
            title: crate::run_pages::RUNS_TITLE.to_string(),
            children: crate::run_pages::newest_first(runs.values())
                .into_iter()
                .map(|run| nav::GeneratedPage {
                    url: crate::routes::run_url(&run.version.to_string()),
                    title: crate::run_pages::run_title(run),
                    children: Vec::new(),
                })
                .collect(),
        });
    }
    generated
}

pub(crate) fn read_front_matter(
    shown: &str,
    text: &str,
) -> Result<(FrontMatter, usize), Box<Diagnostic>> {
    if let Some(nul) = crate::yaml::nul_character("nul", shown, text) {
        return Err(Box::new(nul));
    }
    let split = frontmatter::split(shown, text)?;
    let front = frontmatter::parse(shown, text, &split)?;
    // (In TOML the key is not found by YAML spans: the error is then at the top.)
    let front_text = split.yaml.or(split.toml);
    if let (Some(front_text), Ok(value)) = (front_text, serde_json::to_value(&front)) {
        let at = (front_text, split.yaml_start);
        if let Some(nul) = crate::yaml::nul_in_value("nul", shown, text, at, &value) {
            return Err(Box::new(nul));
        }
    }
    Ok((front, split.body_start))
}

/// A page as [`load_site_deferring`] keeps it: titled as [`parse_page`]
/// titles it, its Markdown not parsed.
fn unparsed_page(source: Source, context: &ParseContext) -> Page {
    let url = page_url(&source.path);
    let heading = match &source.front.title {
        Some(title) if !is_blank(title) => None,
        _ => markdown::heading_title(&page_ref(&source, &url), context, body(&source)),
    };
    into_page(source, url, Document::default(), heading, true)
}

pub(crate) fn parse_page(source: Source, context: &ParseContext) -> Page {
    let url = page_url(&source.path);
    let doc = markdown::parse(&page_ref(&source, &url), context, body(&source));
    let heading = markdown::first_heading_title(&doc).map(str::to_string);
    into_page(source, url, doc, heading, false)
}

fn page_ref<'s>(source: &'s Source, url: &'s str) -> PageRef<'s> {
    PageRef {
        source_path: &source.path,
        url,
        body_start: source.body_start,
        file_text: &source.text,
    }
}

/// The Markdown after the front matter.
fn body(source: &Source) -> &str {
    source.text.get(source.body_start..).unwrap_or_default()
}

/// The page of `source`: titled by its front matter, else by `heading`,
/// else by its file name; ordered by its front matter's weight, else by a
/// number its file name starts with.
fn into_page(
    source: Source,
    url: String,
    doc: Document,
    heading: Option<String>,
    unparsed: bool,
) -> Page {
    let file_name = source.path.rsplit('/').next().unwrap_or(&source.path);
    let title = [source.front.title.clone(), heading]
        .into_iter()
        .flatten()
        .find(|title| !is_blank(title))
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
        unparsed,
    }
}

/// A title that shows nothing (`title: " "`, or a bare `#`): a page titled
/// so is an empty link in the sidebar, so the next source of a title counts.
fn is_blank(title: &str) -> bool {
    title.trim().is_empty()
}

/// Every YAML file but the structured ones and run files, as plain data
/// for templates.
fn parse_data_files(
    files: &BTreeMap<String, String>,
    runs_rel: &str,
    prefix: &str,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) -> BTreeMap<String, serde_json::Value> {
    let mut data = BTreeMap::new();
    for (path, text) in files {
        if crate::runs::load::is_run_path(path, runs_rel) {
            continue;
        }
        let shown = format!("{prefix}{path}");
        match crate::yaml::data_from_str(text) {
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

/// Folders of pages whose names differ only in letter case (`Docs/`,
/// `docs/`): each gets its own folder page, and macOS and Windows see one
/// folder there. Reported at a page of the last, and only where the names
/// part (`A/b/` and `a/b/` are the conflict of `A/` and `a/`).
fn folder_case_conflicts(pages: &[Source], prefix: &str) -> Vec<Diagnostic> {
    // Folded folder → each spelling of it → a page in it.
    let mut by_folded: BTreeMap<String, BTreeMap<&str, &str>> = BTreeMap::new();
    for page in pages {
        let folders = page
            .path
            .match_indices('/')
            .map(|(end, _)| &page.path[..end]);
        for folder in folders {
            by_folded
                .entry(folder.to_lowercase())
                .or_default()
                .entry(folder)
                .or_insert(&page.path);
        }
    }
    by_folded
        .into_values()
        .filter(|spellings| spellings.len() > 1)
        .filter(|spellings| {
            let parents: BTreeSet<&str> = spellings
                .keys()
                .map(|f| f.rsplit_once('/').map_or("", |(p, _)| p))
                .collect();
            parents.len() == 1
        })
        .map(|spellings| {
            let shown: Vec<String> = spellings.keys().map(|f| format!("{prefix}{f}/")).collect();
            let page = spellings.values().last().map_or(String::new(), |p| format!("{prefix}{p}"));
            Diagnostic::file_error(
                "output-conflict",
                &page,
                format!("the folders {} differ only in letter case", shown.join(" and ")),
            )
            .with_hint("macOS and Windows see one folder there, where the site is checked out or served: move the pages into one of them")
        })
        .collect()
}

/// Two sources that would be written to the same page (`README.md` and
/// `index.md` in one folder), letter case ignored: `Guide.md` and `guide.md`
/// are one file on macOS and Windows, where the site is checked out or served.
fn url_conflicts(pages: &[Source], prefix: &str) -> Vec<Diagnostic> {
    let mut by_url: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for page in pages {
        by_url
            .entry(page_url(&page.path).to_lowercase())
            .or_default()
            .push(&page.path);
    }
    by_url
        .into_values()
        .filter(|paths| paths.len() > 1)
        .map(|paths| {
            let others = paths[..paths.len() - 1].iter().map(|p| format!("{prefix}{p}")).collect::<Vec<_>>().join(", ");
            let last = format!("{prefix}{}", paths[paths.len() - 1]);
            let urls: BTreeSet<String> = paths.iter().map(|p| routes::url_path(&page_url(p))).collect();
            let shown = urls.iter().cloned().collect::<Vec<_>>().join(" and ");
            let all_index = paths.iter().all(|p| routes::is_index_name(p.rsplit('/').next().unwrap_or(p)));
            let (message, hint) = if urls.len() > 1 {
                (
                    format!("{others} and {last} would become {shown}, which differ only in letter case"),
                    "macOS and Windows see one file there, where the site is checked out or served: rename one of them".to_string(),
                )
            } else if all_index {
                (
                    format!("both {others} and {last} would become {shown}"),
                    "a folder takes one index page: keep README.md, index.md or _index.md, and rename the others".to_string(),
                )
            } else {
                (
                    format!("both {others} and {last} would become {shown}"),
                    format!("these files have the same page URL, {shown}: rename or remove one of them"),
                )
            };
            Diagnostic::file_error("output-conflict", &last, message).with_hint(hint)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(paths: &[&str]) -> Vec<Source> {
        paths
            .iter()
            .map(|path| Source {
                path: path.to_string(),
                text: String::new(),
                front: FrontMatter::default(),
                body_start: 0,
            })
            .collect()
    }

    #[test]
    fn folders_differing_in_case_are_one_conflict_where_their_names_part() {
        let found = folder_case_conflicts(
            &pages(&["Docs/a.md", "docs/b.md", "Docs/deep/c.md", "docs/deep/d.md"]),
            "",
        );
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["the folders Docs/ and docs/ differ only in letter case"]
        );
        assert_eq!(found[0].path, "docs/b.md", "at a page of the folder");
    }

    #[test]
    fn pages_differing_only_in_case_conflict_and_distinct_ones_do_not() {
        assert!(folder_case_conflicts(&pages(&["a/x.md", "b/x.md", "a/y.md"]), "").is_empty());
        assert!(url_conflicts(&pages(&["a/x.md", "a/X.md"]), "")[0]
            .message
            .contains("differ only in letter case"));
        assert!(url_conflicts(&pages(&["a/x.md", "a/y.md"]), "").is_empty());
    }
}
