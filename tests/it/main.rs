//! The one integration-test binary: every module runs the real `playbook`
//! binary (or the library) on fixture trees in temporary folders. One binary
//! links the crate once, where one per file linked it a dozen times.
//!
//! `common` holds the temporary projects and `common::serve` the
//! `playbook serve` harness the serve and browser tests share; `test` holds
//! `Test`, the runner that checks the exit status of every run.

mod common;
mod test;

mod adversarial;
mod bench;
mod browser;
mod build;
mod check;
mod cli;
mod commands;
mod conventions;
mod errors;
mod external;
mod fuzz_replay;
mod habits;
mod parse_once;
mod print_all;
mod properties;
mod reconcile;
mod release_notes_git;
mod runs;
mod runs_merge;
mod runs_site;
mod schema;
mod serve;
mod site_conventions;
mod tidy;
