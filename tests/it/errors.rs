//! What `playbook build` says about bad input: the exact message (as a
//! reviewed snapshot), the exit status, and that no site is half-written.

use crate::common;

use common::{Project, Run};

/// Build, expect exit status `code`, and return the run.
fn build_fails(project: &Project, code: i32) -> Run {
    let run = project.test(&["build"]).status(code).run();
    assert!(
        !project.path("site").exists(),
        "a failed build must not create the site"
    );
    run
}

#[test]
fn unclosed_front_matter() {
    let project = Project::empty().file("content/a.md", "---\ntitle: Oops\n\n# Heading\n");
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn front_matter_of_the_wrong_type() {
    let project = Project::empty().file(
        "content/guide/a.md",
        "---\ntitle: Fine\nweight: heavy\n---\n# A\n",
    );
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn front_matter_that_is_not_yaml() {
    let project = Project::empty().file(
        "content/a.md",
        "---\ntitle: Fine\nroles: [qa, sre\n---\n# A\n",
    );
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn every_broken_page_is_reported_at_once() {
    let project = Project::empty()
        .file("content/a.md", "---\nweight: x\n---\n")
        .file("content/b.md", "---\ndraft: maybe\n---\n")
        .file("content/ok.md", "# Fine\n");
    let run = build_fails(&project, 1);
    assert!(run.stderr.contains("content/a.md:2:9"), "{}", run.stderr);
    assert!(run.stderr.contains("content/b.md:2:8"), "{}", run.stderr);
    assert!(
        run.stderr.contains("2 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_that_is_not_utf8() {
    let project = Project::empty().file("content/latin1.md", b"# Caf\xe9 notes\n".as_slice());
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn a_utf16_file_with_half_a_character() {
    // UTF-16 LE with its mark: "# Plan\nStep " then a high surrogate with no low one.
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("# Plan\nStep ".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.extend([0x3D, 0xD8, b'!', 0]);
    let project = Project::empty().file("content/notepad.md", bytes);
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn a_data_file_that_is_not_yaml() {
    let project = Project::empty()
        .file("content/a.md", "# A\n")
        .file("content/team.yaml", "roles:\n  - id: qa\n    name: [QA\n");
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn a_checklist_with_a_misspelt_field() {
    let project = Project::empty().file("content/a.md", "# A\n").file(
        "content/checklists/deploy.yaml",
        "id: deploy\ntitle: Deploy\ngroups:\n  - id: g\n    title: G\n    itmes: []\n",
    );
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn two_index_pages_in_one_folder() {
    let project = Project::empty()
        .file("content/guide/README.md", "# R\n")
        .file("content/guide/index.md", "# I\n");
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn two_pages_whose_names_differ_only_in_letter_case() {
    // One file on macOS and Windows, where the built site is checked out.
    let project = Project::empty()
        .file("content/Guide.md", "# Upper\n")
        .file("content/guide.md", "# Lower\n");
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn two_folders_whose_names_differ_only_in_letter_case() {
    // Each would get its own folder page, Docs/index.html and docs/index.html.
    let project = Project::empty()
        .file("content/Docs/a.md", "# A\n")
        .file("content/docs/b.md", "# B\n")
        .file("content/Docs/deep/c.md", "# C\n")
        .file("content/docs/deep/d.md", "# D\n");
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn pages_in_the_place_of_generated_pages_whatever_their_letter_case() {
    // `roles/index.md` took the roles index and every role page silently
    // went with it, leaving the owners' links broken; `Print/all.md` sat
    // beside `print/all.html`, one file on macOS and Windows.
    let project = Project::empty()
        .file("content/index.md", "# Home\n\n[C](checklists/c.yaml)\n")
        .file("content/roles.yaml", "roles:\n- id: qa\n  name: QA\n")
        .file(
            "content/checklists/c.yaml",
            "id: c\ntitle: C\ngroups:\n- id: g\n  title: G\n  items:\n  - id: one\n    text: One\n    owners: [qa]\n",
        )
        .file("content/roles/index.md", "# Our roles\n")
        .file("content/Print/all.md", "# All\n");
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn a_template_with_a_syntax_error() {
    let project = Project::empty()
        .file("content/a.md", "# A\n")
        .file("templates/page.html", "{% extends \"base.html\" %}\n{% block article %}\n{% if page.title %}\n{% endblock article %}\n");
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn a_template_that_uses_an_unknown_variable() {
    let project = Project::empty()
        .file("content/a.md", "# A\n")
        .file("templates/page.html", "{% extends \"base.html\" %}\n{% block article %}\n<p>{{ page.no_such_field }}</p>\n{% endblock article %}\n");
    let run = build_fails(&project, 1);
    assert!(
        run.stderr.contains("templates/page.html:3:"),
        "names the template file and line:\n{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn an_invalid_playbook_yaml() {
    let project = Project::empty()
        .file("content/a.md", "# A\n")
        .file("playbook.yaml", "title: X\ntheme: dark\n");
    insta::assert_snapshot!(build_fails(&project, 1).stderr);
}

#[test]
fn a_missing_content_folder_is_a_usage_error() {
    let project = Project::empty();
    let run = project
        .test(&["build", "--content", "nope"])
        .status(2)
        .run();
    assert_eq!(run.stderr, "error: the content folder nope does not exist; create it or point --content at a folder of Markdown\n");
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let run = Project::empty()
        .test(&["build", "--outt", "x"])
        .status(2)
        .run();
    assert!(
        run.stderr.contains("unexpected argument '--outt'"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("tip: a similar argument exists: '--out'"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_output_may_not_swallow_the_sources() {
    let project = Project::empty().file("content/a.md", "# A\n");
    for (out, why) in [
        (".", "it would replace the project root"),
        ("content", "it would replace the content folder"),
        // Not "would replace": nothing of the content would be replaced.
        ("content/site", "it is inside the content folder"),
    ] {
        let run = project.test(&["build", "--out", out]).status(2).run();
        assert!(
            run.stderr.starts_with(&format!(
                "error: refusing to write the site to {out}: {why}"
            )),
            "{}",
            run.stderr
        );
    }
    assert!(project.path("content/a.md").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_site_exactly_as_it_was() {
    let project = Project::fixture("basic");
    project.build_broken();
    let before = project.tree("site");
    // A template that fails while rendering some pages but not others.
    let project = project.file("templates/page.html", "{% extends \"base.html\" %}{% block article %}{% if page.weight %}{{ page.weight | nosuchfilter }}{% endif %}{% endblock article %}");
    let run = project.test(&["build"]).status(1).run();
    assert!(run
        .stderr
        .contains("the previous site, if any, is unchanged"));
    assert!(
        project.tree("site") == before,
        "site/ changed after a failed build"
    );
    let beside: Vec<String> = std::fs::read_dir(project.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !beside.iter().any(|n| n.contains("playbook-tmp")),
        "staging folder left behind: {beside:?}"
    );
}
