//! One pass over a page's Markdown: HTML out, and headings, links and search
//! text collected on the way, so nothing downstream parses Markdown again.
//!
//! The pass transforms pulldown-cmark's event stream (never the generated
//! HTML): headings get GitHub-style ids and a permalink, links to `.md`
//! files are rewritten to the generated pages, fenced code is highlighted,
//! and task-list items get the classes GitHub gives them.

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd,
};

use crate::embed::{checklist_html, EmbedTarget, Embeds};
use crate::model::{DangerousLink, Document, Heading, Link, LinkTarget, TextSection};
use crate::print_guide::GuideAnchors;
use crate::routes::Routes;
use crate::slug::{slugify, UniqueIds};
use crate::{highlight, html};

pub use crate::links::options;

/// Where a page's Markdown sits, so links resolve and spans point into the file.
pub struct PageRef<'a> {
    /// Content-relative source path.
    pub source_path: &'a str,
    /// Site-root-relative output path.
    pub url: &'a str,
    /// Byte offset of the Markdown body in the file (after front matter).
    pub body_start: usize,
    /// The whole file, for line numbers.
    pub file_text: &'a str,
}

/// What every page's pass can look up: where pages are, what can be embedded.
pub struct ParseContext<'a> {
    pub routes: &'a Routes,
    pub embeds: &'a Embeds,
    pub output: Output,
    /// Pass raw HTML through untouched (`trusted_html: true` in playbook.yaml);
    /// otherwise pages with raw HTML are cleaned with ammonia.
    pub trusted_html: bool,
    /// The deepest nesting of lists and block quotes allowed; deeper is
    /// recorded in [`Document::too_deep`].
    pub max_nesting: usize,
    /// Write the page as part of the whole guide on one page
    /// ([`crate::print_guide`]): ids prefixed with the page's anchor, links
    /// to the guide's pages made in-page links.
    pub guide: Option<&'a GuideAnchors>,
}

/// What a parse produces besides the model (headings, links, ids, embeds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The model only: for commands that never show the page (`check`).
    Model,
    /// The model and the plain text of each section, for the search index:
    /// the build's first pass, which keeps every page.
    SearchText,
    /// The HTML, code highlighted: the build's render pass, one page at a time.
    Html,
    /// Both: the HTML and the model with search text, for a page the build
    /// parses only when it renders it (see [`crate::site_load`]).
    HtmlAndSearchText,
}

impl Output {
    fn makes_html(self) -> bool {
        matches!(self, Output::Html | Output::HtmlAndSearchText)
    }

    fn keeps_search_text(self) -> bool {
        matches!(self, Output::SearchText | Output::HtmlAndSearchText)
    }
}

/// A page's parser options: [`options`] and wiki links (`[[Page Name]]`),
/// which only pages resolve.
fn page_options() -> pulldown_cmark::Options {
    options() | pulldown_cmark::Options::ENABLE_WIKILINKS
}

/// Parse `body` (the page's Markdown without front matter) into a [`Document`].
pub fn parse(page: &PageRef, context: &ParseContext, body: &str) -> Document {
    let mut pass = Pass::new(page, context);
    // `[text][missing]` renders as plain text on GitHub and here: record it for `check`.
    let broken = std::cell::RefCell::new(Vec::new());
    let mut on_broken = |link: pulldown_cmark::BrokenLink| {
        if link.link_type != pulldown_cmark::LinkType::Shortcut {
            let span = link.span.start + page.body_start..link.span.end + page.body_start;
            broken.borrow_mut().push((span, link.reference.to_string()));
        }
        None
    };
    let parser = Parser::new_with_broken_link_callback(body, page_options(), Some(&mut on_broken));
    for (event, range) in parser.into_offset_iter() {
        pass.event(
            event,
            range.start + page.body_start..range.end + page.body_start,
        );
    }
    let mut doc = pass.finish();
    doc.broken_references = broken.into_inner();
    doc
}

/// Where Markdown first nests lists and block quotes deeper than `max`
/// (a byte offset), if it does. One iterative pass: safe on any depth.
pub fn too_deep(markdown: &str, max: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                depth += 1;
                if depth > max {
                    return Some(range.start);
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    None
}

/// The title a page's headings give it ([`first_heading_title`]), parsing
/// no further than its first level-1 heading: for a page the build parses
/// in full only when it renders it.
pub fn heading_title(page: &PageRef, context: &ParseContext, body: &str) -> Option<String> {
    let mut pass = Pass::new(page, context);
    // The same parser as `parse` (a broken reference stays text either way).
    let parser = Parser::new_with_broken_link_callback(body, page_options(), Some(|_| None));
    for (event, range) in parser.into_offset_iter() {
        let ends_title = matches!(event, Event::End(TagEnd::Heading(HeadingLevel::H1)));
        pass.event(
            event,
            range.start + page.body_start..range.end + page.body_start,
        );
        if ends_title {
            break;
        }
    }
    first_heading_title(&pass.doc).map(str::to_string)
}

/// The relative `<a href>` and `<img src>` values in raw HTML (the links
/// cleaning keeps), in order: (offset of the value in `html`, the value,
/// whether it is an image). A URL with a scheme, `//host`, `/root`, only a
/// `#fragment`, or an entity is left as written.
fn relative_html_links(html: &str) -> Vec<(usize, &str, bool)> {
    let links = attribute_values(html, "<a", "href=").map(|(at, v)| (at, v, false));
    let images = attribute_values(html, "<img", "src=").map(|(at, v)| (at, v, true));
    let mut found: Vec<_> = links
        .chain(images)
        .filter(|(_, value, _)| {
            let first = value.split(['/', '?', '#']).next().unwrap_or(value);
            !value.starts_with(['#', '/', '?']) && !first.contains(':')
        })
        .collect();
    found.sort_unstable_by_key(|(at, ..)| *at);
    found
}

/// The quoted, non-empty values of `attr` (`href=`) in the start tags that
/// begin with `tag` (`<a`, or `<` for any) in raw HTML, without entities:
/// (offset of the value in `html`, the value).
fn attribute_values<'h>(
    html: &'h str,
    tag: &'static str,
    attr: &'static str,
) -> impl Iterator<Item = (usize, &'h str)> {
    let lower = html.to_ascii_lowercase();
    let starts: Vec<usize> = lower.match_indices(attr).map(|(at, _)| at).collect();
    starts.into_iter().filter_map(move |at| {
        let before = &lower[..at];
        let open = before.rfind('<')?;
        let in_the_tag = before.rfind('>') < Some(open)
            && before[open..].starts_with(tag)
            && (tag == "<"
                || before[open + tag.len()..].starts_with(|c: char| c.is_ascii_whitespace()));
        // Not text, another element, or `data-src=`.
        if !in_the_tag || !before.ends_with(|c: char| c.is_ascii_whitespace()) {
            return None;
        }
        let quote = html[at + attr.len()..]
            .chars()
            .next()
            .filter(|q| *q == '"' || *q == '\'')?;
        let value_at = at + attr.len() + 1;
        let len = html[value_at..].find(quote)?;
        let value = &html[value_at..value_at + len];
        (!value.is_empty() && !value.contains('&')).then_some((value_at, value))
    })
}

