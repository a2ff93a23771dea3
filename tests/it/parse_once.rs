//! `build` parses each page once, as it renders it (a page whose title is
//! not in its front matter is read up to its first heading beforehand);
//! `serve` parses the Markdown first for the model and again for the HTML.
//! Both must give the same site, byte for byte, on every fixture and on the
//! shipped content, titled by their headings and by their front matter.

use std::collections::BTreeMap;
use std::path::Path;

use playbook::config::{Config, Paths};
use playbook::incremental::{build_in_memory, RenderCache};

use crate::common::{self, Project};

/// The site `playbook build --allow-broken` writes, and the one `serve`
/// builds in memory from the same project, compared file by file.
fn assert_same_site(project: &Project, what: &str) {
    let out = project.path("built");
    project
        .test(&["build", "--allow-broken", "--out", &out.to_string_lossy()])
        .run();
    let mut written = common::tree(&out);
    assert!(
        written.remove(".playbook-site").is_some(),
        "{what}: the build's marker"
    );

    let mut config = Config::new(&Paths {
        root: project.root().to_path_buf(),
        ..Paths::default()
    })
    .unwrap();
    config.allow_broken = true;
    let in_memory: BTreeMap<String, Vec<u8>> =
        build_in_memory(&config, &mut RenderCache::default())
            .unwrap()
            .files
            .into_iter()
            .map(|(path, bytes)| (path, bytes.to_vec()))
            .collect();

    let paths = |site: &BTreeMap<String, Vec<u8>>| site.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(&written), paths(&in_memory), "{what}: the same files");
    for (path, bytes) in &written {
        assert!(
            *bytes == in_memory[path],
            "{what}: {path} differs:\n--- build\n{}\n--- serve\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&in_memory[path])
        );
    }
}

/// Every Markdown file of `content/` given a front-matter title (kept when
/// it has one), so that `build` parses each page only once.
fn title_every_page(project: &Project) {
    for (rel, bytes) in common::tree(&project.path("content")) {
        if !rel.ends_with(".md") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        if text.starts_with("---\n") && text.contains("\ntitle:") {
            continue;
        }
        let stem = Path::new(&rel).file_stem().unwrap().to_string_lossy();
        let titled = match text.strip_prefix("---\n") {
            Some(rest) => format!("---\ntitle: \"Titled {stem}\"\n{rest}"),
            None => format!("---\ntitle: \"Titled {stem}\"\n---\n{text}"),
        };
        std::fs::write(project.path(&format!("content/{rel}")), titled).unwrap();
    }
}

#[test]
fn the_fixtures_build_as_serve_builds_them() {
    for fixture in ["basic", "broken", "browser-site", "checklists", "override"] {
        let project = Project::fixture(fixture);
        assert_same_site(&project, fixture);
        title_every_page(&project);
        assert_same_site(&project, &format!("{fixture}, every page titled"));
    }
}

#[test]
fn the_shipped_playbook_builds_as_serve_builds_it_titled_either_way() {
    let project = Project::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_tree(&repo.join("content"), &project.path("content"));
    std::fs::copy(repo.join("playbook.yaml"), project.path("playbook.yaml")).unwrap();
    assert_same_site(&project, "the shipped content, titled by its headings");
    title_every_page(&project);
    assert_same_site(&project, "the shipped content");
}

#[test]
fn pages_parsed_once_still_feed_roles_checks_and_search() {
    // Every page titled: the role page lists the group the page embeds,
    // the check sees the page's broken anchor, search has its words.
    let project = Project::empty()
        .file(
            "content/roles.yaml",
            "roles:\n- id: sre\n  name: SRE\n  summary: Keeps it up.\n",
        )
        .file(
            "content/checklists/ship.yaml",
            "id: ship\ntitle: Ship\ngroups:\n- id: go\n  title: Go live\n  phase: deployment\n  items:\n  - id: tag\n    text: Tag the release\n    owners: [sre]\n",
        )
        .file(
            "content/deploy.md",
            "---\ntitle: Deploy day\n---\n\nNo heading of its own. Zanzibar.\n\n## Steps\n\n[Go live](checklists/ship.yaml#go)\n\nSee [missing](other.md#nowhere).\n\n```yaml\nrollback: true\n```\n",
        )
        .file("content/other.md", "---\ntitle: Other\n---\n\n# Other page\n");
    let run = project.test(&["build", "--out", "site"]).status(1).run();
    assert!(
        run.stderr.contains("nowhere") && run.stderr.contains("deploy.md:"),
        "the broken anchor of a page parsed as it was rendered is an error in it:\n{}",
        run.stderr
    );
    assert!(
        !project.path("site").exists(),
        "a failed build publishes nothing"
    );

    project
        .test(&["build", "--out", "site", "--allow-broken"])
        .run();
    let deploy = project.read("site/deploy.html");
    assert!(
        deploy.contains("<h1 class=\"page-title\">Deploy day</h1>"),
        "{deploy}"
    );
    assert!(
        deploy.contains("href=\"#steps\""),
        "its table of contents: {deploy}"
    );
    let role = project.read("site/roles/sre.html");
    assert!(
        role.contains("Tag the release") && role.contains("deploy.html"),
        "the role page finds the group where the page embeds it: {role}"
    );
    let index: String = common::tree(&project.path("site/search"))
        .into_values()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    assert!(index.contains("zanzibar"), "the page's words are indexed");
    assert_same_site(&project, "roles, checks and search");
}

