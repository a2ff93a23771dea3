//! Checklists embedded in pages: the HTML that replaces an embed link.

use pulldown_cmark::{CowStr, Event, Parser, Tag};

use crate::checklist::{Checklist, ChecklistItem, Group, ReleaseType};
use crate::html::escape;
use crate::links::plain_text;
use crate::print_guide::{GuideAnchors, GUIDE_PRINT_URL};
use crate::routes::{relative_url, Routes};
use crate::slug::UniqueIds;

pub use crate::model::{Embeds, ResolvedItem};
pub use crate::routes::role_url;

/// Where the embedding page is.
pub struct EmbedTarget<'a> {
    pub page_url: &'a str,
    pub routes: &'a Routes,
    /// The page's ids: an item embedded twice gets `-1` on its second anchor.
    pub ids: &'a mut UniqueIds,
    /// On the whole guide: every page's anchor, and the embedding page's.
    pub guide: Option<(&'a GuideAnchors, &'a str)>,
}

/// HTML for a whole checklist, or for one group of it when `group` is given.
/// Returns the HTML and the plain text of its items (for search), or `None`
/// when the group does not exist.
pub fn checklist_html(
    embeds: &Embeds,
    path: &str,
    checklist: &Checklist,
    group: Option<&str>,
    target: &mut EmbedTarget,
) -> Option<(String, String)> {
    let groups: Vec<&Group> = match group {
        Some(id) => vec![checklist.groups.iter().find(|g| g.id == id)?],
        None => checklist.groups.iter().collect(),
    };
    let mut html = format!(
        "<div class=\"checklist\" data-checklist=\"{}\">\n",
        escape(&checklist.id)
    );
    let mut text = String::new();
    for g in groups {
        html.push_str(&format!(
            "<div class=\"checklist-group\" data-group=\"{}\">\n",
            escape(&g.id)
        ));
        if group.is_none() || g.timing.is_some() {
            html.push_str("<p class=\"checklist-group-title\">");
            if group.is_none() {
                html.push_str(&format!("<strong>{}</strong>", escape(&g.title)));
            }
            if let Some(timing) = &g.timing {
                let space = if group.is_none() { " " } else { "" };
                html.push_str(&format!(
                    "{space}<span class=\"checklist-timing\">{}</span>",
                    escape(timing)
                ));
            }
            html.push_str("</p>\n");
        }
        html.push_str("<ul class=\"contains-task-list checklist-items\">\n");
        // On the whole guide, links from items lead where the guide's do.
        let page_url = match target.guide {
            Some(_) => GUIDE_PRINT_URL,
            None => target.page_url,
        };
        for item in &g.items {
            let resolved = embeds.resolve_item(path, &checklist.id, item);
            let anchor = target.ids.unique(&item.id);
            let anchor = match target.guide {
                Some((_, page)) => GuideAnchors::id(page, &anchor),
                None => anchor,
            };
            let links = ItemLinks {
                path: resolved.path,
                routes: target.routes,
                page_url,
                guide: target.guide,
            };
            let text_html = item_text_html(&resolved.item.text, links, embeds.trusted_html);
            html.push_str(&item_li(
                embeds,
                &resolved,
                &anchor,
                &text_html,
                // On paper, an empty box to tick by hand.
                &match target.guide {
                    Some(_) => ItemStyle::Print { viewer: None },
                    None => ItemStyle::Page,
                },
                page_url,
            ));
            push_item_separator(&mut text);
            text.push_str(&plain_text(&resolved.item.text));
            push_owner_names(&mut text, embeds, resolved.item);
        }
        html.push_str("</ul>\n</div>\n");
    }
    html.push_str("</div>\n");
    Some((html, text))
}

/// Ends a list item in search text: ` · ` between items (none at the
/// start, none twice), so a search snippet keeps items apart.
pub fn push_item_separator(text: &mut String) {
    let end = text.trim_end();
    if end.is_empty() || end.ends_with('·') {
        return;
    }
    let separator = if end.ends_with(':') { " " } else { " · " };
    text.truncate(end.len());
    text.push_str(separator);
}

/// Each owner's display name (an owner `roles.yaml` does not know, as written).
fn owner_names<'a>(embeds: &'a Embeds, item: &'a crate::checklist::ChecklistItem) -> Vec<&'a str> {
    item.owners
        .iter()
        .map(|o| {
            embeds
                .roles
                .resolve(o)
                .map_or(o.as_str(), |r| r.name.as_str())
        })
        .collect()
}