/// How many elements are open after `html`, given `depth` open before, and
/// the most open at any point: start tags open one (except void and
/// self-closed ones), end tags close one.
fn html_depth(html: &str, mut depth: usize) -> (usize, usize) {
    let mut deepest = depth;
    let bytes = html.as_bytes();
    for (i, _) in html.match_indices('<') {
        match bytes.get(i + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let rest = &html[i + 1..];
                let end = rest.find('>').unwrap_or(rest.len());
                let name: String = rest
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if !crate::html::VOID_ELEMENTS.contains(&name.as_str())
                    && !rest[..end].ends_with('/')
                {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
            _ => {}
        }
    }
    (depth, deepest)
}

/// A heading whose inner events are held back until its text (and so its id) is known.
struct PendingHeading<'a> {
    level: HeadingLevel,
    explicit_id: Option<String>,
    classes: Vec<String>,
    start: usize,
    text: String,
    events: Vec<Event<'a>>,
}

/// A footnote of the page: its number and anchor.
struct Footnote {
    number: usize,
    id: String,
    /// The label as a slug, for the anchors of its references.
    slug: String,
    /// The anchor of its first reference, once met.
    first_reference: Option<String>,
}

/// A fenced or indented code block being collected.
struct PendingCode {
    lang: Option<String>,
    text: String,
}

struct Pass<'p, 'a> {
    /// Open links and images: text inside them is never autolinked.
    in_link: usize,
    page: &'p PageRef<'p>,
    routes: &'p Routes,
    embeds: &'p Embeds,
    output: Output,
    trusted_html: bool,
    /// Whether the Markdown holds raw HTML (and so needs cleaning).
    has_raw_html: bool,
    max_nesting: usize,
    /// Open lists and block quotes.
    nesting: usize,
    /// Open elements in the raw HTML, roughly (see [`html_depth`]).
    html_depth: usize,
    /// GitHub's tag filter, applied to every piece of raw HTML.
    tag_filter: crate::sanitize::TagFilter,
    /// Where the innermost Markdown block started last ends (file offset).
    block_end: usize,
    /// Index in `events` of the open top-level paragraph, if any.
    paragraph_start: Option<usize>,
    /// Length of the section's search text when that paragraph opened: an
    /// embedded checklist replaces the link's text there too.
    paragraph_text_start: usize,
    /// What took each id first (a heading, a footnote), for the message
    /// when an explicit `{#id}` takes it again.
    id_owners: std::collections::HashMap<String, String>,
    /// Footnotes met so far, by normalised label.
    footnotes: std::collections::HashMap<String, Footnote>,
    /// The key of the footnote whose definition is open.
    defining: Option<String>,
    events: Vec<Event<'a>>,
    ids: UniqueIds,
    /// The `id`s of raw HTML elements: anchors, apart from the headings'
    /// numbering (GitHub's is apart too).
    /// Ids of raw HTML elements, and where each value is.
    raw_ids: Vec<(String, usize)>,
    doc: Document,
    section: TextSection,
    heading: Option<PendingHeading<'a>>,
    code: Option<PendingCode>,
    /// The last offset a line number was asked for, and its line: headings
    /// come in file order, so each count of newlines goes on from there.
    line_cursor: std::cell::Cell<(usize, usize)>,
    /// On the whole guide: every page's anchor, and this page's.
    guide: Option<(&'p GuideAnchors, &'p str)>,
}

impl<'p, 'a> Pass<'p, 'a> {
    fn new(page: &'p PageRef<'p>, context: &'p ParseContext<'p>) -> Self {
        Pass {
            in_link: 0,
            page,
            routes: context.routes,
            embeds: context.embeds,
            output: context.output,
            trusted_html: context.trusted_html,
            has_raw_html: false,
            max_nesting: context.max_nesting,
            nesting: 0,
            html_depth: 0,
            paragraph_start: None,
            paragraph_text_start: 0,
            tag_filter: crate::sanitize::TagFilter::new(context.trusted_html),
            block_end: 0,
            id_owners: std::collections::HashMap::new(),
            footnotes: std::collections::HashMap::new(),
            defining: None,
            events: Vec::new(),
            ids: UniqueIds::default(),
            raw_ids: Vec::new(),
            doc: Document::default(),
            section: TextSection::default(),
            heading: None,
            code: None,
            line_cursor: std::cell::Cell::new((0, 1)),
            guide: context
                .guide
                .and_then(|g| Some((g, g.anchor(page.source_path)?))),
        }
    }

    /// The id written in the HTML for the page's id `id`: itself, or on the
    /// whole guide, prefixed with the page's anchor.
    fn out_id(&self, id: &str) -> String {
        match self.guide {
            Some((_, anchor)) => GuideAnchors::id(anchor, id),
            None => id.to_string(),
        }
    }

