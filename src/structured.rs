//! The YAML files with a meaning of their own, read into typed data:
//! `checklists/*.yaml`, `roles.yaml` and `release-notes.yaml`. Any other
//! YAML file is plain data for templates.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use crate::checklist::{Checklist, ReleaseNoteSpec, RoleIndex, RolesFile};
use crate::diagnostic::{Diagnostic, Sources};
use crate::embed::Embeds;
use crate::ids;

/// The folder of checklist files, relative to the content root.
pub(crate) const CHECKLISTS_DIR: &str = "checklists";
pub(crate) const ROLES_FILE: &str = "roles.yaml";
pub(crate) const RELEASE_NOTES_FILE: &str = "release-notes.yaml";

/// What the structured files hold.
#[derive(Debug, Default)]
pub(crate) struct Structured {
    pub embeds: Embeds,
    pub release_notes: Option<ReleaseNoteSpec>,
}

/// Whether a content-relative YAML path is a checklist file.
pub(crate) fn is_checklist_path(path: &str) -> bool {
    path.strip_prefix(CHECKLISTS_DIR)
        .is_some_and(|rest| rest.starts_with('/'))
        && (path.ends_with(".yaml") || path.ends_with(".yml"))
}

/// Whether a content-relative path is one of the structured files (their
/// YAML errors are reported by the typed reader, once).
pub(crate) fn is_structured(path: &str) -> bool {
    is_checklist_path(path) || path == ROLES_FILE || path == RELEASE_NOTES_FILE
}

/// Read the structured files among `files` (content-relative path → text).
pub(crate) fn read(
    files: &BTreeMap<String, String>,
    prefix: &str,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) -> Structured {
    let mut structured = Structured::default();
    let mut id_problems = Vec::new();
    for (path, text) in files {
        let shown = format!("{prefix}{path}");
        // A checklist of thousands of items can hold as many problems.
        let _placing = crate::diagnostic::placing_in(text);
        if is_checklist_path(path) {
            if let Some(mut checklist) = parse::<Checklist>(&shown, text, "invalid checklist", "a checklist has `id`, `title` and `groups`, each group `id`, `title` and `items`; see README.md", diagnostics, sources) {
                id_problems.extend(ids::checklist(&shown, text, &checklist));
                checklist.inherit_types();
                structured.embeds.checklists.insert(path.clone(), checklist);
            }
        } else if path == ROLES_FILE {
            if let Some(roles) = parse::<RolesFile>(&shown, text, "invalid roles file", "roles.yaml holds `roles:`, a list of entries with `id`, `name`, `aliases`, `summary` and `responsibilities`", diagnostics, sources) {
                id_problems.extend(ids::roles(&shown, text, &roles));
                structured.embeds.roles = RoleIndex::new(&roles.roles);
            }
        } else if path == RELEASE_NOTES_FILE {
            structured.release_notes = parse::<ReleaseNoteSpec>(&shown, text, "invalid release-note spec", "release-notes.yaml holds `title` and `sections`, each with `id`, `title`, `prompt` and optional `types`", diagnostics, sources);
            if let Some(spec) = &structured.release_notes {
                id_problems.extend(ids::release_notes(&shown, text, spec));
            }
        }
    }
    let checklists: Vec<_> = structured
        .embeds
        .checklists
        .iter()
        .map(|(path, checklist)| (format!("{prefix}{path}"), files[path].as_str(), checklist))
        .collect();
    id_problems.extend(ids::checklists_across_files(&checklists));
    let (duplicates, unsafe_ids): (Vec<_>, Vec<_>) = id_problems
        .into_iter()
        .partition(|d| d.code == ids::DUPLICATE);
    for problem in &unsafe_ids {
        let path = problem.path.strip_prefix(prefix).unwrap_or(&problem.path);
        if let Some(text) = files.get(path) {
            sources.insert(problem.path.clone(), text.clone());
        }
    }
    diagnostics.extend(unsafe_ids);
    structured.embeds.duplicate_ids = duplicates;
    structured
}

fn parse<T: DeserializeOwned>(
    shown: &str,
    text: &str,
    what: &str,
    hint: &str,
    diagnostics: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) -> Option<T> {
    match serde_norway::from_str::<T>(text) {
        Ok(value) => Some(value),
        Err(err) => {
            diagnostics.push(
                crate::yaml::diagnostic("data-file", shown, text, 0, &err, what).with_hint(hint),
            );
            sources.insert(shown.to_string(), text.to_string());
            None
        }
    }
}
