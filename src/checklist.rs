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

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The kinds of release a checklist item can apply to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
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

/// Where a group sits on the release timeline. Role pages, print sheets and
/// `playbook checklist` list groups in this order (then in guide order), and
/// a printed sheet keeps each phase together with one sign-off. A group
/// says it with `phase:`; without one it is inferred from its title and its
/// checklist's title (see [`Checklist::phase_of`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ReleasePhase {
    Planning,
    PreRelease,
    PreDeployment,
    Deployment,
    PostDeployment,
    FollowUp,
    Rollback,
    Incident,
}

/// Words that name a phase outright, checked in this order (the most
/// specific first: "Post-Deployment Follow-up" is follow-up).
const STRONG_WORDS: &[(ReleasePhase, &[&str])] = &[
    (
        ReleasePhase::Incident,
        &["incident", "escalat", "hotfix", "emergency", "outage"],
    ),
    (ReleasePhase::Rollback, &["rollback", "roll back", "revert"]),
    (
        ReleasePhase::FollowUp,
        &[
            "follow up",
            "followup",
            "retro",
            "lessons",
            "post mortem",
            "postmortem",
        ],
    ),
    (
        ReleasePhase::PostDeployment,
        &[
            "post deploy",
            "post release",
            "after deploy",
            "after the release",
            "after release",
            "handoff",
            "hand off",
        ],
    ),
    (
        ReleasePhase::PreDeployment,
        &["pre deploy", "go/no go", "go no go"],
    ),
    (ReleasePhase::Planning, &["planning", "kickoff", "kick off"]),
    (
        ReleasePhase::PreRelease,
        &[
            "pre release",
            "prerelease",
            "readiness",
            "before the release",
            "before release",
            "code complete",
            "freeze",
        ],
    ),
    (
        ReleasePhase::Deployment,
        &[
            "deploy",
            "execution",
            "release day",
            "launch",
            "rollout",
            "roll out",
        ],
    ),
];

/// Words that hint at a phase when no title names one outright.
const WEAK_WORDS: &[(ReleasePhase, &[&str])] = &[
    (
        ReleasePhase::PostDeployment,
        &[
            "monitor",
            "verification",
            "validation",
            "support",
            "closure",
            "announce",
        ],
    ),
    (
        ReleasePhase::PreRelease,
        &[
            "test",
            "quality",
            "qa",
            "documentation",
            "requirement",
            "approval",
            "environment",
            "build",
            "review",
        ],
    ),
];

impl ReleasePhase {
    /// The heading print and role pages show for it.
    pub fn title(self) -> &'static str {
        match self {
            ReleasePhase::Planning => "Planning",
            ReleasePhase::PreRelease => "Pre-release",
            ReleasePhase::PreDeployment => "Pre-deployment",
            ReleasePhase::Deployment => "Deployment",
            ReleasePhase::PostDeployment => "Post-deployment",
            ReleasePhase::FollowUp => "Follow-up",
            ReleasePhase::Rollback => "Rollback",
            ReleasePhase::Incident => "Incident",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReleasePhase::Planning => "planning",
            ReleasePhase::PreRelease => "pre-release",
            ReleasePhase::PreDeployment => "pre-deployment",
            ReleasePhase::Deployment => "deployment",
            ReleasePhase::PostDeployment => "post-deployment",
            ReleasePhase::FollowUp => "follow-up",
            ReleasePhase::Rollback => "rollback",
            ReleasePhase::Incident => "incident",
        }
    }

    /// The first phase of `table` whose words `title` contains.
    fn find(table: &[(ReleasePhase, &[&str])], title: &str) -> Option<ReleasePhase> {
        let title = format!(" {} ", title.to_lowercase().replace(['-', '_', '&'], " "));
        table
            .iter()
            .find(|(_, words)| words.iter().any(|w| title.contains(w)))
            .map(|(phase, _)| *phase)
    }
}
/// One checklist file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The release types every item applies to unless a group or the item
    /// says otherwise; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<ReleaseType>,
    pub groups: Vec<Group>,
}

impl Checklist {
    /// Hands the checklist's and each group's `types` down to the items
    /// that name none, so everything after loading reads only item types.
    pub fn inherit_types(&mut self) {
        for group in &mut self.groups {
            let types = if group.types.is_empty() {
                &self.types
            } else {
                &group.types
            };
            for item in &mut group.items {
                if item.types.is_empty() {
                    item.types = types.clone();
                }
            }
        }
    }