    fn event(&mut self, event: Event<'a>, span: std::ops::Range<usize>) {
        self.track_blocks(&event, &span);
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => self.start_heading(level, id, classes, span),
            Event::FootnoteReference(label) => self.footnote_reference(&label, span.start),
            Event::Start(Tag::FootnoteDefinition(label)) => self.start_footnote(&label, span.start),
            Event::End(TagEnd::FootnoteDefinition) => self.end_footnote(),
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(kind)) => self.start_code(kind),
            Event::End(TagEnd::CodeBlock) => self.end_code(),
            Event::Text(text) if self.code.is_some() => {
                if let Some(code) = &mut self.code {
                    code.text.push_str(&text);
                }
            }
            Event::Html(raw) => {
                let html = self.raw_html_event(raw, span, false);
                self.emit(Event::Html(html));
            }
            Event::InlineHtml(raw) => {
                let html = self.raw_html_event(raw, span, true);
                self.emit(Event::InlineHtml(html));
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let event = self.link_start(tag, span);
                self.emit(event);
            }
            Event::Text(text) if self.in_link == 0 && !autolinks(&text).is_empty() => {
                self.add_text(&text);
                self.autolink_text(text, span);
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                self.add_text(text);
                self.emit(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.add_text(" ");
                self.emit(event);
            }
            Event::Start(Tag::Paragraph) if self.heading.is_none() => {
                self.paragraph_start = Some(self.events.len());
                self.paragraph_text_start = self.section.text.len();
                self.emit(event);
            }
            Event::End(TagEnd::Paragraph) if self.embed_paragraph() => {}
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                self.add_text(" ");
                self.emit(event);
                if !self.output.makes_html() && self.paragraph_start.is_none() {
                    self.events.clear();
                }
            }
            Event::Start(Tag::Item) | Event::End(TagEnd::List(_)) => {
                // Search snippets keep list items apart, and from what follows.
                if self.heading.is_none() && self.output.keeps_search_text() {
                    crate::embed::push_item_separator(&mut self.section.text);
                }
                self.emit(event);
            }
            Event::TaskListMarker(_) => {
                // A task list written in the page, not embedded from checklists/: `check` reports it.
                let heading = self.section.heading.clone();
                if self.doc.task_sections.last().map(|(h, _)| h) != Some(&heading) {
                    self.doc.task_sections.push((heading, span.start));
                }
                self.emit(event);
            }
            other => self.emit(other),
        }
    }

    /// Where the current block ends, how deep lists and quotes nest, and
    /// raw HTML blocks left open.
    fn track_blocks(&mut self, event: &Event<'a>, span: &std::ops::Range<usize>) {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                self.nesting += 1;
                if self.nesting > self.max_nesting && self.doc.too_deep.is_none() {
                    self.doc.too_deep = Some(span.start);
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
                self.nesting = self.nesting.saturating_sub(1);
            }
            Event::Start(Tag::HtmlBlock) => {
                self.block_end = span.end;
                self.note_runaway_html(span.clone());
            }
            Event::Start(Tag::Paragraph) => {
                self.block_end = span.end;
                if let Some(len) = self
                    .page
                    .file_text
                    .get(span.clone())
                    .and_then(admonition_opener)
                {
                    self.doc.admonitions.push((span.start, len));
                }
            }
            Event::Start(Tag::Heading { .. } | Tag::TableCell | Tag::Item) => {
                self.block_end = span.end
            }
            // Bare URLs inside a link's text are not made links again.
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.in_link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.in_link = self.in_link.saturating_sub(1)
            }
            _ => {}
        }
    }

    /// Raw HTML as it goes into the page: GitHub's tag filter applied (and
    /// where it applied recorded for `check`), its nesting measured.
    fn raw_html(&mut self, html: CowStr<'a>, span: std::ops::Range<usize>) -> CowStr<'a> {
        self.has_raw_html = true;
        let filtered =
            match self
                .tag_filter
                .apply(&html, self.page.file_text, span.start, self.block_end)
            {
                std::borrow::Cow::Owned(filtered) => Some(filtered),
                std::borrow::Cow::Borrowed(_) => None,
            };
        let html = filtered.map_or(html, CowStr::from);
        // Cleaning deeply nested HTML takes quadratic time: refuse it.
        let (depth, deepest) = html_depth(&html, self.html_depth);
        self.html_depth = depth;
        if deepest > self.max_nesting.saturating_mul(10) && self.doc.too_deep.is_none() {
            self.doc.too_deep = Some(span.start);
        }
        html
    }

    /// Raw HTML as published: filtered, and its links rewritten unless the
    /// filter made it text.
    fn raw_html_event(
        &mut self,
        raw: CowStr<'a>,
        span: std::ops::Range<usize>,
        inline: bool,
    ) -> CowStr<'a> {
        let html = self.raw_html(raw.clone(), span.clone());
        if html == raw {
            return self.raw_html_links(html, span.start);
        }
        if inline {
            // One inline tag, now shown as text: it is part of the
            // heading's id and of the search text, as on GitHub.
            self.add_text(&raw);
        }
        html
    }

    /// Relative links in raw HTML (`<a href="setup.md">`, which work on
    /// GitHub) rewritten to the built pages and checked, as Markdown links
    /// are; its `id`s (`<a id="stable"></a>`) kept as anchors links may
    /// use. `start` is where `html` is in the file.
    fn raw_html_links(&mut self, html: CowStr<'a>, start: usize) -> CowStr<'a> {
        // (offset, length, what replaces it)
        let mut edits = Vec::new();
        for (at, value, is_image) in relative_html_links(&html) {
            let span = start + at..start + at + value.len();
            let href = self.link(CowStr::from(value.to_string()), span, is_image);
            edits.push((at, value.len(), html::escape(&href)));
        }
        for (at, id) in attribute_values(&html, "<", "id=") {
            self.raw_ids.push((id.to_string(), start + at));
            // The whole guide prefixes every id with its page's.
            let out_id = self.out_id(id);
            if out_id != id {
                edits.push((at, id.len(), html::escape(&out_id)));
            }
        }
        if edits.is_empty() {
            return html;
        }
        edits.sort_unstable_by_key(|(at, ..)| *at);
        let mut out = String::with_capacity(html.len());
        let mut written = 0;
        for (at, len, replacement) in edits {
            out.push_str(&html[written..at]);
            out.push_str(&replacement);
            written = at + len;
        }
        out.push_str(&html[written..]);
        out.into()
    }

    /// CommonMark ends an HTML block opened by `<script>`, `<style>`,
    /// `<textarea>` or `<pre>` only at its end tag: without one, the rest of
    /// the page is that block's raw text (on GitHub too), headings and all.
    fn note_runaway_html(&mut self, span: std::ops::Range<usize>) {
        let Some(block) = self.page.file_text.get(span.clone()) else {
            return;
        };
        if span.end < self.page.file_text.trim_end().len() || self.doc.runaway_html.is_some() {
            return;
        }
        let lower = block.to_ascii_lowercase();
        let opened = ["script", "style", "textarea", "pre"]
            .into_iter()
            .find(|tag| {
                lower
                    .strip_prefix('<')
                    .and_then(|rest| rest.strip_prefix(tag))
                    .is_some_and(|rest| {
                        rest.is_empty()
                            || rest.starts_with(|c: char| c.is_ascii_whitespace() || c == '>')
                    })
            });
        if let Some(tag) = opened.filter(|tag| !lower.contains(&format!("</{tag}>"))) {
            self.doc.runaway_html = Some((span.start, tag));
        }
    }

    /// Send an event to the output, or to the heading being collected.
    fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(heading) => heading.events.push(event),
            // Without HTML to make, only an open paragraph's events are kept:
            // `embed_paragraph` reads them.
            None if self.output.makes_html() || self.paragraph_start.is_some() => {
                self.events.push(event)
            }
            None => {}
        }
    }

    fn add_text(&mut self, text: &str) {
        match &mut self.heading {
            Some(heading) => heading.text.push_str(text),
            None if self.output.keeps_search_text() => self.section.text.push_str(text),
            None => {}
        }
    }

    fn start_heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        span: std::ops::Range<usize>,
    ) {
        let start = span.start;
        if let Some(id) = &id {
            let line = self.line_of(start);
            if self.ids.contains(id) {
                // Point at the `#id` in `{#id}`.
                let at = self.page.file_text[span.clone()]
                    .rfind(&format!("#{id}"))
                    .map_or(start, |i| start + i);
                let first = self
                    .id_owners
                    .get(id.as_ref())
                    .cloned()
                    .unwrap_or_else(|| "a checklist item embedded above it".to_string());
                self.doc.duplicate_ids.push((id.to_string(), at, first));
            }
            self.ids.reserve(id);
            self.id_owners
                .entry(id.to_string())
                .or_insert_with(|| format!("the heading on line {line}"));
        }
        self.heading = Some(PendingHeading {
            level,
            explicit_id: id.map(|id| id.to_string()),
            classes: classes.iter().map(|c| c.to_string()).collect(),
            start,
            text: String::new(),
            events: Vec::new(),
        });
    }

    fn end_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let text = heading.text.trim().to_string();
        let id = match heading.explicit_id {
            Some(id) => id,
            None => self.ids.unique(&slugify(&text)),
        };
        let level = heading.level as u8;
        let class = if heading.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", html::escape(&heading.classes.join(" ")))
        };
        let id_attr = html::escape(&self.out_id(&id));
        // A heading of only emoji or punctuation slugs to "" (as on GitHub,
        // where the next one is `-1`): an empty id is not HTML, and a link
        // to `#` leads to the top of the page.
        let (open, anchor) = if id_attr.is_empty() {
            (format!("<h{level}{class}>"), String::new())
        } else {
            (
                format!("<h{level} id=\"{id_attr}\"{class}>"),
                format!("<a class=\"heading-anchor\" href=\"#{id_attr}\" aria-label=\"Link to this section\">#</a>"),
            )
        };
        self.events.push(Event::Html(open.into()));
        self.events.extend(heading.events);
        self.events
            .push(Event::Html(format!("{anchor}</h{level}>\n").into()));

        let finished = std::mem::replace(
            &mut self.section,
            TextSection {
                heading: Some((id.clone(), text.clone())),
                text: String::new(),
            },
        );
        if finished.heading.is_some() || !finished.text.trim().is_empty() {
            self.doc.sections.push(finished);
        }
        let line = self.line_of(heading.start);
        self.id_owners
            .entry(id.clone())
            .or_insert_with(|| format!("the heading on line {line}"));
        self.doc.headings.push(Heading {
            level,
            id,
            text,
            line,
        });
    }

    /// The 1-based line of byte `at` of the file.
    fn line_of(&self, at: usize) -> usize {
        let bytes = self.page.file_text.as_bytes();
        let at = at.min(bytes.len());
        let (mut from, mut line) = self.line_cursor.get();
        if at < from {
            (from, line) = (0, 1);
        }
        line += memchr::memchr_iter(b'\n', &bytes[from..at]).count();
        self.line_cursor.set((at, line));
        line
    }

    /// The key of a footnote, numbered and given its anchor the first time
    /// its label is met (reference or definition), as GitHub numbers them.
    /// Anchors are `fn-<label>`, unique among the page's ids, so a footnote
    /// never takes a heading's anchor.
    fn footnote(&mut self, label: &str, at: usize) -> String {
        let key = label
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if !self.footnotes.contains_key(&key) {
            let number = self.footnotes.len() + 1;
            let slug = match slugify(label) {
                slug if slug.is_empty() => number.to_string(),
                slug => slug,
            };
            let id = self.ids.unique(&format!("fn-{slug}"));
            let line = self.line_of(at);
            self.id_owners
                .insert(id.clone(), format!("the footnote [^{label}] (line {line})"));
            let footnote = Footnote {
                number,
                id,
                slug,
                first_reference: None,
            };
            self.footnotes.insert(key.clone(), footnote);
        }
        key
    }

    fn footnote_reference(&mut self, label: &str, at: usize) {
        let key = self.footnote(label, at);
        let Some(footnote) = self.footnotes.get(&key) else {
            return;
        };
        let (number, target) = (footnote.number, html::escape(&self.out_id(&footnote.id)));
        let id = self.ids.unique(&format!("fnref-{}", footnote.slug));
        let line = self.line_of(at);
        self.id_owners.insert(
            id.clone(),
            format!("a reference to the footnote [^{label}] (line {line})"),
        );
        if let Some(footnote) = self.footnotes.get_mut(&key) {
            footnote.first_reference.get_or_insert_with(|| id.clone());
        }
        let id = html::escape(&self.out_id(&id));
        self.emit(Event::Html(
            format!("<sup class=\"footnote-reference\"><a href=\"#{target}\" id=\"{id}\">{number}</a></sup>").into(),
        ));
    }

    fn start_footnote(&mut self, label: &str, at: usize) {
        let key = self.footnote(label, at);
        let Some(footnote) = self.footnotes.get(&key) else {
            return;
        };
        let html = format!(
            "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{}</sup>",
            html::escape(&self.out_id(&footnote.id)),
            footnote.number
        );
        self.defining = Some(key);
        self.emit(Event::Html(html.into()));
    }

    /// Closes a footnote, with a link back to its first reference when the
    /// text above has one.
    fn end_footnote(&mut self) {
        let back = self
            .defining
            .take()
            .and_then(|key| self.footnotes.get(&key))
            .and_then(|f| f.first_reference.as_deref())
            .map_or(String::new(), |id| {
                format!(
                    "<a href=\"#{}\" class=\"footnote-backref\" aria-label=\"Back to the text\">↩</a>",
                    html::escape(&self.out_id(id))
                )
            });
        self.emit(Event::Html(format!("{back}</div>\n").into()));
    }

    fn start_code(&mut self, kind: CodeBlockKind) {
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().map(str::to_string),
            CodeBlockKind::Indented => None,
        };
        self.code = Some(PendingCode {
            lang,
            text: String::new(),
        });
    }

    fn end_code(&mut self) {
        if let Some(code) = self.code.take() {
            if self.output.makes_html() {
                let html = highlight::code_block(code.lang.as_deref(), &code.text);
                self.events.push(Event::Html(html.into()));
            }
        }
    }

    /// Whether `dest` would run code when followed: such a link is recorded
    /// for `check` and rendered without its URL.
    fn blocked(&mut self, dest: &str, span: std::ops::Range<usize>, is_image: bool) -> bool {
        match crate::sanitize::dangerous_scheme(dest, is_image) {
            Some(scheme) => {
                self.doc.dangerous_links.push(DangerousLink {
                    dest: dest.to_string(),
                    scheme,
                    is_image,
                    span,
                });
                true
            }
            None => false,
        }
    }

    /// Text with bare URLs in it, as GitHub shows it: each URL a link
    /// (recorded like any other, so `check` sees it).
    fn autolink_text(&mut self, text: CowStr<'a>, span: std::ops::Range<usize>) {
        // The URL's own span where the text is the source as written.
        let exact = span.len() == text.len();
        let mut at = 0;
        for (start, end) in autolinks(&text) {
            if start > at {
                self.emit(Event::Text(text[at..start].to_string().into()));
            }
            let url = &text[start..end];
            let dest = if url.starts_with("www.") {
                format!("http://{url}")
            } else {
                url.to_string()
            };
            let link_span = if exact {
                span.start + start..span.start + end
            } else {
                span.clone()
            };
            let dest_url = self.link(dest.into(), link_span, false);
            self.emit(Event::Start(Tag::Link {
                link_type: pulldown_cmark::LinkType::Autolink,
                dest_url,
                title: "".into(),
                id: "".into(),
            }));
            self.emit(Event::Text(url.to_string().into()));
            self.emit(Event::End(TagEnd::Link));
            at = end;
        }
        if at < text.len() {
            self.emit(Event::Text(text[at..].to_string().into()));
        }
    }

    /// Record a link and return the destination to write in the HTML.
    fn link(
        &mut self,
        dest: CowStr<'a>,
        span: std::ops::Range<usize>,
        is_image: bool,
    ) -> CowStr<'a> {
        let target = self.routes.resolve(self.page.source_path, &dest);
        let href = match self.guide {
            Some((guide, anchor)) => guide.href(self.routes, anchor, &target),
            None => self.routes.href(self.page.url, &target),
        };
        self.doc.links.push(Link {
            dest: dest.to_string(),
            target,
            is_image,
            span,
        });
        match href {
            Some(href) => href.into(),
            None => dest,
        }
    }

    /// The start of a link or image, its destination resolved and
    /// rewritten (a wiki link's name to the page it names).
    fn link_start(&mut self, tag: Tag<'a>, span: std::ops::Range<usize>) -> Event<'a> {
        match tag {
            Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                title,
                id,
            } => Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: self.wiki_link(&dest_url, span).into(),
                title,
                id,
            }),
            tag => crate::links::rewrite(tag, &mut LinkAt { pass: self, span }),
        }
    }

    /// Raw HTML ids that another element of the page already has: links
    /// to them land on the first.
    fn note_html_id_clashes(&mut self) {
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (id, at) in &self.raw_ids {
            let first = if self.ids.contains(id) {
                Some(
                    self.id_owners
                        .get(id.as_str())
                        .cloned()
                        .unwrap_or_else(|| "a heading, footnote or checklist item".to_string()),
                )
            } else {
                seen.get(id.as_str())
                    .map(|&earlier| format!("the HTML element on line {}", self.line_of(earlier)))
            };
            match first {
                Some(first) => self.doc.duplicate_html_ids.push((id.clone(), *at, first)),
                None => {
                    seen.entry(id).or_insert(*at);
                }
            }
        }
    }

    /// A wiki link's `Page Name#Heading`, as the page it names
    /// ([`Routes::wiki_page`]) and the heading's id: recorded as a link,
    /// and its URL returned. A name no page has is recorded as a link to
    /// `Page Name.md` beside this page, which `check` reports, and gets
    /// that file's URL: never the name itself, which could be any scheme.
    fn wiki_link(&mut self, dest: &str, span: std::ops::Range<usize>) -> String {
        let (name, heading) = match dest.split_once('#') {
            Some((name, heading)) => (name, Some(heading)),
            None => (dest, None),
        };
        let fragment = heading.map(crate::slug::slugify);
        let target = if name.trim().is_empty() {
            LinkTarget::SamePage {
                fragment: fragment.unwrap_or_default(),
            }
        } else {
            let path = match self.routes.wiki_page(self.page.source_path, name) {
                Some(path) => path.to_string(),
                None => {
                    let folder = crate::routes::parent_dir(self.page.source_path);
                    let file = format!("{}.md", name.trim().trim_start_matches('/'));
                    if folder.is_empty() {
                        file
                    } else {
                        format!("{folder}/{file}")
                    }
                }
            };
            LinkTarget::Page { path, fragment }
        };
        let href = match (&target, self.guide) {
            (LinkTarget::SamePage { fragment }, _) => {
                crate::routes::with_fragment(String::new(), Some(fragment))
            }
            (_, Some((guide, anchor))) => {
                guide.href(self.routes, anchor, &target).unwrap_or_default()
            }
            (LinkTarget::Page { path, fragment }, None) => {
                self.routes.href(self.page.url, &target).unwrap_or_else(|| {
                    let url = crate::routes::page_url(path);
                    crate::routes::with_fragment(
                        crate::routes::relative_url(self.page.url, &url),
                        fragment.as_deref(),
                    )
                })
            }
            _ => String::new(),
        };
        self.doc.links.push(Link {
            dest: format!("[[{dest}]]"),
            target,
            is_image: false,
            span,
        });
        href
    }

    /// A paragraph that is only a link to a checklist file becomes that
    /// checklist. Returns whether it did.
    fn embed_paragraph(&mut self) -> bool {
        let Some(start) = self.paragraph_start.take() else {
            return false;
        };
        let Some(Event::Start(Tag::Link { .. })) = self.events.get(start + 1) else {
            return false;
        };
        let link_closes_paragraph = matches!(self.events.last(), Some(Event::End(TagEnd::Link)))
            && self.events[start + 2..self.events.len() - 1]
                .iter()
                .all(|e| !matches!(e, Event::End(TagEnd::Link)));
        let Some(Link {
            target: LinkTarget::File { path, fragment },
            ..
        }) = self.doc.links.last()
        else {
            return false;
        };
        let Some(checklist) = self.embeds.checklists.get(path) else {
            return false;
        };
        if !link_closes_paragraph {
            return false;
        }
        let mut target = EmbedTarget {
            page_url: self.page.url,
            routes: self.routes,
            ids: &mut self.ids,
            guide: self.guide,
        };
        let Some((html, text)) = checklist_html(
            self.embeds,
            path,
            checklist,
            fragment.as_deref(),
            &mut target,
        ) else {
            return false; // an unknown group stays a link, for `check` to report
        };
        let embedded = (checklist.id.clone(), fragment.clone());
        self.doc.embeds.push(embedded);
        self.events.truncate(start);
        self.events.push(Event::Html(html.into()));
        if self.output.keeps_search_text() {
            self.section.text.truncate(self.paragraph_text_start);
            crate::embed::push_item_separator(&mut self.section.text);
            self.section.text.push_str(&text);
        }
        true
    }

    fn finish(mut self) -> Document {
        if self.section.heading.is_some() || !self.section.text.trim().is_empty() {
            self.doc.sections.push(std::mem::take(&mut self.section));
        }
        if self.output.keeps_search_text() {
            for section in &mut self.doc.sections {
                section.text = collapse_whitespace(&section.text);
                // A list's closing separator, when nothing follows it.
                if let Some(text) = section.text.strip_suffix(" ·") {
                    section.text.truncate(text.len());
                }
            }
        }
        self.doc.ids = self.ids.all();
        if !self.raw_ids.is_empty() {
            self.note_html_id_clashes();
            self.doc.ids.extend(
                std::mem::take(&mut self.raw_ids)
                    .into_iter()
                    .map(|(id, _)| id),
            );
            self.doc.ids.sort();
            self.doc.ids.dedup();
        }
        self.doc.filtered_tags = std::mem::take(&mut self.tag_filter.filtered);
        if self.output.makes_html() {
            mark_task_lists(&mut self.events);
            render_alerts(&mut self.events);
            let mut html = String::with_capacity(self.page.file_text.len() * 3 / 2);
            pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
            // A page nested too deep is refused (see `too_deep`): not worth cleaning.
            self.doc.html =
                if self.has_raw_html && !self.trusted_html && self.doc.too_deep.is_none() {
                    crate::sanitize::clean_html(&html)
                } else {
                    html
                };
        }
        self.doc
    }
}

