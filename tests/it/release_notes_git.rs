//! `release-notes --since` and `last_updated: git` on temporary git
//! repositories whose history is scripted with the `git` command line
//! (tags light and annotated, a merged branch, scopes, `!` and
//! `BREAKING CHANGE:` footers, CRLF, non-conventional commits). Names and
//! dates are fixed, so commit ids, and the snapshots that show them, are the
//! same on every machine. Without `git` the tests say SKIPPED and pass,
//! except under `CI=true`, where they fail.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::Project;

/// A small spec: sections for every release type, one for major only.
const SPEC: &str = "\
title: Release {version} — {date}
sections:
- id: summary
  title: Summary
  prompt: What is in this release.
- id: whats-new
  title: What's New
  prompt: New features.
  template: '- [Feature]'
- id: improvements
  title: Improvements
  prompt: What got better.
- id: bug-fixes
  title: Bug Fixes
  prompt: Each fixed problem.
- id: breaking-changes
  title: Breaking Changes
  prompt: What stops working as before.
  types: [major]
- id: known-issues
  title: Known Issues
  prompt: Problems still open.
- id: documentation
  title: Documentation
  prompt: Links to the updated guides.
";

/// Whether `git` runs (see [`crate::common::program_or_skip`]).
fn git_or_skip() -> bool {
    crate::common::program_or_skip("git", "the release-notes git test")
}

