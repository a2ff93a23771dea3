//! Copies of the guide saved as HTML: a wiki's or a docs site's "export as
//! HTML" (Confluence, Google Docs, Notion), a browser's "save page as" of
//! the rendered guide (GitHub, MkDocs, this tool's own site). Read as they
//! are, their steps were page text and nothing was aligned; they are turned
//! into Markdown first (by htmd, turndown.js's rules), with the task-list
//! markups those tools write read as boxes.

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BulletListMarker, CodeBlockStyle, HeadingStyle, Options};
use htmd::{Element, HtmlToMarkdown};

/// Whether a copy is HTML rather than Markdown: by its name (`.html`,
/// `.htm`, `.xhtml`), or by its text opening as a whole HTML document does.
/// A Markdown file holding some inline HTML is still Markdown.
pub fn is_html(path: &str, text: &str) -> bool {
    let extension = std::path::Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if matches!(extension.as_deref(), Some("html" | "htm" | "xhtml")) {
        return true;
    }
    let start: String = text
        .trim_start()
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// Elements whose end tag HTML lets a page leave out (`<li>a<li>b`): not
/// counted as nesting, or a long list would look deep.
const OPTIONAL_END: [&str; 16] = [
    "li", "p", "td", "th", "tr", "dt", "dd", "option", "optgroup", "thead", "tbody", "tfoot",
    "colgroup", "rb", "rt", "rp",
];

/// Where the copy's elements first nest deeper than `max` (a byte offset),
/// if they do: the conversion walks the tree recursively, and a hostile
/// copy (a hundred thousand `<div>`s) must be an error, not a crash.
pub fn too_deep(html: &str, max: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (at, _) in html.match_indices('<') {
        let rest = &html[at + 1..];
        let closing = rest.starts_with('/');
        let name: String = rest[usize::from(closing)..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty()
            || crate::html::VOID_ELEMENTS.contains(&name.as_str())
            || OPTIONAL_END.contains(&name.as_str())
        {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        if !rest[..end].ends_with('/') {
            depth += 1;
            if depth > max {
                return Some(at);
            }
        }
    }
    None
}

/// Stack for the conversion: htmd walks the tree recursively, and a copy
/// within [`too_deep`]'s limit may still nest list items in lists.
const CONVERSION_STACK: usize = 256 << 20;

/// The copy as Markdown: headings as `#`, lists as `-`, tables as GFM
/// tables, boxes as `[ ]` / `[x]`; scripts, styles, the page's head and its
/// navigation chrome left out. Runs on a thread of its own with a deep
/// stack (see [`CONVERSION_STACK`]).
pub fn to_markdown(html: &str) -> std::io::Result<String> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("html-copy".into())
            .stack_size(CONVERSION_STACK)
            .spawn_scoped(scope, || convert(html))?
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the HTML could not be converted")))
    })
}

fn convert(html: &str) -> std::io::Result<String> {
    let converter = HtmlToMarkdown::builder()
        .options(Options {
            heading_style: HeadingStyle::Atx,
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            code_block_style: CodeBlockStyle::Fenced,
            ..Options::default()
        })
        .skip_tags(vec![
            "head", "script", "style", "noscript", "template", "nav", "header", "footer", "button",
            "form", "svg",
        ])
        .add_handler(vec!["input"], checkbox)
        .add_handler(vec!["div", "span"], notion_box)
        .add_handler(vec!["li"], confluence_task)
        .build();
    Ok(without_needless_escapes(&converter.convert(html)?))
}

/// htmd escapes every `[`, `]`, `_`, `*` and backtick of the text, as it
/// cannot know which would mean something: `\[QA\] Deploy`, `feature\_flags`.
/// A Markdown copy writes them bare, and the two must read as one step
/// (an owner tag, the same wording). Each such escape is dropped when its
/// line reads the same without it (pulldown-cmark renders both alike);
/// code blocks are left as they are.
fn without_needless_escapes(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut fence: Option<&str> = None;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        match fence {
            Some(open) => {
                if trimmed.starts_with(open) {
                    fence = None;
                }
                out.push_str(line);
            }
            None if trimmed.starts_with("```") || trimmed.starts_with("~~~") => {
                fence = Some(&trimmed[..3]);
                out.push_str(line);
            }
            None if !line.contains('\\') => out.push_str(line),
            None => out.push_str(&line_without_needless_escapes(line)),
        }
    }
    out
}

