//! Issue 12, points 6 to 8: what the content can make the site show. Raw
//! tags that would swallow a page, footnote ids that collide with headings,
//! and content files that would replace or run beside generated output.

use super::*;

// ------------------------------------------- 7. GitHub's tag filter in prose

/// A page mentioning `<tag>` in a sentence, with a heading and text after it.
fn mention(tag: &str) -> String {
    format!("# Title\n\nTo restyle, add a <{tag}> element; after {tag} text.\n\n## Next {tag}\n\nLast words {tag}.\n")
}

#[test]
fn filtered_tags_in_prose_keep_the_rest_of_the_page() {
    for trusted in [false, true] {
        for tag in [
            "title",
            "textarea",
            "style",
            "xmp",
            "iframe",
            "noembed",
            "noframes",
            "script",
            "plaintext",
            "STYLE",
            "Title",
        ] {
            let mut project = Project::empty().file("content/a.md", mention(tag));
            if trusted {
                project = project.file("playbook.yaml", "trusted_html: true\n");
            }
            project.build();
            let page = project.page("site/a.html");
            let article = page.texts("article").join(" ");
            for kept in [
                format!("add a <{tag}> element; after {tag} text."),
                format!("Last words {tag}."),
            ] {
                assert!(
                    article.contains(&kept),
                    "{tag} (trusted {trusted}) lost {kept:?}: {article}"
                );
            }
            let ids = page.attrs("article h2", "id");
            assert_eq!(ids, [format!("next-{}", tag.to_lowercase())], "{tag}");
            // Every in-page link (table of contents, heading anchors) has its target.
            for href in page.attrs("a[href^='#']", "href") {
                let id = &href[1..];
                assert!(
                    id.is_empty() || page.count(&format!("[id='{id}']")) == 1,
                    "{tag}: {href} points nowhere"
                );
            }
            let run = project.test(&["check"]).run();
            assert!(
                run.stderr.contains(&format!(
                    "warning[filtered-tag]: `<{}>` is shown as text, as GitHub shows it",
                    tag.to_lowercase()
                )) && run.stderr.contains("┌─ content/a.md:3:19"),
                "{tag}: {}",
                run.stderr
            );
        }
    }
}

