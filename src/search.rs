//! The client-side search index: sharded script files under `search/` that
//! `theme/search.js` loads only when the reader searches.
//!
//! One document per heading section, so a hit lands on the right anchor;
//! the generated pages (roles index, one per role, release notes) are one
//! document each. Documents are numbered in page order, then section order,
//! the generated pages last. Files, each a script calling
//! `playbookSearch.load(name, data)` so search works from `file://` (no fetch):
//!
//! - `search/meta.js`: `{"docs": N, "block": B, "shards": ["ab", ...],
//!   "stop": [stop words]}`: the client drops the same stop words.
//! - `search/t-<shard>.js`: the terms starting with the shard's two characters
//!   (terms with a non-ASCII character in their first two go to `_0`..`_f`, by
//!   the first character's code point mod 16), as a flat array
//!   `[term, [doc delta, score, doc delta, score, ...], term, ...]`. A term
//!   is a word's Snowball English stem (`themes/default/stemmer.js` is the
//!   same algorithm), or the word itself when it has a digit or a letter
//!   outside a-z; a version such as `2.4.0` is one term, and a hyphenated
//!   word is indexed as its parts and joined (`on-call`: `call`, `oncal`).
//!   That is for English (`lang` `en` or `en-*`, the default): for any other
//!   `lang` a term is the lowercased word as it is and no stop words are
//!   dropped (`meta.js` then says `"stop":[],"stem":false`). Terms are
//!   sorted by UTF-16 code units, the order JavaScript compares strings in, so
//!   the client can binary-search a prefix. The score is the term's BM25
//!   weight in the document (field-weighted: title ×3, heading ×2, body ×1),
//!   precomputed here and ×10 rounded, so the client only adds scores up;
//!   the number written is that × 16, plus, when the term is in the
//!   document's title (its heading, or its page's title), the number of
//!   distinct terms in that title (at most 15): a query that is most of a
//!   title finds that page or section first.
//! - `search/d-<n>.js`: documents `n*B .. n*B+B-1`, each
//!   `[anchor, heading, text, page url, page title]`, the last two left out
//!   when they are the same as the previous document's in the block. The
//!   text is the whole section (up to a cap), list items kept apart by ` · `,
//!   so the client can show a snippet around the match.
//!
//! Built for speed (10,000 pages in about 0.43 s on two cores, stemming
//! included): pages are tokenized in parallel into per-shard buckets, each
//! distinct word stemmed once per run of pages; shards are then merged and
//! written in parallel; words borrow from lowercased copies of the text and
//! JSON is written by hand into pre-sized buffers.
//!
//! Why not Pagefind (whose index can be built from Rust): its browser side
//! fetches its index and a WebAssembly module, which browsers refuse from
//! `file://`, and it indexes the rendered HTML (a second pass over output
//! this design does not make); its stemmer is the same Snowball one.