/// The most escapes of a line tried one at a time: each try renders the
/// line, so a hostile copy (one line of a million `_`) must not make it
/// quadratic. A line with more is tried once, without all of them.
const ESCAPES_TRIED: usize = 64;

/// `line` without each escape of `[`, `]`, `_`, `*` or a backtick that
/// changes nothing, tried one at a time from the left.
fn line_without_needless_escapes(line: &str) -> String {
    let wanted = rendered(line);
    if line.matches('\\').count() > ESCAPES_TRIED {
        let bare = all_unescaped(line);
        return if rendered(&bare) == wanted {
            bare
        } else {
            line.to_string()
        };
    }
    let mut line = line.to_string();
    let mut from = 0;
    while let Some(at) = line[from..].find('\\').map(|i| from + i) {
        let next = line[at + 1..].chars().next();
        if next == Some('\\') {
            from = at + 2; // an escaped backslash stays
            continue;
        }
        if matches!(next, Some('[' | ']' | '_' | '*' | '`')) {
            let mut bare = line.clone();
            bare.remove(at);
            if rendered(&bare) == wanted {
                line = bare;
                from = at + 1;
                continue;
            }
        }
        from = at + 1;
    }
    line
}

/// `line` without the backslash before every `[`, `]`, `_`, `*` and
/// backtick (an escaped backslash stays).
fn all_unescaped(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some('\\')) => {
                out.push_str("\\\\");
                chars.next();
            }
            ('\\', Some('[' | ']' | '_' | '*' | '`')) => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
thread_local! {
    /// How many lines [`rendered`] rendered, for the tests of its cost.
    static RENDERS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn rendered(markdown: &str) -> String {
    #[cfg(test)]
    RENDERS.with(|n| n.set(n.get() + 1));
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(markdown, crate::markdown::options()),
    );
    html
}

/// `<input type="checkbox" [checked]>` (GitHub, MkDocs, GitLab, and most
/// Markdown renderers' task lists): a box; any other input: nothing.
fn checkbox(_: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let is_checkbox =
        attribute(&element, "type").is_some_and(|t| t.eq_ignore_ascii_case("checkbox"));
    is_checkbox.then(|| box_for(attribute(&element, "checked").is_some()).into())
}

/// Notion's to-do: `<div class="checkbox checkbox-on"></div>`; other
/// elements as htmd has them.
fn notion_box(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let classes = attribute(&element, "class").unwrap_or_default();
    let mut classes = classes.split_ascii_whitespace();
    if classes.clone().any(|c| c == "checkbox") {
        return Some(box_for(classes.any(|c| c == "checkbox-on")).into());
    }
    handlers.fallback(element)
}

/// Confluence's task list: `<li data-inline-task-id="1" class="checked">`;
/// a box put after the bullet htmd writes.
fn confluence_task(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let task = attribute(&element, "data-inline-task-id").is_some();
    let done = attribute(&element, "class")
        .is_some_and(|c| c.split_ascii_whitespace().any(|c| c == "checked"));
    let item = handlers.fallback(element)?;
    if !task {
        return Some(item);
    }
    let content = item.content;
    // htmd writes an item as "\n- text" (or "\ntext\n" in a numbered list).
    let body_start = content.len() - content.trim_start_matches('\n').len();
    let (lead, body) = content.split_at(body_start);
    let boxed = match body.strip_prefix("- ") {
        Some(text) => format!("{lead}- {}{text}", box_for(done)),
        None => format!("{lead}{}{body}", box_for(done)),
    };
    Some(boxed.into())
}

fn box_for(done: bool) -> &'static str {
    if done {
        "[x] "
    } else {
        "[ ] "
    }
}

