//! Release-note scaffolds from the canonical spec (`release-notes.yaml`):
//! the title with version and date, then exactly the sections the release
//! type needs, each with its prompt and template, or, with commits, the
//! commits that fill it (through the spec's `commits:` mapping).
//!
//! The scaffold is the Tera template `release-notes.md` (built in,
//! overridable from the project's `templates/`) rendered with a
//! [`Context`], which `release-notes --context` prints as JSON.

use serde::Serialize;

use crate::checklist::{CommitMapping, ReleaseNoteSpec, ReleaseType};
use crate::conventional::Conventional;
use crate::git::Commit;

/// What the `release-notes.md` template sees.
#[derive(Debug, Serialize)]
pub struct Context {
    pub version: String,
    pub date: String,
    /// The spec's title with `{version}` and `{date}` filled in.
    pub title: String,
    pub release_type: &'static str,
    /// The REV of `--since`, when the notes come from commits.
    pub since: Option<String>,
    /// The sections this release type has, in the spec's order.
    pub sections: Vec<SectionView>,
    /// Conventional commits whose section this release type has not.
    pub unplaced: Vec<CommitView>,
    /// Commits not in Conventional Commits form (merge commits aside).
    pub other: Vec<CommitView>,
    /// Conventional commits of a type the mapping leaves out (`chore`, `ci`, ...).
    pub skipped: Vec<CommitView>,
    /// Merge commits; what they merged is listed by its own commits.
    pub merges: Vec<CommitView>,
    /// Items a release run skipped, with the reasons.
    pub known_issues: Vec<KnownIssue>,
}

#[derive(Debug, Serialize)]
pub struct SectionView {
    pub id: String,
    pub title: String,
    pub prompt: String,
    /// The spec's skeleton; empty when it has none.
    pub template: String,
    pub commits: Vec<CommitView>,
}

/// One commit, parsed, with the Markdown line a scaffold lists it by.
#[derive(Debug, Clone, Serialize)]
pub struct CommitView {
    pub id: String,
    pub short_id: String,
    pub author: String,
    pub date: String,
    /// The message's first line.
    pub summary: String,
    /// `None` when the message is not a Conventional Commit.
    pub conventional: Option<Conventional>,
    /// `**scope:** description (abc1234)`.
    pub line: String,
}

/// A run item that was skipped, and why.
#[derive(Debug, Clone, Serialize)]
pub struct KnownIssue {
    pub id: String,
    pub text: String,
    pub reason: String,
    /// `text: reason`, as Markdown that shows them as written.
    pub line: String,
}

/// The built-in scaffold template.
pub const TEMPLATE: &str = include_str!("../templates/release-notes.md");
/// Its name in the template set.
pub const TEMPLATE_NAME: &str = "release-notes.md";

/// The context of a scaffold without commits.
pub fn context(
    spec: &ReleaseNoteSpec,
    version: &str,
    date: &str,
    release_type: ReleaseType,
) -> Context {
    Context {
        version: version.to_string(),
        date: date.to_string(),
        title: spec
            .title
            .replace("{version}", version)
            .replace("{date}", date),
        release_type: release_type.as_str(),
        since: None,
        sections: spec
            .sections
            .iter()
            .filter(|s| s.types.is_empty() || s.types.contains(&release_type))
            .map(|s| SectionView {
                id: s.id.clone(),
                title: s.title.clone(),
                prompt: s.prompt.trim_end().to_string(),
                template: if s.template.trim().is_empty() {
                    String::new()
                } else {
                    s.template.trim_end().to_string()
                },
                commits: Vec::new(),
            })
            .collect(),
        unplaced: Vec::new(),
        other: Vec::new(),
        skipped: Vec::new(),
        merges: Vec::new(),
        known_issues: Vec::new(),
    }
}

