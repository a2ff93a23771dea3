//! `playbook reconcile`: merge diverging copies of a guide into one
//! canonical set of pages, roles, checklists and a release-note spec.
//!
//! The steps, in order: decode and repair each copy ([`repair`]), parse it
//! ([`variant`]), group copies by document and merge them ([`merge`]), pull
//! out roles, checklists and the release-note spec ([`extract`]), and write
//! pages back as Markdown ([`output`]). Everything is kept or reported.

pub mod base;
pub mod extract;
pub mod html_copy;
pub mod infer;
pub mod merge;
pub mod output;
pub mod repair;
pub mod report;
pub mod roles;
pub mod table;
pub mod text;
pub mod variant;

use std::collections::{BTreeMap, BTreeSet};

use crate::checklist::{ReleaseNoteSpec, RoleEntry, RolesFile};
use crate::diagnostic::Diagnostic;
use merge::{Doc, MergeLog};
use report::Report;
use variant::Variant;

/// Largest input reconcile accepts, in bytes.
pub const MAX_INPUT_BYTES: usize = 10 * 1024 * 1024;

/// One guide copy as read from disk.
pub struct Input {
    /// The path as the user gave it, for messages.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What reconcile produced: files for the canonical tree, and the report.
pub struct Outcome {
    /// Content-relative path → file text, sorted.
    pub files: BTreeMap<String, String>,
    /// Files kept from a `--base` tree that are not text (images, ...).
    pub binary: BTreeMap<String, Vec<u8>>,
    pub report: Report,
}

/// Reconcile `inputs` into a canonical tree. Problems with an input are
/// diagnostics; nothing is produced unless every input is usable.
pub fn reconcile(inputs: &[Input]) -> Result<Outcome, Vec<Diagnostic>> {
    reconcile_with_progress(inputs, &indicatif::ProgressBar::hidden())
}

/// [`reconcile`], ticking `progress` once per input read, then showing
/// "merging" until the tree is made.
pub fn reconcile_with_progress(
    inputs: &[Input],
    progress: &indicatif::ProgressBar,
) -> Result<Outcome, Vec<Diagnostic>> {
    progress.set_length(inputs.len() as u64);
    let outcome = reconcile_inputs(inputs, progress);
    progress.finish_and_clear();
    outcome
}

fn reconcile_inputs(
    inputs: &[Input],
    progress: &indicatif::ProgressBar,
) -> Result<Outcome, Vec<Diagnostic>> {
    let mut report = Report::default();
    let variants = read_variants(inputs, &mut report, progress)?;
    let mut log = MergeLog::default();
    let mut docs = merge_documents(&variants, &mut log);
    let renamed = output::choose_page_names(&mut docs);
    let accounted = report::accounted_items(&docs);
    let roles = extract::collect_roles(&docs);
    let spec = extract::release_note_spec(&mut docs, &roles);
    let checklists = extract_checklists(&mut docs, &roles);
    let role_entries = role_entries(&roles);
    let mut files = canonical_files(&docs, &checklists, &role_entries, spec.as_ref());
    fix_links_and_text(&mut files, &docs, &renamed, &mut report);
    files.insert(
        base::RECORD_FILE.to_string(),
        base::record_yaml(&base::record_of(&files)),
    );
    report.finish(
        &variants,
        &docs,
        &log,
        &checklists,
        &role_entries,
        spec.as_ref(),
        &files,
        &accounted,
    );
    Ok(Outcome {
        files,
        binary: BTreeMap::new(),
        report,
    })
}

/// Every input decoded and parsed (each reported), sorted by name so the
/// result is the same whatever the order on the command line; every
/// input's problem when any is unusable.
fn read_variants(
    inputs: &[Input],
    report: &mut Report,
    progress: &indicatif::ProgressBar,
) -> Result<Vec<Variant>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut variants = Vec::new();
    let mut names = BTreeSet::new();
    for input in inputs {
        match read_variant(input, &mut names) {
            Ok((variant, decoded)) => {
                report.add_input(
                    &input.path,
                    &variant,
                    decoded.repairs,
                    decoded
                        .warnings
                        .iter()
                        .map(|w| format!("{}: {w}", input.path))
                        .collect(),
                );
                variants.push(variant);
            }
            Err(diagnostic) => problems.push(*diagnostic),
        }
        progress.inc(1);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    progress.set_message("merging");
    variants.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(variants)
}

/// The checklists of every document, in order; an item an earlier
/// document's checklist already has is referred to, not repeated.
fn extract_checklists(docs: &mut [Doc], roles: &roles::RoleBook) -> extract::Checklists {
    let mut checklists = extract::Checklists::default();
    let mut taken = BTreeSet::new();
    let mut earlier = extract::EarlierItems::default();
    for doc in docs {
        let made = checklists.checklists.len();
        extract::extract_checklists(doc, roles, &mut taken, &earlier, &mut checklists);
        earlier.extend(&checklists.checklists[made..]);
    }
    checklists
}

/// The roles as `roles.yaml` lists them.
fn role_entries(roles: &roles::RoleBook) -> Vec<RoleEntry> {
    roles
        .roles()
        .into_iter()
        .map(|r| RoleEntry {
            id: r.id,
            name: r.name,
            aliases: r.aliases,
            summary: r.summary,
            responsibilities: r.responsibilities,
        })
        .collect()
}

/// The canonical tree: pages, checklists, roles and the release-note spec.
fn canonical_files(
    docs: &[Doc],
    checklists: &extract::Checklists,
    role_entries: &[RoleEntry],
    spec: Option<&ReleaseNoteSpec>,
) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        files.insert(doc.page.clone(), output::page_markdown(doc, i + 1));
    }
    for checklist in &checklists.checklists {
        files.insert(
            format!("checklists/{}.yaml", checklist.id),
            to_yaml(checklist),
        );
    }
    files.insert(
        "roles.yaml".to_string(),
        to_yaml(&RolesFile {
            roles: role_entries.to_vec(),
        }),
    );
    if let Some(spec) = spec {
        files.insert("release-notes.yaml".to_string(), to_yaml(spec));
    }
    files
}

