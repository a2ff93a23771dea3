//! `playbook check`.

use std::process::ExitCode;

use clap::{Args, ValueEnum};

use playbook::build::{load_site, BuildError};
use playbook::check::{check_site, sources};
use playbook::config::Config;
use playbook::diagnostic::{
    render_github, render_human, render_json, render_sarif, Diagnostic, Sources,
};

use super::ProjectArgs;

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// How to print problems: for people, or for CI tools.
    #[arg(long, value_name = "FORMAT", default_value = "human")]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// path:line:col, the source line underlined, a hint; colour on a terminal.
    Human,
    /// One JSON document with every diagnostic.
    Json,
    /// GitHub Actions annotations.
    Github,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let config = match Config::new(&args.project.paths(None)) {
        Ok(config) => config,
        Err(err) => return super::report_config_error(err),
    };
    let (diagnostics, sources) = match load_site(&config) {
        Ok(site) => (check_site(&site), sources(&site)),
        Err(BuildError::Invalid {
            diagnostics,
            sources,
        }) => (diagnostics, sources),
        Err(BuildError::Io(err)) => return super::report_error(&err),
    };
    print(&diagnostics, &sources, args.format);
    if diagnostics.iter().any(Diagnostic::is_error) {
        ExitCode::from(super::EXIT_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    }
}

fn print(diagnostics: &[Diagnostic], sources: &Sources, format: Format) {
    match format {
        Format::Human => eprint!(
            "{}",
            render_human(diagnostics, sources, super::color_stderr())
        ),
        Format::Json => print!("{}", render_json(diagnostics)),
        Format::Github => print!("{}", render_github(diagnostics)),
        Format::Sarif => print!("{}", render_sarif(diagnostics)),
    }
}