#[test]
fn a_page_nested_too_deep_is_refused_when_parsed_as_it_is_rendered() {
    let deep = format!("---\ntitle: Deep\n---\n\n{}x\n", "> ".repeat(8));
    let project = Project::empty()
        .file("playbook.yaml", "max_nesting: 5\n")
        .file("content/deep.md", deep);
    let run = project.test(&["build", "--out", "site"]).status(1).run();
    assert!(
        run.stderr.contains("deep.md:5:") && run.stderr.contains("deeper than the limit of 5"),
        "{}",
        run.stderr
    );
    assert!(!project.path("site").exists());
}

#[test]
fn a_template_failing_on_a_page_parsed_once_comes_after_the_contents_errors() {
    let project = Project::empty()
        .file("content/a.md", "---\ntitle: A\n---\n\n[x](missing.md)\n")
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block article %}{{ page.nope.deeper }}{% endblock article %}",
        );
    let run = project.test(&["build", "--out", "site"]).status(1).run();
    let link = run.stderr.find("error[link]").expect("the broken link");
    let template = run.stderr.find("error[template]").expect("the template");
    assert!(link < template, "content first:\n{}", run.stderr);
    assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
    assert!(!project.path("site").exists());

    let broken = project
        .test(&["build", "--out", "site", "--allow-broken"])
        .status(1)
        .run();
    assert!(
        broken.stderr.contains("error[template]") && !broken.stderr.contains("error[link]"),
        "with --allow-broken only the template stops the build:\n{}",
        broken.stderr
    );
    assert!(!project.path("site").exists());
}

#[test]
fn pages_in_other_encodings_and_forms_build_as_serve_builds_them() {
    let project = Project::empty()
        .file(
            "content/notepad le.md",
            utf16_le("# Saved by Notepad\r\n\r\nSee [the other](notepad%20be.md#étape-2) 🚀\r\n"),
        )
        .file("content/notepad be.md", utf16_be("Intro\n\n## Étape 2\n\n- [ ] tick\n"))
        .file("content/bom.md", "\u{feff}# Marked title\r\n\r\nSee [it](crlf.md#setext-title).\r\n")
        .file(
            "content/crlf.md",
            "Setext title\r\n============\r\n\r\n- [ ] a task\r\n",
        )
        .file(
            "content/front crlf.md",
            "---\r\ntitle: \"Titled \\\"CRLF\\\"\"\r\nweight: 2\r\n---\r\n\r\nBody.\r\n",
        )
        .file(
            "content/ünï/h2 first.md",
            "## Second level first\n\nText.\n\n# The level-one title\n\n```rust\nfn main() {}\n```\n",
        )
        .file(
            "content/zola.md",
            "+++\ntitle = \"From Zola\"\nweight = 1\ndate = 2024-05-01\n[extra]\nowner = \"ops\"\n+++\n\n## Steps\n",
        )
        .file(
            "content/hugo.md",
            "{\n  \"title\": \"From Hugo\",\n  \"weight\": 2,\n  \"params\": {\"owner\": \"ops\"}\n}\n\n## Steps\n",
        )
        .file("content/empty.md", "")
        .file("content/only-front.md", "---\nweight: 1\n---\n");
    assert_same_site(&project, "encodings and forms");
    let h2_first = project.read("built/ünï/h2 first.html");
    assert!(
        h2_first.contains("<title>The level-one title ·"),
        "the first level-one heading titles the page, as a whole parse finds it: {h2_first}"
    );
    assert!(project
        .read("built/bom.html")
        .contains("<title>Marked title ·"));
    let notepad = project.read("built/notepad le.html");
    assert!(
        notepad.contains("<title>Saved by Notepad ·") && notepad.contains("🚀"),
        "a UTF-16 page reads as its text: {notepad}"
    );
    assert!(project.read("built/notepad be.html").contains("Étape 2"));
    let zola = project.read("built/zola.html");
    assert!(
        zola.contains("<title>From Zola ·") && !zola.contains("+++") && !zola.contains("owner"),
        "TOML front matter is read, not shown: {zola}"
    );
    let hugo = project.read("built/hugo.html");
    assert!(
        hugo.contains("<title>From Hugo ·") && !hugo.contains("params") && !hugo.contains("owner"),
        "JSON front matter is read, not shown: {hugo}"
    );
}

/// `text` as Windows editors save "Unicode": UTF-16 LE with its byte-order mark.
fn utf16_le(text: &str) -> Vec<u8> {
    [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect()
}

/// `text` as UTF-16 BE with its byte-order mark.
fn utf16_be(text: &str) -> Vec<u8> {
    [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect()
}