/// GitHub's alerts (`> [!NOTE]` ...) as GitHub renders them: a `div` with a
/// title, its icon drawn by the theme's CSS (an inline SVG would not survive
/// the cleaning of pages with raw HTML, which keeps no SVG).
fn render_alerts(events: &mut [Event]) {
    for event in events.iter_mut() {
        match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = match kind {
                    BlockQuoteKind::Note => ("note", "Note"),
                    BlockQuoteKind::Tip => ("tip", "Tip"),
                    BlockQuoteKind::Important => ("important", "Important"),
                    BlockQuoteKind::Warning => ("warning", "Warning"),
                    BlockQuoteKind::Caution => ("caution", "Caution"),
                };
                *event = Event::Html(
                    format!(
                        "<div class=\"markdown-alert markdown-alert-{class}\">\n<p class=\"markdown-alert-title\"><span class=\"markdown-alert-icon\" aria-hidden=\"true\"></span>{title}</p>\n"
                    )
                    .into(),
                );
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => *event = Event::Html("</div>\n".into()),
            _ => {}
        }
    }
}

/// Give task-list items and their lists GitHub's classes, so themes can
/// style them (and later make them interactive).
fn mark_task_lists(events: &mut [Event]) {
    let mut open_lists: Vec<usize> = Vec::new();
    for i in 0..events.len() {
        match &events[i] {
            Event::Start(Tag::List(_)) => open_lists.push(i),
            Event::End(TagEnd::List(_)) => {
                open_lists.pop();
            }
            Event::TaskListMarker(_) => {
                // The marker follows its item's start, possibly after a paragraph start.
                let item = (0..i)
                    .rev()
                    .take(2)
                    .find(|&j| matches!(events[j], Event::Start(Tag::Item)));
                if let Some(item) = item {
                    events[item] = Event::Html("<li class=\"task-list-item\">".into());
                }
                if let Some(&list) = open_lists.last() {
                    if let Event::Start(Tag::List(start)) = &events[list] {
                        let tag = match start {
                            Some(1) => "<ol class=\"contains-task-list\">\n".to_string(),
                            Some(n) => format!("<ol class=\"contains-task-list\" start=\"{n}\">\n"),
                            None => "<ul class=\"contains-task-list\">\n".to_string(),
                        };
                        events[list] = Event::Html(tag.into());
                    }
                }
            }
            _ => {}
        }
    }
}