use std::collections::hash_map::{Entry as MapEntry, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use crate::model::{Site, TextSection};

/// Longest text kept per document, in characters: enough for a snippet
/// around a match in any section a reader would call one.
const TEASER_CHARS: usize = 6000;

/// Documents per `d-<n>.js` file: a search loads at most ten of them.
const BLOCK_DOCS: usize = 100;

/// Words too common to be worth indexing. `meta.js` hands them to the client.
pub(crate) const STOP_WORDS: [&str; 32] = [
    "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no",
    "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they",
    "this", "to", "was", "will", "with",
];

/// Pages tokenized per parallel task. Fixed, so the output cannot depend on
/// the number of threads.
const PAGES_PER_CHUNK: usize = 64;

/// Field weights: title, heading, body.
const TITLE_WEIGHT: u32 = 3;
const HEADING_WEIGHT: u32 = 2;
const BODY_WEIGHT: u32 = 1;

/// A hit's weight has this bit set when the term is in the document's title.
const IN_TITLE: u32 = 1 << 31;
const WEIGHT: u32 = IN_TITLE - 1;

/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Two ASCII alphanumerics (36 × 36), then 16 shards for the rest.
const ASCII_SHARDS: usize = 36 * 36;
const SHARDS: usize = ASCII_SHARDS + 16;

/// The search files: (output path, bytes), `search/meta.js` first.
pub(crate) fn index_files(site: &Site) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let files = std::sync::Mutex::new(Vec::new());
    write_index(site, &|path, bytes| {
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, bytes));
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    // meta.js first, then in name order, whatever order the threads finished in.
    files[1..].sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// Hand each search file to `emit` as soon as it is made, on every core.
/// Returns how many files there were.
pub(crate) fn write_index(
    site: &Site,
    emit: &(dyn Fn(String, Vec<u8>) -> anyhow::Result<()> + Sync),
) -> anyhow::Result<usize> {
    let tokenizing = Tokenizing::for_lang(site.publishing.lang.as_str());
    let generated = generated_pages(site);
    let pages = indexed_pages(site, &generated);
    // The first document number of each page.
    let mut first_doc = Vec::with_capacity(pages.len());
    let mut doc_count = 0usize;
    for page in &pages {
        first_doc.push(doc_count);
        doc_count += page.sections.len();
    }
    anyhow::ensure!(
        u32::try_from(doc_count).is_ok(),
        "too many sections to index: {doc_count}"
    );

    // Each chunk lowercases its own pages and keeps only its distinct
    // terms: a lowercased copy of the whole site's text is never held.
    let chunks: Vec<Chunk> = pages
        .par_chunks(PAGES_PER_CHUNK)
        .zip(first_doc.par_chunks(PAGES_PER_CHUNK))
        .map(|(pages, first)| {
            let lowered: Vec<LoweredPage> = pages.iter().map(LoweredPage::new).collect();
            tokenize_chunk(&lowered, first, tokenizing)
        })
        .collect();
    let (norms, title_sizes) = document_norms(&chunks, doc_count);

    // Files are handed over as they are made, not gathered: the index of a
    // big site is tens of megabytes.
    let shards: Vec<usize> = (0..SHARDS)
        .filter(|&shard| chunks.iter().any(|c| !c.shards[shard].is_empty()))
        .collect();
    emit(
        "search/meta.js".to_string(),
        meta_js(doc_count, &shards, tokenizing),
    )?;
    shards.par_iter().try_for_each(|&shard| {
        match write_shard(shard, &chunks, &norms, &title_sizes) {
            Some(bytes) => emit(format!("search/t-{}.js", shard_name(shard)), bytes),
            None => Ok(()),
        }
    })?;
    drop(chunks);

    let docs: Vec<(&IndexedPage, &TextSection)> = pages
        .iter()
        .flat_map(|page| page.sections.iter().map(move |s| (page, s)))
        .collect();
    docs.par_chunks(BLOCK_DOCS)
        .enumerate()
        .try_for_each(|(n, block)| emit(format!("search/d-{n}.js"), write_block(n, block)))?;
    Ok(1 + shards.len() + docs.len().div_ceil(BLOCK_DOCS))
}

/// Every page the index holds: the Markdown pages, then the generated ones.
fn indexed_pages<'s>(site: &'s Site, generated: &'s [GeneratedPage]) -> Vec<IndexedPage<'s>> {
    site.pages
        .values()
        .map(|p| IndexedPage {
            url: &p.url,
            title: &p.title,
            sections: &p.doc.sections,
        })
        .chain(generated.iter().map(|g| IndexedPage {
            url: &g.url,
            title: &g.title,
            sections: &g.sections,
        }))
        .collect()
}

/// BM25's length normalisation of each document, and the number of
/// distinct terms in each document's title, in document order.
fn document_norms(chunks: &[Chunk], doc_count: usize) -> (Vec<f64>, Vec<u8>) {
    let mut doc_lengths = Vec::with_capacity(doc_count);
    let mut title_sizes = Vec::with_capacity(doc_count);
    for chunk in chunks {
        doc_lengths.extend_from_slice(&chunk.doc_lengths);
        title_sizes.extend_from_slice(&chunk.title_sizes);
    }
    let total: u64 = doc_lengths.iter().map(|&l| u64::from(l)).sum();
    let average = if doc_count == 0 {
        1.0
    } else {
        (total as f64 / doc_count as f64).max(1.0)
    };
    let norms = doc_lengths
        .iter()
        .map(|&l| K1 * (1.0 - B + B * f64::from(l) / average))
        .collect();
    (norms, title_sizes)
}

/// `search/meta.js`: the document count, block size, shards, stop words,
/// and `"stem":false` when the language is not English (the client then
/// does not stem either). An English site's file has no `stem` key.
fn meta_js(doc_count: usize, shards: &[usize], tokenizing: Tokenizing) -> Vec<u8> {
    let mut meta = Vec::with_capacity(64 + shards.len() * 5);
    meta.extend_from_slice(b"playbookSearch.load(\"meta\",{\"docs\":");
    push_uint(&mut meta, doc_count as u64);
    meta.extend_from_slice(b",\"block\":");
    push_uint(&mut meta, BLOCK_DOCS as u64);
    meta.extend_from_slice(b",\"shards\":[");
    for (i, shard) in shards.iter().enumerate() {
        if i > 0 {
            meta.push(b',');
        }
        meta.push(b'"');
        meta.extend_from_slice(shard_name(*shard).as_bytes());
        meta.push(b'"');
    }
    meta.extend_from_slice(b"],\"stop\":[");
    for (i, word) in tokenizing.stop_words().iter().enumerate() {
        if i > 0 {
            meta.push(b',');
        }
        push_json_str(&mut meta, word);
    }
    meta.push(b']');
    if tokenizing == Tokenizing::Plain {
        meta.extend_from_slice(b",\"stem\":false");
    }
    meta.extend_from_slice(b"});\n");
    meta
}

/// How the words of the site's language become terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tokenizing {
    /// English: each word's Snowball English stem, [`STOP_WORDS`] left out.
    English,
    /// Any other language: each lowercased word as it is, none left out.
    /// Snowball has stemmers for other languages, but `stemmer.js` only
    /// matches the English one, and a query must make the build's terms.
    Plain,
}

