//! `check`: every problem in a loaded site that would break it silently:
//! links and anchors, roles, checklists, coverage and Markdown hygiene.
//! A pass over the Site model that gathers diagnostics; it never renders.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::checklist::{Checklist, ChecklistItem};
use crate::diagnostic::{Diagnostic, Severity};
use crate::external::ExternalLink;
use crate::model::{LinkTarget, Page, Site};
use crate::structured::{RELEASE_NOTES_FILE, ROLES_FILE};
use crate::yaml_spans::Spans;

/// A problem with one checklist item, and whether it is shown at the
/// item's `parent:` rather than at its `id:`.
struct ItemProblem {
    message: String,
    hint: &'static str,
    at_parent: bool,
}

const DANGEROUS_HINT: &str = "a `javascript:`, `vbscript:` or `data:` URL runs code in the reader's browser; it was removed from the site: link to an https:// page or a file in the content instead";

/// Problems in how a page's Markdown is written: undefined references,
/// dangerous links, filtered tags, runaway HTML, duplicate ids.
fn markup_problems(page: &Page, shown: &str, out: &mut Vec<Diagnostic>) {
    for (span, reference) in &page.doc.broken_references {
        out.push(
            Diagnostic::error(
                "reference",
                shown,
                &page.text,
                span.clone(),
                format!("reference link [{reference}] has no definition"),
            )
            .with_hint(format!(
                "add a line `[{reference}]: <url>` to the page, or write the link inline"
            )),
        );
    }
    for link in &page.doc.dangerous_links {
        out.push(
            Diagnostic::error(
                "dangerous-link",
                shown,
                &page.text,
                link.span.clone(),
                dangerous_message(&link.dest, link.scheme, link.is_image),
            )
            .with_hint(DANGEROUS_HINT),
        );
    }
    for &(at, len) in &page.doc.filtered_tags {
        out.push(filtered_tag_warning(shown, &page.text, at..at + len));
    }
    for &(at, len) in &page.doc.admonitions {
        let mut d = Diagnostic::error(
            "admonition",
            shown,
            &page.text,
            at..at + len,
            "this MkDocs admonition is shown as text, and its indented body as code",
        )
        .with_hint("write it as an alert: `> [!WARNING]` on its own line, then each line of the body after `> `; `playbook reconcile` converts a copy's admonitions");
        d.severity = Severity::Warning;
        out.push(d);
    }
    if let Some((at, tag)) = page.doc.runaway_html {
        let mut d = Diagnostic::error(
                "runaway-html",
                shown,
                &page.text,
                at..at + 1 + tag.len(),
                format!("this <{tag}> has no </{tag}>: Markdown reads the rest of the page as raw HTML, so the headings and text after it are not formatted"),
            )
            .with_hint(format!("end it with </{tag}> on a line of its own, or write `<{tag}>` in backticks if it is meant as text"));
        d.severity = Severity::Warning;
        out.push(d);
    }
    duplicate_id_problems(page, shown, out);
}

/// Ids a page gives twice: an explicit `{#id}` (an error) or a raw HTML
/// element's (a warning).
fn duplicate_id_problems(page: &Page, shown: &str, out: &mut Vec<Diagnostic>) {
    // A warning: an `<a id>` kept above its own heading (an old anchor)
    // is a common, harmless case.
    for (id, at, first) in &page.doc.duplicate_html_ids {
        let mut d = Diagnostic::error(
            "duplicate-id",
            shown,
            &page.text,
            *at..*at + id.len(),
            format!("the id \"{id}\" of this HTML element is also given to {first}"),
        )
        .with_hint("every id on a page should be unique, or links to it go to the first: rename this id, or remove it if it only repeats a heading's");
        d.severity = Severity::Warning;
        out.push(d);
    }
    for (id, at, first) in &page.doc.duplicate_ids {
        out.push(
                Diagnostic::error(
                    "duplicate-id",
                    shown,
                    &page.text,
                    *at..*at + 1 + id.len(),
                    format!("the id #{id} is given to this heading and to {first}"),
                )
                .with_hint("every id on a page must be unique, or links to it go to the first: rename this {#id}"),
            );
    }
}

