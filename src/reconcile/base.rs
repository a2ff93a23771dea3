//! `--base DIR`: merge a reconcile result into an existing canonical tree
//! without losing the hand edits made there. The base wins wherever it
//! already says something: its pages, item wordings, owners and roles are
//! kept; what is new (items, groups, checklists, roles, aliases, release-note
//! sections, pages) is added with its provenance. A file with nothing new is
//! kept byte for byte, comments and all.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use walkdir::WalkDir;

use super::text::same_item;
use super::Outcome;
use crate::checklist::{Checklist, ReleaseNoteSpec, RolesFile};
use crate::structured::{is_checklist_path, RELEASE_NOTES_FILE, ROLES_FILE};

/// Lay `outcome` over the tree in `base`; `outcome.files` becomes the whole new tree.
pub fn merge_with_base(base: &Path, outcome: &mut Outcome) -> anyhow::Result<()> {
    let (base_files, binary) = read_tree(base)?;
    outcome.binary = binary;
    let mut merged = BTreeMap::new();
    for (path, base_text) in &base_files {
        let new_text = outcome.files.get(path);
        let text = match new_text {
            None => base_text.clone(),
            Some(new_text) if new_text == base_text => base_text.clone(),
            Some(new_text) => merge_file(path, base_text, new_text)
                .with_context(|| format!("cannot merge into {}", base.join(path).display()))?,
        };
        merged.insert(path.clone(), text);
    }
    for (path, text) in &outcome.files {
        merged.entry(path.clone()).or_insert_with(|| text.clone());
    }
    outcome.files = merged;
    Ok(())
}

/// The base version of a file, with what the new version adds.
fn merge_file(path: &str, base: &str, new: &str) -> anyhow::Result<String> {
    if is_checklist_path(path) {
        let mut kept: Checklist = serde_norway::from_str(base)?;
        let fresh: Checklist = serde_norway::from_str(new)?;
        return Ok(if merge_checklist(&mut kept, fresh) {
            serde_norway::to_string(&kept)?
        } else {
            base.to_string()
        });
    }
    if path == ROLES_FILE {
        let mut kept: RolesFile = serde_norway::from_str(base)?;
        let fresh: RolesFile = serde_norway::from_str(new)?;
        return Ok(if merge_roles(&mut kept, fresh) {
            serde_norway::to_string(&kept)?
        } else {
            base.to_string()
        });
    }
    if path == RELEASE_NOTES_FILE {
        let mut kept: ReleaseNoteSpec = serde_norway::from_str(base)?;
        let fresh: ReleaseNoteSpec = serde_norway::from_str(new)?;
        let mut changed = false;
        for section in fresh.sections {
            if !kept.sections.iter().any(|s| s.id == section.id) {
                kept.sections.push(section);
                changed = true;
            }
        }
        return Ok(if changed {
            serde_norway::to_string(&kept)?
        } else {
            base.to_string()
        });
    }
    // Pages and anything else: the base is the hand-edited truth.
    Ok(base.to_string())
}

/// Add what `fresh` has that `kept` lacks; returns whether anything changed.
fn merge_checklist(kept: &mut Checklist, fresh: Checklist) -> bool {
    let mut changed = false;
    for group in fresh.groups {
        for item in group.items {
            let existing = kept
                .groups
                .iter_mut()
                .flat_map(|g| g.items.iter_mut())
                .find(|k| {
                    k.id == item.id || (!item.text.is_empty() && same_item(&k.text, &item.text))
                });
            match existing {
                Some(existing) => {
                    for source in &item.sources {
                        if !existing.sources.contains(source) {
                            existing.sources.push(source.clone());
                            changed = true;
                        }
                    }
                }
                None => {
                    changed = true;
                    match kept.groups.iter_mut().find(|g| g.id == group.id) {
                        Some(target) => target.items.push(item),
                        None => kept.groups.push(crate::checklist::Group {
                            id: group.id.clone(),
                            title: group.title.clone(),
                            timing: group.timing.clone(),
                            phase: group.phase,
                            types: group.types.clone(),
                            items: vec![item],
                        }),
                    }
                }
            }
        }
    }
    changed
}

fn merge_roles(kept: &mut RolesFile, fresh: RolesFile) -> bool {
    let mut changed = false;
    for role in fresh.roles {
        let spellings: Vec<String> = std::iter::once(role.name.clone())
            .chain(role.aliases.iter().cloned())
            .collect();
        let existing = kept.roles.iter_mut().find(|k| {
            k.id == role.id
                || spellings.iter().any(|s| {
                    s.eq_ignore_ascii_case(&k.name)
                        || k.aliases.iter().any(|a| a.eq_ignore_ascii_case(s))
                })
        });
        match existing {
            Some(existing) => {
                for spelling in spellings {
                    let known = spelling.eq_ignore_ascii_case(&existing.name)
                        || existing
                            .aliases
                            .iter()
                            .any(|a| a.eq_ignore_ascii_case(&spelling));
                    if !known {
                        existing.aliases.push(spelling);
                        changed = true;
                    }
                }
            }
            None => {
                kept.roles.push(role);
                changed = true;
            }
        }
    }
    changed
}

/// Every file under `dir` (content-relative path → text), hidden ones
/// skipped; files that are not UTF-8 text (images) come back as bytes.
type Tree = (BTreeMap<String, String>, BTreeMap<String, Vec<u8>>);

fn read_tree(dir: &Path) -> anyhow::Result<Tree> {
    let mut files = BTreeMap::new();
    let mut binary = BTreeMap::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(entry.path())
            .with_context(|| format!("cannot read {}", entry.path().display()))?;
        match String::from_utf8(bytes) {
            Ok(text) => {
                files.insert(rel, text);
            }
            Err(err) => {
                binary.insert(rel, err.into_bytes());
            }
        }
    }
    Ok((files, binary))
}
