//! Checklists, roles and the release-note spec: the structured YAML of a
//! playbook (`checklists/*.yaml`, `roles.yaml`, `release-notes.yaml`), read
//! into typed data shared by reconcile (which writes it) and the build
//! (which embeds checklists in pages).
//!
//! A page embeds a checklist with a paragraph that is only a link to its
//! file, which reads sensibly on GitHub too:
//! `[Deployment checklist](checklists/deployment.yaml)`, or one group of it:
//! `[Pre-deployment](checklists/deployment.yaml#pre-deployment)`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The kinds of release a checklist item can apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReleaseType {
    Patch,
    Minor,
    Major,
}

impl ReleaseType {
    pub const ALL: [ReleaseType; 3] = [ReleaseType::Patch, ReleaseType::Minor, ReleaseType::Major];

    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseType::Patch => "patch",
            ReleaseType::Minor => "minor",
            ReleaseType::Major => "major",
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One checklist file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub groups: Vec<Group>,
}

/// A phase or part of a checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub title: String,
    /// When it happens, as the guide says it: `T-24 to T-1 hours`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<String>,
    pub items: Vec<ChecklistItem>,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// Stable id, unique in the checklist; also the item's anchor on pages.
    pub id: String,
    /// Inline Markdown. Empty when `ref` points at the item's canonical copy.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// The same item, kept in another checklist: `checklist-id/item-id`.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Role ids (or names or aliases) of whoever does it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    /// Owners reconcile inferred (from a role's responsibilities, a section
    /// named for its domain, or the document's purpose), each also in
    /// `owners`; shown "(inferred)" until a writer confirms it by deleting
    /// it here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
    /// The release types it applies to; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<ReleaseType>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// A condition as the guide words it ("if external-facing"), shown beside the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The id of the item this one is a sub-step of (in the same checklist).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The guide copies it came from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// `roles.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolesFile {
    pub roles: Vec<RoleEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleEntry {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responsibilities: Vec<String>,
}

/// `release-notes.yaml`: what a release note contains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseNoteSpec {
    /// Title pattern with `{version}` and `{date}`.
    pub title: String,
    pub sections: Vec<ReleaseNoteSection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseNoteSection {
    pub id: String,
    pub title: String,
    /// What to write there.
    pub prompt: String,
    /// Release types that need it; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<ReleaseType>,
    /// A Markdown skeleton to start from, if the template had one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub template: String,
    /// Role ids that prepare it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// Every role spelling (id, name, alias; any case) → role.
#[derive(Debug, Default)]
pub struct RoleIndex {
    by_spelling: BTreeMap<String, usize>,
    roles: Vec<RoleEntry>,
}

impl RoleIndex {
    pub fn new(roles: &[RoleEntry]) -> RoleIndex {
        let mut index = RoleIndex {
            by_spelling: BTreeMap::new(),
            roles: roles.to_vec(),
        };
        for (i, role) in roles.iter().enumerate() {
            for spelling in std::iter::once(&role.id)
                .chain(std::iter::once(&role.name))
                .chain(&role.aliases)
            {
                index
                    .by_spelling
                    .entry(spelling.to_lowercase())
                    .or_insert(i);
            }
        }
        index
    }

    pub fn resolve(&self, spelling: &str) -> Option<&RoleEntry> {
        self.by_spelling
            .get(&spelling.trim().to_lowercase())
            .map(|&i| &self.roles[i])
    }

    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }

    /// Every role, in `roles.yaml` order.
    pub fn all(&self) -> &[RoleEntry] {
        &self.roles
    }
}