/// A tag that GitHub's tag filter shows as text (see [`crate::sanitize::filtered_tags`]).
fn filtered_tag_warning(shown: &str, text: &str, span: std::ops::Range<usize>) -> Diagnostic {
    let tag = text.get(span.clone()).unwrap_or("<").to_ascii_lowercase();
    let mut d = Diagnostic::error(
        "filtered-tag",
        shown,
        text,
        span,
        format!("`{tag}>` is shown as text, as GitHub shows it: as a tag it would hide or garble the rest of the page"),
    )
    .with_hint(format!(
        "to show the tag, write it as code (`{tag}>`) or as `&lt;{}>`; styles and scripts belong in the theme (themes/), not in pages",
        &tag[1..]
    ));
    d.severity = Severity::Warning;
    d
}

fn dangerous_message(dest: &str, scheme: &str, is_image: bool) -> String {
    let what = if is_image { "image" } else { "link" };
    let shown: String = dest.chars().take(60).collect();
    let more = if shown.len() < dest.len() { "…" } else { "" };
    format!("{what} to a `{scheme}` URL ({shown}{more}) is not allowed")
}

/// Every problem in `site`, sorted by file and position.
pub fn check_site(site: &Site) -> Vec<Diagnostic> {
    let index = FileIndex::new(site);
    let anchors = Anchors::of(site.pages.values());
    let checker = Checker {
        site,
        index: &index,
        anchors: &anchors,
    };
    let pages: Vec<&Page> = site.pages.values().collect();
    let mut out: Vec<Diagnostic> = pages
        .par_iter()
        .flat_map_iter(|page| {
            let _placing = crate::diagnostic::placing_in(&page.text);
            let mut found = Vec::new();
            checker.page_links(page, &mut found);
            checker.page_hygiene(page, &mut found);
            found
        })
        .collect();
    checker.data_links(&mut out);
    checker.roles(&mut out);
    checker.checklists(&mut out);
    checker.titles(&mut out);
    out.extend(site.embeds.duplicate_ids.iter().cloned());
    out.extend(crate::runs::load::drift_warnings(site));
    // Stable, as `sort_by`: a big site has tens of thousands of warnings.
    out.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup();
    out
}

/// The problems of one page alone: its links and its own hygiene, not the
/// site-wide checks (titles, roles, checklists). For `serve`, which checks
/// again only the page an edit touched, when that edit changed no title,
/// anchor or front matter that other pages depend on.
pub fn check_page(site: &Site, files: &FileIndex, page: &Page) -> Vec<Diagnostic> {
    let anchors = Anchors::of(std::iter::once(page));
    let checker = Checker {
        site,
        index: files,
        anchors: &anchors,
    };
    let _placing = crate::diagnostic::placing_in(&page.text);
    let mut out = Vec::new();
    checker.page_links(page, &mut out);
    checker.page_hygiene(page, &mut out);
    out
}

/// The texts that the diagnostics a person is shown point into, by shown
/// path (see [`crate::diagnostic::shown_in_full`]).
pub fn sources(site: &Site, diagnostics: &[Diagnostic]) -> crate::diagnostic::Sources {
    let prefix = &site.display_prefix;
    let mut sources = crate::diagnostic::Sources::new();
    for diagnostic in crate::diagnostic::shown_in_full(diagnostics) {
        if sources.contains_key(&diagnostic.path) {
            continue;
        }
        let Some(path) = diagnostic.path.strip_prefix(prefix.as_str()) else {
            continue;
        };
        let text = match site.pages.get(path) {
            Some(page) => &page.text,
            None => match site.data_texts.get(path) {
                Some(text) => text,
                None => continue,
            },
        };
        sources.insert(diagnostic.path.clone(), text.clone());
    }
    sources
}

/// Every file of a site, for checking links to them: what checking one
/// page needs to know of the others.
pub struct FileIndex {
    /// Every file in the content tree, by content-relative path.
    files: BTreeSet<String>,
    /// Lowercased path → real path, to catch case mismatches.
    folded: BTreeMap<String, String>,
}