/// `git ARGS` in `dir` with a fixed identity and date and no user or system
/// configuration; stdout, trimmed.
fn git_at(dir: &Path, date: &str, args: &[&str], stdin: Option<&str>) -> String {
    let mut command = Command::new("git");
    command
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", "Ada")
        .env("GIT_AUTHOR_EMAIL", "ada@example.org")
        .env("GIT_COMMITTER_NAME", "Ada")
        .env("GIT_COMMITTER_EMAIL", "ada@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("git runs");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or("").as_bytes())
        .expect("write to git");
    drop(input);
    let output = child.wait_with_output().expect("git ends");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// A project in a fresh repository on branch `main`.
struct Repo {
    project: Project,
    day: u32,
}

impl Repo {
    fn new(project: Project) -> Repo {
        let repo = Repo { project, day: 0 };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    fn date(&self) -> String {
        format!("2026-11-{:02}T12:00:00+00:00", self.day.max(1))
    }

    fn git(&self, args: &[&str]) -> String {
        git_at(self.project.root(), &self.date(), args, None)
    }

    /// Write `file` (its text changed by the message) and commit `message`
    /// a day after the last commit.
    fn commit(&mut self, file: &str, message: &str) -> String {
        self.day += 1;
        let path = self.project.path(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(&path, format!("{old}{message}\n")).unwrap();
        self.git(&["add", "-A"]);
        git_at(
            self.project.root(),
            &self.date(),
            &["commit", "-q", "--cleanup=verbatim", "-F", "-"],
            Some(message),
        );
        self.git(&["rev-parse", "HEAD"])
    }

    fn merge(&mut self, branch: &str) {
        self.day += 1;
        self.git(&[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            &format!("Merge branch '{branch}'"),
            branch,
        ]);
    }
}

/// The scripted history: v1.0.0 (light tag), features and fixes, a branch
/// merged, v1.1.0 (annotated), then a breaking change, a revert and CI work.
fn history() -> Option<(Repo, String)> {
    if !git_or_skip() {
        return None;
    }
    let project = Project::empty()
        .file("content/index.md", "# Home\n")
        .file("content/release-notes.yaml", SPEC);
    let mut repo = Repo::new(project);
    repo.commit("src/lib.rs", "chore: start");
    repo.git(&["tag", "v1.0.0"]);
    repo.commit(
        "src/search.rs",
        "feat(search): fuzzy matching of page titles",
    );
    repo.commit(
        "src/links.rs",
        "fix: anchors on Windows\r\n\r\nThe anchor kept its CR.\r\n\r\nCloses #12\r\n",
    );
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.commit("src/build.rs", "perf(build): render pages in parallel");
    repo.commit("README.md", "Update the readme");
    repo.git(&["checkout", "-q", "main"]);
    repo.commit("content/guide.md", "docs: explain release runs");
    repo.merge("feature");
    repo.git(&["tag", "-a", "v1.1.0", "-m", "1.1.0"]);
    let breaking = repo.commit(
        "src/config.rs",
        "refactor(config)!: rename `out` to `out_dir`\n\nBREAKING CHANGE: `out` is now `out_dir` in playbook.yaml",
    );
    repo.commit(
        "content/guide.md",
        "Revert \"docs: explain release runs\"\n\nThis reverts an earlier commit.",
    );
    repo.commit(".ci/run", "ci: cache the cargo registry");
    Some((repo, breaking))
}

fn notes(repo: &Repo, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["release-notes", "2.0.0", "--date", "2026-12-01"];
    args.extend_from_slice(extra);
    repo.project.test(&args).run()
}

#[test]
fn the_scaffold_of_each_range() {
    let Some((repo, breaking)) = history() else {
        return;
    };
    let all = notes(&repo, &["--since", "v1.0.0"]);
    insta::assert_snapshot!("since_v1_0_0", all.stdout);
    assert_eq!(
        all.stderr,
        "release type: major (the commits have a breaking change); pass --type to choose another\n"
    );
    let annotated = notes(&repo, &["--since", "v1.1.0"]);
    insta::assert_snapshot!("since_v1_1_0", annotated.stdout);
    // An abbreviated id; after the breaking change only a revert and CI work.
    let patch = notes(&repo, &["--since", &breaking[..10]]);
    insta::assert_snapshot!("since_the_breaking_change", patch.stdout);
    assert_eq!(
        patch.stderr,
        "release type: patch (the commits add no feature and break nothing); pass --type to choose another\n"
    );
    // Told minor, the release has no Breaking Changes: the change is listed by its type.
    let minor = notes(&repo, &["--since", "v1.1.0", "--type", "minor"]);
    assert_eq!(minor.stderr, "");
    assert!(
        !minor.stdout.contains("## Breaking Changes"),
        "{}",
        minor.stdout
    );
    assert!(
        minor.stdout.contains(
            "## Improvements\n\n_What got better._\n\n- **config:** rename `out` to `out_dir` ("
        ),
        "{}",
        minor.stdout
    );
    // A branch name works as well as a tag: nothing since main is HEAD.
    let none = notes(&repo, &["--since", "main"]);
    assert!(
        none.stdout.contains("<!-- A patch release."),
        "{}",
        none.stdout
    );
    assert!(none
        .stdout
        .contains("## What's New\n\n_New features._\n\n- [Feature]\n"));
}

#[test]
fn squash_merges_gitmoji_and_tags_in_commits_read_as_teams_write_them() {
    if !git_or_skip() {
        return;
    }
    let project = Project::empty()
        .file("content/index.md", "# Home\n")
        .file("content/release-notes.yaml", SPEC);
    let mut repo = Repo::new(project);
    repo.commit("a", "chore: start");
    repo.git(&["tag", "v1.0.0"]);
    // GitHub's squash merge of a pull request: its commits in the body.
    repo.commit(
        "b",
        "Add user search (#123)\n\n* feat(search): search box\n\n* fix: empty query crash\n",
    );
    repo.commit("c", "✨ feat: dark theme");
    repo.commit("d", ":bug: fix: crash on start");
    repo.commit("e", "feat(ui): add <Button> and `<Card>` components");
    repo.commit("f", "Tidy up <script>alert(1)</script> --> done");
    let run = notes(&repo, &["--since", "v1.0.0"]);
    let out = &run.stdout;
    for line in [
        "- **search:** search box (",
        "- dark theme (",
        "- **ui:** add &lt;Button> and `<Card>` components (",
        "- empty query crash (",
        "- crash on start (",
        "- Tidy up &lt;script>alert(1)&lt;/script> - -> done (",
    ] {
        assert!(out.contains(line), "{line:?} in {out}");
    }
    assert!(
        !out.contains("Add user search"),
        "its commits stand for it: {out}"
    );
    assert!(
        !out.contains("<script>") && !out.contains("<Button>"),
        "{out}"
    );
    // The closing comment holds only the plain commit, and stays one comment.
    let comment = &out[out.find("<!-- Commits in no section").expect("a comment")..];
    assert_eq!(comment.matches("-->").count(), 1, "{comment}");
}

#[test]
fn a_feature_makes_a_minor_release() {
    let Some((repo, _)) = history() else {
        return;
    };
    repo.git(&["tag", "v1.2.0"]);
    let mut repo = repo;
    repo.commit("src/a.rs", "feat: one more thing");
    repo.commit("src/b.rs", "fix(ui): the button");
    repo.commit("src/c.rs", "odd --> <b>message</b>");
    let run = notes(&repo, &["--since", "v1.2.0"]);
    // The list of other commits is an HTML comment that no message can end early.
    assert!(
        run.stdout.contains("\n- odd - -> &lt;b>message&lt;/b> ("),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches("-->").count(), 2, "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "release type: minor (the commits add a feature and break nothing); pass --type to choose another\n"
    );
    assert!(
        run.stdout.contains("\n- one more thing ("),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\n- **ui:** the button ("),
        "{}",
        run.stdout
    );
    // -q keeps the type to itself.
    let quiet = repo
        .project
        .test(&["-q", "release-notes", "1.3.0", "--since", "v1.2.0"])
        .run();
    assert_eq!(quiet.stderr, "");
}

#[test]
fn the_context_is_json() {
    let Some((repo, _)) = history() else {
        return;
    };
    let run = notes(&repo, &["--since", "v1.1.0", "--context"]);
    let context: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(context["release_type"], "major");
    assert_eq!(context["since"], "v1.1.0");
    assert_eq!(context["title"], "Release 2.0.0 — 2026-12-01");
    let breaking = &context["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "breaking-changes")
        .unwrap()["commits"][0];
    assert_eq!(breaking["conventional"]["type"], "refactor");
    assert_eq!(breaking["conventional"]["scope"], "config");
    assert_eq!(breaking["conventional"]["breaking"], true);
    assert_eq!(
        breaking["conventional"]["breaking_description"],
        "`out` is now `out_dir` in playbook.yaml"
    );
    assert_eq!(breaking["author"], "Ada");
    assert_eq!(breaking["date"], "2026-11-08");
    assert_eq!(breaking["id"].as_str().unwrap().len(), 40);
    assert_eq!(
        context["other"][0]["summary"],
        "Revert \"docs: explain release runs\""
    );
    assert_eq!(context["skipped"][0]["conventional"]["type"], "ci");
    assert_eq!(context["known_issues"], serde_json::json!([]));
    insta::assert_snapshot!("context_since_v1_1_0", run.stdout);
}

#[test]
fn an_unknown_revision_names_the_nearest_tags() {
    let Some((repo, _)) = history() else {
        return;
    };
    repo.project
        .test(&["release-notes", "2.0.0", "--since", "v1.1"])
        .status(2)
        .stderr("error: unknown revision `v1.1` in the git repository [ROOT]\nhelp: the nearest tags are `v1.1.0`, `v1.0.0`; pass --since a tag, a branch or a commit id\n")
        .run();
    repo.project
        .test(&["release-notes", "2.0.0", "--since", "no such thing"])
        .status(2)
        .run();
}

#[test]
fn since_outside_a_repository_says_so() {
    let project = Project::empty().file("content/release-notes.yaml", SPEC);
    if Command::new("git")
        .args(["rev-parse", "--git-dir"])
        .current_dir(project.root())
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return; // the temporary folder is inside a repository here
    }
    project
        .test(&["release-notes", "2.0.0", "--since", "v1.0.0"])
        .status(2)
        .stderr("error: --since \"v1.0.0\" needs a git repository, and . is in none\nhelp: run playbook inside the repository (or pass --root), or leave out --since for an empty scaffold\n")
        .run();
}

#[test]
fn a_project_template_replaces_the_scaffold() {
    let Some((repo, _)) = history() else {
        return;
    };
    std::fs::create_dir_all(repo.project.path("templates")).unwrap();
    std::fs::write(
        repo.project.path("templates/release-notes.md"),
        "{{ version }} ({{ release_type }}):{% for s in sections %}{% for c in s.commits %} {{ c.conventional.type }}{% endfor %}{% endfor %}\n",
    )
    .unwrap();
    let run = notes(&repo, &["--since", "v1.0.0"]);
    assert_eq!(run.stdout, "2.0.0 (major): feat perf fix refactor docs\n");
}

/// `last_updated: git`: each page's last commit date, none for a page never
/// committed; a merge dates what it brought by the day it landed.
#[test]
fn pages_show_their_last_commit_date() {
    if !git_or_skip() {
        return;
    }
    let project = Project::empty().file("playbook.yaml", "last_updated: git\n");
    let mut repo = Repo::new(project);
    repo.commit("content/index.md", "# Home");
    repo.commit("content/guide/a.md", "# A");
    repo.commit("content/b.md", "# B");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.commit("content/guide/side.md", "# Side");
    repo.git(&["checkout", "-q", "main"]);
    repo.commit("content/guide/a.md", "A again");
    repo.merge("side");
    repo.commit("src/other.rs", "not content");
    std::fs::write(repo.project.path("content/new.md"), "# New\n").unwrap();
    repo.project.build();
    let date = |page: &str| repo.project.page(page).texts(".last-updated");
    assert_eq!(date("site/index.html"), ["Last updated 2026-11-01"]);
    assert_eq!(date("site/guide/a.html"), ["Last updated 2026-11-05"]);
    assert_eq!(date("site/b.html"), ["Last updated 2026-11-03"]);
    assert_eq!(date("site/guide/side.html"), ["Last updated 2026-11-06"]);
    assert!(date("site/new.html").is_empty(), "never committed");
    let first = repo.project.tree("site");
    repo.project.build();
    assert_eq!(first, repo.project.tree("site"), "rebuilds are identical");
    let html = repo.project.read("site/b.html");
    assert!(html.contains("<time datetime=\"2026-11-03\">2026-11-03</time>"));
}

#[test]
fn without_the_setting_or_outside_git_no_date_is_shown() {
    if !git_or_skip() {
        return;
    }
    let mut repo = Repo::new(Project::empty());
    repo.commit("content/index.md", "# Home");
    repo.project.build();
    assert!(repo
        .project
        .read("site/index.html")
        .find("last-updated")
        .is_none());
    let outside = Project::empty()
        .file("playbook.yaml", "last_updated: git\n")
        .file("content/index.md", "# Home\n");
    outside.build();
    assert!(outside
        .read("site/index.html")
        .find("Last updated")
        .is_none());
    outside
        .file("playbook.yaml", "last_updated: svn\n")
        .test(&["build"])
        .status(1)
        .run();
}

/// The `commits:` mapping in release-notes.yaml replaces the default, and
/// `check` refuses one that names a section the spec does not have.
#[test]
fn the_mapping_is_the_specs() {
    let Some((repo, _)) = history() else {
        return;
    };
    let spec = format!("{SPEC}commits:\n  breaking: ~\n  types:\n    docs: whats-new\n");
    std::fs::write(repo.project.path("content/release-notes.yaml"), &spec).unwrap();
    let run = notes(&repo, &["--since", "v1.0.0"]);
    // Only docs are mapped now, breaking changes have no section of their own.
    assert!(
        run.stdout
            .contains("## What's New\n\n_New features._\n\n- explain release runs ("),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("fuzzy"), "{}", run.stdout);
    assert!(!run.stdout.contains("`out` is now"), "{}", run.stdout);
    std::fs::write(
        repo.project.path("content/release-notes.yaml"),
        format!("{SPEC}commits:\n  types:\n    fix: bug-fixes\n    feat: new-stuff\n"),
    )
    .unwrap();
    let check = repo.project.test(&["check"]).status(1).run();
    assert!(
        check.stderr.contains("error[unknown-section]: `commits:` maps to the section \"new-stuff\", which release-notes.yaml does not have\n")
            && check.stderr.contains("content/release-notes.yaml:29:11"),
        "{}",
        check.stderr
    );
}

/// A shallow clone (CI's usual checkout) lacks the parents of its oldest
/// commit: pages date from the newest commit that has them, as `git log`
/// says, and an unknown REV says how to fetch the history.
#[test]
fn a_shallow_clone_works_and_says_what_it_lacks() {
    if !git_or_skip() {
        return;
    }
    let mut repo = Repo::new(
        Project::empty()
            .file("playbook.yaml", "last_updated: git\n")
            .file("content/release-notes.yaml", SPEC),
    );
    repo.commit("content/index.md", "# Home");
    repo.git(&["tag", "v1.0.0"]);
    repo.commit("content/a.md", "# A");
    repo.commit("content/index.md", "fix: home");
    let clone = Project::empty();
    let url = format!("file://{}", repo.project.root().display());
    git_at(
        clone.root(),
        "2026-12-01T00:00:00Z",
        &["clone", "-q", "--depth", "1", "--no-tags", &url, "repo"],
        None,
    );
    let root = clone.path("repo");
    crate::common::Test::in_dir(&root).args(["build"]).run();
    let page = |name: &str| std::fs::read_to_string(root.join("site").join(name)).unwrap();
    assert!(page("index.html").contains(">2026-11-03</time>"));
    assert!(
        page("a.html").contains(">2026-11-03</time>"),
        "dated by the shallow boundary"
    );
    let run = crate::common::Test::in_dir(&root)
        .args(["release-notes", "1.0.1", "--since", "v1.0.0"])
        .status(2)
        .run();
    assert!(
        run.stderr.ends_with("help: the repository is a shallow clone: fetch its history and tags (`git fetch --unshallow --tags`, or `fetch-depth: 0` for actions/checkout)\n"),
        "{}",
        run.stderr
    );
}

/// `--run`: Known Issues lists the run's skipped items with their reasons,
/// and the run's release type is the default.
#[test]
fn known_issues_come_from_the_run() {
    let checklist = "id: release\ntitle: Release\ngroups:\n- id: testing\n  title: Testing\n  phase: pre-release\n  items:\n  - id: regression\n    text: Regression tests pass\n    owners: [qa]\n  - id: security-scan\n    text: Security scan clean\n    owners: [qa]\n  - id: load\n    text: Load test passed\n    owners: [qa]\n";
    let project = Project::empty()
        .file(
            "content/index.md",
            "# Home\n\n[Release](checklists/release.yaml)\n",
        )
        .file(
            "content/roles.yaml",
            "roles:\n- id: qa\n  name: QA Engineer\n",
        )
        .file("content/checklists/release.yaml", checklist)
        .file("content/release-notes.yaml", SPEC);
    let run = |args: &[&str]| {
        project
            .test(&["run"])
            .args(args)
            .env("PLAYBOOK_NOW", "2026-12-06T09:00:00Z")
            .run()
    };
    run(&["start", "2.4.0", "--type", "major", "--by", "Dana"]);
    run(&["tick", "2.4.0", "regression", "--by", "Sam"]);
    run(&[
        "skip",
        "2.4.0",
        "security-scan",
        "--reason",
        "scanner down;\nmanual review done",
        "--by",
        "Kim",
    ]);
    run(&[
        "skip",
        "2.4.0",
        "load",
        "--reason",
        "no load rig until 2.4.1",
        "--by",
        "Kim",
    ]);
    let notes = project
        .test(&["release-notes", "2.4.0", "--run", "--date", "2026-12-06"])
        .run();
    assert_eq!(
        notes.stderr,
        "release type: major (the run content/runs/2.4.0.yaml was started as one); pass --type to choose another\n"
    );
    assert!(
        notes.stdout.contains("## Known Issues\n\n_Problems still open._\n\n- Security scan clean: scanner down; manual review done\n- Load test passed: no load rig until 2.4.1\n\n## Documentation"),
        "{}",
        notes.stdout
    );
    assert!(notes.stdout.contains("## Breaking Changes"));
    let context = project
        .test(&[
            "release-notes",
            "2.4.0",
            "--run",
            "--type",
            "patch",
            "--context",
        ])
        .run();
    let context: serde_json::Value = serde_json::from_str(&context.stdout).unwrap();
    assert_eq!(context["release_type"], "patch");
    assert_eq!(context["known_issues"][0]["id"], "release/security-scan");
    project
        .test(&["release-notes", "2.5.0", "--run"])
        .status(2)
        .stderr("error: there is no run file content/runs/2.5.0.yaml\nhelp: start the run with `playbook run start VERSION`\n")
        .run();
}

/// `run export` names the commit the playbook was at, so an auditor can
/// check the evidence against the checklists of that commit; outside a
/// repository it says nothing of one.
#[test]
fn run_evidence_names_the_playbooks_commit() {
    if !git_or_skip() {
        return;
    }
    let checklist = "id: release\ntitle: Release\ngroups:\n- id: testing\n  title: Testing\n  items:\n  - id: regression\n    text: Regression tests pass\n";
    let project = Project::empty()
        .file(
            "content/index.md",
            "# Home\n\n[Release](checklists/release.yaml)\n",
        )
        .file("content/checklists/release.yaml", checklist);
    let start = |project: &Project| {
        project
            .test(&["run", "start", "2.4.0", "--by", "Dana"])
            .env("PLAYBOOK_NOW", "2026-12-06T09:00:00Z")
            .run();
    };
    start(&project);
    let outside = project
        .test(&["run", "export", "2.4.0", "--format", "json"])
        .run();
    let evidence: serde_json::Value = serde_json::from_str(&outside.stdout).expect("JSON");
    assert!(
        evidence["playbook_commit"].is_null(),
        "no commit outside a repository: {}",
        outside.stdout
    );

    let mut repo = Repo::new(project);
    let head = repo.commit("content/runs/README.txt", "chore: the 2.4.0 run");
    let inside = repo
        .project
        .test(&["run", "export", "2.4.0", "--format", "json"])
        .run();
    let evidence: serde_json::Value = serde_json::from_str(&inside.stdout).expect("JSON");
    assert_eq!(
        evidence["playbook_commit"].as_str(),
        Some(head.as_str()),
        "{}",
        inside.stdout
    );
    let md = repo.project.test(&["run", "export", "2.4.0"]).run();
    assert!(md.stdout.contains(&format!("`{head}`")), "{}", md.stdout);
}
