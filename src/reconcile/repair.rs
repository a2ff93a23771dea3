//! Decoding of variant input files and repair of mis-decoded text ("mojibake").
//!
//! The guide copies were written as UTF-8, read back by some tool as Windows-1252
//! or as Mac Roman, and saved again as UTF-8: an em dash (`E2 80 94`) became
//! "â€”" or "‚Äî". Repair undoes that one UTF-8 sequence at a time.
//!
//! How a sequence is recognised:
//! - Only maximal runs of non-ASCII characters are examined: every byte of a
//!   multi-byte UTF-8 sequence is `0x80..=0xFF`, and both code pages map those
//!   bytes to non-ASCII characters.
//! - At each position of a run, each code page is tried: the character must map
//!   back to a UTF-8 lead byte, the next one to three characters to continuation
//!   bytes, and the bytes must be valid UTF-8. The window is at most four
//!   characters, so a run costs linear time.
//! - The decoded character must be plausible (see `plausible`): that is what
//!   keeps legitimate text such as "JOSÉ’S" or "“école”" untouched.
//! - Where candidates overlap (legit text next to mojibake, or both code pages
//!   matching), a small dynamic programme over the run picks the choice that
//!   leaves the fewest characters unexplained, preferring Windows-1252.
//! - Passes repeat until nothing changes (at most `MAX_PASSES`), which undoes
//!   double mis-decoding such as "Ã¢â‚¬â€\u{9D}".
//!
//! Known limits: a Windows-1252 "â€" whose third byte was lost (the undefined
//! byte `0x9D` is often dropped) is taken to be "”", the only common character
//! it can be; mojibake whose no-break space was turned into a plain space is
//! not recognised; and a legitimate capital such as "Ä" or "Å" directly
//! followed by a symbol from `0x80..=0xBF` ("Ä…") reads as Latin Extended
//! mojibake ("ą") and is changed. "Â" or "Ã" directly before such a symbol is
//! always treated as mojibake ("Â±" becomes "±"): real text never spells it.
//!
//! Invalid UTF-8 is decoded stretch by stretch: valid sequences stay UTF-8 and
//! only the invalid bytes are read as Windows-1252, so one stray byte in a UTF-8
//! file does not turn the rest of it into mojibake.

use std::str;
use std::sync::OnceLock;

use encoding_rs::{Encoding, MACINTOSH, WINDOWS_1252};

/// Passes of [`repair_mojibake`] before giving up on reaching a fixed point.
const MAX_PASSES: usize = 4;

/// What decoding one input file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// Repaired text, BOM removed, line endings normalised to `\n`.
    pub text: String,
    /// Problems worth telling the writer about (the caller prefixes the path).
    pub warnings: Vec<String>,
    /// Number of mis-decoded sequences repaired, counted over every pass.
    pub repairs: usize,
}

/// Decode raw file bytes: strip a UTF-8 BOM; if not valid UTF-8, decode the
/// invalid bytes as Windows-1252 and add a warning; normalise CRLF and lone CR
/// to LF; then repair mojibake.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut warnings = Vec::new();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = if let Some(encoding) = utf16_encoding(bytes) {
        // What Windows Notepad's "Unicode" writes: UTF-16 with a BOM.
        let (text, _, had_errors) = encoding.decode(bytes);
        if had_errors {
            warnings.push(format!(
                "not valid {}; unreadable characters were replaced by U+FFFD",
                encoding.name()
            ));
        }
        normalise_line_endings(&text)
    } else {
        match str::from_utf8(bytes) {
            Ok(text) => normalise_line_endings(text),
            Err(_) => {
                warnings.push("not valid UTF-8; decoded as Windows-1252".to_string());
                normalise_line_endings(&decode_with_fallback(bytes))
            }
        }
    };
    let (mut text, repairs, stable) = repair_until_stable(text);
    // A BOM that was itself mis-decoded ("ï»¿") only appears after repair.
    if let Some(rest) = text.strip_prefix('\u{FEFF}') {
        text = rest.to_string();
    }
    if !stable || has_c1_controls(&text) {
        warnings.push("some text still looks mis-decoded after repair".to_string());
    }
    Decoded {
        text,
        warnings,
        repairs,
    }
}