/// Links to a copy's file name or to a heading merged under another
/// wording lead to where that went; text still mis-decoded gets one more
/// repair pass, reported.
fn fix_links_and_text(
    files: &mut BTreeMap<String, String>,
    docs: &[Doc],
    renamed: &BTreeMap<String, String>,
    report: &mut Report,
) {
    let moved: BTreeMap<String, BTreeMap<String, String>> = docs
        .iter()
        .map(|d| (d.page.clone(), output::moved_anchors(d)))
        .filter(|(_, m)| !m.is_empty())
        .collect();
    for (file, text) in files.iter_mut() {
        if !renamed.is_empty() {
            // Links to a copy's file name lead to its document's page.
            *text = output::rename_link_targets(text, renamed);
        }
        if !moved.is_empty() {
            // ... and to a heading merged under another wording, to that heading.
            *text = output::rename_anchors(text, file, &moved);
        }
        if repair::looks_misdecoded(text) {
            // Never ship mis-decoded text: one more repair pass, reported.
            let (fixed, n) = repair::repair_mojibake(text);
            report.late_repairs += n;
            *text = fixed;
        }
    }
}

/// An input that is no text copy of a guide: too big, empty, a document
/// format reconcile does not read, or binary.
fn refuse_unreadable(input: &Input) -> Result<(), Box<Diagnostic>> {
    let fail = |message: String, hint: &str| {
        Box::new(Diagnostic::file_error("reconcile-input", &input.path, message).with_hint(hint))
    };
    if input.bytes.len() > MAX_INPUT_BYTES {
        return Err(fail(
            // Inputs are read only to one byte past the limit: no size to tell.
            format!(
                "file is over the {} MB limit for a guide copy",
                MAX_INPUT_BYTES / 1024 / 1024
            ),
            "split the document, or check that this is the file you meant",
        ));
    }
    if input.bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(fail(
            "file is empty".to_string(),
            "give reconcile the Markdown copies of the guide",
        ));
    }
    if let Some(kind) = saved_document_kind(&input.bytes) {
        return Err(fail(
            format!("file is {kind}, not Markdown text"),
            "open it in the program that made it and save it as Markdown (.md), HTML or plain text: reconcile reads those",
        ));
    }
    if repair::utf16_encoding(&input.bytes).is_none() && input.bytes.contains(&0) {
        return Err(fail(
            "file is binary (it contains NUL bytes), not Markdown text".to_string(),
            "give reconcile the Markdown copies of the guide",
        ));
    }
    Ok(())
}

