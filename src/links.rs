//! Markdown as every part of playbook reads it: one set of parser options
//! (CommonMark plus GitHub's extensions) for pages, checklist items, roles
//! and the release-note spec.

use pulldown_cmark::Options;

/// CommonMark plus the GitHub extensions writers expect.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}
