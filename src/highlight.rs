//! Code highlighting with syntect, emitted as CSS classes (`hl-…`) so one
//! light and one dark stylesheet can colour the same HTML.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// `<pre><code>` for a fenced block: highlighted when the language is known,
/// escaped plain text otherwise.
pub fn code_block(lang: Option<&str>, code: &str) -> String {
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

/// Highlighted blocks already made in this process: the same snippet is
/// often pasted into many pages, and highlighting is the costliest part of
/// parsing. Bounded, so a long `serve` session does not grow without end.
struct Memo {
    blocks: HashMap<(String, String), Option<String>>,
    bytes: usize,
}

const MEMO_LIMIT_BYTES: usize = 64 << 20;

fn memo() -> &'static Mutex<Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    MEMO.get_or_init(|| {
        Mutex::new(Memo {
            blocks: HashMap::new(),
            bytes: 0,
        })
    })
}

fn highlight(lang: &str, code: &str) -> Option<String> {
    let key = (lang.to_string(), code.to_string());
    if let Some(found) = memo()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .blocks
        .get(&key)
    {
        return found.clone();
    }
    let html = highlight_uncached(lang, code);
    let mut memo = memo().lock().unwrap_or_else(|e| e.into_inner());
    memo.bytes += key.0.len() + key.1.len() + html.as_ref().map_or(0, String::len);
    if memo.bytes > MEMO_LIMIT_BYTES {
        memo.blocks.clear();
        memo.bytes = 0;
    }
    memo.blocks.insert(key, html.clone());
    html
}

fn highlight_uncached(lang: &str, code: &str) -> Option<String> {
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        // A syntect error here means a broken grammar, not bad input: fall back to plain text.
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The light and the dark stylesheet for highlighted code.
pub fn stylesheets() -> anyhow::Result<(String, String)> {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| -> anyhow::Result<String> {
        let theme = themes
            .themes
            .get(name)
            .ok_or_else(|| anyhow::anyhow!("built-in theme {name} is missing"))?;
        Ok(css_for_theme_with_class_style(theme, CLASS_STYLE)?)
    };
    Ok((css(LIGHT_THEME)?, css(DARK_THEME)?))
}

/// Minimal HTML escaping for text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn stylesheets_use_the_prefix() {
        let (light, dark) = stylesheets().unwrap();
        assert!(light.contains(".hl-"));
        assert!(dark.contains(".hl-"));
        assert_ne!(light, dark);
    }
}