fn read_variant(
    input: &Input,
    names: &mut BTreeSet<String>,
) -> Result<(Variant, repair::Decoded), Box<Diagnostic>> {
    let fail = |message: String, hint: &str| {
        Box::new(Diagnostic::file_error("reconcile-input", &input.path, message).with_hint(hint))
    };
    refuse_unreadable(input)?;
    let mut decoded = repair::decode(&input.bytes);
    let max_nesting = crate::config::DEFAULT_MAX_NESTING;
    if html_copy::is_html(&input.path, &decoded.text) {
        let max_elements = max_nesting.saturating_mul(10);
        if let Some(at) = html_copy::too_deep(&decoded.text, max_elements) {
            let mut diagnostic =
                crate::site_load::nesting_diagnostic(&input.path, &decoded.text, at, max_nesting);
            diagnostic.hint = Some("flatten the nesting of its elements".to_string());
            return Err(Box::new(diagnostic));
        }
        decoded.text = html_copy::to_markdown(&decoded.text).map_err(|e| {
            fail(
                format!("file looks like HTML but could not be read as HTML: {e}"),
                "save the copy as Markdown or plain text and give reconcile that",
            )
        })?;
        decoded
            .warnings
            .push("read as HTML and turned into Markdown".to_string());
    }
    let stem = std::path::Path::new(&input.path)
        .file_stem()
        .map_or_else(|| input.path.clone(), |s| s.to_string_lossy().into_owned());
    let mut name = stem.clone();
    let mut n = 1;
    while !names.insert(name.clone()) {
        n += 1;
        name = format!("{stem}-{n}");
    }
    if let Some(at) = crate::markdown::too_deep(&decoded.text, max_nesting) {
        let mut diagnostic =
            crate::site_load::nesting_diagnostic(&input.path, &decoded.text, at, max_nesting);
        diagnostic.hint = Some("flatten the nesting of its lists and block quotes".to_string());
        return Err(Box::new(diagnostic));
    }
    let mut variant = variant::parse(&name, &decoded.text);
    variant.file = std::path::Path::new(&input.path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    if variant.sections.is_empty()
        && !decoded
            .text
            .lines()
            .any(|l| l.trim_start().starts_with('#'))
    {
        return Err(fail(
            "file has no headings, so it has no sections to align with the other copies"
                .to_string(),
            "give the document a `# Title` and `## Section` headings",
        ));
    }
    Ok((variant, decoded))
}

/// What a word processor or a viewer saved, told by its first bytes: the
/// copies teams keep are often these, and "binary" or "no headings" would
/// not say what to do.
fn saved_document_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("a PDF document")
    } else if bytes.starts_with(b"{\\rtf") {
        Some("an RTF document (rich text)")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some("a ZIP archive (a Word .docx or OpenDocument .odt file is one)")
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some("an old Microsoft Office document (.doc)")
    } else {
        None
    }
}

/// Group copies by their normalised title, join groups that are one
/// document retitled ([`same_document`]), and merge each group; documents
/// with more copies come first.
fn merge_documents(variants: &[Variant], log: &mut MergeLog) -> Vec<Doc> {
    let mut by_title: BTreeMap<String, Vec<&Variant>> = BTreeMap::new();
    for variant in variants {
        by_title
            .entry(text::normalise_heading(&variant.title))
            .or_default()
            .push(variant);
    }
    // Each group with the fingerprint of its richest copy.
    let mut joined: Vec<(Vec<&Variant>, Fingerprint)> = Vec::new();
    for group in by_title.into_values() {
        let Some(richest_copy) = richest(&group) else {
            continue;
        };
        let fingerprint = Fingerprint::of(richest_copy);
        match joined
            .iter_mut()
            .find(|(_, kept)| kept.same_document(&fingerprint))
        {
            Some((kept, kept_fingerprint)) => {
                kept.extend(group);
                if let Some(richest_copy) = richest(kept) {
                    *kept_fingerprint = Fingerprint::of(richest_copy);
                }
            }
            None => joined.push((group, fingerprint)),
        }
    }
    let mut groups: Vec<Vec<&Variant>> = joined.into_iter().map(|(group, _)| group).collect();
    groups.sort_by(|a, b| {
        b.len()
            .cmp(&a.len())
            .then_with(|| a[0].name.cmp(&b[0].name))
    });
    groups
        .into_iter()
        .map(|copies| {
            let doc = merge::merge_document(copies.clone(), log);
            let retitled = copies.iter().filter(|copy| {
                text::normalise_heading(&copy.title) != text::normalise_heading(&doc.title)
            });
            for copy in retitled {
                log.documents_by_content.push((
                    doc.title.clone(),
                    copy.title.clone(),
                    copy.name.clone(),
                ));
            }
            doc
        })
        .collect()
}

/// The copy of a group with the most items, then sections (the first on a
/// tie); `None` only for no copies.
fn richest<'v>(group: &[&'v Variant]) -> Option<&'v Variant> {
    let size = |v: &Variant| {
        let items: usize = v.sections.iter().map(|s| s.all_items().len()).sum();
        (items, v.sections.len())
    };
    group
        .iter()
        .copied()
        .reduce(|best, v| if size(v) > size(best) { v } else { best })
}

