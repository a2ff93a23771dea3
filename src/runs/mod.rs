//! Release runs: the state of one release's checklists (who ticked what,
//! and when), kept as a file in the repository (`content/runs/<version>.yaml`
//! by default), so git is its history and review.
//!
//! - [`model`]: the types ([`Run`], [`RunItem`], [`ItemState`], ...);
//! - [`parse`](mod@parse): a run file read, problems at file:line:col;
//! - [`format`](mod@format): a run written, one item per line, byte-identical for the same run;
//! - [`items`]: a run's items made from the playbook, and [`sync`] with it;
//! - [`resolve`](mod@resolve): which item a person means (id, item id, or text prefix);
//! - [`store`]: load, create and update a file under a lock, atomically;
//! - [`status`](mod@status): progress by phase and role, the release gate, sign-offs.

pub mod format;
pub mod import;
pub mod items;
pub mod load;
pub mod merge;
pub use crate::run as model;
pub mod parse;
pub mod report;
pub mod resolve;
pub mod status;
pub mod store;

pub use format::format;
pub use items::{drift, new_run, playbook_items, sync, Drift, NewRun};
pub use model::DEFAULT_RUNS_DIR;
pub use model::{ItemState, Run, RunDate, RunItem, RunVersion, Timestamp};
pub use parse::parse;
pub use report::{Evidence, StatusReport};
pub use resolve::{resolve, ResolveError};
pub use status::{passes, sign_offs, status, Progress, Selection, SignOff, Status};
pub use store::RunFile;
