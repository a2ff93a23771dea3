//! `playbook build` on fixture trees: the pages it makes, their structure,
//! and the article HTML of each page as reviewed snapshots.

use crate::common;

use common::Project;

/// Every page of the basic fixture, with the article HTML snapshotted.
#[test]
fn basic_site_pages_and_snapshots() {
    let project = Project::fixture("basic");
    project.build_broken();
    let files: Vec<String> = project.tree("site").into_keys().collect();
    let pages: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert_eq!(
        pages,
        [
            "01-first.html",
            "02-operations/index.html",
            "02-operations/runbook.html",
            "404.html",
            "guide/deep/index.html",
            "guide/deep/nested.html",
            "guide/gfm.html",
            "guide/index.html",
            "guide/setup.html",
            "index.html",
            "print/guide.html",
            "print/release-manager.html",
            "roles/index.html",
            "roles/release-manager.html",
            "zeta.html",
        ],
        "drafts are left out; folders without an index get one; roles.yaml adds role pages; 404.html always"
    );
    for expected in [
        "search/meta.js",
        "search/d-0.js",
        "img/logo.svg",
        "theme/style.css",
        "theme/highlight-light.css",
        "theme/highlight-dark.css",
    ] {
        assert!(
            files.iter().any(|f| f == expected),
            "{expected} missing from {files:?}"
        );
    }
    assert!(
        !files
            .iter()
            .any(|f| f.ends_with(".md") || f.ends_with(".yaml")),
        "sources are not copied: {files:?}"
    );
    for page in pages
        .iter()
        .filter(|p| !p.starts_with("print/") && !p.starts_with("roles/"))
    {
        let article = project.page(&format!("site/{page}")).inner("main article");
        insta::assert_snapshot!(page.replace('/', "__"), article);
    }
}

#[test]
fn titles_come_from_front_matter_heading_or_file_name() {
    let project = Project::fixture("basic");
    project.build_broken();
    let title = |page: &str| {
        project
            .page(&format!("site/{page}"))
            .texts("title")
            .join("")
    };
    assert_eq!(
        title("guide/setup.html"),
        "Setting up · Fixture Playbook",
        "front matter title wins over the h1"
    );
    assert_eq!(
        title("guide/deep/nested.html"),
        "Deeply Nested · Fixture Playbook",
        "first heading"
    );
    assert_eq!(
        title("02-operations/runbook.html"),
        "Runbook · Fixture Playbook",
        "file name"
    );
    assert_eq!(
        title("index.html"),
        "Fixture Playbook",
        "home shows the site title"
    );
}

#[test]
fn sidebar_orders_by_weight_then_title_and_marks_the_current_page() {
    let project = Project::fixture("basic");
    project.build_broken();
    let page = project.page("site/guide/setup.html");
    let top: Vec<String> = page.texts("nav.sidebar > ul > li > a");
    assert_eq!(
        top,
        [
            "First by prefix",
            "Operations",
            "Alpha by title",
            "The Guide",
            "Roles"
        ],
        "weights 1, 2, 5, then unweighted, then the generated role pages"
    );
    assert_eq!(
        page.texts("nav.sidebar a[aria-current=page]"),
        ["Setting up"]
    );
    let guide = page.texts("nav.sidebar > ul > li:nth-child(4) > ul > li > a");
    assert_eq!(
        guide,
        ["Setting up", "GitHub Flavoured Markdown", "Deep"],
        "weight order"
    );
    assert_eq!(
        page.count("nav.sidebar a[href='../02-operations/runbook.html']"),
        1,
        "a small site shows its whole tree"
    );
}

