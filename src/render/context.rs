//! The typed views the templates see: borrowed from the Site, serialized
//! by Tera, never filled key by key.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::checklist::{ReleaseType, RoleEntry};
use crate::views::PhaseView;

#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) generator: &'static str,
    pub(crate) lang: &'a str,
    pub(crate) repository: Option<&'a str>,
    /// The data files, only when some template reads them: every page's
    /// context is serialized afresh, and checklists and roles are data files
    /// too (a third of a 10,000-page build's time went on copying them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) data: Option<&'a BTreeMap<String, serde_json::Value>>,
    /// The whole guide's printable page (from the site root), when the
    /// build makes it.
    pub(crate) print_guide: Option<&'static str>,
}

impl<'a> SiteView<'a> {
    pub(crate) fn of(site: &'a crate::model::Site, templates: &super::Templates) -> SiteView<'a> {
        SiteView {
            title: &site.title,
            description: site.description.as_deref(),
            generator: concat!("playbook ", env!("CARGO_PKG_VERSION")),
            lang: site.publishing.lang.as_str(),
            repository: site
                .publishing
                .repository
                .as_ref()
                .map(crate::config::WebUrl::as_str),
            data: templates.read_site_data().then_some(&site.data),
            print_guide: crate::print_guide::printed(site)
                .then_some(crate::print_guide::GUIDE_PRINT_URL),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct LinkView<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
}

#[derive(Serialize)]
pub(crate) struct TocEntry {
    pub(crate) level: u8,
    pub(crate) id: String,
    pub(crate) title: String,
}

#[derive(Serialize)]
pub(crate) struct ChildView<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) kind: &'static str,
}

#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    pub(crate) kind: &'static str,
    pub(crate) title: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) weight: Option<i64>,
    pub(crate) roles: &'a [String],
    pub(crate) extra: Cow<'a, BTreeMap<String, serde_json::Value>>,
    pub(crate) source_path: Option<&'a str>,
    /// The "Edit this page" link, when `edit_url` is set.
    pub(crate) edit_url: Option<String>,
    /// The page's last commit date, with `last_updated: git`.
    pub(crate) last_updated: Option<&'a str>,
    pub(crate) url: String,
    pub(crate) content: Cow<'a, str>,
    pub(crate) toc: Vec<TocEntry>,
    pub(crate) children: Vec<ChildView<'a>>,
}

static NO_EXTRA: BTreeMap<String, serde_json::Value> = BTreeMap::new();

impl<'a> PageView<'a> {
    /// A page the build makes (a folder page, a role or print page, release
    /// notes): no source, front matter or Markdown body of its own.
    pub(crate) fn generated(
        kind: &'static str,
        title: &'a str,
        weight: Option<i64>,
        url: String,
        children: Vec<ChildView<'a>>,
    ) -> PageView<'a> {
        PageView {
            kind,
            title,
            description: None,
            weight,
            roles: &[],
            extra: Cow::Borrowed(&NO_EXTRA),
            source_path: None,
            edit_url: None,
            last_updated: None,
            url,
            content: Cow::Borrowed(""),
            toc: Vec::new(),
            children,
        }
    }
}

#[derive(Serialize)]
pub(crate) struct NavView<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    pub(crate) kind: &'static str,
    /// For `kind == "more"`: how many entries the link stands for.
    pub(crate) more: String,
    pub(crate) current: bool,
    pub(crate) open: bool,
    pub(crate) children: Vec<NavView<'a>>,
}

#[derive(Serialize)]
pub(crate) struct PageContext<'a> {
    pub(crate) site: &'a SiteView<'a>,
    pub(crate) root: String,
    /// The page's absolute URL, when `base_url` is set.
    pub(crate) canonical: Option<String>,
    pub(crate) page: PageView<'a>,
    pub(crate) breadcrumbs: Vec<LinkView<'a>>,
    pub(crate) prev: Option<LinkView<'a>>,
    pub(crate) next: Option<LinkView<'a>>,
    /// The sidebar's HTML, made by [`super::navigation::sidebar_html`]:
    /// the default templates write this.
    pub(crate) sidebar: String,
    /// The sidebar's tree, only when some template reads `nav` (to draw a
    /// sidebar of its own): walking it in Tera cost a seventh of a big
    /// build's time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) nav: Option<Vec<NavView<'a>>>,
    /// What generated pages show (null elsewhere).
    #[serde(flatten)]
    pub(crate) generated: Generated<'a>,
}

