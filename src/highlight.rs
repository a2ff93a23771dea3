//! Code highlighting with syntect, emitted as CSS classes (`hl-…`) so one
//! light and one dark stylesheet can colour the same HTML.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::html::escape;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// `<pre><code>` for a fenced block: highlighted when the language is known,
/// escaped plain text otherwise.
pub(crate) fn code_block(lang: Option<&str>, code: &str) -> String {
    let lang = lang.map(str::trim).filter(|l| !l.is_empty());
    let class = lang
        .map(|l| format!(" class=\"language-{}\"", escape(l)))
        .unwrap_or_default();
    let highlighted = lang.and_then(|l| highlight(l, code));
    match highlighted {
        Some(html) => format!("<pre class=\"hl-code\"><code{class}>{html}</code></pre>\n"),
        None => format!(
            "<pre class=\"hl-code\"><code{class}>{}</code></pre>\n",
            escape(code)
        ),
    }
}

/// The most the line memo of one thread may hold, roughly, before it is
/// emptied: so a long `serve` session does not grow without end.
const MEMO_LIMIT_BYTES: usize = 24 << 20;

/// What syntect did with lines, per thread. A line highlights the same
/// whenever it starts in the same state, and blocks share many lines
/// (`rollback:`, `- [ ] Notify the team`): remembering them skips most of
/// the regex work. States are kept once each and named by their index, so
/// a remembered line costs a lookup, not a clone of syntect's state.
/// The most states compared when a state is looked up, and the most states
/// a line is remembered from: bounds the work per line whatever the input.
const COMPARED_STATES: usize = 32;

#[derive(Default)]
struct LineMemo {
    /// Every state a remembered line started or ended in (a state names
    /// its syntax, so states of different languages never meet).
    states: Vec<(ParseState, ScopeStack)>,
    /// Scope stack → the states with it: syntect's parse state cannot be
    /// hashed, its scope stack can, and few states share one.
    by_scopes: HashMap<Vec<Scope>, Vec<u32>>,
    /// Syntax name → the state its blocks start in. Every language starts
    /// with an empty scope stack: looked up among those, a site with many
    /// languages would lose its older ones' first states.
    starts: HashMap<String, u32>,
    /// Line → what it gave in each state it was seen in.
    lines: HashMap<Box<str>, Vec<SeenLine>>,
    bytes: usize,
}

struct SeenLine {
    before: u32,
    after: u32,
    html: Box<str>,
    open_spans: isize,
}

thread_local! {
    /// Per thread: syntect's parse state holds regex captures that cannot
    /// move between threads.
    static MEMO: RefCell<LineMemo> = RefCell::new(LineMemo::default());
}

/// Highlighting as syntect's `ClassedHTMLGenerator` does it, line by line,
/// each line looked up in the memo first.
fn highlight(lang: &str, code: &str) -> Option<String> {
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang)?;
    MEMO.with_borrow_mut(|memo| {
        if memo.bytes > MEMO_LIMIT_BYTES {
            *memo = LineMemo::default();
        }
        memo.highlight(set, syntax, code)
    })
}

impl LineMemo {
    fn highlight(
        &mut self,
        set: &SyntaxSet,
        syntax: &SyntaxReference,
        code: &str,
    ) -> Option<String> {
        let mut current = match self.starts.get(&syntax.name) {
            Some(&start) => start,
            None => {
                let start = self.intern(&(ParseState::new(syntax), ScopeStack::new()));
                self.starts.insert(syntax.name.clone(), start);
                start
            }
        };
        // The state `current` names, once a line had to be parsed.
        let mut live: Option<(ParseState, ScopeStack)> = None;
        let mut html = String::with_capacity(code.len() * 4);
        let mut open_spans: isize = 0;
        for line in LinesWithEndings::from(code) {
            let seen = self
                .lines
                .get(line)
                .and_then(|seen| seen.iter().find(|s| s.before == current));
            if let Some(seen) = seen {
                html.push_str(&seen.html);
                open_spans += seen.open_spans;
                current = seen.after;
                live = None;
                continue;
            }
            let (state, stack) = live.get_or_insert_with(|| self.states[current as usize].clone());
            // A syntect error here means a broken grammar, not bad input: fall back to plain text.
            let ops = state.parse_line(line, set).ok()?;
            let (line_html, delta) =
                line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, stack).ok()?;
            html.push_str(&line_html);
            open_spans += delta;
            let before = current;
            current = self.intern(live.as_ref()?);
            self.remember(line, before, current, line_html, delta);
        }
        for _ in 0..open_spans.max(0) {
            html.push_str("</span>");
        }
        Some(html)
    }

    /// The index of `state`, kept on its first appearance. Only the latest
    /// few states of its scope stack are compared: states holding regex
    /// captures (a heredoc's delimiter) never equal another, and comparing
    /// each with all before it would make a block of ten thousand heredocs
    /// quadratic. A state kept twice only costs a memo hit.
    fn intern(&mut self, state: &(ParseState, ScopeStack)) -> u32 {
        let scopes = state.1.as_slice();
        if let Some(ids) = self.by_scopes.get(scopes) {
            let mut recent = ids.iter().rev().take(COMPARED_STATES);
            if let Some(&id) = recent.find(|&&id| self.states[id as usize] == *state) {
                return id;
            }
        }
        let id = self.states.len() as u32;
        self.states.push(state.clone());
        self.by_scopes.entry(scopes.to_vec()).or_default().push(id);
        self.bytes += 512 + scopes.len() * 16;
        id
    }

    /// Keeps what `line` gave from state `before`; a line already kept from
    /// as many states as are looked through is not kept again (`}` or `EOF`
    /// in every state there is would make each lookup long).
    fn remember(&mut self, line: &str, before: u32, after: u32, html: String, open_spans: isize) {
        if self
            .lines
            .get(line)
            .is_some_and(|seen| seen.len() >= COMPARED_STATES)
        {
            return;
        }
        self.bytes += line.len() + html.len() + 64;
        let seen = SeenLine {
            before,
            after,
            html: html.into_boxed_str(),
            open_spans,
        };
        match self.lines.get_mut(line) {
            Some(list) => list.push(seen),
            None => {
                self.lines.insert(line.into(), vec![seen]);
            }
        }
    }
}