#[test]
fn a_big_site_opens_only_the_current_branch_of_the_sidebar() {
    let mut project = Project::empty().file("content/small/one.md", "# One\n");
    for i in 0..160 {
        project = project.file(
            &format!("content/big/page-{i:03}.md"),
            format!("# Page {i:03}\n"),
        );
    }
    project.build();
    let page = project.page("site/small/one.html");
    assert_eq!(page.count("nav.sidebar a[aria-current=page]"), 1);
    assert_eq!(
        page.count("nav.sidebar a[href='../big/page-000.html']"),
        0,
        "closed branch"
    );
    assert_eq!(
        page.count("nav.sidebar a[href='../big/index.html']"),
        1,
        "but its folder is listed"
    );
    // A long folder lists a window around the current page and links to
    // the folder for the rest, so output does not grow with pages².
    let near_start = project.page("site/big/page-005.html");
    assert_eq!(
        near_start.texts("nav.sidebar .nav-depth-1 a"),
        (0..15)
            .map(|i| format!("Page {i:03}"))
            .chain(["… 145 more pages".to_string()])
            .collect::<Vec<_>>()
    );
    let middle = project.page("site/big/page-100.html");
    let links = middle.texts("nav.sidebar .nav-depth-1 a");
    assert_eq!(links.len(), 17, "{links:?}");
    assert_eq!(links[0], "… 93 earlier pages");
    assert_eq!(links[1], "Page 093");
    assert_eq!(links[8], "Page 100");
    assert_eq!(links[15], "Page 107");
    assert_eq!(links[16], "… 52 more pages");
    assert_eq!(
        middle.attrs("nav.sidebar li.nav-more a", "href"),
        ["../big/index.html", "../big/index.html"],
        "the rest is one click away, on the folder's page"
    );
    assert_eq!(middle.count("nav.sidebar a[aria-current=page]"), 1);
}

#[test]
fn unchanged_pages_are_linked_from_the_previous_site_not_written_again() {
    use std::os::unix::fs::MetadataExt;
    let project = Project::empty()
        .file("content/a.md", "# A\n\nSame.\n")
        .file("content/b.md", "# B\n\nFirst.\n");
    project.build();
    let inode = |rel: &str| std::fs::metadata(project.path(rel)).unwrap().ino();
    let (a, b) = (inode("site/a.html"), inode("site/b.html"));
    std::fs::write(project.path("content/b.md"), "# B\n\nSecond.\n").unwrap();
    project.build();
    assert_eq!(inode("site/a.html"), a, "an unchanged page keeps its file");
    assert_ne!(inode("site/b.html"), b, "a changed page is a new file");
    assert!(project.read("site/b.html").contains("Second."));
    assert_eq!(
        std::fs::metadata(project.path("site/a.html"))
            .unwrap()
            .nlink(),
        1,
        "the previous site is gone"
    );
}

#[test]
fn breadcrumbs_pager_and_toc() {
    let project = Project::fixture("basic");
    project.build_broken();
    let page = project.page("site/guide/deep/nested.html");
    assert_eq!(
        page.texts("nav.breadcrumbs li a"),
        ["Welcome", "The Guide", "Deep"],
        "the home page's own title, then folders"
    );
    assert_eq!(
        page.attrs("nav.breadcrumbs li a", "href"),
        [
            "../../index.html",
            "../../guide/index.html",
            "../../guide/deep/index.html"
        ]
    );
    let setup = project.page("site/guide/setup.html");
    assert_eq!(
        setup.attrs("nav.pager a[rel=prev]", "href"),
        ["../guide/index.html"]
    );
    assert_eq!(
        setup.attrs("nav.pager a[rel=next]", "href"),
        ["../guide/gfm.html"]
    );
    let toc = setup.attrs("nav.toc a", "href");
    assert_eq!(
        toc,
        [
            "#install-the-tools",
            "#configure-git",
            "#notes",
            "#notes-1",
            "#notes-2",
            "#my-anchor"
        ]
    );
    assert!(
        project
            .page("site/index.html")
            .attrs("nav.pager a[rel=prev]", "href")
            .is_empty(),
        "home has no previous page"
    );
}

#[test]
fn links_are_rewritten_relative_to_each_page() {
    let project = Project::fixture("basic");
    project.build_broken();
    let home = project
        .page("site/index.html")
        .attrs("main article a:not(.heading-anchor)", "href");
    assert!(
        home.contains(&"guide/setup.html#install-the-tools".to_string()),
        "{home:?}"
    );
    assert!(
        home.contains(&"guide/index.html".to_string()),
        "folder links go to the folder's index: {home:?}"
    );
    assert!(
        home.contains(&"02-operations/index.html".to_string()),
        "{home:?}"
    );
    let nested = project
        .page("site/guide/deep/nested.html")
        .attrs("main article a:not(.heading-anchor)", "href");
    assert_eq!(
        nested,
        [
            "../../index.html",
            "../gfm.html#github-flavoured-markdown",
            "missing.md",
            "https://example.org/x.md"
        ]
    );
    assert_eq!(
        project
            .page("site/index.html")
            .attrs("main article img", "src"),
        ["img/logo.svg"]
    );
}

