//! `playbook reconcile`: merge diverging copies of a guide into one
//! canonical set of pages, roles, checklists and a release-note spec.

pub mod repair;
pub mod roles;
pub mod text;
pub mod variant;
