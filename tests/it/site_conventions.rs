//! The conventions people bring from mdBook, Zola and Hugo (issue 17):
//! `base_url` (sitemap, canonical links, a 404 page that works at any
//! depth), edit links, `lang`, and `content_dir`/`out_dir` in the config.

use crate::common::Project;

fn site_with(config: &str) -> Project {
    Project::empty()
        .file("playbook.yaml", config)
        .file("content/index.md", "# Home\n")
        .file("content/guide/a b.md", "# A B\n")
        .file("content/guide/deep/ü.md", "# U\n")
}

#[test]
fn base_url_writes_a_sorted_sitemap_of_absolute_encoded_urls() {
    let project = site_with("base_url: https://example.org/docs\n");
    project.build();
    let sitemap = project.read("site/sitemap.xml");
    let locs: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.strip_prefix("<url><loc>")?.strip_suffix("</loc></url>"))
        .collect();
    assert_eq!(
        locs,
        [
            "https://example.org/docs/guide/a%20b.html",
            "https://example.org/docs/guide/deep/%C3%BC.html",
            "https://example.org/docs/guide/deep/index.html",
            "https://example.org/docs/guide/index.html",
            "https://example.org/docs/index.html",
        ],
        "{sitemap}"
    );
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    // Byte-identical on a rebuild.
    let first = project.tree("site");
    project.build();
    assert_eq!(first, project.tree("site"));
}

#[test]
fn base_url_gives_every_page_its_canonical_link() {
    let project = site_with("base_url: https://example.org/\n");
    project.build();
    let page = project.page("site/guide/a b.html");
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://example.org/guide/a%20b.html"]
    );
    let home = project.page("site/index.html");
    assert_eq!(
        home.attrs("link[rel=canonical]", "href"),
        ["https://example.org/index.html"]
    );
}

#[test]
fn without_base_url_there_is_no_sitemap_and_no_canonical_link() {
    let project = site_with("title: T\n");
    project.build();
    assert!(!project.path("site/sitemap.xml").exists());
    assert_eq!(
        project
            .page("site/guide/a b.html")
            .count("link[rel=canonical]"),
        0
    );
    // Without base_url the 404 page links relative to the site root.
    let not_found = project.page("site/404.html");
    assert_eq!(
        not_found.attrs("link[rel=stylesheet]", "href")[0],
        "theme/style.css"
    );
}

#[test]
fn not_found_page_with_base_url_links_absolutely_so_it_works_at_any_depth() {
    let project = site_with("base_url: https://example.org/docs/\n");
    project.build();
    let page = project.page("site/404.html");
    assert_eq!(
        page.attrs("link[rel=stylesheet]", "href")[0],
        "https://example.org/docs/theme/style.css"
    );
    for href in page.attrs("a[href]", "href") {
        assert!(
            href.starts_with("https://example.org/docs/") || href.starts_with('#'),
            "{href}"
        );
    }
    for src in page.attrs("script[src]", "src") {
        assert!(src.starts_with("https://example.org/docs/"), "{src}");
    }
    assert_eq!(page.texts("h1"), ["Page not found"]);
    assert_eq!(page.count("link[rel=canonical]"), 0);
    assert_eq!(page.count("meta[name=robots][content=noindex]"), 1);
    assert!(!project.read("site/sitemap.xml").contains("404"));
}

#[test]
fn content_may_not_take_the_sitemap_or_404_path() {
    let project = site_with("base_url: https://example.org/\n")
        .file("content/sitemap.xml", "<urlset/>")
        .file("content/404.md", "# Mine\n");
    let run = project.test(&["build"]).status(1).run();
    assert!(run.stderr.contains("sitemap.xml"), "{}", run.stderr);
    assert!(run.stderr.contains("404.html"), "{}", run.stderr);
    // Without base_url a content sitemap.xml is an ordinary file.
    let project = site_with("title: T\n").file("content/sitemap.xml", "<urlset/>");
    project.build();
    assert_eq!(project.read("site/sitemap.xml"), "<urlset/>");
}

