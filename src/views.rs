//! Role views of the checklists: every phase (checklist group) in release
//! timeline order, with where it sits in the guide, and the items a role owns.
//!
//! Timeline order: groups sorted by their [`ReleasePhase`] (planning,
//! pre-release, pre-deployment, deployment, post-deployment, follow-up,
//! rollback, incident), groups of one phase from every page merged, in
//! playbook order: the order in which pages, in navigation order, embed
//! checklist groups; groups no page embeds follow, in file order. An item
//! kept in two checklists (a `ref`) counts once, where it first appears.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::checklist::{Checklist, ChecklistItem, Group, ReleasePhase, ReleaseType, RoleEntry};
use crate::embed::{inline_html, item_li, ItemStyle, ResolvedItem};
use crate::model::{NavKey, Site};
use crate::routes::{relative_url, Routes};

/// A page's title and output path.
type PageRef<'a> = (&'a str, &'a str);

/// One phase of the release: a checklist group, where the guide shows it.
#[derive(Clone)]
pub struct Phase<'a> {
    pub path: &'a str,
    pub checklist: &'a Checklist,
    pub group: &'a Group,
    /// Where it sits on the release timeline.
    pub release_phase: ReleasePhase,
    /// Title and output path of the first page that embeds it.
    pub page: Option<PageRef<'a>>,
    pub items: Vec<ResolvedItem<'a>>,
}

/// Every phase in timeline order, each item once.
pub fn phases(site: &Site) -> Vec<Phase<'_>> {
    let mut order: Vec<(&str, &Group, Option<PageRef>)> = Vec::new();
    let mut seen_groups = BTreeSet::new();
    let embeds = &site.embeds;
    for key in &site.nav.order {
        let page = match key {
            NavKey::Page(path) => site.pages.get(path),
            NavKey::Section(folder) => site
                .sections
                .get(folder)
                .and_then(|s| s.index_page.as_ref())
                .and_then(|p| site.pages.get(p)),
            NavKey::Generated(_) => None,
        };
        let Some(page) = page else { continue };
        for (checklist_id, group) in &page.doc.embeds {
            let Some((path, checklist)) = embeds.by_id(checklist_id) else {
                continue;
            };
            for g in checklist
                .groups
                .iter()
                .filter(|g| group.as_ref().is_none_or(|id| *id == g.id))
            {
                if seen_groups.insert((checklist_id.as_str(), g.id.as_str())) {
                    order.push((path, g, Some((page.title.as_str(), page.url.as_str()))));
                }
            }
        }
    }
    for (path, checklist) in &embeds.checklists {
        for g in &checklist.groups {
            if seen_groups.insert((checklist.id.as_str(), g.id.as_str())) {
                order.push((path, g, None));
            }
        }
    }
    let mut seen_items = BTreeSet::new();
    let mut phases = Vec::new();
    for (path, group, page) in order {
        let Some((_, checklist)) = embeds.checklists.get_key_value(path) else {
            continue;
        };
        let items: Vec<ResolvedItem> = group
            .items
            .iter()
            .map(|item| embeds.resolve_item(path, &checklist.id, item))
            .filter(|resolved| seen_items.insert(resolved.key.clone()))
            .collect();
        // A group whose every item is kept elsewhere adds nothing.
        if !items.is_empty() {
            phases.push(Phase {
                path,
                checklist,
                group,
                release_phase: checklist.phase_of(group),
                page,
                items,
            });
        }
    }
    // Stable: within one phase, playbook order stays.
    phases.sort_by_key(|p| p.release_phase);
    phases
}

/// The phases with only the items `role` owns (phases left empty dropped).
pub fn role_phases<'a>(site: &'a Site, role: &RoleEntry) -> Vec<Phase<'a>> {
    only_role(site, &phases(site), role)
}

/// Of every phase (as [`phases`] gives them), the items `role` owns: for
/// callers that show many roles and walk the pages once.
pub fn only_role<'a>(site: &Site, all: &[Phase<'a>], role: &RoleEntry) -> Vec<Phase<'a>> {
    all.iter()
        .filter_map(|phase| {
            let items: Vec<ResolvedItem<'a>> = phase
                .items
                .iter()
                .filter(|r| owner_ids(site, r.item).contains(&role.id.as_str()))
                .cloned()
                .collect();
            (!items.is_empty()).then_some(Phase {
                path: phase.path,
                checklist: phase.checklist,
                group: phase.group,
                release_phase: phase.release_phase,
                page: phase.page,
                items,
            })
        })
        .collect()
}