/// Where `https://`, `http://` or `www.` first starts in `text` at or
/// after `from`: one SIMD scan for `h` and `w` (most text has no URL).
fn next_url_start(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'h', b'w', bytes.get(from..)?)
        .map(|i| from + i)
        .find(|&i| {
            let rest = &bytes[i..];
            rest.starts_with(b"https://")
                || rest.starts_with(b"http://")
                || rest.starts_with(b"www.")
        })
}

/// Byte ranges of GFM's extended autolinks in `text`: `https://…`,
/// `http://…` and `www.…` at the start of a word, with a dot in the domain,
/// up to white space or `<`, less trailing punctuation (`.,:;!?'"*_~`) and
/// any `)` that does not close a `(` inside the URL. pulldown-cmark 0.13
/// has no option for these.
pub fn autolinks(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = next_url_start(text, from) {
        let boundary = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "*_~(".contains(c));
        let mut end = text[start..]
            .find(|c: char| c.is_whitespace() || c == '<')
            .map_or(text.len(), |i| start + i);
        loop {
            let url = &text[start..end];
            match url.chars().next_back() {
                Some(c) if ".,:;!?'\"*_~".contains(c) => end -= c.len_utf8(),
                Some(')') if url.matches(')').count() > url.matches('(').count() => end -= 1,
                _ => break,
            }
        }
        let url = &text[start..end];
        let host = url
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("");
        let valid_host = host.contains('.')
            && !host.starts_with('.')
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || "-_.:".contains(c));
        if boundary && valid_host {
            found.push((start, end));
            from = end;
        } else {
            from = start + 1;
        }
        if from >= text.len() {
            break;
        }
        // `from` may sit inside a multi-byte character after `start + 1`.
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    found
}