impl Tokenizing {
    /// English for `en` and `en-*` (any case), plain for every other tag.
    pub(crate) fn for_lang(lang: &str) -> Tokenizing {
        let primary = lang.split('-').next().unwrap_or("");
        if primary.eq_ignore_ascii_case("en") {
            Tokenizing::English
        } else {
            Tokenizing::Plain
        }
    }

    fn stop_words(self) -> &'static [&'static str] {
        match self {
            Tokenizing::English => &STOP_WORDS,
            Tokenizing::Plain => &[],
        }
    }
}

/// A page as the index sees it: a Markdown page or a generated one.
struct IndexedPage<'s> {
    url: &'s str,
    title: &'s str,
    sections: &'s [TextSection],
}

/// A page the build makes from data (see `crate::render`), as text.
struct GeneratedPage {
    url: String,
    title: String,
    sections: Vec<TextSection>,
}

/// The generated pages a reader may look for: the roles index, each role's
/// page (its names, summary, responsibilities and checklist items), and the
/// release-notes page. Print pages repeat the role pages and are left out.
fn generated_pages(site: &Site) -> Vec<GeneratedPage> {
    let mut pages = Vec::new();
    // A page of sections, each (heading, parts joined by ` · `). The parts
    // a reader names a page by come in a short first section of their own,
    // so a long checklist does not drown them.
    let page = |url: &str, title: &str, sections: Vec<(&str, Vec<String>)>| GeneratedPage {
        url: url.to_string(),
        title: title.to_string(),
        sections: sections
            .into_iter()
            .map(|(heading, parts)| TextSection {
                heading: (!heading.is_empty()).then(|| (String::new(), heading.to_string())),
                text: parts
                    .iter()
                    .map(|p| p.trim())
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · "),
            })
            .collect(),
    };
    let generated = &site.nav.generated;
    let roles = site.embeds.roles.all();
    if let Some(title) = generated.get(crate::routes::ROLES_INDEX_URL) {
        let cards = roles
            .iter()
            .map(|r| format!("{} ({}): {}", r.name, r.aliases.join(", "), r.summary))
            .collect();
        pages.push(page(
            crate::routes::ROLES_INDEX_URL,
            title,
            vec![("", cards)],
        ));
        let mut checklists = role_checklists(site);
        for role in roles {
            let mut about = vec![role.aliases.join(", "), role.summary.clone()];
            about.extend(role.responsibilities.iter().cloned());
            let phases = checklists.remove(role.id.as_str()).unwrap_or_default();
            let url = crate::embed::role_url(&role.id);
            pages.push(page(
                &url,
                &role.name,
                vec![("", about), ("Checklist", phases)],
            ));
        }
    }
    if let (Some(title), Some(spec)) = (
        generated.get(crate::routes::RELEASE_NOTES_URL),
        &site.release_notes,
    ) {
        let sections = spec
            .sections
            .iter()
            .map(|s| format!("{}: {}", s.title, s.prompt))
            .collect();
        pages.push(page(
            crate::routes::RELEASE_NOTES_URL,
            title,
            vec![("", vec![spec.title.clone()]), ("Sections", sections)],
        ));
    }
    for (url, title, sections) in crate::run_pages::search_pages(site) {
        let sections = sections
            .iter()
            .map(|(heading, parts)| (heading.as_str(), parts.clone()))
            .collect();
        pages.push(page(&url, &title, sections));
    }
    pages
}

/// Each role's checklist as its page is searched: a line per group,
/// `group: item · item`.
fn role_checklists(site: &Site) -> HashMap<&str, Vec<String>> {
    let all_phases = crate::views::phases(site);
    crate::views::by_role(site, &all_phases)
        .into_iter()
        .map(|(role, phases)| {
            let lines = phases
                .iter()
                .map(|phase| {
                    let items: Vec<String> = phase
                        .items
                        .iter()
                        .map(|r| crate::links::plain_text(&r.item.text))
                        .collect();
                    format!("{}: {}", phase.group.title, items.join(" · "))
                })
                .collect();
            (role, lines)
        })
        .collect()
}

/// A page's indexed text, lowercased, so terms can borrow from it.
struct LoweredPage {
    title: String,
    /// Heading and body of each section.
    sections: Vec<(String, String)>,
}