#[test]
fn every_page_links_theme_and_search_relative_to_itself() {
    let project = Project::fixture("basic");
    project.build_broken();
    let nested = project.page("site/guide/deep/nested.html");
    let scripts = nested.attrs("script[src]", "src");
    assert!(
        scripts.iter().any(|s| s == "../../theme/search.js"),
        "{scripts:?}"
    );
    assert!(
        !scripts.iter().any(|s| s.contains("search/")),
        "the index is loaded only when the reader searches: {scripts:?}"
    );
    assert_eq!(nested.attrs("html", "data-root"), ["../../"]);
    let styles = nested.attrs("link[rel=stylesheet]", "href");
    assert!(
        styles.iter().any(|s| s == "../../theme/style.css"),
        "{styles:?}"
    );
    for href in styles.iter().chain(&scripts) {
        assert!(
            !href.starts_with("http") && !href.starts_with("//"),
            "no external assets: {href}"
        );
    }
    let meta = project.read("site/search/meta.js");
    assert!(
        meta.starts_with("playbookSearch.load(\"meta\",{"),
        "a script, so search works from file://: {meta}"
    );
    let docs = search_docs(&project);
    let install = docs
        .iter()
        .position(|d| d == "guide/setup.html#install-the-tools")
        .expect("a document per heading section");
    // Terms are stems: "install" is indexed as "instal".
    assert!(search_term_docs(&project, "instal").contains(&install));
}

/// The URL of each document in the search index, by document number.
fn search_docs(project: &Project) -> Vec<String> {
    let mut docs = Vec::new();
    for n in 0.. {
        let path = format!("site/search/d-{n}.js");
        if !project.path(&path).exists() {
            break;
        }
        let mut url = String::new();
        for doc in search_data(&project.read(&path)).as_array().unwrap() {
            let doc = doc.as_array().unwrap();
            if let Some(page) = doc.get(3) {
                url = page.as_str().unwrap().to_string();
            }
            let anchor = doc[0].as_str().unwrap();
            docs.push(if anchor.is_empty() {
                url.clone()
            } else {
                format!("{url}#{anchor}")
            });
        }
    }
    docs
}

/// The documents the search index lists for `term` (lowercase, whole).
fn search_term_docs(project: &Project, term: &str) -> Vec<usize> {
    let shard = project.read(&format!("site/search/t-{}.js", &term[..2]));
    let data = search_data(&shard);
    let data = data.as_array().unwrap();
    let Some(i) = data.iter().position(|t| t == term) else {
        return Vec::new();
    };
    let mut doc = 0;
    let postings = data[i + 1].as_array().unwrap();
    postings
        .chunks(2)
        .map(|p| {
            doc += p[0].as_u64().unwrap() as usize;
            doc
        })
        .collect()
}

/// The data of a `playbookSearch.load("name", data);` script.
fn search_data(script: &str) -> serde_json::Value {
    let start = script.find(',').unwrap() + 1;
    let end = script.rfind(");").unwrap();
    serde_json::from_str(&script[start..end]).unwrap()
}

#[test]
fn data_files_and_unknown_front_matter_reach_templates() {
    let project = Project::fixture("override")
        .file("content/team.yaml", "lead: Ada\n")
        .file("templates/home.html", "{% extends \"base.html\" %}{% block article %}<article>lead={{ site.data.team.lead }}</article>{% endblock article %}");
    project.build();
    assert_eq!(
        project.page("site/other.html").texts("p.override"),
        ["OVERRIDE Other page flavour=vanilla"]
    );
    assert!(project.read("site/index.html").contains("lead=Ada"));
    let home = project.page("site/index.html");
    assert_eq!(
        home.count("article.custom-page"),
        0,
        "home uses home.html, not the overridden page.html"
    );
}