/// The length of `!!! warning` when a paragraph opens like an MkDocs
/// admonition of a kind MkDocs knows (`!!!`, `???`, `???+`).
fn admonition_opener(paragraph: &str) -> Option<usize> {
    const KINDS: [&str; 22] = [
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "danger",
        "error",
        "bug",
    ];
    let marker = ["!!! ", "???+ ", "??? "]
        .into_iter()
        .find(|m| paragraph.starts_with(m))?;
    let kind: String = paragraph[marker.len()..]
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    KINDS
        .contains(&kind.to_ascii_lowercase().as_str())
        .then_some(marker.len() + kind.len())
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word_start = None;
    let push_word = |out: &mut String, word: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    };
    // Byte by byte: `split_whitespace` decodes every character, and search
    // text is most of a page.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let (space, width) = match bytes[i] {
            // `char::is_whitespace` on ASCII (with the vertical tab, 0x0B).
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => (true, 1),
            b if b.is_ascii() => (false, 1),
            _ => text[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8())),
        };
        match (space, word_start) {
            (true, Some(start)) => {
                push_word(&mut out, &text[start..i]);
                word_start = None;
            }
            (false, None) => word_start = Some(i),
            _ => {}
        }
        i += width;
    }
    if let Some(start) = word_start {
        push_word(&mut out, &text[start..]);
    }
    out
}

/// Title of a document: its first level-1 heading, else its first heading.
pub fn first_heading_title(doc: &Document) -> Option<&str> {
    doc.headings
        .iter()
        .find(|h| h.level == 1)
        .or_else(|| doc.headings.first())
        .map(|h| h.text.as_str())
}

/// A link of a page being parsed, at `span`: recorded (or, when it could
/// run code, recorded as dangerous) as its destination is rewritten.
struct LinkAt<'x, 'p, 'a> {
    pass: &'x mut Pass<'p, 'a>,
    span: std::ops::Range<usize>,
}