impl FileIndex {
    pub fn new(site: &Site) -> FileIndex {
        let mut files: BTreeSet<String> = site.pages.keys().cloned().collect();
        files.extend(site.assets.iter().map(|a| a.rel_path.clone()));
        files.extend(site.data_texts.keys().cloned());
        let folded = files
            .iter()
            .map(|f| (f.to_lowercase(), f.clone()))
            .collect();
        FileIndex { files, folded }
    }
}

struct Checker<'a> {
    site: &'a Site,
    index: &'a FileIndex,
    anchors: &'a Anchors<'a>,
}

/// The anchors of pages with many of them, as sets: a page with 40,000
/// headings each linked from the page itself was checked link × anchor.
struct Anchors<'s> {
    sets: HashMap<&'s str, HashSet<&'s str>>,
}

impl<'s> Anchors<'s> {
    /// Below this many anchors a page's list is looked through.
    const LISTED: usize = 32;

    fn of(pages: impl Iterator<Item = &'s Page>) -> Anchors<'s> {
        let sets = pages
            .filter(|page| page.doc.ids.len() > Self::LISTED)
            .map(|page| {
                let ids = page.doc.ids.iter().map(String::as_str).collect();
                (page.source_path.as_str(), ids)
            })
            .collect();
        Anchors { sets }
    }

    /// Whether `page` has the anchor `id`.
    fn has(&self, page: &Page, id: &str) -> bool {
        match self.sets.get(page.source_path.as_str()) {
            Some(ids) => ids.contains(id),
            None => page.doc.ids.iter().any(|known| known == id),
        }
    }
}

impl Checker<'_> {
    fn shown(&self, path: &str) -> String {
        format!("{}{path}", self.site.display_prefix)
    }

    fn page_links(&self, page: &Page, out: &mut Vec<Diagnostic>) {
        let shown = self.shown(&page.source_path);
        for link in &page.doc.links {
            let error = |message: String| {
                Diagnostic::error("link", &shown, &page.text, link.span.clone(), message)
            };
            match &link.target {
                LinkTarget::External => {}
                LinkTarget::SamePage { fragment } => {
                    if !self.anchors.has(page, fragment) {
                        out.push(error(format!("no heading or item on this page has the anchor #{fragment}")).with_hint(anchor_hint(fragment, &page.doc.ids)));
                    }
                }
                LinkTarget::Page { path, fragment } => match self.site.pages.get(path) {
                    Some(target) => {
                        if let Some(fragment) = fragment.as_ref().filter(|f| !self.anchors.has(target, f)) {
                            out.push(
                                error(format!("{} has no anchor #{fragment}", self.shown(path))).with_hint(anchor_hint(fragment, &target.doc.ids)),
                            );
                        }
                    }
                    None if link.dest.starts_with("[[") => out.push(self.missing_wiki_page(&page.source_path, link, &error)),
                    None => out.push(self.missing(path, &error, link.is_image)),
                },
                LinkTarget::Folder { path, .. } => {
                    let index = self.site.sections.get(path).and_then(|s| s.index_page.clone());
                    let hint = match index {
                        Some(index) => format!("link to the folder's page instead: {}", relative(&page.source_path, &index)),
                        None => "link to a page in that folder; a folder link works on GitHub but not in every viewer".to_string(),
                    };
                    out.push(error(format!("link to the folder {}/ rather than to a page", self.shown(path))).with_hint(hint));
                }
                LinkTarget::File { path, fragment } => {
                    if !self.index.files.contains(path) {
                        out.push(self.missing(path, &error, link.is_image));
                    } else if let (Some(fragment), Some(checklist)) = (fragment, self.site.embeds.checklists.get(path)) {
                        if !checklist.groups.iter().any(|g| g.id == *fragment) {
                            let ids: Vec<String> = checklist.groups.iter().map(|g| g.id.clone()).collect();
                            let listed = ids.iter().map(|id| format!("#{id}")).collect::<Vec<_>>().join(", ");
                            out.push(error(format!("checklist {} has no group #{fragment}", checklist.id)).with_hint(format!("its groups are {listed}")));
                        }
                    }
                }
                LinkTarget::OutsideContent => out.push(
                    error(format!("link to {} leaves the content folder", link.dest))
                        .with_hint("the site only contains the content folder; copy the file in, or link to its published URL"),
                ),
            }
        }
    }