/// ` (Owner, Owner)` after an item's search text, so an owner's name finds it.
fn push_owner_names(text: &mut String, embeds: &Embeds, item: &crate::checklist::ChecklistItem) {
    let names = owner_names(embeds, item);
    if !names.is_empty() {
        text.push_str(" (");
        text.push_str(&names.join(", "));
        text.push(')');
    }
}

/// How an item is drawn.
pub enum ItemStyle<'a> {
    /// In a page: a checkbox the theme's script makes tickable.
    Page,
    /// On a role page: a checkbox; owners shown only when the role
    /// (`viewer`) shares the item with others (its group names the source).
    Role { viewer: Option<&'a str> },
    /// On paper: an empty square to tick by hand; owners as on a role page.
    Print { viewer: Option<&'a str> },
}

/// One `<li>` of a checklist. `page_url` is where it is shown, for links.
pub fn item_li(
    embeds: &Embeds,
    resolved: &ResolvedItem,
    anchor: &str,
    text_html: &str,
    style: &ItemStyle,
    page_url: &str,
) -> String {
    let mut li = item_open_tag(embeds, resolved, anchor, style);
    match style {
        ItemStyle::Print { .. } => {
            li.push_str("<span class=\"print-box\" aria-hidden=\"true\"></span> ")
        }
        _ => li.push_str("<input type=\"checkbox\" disabled> "),
    }
    li.push_str(&format!(
        "<span class=\"checklist-text\">{text_html}</span>"
    ));
    let meta = item_meta(embeds, resolved.item, style, page_url);
    if !meta.is_empty() {
        li.push_str(&format!(
            " <span class=\"checklist-meta\">{}</span>",
            meta.join(" ")
        ));
    }
    li.push_str("</li>\n");
    li
}

/// The item's `<li ...>`: its anchor, key, release types, and (off a
/// page) every owner's name, for the export.
fn item_open_tag(
    embeds: &Embeds,
    resolved: &ResolvedItem,
    anchor: &str,
    style: &ItemStyle,
) -> String {
    let shown = resolved.item;
    let types: Vec<&str> = if shown.types.is_empty() {
        ReleaseType::ALL.iter().map(|t| t.as_str()).collect()
    } else {
        shown.types.iter().map(|t| t.as_str()).collect()
    };
    // Every owner's name, for the export, where a role's list may leave them off.
    let owner_names = owner_names(embeds, shown);
    format!(
        "<li class=\"task-list-item checklist-item{sub}\" id=\"{anchor}\" data-item=\"{key}\" data-types=\"{types}\"{optional}{owners}>",
        sub = if shown.parent.is_some() { " checklist-subitem" } else { "" },
        anchor = escape(anchor),
        key = escape(&resolved.key),
        types = types.join(" "),
        optional = if shown.optional { " data-optional=\"true\"" } else { "" },
        owners = if owner_names.is_empty() || matches!(style, ItemStyle::Page) {
            String::new()
        } else {
            format!(" data-owners=\"{}\"", escape(&owner_names.join(", ")))
        },
    )
}

/// What is shown after an item's text: optional, its condition, the
/// release types it is limited to, and its owners.
fn item_meta(
    embeds: &Embeds,
    shown: &ChecklistItem,
    style: &ItemStyle,
    page_url: &str,
) -> Vec<String> {
    let mut meta = Vec::new();
    if shown.optional {
        meta.push("<span class=\"checklist-optional\">optional</span>".to_string());
    }
    if let Some(when) = &shown.when {
        meta.push(format!(
            "<span class=\"checklist-when\">{}</span>",
            escape(when)
        ));
    }
    if !shown.types.is_empty() && shown.types.len() < ReleaseType::ALL.len() {
        let names: Vec<&str> = shown.types.iter().map(|t| t.as_str()).collect();
        meta.push(format!(
            "<span class=\"checklist-types\">{} only</span>",
            names.join(" and ")
        ));
    }
    meta.extend(owners_meta(embeds, shown, style, page_url));
    meta
}

/// The item's owners, linked to their role pages; `None` on a role's own
/// list when the role does it alone (its name on every item says nothing).
fn owners_meta(
    embeds: &Embeds,
    shown: &ChecklistItem,
    style: &ItemStyle,
    page_url: &str,
) -> Option<String> {
    let viewer = match style {
        ItemStyle::Role { viewer } | ItemStyle::Print { viewer } => *viewer,
        ItemStyle::Page => None,
    };
    let is_viewer =
        |o: &String| viewer.is_some_and(|v| embeds.roles.resolve(o).is_some_and(|r| r.id == v));
    if !shown.owners.iter().any(|o| !is_viewer(o)) {
        return None;
    }
    let owners: Vec<String> = shown
        .owners
        .iter()
        .map(|o| {
            let html = owner_html(embeds, o, page_url);
            match shown.inferred.contains(o) {
                // Reconcile's guess, until a writer confirms it.
                true => format!("{html} <span class=\"owner-inferred\">(inferred)</span>"),
                false => html,
            }
        })
        .collect();
    Some(format!(
        "<span class=\"checklist-owners\">{}</span>",
        owners.join(", ")
    ))
}

/// An owner: a link to the role's page when the role is known.
fn owner_html(embeds: &Embeds, spelling: &str, page_url: &str) -> String {
    match embeds.roles.resolve(spelling) {
        Some(role) => format!(
            "<a class=\"owner\" data-role=\"{id}\" href=\"{href}\">{name}</a>",
            id = escape(&role.id),
            href = escape(&relative_url(page_url, &role_url(&role.id))),
            name = escape(&role.name),
        ),
        None => format!("<span class=\"owner\">{}</span>", escape(spelling)),
    }
}

/// Inline Markdown to HTML, links resolved from the checklist file's folder.
/// Raw HTML is shown as text unless `trusted_html` (and then filtered as
/// GitHub does, see `sanitize::TagFilter`); links and images to
/// `javascript:` and other code-running URLs lose their URL.
pub fn inline_html(
    markdown: &str,
    path: &str,
    routes: &Routes,
    page_url: &str,
    trusted_html: bool,
) -> String {
    let links = ItemLinks {
        path,
        routes,
        page_url,
        guide: None,
    };
    item_text_html(markdown, links, trusted_html)
}

/// [`inline_html`], with the links of an item.
fn item_text_html(markdown: &str, mut links: ItemLinks, trusted_html: bool) -> String {
    let mut filter = crate::sanitize::TagFilter::new(true);
    let events = Parser::new_ext(markdown, crate::links::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Paragraph) | Event::End(pulldown_cmark::TagEnd::Paragraph) => None,
            Event::Html(html) | Event::InlineHtml(html) if !trusted_html => Some(Event::Text(html)),
            // Trusted HTML still goes through GitHub's tag filter, as pages do.
            Event::Html(html) | Event::InlineHtml(html) => Some(Event::InlineHtml(
                filter
                    .apply(&html, markdown, range.start, markdown.len())
                    .into_owned()
                    .into(),
            )),
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                Some(crate::links::rewrite(tag, &mut links))
            }
            other => Some(other),
        });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html.trim().to_string()
}