#[test]
fn yaml_merge_keys_are_applied_in_front_matter_and_data_files() {
    // serde alone reads `<<` as an ordinary key: the merged keys were lost.
    let project = Project::fixture("override")
        .file("content/env.yaml", "defaults: &d\n  region: eu\n  size: 2\nprod:\n  <<: *d\n  size: 8\n")
        .file("content/merged.md", "---\nshared: &s {description: Merged description, title: Shared}\n<<: *s\ntitle: Own title\n---\nBody.\n")
        .file("templates/home.html", "{% extends \"base.html\" %}{% block article %}<article>prod={{ site.data.env.prod.region }}/{{ site.data.env.prod.size }}</article>{% endblock article %}");
    project.build();
    assert!(project.read("site/index.html").contains("prod=eu/8"));
    let merged = project.page("site/merged.html");
    assert_eq!(merged.texts("title"), ["Own title · Overridden"]);
    assert!(project
        .read("site/merged.html")
        .contains("Merged description"));
}

#[test]
fn a_bad_yaml_merge_is_an_error_at_the_merge_key() {
    let project =
        Project::empty().file("content/a.md", "---\nshared: &s [1]\n<<: *s\n---\nBody.\n");
    let run = project.test(&["check"]).status(1).run();
    assert!(run.stderr.contains("content/a.md:3:1"), "{}", run.stderr);
}

#[test]
fn relative_links_in_raw_html_are_rewritten_and_checked_like_markdown_links() {
    // `<a href="b.md">` works on GitHub; it was published as a link to the
    // unpublished `b.md`, and `check` never looked at it.
    let page = "# A\n\n<details><summary>More</summary>\n\n<a href=\"b.md#s\">raw</a> <img src=\"pic.png\"> <a href=\"https://example.com/x.md\">ext</a>\n\n</details>\n\n<pre>&lt;a href=\"shown.md\"&gt;</pre>\n";
    let project = Project::empty()
        .file("content/a.md", page)
        .file("content/b.md", "# B\n\n## S\n")
        .file("content/pic.png", "png");
    project.build();
    let a = project.page("site/a.html");
    assert_eq!(
        a.attrs("main article a:not(.heading-anchor)", "href"),
        ["b.html#s", "https://example.com/x.md"]
    );
    assert_eq!(a.attrs("main article img", "src"), ["pic.png"]);
    assert!(project
        .read("site/a.html")
        .contains("&lt;a href=\"shown.md\"&gt;"));

    let broken = Project::empty()
        .file(
            "content/a.md",
            "# A\n\n<p><a href=\"b.md#nope\">x</a> <a href=\"gone.md\">y</a></p>\n",
        )
        .file("content/b.md", "# B\n");
    let run = broken.test(&["check"]).status(1).run();
    assert!(run.stderr.contains("content/a.md:3:13"), "{}", run.stderr);
    assert!(run.stderr.contains("content/a.md:3:39"), "{}", run.stderr);
}

#[test]
fn a_blank_title_gives_way_to_the_heading_or_the_file_name() {
    // Titled "   " or "", a page was an empty link in the sidebar.
    let project = Project::empty()
        .file("content/index.md", "# Home\n")
        .file(
            "content/spaces.md",
            "---\ntitle: \"   \"\n---\n# Deploying\n",
        )
        .file("content/bare-heading.md", "#\n\nText.\n")
        .file("content/empty-title.md", "---\ntitle: \"\"\n---\nText.\n");
    project.build();
    let titles = |page: &str| project.page(page).texts("title");
    assert_eq!(titles("site/spaces.html"), ["Deploying · Home"]);
    assert_eq!(titles("site/bare-heading.html"), ["Bare heading · Home"]);
    assert_eq!(titles("site/empty-title.html"), ["Empty title · Home"]);
    let links = project.page("site/index.html").texts("nav a");
    assert!(links.iter().all(|l| !l.trim().is_empty()), "{links:?}");
}