    /// A wiki link (`[[Page Name]]`) that names no page, with the page
    /// whose file name is closest.
    fn missing_wiki_page(
        &self,
        from: &str,
        link: &crate::model::Link,
        error: &dyn Fn(String) -> Diagnostic,
    ) -> Diagnostic {
        let inner = link.dest.trim_start_matches("[[").trim_end_matches("]]");
        let name = inner.split_once('#').map_or(inner, |(name, _)| name).trim();
        let drafts = crate::routes::Routes::new(self.site.drafts.iter());
        if let Some(draft) = drafts.wiki_page(from, name) {
            return error(format!(
                "{} is a draft (`draft: true`), which this build leaves out",
                self.shown(draft)
            ))
            .with_hint("publish it (remove `draft: true`) or remove the link; `build --drafts` and `serve --drafts` show drafts");
        }
        let stems = self.site.pages.keys().map(|path| {
            let file = path.rsplit('/').next().unwrap_or(path);
            (file.rsplit_once('.').map_or(file, |(stem, _)| stem), path)
        });
        let near = closest(&name.to_lowercase(), stems.clone().map(|(stem, _)| stem))
            .and_then(|near| stems.clone().find(|(stem, _)| *stem == near))
            .map(|(_, path)| path);
        let hint = match near {
            Some(path) => format!("did you mean the page {}? A wiki link names a page by its file name, without `.md`", self.shown(path)),
            None => "a wiki link names a page by its file name, without `.md` (`[[rollback-plan]]` for rollback-plan.md)".to_string(),
        };
        error(format!("no page is named `{name}`")).with_hint(hint)
    }

    /// A link to a file that does not exist: a case mismatch, or a likely typo.
    fn missing(
        &self,
        path: &str,
        error: &dyn Fn(String) -> Diagnostic,
        is_image: bool,
    ) -> Diagnostic {
        if let Some(real) = self.index.folded.get(&path.to_lowercase()) {
            return error(format!("{} differs in letter case from the file {}", self.shown(path), self.shown(real)))
                .with_hint("this works on macOS and Windows but breaks on Linux and on the web: match the file name's case exactly");
        }
        if self.site.drafts.contains(path) {
            return error(format!(
                "{} is a draft (`draft: true`), which this build leaves out",
                self.shown(path)
            ))
            .with_hint(
                "publish it (remove `draft: true`) or remove the link; `build --drafts` and `serve --drafts` show drafts",
            );
        }
        let what = if is_image { "image" } else { "file" };
        let hint = match closest(path, self.index.files.iter().map(String::as_str)) {
            Some(near) => format!("did you mean {}?", self.shown(near)),
            None => "check the path; links are relative to the page's folder".to_string(),
        };
        error(format!("{what} {} does not exist", self.shown(path))).with_hint(hint)
    }

    fn page_hygiene(&self, page: &Page, out: &mut Vec<Diagnostic>) {
        let shown = self.shown(&page.source_path);
        markup_problems(page, &shown, out);
        self.front_and_coverage_problems(page, &shown, out);
    }

    /// Untaken task lists, misspelt front-matter keys, unknown roles.
    fn front_and_coverage_problems(&self, page: &Page, shown: &str, out: &mut Vec<Diagnostic>) {
        for (heading, at) in &page.doc.task_sections {
            let place = heading.as_ref().map_or_else(
                || "the top of the page".to_string(),
                |(_, text)| format!("section \"{text}\""),
            );
            let mut d = Diagnostic::error("coverage", shown, &page.text, *at..*at, format!("{place} has a task list that no role's checklist covers"))
                .with_hint("move the steps into a checklists/*.yaml file with owners, and embed it here with a link, so role views and print include them");
            d.severity = Severity::Warning;
            out.push(d);
        }
        out.extend(crate::frontmatter::misspelt_keys(
            shown,
            &page.text,
            &page.front,
        ));
        if !page.front.roles.is_empty() && !self.site.embeds.roles.is_empty() {
            for role in page
                .front
                .roles
                .iter()
                .filter(|r| self.site.embeds.roles.resolve(r).is_none())
            {
                let at = page.text.find(role.as_str()).unwrap_or(0);
                out.push(
                    Diagnostic::error("role", shown, &page.text, at..at + role.len(), format!("front matter names the role \"{role}\", which roles.yaml does not define"))
                        .with_hint(self.role_hint(role)),
                );
            }
        }
    }