/// The commits parsed, oldest first (`commits` comes newest first). A
/// commit whose subject is not a Conventional Commit but whose body lists
/// some (GitHub's squash merge: `* feat: search box` per squashed commit)
/// is one entry per listed commit.
pub fn parse_commits(commits: &[Commit]) -> Vec<(CommitView, bool)> {
    let mut parsed = Vec::new();
    for c in commits.iter().rev() {
        let short_id: String = c.id.chars().take(7).collect();
        let view = |summary: &str, conventional: Option<Conventional>| {
            let summary = summary.trim().to_string();
            let line = match &conventional {
                Some(cc) => commit_line(cc.scope.as_deref(), &cc.description, &short_id),
                None => format!("{} ({short_id})", markdown_text(&summary)),
            };
            CommitView {
                id: c.id.clone(),
                short_id: short_id.clone(),
                author: c.author.clone(),
                date: c.date.clone(),
                summary,
                conventional,
                line,
            }
        };
        let subject = c.message.lines().next().unwrap_or("");
        if c.merge {
            parsed.push((view(subject, None), true));
            continue;
        }
        if let Some(cc) = conventional(&c.message) {
            parsed.push((
                view(without_gitmoji(subject).unwrap_or(subject), Some(cc)),
                false,
            ));
            continue;
        }
        let squashed: Vec<(&str, Conventional)> = c
            .message
            .lines()
            .skip(1)
            .filter_map(|line| line.trim_start().strip_prefix(['*', '-']))
            .filter_map(|line| conventional(line.trim()).map(|cc| (line.trim(), cc)))
            .collect();
        if squashed.is_empty() {
            parsed.push((view(subject, None), false));
        }
        for (line, cc) in squashed {
            parsed.push((view(line, Some(cc)), false));
        }
    }
    parsed
}

/// A Conventional Commit, also behind a gitmoji (`✨ feat: …`, `:bug: fix: …`).
fn conventional(message: &str) -> Option<Conventional> {
    crate::conventional::parse(message)
        .or_else(|| without_gitmoji(message).and_then(crate::conventional::parse))
}

/// The message after a leading emoji or `:shortcode:` and its space.
fn without_gitmoji(message: &str) -> Option<&str> {
    let rest = match message.strip_prefix(':') {
        Some(after) => {
            let (code, rest) = after.split_once(':')?;
            let shortcode = !code.is_empty()
                && code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c));
            shortcode.then_some(rest)?
        }
        None => {
            let emoji = message
                .chars()
                .next()
                .filter(|c| !c.is_ascii() && !c.is_alphanumeric())?;
            message[emoji.len_utf8()..].trim_start_matches(|c: char| {
                !c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace()
            })
        }
    };
    rest.starts_with(char::is_whitespace)
        .then(|| rest.trim_start())
}

fn commit_line(scope: Option<&str>, text: &str, short_id: &str) -> String {
    // One list item per commit: a multi-line text stays inside it.
    let text = markdown_text(&text.trim().replace('\n', " "));
    match scope {
        Some(scope) => format!("**{}:** {text} ({short_id})", markdown_text(scope)),
        None => format!("{text} ({short_id})"),
    }
}

/// Text from a commit or a run as Markdown that shows it as written: a `<`
/// outside code spans is escaped, so `add <Button> component` is not a tag
/// that swallows its words (nor `<script>` one that runs).
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(tick) = rest.find('`') {
        out.push_str(&rest[..tick].replace('<', "&lt;"));
        let run = rest[tick..].len() - rest[tick..].trim_start_matches('`').len();
        let fence = &rest[tick..tick + run];
        match rest[tick + run..].find(fence) {
            Some(close) => {
                let end = tick + run + close + run;
                out.push_str(&rest[tick..end]);
                rest = &rest[end..];
            }
            None => {
                out.push_str(fence);
                rest = &rest[tick + run..];
            }
        }
    }
    out.push_str(&rest.replace('<', "&lt;"));
    out
}

/// The release type the commits call for: major with a breaking change,
/// minor with a feature, patch otherwise.
pub fn infer_type(commits: &[(CommitView, bool)]) -> ReleaseType {
    let conventional = || commits.iter().filter_map(|(c, _)| c.conventional.as_ref());
    if conventional().any(|c| c.breaking) {
        ReleaseType::Major
    } else if conventional().any(|c| c.kind == "feat") {
        ReleaseType::Minor
    } else {
        ReleaseType::Patch
    }
}

/// The items a release run skipped, with the reasons, in playbook order.
pub fn known_issues(run: &crate::runs::Run) -> Vec<KnownIssue> {
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    run.items
        .iter()
        .filter(|item| item.state == crate::runs::ItemState::Skipped)
        .map(|item| {
            let text = flat(&item.text);
            let reason = flat(item.reason.as_deref().unwrap_or(""));
            KnownIssue {
                id: item.id.clone(),
                line: markdown_text(&format!("{text}: {reason}")),
                text,
                reason,
            }
        })
        .collect()
}

