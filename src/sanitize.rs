//! Hostile input in Markdown: raw HTML is cleaned with `ammonia` (unless the
//! project sets `trusted_html: true`), and links or images whose URL would
//! run code (`javascript:`, `vbscript:`, `data:`) lose their URL.
//!
//! Only pages that contain raw HTML pay for the cleaning: everything the
//! renderer emits itself is safe by construction (text is escaped).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The scheme of `url` if following it could run code in the reader's
/// browser: `javascript:`, `vbscript:`, or `data:` (except `data:image/…`
/// as an image source). Browsers ignore leading spaces and control
/// characters and any tab or newline inside the scheme, so this does too.
pub fn dangerous_scheme(url: &str, is_image: bool) -> Option<&'static str> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .into_iter()
        .find(|scheme| cleaned.starts_with(scheme))
        .filter(|&scheme| !(scheme == "data:" && is_image && cleaned.starts_with("data:image/")))
}

/// Clean rendered page HTML that contains raw HTML from the Markdown: keep
/// everything playbook's own renderer emits (heading ids and anchors,
/// classes, `data-` attributes of checklists, task-list checkboxes, table
/// alignment, footnotes, highlighted code), drop scripts, styles, frames,
/// forms, event handlers and dangerous URLs.
pub fn clean_html(html: &str) -> String {
    builder().clean(html).to_string()
}

fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tags(["input", "section", "details", "summary", "figure"])
            .rm_tags(["button"])
            .add_generic_attributes([
                "id",
                "class",
                "title",
                "lang",
                "dir",
                "aria-label",
                "aria-hidden",
                "role",
            ])
            .add_generic_attribute_prefixes(["data-"])
            .tag_attributes(tag_attributes())
            .url_schemes(HashSet::from(["http", "https", "mailto", "tel", "ftp"]))
            .link_rel(None)
            .filter_style_properties(HashSet::from(["text-align"]));
        builder
    })
}

fn tag_attributes() -> HashMap<&'static str, HashSet<&'static str>> {
    let mut map = HashMap::new();
    let mut add = |tag, attrs: &[&'static str]| {
        map.insert(tag, attrs.iter().copied().collect::<HashSet<_>>());
    };
    add("a", &["href", "hreflang", "name"]);
    add(
        "img",
        &["src", "alt", "width", "height", "align", "loading"],
    );
    add("input", &["type", "checked", "disabled"]);
    add("ol", &["start", "reversed", "type"]);
    add("li", &["value"]);
    add("th", &["style", "align", "colspan", "rowspan", "scope"]);
    add("td", &["style", "align", "colspan", "rowspan"]);
    add("col", &["span", "width"]);
    add("colgroup", &["span"]);
    add("details", &["open"]);
    add("time", &["datetime"]);
    add("abbr", &["title"]);
    add("del", &["cite", "datetime"]);
    add("ins", &["cite", "datetime"]);
    add("blockquote", &["cite"]);
    add("q", &["cite"]);
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_schemes() {
        for url in [
            "javascript:alert(1)",
            "  JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:x",
            "vbscript:msgbox",
            "data:text/html,<script>",
        ] {
            assert!(dangerous_scheme(url, false).is_some(), "{url:?}");
        }
        for url in ["https://x.org", "a.md#javascript:", "mailto:a@b", "#x", ""] {
            assert_eq!(dangerous_scheme(url, false), None, "{url:?}");
        }
        assert_eq!(dangerous_scheme("data:image/png;base64,AA", true), None);
        assert_eq!(
            dangerous_scheme("data:image/png;base64,AA", false),
            Some("data:")
        );
    }

    #[test]
    fn keeps_what_the_renderer_emits() {
        let ours = concat!(
            "<h2 id=\"a\" class=\"x\">A<a class=\"heading-anchor\" href=\"#a\" aria-label=\"Link to this section\">#</a></h2>\n",
            "<ul class=\"contains-task-list\">\n<li class=\"task-list-item\"><input type=\"checkbox\" disabled=\"\" checked=\"\"> done</li>\n</ul>\n",
            "<div class=\"checklist\" data-checklist=\"deploy\"><span class=\"owner\" data-role=\"qa\">QA</span></div>\n",
            "<table><thead><tr><th style=\"text-align: right\">n</th></tr></thead></table>\n",
            "<pre class=\"hl-code\"><code class=\"language-rust\"><span class=\"hl-source hl-rust\">fn</span></code></pre>\n",
            "<p><a href=\"../index.html\">x</a><img src=\"img/a.png\" alt=\"a\"></p>\n",
        );
        let cleaned = clean_html(ours);
        for kept in [
            "id=\"a\"",
            "class=\"heading-anchor\"",
            "aria-label=",
            "<input type=\"checkbox\" disabled=\"\" checked=\"\">",
            "data-checklist=\"deploy\"",
            "data-role=\"qa\"",
            "style=\"text-align:right\"",
            "class=\"hl-source hl-rust\"",
            "href=\"../index.html\"",
            "src=\"img/a.png\"",
        ] {
            assert!(cleaned.contains(kept), "lost {kept}: {cleaned}");
        }
    }

    #[test]
    fn removes_what_runs_code() {
        let cleaned = clean_html(concat!(
            "<script>alert(1)</script><img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">j</a><iframe src=\"https://e\"></iframe>",
            "<object data=x></object><embed src=x><style>p{}</style>",
            "<form action=x><input name=q></form><p style=\"background:url(x)\">p</p>",
        ));
        for gone in [
            "<script",
            "onerror",
            "javascript:",
            "<iframe",
            "<object",
            "<embed",
            "<style",
            "<form",
            "background",
        ] {
            assert!(!cleaned.contains(gone), "kept {gone}: {cleaned}");
        }
    }
}
