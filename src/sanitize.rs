//! Hostile input in Markdown: raw HTML is cleaned with `ammonia` (unless the
//! project sets `trusted_html: true`), and links or images whose URL would
//! run code (`javascript:`, `vbscript:`, `data:`) lose their URL.
//!
//! Only pages that contain raw HTML pay for the cleaning: everything the
//! renderer emits itself is safe by construction (text is escaped).
//!
//! Before any cleaning, raw HTML goes through GitHub's tag filter (GFM spec,
//! "Disallowed Raw HTML"), trusted or not: a `<style>` or `<textarea>` typed
//! in a sentence would otherwise swallow the rest of the page.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The scheme of `url` if following it could run code in the reader's
/// browser: `javascript:`, `vbscript:`, or `data:` (except `data:image/…`
/// as an image source). Browsers ignore leading spaces and control
/// characters and any tab or newline inside the scheme, so this does too.
pub(crate) fn dangerous_scheme(url: &str, is_image: bool) -> Option<&'static str> {
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

/// The tags GitHub's tag filter shows as text: each one, left as a tag,
/// would hide or garble everything after it (raw text, a frame, a script).
pub(crate) const FILTERED_TAGS: [&str; 9] = [
    "title",
    "textarea",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "script",
    "plaintext",
];

/// Where `html` opens or closes a filtered tag: the byte offset of each
/// `<` and the length of `<name` (or `</name`). As GitHub's filter: the name
/// in any letter case, then a space, `>`, `/>`, or (stricter than GitHub)
/// the end of the text.
pub(crate) fn filtered_tags(html: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = html.as_bytes();
    memchr::memchr_iter(b'<', bytes).filter_map(move |at| {
        let slash = usize::from(bytes.get(at + 1) == Some(&b'/'));
        let name_start = at + 1 + slash;
        let tag = FILTERED_TAGS.iter().find(|tag| {
            bytes
                .get(name_start..name_start + tag.len())
                .is_some_and(|name| name.eq_ignore_ascii_case(tag.as_bytes()))
        })?;
        let end = name_start + tag.len();
        let ends_name = match bytes.get(end) {
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0B' | b'\x0C' | b'>') => true,
            Some(b'/') => matches!(bytes.get(end + 1), None | Some(b'>')),
            Some(_) => false,
        };
        ends_name.then_some((at, end - at))
    })
}

/// `html` with the `<` of every filtered tag written as `&lt;`, so the tag
/// shows as text; borrowed when there is none.
#[cfg(test)]
pub(crate) fn filter_tags(html: &str) -> Cow<'_, str> {
    escape_at(html, filtered_tags(html).map(|(at, _)| at))
}

/// `html` with the `<` at each offset of `at` (ascending) written as `&lt;`.
fn escape_at(html: &str, at: impl Iterator<Item = usize>) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    for at in at {
        out.push_str(&html[copied..at]);
        out.push_str("&lt;");
        copied = at + 1;
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// GitHub's tag filter over the raw HTML of one document, fed piece by
/// piece in document order. Untrusted, every filtered tag shows as text (as
/// on GitHub). Trusted (`trusted_html: true`), a filtered element that is
/// closed within the same Markdown block is kept (the writer meant it: a
/// `<script>…</script>` block, an `<iframe>…</iframe>` embed); one left
/// open, which would swallow the rest of the page, shows as text.
#[derive(Debug, Default)]
pub(crate) struct TagFilter {
    trusted: bool,
    /// Source offset up to which a kept element's raw text runs: tags in it
    /// are the element's text, not tags.
    raw_until: usize,
    /// Where an opening tag was shown as text: (source offset, length of `<name`).
    pub filtered: Vec<(usize, usize)>,
    /// Tag names (lowercase) with no end tag left before the end of the
    /// block (its end offset): later openers need not look again, which
    /// keeps a block of many open tags linear.
    no_end_tag: HashMap<String, usize>,
}

impl TagFilter {
    pub(crate) fn new(trusted: bool) -> Self {
        TagFilter {
            trusted,
            ..TagFilter::default()
        }
    }

    /// `html`, found at byte `at` of `source`, filtered; `block_end` is
    /// where the Markdown block holding it ends in `source`.
    pub(crate) fn apply<'h>(
        &mut self,
        html: &'h str,
        source: &str,
        at: usize,
        block_end: usize,
    ) -> Cow<'h, str> {
        // Positions are exact when the event's text is the source's
        // (pulldown-cmark's spans); otherwise they point at the piece's start.
        let exact = source.get(at..at + html.len()) == Some(html);
        let mut escaped = Vec::new();
        for (local, len) in filtered_tags(html) {
            let pos = if exact { at + local } else { at };
            if exact && pos < self.raw_until {
                continue;
            }
            let closing = html.as_bytes()[local + 1] == b'/';
            if self.trusted {
                if closing {
                    continue; // a stray end tag hides nothing
                }
                let name = html[local + 1..local + len].to_ascii_lowercase();
                // `<plaintext>` never ends, whatever follows.
                let searched =
                    name == "plaintext" || self.no_end_tag.get(&name) == Some(&block_end);
                if !searched {
                    let rest = source
                        .get(pos + len..block_end.max(pos + len))
                        .unwrap_or("");
                    match closing_tag(rest, &name) {
                        Some(end) => {
                            self.raw_until = pos + len + end;
                            continue;
                        }
                        None => {
                            self.no_end_tag.insert(name, block_end);
                        }
                    }
                }
            }
            escaped.push(local);
            if !closing {
                self.filtered.push((pos, len));
            }
        }
        escape_at(html, escaped.into_iter())
    }
}

