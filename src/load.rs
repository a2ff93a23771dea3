//! Walk a content folder and read what is in it: Markdown pages, YAML data
//! files and static files, in a sorted, deterministic order.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::model::Asset;

/// The files of a content tree, read and sorted by kind.
#[derive(Debug, Default)]
pub(crate) struct Content {
    /// Markdown sources: content-relative path → text (BOM removed).
    pub pages: BTreeMap<String, String>,
    /// YAML data files: content-relative path → text.
    pub data_files: BTreeMap<String, String>,
    pub assets: Vec<Asset>,
    /// Files that could not be read, or are neither UTF-8 nor UTF-16.
    pub diagnostics: Vec<Diagnostic>,
    /// Best-effort text of the files with diagnostics, to show the bad line.
    pub diagnostic_sources: BTreeMap<String, String>,
}

/// What a file in the content tree is, by its extension.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Page,
    Data,
    Asset,
}

fn kind_of(path: &Path) -> Kind {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("md" | "markdown") => Kind::Page,
        Some("yaml" | "yml") => Kind::Data,
        _ => Kind::Asset,
    }
}

/// Bounds on what a content folder may hold, so hostile or mistaken input
/// fails with a clear error instead of exhausting memory or the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest file read, in bytes.
    pub max_file_size: u64,
    /// The most files in the content folder.
    pub max_files: usize,
    /// The deepest nesting of lists and block quotes in a page.
    pub max_nesting: usize,
}

/// Default of [`crate::config::Settings::max_file_size`]: 10 MB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;
/// Default of [`crate::config::Settings::max_files`].
pub const DEFAULT_MAX_FILES: usize = 100_000;
/// Default of [`crate::config::Settings::max_nesting`].
pub const DEFAULT_MAX_NESTING: usize = 100;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_files: DEFAULT_MAX_FILES,
            max_nesting: DEFAULT_MAX_NESTING,
        }
    }
}

/// Read every file under `content_dir`, within `limits`. `display_prefix`
/// is prepended to content-relative paths in diagnostics, so they read as
/// the user typed them.
///
/// Symbolic links are never followed blindly: a link to a file inside the
/// content folder is read as that file; a link that leads outside the
/// content folder, to a folder, or nowhere (dangling, or a loop) is an error
/// naming the link and its target.
pub(crate) fn load_limited(
    content_dir: &Path,
    display_prefix: &str,
    limits: &Limits,
) -> anyhow::Result<Content> {
    let mut content = Content::default();
    let files = walk(
        content_dir,
        display_prefix,
        limits,
        &mut content.diagnostics,
    )?;
    read_files(files, display_prefix, limits, &mut content);
    Ok(content)
}