    /// The timeline phase of one of its groups: the group's `phase:`; else
    /// a phase the group's title names ("Post-Deployment"), then one the
    /// checklist's title names ("Post-Release Phase"); else a hint in
    /// either ("Monitoring", "Testing"); else pre-release, where most of a
    /// release's work is.
    pub fn phase_of(&self, group: &Group) -> ReleasePhase {
        group
            .phase
            .or_else(|| ReleasePhase::find(STRONG_WORDS, &group.title))
            .or_else(|| ReleasePhase::find(STRONG_WORDS, &self.title))
            .or_else(|| ReleasePhase::find(WEAK_WORDS, &group.title))
            .or_else(|| ReleasePhase::find(WEAK_WORDS, &self.title))
            .unwrap_or(ReleasePhase::PreRelease)
    }
}

/// A phase or part of a checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub title: String,
    /// When it happens, as the guide says it: `T-24 to T-1 hours`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<String>,
    /// Where it sits on the release timeline; inferred from titles when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<ReleasePhase>,
    /// The release types its items apply to unless an item says otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<ReleaseType>,
    pub items: Vec<ChecklistItem>,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesFile {
    pub roles: Vec<RoleEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseNoteSpec {
    /// Title pattern with `{version}` and `{date}`.
    pub title: String,
    pub sections: Vec<ReleaseNoteSection>,
    /// Which section each kind of commit fills (`release-notes --since`);
    /// without it, [`CommitMapping::default`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commits: Option<CommitMapping>,
}

/// Conventional Commit types → the release-note sections they fill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitMapping {
    /// The section every breaking change goes to (`!` or a
    /// `BREAKING CHANGE:` footer), when the release has it.
    #[serde(default = "default_breaking_section")]
    pub breaking: Option<String>,
    /// Commit type (`feat`, `fix`, ...) → section id. Types not listed
    /// (`chore`, `ci`, `test`, ...) are left out of the scaffold.
    #[serde(default = "default_commit_types")]
    pub types: BTreeMap<String, String>,
}

fn default_breaking_section() -> Option<String> {
    Some("breaking-changes".to_string())
}

fn default_commit_types() -> BTreeMap<String, String> {
    [
        ("feat", "whats-new"),
        ("fix", "bug-fixes"),
        ("perf", "improvements"),
        ("refactor", "improvements"),
        ("docs", "documentation"),
    ]
    .into_iter()
    .map(|(t, s)| (t.to_string(), s.to_string()))
    .collect()
}

impl Default for CommitMapping {
    fn default() -> Self {
        CommitMapping {
            breaking: default_breaking_section(),
            types: default_commit_types(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(checklist: &str, group: &str) -> ReleasePhase {
        let group = Group {
            id: "g".into(),
            title: group.into(),
            timing: None,
            phase: None,
            types: Vec::new(),
            items: Vec::new(),
        };
        let list = Checklist {
            id: "c".into(),
            title: checklist.into(),
            description: None,
            types: Vec::new(),
            groups: vec![group.clone()],
        };
        list.phase_of(&group)
    }

    #[test]
    fn phases_are_inferred_from_group_then_checklist_titles() {
        use ReleasePhase::*;
        for (checklist, group, want) in [
            ("Pre-Release Phase", "Release Planning", Planning),
            (
                "Pre-release Requirements",
                "Stakeholder Alignment",
                PreRelease,
            ),
            ("Pre-Release Phase", "Documentation", PreRelease),
            ("Deployment Checklist", "Pre-Deployment", PreDeployment),
            ("Deployment Checklist", "Deployment Execution", Deployment),
            (
                "Deployment Phase",
                "Post-Deployment Verification",
                PostDeployment,
            ),
            (
                "Deployment Checklist",
                "Post-Deployment Follow-up",
                FollowUp,
            ),
            (
                "Post-Release Phase",
                "Documentation & Closure",
                PostDeployment,
            ),
            ("Hotfix Process", "Rollback Checklist", Rollback),
            ("Incident Escalation", "Decide", Incident),
            (
                "Support Handoff",
                "Before the release reaches customers",
                PreRelease,
            ),
            ("Anything", "Monitoring", PostDeployment),
            ("Anything", "Whatever", PreRelease),
        ] {
            assert_eq!(phase(checklist, group), want, "{checklist} / {group}");
        }
    }

    #[test]
    fn a_said_phase_wins_and_types_are_inherited() {
        let mut list: Checklist = serde_norway::from_str(
            "id: c\ntitle: Incident\ntypes: [patch]\ngroups:\n- id: g\n  title: Rollback\n  phase: planning\n  items:\n  - id: a\n    text: A\n  - id: b\n    text: B\n    types: [major]\n- id: h\n  title: H\n  types: [minor]\n  items:\n  - id: c\n    text: C\n",
        )
        .expect("parses");
        assert_eq!(list.phase_of(&list.groups[0]), ReleasePhase::Planning);
        list.inherit_types();
        let types: Vec<_> = list
            .groups
            .iter()
            .flat_map(|g| &g.items)
            .map(|i| i.types.clone())
            .collect();
        use ReleaseType::*;
        assert_eq!(types, [vec![Patch], vec![Major], vec![Minor]]);
    }
}
