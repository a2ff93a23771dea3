//! `playbook checklist`.

use std::process::ExitCode;

use clap::{Args, ValueEnum};

use playbook::build::compile_templates;
use playbook::checklist::{ReleaseType, RoleEntry};
use playbook::render::{render_standalone_print, StandalonePrint};
use playbook::views;

use super::{Error, ProjectArgs};

#[derive(Args)]
pub struct ChecklistArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// The role, by id, name or alias (any case), or `all` for the whole release.
    #[arg(long, value_name = "ROLE")]
    role: String,
    /// Only the items this release type needs.
    #[arg(long = "type", value_name = "TYPE")]
    release_type: Option<TypeArg>,
    /// The release version, printed in the heading.
    #[arg(long, value_name = "VERSION")]
    release: Option<String>,
    /// Markdown task list (for a release issue) or a standalone printable HTML page.
    #[arg(long, value_name = "FORMAT", default_value = "md")]
    format: FormatArg,
}

/// `--type`: a [`ReleaseType`] as clap reads it. Its values are the
/// model's own (`ReleaseType::ALL`, spelled by `as_str`), so no list of
/// types is written twice; the model itself stays free of clap, which only
/// the CLI knows.
#[derive(Clone, Copy)]
pub struct TypeArg(ReleaseType);

/// Every release type, as `--type` values, in the model's order.
const TYPE_ARGS: [TypeArg; ReleaseType::ALL.len()] = {
    let mut out = [TypeArg(ReleaseType::ALL[0]); ReleaseType::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = TypeArg(ReleaseType::ALL[i]);
        i += 1;
    }
    out
};

impl ValueEnum for TypeArg {
    fn value_variants<'a>() -> &'a [Self] {
        &TYPE_ARGS
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.as_str()))
    }
}

impl From<TypeArg> for ReleaseType {
    fn from(t: TypeArg) -> Self {
        t.0
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Md,
    Html,
}

pub fn run(args: &ChecklistArgs) -> Result<ExitCode, Error> {
    let (config, site) = super::load_project(&args.project)?;
    let roles = site.embeds.roles.all();
    let role: Option<&RoleEntry> = if args.role.eq_ignore_ascii_case("all") {
        None
    } else {
        match site.embeds.roles.resolve(&args.role) {
            Some(role) => Some(role),
            None => {
                let mut message = format!("no role is called {:?}", args.role);
                if roles.is_empty() {
                    message.push_str("\nhelp: the content has no roles.yaml; use --role all");
                } else {
                    message
                        .push_str("\nhelp: choose one of these (by id, name or alias), or `all`:");
                    for r in roles {
                        let aliases = if r.aliases.is_empty() {
                            String::new()
                        } else {
                            format!(" (also: {})", r.aliases.join(", "))
                        };
                        message.push_str(&format!("\n  {:<22} {}{aliases}", r.id, r.name));
                    }
                }
                return Err(Error::Usage(message));
            }
        }
    };
    let release_type = args.release_type.map(ReleaseType::from);
    match args.format {
        FormatArg::Md => {
            let phases = match role {
                Some(role) => views::role_phases(&site, role),
                None => views::phases(&site),
            };
            let phases = views::for_type(phases, release_type);
            let who = role.map_or("Release checklist".to_string(), |r| {
                format!("{} checklist", r.name)
            });
            let mut title = who;
            if let Some(version) = &args.release {
                title.push_str(&format!(" — release {version}"));
            }
            if let Some(t) = release_type {
                title.push_str(&format!(" ({})", t.as_str()));
            }
            print!(
                "{}",
                views::markdown(&site, &title, &phases, role.map(|r| r.id.as_str()))
            );
            Ok(ExitCode::SUCCESS)
        }
        FormatArg::Html => {
            let templates = compile_templates(&config)?;
            let assets = playbook::theme::assets(&config.theme_dir)?;
            let text = |name: &str| {
                assets
                    .get(name)
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default()
            };
            let print = StandalonePrint {
                role,
                release_type,
                version: args.release.clone(),
                css: text("print-checklist.css"),
                js: text("checklist.js"),
            };
            let html = render_standalone_print(&site, &templates, print).map_err(|diagnostic| {
                Error::Invalid {
                    diagnostics: vec![*diagnostic],
                    sources: templates
                        .source_texts()
                        .map(|(o, t)| (o.to_string(), t.to_string()))
                        .collect(),
                }
            })?;
            print!("{html}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_release_type_is_a_type_value_spelled_as_the_model_spells_it() {
        for t in ReleaseType::ALL {
            let arg = TypeArg::from_str(t.as_str(), false).expect("a --type value");
            assert_eq!(ReleaseType::from(arg), t);
        }
        assert_eq!(TypeArg::value_variants().len(), ReleaseType::ALL.len());
        assert!(
            TypeArg::from_str("Major", false).is_err(),
            "case matters, as before"
        );
    }
}