    fn role_hint(&self, spelling: &str) -> String {
        let known: Vec<&str> = self
            .site
            .embeds
            .roles
            .all()
            .iter()
            .flat_map(|r| {
                std::iter::once(r.id.as_str())
                    .chain(std::iter::once(r.name.as_str()))
                    .chain(r.aliases.iter().map(String::as_str))
            })
            .collect();
        match closest(spelling, known.iter().copied()) {
            Some(near) => format!("did you mean \"{near}\"? Or add \"{spelling}\" to roles.yaml as a role or an alias"),
            None => format!("add \"{spelling}\" to roles.yaml as a role or as an alias of one"),
        }
    }

    /// Links in checklist items, role descriptions and the release-note spec,
    /// each reported where it is (by the YAML value it is in).
    fn data_links(&self, out: &mut Vec<Diagnostic>) {
        let mut spans: Option<(&str, Spans)> = None;
        for (file, at, markdown) in data_markdown(self.site) {
            if spans.as_ref().is_none_or(|(f, _)| *f != file) {
                spans = Some((file, self.spans(file)));
            }
            if let Some((_, spans)) = &spans {
                self.markdown_links(file, (spans, &at), markdown, out);
            }
        }
    }

    fn spans(&self, file: &str) -> Spans {
        Spans::of(self.site.data_texts.get(file).map_or("", String::as_str))
    }

    /// The links in `markdown`, the YAML value at `value` of `file`.
    fn markdown_links(
        &self,
        file: &str,
        (spans, value): (&Spans, &str),
        markdown: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let text = self.site.data_texts.get(file).map_or("", String::as_str);
        // Untrusted raw HTML in YAML text is shown as text anyway.
        if self.site.embeds.trusted_html {
            for (at, len) in crate::embed::filtered_tags(markdown) {
                let tag = &markdown[at..at + len];
                let at = text.find(tag).unwrap_or(0);
                out.push(filtered_tag_warning(
                    &self.shown(file),
                    text,
                    at..at + tag.len(),
                ));
            }
        }
        for found in crate::links::scan(markdown) {
            let (dest_url, is_image) = (found.dest, found.is_image);
            let at = located_in_yaml(text, spans, value, markdown, found.start, &dest_url);
            if let Some(scheme) = crate::sanitize::dangerous_scheme(&dest_url, is_image) {
                out.push(
                    Diagnostic::error(
                        "dangerous-link",
                        &self.shown(file),
                        text,
                        at..at + dest_url.len(),
                        dangerous_message(&dest_url, scheme, is_image),
                    )
                    .with_hint(DANGEROUS_HINT),
                );
                continue;
            }
            if is_image {
                continue;
            }
            let target = self.site.routes.resolve(file, &dest_url);
            let error = |message: String| {
                Diagnostic::error(
                    "link",
                    &self.shown(file),
                    text,
                    at..at + dest_url.len(),
                    message,
                )
            };
            match &target {
                LinkTarget::Page { path, fragment } => match self.site.pages.get(path) {
                    Some(page) => {
                        if let Some(fragment) =
                            fragment.as_ref().filter(|f| !self.anchors.has(page, f))
                        {
                            out.push(
                                error(format!("{} has no anchor #{fragment}", self.shown(path)))
                                    .with_hint(anchor_hint(fragment, &page.doc.ids)),
                            );
                        }
                    }
                    None => out.push(self.missing(path, &error, false)),
                },
                LinkTarget::File { path, .. } if !self.index.files.contains(path) => {
                    out.push(self.missing(path, &error, false))
                }
                LinkTarget::OutsideContent => out.push(error(format!(
                    "link to {dest_url} leaves the content folder"
                ))),
                _ => {}
            }
        }
    }