/// The UTF-16 encoding of text, by its byte-order mark (see
/// [`crate::load::utf16_order`]) or, without one, when its bytes say so.
pub fn utf16_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let big_endian =
        crate::load::utf16_order(bytes).or_else(|| crate::load::unmarked_utf16(bytes))?;
    Some(if big_endian {
        encoding_rs::UTF_16BE
    } else {
        encoding_rs::UTF_16LE
    })
}

/// Repair UTF-8 that was decoded as Windows-1252 or Mac Roman, possibly both in
/// one text and possibly twice over. Returns the text and the number of
/// sequences repaired (counted over every pass).
pub fn repair_mojibake(text: &str) -> (String, usize) {
    let (text, repairs, _) = repair_until_stable(text.to_string());
    (text, repairs)
}

/// Whether text still contains a sequence that looks mis-decoded: one that
/// [`repair_mojibake`] would change, or a C1 control character (U+0080–U+009F,
/// what Windows-1252's undefined bytes decode to).
pub fn looks_misdecoded(text: &str) -> bool {
    has_c1_controls(text) || repair_pass(text).1 > 0
}

fn repair_until_stable(mut text: String) -> (String, usize, bool) {
    let mut total = 0;
    for _ in 0..MAX_PASSES {
        let (repaired, count) = repair_pass(&text);
        if count == 0 {
            return (text, total, true);
        }
        total += count;
        text = repaired;
    }
    let stable = repair_pass(&text).1 == 0;
    (text, total, stable)
}

fn has_c1_controls(text: &str) -> bool {
    text.chars().any(|c| ('\u{80}'..='\u{9F}').contains(&c))
}

/// Replace CRLF and lone CR with LF.
fn normalise_line_endings(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Decode bytes that are mostly UTF-8: valid stretches stay as they are, each
/// invalid byte is read as Windows-1252.
fn decode_with_fallback(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    loop {
        match str::from_utf8(bytes) {
            Ok(valid) => {
                out.push_str(valid);
                return out;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                out.push_str(str::from_utf8(valid).unwrap_or_default());
                let bad = error.error_len().unwrap_or(rest.len()).min(rest.len());
                let (bad, rest) = rest.split_at(bad);
                out.extend(
                    bad.iter()
                        .map(|&b| CodePage::Windows1252.table().char_of(b)),
                );
                bytes = rest;
            }
        }
    }
}

/// The two single-byte code pages that mis-decoded the guides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodePage {
    Windows1252,
    MacRoman,
}

impl CodePage {
    /// In order of preference when both explain the same text equally well.
    const ALL: [CodePage; 2] = [CodePage::Windows1252, CodePage::MacRoman];

    fn table(self) -> &'static Table {
        static TABLES: OnceLock<[Table; 2]> = OnceLock::new();
        let tables = TABLES.get_or_init(|| [Table::new(WINDOWS_1252), Table::new(MACINTOSH)]);
        &tables[self as usize]
    }
}

/// Byte ↔ character mapping of the upper half of a single-byte code page.
struct Table {
    chars: [char; 128],
    /// `(char, byte)` sorted by char, for mapping a character back to its byte.
    bytes: Vec<(char, u8)>,
}

impl Table {
    fn new(encoding: &'static Encoding) -> Table {
        let mut chars = ['\u{FFFD}'; 128];
        let mut bytes = Vec::with_capacity(128);
        for (slot, byte) in chars.iter_mut().zip(0x80..=0xFF_u8) {
            let input = [byte];
            let (decoded, _) = encoding.decode_without_bom_handling(&input);
            if let Some(c) = decoded.chars().next().filter(|&c| c != '\u{FFFD}') {
                *slot = c;
                bytes.push((c, byte));
            }
        }
        bytes.sort_unstable();
        Table { chars, bytes }
    }

