//! playbook: a static documentation and checklist site generator for
//! release playbooks.
//!
//! The pipeline, one module per stage: [`config`] → [`load`] (walk and
//! read) → [`site_load`] ([`frontmatter`] and [`markdown`] parse, once;
//! [`nav`] orders) → [`check`] → [`render`] → [`write`]. [`build`] runs them
//! in order; [`incremental`] is `serve`'s in-memory and partial build.

pub mod build;
pub mod check;
pub mod checklist;
pub mod config;
pub mod diagnostic;
pub mod embed;
pub mod error;
pub mod external;
pub mod frontmatter;
pub mod fs;
#[doc(hidden)]
pub mod fuzzing;
pub mod highlight;
pub mod html;
pub mod ids;
pub mod incremental;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod nav;
pub mod outputs;
pub mod ownership;
pub mod reconcile;
pub mod release_notes;
pub mod render;
pub mod routes;
pub mod sanitize;
pub mod search;
pub mod serve;
pub mod site_load;
pub mod slug;
pub mod structured;
pub mod theme;
pub mod views;
pub mod write;
pub mod yaml;
pub mod yaml_spans;