/// Every file under `content_dir` that may be read, in name order
/// (content-relative path, path); problems with names and links go to
/// `diagnostics`.
fn walk(
    content_dir: &Path,
    display_prefix: &str,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let real_content = content_dir.canonicalize().map_err(|e| {
        anyhow::anyhow!(
            "cannot read the content folder {}: {e}",
            content_dir.display()
        )
    })?;
    let mut files = Vec::new();
    let mut walker = WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    while let Some(entry) = walker.next() {
        let entry =
            entry.map_err(|e| anyhow::anyhow!("cannot walk {}: {e}", content_dir.display()))?;
        let rel = relative_path(content_dir, entry.path());
        let shown = format!("{display_prefix}{rel}");
        if entry.depth() > 0 {
            if let Some(problem) = unpublishable_name(entry.file_name()) {
                diagnostics.push(name_diagnostic(&shown, problem, entry.file_type().is_dir()));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        // The content folder itself may be a link (`content -> ../docs`):
        // the links checked are those inside it.
        if entry.depth() > 0 && entry.path_is_symlink() {
            match check_symlink(entry.path(), &real_content, &shown) {
                Ok(()) => {}
                Err(diagnostic) => {
                    diagnostics.push(*diagnostic);
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        files.push((rel, entry.into_path()));
        if files.len() > limits.max_files {
            anyhow::bail!(
                "the content folder {} holds more than {} files; playbook stops there to bound its memory\n\
                 help: move files that are not part of the site out of the content folder, or raise `max_files` in playbook.yaml",
                crate::fs::display(content_dir),
                limits.max_files
            );
        }
    }
    Ok(files)
}

/// Read the files on every core: pages and data files as text, assets
/// only noted; each sorted into `content`.
fn read_files(
    files: Vec<(String, PathBuf)>,
    display_prefix: &str,
    limits: &Limits,
    content: &mut Content,
) {
    let read: Vec<_> = files
        .into_par_iter()
        .map(|(rel, abs)| {
            let kind = kind_of(&abs);
            let shown = format!("{display_prefix}{rel}");
            let text = match too_big(&abs, &shown, limits.max_file_size) {
                Some(diagnostic) => Some(Err((diagnostic, None))),
                None if kind == Kind::Asset => None,
                None => Some(read_text(&abs, &shown)),
            };
            (rel, abs, kind, text)
        })
        .collect();
    for (rel, abs, kind, text) in read {
        match (kind, text) {
            (_, None) => content.assets.push(Asset {
                rel_path: rel,
                abs_path: abs,
            }),
            (_, Some(Err((diagnostic, lossy)))) => {
                if let Some(lossy) = lossy {
                    content
                        .diagnostic_sources
                        .insert(diagnostic.path.clone(), lossy);
                }
                content.diagnostics.push(*diagnostic);
            }
            (Kind::Page, Some(Ok(text))) => {
                content.pages.insert(rel, text);
            }
            (Kind::Data, Some(Ok(text))) => {
                content.data_files.insert(rel, text);
            }
            (Kind::Asset, Some(Ok(_))) => {}
        }
    }
}

/// A symbolic link may stand for a file inside the content folder, nothing else.
fn check_symlink(link: &Path, real_content: &Path, shown: &str) -> Result<(), Box<Diagnostic>> {
    let target = std::fs::read_link(link)
        .map(|t| t.display().to_string())
        .unwrap_or_else(|_| "?".to_string());
    let refuse = |what: String, hint: &str| {
        Box::new(Diagnostic::file_error("symlink", shown, what).with_hint(hint.to_string()))
    };
    let real = match link.canonicalize() {
        Ok(real) => real,
        Err(err) => {
            return Err(refuse(
                format!("symbolic link to {target} cannot be followed: {err}"),
                "the link is dangling or part of a loop; remove it or point it at a file in the content folder",
            ))
        }
    };
    if !real.starts_with(real_content) {
        return Err(refuse(
            format!("symbolic link to {target} leads outside the content folder (to {})", real.display()),
            "playbook publishes only what is inside the content folder; copy the file in instead of linking to it",
        ));
    }
    if !real.is_file() {
        return Err(refuse(
            format!("symbolic link to {target} is not a link to a file"),
            "links to folders are not followed (they could loop); link each file, or move the folder",
        ));
    }
    Ok(())
}

/// A diagnostic when the file at `path` is larger than `max` bytes.
fn too_big(path: &Path, shown: &str, max: u64) -> Option<Box<Diagnostic>> {
    let size = std::fs::metadata(path).ok()?.len();
    (size > max).then(|| {
        Box::new(
            Diagnostic::file_error(
                "too-large",
                shown,
                format!("file is {} bytes, more than the limit of {max} bytes", size),
            )
            .with_hint("split it, move it out of the content folder, or raise `max_file_size` (in bytes) in playbook.yaml"),
        )
    })
}

/// Why a file or folder name cannot become part of a URL, if it cannot.
///
/// Any other name is published, percent-encoded (see `routes`). Refused:
/// names that are not UTF-8 (they have no one spelling in a URL), control
/// characters (NUL, newlines, escapes: they corrupt titles, logs and
/// terminals), `\` (a folder separator on Windows, and in links), the
/// invisible bidirectional controls that make a name read as another, and
/// Markdown names whose page would be named too long for a file system.
pub(crate) fn unpublishable_name(name: &std::ffi::OsStr) -> Option<&'static str> {
    let Some(name) = name.to_str() else {
        return Some("is not valid UTF-8");
    };
    if kind_of(Path::new(name)) == Kind::Page && crate::routes::page_file_name(name).len() > 255 {
        return Some("is too long: the page made from it would be named with more than 255 bytes");
    }
    name.chars().find_map(|c| match c {
        c if c.is_control() => Some("contains a control character"),
        '\\' => Some("contains a backslash (`\\`)"),
        '\u{200E}'
        | '\u{200F}'
        | '\u{061C}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => Some("contains an invisible bidirectional control character"),
        _ => None,
    })
}

/// The error for a name [`unpublishable_name`] refuses; `shown` is made
/// printable, so the message itself cannot carry the control characters.
fn name_diagnostic(shown: &str, problem: &str, is_dir: bool) -> Diagnostic {
    let printable: String = shown
        .chars()
        .map(|c| match unpublishable_name(c.to_string().as_ref()) {
            Some(_) => c.escape_unicode().to_string(),
            None => c.to_string(),
        })
        .collect();
    let what = if is_dir { "folder" } else { "file" };
    let hint = if problem.starts_with("is too long") {
        format!("shorten the {what} name")
    } else {
        format!("rename the {what} to printable characters other than `\\`; spaces, `#`, `%` and any script are fine (a link to `my page.md` is written `[text](my%20page.md)` or `[text](<my page.md>)`)")
    };
    Diagnostic::file_error(
        "file-name",
        &printable,
        format!("the {what} name {problem}, so it cannot be published"),
    )
    .with_hint(hint)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// `dir/a/b.md` → `a/b.md`, with `/` on every platform.
fn relative_path(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Read a text file as UTF-8 (a leading BOM is dropped), or as UTF-16 when
/// it starts with a UTF-16 byte-order mark (what Windows editors save as
/// "Unicode"); anything else is a diagnostic naming the first bad byte, with
/// the text decoded lossily so the bad line can be shown.
pub(crate) fn read_text(
    path: &Path,
    display: &str,
) -> Result<String, (Box<Diagnostic>, Option<String>)> {
    let bytes = std::fs::read(path).map_err(|err| {
        let diagnostic =
            Diagnostic::file_error("unreadable", display, format!("cannot read file: {err}"))
                .with_hint("check that the file exists and that you may read it");
        (Box::new(diagnostic), None)
    })?;
    if let Some(big_endian) = utf16_order(&bytes) {
        return utf16_text(&bytes[2..], big_endian).map_err(|(lossy, span, problem)| {
            let diagnostic = Diagnostic::error("not-utf16", display, &lossy, span, format!("file is UTF-16 (it starts with a UTF-16 byte-order mark), but {problem}"))
                .with_hint("the file was cut or pasted together mid-character: re-save it from the editor that wrote it, as UTF-8 if it can");
            (Box::new(diagnostic), Some(lossy))
        });
    }
    // UTF-16 without its mark (what `iconv -t UTF-16LE` writes), when its
    // bytes say so and it decodes whole; otherwise the checks below speak.
    if let Some(text) = unmarked_utf16(&bytes).and_then(|be| utf16_text(&bytes, be).ok()) {
        return Ok(text);
    }
    let mut bytes = bytes;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // `String::from_utf8` takes the buffer as it is: no copy of the text.
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(err) => err.into_bytes(),
    };
    let bytes = bytes.as_slice();
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(err) => {
            let good = err.valid_up_to();
            // Everything before the bad byte is valid, so its offset is the same in the lossy text.
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            let replacement_len = '\u{FFFD}'.len_utf8();
            let diagnostic = Diagnostic::error(
                "not-utf8",
                display,
                &lossy,
                good..good + replacement_len,
                format!("file is not valid UTF-8: byte 0x{:02X} is not part of any UTF-8 character", bytes[good]),
            )
            .with_hint("re-save the file as UTF-8; `playbook reconcile` repairs text saved in Windows-1252 or Mac Roman");
            Err((Box::new(diagnostic), Some(lossy)))
        }
    }
}

/// Whether `bytes` start with a UTF-16 byte-order mark, and which order.
pub(crate) fn utf16_order(bytes: &[u8]) -> Option<bool> {
    match bytes {
        // UTF-32's little-endian mark: left to the UTF-8 check, which refuses it.
        [0xFF, 0xFE, 0, 0, ..] => None,
        [0xFF, 0xFE, ..] => Some(false),
        [0xFE, 0xFF, ..] => Some(true),
        _ => None,
    }
}

/// Whether `bytes` look like UTF-16 without a byte-order mark, and which
/// order: text in a Latin script has a NUL in every other byte (the high
/// byte of each unit). In the first 4 KiB, at least three units in ten with
/// a NUL high byte and none with a NUL low byte.
pub(crate) fn unmarked_utf16(bytes: &[u8]) -> Option<bool> {
    if bytes.len() < 2 || bytes.len() % 2 == 1 {
        return None;
    }
    let head = &bytes[..bytes.len().min(4096)];
    // Every page is asked: text without a NUL is answered at memchr's speed.
    memchr::memchr(0, head)?;
    let units = head.len() / 2;
    let nul_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    match (even, odd) {
        (0, odd) if odd * 10 >= units * 3 => Some(false),
        (even, 0) if even * 10 >= units * 3 => Some(true),
        _ => None,
    }
}

/// UTF-16 text after its byte-order mark. A unit that is half a character
/// (an unpaired surrogate) or a last odd byte is an error: the text decoded
/// lossily, the span of the first such problem in it, and what it is.
fn utf16_text(bytes: &[u8], big_endian: bool) -> Result<String, (String, Range<usize>, String)> {
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut text = String::with_capacity(bytes.len());
    let mut first_problem = None;
    for decoded in char::decode_utf16(units) {
        let c = decoded.unwrap_or_else(|err| {
            first_problem.get_or_insert_with(|| {
                let problem = format!(
                    "unit 0x{:04X} is half a character (a surrogate without its pair)",
                    err.unpaired_surrogate()
                );
                (text.len(), problem)
            });
            char::REPLACEMENT_CHARACTER
        });
        text.push(c);
    }
    if bytes.len() % 2 == 1 && first_problem.is_none() {
        first_problem = Some((
            text.len(),
            "it ends in the middle of a character (an odd number of bytes)".to_string(),
        ));
        text.push(char::REPLACEMENT_CHARACTER);
    }
    match first_problem {
        None => Ok(text),
        Some((at, problem)) => Err((
            text,
            at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
            problem,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension() {
        assert_eq!(kind_of(Path::new("a/B.MD")), Kind::Page);
        assert_eq!(kind_of(Path::new("roles.yaml")), Kind::Data);
        assert_eq!(kind_of(Path::new("x.yml")), Kind::Data);
        assert_eq!(kind_of(Path::new("img.png")), Kind::Asset);
        assert_eq!(kind_of(Path::new("Makefile")), Kind::Asset);
    }

    #[test]
    fn loads_sorted_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/.git")).unwrap();
        std::fs::write(root.join("b/.git/x.md"), "hidden").unwrap();
        std::fs::write(root.join("b/z.md"), "\u{feff}# Z").unwrap();
        std::fs::write(root.join("a.md"), "# A").unwrap();
        std::fs::write(root.join("roles.yaml"), "x: 1").unwrap();
        std::fs::write(root.join("logo.png"), [0xFF, 0x00]).unwrap();
        let content = load_limited(root, "content/", &Limits::default()).unwrap();
        assert_eq!(content.pages.keys().collect::<Vec<_>>(), ["a.md", "b/z.md"]);
        assert_eq!(content.pages["b/z.md"], "# Z", "BOM is dropped");
        assert_eq!(
            content.data_files.keys().collect::<Vec<_>>(),
            ["roles.yaml"]
        );
        assert_eq!(content.assets.len(), 1);
        assert!(content.diagnostics.is_empty());
    }

    #[test]
    fn non_utf8_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.md"), b"# Title\nab\xE9c\n").unwrap();
        let content = load_limited(dir.path(), "content/", &Limits::default()).unwrap();
        let d = &content.diagnostics[0];
        assert_eq!((d.path.as_str(), d.line, d.col), ("content/bad.md", 2, 3));
        assert!(d.message.contains("0xE9"), "{}", d.message);
        assert!(content.diagnostic_sources["content/bad.md"].contains("ab\u{FFFD}c"));
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    }

    fn read(bytes: &[u8]) -> Result<String, Box<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.md");
        std::fs::write(&path, bytes).unwrap();
        read_text(&path, "content/page.md").map_err(|(diagnostic, _)| diagnostic)
    }

    #[test]
    fn utf16_with_a_byte_order_mark_reads_as_its_text() {
        let text = "# Déploiement 🚀\r\n\r\n- [ ] ticket ✓\n";
        for big_endian in [false, true] {
            assert_eq!(
                read(&utf16(text, big_endian)).unwrap(),
                text,
                "big endian: {big_endian}"
            );
        }
        assert_eq!(
            read(&utf16("", false)).unwrap(),
            "",
            "only the mark: an empty page"
        );
    }

    #[test]
    fn broken_utf16_names_the_line_and_column_of_the_first_bad_unit() {
        // "# T\nab" then a high surrogate with no low one, then "c".
        let mut bytes = utf16("# T\nab", false);
        bytes.extend([0x3D, 0xD8]);
        bytes.extend(utf16("c", false)[2..].iter());
        let d = read(&bytes).unwrap_err();
        assert_eq!((d.code, d.line, d.col), ("not-utf16", 2, 3));
        assert!(
            d.message.contains("0xD83D") && d.message.contains("half a character"),
            "{}",
            d.message
        );

        let mut odd = utf16("# T\n", true);
        odd.push(0x41);
        let d = read(&odd).unwrap_err();
        assert_eq!((d.line, d.col), (2, 1));
        assert!(d.message.contains("odd number of bytes"), "{}", d.message);
    }

    #[test]
    fn utf32_is_not_taken_for_utf16() {
        let d = read(&[0xFF, 0xFE, 0, 0, b'#', 0, 0, 0]).unwrap_err();
        assert_eq!(d.code, "not-utf8");
    }

    proptest::proptest! {
        #[test]
        fn any_text_saved_as_utf16_reads_back(text in "\\PC*", big_endian: bool) {
            proptest::prop_assert_eq!(read(&utf16(&text, big_endian)).unwrap(), text);
        }
    }

    #[test]
    fn utf16_without_a_mark_is_told_by_its_bytes() {
        let text = "# Déploiement\r\n\r\n- [ ] tick 🚀\n";
        for big_endian in [false, true] {
            let bytes = &utf16(text, big_endian)[2..];
            assert_eq!(unmarked_utf16(bytes), Some(big_endian));
            assert_eq!(read(bytes).unwrap(), text, "big endian: {big_endian}");
        }
        // Not UTF-16: UTF-8, a PNG's first bytes, an odd length, text in a
        // script with no NUL bytes (left to the other checks).
        assert_eq!(unmarked_utf16(b"# Plain text\n"), None);
        assert_eq!(
            unmarked_utf16(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]),
            None
        );
        assert_eq!(unmarked_utf16(&utf16("# A", false)[2..7]), None);
        assert_eq!(unmarked_utf16(&utf16("日本語のページ", false)[2..]), None);
    }
}