/// Every role's [`only_role`], in one pass over the items (asking each
/// role in turn was roles × items: a site with 2,000 roles took seconds).
/// Keyed by role id; a role that owns nothing is absent.
pub fn by_role<'a, 's>(site: &'s Site, all: &[Phase<'a>]) -> HashMap<&'s str, Vec<Phase<'a>>> {
    // Per role: its phases, and which of `all` its last one came from.
    let mut roles: HashMap<&str, (usize, Vec<Phase<'a>>)> = HashMap::new();
    for (n, phase) in all.iter().enumerate() {
        for resolved in &phase.items {
            for role in owner_ids(site, resolved.item) {
                let (from, phases) = roles.entry(role).or_insert((usize::MAX, Vec::new()));
                match phases.last_mut() {
                    Some(last) if *from == n => last.items.push(resolved.clone()),
                    _ => {
                        *from = n;
                        phases.push(Phase {
                            path: phase.path,
                            checklist: phase.checklist,
                            group: phase.group,
                            release_phase: phase.release_phase,
                            page: phase.page,
                            items: vec![resolved.clone()],
                        });
                    }
                }
            }
        }
    }
    roles
        .into_iter()
        .map(|(role, (_, phases))| (role, phases))
        .collect()
}

/// Only the items that apply to `release_type` (phases left empty dropped).
pub fn for_type(mut phases: Vec<Phase<'_>>, release_type: Option<ReleaseType>) -> Vec<Phase<'_>> {
    if let Some(t) = release_type {
        for phase in &mut phases {
            phase
                .items
                .retain(|r| r.item.types.is_empty() || r.item.types.contains(&t));
        }
        phases.retain(|p| !p.items.is_empty());
    }
    phases
}

/// The ids of the roles that own `item`, each once (an item may name a
/// role by its id and by an alias); owners `roles.yaml` lacks left out.
pub fn owner_ids<'s>(site: &'s Site, item: &ChecklistItem) -> Vec<&'s str> {
    let mut owners: Vec<&str> = item
        .owners
        .iter()
        .filter_map(|o| site.embeds.roles.resolve(o))
        .map(|r| r.id.as_str())
        .collect();
    owners.sort_unstable();
    owners.dedup();
    owners
}

/// A phase as templates see it.
#[derive(Serialize)]
pub struct PhaseView<'a> {
    pub checklist_id: &'a str,
    pub checklist_title: &'a str,
    pub group_id: &'a str,
    pub title: &'a str,
    pub timing: Option<&'a str>,
    pub page_title: Option<&'a str>,
    pub page_url: Option<String>,
    pub items_html: String,
    /// Its release phase (`pre-release`) and that phase's heading.
    pub stage: &'static str,
    pub stage_title: &'static str,
    /// The first and last group of its release phase in this list: a
    /// template opens and closes the phase's wrapper there.
    pub stage_start: bool,
    pub stage_end: bool,
    /// How many items it shows, and its whole release phase shows.
    pub item_count: usize,
    pub stage_items: usize,
}

/// One release phase's share of a list of phases (for role cards).
#[derive(Serialize)]
pub struct StageCount {
    pub stage: &'static str,
    pub title: &'static str,
    pub items: usize,
}