/// The light and the dark stylesheet for highlighted code.
pub(crate) fn stylesheets() -> anyhow::Result<(String, String)> {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| -> anyhow::Result<String> {
        let theme = themes
            .themes
            .get(name)
            .ok_or_else(|| anyhow::anyhow!("built-in theme {name} is missing"))?;
        Ok(css_for_theme_with_class_style(theme, CLASS_STYLE)?)
    };
    Ok((
        readable(&css(LIGHT_THEME)?, LIGHT_CODE_BG),
        readable(&css(DARK_THEME)?, DARK_CODE_BG),
    ))
}

/// The code background of the default theme (`--code-bg` in style.css).
const LIGHT_CODE_BG: [u8; 3] = [0xf6, 0xf8, 0xfa];
const DARK_CODE_BG: [u8; 3] = [0x17, 0x1b, 0x21];

/// Every `color: #rrggbb` of a stylesheet made to read at 4.5:1 (WCAG AA)
/// on `background`, darkened (or lightened, on a dark background) as little
/// as it takes: a few tokens of the built-in themes are too faint.
fn readable(css: &str, background: [u8; 3]) -> String {
    let toward = if luminance(background) > 0.5 {
        0.0
    } else {
        255.0
    };
    let mut out = String::with_capacity(css.len());
    for line in css.split_inclusive('\n') {
        let hex = line.trim().strip_prefix("color: #").and_then(|rest| {
            let digits = rest.strip_suffix(';')?;
            let value = u32::from_str_radix(digits, 16)
                .ok()
                .filter(|_| digits.len() == 6)?;
            Some(value.to_be_bytes())
        });
        let Some([_, r, g, b]) = hex else {
            out.push_str(line);
            continue;
        };
        let mut color = [r, g, b];
        let mut step = 0.0;
        while contrast(color, background) < 4.5 && step < 1.0 {
            step += 0.05;
            color =
                [r, g, b].map(|c| (f64::from(c) + (toward - f64::from(c)) * step).round() as u8);
        }
        out.push_str(&format!(
            " color: #{:02x}{:02x}{:02x};\n",
            color[0], color[1], color[2]
        ));
    }
    out
}