    fn char_of(&self, byte: u8) -> char {
        match byte.checked_sub(0x80) {
            Some(i) => self.chars[usize::from(i)],
            None => char::from(byte),
        }
    }

    fn byte_of(&self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return None;
        }
        let i = self.bytes.binary_search_by_key(&c, |&(c, _)| c).ok()?;
        Some(self.bytes[i].1)
    }

    fn continuation_byte(&self, c: char) -> Option<u8> {
        self.byte_of(c).filter(|b| (0x80..=0xBF).contains(b))
    }
}

/// One pass over the text: repair every non-ASCII run. Returns the new text and
/// the number of sequences repaired.
fn repair_pass(text: &str) -> (String, usize) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut scratch = Scratch::default();
    let mut repairs = 0;
    let mut pos = 0;
    while pos < bytes.len() {
        let start = bytes[pos..]
            .iter()
            .position(|b| !b.is_ascii())
            .map_or(bytes.len(), |i| pos + i);
        out.push_str(&text[pos..start]);
        if start == bytes.len() {
            break;
        }
        let end = bytes[start..]
            .iter()
            .position(u8::is_ascii)
            .map_or(bytes.len(), |i| start + i);
        // Run boundaries sit next to ASCII bytes, so they are char boundaries.
        let context = Context {
            alnum_before: start > 0 && bytes[start - 1].is_ascii_alphanumeric(),
            alnum_after: bytes.get(end).is_some_and(u8::is_ascii_alphanumeric),
        };
        repairs += scratch.repair_run(&text[start..end], context, &mut out);
        pos = end;
    }
    (out, repairs)
}

/// Whether the ASCII characters around a non-ASCII run are letters or digits.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    alnum_before: bool,
    alnum_after: bool,
}

/// What to do at one position of a run.
#[derive(Debug, Clone, Copy)]
enum Step {
    Keep,
    Repair { len: usize, to: char },
}

/// Buffers reused across the runs of one pass.
#[derive(Default)]
struct Scratch {
    chars: Vec<char>,
    /// `unexplained[i]`: fewest characters left unrepaired in `chars[i..]`.
    unexplained: Vec<usize>,
    steps: Vec<Step>,
}

impl Scratch {
    /// Repair one run of non-ASCII characters, appending it to `out`.
    fn repair_run(&mut self, run: &str, context: Context, out: &mut String) -> usize {
        self.chars.clear();
        self.chars.extend(run.chars());
        let n = self.chars.len();
        self.unexplained.clear();
        self.unexplained.resize(n + 1, 0);
        self.steps.clear();
        self.steps.resize(n, Step::Keep);
        for i in (0..n).rev() {
            let mut best = self.unexplained[i + 1] + 1;
            let mut step = Step::Keep;
            for page in CodePage::ALL {
                if let Some((len, to)) = candidate(&self.chars, i, page, context) {
                    let cost = self.unexplained[i + len];
                    if cost < best || (cost == best && matches!(step, Step::Keep)) {
                        best = cost;
                        step = Step::Repair { len, to };
                    }
                }
            }
            self.unexplained[i] = best;
            self.steps[i] = step;
        }
        self.emit(out)
    }