/// The text of the first `n` items, plain (for a summary).
pub fn first_items(phases: &[Phase<'_>], n: usize) -> Vec<String> {
    phases
        .iter()
        .flat_map(|p| &p.items)
        .take(n)
        .map(|r| crate::links::plain_text(&r.item.text))
        .collect()
}

/// Items per release phase, in timeline order.
pub fn stage_counts(phases: &[Phase<'_>]) -> Vec<StageCount> {
    let mut counts: Vec<StageCount> = Vec::new();
    for phase in phases {
        match counts.last_mut() {
            Some(last) if last.stage == phase.release_phase.as_str() => {
                last.items += phase.items.len()
            }
            _ => counts.push(StageCount {
                stage: phase.release_phase.as_str(),
                title: phase.release_phase.title(),
                items: phase.items.len(),
            }),
        }
    }
    counts
}

/// Phase views for a page at `page_url`, items drawn for screen or paper.
/// `viewer` is the role whose list it is: its own name is left off items
/// only it owns.
pub fn phase_views<'a>(
    site: &'a Site,
    routes: &Routes,
    phases: &[Phase<'a>],
    page_url: &str,
    print: bool,
    viewer: Option<&str>,
) -> Vec<PhaseView<'a>> {
    let mut ids = crate::slug::UniqueIds::default();
    phases
        .iter()
        .enumerate()
        .map(|(index, phase)| {
            let mut html = String::from("<ul class=\"contains-task-list checklist-items\">\n");
            for resolved in &phase.items {
                let anchor = ids.unique(&resolved.item.id);
                let text = inline_html(
                    &resolved.item.text,
                    resolved.path,
                    routes,
                    page_url,
                    site.embeds.trusted_html,
                );
                let style = if print {
                    ItemStyle::Print { viewer }
                } else {
                    ItemStyle::Role { viewer }
                };
                html.push_str(&item_li(
                    &site.embeds,
                    resolved,
                    &anchor,
                    &text,
                    &style,
                    page_url,
                ));
            }
            html.push_str("</ul>\n");
            PhaseView {
                checklist_id: &phase.checklist.id,
                checklist_title: &phase.checklist.title,
                group_id: &phase.group.id,
                title: &phase.group.title,
                timing: phase.group.timing.as_deref(),
                page_title: phase.page.map(|(t, _)| t),
                // To the group's first item where the guide shows it.
                page_url: phase.page.map(|(_, u)| match phase.items.first() {
                    Some(first) => format!("{}#{}", relative_url(page_url, u), first.item.id),
                    None => relative_url(page_url, u),
                }),
                items_html: html,
                stage: phase.release_phase.as_str(),
                stage_title: phase.release_phase.title(),
                stage_start: index == 0 || phases[index - 1].release_phase != phase.release_phase,
                stage_end: phases
                    .get(index + 1)
                    .is_none_or(|next| next.release_phase != phase.release_phase),
                item_count: phase.items.len(),
                stage_items: phases
                    .iter()
                    .filter(|p| p.release_phase == phase.release_phase)
                    .map(|p| p.items.len())
                    .sum(),
            }
        })
        .collect()
}

/// A checklist as a GitHub task list, for a release issue: phases as
/// headings (with timing), each naming its source once, as the role page
/// and the printed sheet do (as text: a link relative to the playbook
/// leads nowhere in an issue), owners and conditions inline, each item's id in an HTML comment (which
/// `playbook run import` matches ticks by). On a role's list (`viewer`)
/// owners are named only when the role shares the item with others (as on
/// its page and its printed sheet) or reconcile inferred them.
pub fn markdown(site: &Site, title: &str, phases: &[Phase<'_>], viewer: Option<&str>) -> String {
    let mut out = format!("## {title}\n");
    for phase in phases {
        out.push_str(&format!("\n### {}", one_line(&phase.group.title)));
        if let Some(timing) = &phase.group.timing {
            out.push_str(&format!(" ({})", one_line(timing)));
        }
        out.push('\n');
        out.push_str(&format!("_From: {}_\n", escape_markdown(&source_of(phase))));
        for resolved in &phase.items {
            let item = resolved.item;
            let indent = if item.parent.is_some() { "  " } else { "" };
            let text = one_line(&strip_relative_links(&item.text));
            let mut line = format!("{indent}- [ ] {text}");
            let owners: Vec<String> = item
                .owners
                .iter()
                .map(|o| {
                    site.embeds
                        .roles
                        .resolve(o)
                        .map_or_else(|| o.clone(), |r| r.name.clone())
                        + if item.inferred.contains(o) {
                            " (inferred)"
                        } else {
                            ""
                        }
                })
                .collect();
            // A guess stays visible: the writer has still to confirm it.
            let only_viewer = item.inferred.is_empty()
                && viewer.is_some_and(|v| {
                    item.owners
                        .iter()
                        .all(|o| site.embeds.roles.resolve(o).is_some_and(|r| r.id == v))
                });
            if !owners.is_empty() && !only_viewer {
                line.push_str(&format!(" — {}", owners.join(", ")));
            }
            let mut notes = Vec::new();
            if item.optional {
                notes.push("optional".to_string());
            }
            if let Some(when) = &item.when {
                notes.push(one_line(when));
            }
            if !item.types.is_empty() && item.types.len() < ReleaseType::ALL.len() {
                let names: Vec<&str> = item.types.iter().map(|t| t.as_str()).collect();
                notes.push(format!("{} only", names.join(" and ")));
            }
            if !notes.is_empty() {
                line.push_str(&format!(" ({})", notes.join(", ")));
            }
            // The stable id, for `playbook run import`; GitHub hides it.
            line.push_str(&format!(" <!-- id: {} -->", resolved.key));
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// `text` on one line: a line break in an item's text (a YAML `|` block)
/// would end its task line, and its next line could read as another task
/// (`- [x] ...`) to `playbook run import`.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where a phase comes from: its checklist, and the page that shows it
/// when that page has another title (as the printed sheet says it).
fn source_of(phase: &Phase<'_>) -> String {
    match phase.page {
        Some((page, _)) if page != phase.checklist.title => {
            format!("{} · {page}", phase.checklist.title)
        }
        _ => phase.checklist.title.clone(),
    }
}

/// Text that reads as itself inside Markdown emphasis.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>~#|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `[text](relative.md)` → `text`: a link relative to the playbook means
/// nothing in a release issue. Absolute links stay.
pub fn strip_relative_links(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    let mut copied = 0;
    let mut open: Option<(usize, usize)> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. })
                if !dest_url.contains(':') && !dest_url.starts_with('#') =>
            {
                open = Some((range.start, range.end));
            }
            Event::End(TagEnd::Link) => {
                if let Some((start, end)) = open.take() {
                    let inner = &markdown[start..end];
                    let text = inner
                        .strip_prefix('[')
                        .and_then(|r| r.rsplit_once("]("))
                        .map_or(inner, |(t, _)| t);
                    out.push_str(&markdown[copied..start]);
                    out.push_str(text);
                    copied = end;
                }
            }
            _ => {}
        }
    }
    out.push_str(&markdown[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site from `files` (path under the project root → text).
    fn site_of(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let config = crate::config::Config::new(&crate::config::Paths {
            root: dir.path().to_path_buf(),
            ..Default::default()
        })
        .unwrap();
        let site = crate::build::load_site(&config).unwrap();
        (dir, site)
    }

    #[test]
    fn every_roles_items_in_one_pass_are_what_asking_each_role_gives() {
        // Owners by id, name, alias and any case, twice on one item, unknown;
        // a role in two groups of one phase, groups of two checklists, a
        // role with nothing.
        let (_dir, site) = site_of(&[
            ("content/index.md", "# Home\n\n[A](checklists/a.yaml)\n\n[B](checklists/b.yaml)\n"),
            ("content/roles.yaml", "roles:\n- id: sre\n  name: SRE/DevOps\n  aliases: [DevOps]\n- id: qa\n  name: QA\n- id: pm\n  name: PM\n"),
            ("content/checklists/a.yaml", "id: a\ntitle: A\ngroups:\n- id: g1\n  title: G1\n  phase: planning\n  items:\n  - {id: one, text: One, owners: [sre, DevOps]}\n  - {id: two, text: Two, owners: [qa, nobody]}\n  - {id: three, text: Three, owners: [devops, QA]}\n- id: g2\n  title: G2\n  phase: planning\n  items:\n  - {id: four, text: Four, owners: [SRE/DevOps]}\n"),
            ("content/checklists/b.yaml", "id: b\ntitle: B\ngroups:\n- id: g3\n  title: G3\n  phase: deployment\n  items:\n  - {id: five, text: Five, owners: [qa]}\n  - {id: six, text: Six, owners: [sre]}\n"),
        ]);
        let all = phases(&site);
        let by_role = by_role(&site, &all);
        let keys = |phases: &[Phase]| -> Vec<(String, Vec<String>)> {
            phases
                .iter()
                .map(|p| {
                    (
                        format!("{}/{}", p.checklist.id, p.group.id),
                        p.items.iter().map(|r| r.key.clone()).collect(),
                    )
                })
                .collect()
        };
        for role in site.embeds.roles.all() {
            let one = by_role.get(role.id.as_str()).map_or(&[][..], Vec::as_slice);
            assert_eq!(
                keys(one),
                keys(&only_role(&site, &all, role)),
                "{}",
                role.id
            );
        }
        assert_eq!(keys(&by_role["sre"]).len(), 3, "g1, g2 and g3");
        assert!(!by_role.contains_key("pm"));
    }

    #[test]
    fn titles_read_as_text_in_emphasis() {
        assert_eq!(
            escape_markdown("A_b *c* [d](e) <f>"),
            "A\\_b \\*c\\* \\[d\\](e) \\<f\\>"
        );
        assert_eq!(
            escape_markdown("OctoAcme — Checklist"),
            "OctoAcme — Checklist"
        );
    }

    #[test]
    fn relative_links_become_text() {
        assert_eq!(
            strip_relative_links("Log it in [Decision Log](../log.md#x) now"),
            "Log it in Decision Log now"
        );
        assert_eq!(
            strip_relative_links("See [docs](https://e.org) and `code`"),
            "See [docs](https://e.org) and `code`"
        );
    }
}