#[test]
fn a_plain_docs_folder_builds_as_it_is() {
    let project = Project::fixture("docs-folder");
    project
        .test(&["build", "--content", "docs", "--out", "public"])
        .run();
    let home = project.page("public/index.html");
    assert_eq!(
        home.texts("title"),
        ["Project Docs"],
        "the README titles the site"
    );
    assert_eq!(
        home.attrs("main article a:not(.heading-anchor)", "href"),
        ["api/index.html", "faq.html#how-do-i-start"]
    );
    let endpoints = project.page("public/api/endpoints.html");
    assert_eq!(
        endpoints.attrs("main article a:not(.heading-anchor)", "href"),
        ["../faq.html"]
    );
    assert_eq!(
        endpoints.texts("nav.breadcrumbs li a"),
        ["Project Docs", "API"]
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let project = Project::fixture("basic");
    project
        .test(&["build", "--allow-broken", "--out", "one"])
        .run();
    project
        .test(&["build", "--allow-broken", "--out", "two"])
        .run();
    let (one, two) = (project.tree("one"), project.tree("two"));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(bytes == &two[path], "{path} differs between two builds");
    }
}

#[test]
fn rebuilding_replaces_the_site_and_leaves_nothing_beside_it() {
    let project = Project::fixture("basic");
    project.build_broken();
    std::fs::remove_file(project.path("content/zeta.md")).unwrap();
    project.build_broken();
    assert!(
        !project.path("site/zeta.html").exists(),
        "a deleted page disappears from the site"
    );
    let beside: Vec<String> = std::fs::read_dir(project.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !beside.iter().any(|n| n.contains("playbook-tmp")),
        "{beside:?}"
    );
}

#[test]
fn drafts_are_built_on_request() {
    let project = Project::fixture("basic");
    project.test(&["build", "--drafts", "--allow-broken"]).run();
    assert!(project.path("site/02-operations/draft.html").exists());
}

#[test]
fn crlf_and_bom_sources_build_like_lf() {
    let project = Project::empty()
        .file("content/a.md", "\u{feff}---\r\ntitle: Windows page\r\n---\r\n# Heading\r\n\r\nText [b](b.md#b-head).\r\n")
        .file("content/b.md", "# B head\n");
    project.build();
    let page = project.page("site/a.html");
    assert_eq!(page.texts("title"), ["Windows page · Playbook"]);
    assert_eq!(
        page.attrs("main article a:not(.heading-anchor)", "href"),
        ["b.html#b-head"]
    );
}

#[test]
fn templates_escape_user_text_but_not_url_slashes() {
    let project = Project::empty()
        .file(
            "content/a.md",
            "---\ntitle: 'Fish <b>&</b> \"chips\"'\n---\nBody.\n",
        )
        .file("content/sub/b.md", "# B\n");
    project.build();
    let raw = project.read("site/sub/b.html");
    assert!(
        raw.contains("Fish &lt;b&gt;&amp;&lt;/b&gt; &quot;chips&quot;"),
        "titles are escaped in the sidebar"
    );
    assert!(!raw.contains("<b>&</b>"));
    assert!(
        raw.contains("href=\"../theme/style.css\""),
        "slashes in URLs stay readable"
    );
}

#[test]
fn pages_embed_checklists_by_link() {
    let project = Project::fixture("checklists");
    project.build_broken();
    let page = project.page("site/guide/deploy.html");
    insta::assert_snapshot!("embedded_checklists", page.inner("main article"));
    assert_eq!(
        page.count("div.checklist[data-checklist=deploy]"),
        2,
        "a group and the whole list"
    );
    assert_eq!(
        page.count("main article a[href$='deploy.yaml']"),
        1,
        "a link inside a sentence stays a link"
    );
    assert_eq!(
        page.count("main article a[href$='deploy.yaml#nope']"),
        1,
        "an unknown group stays a link"
    );
    let release = project.page("site/release.html");
    assert_eq!(
        release.texts("li#backup-taken .checklist-text"),
        ["Backup or snapshot created"],
        "a ref shows the item it points at"
    );
    // The whole deploy checklist is embedded under "Everything".
    let docs = search_docs(&project);
    let everything = docs
        .iter()
        .position(|d| d == "guide/deploy.html#everything")
        .unwrap_or_else(|| panic!("a document per section: {docs:?}"));
    // Terms are Snowball English stems (of deploy, production, automated, pipeline).
    for term in ["deploy", "product", "autom", "pipelin"] {
        assert!(
            search_term_docs(&project, term).contains(&everything),
            "checklist text (Deploy to production) is searchable: {term}"
        );
    }
}