/// A checklist item's links: relative to its file, written relative to the
/// page that shows it; its images are left as written.
struct ItemLinks<'r> {
    path: &'r str,
    routes: &'r Routes,
    page_url: &'r str,
    /// On the whole guide: every page's anchor, and the embedding page's.
    guide: Option<(&'r GuideAnchors, &'r str)>,
}

impl<'a> crate::links::Destinations<'a> for ItemLinks<'_> {
    fn blocked(&mut self, dest: &str, is_image: bool) -> bool {
        crate::sanitize::dangerous_scheme(dest, is_image).is_some()
    }

    fn rewrite(&mut self, dest: CowStr<'a>, is_image: bool) -> CowStr<'a> {
        if is_image {
            return dest;
        }
        let resolved = self.routes.resolve(self.path, &dest);
        let href = match self.guide {
            Some((guide, page)) => guide.href(self.routes, page, &resolved),
            None => self.routes.href(self.page_url, &resolved),
        };
        href.map_or(dest, Into::into)
    }
}

/// Where trusted raw HTML in inline Markdown (a checklist item, a role's
/// summary) has a tag that [`inline_html`] shows as text: (offset, length).
pub fn filtered_tags(markdown: &str) -> Vec<(usize, usize)> {
    let mut filter = crate::sanitize::TagFilter::new(true);
    for (event, range) in Parser::new_ext(markdown, crate::links::options()).into_offset_iter() {
        if let Event::Html(html) | Event::InlineHtml(html) = event {
            filter.apply(&html, markdown, range.start, markdown.len());
        }
    }
    filter.filtered
}