    fn roles(&self, out: &mut Vec<Diagnostic>) {
        let roles = &self.site.embeds.roles;
        if roles.is_empty() {
            return; // a plain docs folder: role names are not checked
        }
        let mut owning = BTreeSet::new();
        for (path, checklist) in &self.site.embeds.checklists {
            let text = self.site.data_texts.get(path).map_or("", String::as_str);
            for item in checklist.groups.iter().flat_map(|g| &g.items) {
                for guess in item.inferred.iter().filter(|g| !item.owners.contains(g)) {
                    let at = find_near(text, &format!("id: {}", item.id), guess);
                    out.push(
                        Diagnostic::error("role", &self.shown(path), text, at..at + guess.len(), format!("item {} marks \"{guess}\" as an inferred owner, but its owners do not name it", item.id))
                            .with_hint("`inferred` lists owners reconcile guessed; delete it there too, or add it to `owners`"),
                    );
                }
                for owner in &item.owners {
                    match roles.resolve(owner) {
                        Some(role) => {
                            owning.insert(role.id.clone());
                        }
                        None => {
                            let at = find_near(text, &format!("id: {}", item.id), owner);
                            out.push(
                                Diagnostic::error("role", &self.shown(path), text, at..at + owner.len(), format!("item {} names the owner \"{owner}\", which roles.yaml does not define", item.id))
                                    .with_hint(self.role_hint(owner)),
                            );
                        }
                    }
                }
            }
        }
        let text = self
            .site
            .data_texts
            .get(ROLES_FILE)
            .map_or("", String::as_str);
        for role in roles.all().iter().filter(|r| !owning.contains(&r.id)) {
            let at = text.find(&format!("id: {}", role.id)).unwrap_or(0);
            let mut d = Diagnostic::error(
                "role",
                &self.shown(ROLES_FILE),
                text,
                at..at,
                format!("the role {} owns no checklist item", role.id),
            )
            .with_hint(
                "name it as an owner of the items it does, or remove it if nobody has this role",
            );
            d.severity = Severity::Warning;
            out.push(d);
        }
    }

    fn checklists(&self, out: &mut Vec<Diagnostic>) {
        let embedded: BTreeSet<&str> = self
            .site
            .pages
            .values()
            .flat_map(|p| p.doc.embeds.iter().map(|(c, _)| c.as_str()))
            .collect();
        for (path, checklist) in &self.site.embeds.checklists {
            let text = self.site.data_texts.get(path).map_or("", String::as_str);
            let shown = self.shown(path);
            if !embedded.contains(checklist.id.as_str()) {
                let mut d = Diagnostic::error("checklist", &shown, text, 0..0, format!("checklist {} is embedded in no page", checklist.id))
                    .with_hint(format!("embed it where the guide describes this work: a paragraph with only [{}]({CHECKLISTS}/{}.yaml)", checklist.title, checklist.id));
                d.severity = Severity::Warning;
                out.push(d);
            }
            self.checklist_items(checklist, &shown, text, out);
        }
    }

    fn checklist_items(
        &self,
        checklist: &Checklist,
        shown: &str,
        text: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        // Duplicate ids are found at load (`ids`), with both places. The
        // text is read for places only when there is a problem to place.
        let spans = crate::yaml_spans::Spans::when_asked(text);
        let _placing = crate::diagnostic::placing_in(text);
        let mut earlier: HashSet<&str> = HashSet::new();
        for (g, group) in checklist.groups.iter().enumerate() {
            if group.items.is_empty() {
                let at = spans.get().key(&format!("groups/{g}/id"));
                let at = at.map_or(0..0, |span| span.start..span.start);
                let mut empty = Diagnostic::error(
                    "checklist",
                    shown,
                    text,
                    at,
                    format!("group {} has no items: it shows as an empty list", group.id),
                )
                .with_hint("add its items, or remove the group");
                empty.severity = Severity::Warning;
                out.push(empty);
            }
            for (i, item) in group.items.iter().enumerate() {
                if let Some(problem) = self.item_problem(checklist, item, &earlier) {
                    // At the item's `id:` key, or at the `parent:` value.
                    let at = match problem.at_parent {
                        true => spans.get().value(&format!("groups/{g}/items/{i}/parent")),
                        false => spans.get().key(&format!("groups/{g}/items/{i}/id")),
                    };
                    let at = at.map_or(0..0, |span| span.start..span.start);
                    out.push(
                        Diagnostic::error("checklist", shown, text, at, problem.message)
                            .with_hint(problem.hint),
                    );
                }
                earlier.insert(&item.id);
            }
        }
    }