/// WCAG relative luminance of an sRGB colour.
fn luminance(rgb: [u8; 3]) -> f64 {
    let [r, g, b] = rgb.map(|c| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_token_colour_reads_at_4_5_to_1_on_the_code_background() {
        let (light, dark) = stylesheets().unwrap();
        for (css, background) in [(light, LIGHT_CODE_BG), (dark, DARK_CODE_BG)] {
            let colours: Vec<&str> = css
                .lines()
                .filter_map(|l| l.trim().strip_prefix("color: #")?.strip_suffix(';'))
                .collect();
            assert!(colours.len() > 10, "{css}");
            for hex in colours {
                let v = u32::from_str_radix(hex, 16).unwrap().to_be_bytes();
                let ratio = contrast([v[1], v[2], v[3]], background);
                assert!(ratio >= 4.5, "#{hex}: {ratio:.2}");
            }
        }
        // A faint green darkened only as far as it must be.
        let css = readable(
            " color: #63a35c;\n background-color: #ffffff;\n",
            LIGHT_CODE_BG,
        );
        assert!(css.ends_with(" background-color: #ffffff;\n"), "{css}");
        assert_ne!(css.lines().next(), Some(" color: #63a35c;"));
    }

    #[test]
    fn known_language_gets_classes_not_colours() {
        let html = code_block(Some("yaml"), "key: value\n");
        assert!(
            html.starts_with("<pre class=\"hl-code\"><code class=\"language-yaml\">"),
            "{html}"
        );
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let html = code_block(Some("no-such-lang"), "<b>&</b>\n");
        assert!(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<span"), "{html}");
    }

    #[test]
    fn language_is_escaped_in_the_class() {
        let html = code_block(Some("x\"><script>"), "a");
        assert!(!html.contains("<script>"), "{html}");
    }

    /// syntect's own generator, without the line memo.
    fn reference(lang: &str, code: &str) -> String {
        use syntect::html::ClassedHTMLGenerator;
        let set = syntaxes();
        let syntax = set.find_syntax_by_token(lang).unwrap();
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        generator.finalize()
    }

    #[test]
    fn remembered_lines_highlight_exactly_as_syntect_does() {
        // The same lines in different states: inside a block scalar, in a
        // mapping, after an unclosed quote; then every block again, all
        // lines now remembered.
        let blocks = [
            ("yaml", "a: |\n  - one\n  key: x\nb:\n  - one\n  key: x\n"),
            ("yaml", "  - one\n  key: x\nc: \"open\n  key: x\n"),
            (
                "markdown",
                "# Title\n\n- [ ] one\n```yaml\nkey: x\n```\n- [ ] one\n",
            ),
            ("markdown", "key: x\n<div>\n- [ ] one\n"),
        ];
        for _ in 0..2 {
            for (lang, code) in blocks {
                assert_eq!(
                    highlight(lang, code).unwrap(),
                    reference(lang, code),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn states_that_never_repeat_keep_the_work_per_line_bounded() {
        // Every heredoc's delimiter is a regex capture: each body state is
        // new, and `done` is seen in a new state every time.
        let code: String = (0..300)
            .map(|i| format!("cat <<END{i}\ndone\nEND{i}\n"))
            .collect();
        assert_eq!(highlight("bash", &code).unwrap(), reference("bash", &code));
        MEMO.with_borrow(|memo| {
            let longest = memo.lines.values().map(Vec::len).max().unwrap_or(0);
            assert!(longest <= COMPARED_STATES, "{longest}");
            assert!(memo
                .lines
                .get("done\n")
                .is_some_and(|seen| seen.len() == COMPARED_STATES));
        });
    }

    #[test]
    fn blocks_in_many_languages_keep_their_lines_remembered() {
        let languages = [
            "bash", "yaml", "json", "python", "rust", "toml", "sql", "markdown", "js", "css",
            "html", "go", "java", "ruby", "c", "cpp", "xml", "diff", "php", "lua",
        ];
        let block = |lang: &str| format!("# {lang}\nkey = \"value\" // {lang}\nx: [1, 2]\n");
        let mut rounds = Vec::new();
        for _ in 0..2 {
            for lang in languages {
                let code = block(lang);
                if let Some(html) = highlight(lang, &code) {
                    assert_eq!(html, reference(lang, &code), "{lang}");
                }
            }
            rounds.push(MEMO.with_borrow(|memo| (memo.states.len(), memo.lines.len())));
        }
        // The second round is all memo hits: nothing new is kept.
        assert_eq!(rounds[0], rounds[1]);
        assert!(rounds[0].0 > 16, "{rounds:?}");
    }

    /// Lines that leave syntect in many states: block scalars, open quotes
    /// and brackets, fences of embedded languages, comments.
    const TRICKY_LINES: [&str; 16] = [
        "key: value\n",
        "a: |\n",
        "  - one\n",
        "c: \"open\n",
        "closed\"\n",
        "list: [a, {b: c\n",
        "# comment\n",
        "```yaml\n",
        "```\n",
        "- [ ] item `code`\n",
        "<div>\n",
        "</div>\n",
        "\n",
        "    indented: x\n",
        "'single\n",
        "--- \n",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any run of blocks, in any order, in either language, highlights
        /// as syntect does with nothing remembered.
        #[test]
        fn the_memo_never_changes_a_block(
            blocks in proptest::collection::vec(
                (proptest::bool::ANY, proptest::collection::vec(0..TRICKY_LINES.len(), 0..12)),
                1..8,
            )
        ) {
            for (markdown, lines) in &blocks {
                let lang = if *markdown { "markdown" } else { "yaml" };
                let code: String = lines.iter().map(|&i| TRICKY_LINES[i]).collect();
                proptest::prop_assert_eq!(highlight(lang, &code).unwrap(), reference(lang, &code));
            }
        }
    }

    #[test]
    fn stylesheets_use_the_prefix() {
        let (light, dark) = stylesheets().unwrap();
        assert!(light.contains(".hl-"));
        assert!(dark.contains(".hl-"));
        assert_ne!(light, dark);
    }
}
