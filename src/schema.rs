//! JSON Schemas for the YAML files playbook reads, generated from the same
//! serde types that read them, so an editor can check a file as it is
//! typed. `schemas/*.schema.json` in the repository are these, printed by
//! `playbook schema NAME`; a test keeps them equal.
//!
//! A schema catches unknown keys and wrong types; `playbook check` stays
//! the authority (ids, roles, links and the exact URL rules).

use schemars::{JsonSchema, SchemaGenerator};

use crate::checklist::{Checklist, ReleaseNoteSpec, RolesFile};
use crate::config::Settings;

/// The files a schema describes, by the name `playbook schema` takes.
pub const NAMES: [&str; 5] = ["playbook", "checklist", "roles", "release-notes", "run"];

/// The schema called `name` (one of [`NAMES`]) as pretty JSON ending in a
/// newline, or `None` for any other name.
pub fn schema(name: &str) -> Option<String> {
    let (title, schema) = match name {
        "playbook" => ("playbook.yaml", generate::<Settings>()),
        "checklist" => ("checklists/*.yaml", generate::<Checklist>()),
        "roles" => ("roles.yaml", generate::<RolesFile>()),
        "release-notes" => ("release-notes.yaml", generate::<ReleaseNoteSpec>()),
        "run" => ("runs/*.yaml", generate::<crate::runs::Run>()),
        _ => return None,
    };
    let mut schema = schema;
    schema.insert("title".into(), title.into());
    let mut json = serde_json::to_string_pretty(&schema).expect("a schema is plain JSON");
    json.push('\n');
    Some(json)
}

fn generate<T: JsonSchema>() -> schemars::Schema {
    SchemaGenerator::default().into_root_schema_for::<T>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_has_a_schema_and_others_none() {
        for name in NAMES {
            let json = schema(name).expect(name);
            assert!(json.ends_with("}\n"), "{name}");
            assert!(json.contains("\"additionalProperties\": false"), "{name}");
        }
        assert_eq!(schema("nope"), None);
    }
}