impl LoweredPage {
    fn new(page: &IndexedPage) -> Self {
        LoweredPage {
            title: lowercase(page.title),
            sections: page
                .sections
                .iter()
                .map(|s| {
                    let heading = s.heading.as_ref().map_or("", |(_, text)| text.as_str());
                    (lowercase(heading), lowercase(&s.text))
                })
                .collect(),
        }
    }
}

/// `text.to_lowercase()`, ASCII runs a slice at a time: the standard one
/// goes a character at a time after the first non-ASCII character (an
/// em dash early in a page made its whole text slow to lowercase).
fn lowercase(text: &str) -> String {
    // Σ lowercases by what follows it: left to the standard function.
    if text.contains('Σ') {
        return text.to_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        let mut chars = rest[ascii..].chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_lowercase());
        }
        rest = chars.as_str();
    }
    out
}

/// The terms of a run of pages, and the documents each is in.
struct Chunk {
    /// The chunk's terms, in order of first appearance.
    terms: Vec<Box<str>>,
    /// Term `i`'s (document, field-weighted term frequency) pairs are
    /// `postings[starts[i]..starts[i + 1]]`, documents ascending.
    postings: Vec<(u32, u32)>,
    starts: Vec<u32>,
    /// Per shard: the terms (indices into `terms`) that fall in it.
    shards: Vec<Vec<u32>>,
    /// Field-weighted length of each document, in document order.
    doc_lengths: Vec<u32>,
    /// Distinct terms in each document's title, in document order.
    title_sizes: Vec<u8>,
}

