//! `playbook build`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use playbook::build::build;
use playbook::config::{display, Config};
use playbook::diagnostic::render_human;

use super::{Error, ProjectArgs};

#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// Where to write the site [default: ROOT/site]. It must be missing,
    /// empty, or a site a previous build wrote (it holds `.playbook-site`),
    /// which is then replaced wholesale.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Also publish pages marked `draft: true` in their front matter.
    #[arg(long)]
    drafts: bool,
    /// Print the time spent in each stage of the build.
    #[arg(long)]
    timings: bool,
    /// Publish even when the content has broken links or other errors `check` finds.
    #[arg(long)]
    allow_broken: bool,
}

pub fn run(args: &BuildArgs) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let mut config = Config::new(&args.project.paths(args.out.clone()))?;
    config.drafts = args.drafts;
    config.allow_broken = args.allow_broken;
    playbook::write::remove_staging_on_interrupt().map_err(Error::Io)?;
    let report = build(&config).map_err(|err| match err {
        Error::Invalid { .. } => Error::NothingWritten {
            cause: Box::new(err),
            note: "the site was not built; the previous site, if any, is unchanged",
        },
        other => other,
    })?;
    if super::quiet() {
        return Ok(ExitCode::SUCCESS);
    }
    if !report.problems.is_empty() {
        eprint!(
            "{}",
            render_human(
                &report.problems,
                &report.problem_sources,
                super::color_stderr()
            )
        );
    }
    eprintln!(
        "Built {} pages ({} files) into {} in {} ms",
        report.pages,
        report.files,
        display(&report.out_dir),
        started.elapsed().as_millis()
    );
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    if args.timings || super::verbose() {
        for (stage, time) in &report.timings {
            eprintln!("  {stage:<16} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
    Ok(ExitCode::SUCCESS)
}