fn attribute(element: &Element, name: &str) -> Option<String> {
    element
        .attrs
        .iter()
        .find(|a| a.name.local.as_ref().eq_ignore_ascii_case(name))
        .map(|a| a.value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markdown(html: &str) -> String {
        to_markdown(html).expect("htmd converts any text")
    }

    #[test]
    fn html_is_told_by_name_or_by_a_whole_documents_opening() {
        assert!(is_html("guide.html", "# Not really"));
        assert!(is_html("Guide.HTM", ""));
        assert!(is_html("export.txt", "\n  <!DOCTYPE html>\n<html>"));
        assert!(is_html("export.md", "<html lang=\"en\"><body>"));
        assert!(!is_html("guide.md", "<a name=\"top\"></a>\n# Guide"));
        assert!(!is_html("guide.md", "<!-- a comment -->\n# Guide"));
        assert!(!is_html("guide.txt", "# Guide\n\n<details>x</details>"));
    }

    #[test]
    fn headings_lists_and_tables_become_markdown() {
        let md = markdown(
            "<html><head><title>T</title><style>p{}</style></head><body>\
             <nav><a href=\"/\">Home</a></nav>\
             <h1>Guide</h1><h2>Pre-release</h2>\
             <ul><li>Tag the build</li><li>Notify <strong>QA</strong></li></ul>\
             <ol><li>First</li><li>Second</li></ol>\
             <table><tr><th>Step</th><th>Owner</th></tr><tr><td>Deploy</td><td>SRE</td></tr></table>\
             <script>alert(1)</script></body></html>",
        );
        assert!(md.starts_with("# Guide\n\n## Pre-release\n"), "{md}");
        assert!(md.contains("- Tag the build\n- Notify **QA**"), "{md}");
        assert!(md.contains("1. First\n2. Second"), "{md}");
        assert!(
            md.contains("| Step   | Owner |\n| ------ | ----- |\n| Deploy | SRE   |"),
            "{md}"
        );
        for gone in ["Home", "alert", "p{}", "<"] {
            assert!(!md.contains(gone), "{gone} in {md}");
        }
    }

    #[test]
    fn every_tools_task_list_markup_becomes_boxes() {
        // GitHub's and most renderers' (this tool's site too).
        let github = markdown(
            "<ul class=\"contains-task-list\">\
             <li class=\"task-list-item\"><input type=\"checkbox\" disabled> Tag it</li>\
             <li class=\"task-list-item\"><input type=\"checkbox\" checked disabled> Ship it</li></ul>",
        );
        assert_eq!(github.trim(), "- [ ] Tag it\n- [x] Ship it");
        // Confluence's export.
        let confluence = markdown(
            "<ul class=\"inline-task-list\" data-inline-tasks-content-id=\"9\">\
             <li data-inline-task-id=\"1\">Tag it</li>\
             <li class=\"checked\" data-inline-task-id=\"2\">Ship it</li></ul>",
        );
        assert_eq!(confluence.trim(), "- [ ] Tag it\n- [x] Ship it");
        // Notion's export.
        let notion = markdown(
            "<ul class=\"to-do-list\"><li><div class=\"checkbox checkbox-off\"></div> \
             <span class=\"to-do-children-unchecked\">Tag it</span></li>\
             <li><div class=\"checkbox checkbox-on\"></div> \
             <span class=\"to-do-children-checked\">Ship it</span></li></ul>",
        );
        assert_eq!(notion.trim(), "- [ ] Tag it\n- [x] Ship it");
        // Other inputs and plain list items are not boxes.
        let plain = markdown("<ul><li><input type=\"text\" value=\"v\"> Name</li><li class=\"checked\">Done</li></ul>");
        assert_eq!(plain.trim(), "- Name\n- Done");
    }

    #[test]
    fn escapes_are_dropped_where_the_line_reads_the_same_without_them() {
        let html = "<ul><li>[QA] Set feature_flags and *stars*</li>\
             <li>[Guide](page.md) and [x](y) but [not a link] (z)</li>\
             <li><em>shown</em> \\ kept</li></ul>\
             <pre><code>raw [x] a_b\\_c</code></pre><p>- not a list</p><p>1. not a list</p>";
        let md = markdown(html);
        let escaped = HtmlToMarkdown::new().convert(html).expect("converts");
        // Read the same as htmd's fully escaped text: no link, no emphasis made.
        assert_eq!(rendered(&md), rendered(&escaped), "{md}");
        assert!(md.contains("- [QA] Set feature_flags and "), "{md}");
        assert!(md.contains("[not a link] (z)"), "{md}");
        assert!(md.contains("raw [x] a_b\\_c"), "code as it was: {md}");
        assert!(
            md.contains("\\- not a list") && md.contains("1\\. not a list"),
            "{md}"
        );
    }

    #[test]
    fn deep_nesting_is_found_and_long_lists_of_open_items_are_not_deep() {
        let deep = format!(
            "<body>{}x{}</body>",
            "<div>".repeat(50),
            "</div>".repeat(50)
        );
        assert_eq!(too_deep(&deep, 100), None);
        assert_eq!(
            too_deep(&deep, 40),
            Some("<body>".len() + 39 * "<div>".len())
        );
        let items = format!("<ul>{}</ul>", "<li>step<p>text<br>".repeat(5_000));
        assert_eq!(too_deep(&items, 100), None);
        let closed = format!("<ol>{}</ol>", "<li>step</li>".repeat(5_000));
        assert_eq!(too_deep(&closed, 100), None);
        assert_eq!(too_deep("1 < 2, </ >, <3 and <d/>", 1), None);
    }

    #[test]
    fn the_deepest_copy_the_limit_lets_through_converts() {
        // Lists of lists, each item left open: 1,000 levels of `<ul><li>`.
        let n = 1_000;
        let html = format!(
            "<h1>T</h1><h2>S</h2>{}x{}",
            "<ul><li>".repeat(n),
            "</ul>".repeat(n)
        );
        assert_eq!(too_deep(&html, n), None);
        let md = markdown(&html);
        assert!(md.starts_with("# T\n\n## S\n"), "{}", &md[..40]);
    }

    #[test]
    fn a_line_of_many_escapes_is_tried_once_not_one_escape_at_a_time() {
        // 40,000 escapes took 27 s one at a time: each try renders the line.
        let html = format!(
            "<ul><li>{}</li><li>{}</li></ul>",
            "a_b ".repeat(40_000),
            "*x* ".repeat(40_000)
        );
        // The conversion runs on a thread of its own: count on this one.
        let escaped = HtmlToMarkdown::new().convert(&html).unwrap();
        RENDERS.with(|n| n.set(0));
        let md = without_needless_escapes(&escaped);
        assert_eq!(
            RENDERS.with(|n| n.get()),
            4,
            "two renders a line, whatever its escapes"
        );
        assert!(
            md.contains(" a_b a_b "),
            "without escapes where they change nothing"
        );
        assert!(
            md.contains("\\*x\\* \\*x\\*"),
            "kept where dropping all would make emphasis"
        );
        assert_eq!(rendered(&md), rendered(&escaped));
    }

    #[test]
    fn entities_and_hostile_markup_are_text_or_gone() {
        let md = markdown(
            "<h2>Release &amp; Deploy &#8212; v2</h2>\
             <p>Use <code>&lt;script&gt;</code> <img src=x onerror=alert(1)></p>\
             <iframe src=\"https://evil\"></iframe>",
        );
        assert!(md.contains("## Release & Deploy — v2"), "{md}");
        assert!(!md.contains("onerror"), "{md}");
    }

    proptest::proptest! {
        /// Any tag soup converts (or is refused as too deep), never panics.
        #[test]
        fn any_tag_soup_converts(parts in proptest::collection::vec("(<ul>|<li>|</li>|</ul>|<p>|<div class=\"checkbox checkbox-on\">|</div>|<input type=checkbox checked>|<li data-inline-task-id=1 class=checked>|<table><tr><td>|\\[x\\]|a_b|\\*|`|<h2>|</h2>|&#9744;|\\PC{0,5})", 0..40)) {
            let html = parts.concat();
            if too_deep(&html, 1000).is_none() {
                let md = markdown(&html);
                proptest::prop_assert!(!md.contains('\0'));
            }
        }
    }
}