#[test]
fn filtered_tags_in_code_and_closed_trusted_elements_are_untouched() {
    let page = "# A\n\n`<style>` and\n\n```html\n<title>x</title>\n```\n\n<script>window.kept = 1</script>\n\n## B\n";
    let trusted = Project::empty()
        .file("playbook.yaml", "trusted_html: true\n")
        .file("content/a.md", page);
    trusted.build();
    let html = trusted.read("site/a.html");
    assert!(html.contains("<code>&lt;style&gt;</code>"), "{html}");
    assert!(html.contains("<script>window.kept = 1</script>"), "{html}");
    assert!(html.contains("id=\"b\""));
    let run = trusted.test(&["check"]).run();
    assert!(!run.stderr.contains("filtered-tag"), "{}", run.stderr);
    // Untrusted, the script shows as text (as on GitHub) and check says where.
    let untrusted = Project::empty().file("content/a.md", page);
    untrusted.build();
    let html = untrusted.read("site/a.html");
    assert!(
        html.contains("&lt;script&gt;window.kept = 1&lt;/script&gt;"),
        "{html}"
    );
    let run = untrusted.test(&["check"]).run();
    assert!(run.stderr.contains("┌─ content/a.md:9:1"), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("warning[filtered-tag]").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn filtered_tags_in_trusted_checklist_items_keep_the_next_items() {
    let project = Project::empty()
        .file("playbook.yaml", "trusted_html: true\n")
        .file("content/README.md", "# Home\n\n[Deploy](checklists/deploy.yaml)\n\n## After\n")
        .file(
            "content/checklists/deploy.yaml",
            "id: deploy\ntitle: Deploy\ngroups:\n  - id: g\n    title: G\n    items:\n      - id: one\n        text: \"Add a <textarea> box\"\n      - id: two\n        text: \"Second item\"\n",
        );
    project.build();
    let page = project.page("site/index.html");
    let article = page.texts("article").join(" ");
    assert!(article.contains("Add a <textarea> box"), "{article}");
    assert!(article.contains("Second item"), "{article}");
    assert_eq!(page.attrs("article h2", "id"), ["after"]);
    let run = project.test(&["check"]).run();
    assert!(
        run.stderr.contains("warning[filtered-tag]")
            && run.stderr.contains("content/checklists/deploy.yaml:8:"),
        "{}",
        run.stderr
    );
}

// ------------------------------------- 6. content files and generated output

/// A small project with pages, roles and a checklist, built once: the
/// previous site every refused build must leave as it was.
fn built_project() -> Project {
    let project = Project::empty()
        .file("content/README.md", "# Home\n\n[Deploy](checklists/deploy.yaml)\n")
        .file("content/guide.md", "# Guide\n")
        .file("content/roles.yaml", "roles:\n  - id: qa\n    name: QA\n")
        .file(
            "content/checklists/deploy.yaml",
            "id: deploy\ntitle: Deploy\ngroups:\n  - id: g\n    title: G\n    items:\n      - id: one\n        text: Test it\n        owners: [qa]\n",
        )
        .file("content/release-notes.yaml", "title: Release {version}\nsections:\n  - id: features\n    title: Features\n    prompt: What is new\n");
    project.build();
    project
}

#[test]
fn content_files_that_would_replace_generated_output_are_errors_naming_both() {
    let cases = [
        (
            "theme/playbook.js",
            "alert(1)",
            "the theme file playbook.js",
        ),
        (
            "theme/highlight-dark.css",
            "body{}",
            "the theme file highlight-dark.css",
        ),
        (
            "search/meta.js",
            "x",
            "a file of the search index, search/meta.js",
        ),
        (
            "search/d-0.js",
            "x",
            "a file of the search index, search/d-0.js",
        ),
        (
            "search/t-zz.js",
            "x",
            "a file of the search index, search/t-zz.js",
        ),
        (
            "guide.html",
            "<p>x</p>",
            "the page content/guide.md, published as guide.html",
        ),
        (
            "index.html",
            "<p>x</p>",
            "the page content/README.md, published as index.html",
        ),
        (
            "roles/qa.html",
            "<p>x</p>",
            "the page of the role `qa` in content/roles.yaml",
        ),
        (
            "roles/index.html",
            "<p>x</p>",
            "the roles index made from content/roles.yaml",
        ),
        (
            "print/all.html",
            "<p>x</p>",
            "the printable checklist of every role",
        ),
        (
            "print/qa.html",
            "<p>x</p>",
            "the printable checklist of the role `qa`",
        ),
        (
            "release-notes.html",
            "<p>x</p>",
            "the release-notes page made from content/release-notes.yaml",
        ),
        (
            "theme",
            "a file",
            "stands where the build needs a folder for the theme file",
        ),
        (
            "guide.html/x.png",
            "png",
            "needs a folder guide.html/ where the build writes the page content/guide.md",
        ),
        // Many file systems and servers ignore letter case.
        (
            "Theme/Playbook.JS",
            "alert(1)",
            "the theme file playbook.js",
        ),
        (
            "Guide.html",
            "<p>x</p>",
            "the page content/guide.md, published as guide.html",
        ),
        ("Search/Meta.js", "x", "a file of the search index"),
    ];
    for trusted in [false, true] {
        for (path, contents, origin) in cases {
            let mut project = built_project();
            if trusted {
                project = project.file("playbook.yaml", "trusted_html: true\n");
                project.build();
            }
            let before = project.tree("site");
            let project = project.file(&format!("content/{path}"), contents);
            let want = format!("error[output-conflict]: content/{path} ");
            for command in ["check", "build"] {
                let run = project.test(&[command]).status(1).run();
                assert!(
                    run.stderr.contains(&want) && run.stderr.contains(origin),
                    "{command} {path} (trusted {trusted}):\n{}",
                    run.stderr
                );
            }
            assert!(
                project.tree("site") == before,
                "{path}: the previous site changed"
            );
        }
    }
}

#[test]
fn pages_that_take_a_generated_path_are_errors_naming_both() {
    let project = built_project().file("content/print/all.md", "# All\n");
    let run = project.test(&["check"]).status(1).run();
    assert!(
        run.stderr.contains("error[output-conflict]: the printable checklist of every role and the page content/print/all.md would both be written to print/all.html")
            || run.stderr.contains("the page content/print/all.md and the printable checklist of every role would both be written to print/all.html"),
        "{}",
        run.stderr
    );
}

#[test]
fn content_files_beside_generated_ones_are_still_published() {
    let project = built_project()
        .file("content/theme/logo.png", "png")
        .file("content/search/howto.md", "# How to search\n")
        .file("content/search/diagram.png", "png")
        .file("content/roles/team.png", "png");
    project.build();
    for path in [
        "theme/logo.png",
        "search/howto.html",
        "search/diagram.png",
        "roles/team.png",
        "theme/playbook.js",
        "search/meta.js",
    ] {
        assert!(project.path(&format!("site/{path}")).is_file(), "{path}");
    }
}

const ACTIVE_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <rect width=\"1\" height=\"1\" onload=\"alert(document.domain)\"/>\n</svg>\n";

#[test]
fn active_documents_are_refused_unless_trusted() {
    let cases = [
        ("logo.svg", ACTIVE_SVG, "content/logo.svg:2:3", "an event handler, `onload`, on <rect>"),
        ("img/Logo.SVG", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "content/img/Logo.SVG:1:41", "a <script> element"),
        ("a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>", "content/a.svg:1:", "a `javascript:` URL in `href` on <a>"),
        ("feed.xml", "<feed><h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">alert(1)</h:script></feed>", "content/feed.xml:1:7", "a <script> element"),
        ("report.html", "<p>hi</p><script>alert(1)</script>", "content/report.html", "is an HTML document"),
        ("docs/Page.HTM", "<p>hi</p>", "content/docs/Page.HTM", "is an HTML document"),
        ("x.xhtml", "<html xmlns=\"http://www.w3.org/1999/xhtml\"/>", "content/x.xhtml", "is an HTML document"),
        ("z.svgz", "\u{1f}\u{8b}", "content/z.svgz", "compressed SVG"),
    ];
    for (path, contents, place, what) in cases {
        let project = built_project();
        let before = project.tree("site");
        let project = project.file(&format!("content/{path}"), contents);
        for command in ["check", "build"] {
            let run = project.test(&[command]).status(1).run();
            assert!(
                run.stderr.contains("error[active-file]")
                    && run.stderr.contains(place)
                    && run.stderr.contains(what)
                    && run.stderr.contains("`trusted_html: true`"),
                "{command} {path}:\n{}",
                run.stderr
            );
        }
        assert!(
            project.tree("site") == before,
            "{path}: the previous site changed"
        );
        assert!(!project.path(&format!("site/{path}")).exists());
        // Trusted, the file is published as it is.
        let project = project.file("playbook.yaml", "trusted_html: true\n");
        project.build();
        assert_eq!(project.tree("site")[path], contents.as_bytes(), "{path}");
    }
}

#[test]
fn plain_svg_and_xml_files_are_published_as_they_are() {
    let svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><style>.a{fill:red}</style><title>On call</title><a xlink:href=\"https://example.org\"><rect class=\"a\" width=\"1\" height=\"1\"/></a><image href=\"data:image/png;base64,AA==\"/></svg>\n";
    let project = built_project()
        .file("content/diagram.svg", svg)
        .file(
            "content/sitemap.xml",
            "<urlset><url><loc>https://example.org/</loc></url></urlset>",
        )
        .file("content/app.js", "console.log(1)\n");
    project.build();
    assert_eq!(project.read("site/diagram.svg"), svg);
    assert!(project.path("site/sitemap.xml").is_file());
    assert!(
        project.path("site/app.js").is_file(),
        "a script no page loads runs nowhere"
    );
}

// ------------------------------------------------ 8. footnote and explicit ids

/// Every id in the built page appears once, and every in-page link has a target.
fn assert_ids_unique_and_targets_exist(page: &common::Page) {
    let ids = page.attrs("[id]", "id");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
    for href in page.attrs("article a[href^='#']", "href") {
        assert!(
            ids.contains(&href[1..].to_string()),
            "{href} points nowhere in {ids:?}"
        );
    }
}

#[test]
fn footnotes_and_headings_with_one_name_get_distinct_ids() {
    let project = Project::empty().file(
        "content/a.md",
        "# A\n\nWhy[^why], again[^why], and [the note](#fn-why).\n\n## Why\n\nText.\n\n[^why]: Because.\n",
    );
    project.test(&["check"]).run();
    project.build();
    let page = project.page("site/a.html");
    assert_ids_unique_and_targets_exist(&page);
    assert_eq!(page.attrs("article h2", "id"), ["why"]);
    assert_eq!(page.attrs(".footnote-definition", "id"), ["fn-why"]);
    assert_eq!(
        page.attrs(".footnote-reference a", "href"),
        ["#fn-why", "#fn-why"]
    );
    assert_eq!(
        page.attrs(".footnote-reference a", "id"),
        ["fnref-why", "fnref-why-1"]
    );
    assert_eq!(page.attrs(".footnote-backref", "href"), ["#fnref-why"]);
    assert_eq!(page.texts(".footnote-definition p"), ["Because."]);
}

#[test]
fn footnote_ids_stay_unique_against_headings_named_like_them() {
    let project = Project::empty().file(
        "content/a.md",
        "# A\n\n## Fn why\n\n## Fnref why\n\nNote[^why] and[^1].\n\n## Fn 1\n\n[^why]: One.\n[^1]: Two.\n",
    );
    project.test(&["check"]).run();
    project.build();
    let page = project.page("site/a.html");
    assert_ids_unique_and_targets_exist(&page);
    assert_eq!(
        page.attrs("article h2", "id"),
        ["fn-why", "fnref-why", "fn-1-1"]
    );
    assert_eq!(
        page.attrs(".footnote-definition", "id"),
        ["fn-why-1", "fn-1"]
    );
}

#[test]
fn explicit_id_clashes_are_check_errors_at_the_id() {
    let project = Project::empty().file(
        "content/a.md",
        "# A\n\n## Why\n\nSee[^note].\n\n## B {#why}\n\n## C {#c}\n\n## D {#c}\n\n## E {#fn-note}\n\n[^note]: N.\n",
    );
    let run = project.test(&["check"]).status(1).run();
    for (message, place) in [
        (
            "the id #why is given to this heading and to the heading on line 3",
            "content/a.md:7:7",
        ),
        (
            "the id #c is given to this heading and to the heading on line 9",
            "content/a.md:11:7",
        ),
        (
            "the id #fn-note is given to this heading and to the footnote [^note] (line 5)",
            "content/a.md:13:7",
        ),
    ] {
        let next_line = run
            .stderr
            .split_once(&format!("error[duplicate-id]: {message}\n"))
            .and_then(|(_, after)| after.lines().next());
        assert!(
            next_line.is_some_and(|l| l.ends_with(&format!("┌─ {place}"))),
            "{message}:\n{}",
            run.stderr
        );
    }
    assert_eq!(
        run.stderr.matches("error[duplicate-id]").count(),
        3,
        "{}",
        run.stderr
    );
    project.test(&["build"]).status(1).run();
}

#[test]
fn a_line_opening_with_a_raw_text_tag_is_a_warning_and_loses_no_text() {
    let project = Project::empty().file(
        "content/a.md",
        "# A\n\n<style> elements go in the head.\n\n## Next\n\nLast words.\n",
    );
    project.build();
    let article = project.page("site/a.html").texts("article").join(" ");
    for kept in ["<style> elements go in the head.", "Next", "Last words."] {
        assert!(article.contains(kept), "lost {kept:?}: {article}");
    }
    let run = project.test(&["check"]).run();
    assert!(
        run.stderr.contains("warning[runaway-html]: this <style> has no </style>: Markdown reads the rest of the page as raw HTML")
            && run.stderr.contains("┌─ content/a.md:3:1"),
        "{}",
        run.stderr
    );
}
