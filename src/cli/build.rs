//! `playbook build`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use playbook::build::{build, BuildError};
use playbook::config::{display, Config};
use playbook::diagnostic::render_human;

use super::ProjectArgs;

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

pub fn run(args: &BuildArgs) -> ExitCode {
    let started = Instant::now();
    let mut config = match Config::new(&args.project.paths(args.out.clone())) {
        Ok(config) => config,
        Err(err) => return super::report_config_error(err),
    };
    config.drafts = args.drafts;
    config.allow_broken = args.allow_broken;
    match build(&config) {
        Ok(report) => {
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
            if args.timings {
                for (stage, time) in &report.timings {
                    eprintln!("  {stage:<16} {:>8.1} ms", time.as_secs_f64() * 1000.0);
                }
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Invalid {
            diagnostics,
            sources,
        }) => {
            let code = super::report_problems(&diagnostics, &sources);
            eprintln!("error: the site was not built; the previous site, if any, is unchanged");
            code
        }
        Err(BuildError::Io(err)) => super::report_error(&err),
    }
}