/// Offset in `text` of the first end tag `</name` of a filtered tag.
fn closing_tag(text: &str, name: &str) -> Option<usize> {
    filtered_tags(text).map(|(at, _)| at).find(|&at| {
        text.as_bytes().get(at + 1) == Some(&b'/')
            && text
                .get(at + 2..at + 2 + name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

/// Elements that run or load active content wherever they stand in an XML
/// document (an SVG's `<foreignObject>` may hold XHTML), by local name.
const ACTIVE_ELEMENTS: [&str; 14] = [
    "script", "handler", "listener", "iframe", "frame", "frameset", "embed", "object", "applet",
    "meta", "base", "link", "portal", "import",
];

/// Whether an XML document (an SVG, a feed) could run script when opened:
/// `Err` with the byte offset and a description of the first thing that
/// could: a script or frame element, an `on*` handler, a `javascript:` (or
/// other code-running) URL in any attribute, an `xml-stylesheet`
/// instruction, entity declarations, or text that is not well-formed XML
/// (read otherwise by a browser than here).
pub(crate) fn active_xml(text: &str) -> Result<(), (usize, String)> {
    use quick_xml::events::Event as Xml;
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(0);
        let event = reader.read_event().map_err(|err| {
            let at = usize::try_from(reader.error_position()).unwrap_or(at);
            (at, format!("markup that is not well-formed XML ({err})"))
        })?;
        match event {
            Xml::Start(element) | Xml::Empty(element) => {
                active_element(&element).map_err(|what| (at, what))?
            }
            Xml::PI(pi) if pi.target().eq_ignore_ascii_case("xml-stylesheet") => {
                return Err((
                    at,
                    "an `xml-stylesheet` instruction (a stylesheet can run script)".into(),
                ))
            }
            Xml::DocType(doctype) if doctype.contains('[') => {
                return Err((
                    at,
                    "a DOCTYPE with declarations (entities can hide markup)".into(),
                ))
            }
            Xml::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// What in one element could run script, if anything.
fn active_element(element: &quick_xml::events::BytesStart) -> Result<(), String> {
    let name = element.local_name().as_ref().to_ascii_lowercase();
    if ACTIVE_ELEMENTS.contains(&name.as_str()) {
        return Err(format!("a <{name}> element"));
    }
    for attribute in element.attributes() {
        let attribute =
            attribute.map_err(|err| format!("an attribute that cannot be read ({err})"))?;
        let key = attribute.key.local_name().as_ref().to_ascii_lowercase();
        if key.starts_with("on") {
            return Err(format!("an event handler, `{key}`, on <{name}>"));
        }
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| format!("an attribute value that cannot be read ({err})"))?;
        if key == "attributename" && value.trim().to_ascii_lowercase().starts_with("on") {
            return Err(format!(
                "an animation of the event handler `{}`",
                value.trim()
            ));
        }
        // Animations list values separated by `;`.
        let scheme = std::iter::once(value.as_ref())
            .chain(value.split(';'))
            .find_map(|part| dangerous_scheme(part, true));
        if let Some(scheme) = scheme {
            return Err(format!("a `{scheme}` URL in `{key}` on <{name}>"));
        }
        // An SVG inside a `data:` URL is a document of its own (a `<use>`
        // of it has run script in some browsers): only pictures may be inline.
        let compact: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .take(20)
            .collect::<String>()
            .to_ascii_lowercase();
        if compact.starts_with("data:image/svg") {
            return Err(format!("an SVG `data:` URL in `{key}` on <{name}>"));
        }
    }
    Ok(())
}

/// Clean rendered page HTML that contains raw HTML from the Markdown: keep
/// everything playbook's own renderer emits (heading ids and anchors,
/// classes, `data-` attributes of checklists, task-list checkboxes, table
/// alignment, footnotes, highlighted code), drop scripts, styles, frames,
/// forms, event handlers and dangerous URLs.
pub(crate) fn clean_html(html: &str) -> String {
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
    fn tag_filter_follows_github() {
        let cases = [
            ("<style>", "&lt;style>"),
            ("<STYLE>", "&lt;STYLE>"),
            ("<Style type=\"text/css\">", "&lt;Style type=\"text/css\">"),
            ("<style/>", "&lt;style/>"),
            ("</style>", "&lt;/style>"),
            ("<style\nmedia=x>", "&lt;style\nmedia=x>"),
            ("<textarea>a</textarea>", "&lt;textarea>a&lt;/textarea>"),
            ("<title>", "&lt;title>"),
            ("<xmp>", "&lt;xmp>"),
            ("<iframe src=x>", "&lt;iframe src=x>"),
            ("<noembed>", "&lt;noembed>"),
            ("<noframes>", "&lt;noframes>"),
            ("<script>x</script>", "&lt;script>x&lt;/script>"),
            ("<plaintext>", "&lt;plaintext>"),
            ("<b><style>", "<b>&lt;style>"),
            // Other tags that merely start with a filtered name stay.
            ("<styles>", "<styles>"),
            ("<titles>", "<titles>"),
            ("<style-x>", "<style-x>"),
            ("<style/x>", "<style/x>"),
            ("<b>", "<b>"),
            ("<", "<"),
            ("", ""),
            ("é<style>é", "é&lt;style>é"),
        ];
        for (html, want) in cases {
            assert_eq!(filter_tags(html), want, "{html:?}");
        }
        assert!(matches!(filter_tags("<b>bold</b>"), Cow::Borrowed(_)));
        let found: Vec<_> = filtered_tags("a <STYLE> b </title>").collect();
        assert_eq!(found, [(2, 6), (12, 7)]);
    }

    /// Each piece of `source` between `|` through one filter, joined.
    fn filter_pieces(trusted: bool, source: &str) -> (String, Vec<(usize, usize)>) {
        let plain = source.replace('|', "");
        let mut filter = TagFilter::new(trusted);
        let mut out = String::new();
        let mut at = 0;
        for piece in source.split('|') {
            out.push_str(&filter.apply(piece, &plain, at, plain.len()));
            at += piece.len();
        }
        (out, filter.filtered)
    }

    #[test]
    fn untrusted_filter_escapes_every_filtered_tag() {
        let (out, filtered) = filter_pieces(false, "a |<script>|x|</script>| b |<STYLE/>");
        assert_eq!(out, "a &lt;script>x&lt;/script> b &lt;STYLE/>");
        assert_eq!(filtered, [(2, 7), (23, 6)], "openers only");
    }

    #[test]
    fn trusted_filter_keeps_closed_elements_and_escapes_open_ones() {
        let cases = [
            ("|<script>|x|</script>|", "<script>x</script>"),
            ("|<iframe src=v>||</iframe>|", "<iframe src=v></iframe>"),
            ("add a |<style>| element", "add a &lt;style> element"),
            // Closed in the block: all up to `</style>` is style, as in a browser.
            (
                "|<style>| and |<style>|p{}|</style>|",
                "<style> and <style>p{}</style>",
            ),
            // Inside a kept script, a filtered tag is the script's text.
            (
                "|<script>|w(\"<title>\")|</script>|",
                "<script>w(\"<title>\")</script>",
            ),
            ("|<Title>|T|</TITLE>|", "<Title>T</TITLE>"),
            ("stray |</style>| end", "stray </style> end"),
            ("|<plaintext>| x", "&lt;plaintext> x"),
        ];
        for (source, want) in cases {
            assert_eq!(filter_pieces(true, source).0, want, "{source:?}");
        }
        // A closing tag after the block's end does not count.
        let mut filter = TagFilter::new(true);
        let source = "<style>\n\n</style>";
        assert_eq!(filter.apply("<style>", source, 0, 7), "&lt;style>");
        assert_eq!(filter.filtered, [(0, 6)]);
    }

    #[test]
    fn many_open_tags_in_one_block_take_linear_time() {
        let source = "<style> ".repeat(200_000);
        let clock = std::time::Instant::now();
        let mut filter = TagFilter::new(true);
        for (at, _) in source.match_indices("<style>") {
            filter.apply("<style>", &source, at, source.len());
        }
        assert_eq!(filter.filtered.len(), 200_000);
        assert!(clock.elapsed().as_secs() < 5, "{:?}", clock.elapsed());
    }

    #[test]
    fn filtered_tags_keep_the_rest_of_the_page_when_cleaned() {
        let html = "<p>Add a <style> element.</p>\n<h2 id=\"next\">Next</h2>";
        let cleaned = clean_html(&filter_tags(html));
        assert!(
            cleaned.contains("Add a &lt;style&gt; element."),
            "{cleaned}"
        );
        assert!(cleaned.contains("<h2 id=\"next\">Next</h2>"), "{cleaned}");
    }

    #[test]
    fn active_xml_is_found() {
        let svg = |inner: &str| {
            format!("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">{inner}</svg>")
        };
        let active = [
            "<script>alert(1)</script>",
            "<SCRIPT>alert(1)</SCRIPT>",
            "<x:script xmlns:x=\"http://www.w3.org/2000/svg\">1</x:script>",
            "<g onload=\"alert(1)\"/>",
            "<g ONCLICK=\"alert(1)\"/>",
            "<a xlink:href=\"javascript:alert(1)\"><text>t</text></a>",
            "<a href=\"&#106;avascript:alert(1)\">t</a>",
            "<a href=\" java&#9;script:alert(1)\">t</a>",
            "<animate attributeName=\"href\" values=\"#a;javascript:alert(1)\"/>",
            "<set attributeName=\"onmouseover\" to=\"alert(1)\"/>",
            "<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\"><iframe src=\"https://x\"></iframe></div></foreignObject>",
            "<foreignObject><img xmlns=\"http://www.w3.org/1999/xhtml\" src=\"x\" onerror=\"alert(1)\"/></foreignObject>",
            "<image href=\"data:text/html,hi\"/>",
            "<use href=\"data:image/svg+xml;base64,PHN2Zz4=#x\"/>",
            "<image href=\" DATA:image/SVG+xml,x\"/>",
            "<g><unclosed></g>",
        ];
        for inner in active {
            assert!(active_xml(&svg(inner)).is_err(), "{inner}");
        }
        assert!(active_xml("<?xml-stylesheet href=\"x.xsl\"?><r/>").is_err());
        assert!(active_xml("<!DOCTYPE svg [<!ENTITY x \"<script>\">]><svg>&x;</svg>").is_err());
        let (at, what) = active_xml(&svg("\n<g onload=\"x()\"/>")).unwrap_err();
        assert!(what.contains("onload"), "{what}");
        assert_eq!(&svg("\n<g onload=\"x()\"/>")[at..at + 2], "<g");
        let plain = [
            "<rect width=\"10\" height=\"10\" style=\"fill:red\"/>",
            "<a href=\"https://example.org\"><text>link</text></a>",
            "<image href=\"data:image/png;base64,AA==\"/>",
            "<style>.a { fill: blue }</style><g class=\"a\"><title>On call</title></g>",
            "<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">wrapped text</div></foreignObject>",
            "<!-- <script>not code</script> --><text>&lt;script&gt;</text>",
        ];
        for inner in plain {
            assert_eq!(active_xml(&svg(inner)), Ok(()), "{inner}");
        }
        let doctype = "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\"><svg/>";
        assert_eq!(active_xml(doctype), Ok(()));
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
