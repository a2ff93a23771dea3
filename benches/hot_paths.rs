//! Micro-benchmarks of the build's hot paths, one page at a time:
//! `cargo bench --bench hot_paths`. The whole-site figures against Hugo and
//! mdBook come from `bench/compare.sh`.

use playbook::embed::Embeds;
use playbook::markdown::{self, Output, PageRef, ParseContext};
use playbook::model::Document;
use playbook::routes::Routes;
use playbook::slug::{slugify, UniqueIds};

fn main() {
    divan::main();
}

/// A page of the generated benchmark corpus: headings, task lists, a code
/// block, links with anchors.
const PAGE: &str = include_str!("page.md");

fn pages() -> Vec<String> {
    (0..1000)
        .map(|i| format!("{:02}-section/page-{i:05}.md", i % 20))
        .chain(["index.md".to_string()])
        .collect()
}

/// Parse the corpus page with `output`, the site's routes made once.
fn bench_parse(bencher: divan::Bencher, output: Output) {
    let paths = pages();
    let routes = Routes::new(paths.iter());
    let embeds = Embeds::default();
    let page = PageRef {
        source_path: "01-section/page-00001.md",
        url: "01-section/page-00001.html",
        body_start: 0,
        file_text: PAGE,
    };
    let context = ParseContext {
        routes: &routes,
        embeds: &embeds,
        output,
        trusted_html: false,
        max_nesting: 100,
        guide: None,
    };
    bencher.bench(|| -> Document { markdown::parse(&page, &context, divan::black_box(PAGE)) });
}

/// The render pass: HTML with highlighted code (its lines remembered after
/// the first time, as in a build where snippets share lines).
#[divan::bench]
fn markdown_to_html(bencher: divan::Bencher) {
    bench_parse(bencher, Output::Html);
}

/// The first pass: headings, links, ids and search text, no HTML.
#[divan::bench]
fn markdown_model_and_search_text(bencher: divan::Bencher) {
    bench_parse(bencher, Output::SearchText);
}

#[divan::bench]
fn slug_of_a_heading() -> String {
    slugify(divan::black_box(
        "Step 3: Deploy to Production (Blue/Green) — “Canary” 10%",
    ))
}

#[divan::bench]
fn unique_ids_for_a_page(bencher: divan::Bencher) {
    let headings: Vec<String> = (0..40)
        .map(|i| format!("Checklist item {}", i % 7))
        .collect();
    bencher.bench(|| {
        let mut ids = UniqueIds::default();
        for heading in &headings {
            divan::black_box(ids.unique(&slugify(heading)));
        }
    });
}

#[divan::bench]
fn resolve_a_relative_link(bencher: divan::Bencher) {
    let paths = pages();
    let routes = Routes::new(paths.iter());
    bencher.bench(|| {
        routes.resolve(
            divan::black_box("01-section/page-00001.md"),
            divan::black_box("../07-section/page-00007.md#rollback-plan"),
        )
    });
}
