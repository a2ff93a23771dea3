//! Hostile input, faults and limits (issue #8): each test feeds the real
//! binary something an attacker or an accident could produce, and asserts
//! the exact error (or the cleaned output) and that nothing outside the
//! target folder was touched.

use crate::common;
#[path = "adversarial/content.rs"]
mod content;

#[path = "adversarial/output.rs"]
mod output;

#[path = "adversarial/urls.rs"]
mod urls;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{tree, Project, Run, Test};

const SCRIPT: &str = "<script>alert(1)</script>";
const BREAKOUT: &str = "\"><img src=x onerror=alert(1)>";

/// Every path under `dir` (files, folders and links), relative to it.
fn listing(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            out.insert(
                path.strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
            let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
            if is_dir {
                stack.push(path);
            }
        }
    }
    out
}

/// Every built HTML file's text, concatenated with its name.
fn all_html(project: &Project) -> Vec<(String, String)> {
    tree(&project.path("site"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

fn assert_no_payload(project: &Project) {
    for (path, html) in all_html(project) {
        for bad in ["<script>alert(1)", "<img src=x onerror", "\"><img"] {
            assert!(!html.contains(bad), "{path} contains {bad}");
        }
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Test {
    Test::in_dir(dir).args(args)
}

// ---------------------------------------------------------------- 1. HTML

#[test]
fn raw_html_is_cleaned_but_our_markup_is_kept() {
    let project = Project::empty().file(
        "content/a.md",
        concat!(
            "# Page {#top}\n\n",
            "<script>alert(1)</script>\n\n",
            "<p onclick=\"alert(1)\">para <img src=x onerror=alert(1)></p>\n\n",
            "<a href=\"javascript:alert(1)\">js</a> <iframe src=\"https://evil.example\"></iframe>\n\n",
            "<object data=\"x.swf\"></object><embed src=\"x.swf\"><style>body{display:none}</style>\n\n",
            "<form action=\"https://evil.example\"><input name=\"q\"><button>go</button></form>\n\n",
            "<a href=\"vbscript:msgbox\">vb</a> <a href=\"data:text/html,hi\">data</a> <b>bold ok</b>\n\n",
            "| n | m |\n|--:|:-:|\n| 1 | 2 |\n\n",
            "```rust\nfn main() {}\n```\n\n",
            "Note[^1].\n\n[^1]: The note.\n",
        ),
    );
    project.build();
    let html = project.read("site/a.html");
    for gone in [
        "<script>alert",
        "onclick",
        "onerror",
        "javascript:",
        "vbscript:",
        "data:text",
        "<iframe",
        "<object",
        "<embed",
        "<style>body",
        "<form",
        "<button>go",
    ] {
        assert!(!html.contains(gone), "kept {gone}");
    }
    for kept in [
        "<h1 id=\"top\">",
        "class=\"heading-anchor\" href=\"#top\"",
        "<b>bold ok</b>",
        "style=\"text-align:right\"",
        "class=\"hl-",
        "footnote",
    ] {
        assert!(html.contains(kept), "lost {kept}");
    }
}

#[test]
fn trusted_html_passes_raw_html_through() {
    let project = Project::empty()
        .file("playbook.yaml", "trusted_html: true\n")
        .file(
            "content/a.md",
            "# A\n\n<script>console.log('kept')</script>\n\n<div onclick=\"go()\">x</div>\n",
        );
    project.build();
    let html = project.read("site/a.html");
    assert!(html.contains("<script>console.log('kept')</script>"));
    assert!(html.contains("<div onclick=\"go()\">x</div>"));
}

#[test]
fn dangerous_markdown_links_are_neutralised_and_reported() {
    let page = concat!(
        "# Links\n\n",
        "[click](javascript:alert(1))\n\n",
        "<javascript:alert(2)>\n\n",
        "[ref][r] and ![img](data:text/html;base64,PHNjcmlwdD4=)\n\n",
        "![ok](data:image/png;base64,iVBORw0KGgo=) [fine](https://example.org)\n\n",
        "[r]: VBScript:msgbox(1)\n",
    );
    let project = Project::empty().file("content/a.md", page);
    let run = project.test(&["check"]).status(1).run();
    for located in [
        "error[dangerous-link]: link to a `javascript:` URL (javascript:alert(1)) is not allowed\n  ┌─ content/a.md:3:1",
        "error[dangerous-link]: link to a `javascript:` URL (javascript:alert(2)) is not allowed\n  ┌─ content/a.md:5:1",
        "error[dangerous-link]: link to a `vbscript:` URL (VBScript:msgbox(1)) is not allowed\n  ┌─ content/a.md:7:1",
        "error[dangerous-link]: image to a `data:` URL (data:text/html;base64,PHNjcmlwdD4=) is not allowed\n  ┌─ content/a.md:7:14",
    ] {
        assert!(run.stderr.contains(located), "missing {located}:\n{}", run.stderr);
    }
    assert!(run.stderr.contains(
        "help: a `javascript:`, `vbscript:` or `data:` URL runs code in the reader's browser"
    ));
    assert!(
        run.stderr.contains("4 errors, 0 warnings"),
        "{}",
        run.stderr
    );

    // build refuses it; with --allow-broken the URLs are gone, the text stays.
    project.test(&["build"]).status(1).run();
    project.build_broken();
    let html = project.read("site/a.html");
    let lower = html.to_lowercase();
    assert!(!lower.contains("href=\"javascript:"), "{html}");
    assert!(!lower.contains("href=\"vbscript:"), "{html}");
    assert!(!html.contains("data:text"), "{html}");
    assert!(html.contains("<p><a>click</a></p>"), "{html}");
    assert!(html.contains("<p><a>javascript:alert(2)</a></p>"), "{html}");
    assert!(
        html.contains("<p><a>ref</a> and <img src=\"\" alt=\"img\" /></p>"),
        "{html}"
    );
    assert!(html.contains("src=\"data:image/png;base64,iVBORw0KGgo=\""));
    assert!(html.contains("href=\"https://example.org\""));
}

/// Every place YAML or front-matter text reaches a built page.
#[test]
fn yaml_and_front_matter_text_is_escaped_everywhere() {
    let evil = format!("{SCRIPT}{BREAKOUT}");
    let q = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let e = q(&evil);
    let project = Project::empty()
        .file(
            "playbook.yaml",
            format!("title: {e}\ndescription: {e}\n"),
        )
        .file(
            "content/README.md",
            format!("---\ntitle: {e}\ndescription: {e}\nroles: [qa]\nextra_field: {e}\n---\n\n[Deploy](checklists/deploy.yaml)\n"),
        )
        .file(
            "content/roles.yaml",
            format!("roles:\n  - id: qa\n    name: {e}\n    aliases: [{e}]\n    summary: {e}\n    responsibilities: [{e}]\n"),
        )
        .file(
            "content/checklists/deploy.yaml",
            format!("id: deploy\ntitle: {e}\ngroups:\n  - id: g\n    title: {e}\n    timing: {e}\n    items:\n      - id: one\n        text: {e}\n        owners: [qa]\n"),
        )
        .file(
            "content/release-notes.yaml",
            format!("title: {e}\nsections:\n  - id: s\n    title: {e}\n    prompt: {e}\n    template: {e}\n"),
        )
        .file("content/evil.yaml", format!("text: {e}\n"))
        .file("content/other.md", format!("---\ntitle: {e}\n---\nText.\n"))
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block article %}<p class=\"data\">{{ site.data[\"evil\"].text }}</p><article>{{ page.content | safe }}</article>{% endblock article %}",
        );
    project.build();
    let pages = all_html(&project);
    for expected in [
        "index.html",
        "roles/qa.html",
        "roles/index.html",
        "print/qa.html",
        "print/all.html",
        "release-notes.html",
    ] {
        assert!(pages.iter().any(|(p, _)| p == expected), "no {expected}");
    }
    assert_no_payload(&project);
    let index = project.read("site/index.html");
    assert!(
        index.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || index.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    let other = project.read("site/other.html");
    assert!(
        other.contains("<p class=\"data\">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>"),
        "data files are escaped: {other}"
    );
}

// ---------------------------------------------------------------- 2. Paths

/// Ids that name output files try to climb out of the site.
#[test]
fn ids_cannot_write_outside_the_site() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("project");
    for (rel, text) in [
        ("content/README.md", "---\ntitle: ../../escaped\n---\n# Home\n\n[Deploy](checklists/deploy.yaml)\n"),
        ("content/roles.yaml", "roles:\n  - id: ../../escaped\n    name: Evil\n  - id: /tmp/abs-escaped\n    name: Abs\n"),
        ("content/checklists/deploy.yaml", "id: ../../escaped-checklist\ntitle: D\ngroups:\n  - id: ../../g\n    title: G\n    items:\n      - id: ../../item\n        text: Do it\n        owners: [../../escaped]\n"),
    ] {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let before = listing(outer.path());
    // Refused at load (issue 12), before the writer's own containment check.
    let run = run_in(&root, &["build", "--allow-broken"]).status(1).run();
    for refused in [
        "role id \"../../escaped\" has the character '.'",
        "role id \"/tmp/abs-escaped\" has the character '/'",
        "checklist id \"../../escaped-checklist\"",
        "group id \"../../g\"",
        "item id \"../../item\"",
    ] {
        assert!(run.stderr.contains(refused), "{refused}: {}", run.stderr);
    }
    assert_eq!(
        listing(outer.path()),
        before,
        "nothing was written anywhere"
    );
    assert!(!Path::new("/tmp/abs-escaped.html").exists());
}

#[test]
fn release_notes_and_reconcile_write_only_where_told() {
    let project = Project::fixture("checklists");
    // release-notes: --out never replaces a file without --force, and only that file is written.
    let project = project.file("notes.md", "keep me\n");
    let run = project
        .test(&["release-notes", "1.2.3", "--out", "notes.md"])
        .status(2)
        .run();
    assert_eq!(
        run.stderr,
        "error: notes.md already exists\nhelp: choose another --out, or pass --force to replace it\n"
    );
    assert_eq!(project.read("notes.md"), "keep me\n");
    let before = listing(project.root());
    project
        .test(&["release-notes", "1.2.3", "--out", "new-notes.md"])
        .run();
    let mut expected = before.clone();
    expected.insert("new-notes.md".to_string());
    assert_eq!(listing(project.root()), expected);

    // reconcile: never overwrites an existing tree without --base or --force.
    let variants = common::fixtures_dir().join("variants");
    let mut args: Vec<String> = vec!["reconcile".into()];
    let mut names: Vec<PathBuf> = std::fs::read_dir(&variants)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    args.extend(names.iter().map(|p| p.to_string_lossy().into_owned()));
    args.extend(["--out".into(), "content".into()]);
    let before = tree(&project.path("content"));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = project.test(&args).status(2).run();
    assert!(run.stderr.starts_with(
        "error: content already exists; reconcile does not overwrite a canonical tree\nhelp: pass --base content"
    ));
    assert_eq!(tree(&project.path("content")), before);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_content_are_refused() {
    let project = Project::empty()
        .file("secret.txt", "TOP-SECRET\n")
        .file("content/a.md", "# A\n");
    std::os::unix::fs::symlink(project.path("secret.txt"), project.path("content/leak.txt"))
        .unwrap();
    std::os::unix::fs::symlink("/etc/passwd", project.path("content/passwd.md")).unwrap();
    let run = project.test(&["build"]).status(1).run();
    assert!(run.stderr.contains(
        "error[symlink]: symbolic link to [ROOT]/secret.txt leads outside the content folder (to "
    ), "{}", run.stderr);
    assert!(
        run.stderr.contains(" = in content/leak.txt:1:1"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(
        "error[symlink]: symbolic link to /etc/passwd leads outside the content folder (to /etc/passwd)"
    ), "{}", run.stderr);
    assert!(run.stderr.contains("help: playbook publishes only what is inside the content folder; copy the file in instead of linking to it"));
    assert!(!project.path("site").exists());
}

#[cfg(unix)]
#[test]
fn a_content_folder_that_is_itself_a_link_is_read_and_guarded_where_it_leads() {
    // `content -> docs` was refused as "a link to a folder".
    let project = Project::empty()
        .file("docs/index.md", "# Home\n\nSee [b](b.md).\n")
        .file("docs/b.md", "# B\n")
        .file("secret.txt", "TOP-SECRET\n");
    let _ = std::fs::remove_dir_all(project.path("content"));
    std::os::unix::fs::symlink("docs", project.path("content")).unwrap();
    project.build();
    assert!(project.read("site/index.html").contains("href=\"b.html\""));

    std::os::unix::fs::symlink("../secret.txt", project.path("docs/leak.txt")).unwrap();
    let run = project.test(&["build"]).status(1).run();
    assert!(
        run.stderr.contains(
            "error[symlink]: symbolic link to ../secret.txt leads outside the content folder"
        ),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_content_are_followed_and_loops_do_not_hang() {
    let project = Project::empty().file("content/a.md", "# A\n\nSee [b](b.md).\n");
    std::os::unix::fs::symlink("a.md", project.path("content/b.md")).unwrap();
    project.build();
    assert!(project.read("site/b.html").contains("<h1"));

    std::os::unix::fs::symlink("loop.md", project.path("content/loop.md")).unwrap();
    std::fs::create_dir(project.path("content/dir")).unwrap();
    std::os::unix::fs::symlink("..", project.path("content/dir/up")).unwrap();
    let started = Instant::now();
    let run = project.test(&["build"]).status(1).run();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        run.stderr
            .contains("error[symlink]: symbolic link to loop.md cannot be followed: "),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("help: the link is dangling or part of a loop"));
    assert!(
        run.stderr.contains(
            "error[symlink]: symbolic link to .. is not a link to a file\n = in content/dir/up:1:1"
        ),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------- 3. Limits

#[test]
fn files_over_the_size_limit_are_refused() {
    let project = Project::empty()
        .file("content/a.md", "# A\n")
        .file("content/big.png", vec![0u8; 10 * 1024 * 1024 + 1]);
    let run = project.test(&["build"]).status(1).run();
    assert!(run.stderr.contains(
        "error[too-large]: file is 10485761 bytes, more than the limit of 10485760 bytes\n = in content/big.png:1:1"
    ), "{}", run.stderr);
    assert!(run.stderr.contains("help: split it, move it out of the content folder, or raise `max_file_size` (in bytes) in playbook.yaml"));

    let project = project.file("playbook.yaml", "max_file_size: 20000000\n");
    project.build();
}

#[test]
fn too_many_files_are_refused() {
    let mut project = Project::empty().file("playbook.yaml", "max_files: 5\n");
    for i in 0..6 {
        project = project.file(&format!("content/p{i}.md"), "# P\n");
    }
    let run = project.test(&["build"]).status(2).run();
    assert_eq!(
        run.stderr,
        "error: the content folder content holds more than 5 files; playbook stops there to bound its memory\nhelp: move files that are not part of the site out of the content folder, or raise `max_files` in playbook.yaml\n"
    );
}

fn bomb(indent: &str) -> String {
    let mut text = format!(
        "{indent}a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    );
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{indent}{name}: &{name} [{refs}]\n"));
    }
    text
}

#[test]
fn yaml_alias_bombs_fail_fast_in_every_yaml_file() {
    let cases: Vec<(&str, String, &str)> = vec![
        ("content/a.md", format!("---\n{}---\n# A\n", bomb("")), "error[front-matter]: invalid front matter: repetition limit exceeded\n  ┌─ content/a.md:2:1"),
        ("content/data.yaml", bomb(""), "error[data-file]: invalid YAML: repetition limit exceeded\n  ┌─ content/data.yaml:1:1"),
        ("content/roles.yaml", format!("roles:\n  - id: qa\n    name: QA\n    extra:\n{}", bomb("      ")), "content/roles.yaml:"),
        ("content/checklists/c.yaml", format!("id: c\ntitle: C\nx:\n{}", bomb("  ")), "content/checklists/c.yaml:"),
        ("content/release-notes.yaml", format!("title: T\nsections: []\nx:\n{}", bomb("  ")), "content/release-notes.yaml:"),
        ("playbook.yaml", format!("title: T\nx:\n{}", bomb("  ")), "playbook.yaml:"),
    ];
    for (file, text, expected) in cases {
        let project = Project::empty()
            .file("content/ok.md", "# OK\n")
            .file(file, &text);
        let started = Instant::now();
        let run = project.test(&["check"]).status(1).run();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{file} took too long"
        );
        assert!(
            run.stderr.contains(expected),
            "{file}: expected {expected} in\n{}",
            run.stderr
        );
    }
}

fn deep_project() -> Project {
    let n = 100_000;
    Project::empty()
        .file("content/lists.md", format!("# L\n\n{}x\n", "- ".repeat(n)))
        .file("content/quotes.md", format!("# Q\n\n{}x\n", "> ".repeat(n)))
        .file(
            "content/html.md",
            format!(
                "# H\n\n<div>\n{}x{}\n</div>\n",
                "<div>".repeat(n),
                "</div>".repeat(n)
            ),
        )
}

/// `run` has exited with 1 (checked by its `Test`).
fn assert_deep_refused(run: &Run) {
    for at in [
        "content/lists.md:3:201",
        "content/quotes.md:3:201",
        "content/html.md:4:1",
    ] {
        assert!(
            run.stderr.contains(&format!("error[too-deep]: nesting here is deeper than the limit of 100 lists and block quotes (or 1000 raw HTML elements)\n = in {at}\n")),
            "no error at {at}"
        );
    }
    assert!(!run.stderr.contains("overflow"));
    assert!(run.stderr.len() < 5000, "the long lines are not printed");
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let project = deep_project();
    assert_deep_refused(&project.test(&["build", "--allow-broken"]).status(1).run());
    assert_deep_refused(&project.test(&["check"]).status(1).run());
    // The debug binary's frames are the larger, so the release binary is
    // safe too; a `target/release` binary may be stale, so it is not run.
}

#[test]
fn reconcile_refuses_deep_nesting() {
    let project = Project::empty().file(
        "deep.md",
        format!("# Guide\n\n## Steps\n\n{}x\n", "- ".repeat(100_000)),
    );
    let run = project
        .test(&["reconcile", "deep.md", "--out", "out"])
        .status(1)
        .run();
    assert!(run.stderr.contains(
        "error[too-deep]: nesting here is deeper than the limit of 100 lists and block quotes"
    ));
    assert!(
        run.stderr.contains(" = in deep.md:5:201\n"),
        "{}",
        run.stderr
    );
    assert!(!project.path("out").exists());
}

// ---------------------------------------------------------------- 4. Faults

/// A corpus big enough that a debug build takes a second or more.
fn corpus(pages: usize, edition: &str) -> Project {
    let mut project = Project::empty();
    for i in 0..pages {
        let next = (i + 1) % pages;
        let text = format!(
            "---\ntitle: Page {i} {edition}\nweight: {i}\n---\n# Page {i}\n\nIntro for {edition}, see [next](p{next}.md#details).\n\n## Details\n\n- one\n- two\n  - nested\n\n```yaml\nkey: {i}\nlist: [a, b]\n```\n\n| a | b |\n|---|---|\n| {i} | {edition} |\n\n{}\n",
            "Filler text for the search index. ".repeat(20)
        );
        project = project.file(&format!("content/d{}/p{i}.md", i % 10), text);
    }
    project
}

fn staging_dirs(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site.playbook-"))
        .collect()
}

/// The second edition of a [`corpus`]: every page changes.
fn second_edition_of(project: &Project, pages: usize) {
    for i in 0..pages {
        let path = project.path(&format!("content/d{}/p{i}.md", i % 10));
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("first", "second");
        std::fs::write(path, text).unwrap();
    }
}

/// `playbook build --allow-broken` started in `project`, not waited for.
fn spawn_build(project: &Project, stderr: std::process::Stdio) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(["build", "--allow-broken"])
        .current_dir(project.root())
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn a_killed_build_leaves_the_previous_site_intact() {
    let pages = 300;
    let clock = Instant::now();
    let project = corpus(pages, "first");
    project.test(&["build", "--allow-broken"]).run();
    let before = project.tree("site");
    eprintln!("corpus and first build: {:?}", clock.elapsed());

    second_edition_of(&project, pages);
    // How long a build takes, and when it starts writing (from --timings).
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("site");
    let started = Instant::now();
    let run = project
        .test(&[
            "build",
            "--allow-broken",
            "--timings",
            "--out",
            out.to_str().unwrap(),
        ])
        .run();
    let total = started.elapsed();
    let stages: Vec<(String, f64)> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("  "))
        .filter_map(|l| {
            let l = l.trim().strip_suffix("ms")?.trim_end();
            let (name, ms) = l.rsplit_once(' ')?;
            Some((name.trim().to_string(), ms.trim().parse().ok()?))
        })
        .collect();
    let ms = |f: f64| Duration::from_secs_f64(f / 1000.0);
    // Pages are written as they are rendered: kill during loading and
    // checking, and during rendering and writing.
    let position = stages
        .iter()
        .position(|(n, _)| n == "render and write")
        .expect("render and write timing");
    let before_write = ms(stages[..position].iter().map(|(_, t)| t).sum());
    let write = ms(stages[position].1);
    let mut delays: Vec<Duration> = [0.1, 0.5, 0.9]
        .iter()
        .map(|f| before_write.mul_f64(*f))
        .collect();
    delays.extend([
        before_write + write.mul_f64(0.2),
        before_write + write.mul_f64(0.5),
        before_write + write.mul_f64(0.8),
    ]);

    let second_edition = tree(&out);
    let mut killed = 0;
    let mut attempts = 0;
    let mut before = before;
    // Later builds can be quicker than the timed one (unchanged pages are
    // linked, the disk cache is warm, the machine less busy): when too few
    // were caught before they finished, go round again at shorter delays.
    let rounds = [1.0, 0.5, 0.25].iter().flat_map(|scale| {
        delays
            .iter()
            .enumerate()
            .map(move |(i, d)| (*scale, i, d.mul_f64(*scale)))
    });
    for (scale, i, delay) in rounds {
        if i == 0 && scale < 1.0 && killed >= 4 {
            break;
        }
        let delay = &delay;
        attempts += 1;
        let mut child = spawn_build(&project, std::process::Stdio::null());
        std::thread::sleep(*delay);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        if child.wait().unwrap().success() {
            // It finished first: the new site must then be complete.
            let after = project.tree("site");
            assert_eq!(after.len(), before.len());
            assert!(project.read("site/d0/p0.html").contains("second"));
            before = after;
            continue;
        }
        // Killed after the swap (while the old copy is being removed), the
        // new site is already in place, and complete.
        let now = project.tree("site");
        assert!(
            now == before || now == second_edition,
            "site/ is neither the previous site nor the new one after a build killed at {delay:?} (total {total:?})"
        );
        before = now;
    }
    eprintln!(
        "killed {killed} of {attempts} builds at {delays:?} and shorter (a build takes {total:?}, writing {write:?})"
    );
    assert!(
        killed >= 4,
        "only {killed} builds were killed before they finished"
    );

    // The next build cleans up what the killed ones left, and publishes.
    project.test(&["build", "--allow-broken"]).run();
    assert_eq!(staging_dirs(project.root()), Vec::<String>::new());
    assert!(project.read("site/d0/p0.html").contains("second"));
}

#[cfg(unix)]
#[test]
fn an_interrupted_build_removes_its_staging_folder_and_keeps_the_previous_site() {
    let pages = 600;
    let project = corpus(pages, "first");
    project.test(&["build", "--allow-broken"]).run();
    let before = project.tree("site");
    second_edition_of(&project, pages);
    // Ctrl-C, SIGTERM and a closed terminal, each once the staging folder is there.
    let mut interrupted = 0;
    for signal in ["INT", "TERM", "HUP", "INT", "TERM", "HUP"] {
        let mut child = spawn_build(&project, std::process::Stdio::piped());
        let waited = Instant::now();
        let staging = project.path(&format!(".site.playbook-tmp-{}", child.id()));
        while !staging.exists() && waited.elapsed() < Duration::from_secs(20) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        let output = child.wait_with_output().unwrap();
        if output.status.success() {
            continue; // it finished first (then the next build is the second edition anyway)
        }
        assert!(status.success(), "kill -{signal}");
        use std::os::unix::process::ExitStatusExt;
        let code = output
            .status
            .code()
            .or(output.status.signal().map(|s| 128 + s));
        let expected = match signal {
            "INT" => 130,
            "TERM" => 143,
            _ => 129,
        };
        assert_eq!(
            code,
            Some(expected),
            "{signal}: {:?}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            String::from_utf8_lossy(&output.stderr)
                .contains("interrupted: the new site was not put in place"),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        // Nothing left beside the site, and the site is the previous one.
        assert_eq!(
            staging_dirs(project.root()),
            Vec::<String>::new(),
            "after SIG{signal}"
        );
        assert_eq!(project.tree("site"), before, "after SIG{signal}");
        interrupted += 1;
    }
    assert!(
        interrupted >= 3,
        "only {interrupted} builds were interrupted before they finished"
    );
}

/// A tmpfs of `size` mounted at a fresh folder, unmounted on drop.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then_some(SmallDisk { dir })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_a_clear_error_and_keeps_the_previous_site() {
    let Some(disk) = SmallDisk::mount("2m") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "cannot mount a tmpfs (needs root) under CI"
        );
        eprintln!("SKIPPED: cannot mount a tmpfs (needs root)");
        return;
    };
    let out = disk.dir.path().join("site");
    let out_arg = out.to_str().unwrap().to_string();
    let project = Project::empty().file("content/a.md", "# Small\n");
    project.test(&["build", "--out", &out_arg]).run();
    let before = tree(&out);

    // 3 MB of incompressible bytes cannot fit in 2 MB.
    let mut bytes = Vec::with_capacity(3 << 20);
    let mut x: u32 = 12345;
    for _ in 0..(3 << 20) {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        bytes.push((x >> 16) as u8);
    }
    let project = project.file("content/big.bin", bytes);
    let run = project.test(&["build", "--out", &out_arg]).status(2).run();
    let mount = disk.dir.path().to_string_lossy().into_owned();
    let stderr = run.stderr.replace(&mount, "[DISK]");
    assert!(
        stderr.starts_with("error: the disk is full: the new site did not fit beside [DISK]/site, which is unchanged; free some space or choose another --out: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("[DISK]/.site.playbook-tmp-"),
        "names the path: {stderr}"
    );
    assert!(
        stderr
            .trim_end()
            .ends_with("No space left on device (os error 28)"),
        "{stderr}"
    );
    assert!(tree(&out) == before, "the previous site changed");
    assert_eq!(
        listing(disk.dir.path())
            .into_iter()
            .filter(|p| !p.starts_with("site"))
            .collect::<Vec<_>>(),
        Vec::<String>::new(),
        "no staging folder left behind"
    );
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error() {
    // Root ignores permissions: a path under a file cannot be created by anyone.
    let project = Project::empty()
        .file("content/a.md", "# A\n")
        .file("blocker", "a file");
    let before = listing(project.root());
    let run = project
        .test(&["build", "--out", "blocker/site"])
        .status(2)
        .run();
    assert_eq!(
        run.stderr,
        "error: cannot create blocker: File exists (os error 17)\n"
    );
    assert_eq!(listing(project.root()), before);
}

#[test]
fn dangerous_links_in_checklist_items_are_reported_and_neutralised() {
    let project = Project::empty()
        .file("content/README.md", "# Home\n\n[Deploy](checklists/deploy.yaml)\n")
        .file(
            "content/checklists/deploy.yaml",
            "id: deploy\ntitle: Deploy\ngroups:\n  - id: g\n    title: G\n    items:\n      - id: one\n        text: \"Run [this](javascript:alert(1)) and <b onmouseover=alert(1)>hover</b>\"\n",
        );
    let run = project.test(&["check"]).status(1).run();
    assert!(run.stderr.contains(
        "error[dangerous-link]: link to a `javascript:` URL (javascript:alert(1)) is not allowed\n  ┌─ content/checklists/deploy.yaml:8:27"
    ), "{}", run.stderr);
    project.build_broken();
    let html = project.read("site/index.html");
    assert!(
        html.contains("Run <a>this</a> and &lt;b onmouseover=alert(1)&gt;hover&lt;/b&gt;"),
        "{html}"
    );
    assert!(!html.contains("href=\"javascript:"));
}

#[path = "adversarial/diagnostics.rs"]
mod diagnostics;