    /// What is wrong with one item of `checklist`, if anything; `earlier`
    /// holds the ids of the items above it.
    fn item_problem(
        &self,
        checklist: &Checklist,
        item: &ChecklistItem,
        earlier: &HashSet<&str>,
    ) -> Option<ItemProblem> {
        let id = &item.id;
        let problem = |message: String, hint: &'static str| ItemProblem {
            message,
            hint,
            at_parent: false,
        };
        if let Some(reference) = &item.reference {
            let Some((_, target)) = self.site.embeds.referenced(reference) else {
                return Some(problem(
                    format!("item {id} refers to {reference}, which does not exist"),
                    "a ref is `checklist-id/item-id` of an item in another checklist",
                ));
            };
            // A ref is followed once: a ref to a ref (or to itself) shows
            // an empty item.
            if let Some(further) = &target.reference {
                return Some(problem(
                    format!("item {id} refers to {reference}, which is itself a ref (to {further}), so it would show as an empty item"),
                    "refer to the item that has the text",
                ));
            }
        } else if item.text.trim().is_empty() {
            return Some(problem(
                format!("item {id} has no text"),
                "say what to do, or remove the item",
            ));
        }
        let parent = item.parent.as_deref()?;
        (!earlier.contains(parent)).then(|| ItemProblem {
            message: format!(
                "item {id} is a sub-item of {parent}, which is no item above it in checklist {}",
                checklist.id
            ),
            hint: "a sub-item is shown under the item before it: name an item above it in `parent:`, or remove `parent:`",
            at_parent: true,
        })
    }

    fn titles(&self, out: &mut Vec<Diagnostic>) {
        let mut by_title: BTreeMap<String, Vec<&Page>> = BTreeMap::new();
        for page in self.site.pages.values() {
            by_title
                .entry(page.title.to_lowercase())
                .or_default()
                .push(page);
        }
        for pages in by_title.values().filter(|p| p.len() > 1) {
            for page in &pages[1..] {
                let mut d = Diagnostic::error("title", &self.shown(&page.source_path), &page.text, 0..0, format!("another page, {}, has the same title \"{}\"", self.shown(&pages[0].source_path), page.title))
                    .with_hint("readers tell pages apart by title in the sidebar and in search: make it distinct");
                d.severity = Severity::Warning;
                out.push(d);
            }
        }
    }
}

const CHECKLISTS: &str = crate::structured::CHECKLISTS_DIR;

