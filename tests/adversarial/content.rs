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
            let run = project.run(&["check"]);
            assert_eq!(run.code, 0, "{}", run.stderr);
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
    let run = trusted.run(&["check"]);
    assert!(!run.stderr.contains("filtered-tag"), "{}", run.stderr);
    // Untrusted, the script shows as text (as on GitHub) and check says where.
    let untrusted = Project::empty().file("content/a.md", page);
    untrusted.build();
    let html = untrusted.read("site/a.html");
    assert!(
        html.contains("&lt;script&gt;window.kept = 1&lt;/script&gt;"),
        "{html}"
    );
    let run = untrusted.run(&["check"]);
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
    let run = project.run(&["check"]);
    assert!(
        run.stderr.contains("warning[filtered-tag]")
            && run.stderr.contains("content/checklists/deploy.yaml:8:"),
        "{}",
        run.stderr
    );
}