/// The data of the pages made from checklists, roles and the release-note spec.
#[derive(Serialize, Default)]
pub(crate) struct Generated<'a> {
    pub(crate) roles: Option<Vec<RoleSummary<'a>>>,
    pub(crate) role: Option<RoleView<'a>>,
    pub(crate) phases: Option<Vec<PhaseView<'a>>>,
    pub(crate) release_notes: Option<ReleaseNotesView>,
    pub(crate) title: Option<String>,
    /// A release filled in ahead (the `checklist` command): version and type.
    pub(crate) release: Option<ReleaseFill>,
    /// Theme CSS and JS to inline, so a printable page stands alone.
    pub(crate) inline: Option<InlineAssets>,
    /// For the 404 page without `base_url`: the names at the site's root,
    /// a JSON array safe inside a script, from which it finds the root.
    pub(crate) top_level_json: Option<String>,
    /// The whole guide on one page.
    pub(crate) guide: Option<Vec<GuideEntryView<'a>>>,
    /// The runs index: every release run, newest first.
    pub(crate) runs: Option<Vec<crate::run_pages::RunSummary<'a>>>,
    /// A release run's page.
    pub(crate) run: Option<crate::run_pages::RunView<'a>>,
    /// A role's page: the release runs with items it owns.
    pub(crate) role_runs: Option<Vec<crate::run_pages::RoleRun>>,
}

/// A line of the whole guide's contents, and the page it stands for.
#[derive(Serialize)]
pub(crate) struct GuideEntryView<'a> {
    pub(crate) title: &'a str,
    /// How deep the sidebar has it (0 at the top).
    pub(crate) depth: usize,
    /// The page's anchor, empty for a folder without a page.
    pub(crate) anchor: String,
    /// The page's HTML, its ids and links made for the guide.
    pub(crate) content: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct ReleaseFill {
    pub(crate) version: Option<String>,
    #[serde(rename = "type")]
    pub(crate) release_type: Option<&'static str>,
}

#[derive(Serialize)]
pub(crate) struct InlineAssets {
    pub(crate) css: String,
    pub(crate) js: String,
}

/// What `playbook checklist --format html` prints.
pub struct StandalonePrint<'a> {
    pub role: Option<&'a RoleEntry>,
    pub release_type: Option<ReleaseType>,
    pub version: Option<String>,
    pub css: String,
    pub js: String,
}

#[derive(Serialize)]
pub(crate) struct RoleSummary<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) aliases: &'a [String],
    pub(crate) summary: &'a str,
    pub(crate) url: String,
    pub(crate) item_count: usize,
    /// Items per release phase, in timeline order.
    pub(crate) stages: Vec<crate::views::StageCount>,
    /// The first few items it owns, as plain text.
    pub(crate) first_items: Vec<String>,
}

impl<'a> RoleView<'a> {
    /// A role's own fields, its summary of what it owns left empty.
    pub(crate) fn new(role: &'a RoleEntry, print_url: String) -> RoleView<'a> {
        RoleView {
            id: &role.id,
            name: &role.name,
            aliases: &role.aliases,
            summary: &role.summary,
            responsibilities: &role.responsibilities,
            print_url,
            stages: Vec::new(),
            first_items: Vec::new(),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct RoleView<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) aliases: &'a [String],
    pub(crate) summary: &'a str,
    pub(crate) responsibilities: &'a [String],
    pub(crate) print_url: String,
    /// Items per release phase, in timeline order.
    pub(crate) stages: Vec<crate::views::StageCount>,
    /// The first few items it owns, as plain text.
    pub(crate) first_items: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct ReleaseNotesView {
    pub(crate) title: String,
    pub(crate) types: Vec<ScaffoldView>,
}

#[derive(Serialize)]
pub(crate) struct ScaffoldView {
    #[serde(rename = "type")]
    pub(crate) release_type: &'static str,
    pub(crate) markdown: String,
}