/// The closest existing anchors, for a hint.
fn anchor_hint(wanted: &str, ids: &[String]) -> String {
    let mut scored: Vec<(f64, &String)> = ids
        .iter()
        .map(|id| (strsim::jaro_winkler(wanted, id), id))
        .filter(|(s, _)| *s > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    match scored.len() {
        0 => "anchors are GitHub-style heading ids: lowercase, punctuation dropped, spaces as hyphens".to_string(),
        _ => format!("did you mean {}?", scored.iter().take(3).map(|(_, id)| format!("#{id}")).collect::<Vec<_>>().join(", ")),
    }
}

/// The closest candidate by edit similarity, if any is close enough.
fn closest<'c>(wanted: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .map(|c| {
            (
                strsim::normalized_levenshtein(&wanted.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The offset of `needle` after `anchor` in `text` (else of `needle`, else 0).
fn find_near(text: &str, anchor: &str, needle: &str) -> usize {
    let start = text.find(anchor).unwrap_or(0);
    text[start..]
        .find(needle)
        .map(|i| start + i)
        .or_else(|| text.find(needle))
        .unwrap_or(0)
}

/// Where, in `text` (a whole YAML file), the destination `dest` of the link
/// at `link_start` of `markdown` (the value at `value`) is.
fn located_in_yaml(
    text: &str,
    spans: &Spans,
    value: &str,
    markdown: &str,
    link_start: usize,
    dest: &str,
) -> usize {
    // The destination follows the link's text: `[text](dest)`.
    let link = &markdown[link_start..];
    let in_link = link
        .find(&format!("]({dest}"))
        .map(|i| i + 2)
        .or_else(|| link.find(dest))
        .unwrap_or(0);
    let nth = markdown[..link_start + in_link].matches(dest).count();
    spans
        .inside(text, value, dest, nth)
        .or_else(|| text.find(dest))
        .unwrap_or(0)
}

/// The Markdown texts in the YAML data, file by file: (file, the path of
/// the value in it, the text) for each checklist item, role summary and
/// responsibility, and release-note prompt and template.
fn data_markdown(site: &Site) -> Vec<(&str, String, &str)> {
    let mut out = Vec::new();
    for (path, checklist) in &site.embeds.checklists {
        for (g, group) in checklist.groups.iter().enumerate() {
            for (i, item) in group.items.iter().enumerate() {
                let at = format!("groups/{g}/items/{i}/text");
                out.push((path.as_str(), at, item.text.as_str()));
            }
        }
    }
    for (r, role) in site.embeds.roles.all().iter().enumerate() {
        out.push((
            ROLES_FILE,
            format!("roles/{r}/summary"),
            role.summary.as_str(),
        ));
        for (i, responsibility) in role.responsibilities.iter().enumerate() {
            let at = format!("roles/{r}/responsibilities/{i}");
            out.push((ROLES_FILE, at, responsibility.as_str()));
        }
    }
    if let Some(spec) = &site.release_notes {
        for (s, section) in spec.sections.iter().enumerate() {
            let prompt = (format!("sections/{s}/prompt"), section.prompt.as_str());
            let template = (format!("sections/{s}/template"), section.template.as_str());
            for (at, markdown) in [prompt, template] {
                out.push((RELEASE_NOTES_FILE, at, markdown));
            }
        }
    }
    out
}

/// Every link in the site that leaves it, for `check --external`: in the
/// pages, then in the YAML data (checklist items, roles, the release-note
/// spec), each with where it is in its file.
pub fn external_links(site: &Site) -> Vec<ExternalLink> {
    let mut links = Vec::new();
    for page in site.pages.values() {
        let path = format!("{}{}", site.display_prefix, page.source_path);
        let text: Arc<str> = Arc::from(page.text.as_str());
        for link in &page.doc.links {
            if link.target == LinkTarget::External {
                links.push(ExternalLink {
                    url: link.dest.clone(),
                    path: path.clone(),
                    span: link.span.clone(),
                    text: Arc::clone(&text),
                });
            }
        }
    }
    let mut current: Option<(&str, Spans, Arc<str>)> = None;
    for (file, at, markdown) in data_markdown(site) {
        if current.as_ref().is_none_or(|(f, ..)| *f != file) {
            let text = site.data_texts.get(file).map_or("", String::as_str);
            current = Some((file, Spans::of(text), Arc::from(text)));
        }
        let Some((_, spans, text)) = &current else {
            continue;
        };
        for found in crate::links::scan(markdown) {
            if site.routes.resolve(file, &found.dest) != LinkTarget::External {
                continue;
            }
            let start = located_in_yaml(text, spans, &at, markdown, found.start, &found.dest);
            links.push(ExternalLink {
                url: found.dest.to_string(),
                path: format!("{}{file}", site.display_prefix),
                span: start..start + found.dest.len(),
                text: Arc::clone(text),
            });
        }
    }
    links
}

/// A relative link from one source file to another.
fn relative(from: &str, to: &str) -> String {
    crate::routes::relative_url(from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names() {
        let files = ["guide/setup.md", "guide/deploy.md", "README.md"];
        assert_eq!(
            closest("guide/setpu.md", files.iter().copied()),
            Some("guide/setup.md")
        );
        assert_eq!(closest("zzz.md", files.iter().copied()), None);
    }

    #[test]
    fn anchor_hints_name_the_closest() {
        let ids = ["install-the-tools".to_string(), "configure-git".to_string()];
        assert_eq!(
            anchor_hint("install-tools", &ids),
            "did you mean #install-the-tools?"
        );
        assert!(anchor_hint("qqq", &ids).starts_with("anchors are GitHub-style"));
    }
}
