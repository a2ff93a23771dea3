//! Links in Markdown, the one way every part of playbook reads them: one
//! set of parser options (CommonMark plus GitHub's extensions) for pages,
//! checklist items, roles and the release-note spec; [`scan`] finds the
//! links of a text with where each starts; [`rewrite`] decides what a link
//! becomes in HTML, for pages and checklist items alike.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

/// CommonMark plus the GitHub extensions writers expect.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// A link or image found by [`scan`].
#[derive(Debug, PartialEq)]
pub(crate) struct Found<'a> {
    pub(crate) dest: CowStr<'a>,
    pub(crate) is_image: bool,
    /// Byte offset in the scanned text where the link starts.
    pub(crate) start: usize,
}

/// Every link and image in `markdown`, in order, parsed as pages are.
pub(crate) fn scan(markdown: &str) -> impl Iterator<Item = Found<'_>> {
    Parser::new_ext(markdown, options())
        .into_offset_iter()
        .filter_map(|(event, range)| {
            let (dest, is_image) = match event {
                Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
                Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
                _ => return None,
            };
            Some(Found {
                dest,
                is_image,
                start: range.start,
            })
        })
}

/// What a writer of HTML does with each link's destination.
pub(crate) trait Destinations<'a> {
    /// Whether following `dest` would run code (it is then dropped).
    fn blocked(&mut self, dest: &str, is_image: bool) -> bool;
    /// The destination to write for `dest`.
    fn rewrite(&mut self, dest: CowStr<'a>, is_image: bool) -> CowStr<'a>;
}

/// The event that starts a link or image in HTML: its destination
/// rewritten, or, when it would run code, a link without a URL (its text
/// stays) or an image without a source. Other tags pass unchanged.
pub(crate) fn rewrite<'a>(tag: Tag<'a>, with: &mut impl Destinations<'a>) -> Event<'a> {
    match tag {
        Tag::Link { dest_url, .. } if with.blocked(&dest_url, false) => Event::Html("<a>".into()),
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Event::Start(Tag::Link {
            link_type,
            dest_url: with.rewrite(dest_url, false),
            title,
            id,
        }),
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => {
            let dest_url = if with.blocked(&dest_url, true) {
                "".into()
            } else {
                with.rewrite(dest_url, true)
            };
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => Event::Start(other),
    }
}

/// The words of inline Markdown without its markup: what a reader sees,
/// for search, matching and plain-text reports.
pub(crate) fn plain_text(markdown: &str) -> String {
    Parser::new(markdown)
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_finds_links_and_images_where_they_start_with_the_page_options() {
        let text = "See [a](a.md) and ![i](i.png).\n\n| x |\n| - |\n| [t](t.md) |\n\n~~[s](s.md)~~ <https://x.y>\n";
        let found: Vec<(String, bool, usize)> = scan(text)
            .map(|f| (f.dest.to_string(), f.is_image, f.start))
            .collect();
        let at = |s: &str| text.find(s).unwrap();
        assert_eq!(
            found,
            [
                ("a.md".to_string(), false, at("[a]")),
                ("i.png".to_string(), true, at("![i]")),
                ("t.md".to_string(), false, at("[t]")),
                ("s.md".to_string(), false, at("[s]")),
                ("https://x.y".to_string(), false, at("<https")),
            ]
        );
    }

    struct Upper;

    impl<'a> Destinations<'a> for Upper {
        fn blocked(&mut self, dest: &str, _is_image: bool) -> bool {
            dest.starts_with("javascript:")
        }
        fn rewrite(&mut self, dest: CowStr<'a>, is_image: bool) -> CowStr<'a> {
            format!("{}{dest}", if is_image { "img:" } else { "link:" }).into()
        }
    }

    fn html(markdown: &str) -> String {
        let events = Parser::new_ext(markdown, options()).map(|event| match event {
            Event::Start(tag) => rewrite(tag, &mut Upper),
            other => other,
        });
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events);
        html
    }

    #[test]
    fn rewrite_changes_destinations_and_drops_code() {
        assert_eq!(html("[a](a.md)"), "<p><a href=\"link:a.md\">a</a></p>\n");
        assert_eq!(
            html("![i](i.png)"),
            "<p><img src=\"img:i.png\" alt=\"i\" /></p>\n"
        );
        assert_eq!(html("[x](javascript:alert(1))"), "<p><a>x</a></p>\n");
        assert_eq!(
            html("![x](javascript:1)"),
            "<p><img src=\"\" alt=\"x\" /></p>\n"
        );
    }
}