/// Put each commit in its section through `mapping`: a breaking change in
/// the breaking section when the release has one, else by its type.
pub fn place_commits(
    context: &mut Context,
    commits: Vec<(CommitView, bool)>,
    mapping: &CommitMapping,
) {
    for (mut commit, merge) in commits {
        let Some(cc) = commit.conventional.clone() else {
            if merge {
                context.merges.push(commit);
            } else {
                context.other.push(commit);
            }
            continue;
        };
        let breaking_section = mapping
            .breaking
            .as_deref()
            .filter(|_| cc.breaking)
            .and_then(|id| context.sections.iter().position(|s| s.id == id));
        if let Some(at) = breaking_section {
            let text = cc
                .breaking_description
                .as_deref()
                .unwrap_or(&cc.description);
            commit.line = commit_line(cc.scope.as_deref(), text, &commit.short_id);
            context.sections[at].commits.push(commit);
            continue;
        }
        match mapping.types.get(&cc.kind) {
            None => context.skipped.push(commit),
            Some(id) => match context.sections.iter_mut().find(|s| &s.id == id) {
                Some(section) => section.commits.push(commit),
                None => context.unplaced.push(commit),
            },
        }
    }
}

/// Whether `version` is a semantic version (`1.4.0`, `2.0.0-rc.1`, `1.0.0+build.5`).
pub fn is_semver(version: &str) -> bool {
    semver::Version::parse(version).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::ReleaseNoteSection;

    fn spec() -> ReleaseNoteSpec {
        let section = |id: &str, types: Vec<ReleaseType>, template: &str| ReleaseNoteSection {
            id: id.into(),
            title: id.to_uppercase(),
            prompt: format!("Write the {id}."),
            types,
            template: template.into(),
            owners: Vec::new(),
            sources: Vec::new(),
        };
        ReleaseNoteSpec {
            title: "Release {version} — {date}".into(),
            sections: vec![
                section("whats-new", vec![], ""),
                section("bug-fixes", vec![], ""),
                section(
                    "breaking-changes",
                    vec![ReleaseType::Major],
                    "**Action Required:**\n- [change]",
                ),
            ],
            commits: None,
        }
    }

    fn commit(id: &str, message: &str, merge: bool) -> Commit {
        Commit {
            id: id.repeat(40 / id.len()),
            author: "A".into(),
            date: "2026-12-01".into(),
            message: message.into(),
            merge,
        }
    }

    #[test]
    fn sections_follow_the_release_type() {
        let patch = context(&spec(), "1.2.3", "2026-01-31", ReleaseType::Patch);
        assert_eq!(patch.title, "Release 1.2.3 — 2026-01-31");
        let ids: Vec<&str> = patch.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["whats-new", "bug-fixes"]);
        let major = context(&spec(), "2.0.0", "2026-01-31", ReleaseType::Major);
        assert_eq!(
            major.sections[2].template,
            "**Action Required:**\n- [change]"
        );
    }

    #[test]
    fn commits_go_where_the_mapping_says() {
        let commits = parse_commits(&[
            commit("e", "Merge branch 'x'", true),
            commit("d", "chore: bump", false),
            commit("c", "feat(api)!: v2\n\nBREAKING CHANGE: v1 is gone", false),
            commit("b", "tidy up", false),
            commit("a", "fix(ui): button", false),
        ]);
        assert_eq!(infer_type(&commits), ReleaseType::Major);
        let mut minor = context(&spec(), "2.0.0", "d", ReleaseType::Minor);
        place_commits(&mut minor, commits.clone(), &CommitMapping::default());
        // Without a breaking section, the breaking feature is a feature.
        assert_eq!(minor.sections[0].commits[0].line, "**api:** v2 (ccccccc)");
        assert_eq!(
            minor.sections[1].commits[0].line,
            "**ui:** button (aaaaaaa)"
        );
        assert_eq!(minor.other[0].line, "tidy up (bbbbbbb)");
        assert_eq!(minor.skipped.len(), 1);
        assert_eq!(minor.merges.len(), 1);
        let mut major = context(&spec(), "2.0.0", "d", ReleaseType::Major);
        place_commits(&mut major, commits, &CommitMapping::default());
        assert!(major.sections[0].commits.is_empty());
        assert_eq!(
            major.sections[2].commits[0].line,
            "**api:** v1 is gone (ccccccc)"
        );
    }

    #[test]
    fn gitmoji_before_a_conventional_header_is_read_past() {
        let lines = |message: &str| {
            parse_commits(&[commit("abcdef1", message, false)])
                .into_iter()
                .map(|(c, _)| (c.conventional.map(|cc| cc.kind), c.line))
                .collect::<Vec<_>>()
        };
        for message in [
            "✨ feat: search box",
            ":sparkles: feat: search box",
            "♻\u{fe0f} feat: search box",
        ] {
            assert_eq!(
                lines(message),
                [(Some("feat".to_string()), "search box (abcdef1)".to_string())],
                "{message:?}"
            );
        }
        // Not gitmoji: words, a bare colon, an emoji glued to the type.
        for message in [": feat: x", ":: feat: x", "✨feat: x", "✨ Tidy up"] {
            assert_eq!(lines(message)[0].0, None, "{message:?}");
        }
    }

    #[test]
    fn a_squash_merge_lists_its_commits_from_its_body() {
        let message = "Add user search (#123)\n\n* feat: search box\n\n* fix(api): empty query crash\n  detail line\n\n- docs: search help\n* not conventional\n";
        let parsed = parse_commits(&[commit("abcdef1", message, false)]);
        let found: Vec<(&str, &str)> = parsed
            .iter()
            .map(|(c, _)| {
                (
                    c.conventional.as_ref().map_or("", |cc| cc.kind.as_str()),
                    c.line.as_str(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("feat", "search box (abcdef1)"),
                ("fix", "**api:** empty query crash (abcdef1)"),
                ("docs", "search help (abcdef1)"),
            ]
        );
        // A subject that is conventional keeps its body as the body.
        let one = parse_commits(&[commit("a", "feat: x\n\n* fix: y\n", false)]);
        assert_eq!(one.len(), 1);
        // A plain commit with a plain body is one entry to place.
        let plain = parse_commits(&[commit("a", "Tidy up\n\n* moved files\n", false)]);
        assert_eq!(plain.len(), 1);
        assert!(plain[0].0.conventional.is_none());
    }

    #[test]
    fn a_tag_in_a_commit_shows_as_written_and_code_stays_code() {
        assert_eq!(
            markdown_text("add <Button> component"),
            "add &lt;Button> component"
        );
        assert_eq!(
            markdown_text("<script>alert(1)</script>"),
            "&lt;script>alert(1)&lt;/script>"
        );
        assert_eq!(
            markdown_text("use `<T>` and ``a ` <b>`` then <i>"),
            "use `<T>` and ``a ` <b>`` then &lt;i>"
        );
        assert_eq!(markdown_text("an ` unclosed <x>"), "an ` unclosed &lt;x>");
        let parsed = parse_commits(&[commit("abcdef1", "feat(<ui>): add <Button>", false)]);
        assert_eq!(parsed[0].0.line, "**&lt;ui>:** add &lt;Button> (abcdef1)");
        assert_eq!(parsed[0].0.summary, "feat(<ui>): add <Button>");
    }

    #[test]
    fn the_type_follows_from_the_commits() {
        let of = |messages: &[&str]| {
            let commits: Vec<Commit> = messages.iter().map(|m| commit("a", m, false)).collect();
            infer_type(&parse_commits(&commits))
        };
        assert_eq!(of(&["fix: a", "feat: b"]), ReleaseType::Minor);
        assert_eq!(of(&["fix: a", "docs: b", "whatever"]), ReleaseType::Patch);
        assert_eq!(of(&["fix!: a"]), ReleaseType::Major);
        assert_eq!(of(&["fix: a\n\nBREAKING-CHANGE: b"]), ReleaseType::Major);
        assert_eq!(of(&[]), ReleaseType::Patch);
    }

    #[test]
    fn semantic_versions() {
        for good in ["1.0.0", "0.1.0", "2.0.0-rc.1", "1.0.0+build.5"] {
            assert!(is_semver(good), "{good}");
        }
        for bad in ["1.0", "v1.0.0", "1.0.0.0", "", "latest"] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    proptest::proptest! {
        /// Any commit message gives entries, each line Markdown without a raw `<`
        /// outside code spans.
        #[test]
        fn any_message_parses(message in "[:✨a-z<`*\\- ]{0,12}(\\PC{0,30}(\n[*-] ?\\PC{0,20}){0,4})") {
            for (view, _) in parse_commits(&[commit("abcdef1", &message, false)]) {
                let outside_code: String = view.line.split('`').step_by(2).collect();
                proptest::prop_assert!(!outside_code.contains('<'), "{}", view.line);
            }
        }
    }
}
