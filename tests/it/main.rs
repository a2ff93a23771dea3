//! The one integration-test binary: every module runs the real `playbook`
//! binary (or the library) on fixture trees in temporary folders. One binary
//! links the crate once, where one per file linked it a dozen times.

mod common;

mod adversarial;
mod browser;
mod build;
mod check;
mod cli;
mod commands;
mod errors;
mod external;
mod fuzz_replay;
mod properties;
mod reconcile;
mod serve;