#[test]
fn rebuilding_in_memory_renders_only_what_changed() {
    use playbook::config::{Config, Paths};
    use playbook::incremental::{build_in_memory, RenderCache};
    let project = Project::fixture("checklists");
    let mut config = Config::new(&Paths {
        root: project.root().to_path_buf(),
        ..Paths::default()
    })
    .unwrap();
    config.allow_broken = true;
    let mut cache = RenderCache::default();
    let first = build_in_memory(&config, &mut cache).unwrap();
    let pages = first.files.keys().filter(|p| p.ends_with(".html")).count();
    assert_eq!(
        first.rendered, pages,
        "everything is rendered the first time"
    );
    let again = build_in_memory(&config, &mut cache).unwrap();
    assert_eq!(
        (again.rendered, again.changed.len()),
        (0, 0),
        "nothing changed, nothing rendered"
    );

    std::fs::write(
        project.path("content/release.md"),
        "# Release\n\nA new sentence.\n\n[Release checklist](checklists/release.yaml)\n",
    )
    .unwrap();
    let edited = build_in_memory(&config, &mut cache).unwrap();
    // The page, and the whole guide, which prints it.
    assert_eq!(
        edited.rendered, 2,
        "a body edit renders that page and the guide"
    );
    assert_eq!(edited.changed[..2], ["print/guide.html", "release.html"]);
    assert!(
        edited.changed[2..]
            .iter()
            .all(|p| p.starts_with("search/") && p.ends_with(".js")),
        "{:?}",
        edited.changed
    );
    for file in ["search/d-0.js", "search/t-se.js"] {
        assert!(
            edited.changed.iter().any(|p| p == file),
            "the new words and teaser are indexed: {:?}",
            edited.changed
        );
    }

    std::fs::write(
        project.path("content/release.md"),
        "# Release day\n\n[Release checklist](checklists/release.yaml)\n",
    )
    .unwrap();
    let retitled = build_in_memory(&config, &mut cache).unwrap();
    assert_eq!(
        retitled.rendered, pages,
        "a new title changes the sidebar of every page"
    );

    let on_disk = Project::fixture("checklists").file(
        "content/release.md",
        "# Release day\n\n[Release checklist](checklists/release.yaml)\n",
    );
    on_disk.build_broken();
    for (path, bytes) in &retitled.files {
        assert!(
            on_disk.tree("site").get(path).map(Vec::as_slice) == Some(&bytes[..]),
            "{path}: memory and disk builds differ"
        );
    }
}

#[test]
fn a_checklist_edit_renders_only_the_pages_that_show_checklists() {
    use playbook::config::{Config, Paths};
    use playbook::incremental::{build_in_memory, RenderCache};
    let project =
        Project::fixture("checklists").file("content/plain.md", "# Plain\n\nNo checklist here.\n");
    let mut config = Config::new(&Paths {
        root: project.root().to_path_buf(),
        ..Paths::default()
    })
    .unwrap();
    config.allow_broken = true;
    let mut cache = RenderCache::default();
    build_in_memory(&config, &mut cache).unwrap();
    let path = project.path("content/checklists/deploy.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("Backup or snapshot created", "Backup taken and verified");
    std::fs::write(&path, text).unwrap();
    let after = build_in_memory(&config, &mut cache).unwrap();
    assert!(
        !after.changed.iter().any(|p| p == "plain.html"),
        "{:?}",
        after.changed
    );
    assert!(
        after.changed.iter().any(|p| p == "guide/deploy.html"),
        "{:?}",
        after.changed
    );
    let pages = after.files.keys().filter(|p| p.ends_with(".html")).count();
    assert!(
        after.rendered < pages,
        "{} of {pages} rendered",
        after.rendered
    );
}