impl Chunk {
    fn postings(&self, term: u32) -> &[(u32, u32)] {
        let i = term as usize;
        &self.postings[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

/// Tokenizes a run of pages: each distinct word is stemmed once.
fn tokenize_chunk(pages: &[LoweredPage], first_doc: &[usize], tokenizing: Tokenizing) -> Chunk {
    let text_len: usize = pages
        .iter()
        .flat_map(|p| &p.sections)
        .map(|(h, b)| h.len() + b.len())
        .sum();
    let mut terms = ChunkTerms::new(tokenizing, text_len);
    let mut doc_lengths = Vec::new();
    let mut title_sizes = Vec::new();
    for (page, &first) in pages.iter().zip(first_doc) {
        for (i, (heading, body)) in page.sections.iter().enumerate() {
            // Fits: index_files checked the document count.
            let doc = (first + i) as u32;
            let (length, title_size) = terms.add_document(doc, &page.title, heading, body);
            doc_lengths.push(length);
            title_sizes.push(title_size);
        }
    }
    terms.into_chunk(doc_lengths, title_sizes)
}

/// A chunk's terms and hits as its documents are read. One hash lookup per
/// word (its surface form); hits are appended in document order, and
/// grouped by term at the end (a counting sort), which keeps memory access
/// sequential.
struct ChunkTerms<'t> {
    tokenizing: Tokenizing,
    stemmer: rust_stemmers::Stemmer,
    surfaces: FxHashMap<&'t str, u32>,
    term_ids: FxHashMap<String, u32>,
    terms: Vec<Box<str>>,
    /// Per term: the last document it was seen in, and its entry in `hits`.
    last: Vec<(u32, u32)>,
    /// (term, document, weight | IN_TITLE)
    hits: Vec<(u32, u32, u32)>,
}

impl<'t> ChunkTerms<'t> {
    fn new(tokenizing: Tokenizing, text_len: usize) -> Self {
        ChunkTerms {
            tokenizing,
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
            surfaces: FxHashMap::default(),
            term_ids: FxHashMap::default(),
            terms: Vec::new(),
            last: Vec::new(),
            hits: Vec::with_capacity(text_len / 12),
        }
    }

    /// Reads one document; returns its field-weighted length and the number
    /// of distinct terms in the title a result shows for it.
    fn add_document(
        &mut self,
        doc: u32,
        title: &'t str,
        heading: &'t str,
        body: &'t str,
    ) -> (u32, u8) {
        let mut length = 0u32;
        let mut title_size = 0u8;
        // The title a result shows: the heading, or the page's title.
        let shown = if heading.is_empty() { 0 } else { 1 };
        let stop = self.tokenizing.stop_words();
        for (field, (text, weight)) in [
            (title, TITLE_WEIGHT),
            (heading, HEADING_WEIGHT),
            (body, BODY_WEIGHT),
        ]
        .into_iter()
        .enumerate()
        {
            let flag = if field == shown { IN_TITLE } else { 0 };
            for_each_term(text, stop, |word| {
                length = length.saturating_add(weight);
                let term = self.term_of(word);
                if self.hit(term, doc, weight, flag) {
                    title_size = title_size.saturating_add(1);
                }
            });
        }
        (length, title_size)
    }

    /// The term id of `word`, made on its first appearance.
    fn term_of(&mut self, word: &'t str) -> u32 {
        let ChunkTerms {
            tokenizing,
            stemmer,
            surfaces,
            term_ids,
            terms,
            last,
            ..
        } = self;
        *surfaces.entry(word).or_insert_with(|| {
            let stemmer = (*tokenizing == Tokenizing::English).then_some(&*stemmer);
            let normal = normalize(word, stemmer);
            *term_ids.entry(normal).or_insert_with_key(|normal| {
                terms.push(normal.as_str().into());
                last.push((u32::MAX, 0));
                (terms.len() - 1) as u32
            })
        })
    }

    /// Counts `term` in `doc`; whether it is the term's first time in the
    /// document's shown title.
    fn hit(&mut self, term: u32, doc: u32, weight: u32, flag: u32) -> bool {
        let slot = &mut self.last[term as usize];
        let was = if slot.0 == doc {
            let hit = &mut self.hits[slot.1 as usize].2;
            let was = *hit;
            *hit = (was & WEIGHT).saturating_add(weight).min(WEIGHT) | (was & IN_TITLE) | flag;
            was & IN_TITLE
        } else {
            *slot = (doc, self.hits.len() as u32);
            self.hits.push((term, doc, weight | flag));
            0
        };
        flag != 0 && was == 0
    }

    /// The chunk: hits grouped by term, terms by shard.
    fn into_chunk(self, doc_lengths: Vec<u32>, title_sizes: Vec<u8>) -> Chunk {
        let ChunkTerms { terms, hits, .. } = self;
        let mut starts = vec![0u32; terms.len() + 1];
        for &(term, _, _) in &hits {
            starts[term as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut postings = vec![(0u32, 0u32); hits.len()];
        for &(term, doc, weight) in &hits {
            let at = &mut next[term as usize];
            postings[*at as usize] = (doc, weight);
            *at += 1;
        }
        let mut shards: Vec<Vec<u32>> = Vec::new();
        shards.resize_with(SHARDS, Vec::new);
        for (id, term) in terms.iter().enumerate() {
            shards[shard_of(term)].push(id as u32);
        }
        Chunk {
            terms,
            postings,
            starts,
            shards,
            doc_lengths,
            title_sizes,
        }
    }
}

/// The term a word is indexed under: hyphens dropped, then its Snowball
/// English stem when it is all a-z and there is a stemmer (`stemmer.js`
/// does the same).
fn normalize(word: &str, stemmer: Option<&rust_stemmers::Stemmer>) -> String {
    let joined: std::borrow::Cow<str> = if word.contains('-') {
        word.replace('-', "").into()
    } else {
        word.into()
    };
    match stemmer {
        Some(stemmer) if joined.bytes().all(|b| b.is_ascii_lowercase()) => {
            stemmer.stem(&joined).into_owned()
        }
        _ => joined.into_owned(),
    }
}

/// Whether `c` is part of a word: a Unicode alphanumeric.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Calls `f` with each indexed word of lowercased `text`, as a slice of it:
/// runs of Unicode alphanumerics (`2.4.0`: digits joined by dots stay one
/// word) of two characters or more, or with a digit, the `stop` words left out;
/// and, after the parts of a hyphenated word, the whole (`on-call`).
/// `stemmer.js`'s `words` splits a query the same way.
fn for_each_term<'a>(text: &'a str, stop: &[&str], mut f: impl FnMut(&'a str)) {
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    // Start of the hyphenated chain the last word belongs to, and how many
    // words it has so far; the end of the last word.
    let mut chain = (0usize, 0usize);
    let mut last_end = usize::MAX;
    let mut i = 0;
    // A word found at `s..e` (`None` at the end of the text).
    let mut finish = |word: Option<(usize, usize)>,
                      chain: &mut (usize, usize),
                      last_end: &mut usize| {
        let continues =
            |s: usize| *last_end != usize::MAX && s == *last_end + 1 && bytes[*last_end] == b'-';
        match word {
            Some((s, _)) if continues(s) => chain.1 += 1,
            _ => {
                if chain.1 >= 2 {
                    f(&text[chain.0..*last_end]);
                }
                *chain = (word.map_or(0, |w| w.0), 1);
            }
        }
        if let Some((s, e)) = word {
            *last_end = e;
            emit(&text[s..e], stop, &mut f);
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        let (word, width) = if b.is_ascii() {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (is_word_char(c), c.len_utf8()),
                None => (false, 1),
            }
        };
        if word {
            start.get_or_insert(i);
        } else if let Some(s) = start {
            let dotted_number = b == b'.'
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !dotted_number {
                start = None;
                finish(Some((s, i)), &mut chain, &mut last_end);
            }
        }
        i += width;
    }
    if let Some(s) = start {
        finish(Some((s, bytes.len())), &mut chain, &mut last_end);
    }
    finish(None, &mut chain, &mut last_end);
}

fn emit<'a>(term: &'a str, stop: &[&str], f: &mut impl FnMut(&'a str)) {
    let long_enough = if term.is_ascii() {
        term.len() >= 2 || term.as_bytes()[0].is_ascii_digit()
    } else {
        term.chars().nth(1).is_some() || term.chars().any(char::is_numeric)
    };
    if long_enough && !is_stop_word(term, stop) {
        f(term);
    }
}

/// Whether `term` is one of `stop` (empty, or [`STOP_WORDS`]).
fn is_stop_word(term: &str, stop: &[&str]) -> bool {
    // Stop words are short: most words are out at the first test.
    term.len() <= 5 && stop.contains(&term)
}

/// The shard of a term: its first two characters when both are ASCII
/// alphanumerics, else one of 16 by its first character.
fn shard_of(term: &str) -> usize {
    let b = term.as_bytes();
    match (
        b.first().and_then(|&c| ascii_slot(c)),
        b.get(1).and_then(|&c| ascii_slot(c)),
    ) {
        (Some(x), Some(y)) => x * 36 + y,
        _ => ASCII_SHARDS + term.chars().next().map_or(0, |c| c as usize % 16),
    }
}

fn ascii_slot(c: u8) -> Option<usize> {
    match c {
        b'0'..=b'9' => Some(usize::from(c - b'0')),
        b'a'..=b'z' => Some(usize::from(c - b'a') + 10),
        _ => None,
    }
}

/// A shard's file name part: `de`, `3d`, or `_0`..`_f`.
fn shard_name(shard: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if shard < ASCII_SHARDS {
        let pair = [DIGITS[shard / 36], DIGITS[shard % 36]];
        String::from_utf8_lossy(&pair).into_owned()
    } else {
        format!("_{:x}", shard - ASCII_SHARDS)
    }
}

/// The `t-<shard>.js` file, or `None` when no term falls in the shard.
fn write_shard(
    shard: usize,
    chunks: &[Chunk],
    norms: &[f64],
    title_sizes: &[u8],
) -> Option<Vec<u8>> {
    if chunks.iter().all(|c| c.shards[shard].is_empty()) {
        return None;
    }
    // Chunks are in page order, so each term's documents come out ascending.
    let mut ids: FxHashMap<&str, usize> = FxHashMap::default();
    let mut terms: Vec<(&str, Vec<(u32, u32)>)> = Vec::new();
    let mut size = 0;
    for chunk in chunks {
        for &id in &chunk.shards[shard] {
            let term = &*chunk.terms[id as usize];
            let postings = chunk.postings(id);
            size += postings.len();
            match ids.entry(term) {
                MapEntry::Occupied(e) => terms[*e.get()].1.extend_from_slice(postings),
                MapEntry::Vacant(e) => {
                    e.insert(terms.len());
                    terms.push((term, postings.to_vec()));
                }
            }
        }
    }
    terms.sort_unstable_by(|a, b| utf16_cmp(a.0, b.0));

    let name = shard_name(shard);
    let mut out = Vec::with_capacity(size * 6 + terms.len() * 16 + 64);
    out.extend_from_slice(b"playbookSearch.load(\"t-");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\",[");
    let n = norms.len() as f64;
    for (i, (term, postings)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_json_str(&mut out, term);
        out.extend_from_slice(b",[");
        let df = postings.len() as f64;
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let mut previous = 0;
        for (j, &(doc, weight)) in postings.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            push_uint(&mut out, u64::from(doc - previous));
            previous = doc;
            let tf = f64::from(weight & WEIGHT);
            let norm = norms.get(doc as usize).copied().unwrap_or(K1);
            let score = idf * tf * (K1 + 1.0) / (tf + norm);
            out.push(b',');
            // At least 1, so a match always counts for something.
            let score = ((score * 10.0).round() as u64).max(1);
            let title = if weight & IN_TITLE == 0 {
                0
            } else {
                title_sizes.get(doc as usize).map_or(1, |&t| t.clamp(1, 15))
            };
            push_uint(&mut out, score * 16 + u64::from(title));
        }
        out.push(b']');
    }
    out.extend_from_slice(b"]);\n");
    Some(out)
}

/// Compares as JavaScript compares strings (UTF-16 code units).
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// The `d-<n>.js` file for one block of documents.
fn write_block(n: usize, docs: &[(&IndexedPage, &TextSection)]) -> Vec<u8> {
    let size: usize = docs
        .iter()
        .map(|(_, s)| s.text.len().min(TEASER_CHARS * 4) + 128)
        .sum();
    let mut out = Vec::with_capacity(size + 64);
    out.extend_from_slice(b"playbookSearch.load(\"d-");
    push_uint(&mut out, n as u64);
    out.extend_from_slice(b"\",[");
    let mut previous: Option<&IndexedPage> = None;
    for (i, &(page, section)) in docs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let (anchor, heading) = match &section.heading {
            Some((id, text)) => (id.as_str(), text.as_str()),
            None => ("", ""),
        };
        out.push(b'[');
        push_json_str(&mut out, anchor);
        out.push(b',');
        push_json_str(&mut out, heading);
        out.push(b',');
        let (teaser, cut) = teaser(&section.text);
        push_json_str(&mut out, teaser);
        if cut {
            // Inside the closing quote.
            out.pop();
            out.extend_from_slice("…\"".as_bytes());
        }
        if !previous.is_some_and(|p| std::ptr::eq(p, page)) {
            out.push(b',');
            push_json_str(&mut out, page.url);
            out.push(b',');
            push_json_str(&mut out, page.title);
        }
        out.push(b']');
        previous = Some(page);
    }
    out.extend_from_slice(b"]);\n");
    out
}

/// The start of a section's text, and whether that is not all of it.
fn teaser(text: &str) -> (&str, bool) {
    if text.len() <= TEASER_CHARS {
        return (text, false);
    }
    if text.as_bytes()[..TEASER_CHARS].is_ascii() {
        // The next character starts right after the ASCII ones.
        return (&text[..TEASER_CHARS], true);
    }
    match text.char_indices().nth(TEASER_CHARS) {
        Some((cut, _)) => (&text[..cut], true),
        None => (text, false),
    }
}

fn push_uint(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Bytes `push_json_str` looks at twice: a quick test for the common case.
static NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'<' as usize] = true;
    table[0xe2] = true; // U+2028, U+2029
    table
};