impl<'a> crate::links::Destinations<'a> for LinkAt<'_, '_, 'a> {
    fn blocked(&mut self, dest: &str, is_image: bool) -> bool {
        self.pass.blocked(dest, self.span.clone(), is_image)
    }

    fn rewrite(&mut self, dest: CowStr<'a>, is_image: bool) -> CowStr<'a> {
        self.pass.link(dest, self.span.clone(), is_image)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LinkTarget;

    fn parse_page(path: &str, body: &str) -> Document {
        parse_page_for(path, body, Output::Html)
    }

    fn parse_page_for(path: &str, body: &str, output: Output) -> Document {
        let pages =
            ["README.md", "guide/setup.md", "guide/README.md", "other.md"].map(String::from);
        let routes = Routes::new(pages.iter());
        let url = crate::routes::page_url(path);
        let page = PageRef {
            source_path: path,
            url: &url,
            body_start: 0,
            file_text: body,
        };
        let embeds = Embeds::default();
        parse(
            &page,
            &ParseContext {
                routes: &routes,
                embeds: &embeds,
                output,
                trusted_html: false,
                max_nesting: 100,
                guide: None,
            },
            body,
        )
    }

    #[test]
    fn wiki_links_become_links_to_the_pages_they_name() {
        let doc = parse_page(
            "guide/README.md",
            "See [[setup]], [[Setup#First Steps|how to start]], [[#Here]], [[Other]] and \
             [[Gone]], [[javascript:alert(1)]].\n\n`[[in code]]`\n",
        );
        assert!(
            doc.html.contains(r##"<a href="setup.html">setup</a>"##),
            "{}",
            doc.html
        );
        assert!(
            doc.html
                .contains(r##"<a href="setup.html#first-steps">how to start</a>"##),
            "{}",
            doc.html
        );
        assert!(doc.html.contains(r##"<a href="#here">"##), "{}", doc.html);
        assert!(
            doc.html.contains(r##"<a href="../other.html">Other</a>"##),
            "{}",
            doc.html
        );
        // A name no page has links to the file it would be (check reports it),
        // never to the name as written.
        assert!(
            doc.html.contains(r##"<a href="Gone.html">Gone</a>"##),
            "{}",
            doc.html
        );
        assert!(
            doc.html
                .contains(r##"href="javascript%3Aalert%281%29.html""##),
            "{}",
            doc.html
        );
        assert!(
            doc.html.contains("<code>[[in code]]</code>"),
            "{}",
            doc.html
        );
        let targets: Vec<(&str, &LinkTarget)> = doc
            .links
            .iter()
            .map(|l| (l.dest.as_str(), &l.target))
            .collect();
        assert_eq!(
            targets[1],
            (
                "[[Setup#First Steps]]",
                &LinkTarget::Page {
                    path: "guide/setup.md".into(),
                    fragment: Some("first-steps".into())
                }
            )
        );
        assert_eq!(
            targets[4].1,
            &LinkTarget::Page {
                path: "guide/Gone.md".into(),
                fragment: None
            }
        );
    }

    #[test]
    fn ids_of_raw_html_are_anchors_apart_from_the_headings_numbering() {
        let doc = parse_page("p.md", "<a id=\"stable\"></a>\n\n## Stable\n\nText <span id='inline'>x</span> data-id=\"no\"\n");
        assert_eq!(doc.ids, ["inline", "stable"]);
        assert!(
            doc.html.contains("<h2 id=\"stable\">"),
            "as on GitHub: {}",
            doc.html
        );
    }

    #[test]
    fn html_ids_that_a_heading_or_an_earlier_element_has_are_noted() {
        let body = "## Setup\n\n<a id=\"setup\"></a>\n\nA <span id=\"x\">a</span> and <b id=\"x\">b</b>, <i id=\"y\">y</i>.\n";
        let doc = parse_page("p.md", body);
        let found: Vec<(&str, &str, &str)> = doc
            .duplicate_html_ids
            .iter()
            .map(|(id, at, first)| (id.as_str(), &body[*at..*at + id.len()], first.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("setup", "setup", "the heading on line 1"),
                ("x", "x", "the HTML element on line 5"),
            ]
        );
        assert_eq!(
            body[..doc.duplicate_html_ids[1].1].matches("id=").count(),
            3,
            "the second x"
        );
        assert_eq!(doc.ids, ["setup", "x", "y"]);
    }

    #[test]
    fn a_heading_that_slugs_to_nothing_gets_no_empty_id_or_anchor() {
        let doc = parse_page("p.md", "## 🚀\n\n## 🚀\n\n## ???\n");
        assert!(!doc.html.contains("id=\"\""), "{}", doc.html);
        assert!(!doc.html.contains("href=\"#\""), "{}", doc.html);
        assert!(doc.html.contains("<h2>🚀</h2>"), "{}", doc.html);
        // The others keep GitHub's numbering.
        assert!(doc.html.contains("<h2 id=\"-1\">🚀<a"), "{}", doc.html);
        assert!(doc.html.contains("<h2 id=\"-2\">???<a"), "{}", doc.html);
    }

    #[test]
    fn heading_lines_count_every_newline_before_them() {
        let body = "Intro[^n]\r\n\r\nSetext\r\n===\r\n\r\n- item\n\n  ## In a list\n\n\
                    [^n]: A note\n\n> ## Quoted\n\n```\n# not a heading\n```\n\n#### Last\n";
        let doc = parse_page("p.md", body);
        let naive = |text: &str| 1 + body[..body.find(text).unwrap()].matches('\n').count();
        let lines: Vec<_> = doc
            .headings
            .iter()
            .map(|h| (h.text.as_str(), h.line))
            .collect();
        let expected: Vec<_> = ["Setext", "In a list", "Quoted", "Last"]
            .into_iter()
            .map(|t| (t, naive(t)))
            .collect();
        assert_eq!(lines, expected);
    }

    #[test]
    fn heading_ids_follow_github_and_dedupe() {
        let doc = parse_page(
            "other.md",
            "# Notes\n\n## Notes\n\n## Notes {#custom}\n\n## Notes\n",
        );
        let ids: Vec<_> = doc.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["notes", "notes-1", "custom", "notes-2"]);
        let lines: Vec<_> = doc.headings.iter().map(|h| h.line).collect();
        assert_eq!(lines, [1, 3, 5, 7]);
        assert!(
            doc.html
                .contains("<h2 id=\"notes-1\">Notes<a class=\"heading-anchor\" href=\"#notes-1\""),
            "{}",
            doc.html
        );
    }

    #[test]
    fn heading_text_includes_code_and_link_text() {
        let doc = parse_page("other.md", "## Run `make` with [CI](https://ci.example)\n");
        assert_eq!(doc.headings[0].text, "Run make with CI");
        assert_eq!(doc.headings[0].id, "run-make-with-ci");
        assert!(doc.html.contains("<code>make</code>"));
    }

    #[test]
    fn md_links_are_rewritten_and_recorded() {
        let doc = parse_page("guide/setup.md", "See [home](../README.md), [other](../other.md#a-b), [site](https://x.org) and [gone](gone.md).\n");
        assert!(doc.html.contains("href=\"../index.html\""), "{}", doc.html);
        assert!(doc.html.contains("href=\"../other.html#a-b\""));
        assert!(doc.html.contains("href=\"https://x.org\""));
        assert!(
            doc.html.contains("href=\"gone.md\""),
            "unknown pages stay as written"
        );
        assert_eq!(doc.links.len(), 4);
        assert_eq!(
            doc.links[1].target,
            LinkTarget::Page {
                path: "other.md".into(),
                fragment: Some("a-b".into())
            }
        );
        assert_eq!(
            &"See [home](../README.md)"[doc.links[0].span.clone()],
            "[home](../README.md)"
        );
    }

    #[test]
    fn link_spans_include_the_front_matter_offset() {
        let file = "---\ntitle: T\n---\n[x](other.md)\n";
        let body_start = file.find('[').unwrap();
        let routes = Routes::new(["other.md".to_string()].iter());
        let page = PageRef {
            source_path: "a.md",
            url: "a.html",
            body_start,
            file_text: file,
        };
        let embeds = Embeds::default();
        let doc = parse(
            &page,
            &ParseContext {
                routes: &routes,
                embeds: &embeds,
                output: Output::Html,
                trusted_html: false,
                max_nesting: 100,
                guide: None,
            },
            &file[body_start..],
        );
        assert_eq!(&file[doc.links[0].span.clone()], "[x](other.md)");
    }

    #[test]
    fn task_lists_get_github_classes() {
        let doc = parse_page("other.md", "- [ ] open\n- [x] done\n- plain\n");
        assert!(
            doc.html.contains("<ul class=\"contains-task-list\">"),
            "{}",
            doc.html
        );
        assert_eq!(
            doc.html.matches("<li class=\"task-list-item\">").count(),
            2,
            "{}",
            doc.html
        );
        assert!(doc.html.contains("checked"));
    }

    #[test]
    fn gfm_tables_strikethrough_footnotes() {
        let doc = parse_page(
            "other.md",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new[^1]\n\n[^1]: A note.\n",
        );
        assert!(doc.html.contains("<table>"));
        assert!(doc.html.contains("<del>old</del>"));
        assert!(doc.html.contains("footnote"));
    }

    #[test]
    fn code_is_highlighted_and_kept_out_of_search_text() {
        let text = "Intro.\n\n```yaml\nsecret_word: 1\n```\n";
        assert!(parse_page("other.md", text).html.contains("language-yaml"));
        let doc = parse_page_for("other.md", text, Output::SearchText);
        assert!(doc.html.is_empty(), "the first pass makes no HTML");
        assert_eq!(doc.sections[0].text, "Intro.");
    }

    #[test]
    fn search_sections_split_at_headings() {
        let doc = parse_page_for(
            "other.md",
            "Top text.\n\n# Title\n\nOne *two*.\n\n## Sub\n\n- a\n- b\n  - c\n\nSteps:\n\n1. d\n",
            Output::SearchText,
        );
        let got: Vec<_> = doc
            .sections
            .iter()
            .map(|s| (s.heading.as_ref().map(|h| h.0.as_str()), s.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (None, "Top text."),
                (Some("title"), "One two."),
                // List items stay apart in search snippets; none after a colon.
                (Some("sub"), "a · b · c · Steps: d")
            ]
        );
    }

    #[test]
    fn tag_filter_applies_to_raw_html_only_and_records_where() {
        let body = "A <STYLE> b <style/> c <style media=x>\n\n> q <textarea>\n\n`<style>` and\n\n    <title>\n\n```\n<xmp>\n```\n\n## After\n";
        let doc = parse_page("other.md", body);
        assert!(
            doc.html
                .contains("A &lt;STYLE&gt; b &lt;style/&gt; c &lt;style media=x&gt;"),
            "{}",
            doc.html
        );
        assert!(doc.html.contains("q &lt;textarea&gt;"), "{}", doc.html);
        assert!(
            doc.html.contains("<code>&lt;style&gt;</code>"),
            "{}",
            doc.html
        );
        assert!(doc.html.contains("&lt;title&gt;\n</code>"), "{}", doc.html);
        assert!(doc.html.contains("&lt;xmp&gt;\n</code>"), "{}", doc.html);
        assert!(doc.html.contains("<h2 id=\"after\">"), "{}", doc.html);
        let found: Vec<&str> = doc
            .filtered_tags
            .iter()
            .map(|&(at, len)| &body[at..at + len])
            .collect();
        assert_eq!(found, ["<STYLE", "<style", "<style", "<textarea"]);
        for (body, want) in [
            (
                "# A\n\n<style> goes in the head.\n\n## B\n",
                Some((5, "style")),
            ),
            ("# A\n\n<PRE>\nx\n\n## B\n", Some((5, "pre"))),
            ("# A\n\n<style>\np{}\n</style>\n\n## B\n", None),
            ("# A\n\n<styles>\n\n## B\n", None),
            ("# A\n\n> <script>\n\n## B\n", None),
        ] {
            assert_eq!(parse_page("other.md", body).runaway_html, want, "{body:?}");
        }
        let heading = parse_page("other.md", "## Use <style> here\n");
        assert_eq!(
            heading.headings[0].id, "use-style-here",
            "as GitHub slugs it"
        );
        let model = parse_page_for("other.md", body, Output::Model);
        assert_eq!(
            model.filtered_tags, doc.filtered_tags,
            "check sees the same"
        );
    }

    #[test]
    fn footnotes_get_their_own_ids_in_every_pass() {
        let body = "Text[^Why] and[^ why ] and[^].\n\n## Why\n\n[^why]: Because.\n";
        let doc = parse_page("other.md", body);
        assert!(
            doc.html
                .contains("<a href=\"#fn-why\" id=\"fnref-why\">1</a>"),
            "{}",
            doc.html
        );
        assert!(
            doc.html
                .contains("<a href=\"#fn-why\" id=\"fnref-why-1\">1</a>"),
            "{}",
            doc.html
        );
        assert!(
            doc.html
                .contains("<div class=\"footnote-definition\" id=\"fn-why\">"),
            "{}",
            doc.html
        );
        assert!(doc.html.contains("<h2 id=\"why\">"), "{}", doc.html);
        assert!(
            doc.html
                .contains("href=\"#fnref-why\" class=\"footnote-backref\""),
            "{}",
            doc.html
        );
        for id in ["why", "fn-why", "fnref-why", "fnref-why-1"] {
            assert!(doc.ids.contains(&id.to_string()), "{id} in {:?}", doc.ids);
        }
        assert!(doc.duplicate_ids.is_empty());
        let model = parse_page_for("other.md", body, Output::Model);
        assert_eq!(model.ids, doc.ids, "check sees the ids the page has");
    }

    #[test]
    fn explicit_ids_that_clash_are_recorded_with_the_first_holder() {
        let body = "## Setup\n\nA[^n].\n\n## Again {#setup}\n\n## X {#fn-n}\n\n[^n]: N.\n";
        let doc = parse_page_for("other.md", body, Output::Model);
        let got: Vec<(&str, &str, &str)> = doc
            .duplicate_ids
            .iter()
            .map(|(id, at, first)| (id.as_str(), &body[*at..*at + 1 + id.len()], first.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("setup", "#setup", "the heading on line 1"),
                ("fn-n", "#fn-n", "the footnote [^n] (line 3)")
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn whitespace_collapses_as_split_whitespace_joined(
            text in "(\\PC|\\s|\u{0B}|\u{85}|\u{a0}|\u{2028}|\u{3000}|a|é){0,40}",
        ) {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(collapse_whitespace(&text), expected);
        }

        #[test]
        fn url_starts_are_the_first_of_the_three_prefixes(
            text in "(https?://|www\\.|h|w|é|x| |\\.){0,24}",
            from in 0usize..40,
        ) {
            let from = (0..=from.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let naive = ["https://", "http://", "www."]
                .iter()
                .filter_map(|p| text[from..].find(p).map(|i| from + i))
                .min();
            proptest::prop_assert_eq!(next_url_start(&text, from), naive);
        }
    }

    #[test]
    fn bare_urls_are_found_as_github_finds_them() {
        fn urls(t: &str) -> Vec<&str> {
            autolinks(t).into_iter().map(|(a, b)| &t[a..b]).collect()
        }
        assert_eq!(urls("go to www.example.com, then"), ["www.example.com"]);
        assert_eq!(urls("x https://a.b/c?d=1&e=2!"), ["https://a.b/c?d=1&e=2"]);
        assert!(urls("nohttps://a.b and http://localhost and www. alone").is_empty());
        assert!(urls("é https://").is_empty());
        assert_eq!(urls("ünïcode http://a.b/é"), ["http://a.b/é"]);
    }

    #[test]
    fn bare_urls_become_links_but_not_inside_links_or_code() {
        let doc = parse_page(
            "p.md",
            "Issue - https://github.com/o/r/issues/5*\n\n[https://a.b/x](https://a.b/y) `https://c.d` www.e.org\n",
        );
        assert!(
            doc.html.contains(
                "<a href=\"https://github.com/o/r/issues/5\">https://github.com/o/r/issues/5</a>*"
            ),
            "{}",
            doc.html
        );
        assert!(
            doc.html
                .contains("<a href=\"https://a.b/y\">https://a.b/x</a>"),
            "{}",
            doc.html
        );
        assert!(
            doc.html.contains("<code>https://c.d</code>"),
            "{}",
            doc.html
        );
        assert!(
            doc.html
                .contains("<a href=\"http://www.e.org\">www.e.org</a>"),
            "{}",
            doc.html
        );
        let dests: Vec<&str> = doc.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(
            dests,
            [
                "https://github.com/o/r/issues/5",
                "https://a.b/y",
                "http://www.e.org"
            ]
        );
        let first = &doc.links[0];
        assert_eq!(
            &"Issue - https://github.com/o/r/issues/5*"[first.span.clone()],
            "https://github.com/o/r/issues/5"
        );
    }

    #[test]
    fn title_prefers_h1() {
        let doc = parse_page("other.md", "## Second\n\n# First\n");
        assert_eq!(first_heading_title(&doc), Some("First"));
    }
}
