//! Problems found in a user's input, with the place they were found.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of stopping at the
//! first one; the CLI prints them all. Human output is rendered by
//! `codespan-reporting` (the source line with the offending span underlined).

use std::collections::BTreeMap;
use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use codespan_reporting::term::termcolor::{Ansi, NoColor, WriteColor};
use serde::Serialize;

/// How bad a problem is: errors fail the command, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem at one place in one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, greppable name for the kind of problem, e.g. `front-matter`.
    pub code: &'static str,
    /// The file, as the user would type it (relative to the project root).
    pub path: String,
    /// 1-based line and column (in characters) of the start of the problem.
    pub line: usize,
    #[serde(rename = "column")]
    pub col: usize,
    /// Byte range in the file's text; empty when the problem has no extent.
    #[serde(skip)]
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    #[serde(rename = "suggestion")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at byte range `span` of `text` (the file's whole text).
    pub fn error(
        code: &'static str,
        path: &str,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, col) = line_col(text, span.start);
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.to_string(),
            line,
            col,
            span,
            message: message.into(),
            hint: None,
        }
    }

    /// An error about a whole file whose text is not available.
    pub fn file_error(code: &'static str, path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.to_string(),
            line: 1,
            col: 1,
            span: 0..0,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order diagnostics are shown in: by file, then place, then message.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (&self.path, self.line, self.col, &self.message)
    }
}

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let indexed = PLACING.with_borrow_mut(|placing| match placing {
        Some(p) if p.text == (text.as_ptr() as usize, text.len()) => {
            let starts = p.line_starts.get_or_insert_with(|| line_starts(text));
            let line = starts.partition_point(|&start| start <= offset);
            let line_start = starts[line - 1];
            // Problems come in page order: on a long line, count on from
            // the last one placed instead of from the line's start.
            let col = match p.last {
                Some((start, at, col)) if start == line_start && at <= offset => {
                    col + text[at..offset].chars().count()
                }
                _ => text[line_start..offset].chars().count() + 1,
            };
            p.last = Some((line_start, offset, col));
            Some((line, col))
        }
        _ => None,
    });
    indexed.unwrap_or_else(|| {
        let before = &text.as_bytes()[..offset];
        let line = memchr::memchr_iter(b'\n', before).count() + 1;
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        (line, text[line_start..offset].chars().count() + 1)
    })
}

/// Where each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

/// The text diagnostics are being placed in (its address and length), and
/// its line starts once a place was asked for.
struct Placing {
    text: (usize, usize),
    line_starts: Option<Vec<usize>>,
    /// The last place given: its line's start, its offset and its column.
    last: Option<(usize, usize, usize)>,
}

thread_local! {
    static PLACING: std::cell::RefCell<Option<Placing>> = const { std::cell::RefCell::new(None) };
}

/// While the guard lives, [`line_col`] on `text` looks its lines up in an
/// index made on the first call, instead of counting from the top each
/// time: a page with 20,000 problems was quadratic. The guard borrows the
/// text, so it cannot change or go while the index is used.
pub fn placing_in(text: &str) -> PlacingGuard<'_> {
    let previous = PLACING.replace(Some(Placing {
        text: (text.as_ptr() as usize, text.len()),
        line_starts: None,
        last: None,
    }));
    PlacingGuard {
        previous,
        _text: std::marker::PhantomData,
    }
}

/// See [`placing_in`].
pub struct PlacingGuard<'t> {
    previous: Option<Placing>,
    _text: std::marker::PhantomData<&'t str>,
}

impl Drop for PlacingGuard<'_> {
    fn drop(&mut self) {
        PLACING.set(self.previous.take());
    }
}

/// Byte offset of 1-based `line` and `col` (in characters) in `text`.
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    start
        + rest[..line_end]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(line_end, |(i, _)| i)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The texts of the files diagnostics point into, keyed by their `path`.
pub type Sources = BTreeMap<String, String>;

/// Render diagnostics for a person: `path:line:col`, the source line with the
/// span underlined, the hint, then a summary line.
pub fn render_human(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let bytes = if color {
        let mut out = Ansi::new(Vec::new());
        emit_all(&mut out, diagnostics, sources);
        out.into_inner()
    } else {
        let mut out = NoColor::new(Vec::new());
        emit_all(&mut out, diagnostics, sources);
        out.into_inner()
    };
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Diagnostics of one code shown in full; the rest are counted. Ten
/// thousand copies of one warning hide everything else, and take seconds
/// to print.
pub const HUMAN_LIMIT_PER_CODE: usize = 10;

/// The longest source line shown under a diagnostic, in bytes.
const MAX_SHOWN_LINE: usize = 1000;

/// The length of the line holding byte `at` of `text`.
fn line_length_at(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    let bytes = text.as_bytes();
    let start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| at + i);
    end - start
}

/// The diagnostics [`render_human`] shows in full: the first
/// [`HUMAN_LIMIT_PER_CODE`] of each code.
pub fn shown_in_full(diagnostics: &[Diagnostic]) -> impl Iterator<Item = &Diagnostic> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    diagnostics.iter().filter(move |d| {
        let count = seen.entry(d.code).or_default();
        *count += 1;
        *count <= HUMAN_LIMIT_PER_CODE
    })
}

