//! Release-note scaffolds from the canonical spec (`release-notes.yaml`):
//! the title with version and date, then exactly the sections the release
//! type needs, each with its prompt and template.

use crate::checklist::{ReleaseNoteSpec, ReleaseType};

/// The Markdown scaffold for one release.
pub fn scaffold(
    spec: &ReleaseNoteSpec,
    version: &str,
    date: &str,
    release_type: ReleaseType,
) -> String {
    let title = spec
        .title
        .replace("{version}", version)
        .replace("{date}", date);
    let mut out = format!("# {title}\n\n");
    out.push_str(&format!(
        "<!-- A {} release. Replace each prompt with the real content; delete a section only if it truly has nothing to say. -->\n",
        release_type.as_str()
    ));
    for section in spec
        .sections
        .iter()
        .filter(|s| s.types.is_empty() || s.types.contains(&release_type))
    {
        out.push_str(&format!("\n## {}\n\n", section.title));
        out.push_str(&format!("_{}_\n", section.prompt.trim_end()));
        if !section.template.trim().is_empty() {
            out.push('\n');
            out.push_str(section.template.trim_end());
            out.push('\n');
        }
    }
    out
}

/// Whether `version` is a semantic version (`1.4.0`, `2.0.0-rc.1`, `1.0.0+build.5`).
pub fn is_semver(version: &str) -> bool {
    semver::Version::parse(version).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::ReleaseNoteSection;

    fn spec() -> ReleaseNoteSpec {
        let section = |id: &str, types: Vec<ReleaseType>, template: &str| ReleaseNoteSection {
            id: id.into(),
            title: id.to_uppercase(),
            prompt: format!("Write the {id}."),
            types,
            template: template.into(),
            owners: Vec::new(),
            sources: Vec::new(),
        };
        ReleaseNoteSpec {
            title: "Release {version} — {date}".into(),
            sections: vec![
                section("summary", vec![], ""),
                section(
                    "breaking",
                    vec![ReleaseType::Major],
                    "**Action Required:**\n- [change]",
                ),
            ],
        }
    }

    #[test]
    fn sections_follow_the_release_type() {
        let patch = scaffold(&spec(), "1.2.3", "2026-01-31", ReleaseType::Patch);
        assert!(patch.starts_with("# Release 1.2.3 — 2026-01-31\n"));
        assert!(patch.contains("## SUMMARY\n\n_Write the summary._\n"));
        assert!(!patch.contains("BREAKING"));
        let major = scaffold(&spec(), "2.0.0", "2026-01-31", ReleaseType::Major);
        assert!(major.contains(
            "## BREAKING\n\n_Write the breaking._\n\n**Action Required:**\n- [change]\n"
        ));
    }

    #[test]
    fn semantic_versions() {
        for good in ["1.0.0", "0.1.0", "2.0.0-rc.1", "1.0.0+build.5"] {
            assert!(is_semver(good), "{good}");
        }
        for bad in ["1.0", "v1.0.0", "1.0.0.0", "", "latest"] {
            assert!(!is_semver(bad), "{bad}");
        }
    }
}