#[test]
fn base_url_that_is_not_an_absolute_url_is_refused_with_its_place() {
    for bad in [
        "example.org",
        "/docs/",
        "ftp://x/",
        "https://",
        "https://x/a?b",
    ] {
        let project = site_with(&format!("title: T\nbase_url: \"{bad}\"\n"));
        let run = project.test(&["build"]).status(1).run();
        assert!(
            run.stderr.contains("playbook.yaml:2:"),
            "{bad}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("https://example.org/docs/"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn edit_url_links_every_content_page_to_its_encoded_source() {
    let project = site_with(
        "edit_url: https://github.com/o/r/edit/main/content/{path}\nrepository: https://github.com/o/r\n",
    );
    project.build();
    let page = project.page("site/guide/deep/ü.html");
    assert_eq!(
        page.attrs(".edit-link a", "href"),
        ["https://github.com/o/r/edit/main/content/guide/deep/%C3%BC.md"]
    );
    assert_eq!(page.texts(".edit-link a"), ["Edit this page"]);
    let spaced = project.page("site/guide/a b.html");
    assert_eq!(
        spaced.attrs(".edit-link a", "href"),
        ["https://github.com/o/r/edit/main/content/guide/a%20b.md"]
    );
    assert_eq!(project.page("site/index.html").count(".edit-link a"), 1);
    // A folder page made by the build has no source to edit.
    assert_eq!(project.page("site/guide/index.html").count(".edit-link"), 0);
    assert_eq!(
        project
            .page("site/index.html")
            .attrs(".site-footer a", "href"),
        ["https://github.com/o/r", "print/guide.html"]
    );
}

#[test]
fn without_edit_url_there_is_no_edit_link() {
    let project = site_with("title: T\n");
    project.build();
    assert_eq!(project.page("site/guide/a b.html").count(".edit-link"), 0);
}

#[test]
fn edit_url_without_a_path_placeholder_is_refused() {
    let project = site_with("edit_url: https://github.com/o/r/edit/main/\n");
    let run = project.test(&["build"]).status(1).run();
    assert!(run.stderr.contains("playbook.yaml:1:"), "{}", run.stderr);
    assert!(run.stderr.contains("{path}"), "{}", run.stderr);
}

#[test]
fn lang_sets_the_html_lang_attribute_and_defaults_to_en() {
    let project = site_with("lang: pt-BR\n");
    project.build();
    assert!(project
        .read("site/guide/a b.html")
        .contains("<html lang=\"pt-BR\""));
    assert!(project
        .read("site/404.html")
        .contains("<html lang=\"pt-BR\""));
    let project = site_with("title: T\n");
    project.build();
    assert!(project
        .read("site/index.html")
        .contains("<html lang=\"en\""));
}

#[test]
fn implausible_lang_is_refused_with_file_line_col() {
    for bad in [
        "en_US",
        "\"en\\\" onload=\\\"x\"",
        "\"\"",
        "-en",
        "en--us",
        "toolongtagname",
    ] {
        let project = site_with(&format!("title: T\n\nlang: {bad}\n"));
        let run = project.test(&["build"]).status(1).run();
        assert!(
            run.stderr.contains("playbook.yaml:3:7"),
            "{bad}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("BCP 47"), "{}", run.stderr);
    }
}

#[test]
fn content_dir_and_out_dir_come_from_the_config_and_the_flags_win() {
    let project = Project::empty()
        .file("playbook.yaml", "content_dir: docs\nout_dir: public\n")
        .file("docs/index.md", "# From docs\n")
        .file("other/index.md", "# From other\n")
        .file("sentinel/keep.txt", "keep");
    project.build();
    assert!(project.read("public/index.html").contains("From docs"));
    assert!(!project.path("site").exists());
    project
        .test(&["build", "--content", "other", "--out", "out2"])
        .run();
    assert!(project.read("out2/index.html").contains("From other"));
    assert_eq!(project.read("sentinel/keep.txt"), "keep");
}

/// Every kind of GitHub alert, on a page without raw HTML and on one whose
/// raw HTML sends it through the cleaner: both keep the alert's markup.
#[test]
fn github_alerts_render_as_titled_divs_with_icons_even_when_cleaned() {
    let alerts = "> [!NOTE]\n> Read **this**.\n\n> [!TIP]\n> t\n\n> [!IMPORTANT]\n> i\n\n> [!WARNING]\n> w\n\n> [!CAUTION]\n> c\n\n> Plain quote.\n";
    let project = Project::empty()
        .file("content/index.md", format!("# Home\n\n{alerts}"))
        .file(
            "content/raw.md",
            format!("# Raw\n\n<script>alert(1)</script>\n\n{alerts}"),
        );
    project.build();
    for rel in ["site/index.html", "site/raw.html"] {
        let page = project.page(rel);
        assert_eq!(
            page.attrs(".markdown-alert", "class"),
            [
                "markdown-alert markdown-alert-note",
                "markdown-alert markdown-alert-tip",
                "markdown-alert markdown-alert-important",
                "markdown-alert markdown-alert-warning",
                "markdown-alert markdown-alert-caution",
            ],
            "{rel}"
        );
        assert_eq!(
            page.texts(".markdown-alert-title"),
            ["Note", "Tip", "Important", "Warning", "Caution"],
            "{rel}"
        );
        assert_eq!(
            page.count(".markdown-alert-title > .markdown-alert-icon[aria-hidden=true]"),
            5
        );
        assert_eq!(page.count(".markdown-alert-note p strong"), 1, "{rel}");
        assert_eq!(
            page.count("article blockquote"),
            1,
            "{rel}: the plain quote stays one"
        );
        assert_eq!(
            page.count("script:not([src])"),
            1,
            "{rel}: only the theme's own inline script"
        );
    }
    let css = project.read("site/theme/style.css");
    for kind in ["note", "tip", "important", "warning", "caution"] {
        assert!(
            css.contains(&format!(".markdown .markdown-alert-{kind} {{")),
            "{kind}"
        );
    }
}

#[test]
fn edit_url_and_repository_must_be_web_urls() {
    for (config, line) in [
        ("edit_url: \"javascript:alert('{path}')\"\n", 1),
        ("title: T\nrepository: \"javascript:alert(1)\"\n", 2),
        ("repository: \"https://x/a b\"\n", 1),
    ] {
        let project = site_with(config);
        let run = project.test(&["build"]).status(1).run();
        assert!(
            run.stderr.contains(&format!("playbook.yaml:{line}:")),
            "{config}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("http(s) URL"), "{}", run.stderr);
    }
}

#[test]
fn out_dir_from_the_config_is_guarded_like_the_flag() {
    let project = Project::empty()
        .file("playbook.yaml", "out_dir: .\n")
        .file("content/index.md", "# Home\n")
        .file("sentinel.txt", "keep");
    let run = project.test(&["build"]).status(2).run();
    assert!(
        run.stderr.contains("refusing to write the site"),
        "{}",
        run.stderr
    );
    assert_eq!(project.read("sentinel.txt"), "keep");
    assert_eq!(project.read("content/index.md"), "# Home\n");
}
