//! `playbook release-notes`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use playbook::checklist::ReleaseType;
use playbook::config::display;
use playbook::release_notes::{self as notes, is_semver};
use playbook::runs::{Run, RunFile, RunVersion};
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
    /// The release type: decides which sections the scaffold has [default:
    /// from the commits with --since (breaking → major, feat → minor, else
    /// patch), minor without].
    #[arg(long = "type", value_name = "TYPE")]
    release_type: Option<TypeArg>,
    /// Fill the sections from the commits since REV (a tag, a branch or a
    /// commit id) up to HEAD, read as Conventional Commits.
    #[arg(long, value_name = "REV")]
    since: Option<String>,
    /// Prefill Known Issues from the release run of VERSION (its skipped
    /// items and their reasons); the run's release type is the default.
    #[arg(long)]
    run: bool,
    /// Print the template's context as JSON instead of the scaffold.
    #[arg(long)]
    context: bool,
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
    let (config, site) = super::load_project(&args.project)?;
    let Some(spec) = &site.release_notes else {
        return Err(Error::Content("the content has no release-notes.yaml\nhelp: `playbook reconcile` writes one from the guide's release-note templates; or write it by hand (see README.md)".to_string()));
    };
    let commits = match &args.since {
        Some(since) => {
            let commits = playbook::git::commits_since(&config.root, since)?;
            Some(notes::parse_commits(&commits))
        }
        None => None,
    };
    let run = if args.run {
        let version = RunVersion::parse(&args.release_version).map_err(Error::Usage)?;
        let file = RunFile::new(&config.runs_dir(), &version);
        Some((file.load()?, file.shown))
    } else {
        None
    };
    let release_type = release_type(args.release_type, run.as_ref(), commits.as_deref());
    let mut context = notes::context(spec, &args.release_version, &date, release_type);
    if let (Some(commits), Some(since)) = (commits, &args.since) {
        context.since = Some(since.clone());
        let mapping = spec.commits.clone().unwrap_or_default();
        notes::place_commits(&mut context, commits, &mapping);
    }
    if let Some((run, _)) = &run {
        context.known_issues = notes::known_issues(run);
    }
    let text = if args.context {
        let json = serde_json::to_string_pretty(&context)
            .map_err(|e| Error::Io(anyhow::anyhow!("cannot write the context as JSON: {e}")))?;
        json + "\n"
    } else {
        let templates = playbook::build::compile_templates(&config)?;
        templates
            .render_text(notes::TEMPLATE_NAME, &context)
            .map_err(|d| playbook::build::template_failure(*d, &templates))?
    };
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

/// The release type: `--type`, else the run's, else what the commits call
/// for (said on stderr), else minor.
fn release_type(
    given: Option<TypeArg>,
    run: Option<&(Run, String)>,
    commits: Option<&[(notes::CommitView, bool)]>,
) -> ReleaseType {
    let (chosen, why) = match (given, run, commits) {
        (Some(given), _, _) => return ReleaseType::from(given),
        (None, Some((run, shown)), _) => (
            run.release_type,
            format!("the run {shown} was started as one"),
        ),
        (None, None, Some(commits)) => {
            let inferred = notes::infer_type(commits);
            (inferred, type_reason(inferred).to_string())
        }
        (None, None, None) => return ReleaseType::Minor,
    };
    if !super::quiet() {
        eprintln!(
            "release type: {} ({why}); pass --type to choose another",
            chosen.as_str()
        );
    }
    chosen
}

/// Why the commits call for this release type.
fn type_reason(release_type: ReleaseType) -> &'static str {
    match release_type {
        ReleaseType::Major => "the commits have a breaking change",
        ReleaseType::Minor => "the commits add a feature and break nothing",
        ReleaseType::Patch => "the commits add no feature and break nothing",
    }
}
