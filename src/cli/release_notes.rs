//! `playbook release-notes`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use playbook::checklist::ReleaseType;
use playbook::config::display;
use playbook::release_notes::{is_semver, scaffold};
use playbook::write::write_file_atomically;

use super::checklist::TypeArg;
use super::{Error, ProjectArgs};

#[derive(Args)]
pub struct ReleaseNotesArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// The release's semantic version, e.g. 2.4.0.
    #[arg(value_name = "VERSION", id = "release_version")]
    release_version: String,
    /// The release type: decides which sections the scaffold has [default: minor].
    #[arg(long = "type", value_name = "TYPE")]
    release_type: Option<TypeArg>,
    /// The release date, YYYY-MM-DD [default: today, UTC].
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Overwrite --out if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: &ReleaseNotesArgs) -> Result<ExitCode, Error> {
    if !is_semver(&args.release_version) {
        return Err(Error::Usage(format!("{:?} is not a semantic version\nhelp: write MAJOR.MINOR.PATCH, such as 2.4.0 or 3.0.0-rc.1 (no leading `v`)", args.release_version)));
    }
    let date = match &args.date {
        Some(date) => match time::Date::parse(
            date,
            time::macros::format_description!("[year]-[month]-[day]"),
        ) {
            Ok(_) => date.clone(),
            Err(_) => {
                return Err(Error::Usage(format!(
                    "{date:?} is not a date\nhelp: write it as YYYY-MM-DD, such as 2026-03-31"
                )))
            }
        },
        None => today(),
    };
    if let Some(out) = &args.out {
        if out.exists() && !args.force {
            return Err(Error::Usage(format!(
                "{} already exists\nhelp: choose another --out, or pass --force to replace it",
                display(out)
            )));
        }
    }
    let (_, site) = super::load_project(&args.project)?;
    let Some(spec) = &site.release_notes else {
        return Err(Error::Content("the content has no release-notes.yaml\nhelp: `playbook reconcile` writes one from the guide's release-note templates; or write it by hand (see README.md)".to_string()));
    };
    let release_type = args
        .release_type
        .map_or(ReleaseType::Minor, ReleaseType::from);
    let text = scaffold(spec, &args.release_version, &date, release_type);
    match &args.out {
        Some(out) => {
            write_file_atomically(out, text.as_bytes())?;
            if !super::quiet() {
                eprintln!("wrote {}", display(out));
            }
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn today() -> String {
    let date = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}