/// Writes `s` as a JSON string that is also safe anywhere in a script:
/// `<` is escaped (no `</script>` or `<!--`), and so are U+2028 and U+2029,
/// which older JavaScript does not allow in string literals.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !NEEDS_ESCAPE[usize::from(b)] {
            continue;
        }
        let escape: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            b'<' => Some(b"\\u003c"),
            0..=0x1f => None,
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
            0xe2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
            {
                None
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        match escape {
            Some(e) => {
                out.extend_from_slice(e);
                start = i + 1;
            }
            None if b < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
                start = i + 1;
            }
            None => {
                let last = if bytes.get(i + 2) == Some(&0xa8) {
                    b"\\u2028"
                } else {
                    b"\\u2029"
                };
                out.extend_from_slice(last);
                start = i + 3;
            }
        }
    }
    // `start` can pass the end only by skipping a U+2028/9 at the very end.
    if start < bytes.len() {
        out.extend_from_slice(&bytes[start..]);
    }
    out.push(b'"');
}

/// FxHash (as in rustc): much faster than SipHash for short keys. Only used
/// for lookups; nothing iterates a map in an order that reaches the output.
#[derive(Default, Clone, Copy)]
struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for_each_term(text, &STOP_WORDS, |t| out.push(t));
        out
    }

    proptest::proptest! {
        #[test]
        fn lowercase_is_the_standard_one(text in "(\\PC|Σ|İ|ẞ|A|é|-| ){0,40}") {
            proptest::prop_assert_eq!(lowercase(&text), text.to_lowercase());
        }
    }

    #[test]
    fn tokenizer_keeps_alphanumeric_runs_of_two_or_more() {
        let text = "deploy the api-v2 to prod, a b 42 é ça naïve x1 über_cool".to_lowercase();
        assert_eq!(
            terms(&text),
            ["deploy", "api", "v2", "api-v2", "prod", "42", "ça", "naïve", "x1", "über", "cool"]
        );
        assert_eq!(terms(""), Vec::<&str>::new());
        assert_eq!(terms("日本語"), ["日本語"]);
    }

    #[test]
    fn versions_numbers_and_hyphenated_words_are_terms() {
        assert_eq!(
            terms("roll back 2.4.0 to 2.3.2. v1.10 in 5 minutes"),
            ["roll", "back", "2.4.0", "2.3.2", "v1.10", "5", "minutes"]
        );
        assert_eq!(
            terms("on-call sign-off"),
            ["call", "on-call", "sign", "off", "sign-off"]
        );
        assert_eq!(terms("t-24h x-y-z."), ["24h", "t-24h", "x-y-z"]);
        assert_eq!(terms("end. 3.x 1."), ["end", "3", "1"]);
        let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
        let normal = |w: &str| normalize(w, Some(&stemmer));
        assert_eq!(normal("deployed"), "deploy");
        assert_eq!(normal("deployment"), "deploy");
        assert_eq!(normal("rolled"), "roll");
        assert_eq!(normal("on-call"), normal("oncall"));
        assert_eq!(normal("sign-off"), "signoff");
        assert_eq!(normal("2.4.0"), "2.4.0");
        assert_eq!(normal("naïve"), "naïve");
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w, &STOP_WORDS)));
        assert!(!is_stop_word("release", &STOP_WORDS));
    }

    #[test]
    fn shards_by_first_two_characters() {
        assert_eq!(shard_name(shard_of("deploy")), "de");
        assert_eq!(shard_name(shard_of("42")), "42");
        assert_eq!(shard_name(shard_of("x1")), "x1");
        // 'ç' is U+00E7: mod 16 is 7.
        assert_eq!(shard_name(shard_of("ça")), "_7");
        // 'a' is U+0061.
        assert_eq!(shard_name(shard_of("aé")), "_1");
    }

    #[test]
    fn strings_are_escaped_for_json_and_scripts() {
        let mut out = Vec::new();
        push_json_str(
            &mut out,
            "Say \"hi\" </script><!-- \\ \n\t\u{1}\u{2028}é\u{2029}",
        );
        let json = String::from_utf8(out).unwrap();
        assert_eq!(
            json,
            r#""Say \"hi\" \u003c/script>\u003c!-- \\ \n\t\u0001\u2028é\u2029""#
        );
        let back: String = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back,
            "Say \"hi\" </script><!-- \\ \n\t\u{1}\u{2028}é\u{2029}"
        );
    }

    #[test]
    fn terms_sort_as_javascript_compares() {
        // U+FF21 (one UTF-16 unit) sorts after U+1F600 (a surrogate pair
        // starting 0xD83D) in JavaScript, though not in UTF-8 byte order.
        let mut v = vec!["\u{ff21}x", "\u{1f600}x", "ab"];
        v.sort_by(|a, b| utf16_cmp(a, b));
        assert_eq!(v, ["ab", "\u{1f600}x", "\u{ff21}x"]);
    }

    fn site(dir: &std::path::Path) -> Site {
        let content = dir.join("content");
        std::fs::create_dir_all(content.join("guide")).unwrap();
        std::fs::write(
            content.join("index.md"),
            "# Home\n\nWelcome. Deploy the thing.\n\n## Rolling back {#back}\n\nRoll back with care.\n",
        )
        .unwrap();
        std::fs::write(
            content.join("guide/setup.md"),
            "---\ntitle: \"Setup </script> \\\"quoted\\\"\"\n---\n\nInstall deployment tools.\n\n## Ünïcode héading\n\nNaïve café.\n",
        )
        .unwrap();
        let config = crate::config::Config::new(&crate::config::Paths {
            root: dir.to_path_buf(),
            ..Default::default()
        })
        .unwrap();
        crate::build::load_site(&config).unwrap()
    }

    #[test]
    fn index_is_deterministic_and_complete() {
        let dir = std::env::temp_dir().join(format!("playbook-search-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let site = site(&dir);
        let one = index_files(&site).unwrap();
        let single = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| index_files(&site).unwrap());
        assert!(one == single, "the same bytes whatever the thread count");
        let names: Vec<&str> = one.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names[0], "search/meta.js");
        assert!(names.contains(&"search/t-de.js"), "{names:?}");
        assert!(names.contains(&"search/d-0.js"), "{names:?}");
        assert!(
            names.iter().all(|n| crate::outputs::is_search_index(n)),
            "content files may not take these paths: {names:?}"
        );
        let text = |name: &str| {
            let (_, bytes) = one.iter().find(|(n, _)| n == name).unwrap();
            String::from_utf8(bytes.clone()).unwrap()
        };
        let meta = text("search/meta.js");
        assert!(
            meta.starts_with("playbookSearch.load(\"meta\",{\"docs\":4,"),
            "{meta}"
        );
        assert!(
            meta.contains(r#""stop":["an","and","#),
            "the client reads the stop words from here: {meta}"
        );
        let de = text("search/t-de.js");
        assert!(
            de.starts_with("playbookSearch.load(\"t-de\",[\"deploy\",["),
            "{de}"
        );
        assert!(!de.contains("\"deployment\","), "stemmed: {de}");
        let block = text("search/d-0.js");
        assert!(
            block.contains(r#""Setup \u003c/script> \"quoted\"""#),
            "titles are escaped: {block}"
        );
        assert!(
            block.contains(r#"["back","Rolling back","Roll back with care."]"#),
            "{block}"
        );
        // Every file is valid JSON inside the call.
        for (name, bytes) in &one {
            let s = std::str::from_utf8(bytes).unwrap();
            let open = s.find(',').unwrap();
            let json = &s[open + 1..s.len() - ");\n".len()];
            serde_json::from_str::<serde_json::Value>(json)
                .unwrap_or_else(|e| panic!("{name}: {e}: {json}"));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