fn emit_all(out: &mut dyn WriteColor, diagnostics: &[Diagnostic], sources: &Sources) {
    let config = term::Config::default();
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    for diagnostic in diagnostics {
        let count = shown.entry(diagnostic.code).or_default();
        *count += 1;
        if *count > HUMAN_LIMIT_PER_CODE {
            continue;
        }
        let mut files = SimpleFiles::new();
        // A line too long to show (minified or hostile input) is named, not printed.
        let source = sources
            .get(&diagnostic.path)
            .filter(|s| line_length_at(s, diagnostic.span.start) <= MAX_SHOWN_LINE);
        let id = files.add(diagnostic.path.as_str(), source.map_or("", |s| s.as_str()));
        let mut rendered = match diagnostic.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        }
        .with_code(diagnostic.code)
        .with_message(&diagnostic.message);
        if source.is_some() {
            rendered = rendered.with_label(cs::Label::primary(id, diagnostic.span.clone()));
        } else {
            rendered = rendered.with_note(format!(
                "in {}:{}:{}",
                diagnostic.path, diagnostic.line, diagnostic.col
            ));
        }
        if let Some(hint) = &diagnostic.hint {
            rendered = rendered.with_note(format!("help: {hint}"));
        }
        // Writing into a Vec cannot fail, and every span was made from this very text.
        let _ = term::emit(out, &config, &files, &rendered);
    }
    for (code, count) in shown {
        if count > HUMAN_LIMIT_PER_CODE {
            let _ = writeln!(
                out,
                "... and {} more [{code}] like these (`playbook check --format json` lists every one)",
                count - HUMAN_LIMIT_PER_CODE
            );
        }
    }
    let _ = writeln!(out, "{}", summary(diagnostics));
}

/// "2 errors, 1 warning" style summary.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!(
        "{} {}, {} {}",
        errors,
        plural(errors, "error"),
        warnings,
        plural(warnings, "warning")
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// Diagnostics as one JSON document: `{"diagnostics": [...], "errors": N, "warnings": N}`.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let value = serde_json::json!({
        "diagnostics": diagnostics,
        "errors": errors,
        "warnings": diagnostics.len() - errors,
    });
    // A tree of plain strings and numbers always serialises.
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// GitHub Actions workflow commands: one `::error file=…,line=…,col=…::…` per line.
pub fn render_github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = if d.is_error() { "error" } else { "warning" };
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str(&format!(" ({hint})"));
        }
        out.push_str(&format!(
            "::{level} file={},line={},col={},title={}::{}\n",
            escape_property(&d.path),
            d.line,
            d.col,
            escape_property(d.code),
            escape_data(&message)
        ));
    }
    out
}

/// GitHub's escaping for workflow command data.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping for workflow command properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// SARIF 2.1.0, for code-scanning dashboards.
pub fn render_sarif(diagnostics: &[Diagnostic]) -> String {
    let mut codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let results: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(hint) = &d.hint {
                message.push_str(&format!(". {hint}"));
            }
            serde_json::json!({
                "ruleId": d.code,
                "level": if d.is_error() { "error" } else { "warning" },
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": d.path },
                        "region": { "startLine": d.line, "startColumn": d.col }
                    }
                }]
            })
        })
        .collect();
    let value = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "playbook",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/octoacme/playbook",
                "rules": codes.iter().map(|c| serde_json::json!({ "id": c })).collect::<Vec<_>>()
            }},
            "results": results
        }]
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Placed through the line index or counted from the top, every
        /// offset (inside characters and past the end too) gets one place.
        #[test]
        fn the_line_index_places_as_counting_does(
            text in "(a|é|\n|\r\n|🙂| ){0,60}",
            offsets in proptest::collection::vec(0usize..80, 1..20),
        ) {
            let counted: Vec<_> = offsets.iter().map(|&o| line_col(&text, o)).collect();
            let _placing = placing_in(&text);
            let indexed: Vec<_> = offsets.iter().map(|&o| line_col(&text, o)).collect();
            proptest::prop_assert_eq!(indexed, counted);
        }
    }

    #[test]
    fn a_placing_guard_serves_only_its_own_text_and_restores_the_one_before() {
        let outer = "a\nb\nc".to_string();
        let inner = "x\ny".to_string();
        let _outer = placing_in(&outer);
        assert_eq!(line_col(&outer, 4), (3, 1));
        {
            let _inner = placing_in(&inner);
            assert_eq!(line_col(&inner, 2), (2, 1));
            // Another text of the same length is counted, not looked up.
            assert_eq!(line_col("ab\n", 3), (2, 1));
        }
        assert_eq!(line_col(&outer, 2), (2, 1));
        PLACING.with_borrow(|p| assert!(p.as_ref().is_some_and(|p| p.line_starts.is_some())));
    }

    #[test]
    fn human_output_shows_a_few_of_each_code_and_counts_the_rest() {
        let text = "a broken line\n";
        let mut diagnostics: Vec<Diagnostic> = (0..HUMAN_LIMIT_PER_CODE + 3)
            .map(|i| Diagnostic::error("link", &format!("p{i:02}.md"), text, 2..8, "broken"))
            .collect();
        diagnostics.push(Diagnostic::error(
            "role",
            "r.md",
            text,
            0..1,
            "unknown role",
        ));
        let sources: Sources = diagnostics
            .iter()
            .map(|d| (d.path.clone(), text.to_string()))
            .collect();
        let out = render_human(&diagnostics, &sources, false);
        assert_eq!(out.matches("error[link]").count(), HUMAN_LIMIT_PER_CODE);
        assert!(out.contains("p09.md:1:3"), "{out}");
        assert!(!out.contains("p10.md"), "{out}");
        assert_eq!(
            out.matches("error[role]").count(),
            1,
            "other codes still shown"
        );
        assert!(
            out.contains(
                "... and 3 more [link] like these (`playbook check --format json` lists every one)"
            ),
            "{out}"
        );
        assert!(
            out.ends_with("14 errors, 0 warnings\n"),
            "the summary counts all: {out}"
        );
    }
}