    /// Follow the chosen steps from the start of the run.
    fn emit(&self, out: &mut String) -> usize {
        let mut repairs = 0;
        let mut i = 0;
        while let Some(&c) = self.chars.get(i) {
            match self.steps.get(i) {
                Some(&Step::Repair { len, to }) => {
                    out.push(to);
                    repairs += 1;
                    i += len.max(1);
                }
                _ => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        repairs
    }
}

/// The character that `chars[i..]` spells when read as UTF-8 bytes in `page`,
/// with the number of characters it spans, if that character is plausible.
fn candidate(chars: &[char], i: usize, page: CodePage, context: Context) -> Option<(usize, char)> {
    let table = page.table();
    let lead = table.byte_of(*chars.get(i)?)?;
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut bytes = [lead, 0, 0, 0];
    for k in 1..len {
        let next = chars.get(i + k).and_then(|&c| table.continuation_byte(c));
        match next {
            Some(byte) => bytes[k] = byte,
            None if page == CodePage::Windows1252 && k == 2 => {
                return lost_third_byte(&bytes[..2]).map(|to| (2, to));
            }
            None => return None,
        }
    }
    let to = str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    let context = Context {
        alnum_before: i == 0 && context.alnum_before,
        alnum_after: i + len == chars.len() && context.alnum_after,
    };
    plausible(to, page, context).then_some((len, to))
}

/// "â€" with its third byte gone: Windows-1252 leaves `0x9D` undefined and many
/// tools drop it, so the sequence was almost certainly "”" (`E2 80 9D`).
fn lost_third_byte(bytes: &[u8]) -> Option<char> {
    (bytes == [0xE2, 0x80]).then_some('\u{201D}')
}

/// Whether `c`, decoded from mojibake in `page`, is a character someone meant.
///
/// Legitimate text can spell a valid sequence by accident: an accented capital
/// followed by punctuation ("JOSÉ’S" reads as U+0252), or Mac Roman quotes around
/// an accented word ("“école”" reads as U+048E). So two-byte results are only
/// accepted in the blocks that real mojibake comes from (Latin-1, Latin
/// Extended, Greek; Cyrillic, Hebrew and Arabic letters when not glued to ASCII
/// letters or digits), and Mac Roman two-byte results only in Latin-1 and Latin
/// Extended-A. Longer sequences need an unlikely lead plus two or three
/// continuation symbols, so only control-like results are refused.
fn plausible(c: char, page: CodePage, context: Context) -> bool {
    let code = u32::from(c);
    let standalone = !context.alnum_before && !context.alnum_after;
    match c.len_utf8() {
        2 if page == CodePage::MacRoman => (0xA0..=0x17F).contains(&code),
        2 => match code {
            0xA0..=0x23F | 0x370..=0x3FF => true,
            0x400..=0x481 | 0x48A..=0x52F => standalone,
            0x5D0..=0x5EA | 0x5F0..=0x5F4 => standalone,
            0x620..=0x64A | 0x660..=0x6D3 => standalone,
            _ => false,
        },
        3 => !matches!(code, 0x800..=0x8FF | 0xE000..=0xF8FF | 0xFDD0..=0xFDEF | 0xFFFE..=0xFFFF),
        4 => code < 0xF_0000,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(mojibake, intended)` pairs, each repaired on its own and in a sentence.
    const REPAIRS: &[(&str, &str)] = &[
        // Excerpts of the OctoAcme seeds.
        (
            "# OctoAcme â€” Release & Deployment Guide",
            "# OctoAcme — Release & Deployment Guide",
        ),
        (
            "# OctoAcme ‚Äî Release & Deployment Guide",
            "# OctoAcme — Release & Deployment Guide",
        ),
        ("## What's New ‚ú®", "## What's New ✨"),
        ("## Improvements \u{F8FF}üîß", "## Improvements 🔧"),
        ("## Bug Fixes \u{F8FF}üêõ", "## Bug Fixes 🐛"),
        ("## Breaking Changes ‚ö†Ô∏è", "## Breaking Changes ⚠️"),
        // Windows-1252.
        ("â€”", "—"),
        ("â€“", "–"),
        ("itâ€™s", "it’s"),
        ("â€œquotedâ€\u{9D}", "“quoted”"),
        ("waitâ€¦", "wait…"),
        ("cafÃ©", "café"),
        ("naÃ¯ve", "naïve"),
        ("Â±5", "±5"),
        ("Â©", "©"),
        ("Ã—", "×"),
        ("ðŸ”§", "🔧"),
        ("ðŸ\u{90}›", "🐛"),
        ("âœ¨", "✨"),
        ("âš\u{A0}ï¸\u{8F}", "⚠️"),
        ("ä¸\u{AD}æ–‡", "中文"),
        ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "привет"),
        ("ZaÅ¼Ã³Å‚Ä‡", "Zażółć"),
        ("ï»¿", "\u{FEFF}"),
        // Mac Roman.
        ("‚Äô", "’"),
        ("‚Ä¶", "…"),
        ("‚Äú", "“"),
        ("caf√©", "café"),
        ("¬±", "±"),
        ("\u{F8FF}üöÄ", "🚀"),
        // Both code pages in one run, and mojibake next to legitimate text.
        ("â€”‚Äî", "——"),
        ("Â©â€”", "©—"),
        ("éâ€”é", "é—é"),
        ("—â€™—", "—’—"),
        // Double mis-decoding, with and without the dropped 0x9D.
        ("Ã¢â‚¬â€\u{9D}", "—"),
        ("Ã¢â‚¬â€", "—"),
        ("ÃƒÂ©", "é"),
        // "â€" whose 0x9D was dropped.
        ("â€ ok", "” ok"),
    ];

    /// Legitimate text that must come out unchanged.
    const UNTOUCHED: &[&str] = &[
        "",
        "plain ASCII",
        "café",
        "naïve café",
        "Ünïcödé",
        "€5",
        "– and —",
        "½ ß Straße",
        "中文字符",
        "✨🔧🐛⚠️🚀 👩‍💻",
        "“Über” and “école” and «À bientôt»",
        "JOSÉ’S CAFÉ” ÉTÉ»",
        "ESPAÑ’S",
        "αβγ привет π ∑ ≤ ≥",
        "voilà\u{A0}»",
        "©®™ ±5 °C",
        "— **SRE/DevOps**",
    ];

    #[test]
    fn repairs_each_case() {
        for &(broken, intended) in REPAIRS {
            let (repaired, count) = repair_mojibake(broken);
            assert_eq!(repaired, intended, "repairing {broken:?}");
            assert!(count > 0, "{broken:?} counted no repair");
            assert!(looks_misdecoded(broken), "{broken:?} not flagged");
            assert!(!looks_misdecoded(&repaired), "{repaired:?} still flagged");
        }
    }

    #[test]
    fn repairs_each_case_in_context() {
        for &(broken, intended) in REPAIRS {
            let text = format!("- [ ] {broken} done. {broken}\n");
            let (repaired, _) = repair_mojibake(&text);
            assert_eq!(repaired, format!("- [ ] {intended} done. {intended}\n"));
        }
    }

    #[test]
    fn leaves_legitimate_text_alone() {
        for &text in UNTOUCHED {
            assert_eq!(repair_mojibake(text), (text.to_string(), 0), "{text:?}");
            assert!(!looks_misdecoded(text), "{text:?} flagged");
        }
    }

    /// Known limits, pinned so that a change in behaviour is a deliberate one.
    #[test]
    fn documented_limits() {
        let cases: &[(&str, &str)] = &[
            // A capital before a 0x80..=0xBF symbol reads as Latin Extended.
            ("Ä…", "ą"),
            // A no-break space turned into a plain space hides the sequence.
            ("Ã  la", "Ã  la"),
            // Cyrillic glued to ASCII letters is left alone.
            ("xÐ¸", "xÐ¸"),
        ];
        for &(input, output) in cases {
            assert_eq!(repair_mojibake(input).0, output, "{input:?}");
        }
    }

    #[test]
    fn repair_is_idempotent() {
        for &(broken, _) in REPAIRS {
            let (once, _) = repair_mojibake(broken);
            assert_eq!(repair_mojibake(&once), (once.clone(), 0), "{broken:?}");
        }
    }

    #[test]
    fn counts_every_sequence_in_every_pass() {
        assert_eq!(repair_mojibake("â€” and â€™").1, 2);
        // Three sequences in the first pass, one in the second.
        assert_eq!(repair_mojibake("Ã¢â‚¬â€\u{9D}").1, 4);
    }

    #[test]
    fn decode_cases() {
        let cases: &[(&[u8], &str, usize, usize)] = &[
            // (input, text, warnings, repairs)
            (b"", "", 0, 0),
            (b"\xEF\xBB\xBF# Title\n", "# Title\n", 0, 0),
            (b"a\r\nb\rc\n\r\n", "a\nb\nc\n\n", 0, 0),
            (b"caf\xe9", "caf\u{e9}", 1, 0),
            (
                b"\x93quoted\x94 \x97 r\xe9sum\xe9",
                "“quoted” — résumé",
                1,
                0,
            ),
            ("caf\u{e9} \u{2014} ".as_bytes(), "café — ", 0, 0),
            (
                "# A \u{e2}\u{20ac}\u{201d} B\r\n".as_bytes(),
                "# A — B\n",
                0,
                1,
            ),
            ("\u{ef}\u{bb}\u{bf}# T".as_bytes(), "# T", 0, 1),
            (b"\xEF\xBB\xBF\xEF\xBB\xBFx", "x", 0, 0),
        ];
        for &(input, text, warnings, repairs) in cases {
            let decoded = decode(input);
            assert_eq!(decoded.text, text, "decoding {input:?}");
            assert_eq!(decoded.warnings.len(), warnings, "{:?}", decoded.warnings);
            assert_eq!(decoded.repairs, repairs, "decoding {input:?}");
        }
    }

    #[test]
    fn decode_warns_about_non_utf8() {
        let decoded = decode(b"caf\xe9 \xe2\x80\x94 ok");
        assert_eq!(decoded.text, "café — ok");
        assert_eq!(
            decoded.warnings,
            ["not valid UTF-8; decoded as Windows-1252"]
        );
    }

    #[test]
    fn decode_warns_about_leftover_control_characters() {
        let decoded = decode("x\u{81}y".as_bytes());
        assert_eq!(decoded.text, "x\u{81}y");
        assert_eq!(
            decoded.warnings,
            ["some text still looks mis-decoded after repair"]
        );
        assert!(looks_misdecoded(&decoded.text));
    }

    #[test]
    fn decode_repairs_seed_excerpt() {
        let seed = "# OctoAcme ‚Äî Release & Deployment Guide\r\n\r\n\
            ## What's New ‚ú®\r\n## Improvements \u{F8FF}üîß\r\n\
            ## Bug Fixes \u{F8FF}üêõ\r\n## Breaking Changes ‚ö†Ô∏è\r\n\
            - [ ] Final security scan review â€” **Security Lead**\r\n";
        let decoded = decode(seed.as_bytes());
        assert_eq!(
            decoded.text,
            "# OctoAcme — Release & Deployment Guide\n\n\
             ## What's New ✨\n## Improvements 🔧\n## Bug Fixes 🐛\n\
             ## Breaking Changes ⚠️\n\
             - [ ] Final security scan review — **Security Lead**\n"
        );
        assert_eq!(decoded.repairs, 7);
        assert!(decoded.warnings.is_empty());
    }

    #[test]
    fn never_panics_on_arbitrary_input() {
        // A small deterministic generator over bytes and characters that are
        // interesting to the decoder.
        let pool: Vec<char> =
            "aZ \r\n€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸÂÃâãäðñ©®¬√ƒ≈‚Äî\u{81}\u{9D}\u{F8FF}üîß中🐛\u{FEFF}"
                .chars()
                .collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..2000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| pool[(next() % pool.len() as u64) as usize])
                .collect();
            let (once, _) = repair_mojibake(&text);
            let _ = looks_misdecoded(&once);
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let _ = decode(&bytes);
        }
    }

    #[test]
    fn large_input_is_fast() {
        let chunk = "- [ ] Deploy â€” **SRE** ‚Äî caf√© naïve 中文字符 🚀 plain ASCII text.\n";
        let chunks = (1 << 20) / chunk.len() + 1;
        let text = chunk.repeat(chunks);
        assert!(text.len() >= 1 << 20);
        let clock = std::time::Instant::now();
        let (repaired, count) = repair_mojibake(&text);
        assert!(clock.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(count, 3 * chunks);
        assert!(!repaired.contains('‚'));
        let long_run = "中".repeat(1 << 18);
        assert_eq!(repair_mojibake(&long_run).1, 0);
    }
}
