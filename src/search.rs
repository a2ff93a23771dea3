//! The client-side search index, built at build time with elasticlunr-rs and
//! written as a script (`searchindex.js`) so search works from `file://`.
//!
//! One document per heading section, so a hit lands on the right anchor.

use std::collections::BTreeMap;

use elasticlunr::IndexBuilder;
use serde::Serialize;

use crate::model::Site;

/// Longest teaser kept per document, in characters.
const TEASER_CHARS: usize = 300;

/// What a search result shows.
#[derive(Serialize)]
struct DocSummary<'a> {
    /// Page title.
    t: &'a str,
    /// Heading, empty for the top of a page.
    h: &'a str,
    /// Start of the section's text.
    b: String,
}

#[derive(Serialize)]
struct SearchData<'a> {
    index: elasticlunr::Index,
    docs: BTreeMap<String, DocSummary<'a>>,
}

/// The contents of `searchindex.js`.
pub fn index_script(site: &Site) -> anyhow::Result<String> {
    let mut index = IndexBuilder::new()
        .add_fields(["title", "heading", "body"])
        .save_docs(false)
        .build();
    let mut docs = BTreeMap::new();
    for page in site.pages.values() {
        for section in &page.doc.sections {
            let (doc_ref, heading) = match &section.heading {
                Some((id, text)) => (format!("{}#{}", page.url, id), text.as_str()),
                None => (page.url.clone(), ""),
            };
            index.add_doc(
                &doc_ref,
                [page.title.as_str(), heading, section.text.as_str()],
            );
            docs.insert(
                doc_ref,
                DocSummary {
                    t: &page.title,
                    h: heading,
                    b: teaser(&section.text),
                },
            );
        }
    }
    let json = serde_json::to_string(&SearchData { index, docs })?;
    Ok(format!("window.playbookSearchIndex = {json};\n"))
}

fn teaser(text: &str) -> String {
    match text.char_indices().nth(TEASER_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}