/// What a copy is about, to tell one document retitled from two documents.
struct Fingerprint {
    title: BTreeSet<String>,
    sections: BTreeSet<String>,
    steps: Vec<(String, Vec<String>)>,
}

impl Fingerprint {
    fn of(variant: &Variant) -> Fingerprint {
        fn walk(sections: &[variant::Section], out: &mut BTreeSet<String>) {
            for section in sections {
                out.insert(merge::heading_meaning(&section.heading));
                walk(&section.children, out);
            }
        }
        let mut sections = BTreeSet::new();
        walk(&variant.sections, &mut sections);
        let steps = variant
            .sections
            .iter()
            .flat_map(|s| s.all_items())
            .map(|item| {
                let text = text::analyse_item(&item.text).text;
                let tokens = text::item_tokens(&text);
                (text, tokens)
            })
            .collect();
        Fingerprint {
            title: merge::heading_meaning(&variant.title)
                .split(' ')
                .map(str::to_string)
                .collect(),
            sections,
            steps,
        }
    }

    /// Whether two copies with different titles are one document: three in
    /// five of the smaller copy's sections and of its steps (when both list
    /// three or more) are the other's, and half of its title's words; or,
    /// whatever the titles, four in five of each. (The guide and the release
    /// management checklist, both OctoAcme's, share 8 of 18 sections and 15
    /// of 77 steps: two documents.)
    fn same_document(&self, other: &Fingerprint) -> bool {
        let sections = Share {
            shared: self.sections.intersection(&other.sections).count(),
            of: self.sections.len().min(other.sections.len()),
        };
        let title = Share {
            shared: self.title.intersection(&other.title).count(),
            of: self.title.len().min(other.title.len()),
        };
        let fifths = if title.at_least(1, 2) { 3 } else { 4 };
        if sections.of < 3 || !sections.at_least(fifths, 5) {
            return false; // before comparing every step with every other
        }
        let (few, many) = if self.steps.len() <= other.steps.len() {
            (&self.steps, &other.steps)
        } else {
            (&other.steps, &self.steps)
        };
        let steps = Share {
            shared: few
                .iter()
                .filter(|(text, tokens)| {
                    many.iter()
                        .any(|(t, k)| text::same_analysed(t, k, text, tokens))
                })
                .count(),
            of: few.len(),
        };
        steps.of < 3 || steps.at_least(fifths, 5)
    }
}

/// How many of the smaller side's things the other side has too.
struct Share {
    shared: usize,
    of: usize,
}

impl Share {
    fn at_least(&self, numerator: usize, denominator: usize) -> bool {
        self.of > 0 && self.shared * denominator >= self.of * numerator
    }
}

fn to_yaml<T: serde::Serialize>(value: &T) -> String {
    // Serialising plain structs of strings, lists and enums cannot fail.
    serde_norway::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &str, bytes: &[u8]) -> Input {
        Input {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn documents_a_word_processor_saves_are_told_by_their_first_bytes() {
        assert_eq!(saved_document_kind(b"%PDF-1.4\n"), Some("a PDF document"));
        assert_eq!(
            saved_document_kind(b"{\\rtf1\\ansi x}"),
            Some("an RTF document (rich text)")
        );
        assert!(saved_document_kind(b"PK\x03\x04rest").is_some());
        assert!(saved_document_kind(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).is_some());
        // Text that merely mentions them is text.
        for text in [
            "# PDF export\n",
            "%PDF in a sentence",
            "{rtf}",
            "PK stands for",
        ] {
            assert_eq!(saved_document_kind(text.as_bytes()), None, "{text:?}");
        }
    }

    #[test]
    fn unreadable_inputs_are_refused_and_text_is_not() {
        let message = |i: &Input| refuse_unreadable(i).err().map(|d| d.message);
        assert_eq!(message(&input("a.md", b"# Guide\n\n- [ ] Step\n")), None);
        // UTF-16 has NUL bytes and is text.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("# Guide\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(message(&input("a.md", &utf16)), None);
        assert_eq!(
            message(&input("a.md", b" \n\t")).as_deref(),
            Some("file is empty")
        );
        assert!(message(&input("a.png", b"\x89PNG\0\0")).is_some_and(|m| m.contains("binary")));
        assert!(message(&input("a.pdf", b"%PDF-1.7")).is_some_and(|m| m.contains("PDF")));
    }
}
