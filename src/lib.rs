//! playbook: a static documentation and checklist site generator for
//! release playbooks.
//!
//! The pipeline, one module per stage: [`config`] → `load` (walk and
//! read) → [`site_load`] (`frontmatter` and [`markdown`] parse, once; `nav`
//! orders) → [`check`] → [`render`] → [`write`](mod@write). [`build`] runs them in
//! order; [`incremental`] is `serve`'s in-memory and partial build. Errors
//! are [`error::Error`]; the CLI (`src/cli/`) prints them and exits with
//! [`error::Error::exit_code`].

#![warn(unreachable_pub)]

pub(crate) mod boxes;
pub mod build;
pub mod check;
pub mod checklist;
pub mod config;
pub mod conventional;
pub mod diagnostic;
pub mod embed;
pub mod error;
pub mod external;
pub(crate) mod frontmatter;
pub mod fs;
#[doc(hidden)]
pub mod fuzzing;
/// For `examples/markdown_floor.rs`: highlighting as a page build does it.
#[doc(hidden)]
pub fn highlight_code_block(lang: Option<&str>, code: &str) -> String {
    highlight::code_block(lang, code)
}
pub mod git;
pub(crate) mod highlight;
pub(crate) mod html;
pub(crate) mod ids;
pub mod incremental;
pub(crate) mod links;
pub(crate) mod load;
pub mod markdown;
pub mod model;
pub(crate) mod nav;
pub(crate) mod outputs;
pub mod ownership;
pub mod print_guide;
pub(crate) mod publishing;
pub mod reconcile;
pub mod release_notes;
pub mod render;
pub mod routes;
pub mod run;
pub mod run_pages;
pub mod runs;
pub(crate) mod sanitize;
pub mod schema;
pub(crate) mod search;
pub mod serve;
pub mod site_load;
pub mod slug;
pub(crate) mod structured;
pub mod theme;
pub mod views;
pub mod write;
pub(crate) mod yaml;
pub(crate) mod yaml_spans;
