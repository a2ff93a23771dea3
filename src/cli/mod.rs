//! The command line: argument parsing, printing and exit codes. Nothing
//! below this module knows about any of them. Each command returns
//! `Result<ExitCode, Error>`; [`run`] is the one place an error is printed
//! and becomes the exit status ([`Error::exit_code`]).

mod build;
mod check;
mod checklist;
mod completions;
mod init;
mod output;
mod progress;
mod reconcile;
mod release_notes;
mod run;
mod schema;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use playbook::config::{Config, Paths};
use playbook::diagnostic::render_human;
pub use playbook::error::{Error, EXIT_PROBLEMS};
use playbook::model::Site;
use playbook::site_load::load_site;

/// Build a browsable playbook site, printable checklists and release notes
/// from Markdown and YAML.
#[derive(Parser)]
#[command(name = "playbook", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    output: output::OutputArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from the content folder into the output folder.
    ///
    /// The new site is written beside the output folder and swapped in only
    /// when complete, so a failed build leaves the previous site untouched.
    Build(build::BuildArgs),
    /// Check links, anchors, roles, checklists and front matter; the CI gate.
    ///
    /// Exit status 0 when there are no errors (warnings allowed), 1 when
    /// there are, 2 on usage or I/O errors.
    Check(check::CheckArgs),
    /// Merge diverging copies of a guide into one canonical set of pages,
    /// roles, checklists and a release-note spec.
    ///
    /// Mis-decoded text is repaired, sections are aligned by heading, items
    /// that say the same thing are merged with their owners and provenance,
    /// and a report lists every merge, every item without an owner and every
    /// link to a page none of the copies contains. Nothing is lost.
    Reconcile(reconcile::ReconcileArgs),
    /// Print one role's checklist, or the whole release's, for a release type.
    ///
    /// Markdown gives a GitHub task list to paste into a release issue; HTML
    /// gives a standalone page to print (A4 or Letter) with sign-off lines.
    Checklist(checklist::ChecklistArgs),
    /// Write a release-note scaffold from the playbook's release-note spec.
    ReleaseNotes(release_notes::ReleaseNotesArgs),
    /// Preview the site in a browser while you edit it.
    ///
    /// Builds the site into memory and serves it on 127.0.0.1 (port 3000 by
    /// default). Every change to the content, templates, theme or
    /// playbook.yaml rebuilds only the pages it affects and reloads the open
    /// pages; a build error is shown over the page and in the terminal, and
    /// the last good build stays served. Only GET and HEAD; nothing outside
    /// the built site is ever served. Ctrl-C stops it.
    Serve(serve::ServeArgs),
    /// Start a new playbook: a config, a page, roles, a checklist and a
    /// release-note spec that build and check clean at once.
    ///
    /// The folder must be missing or empty; nothing is ever overwritten.
    Init(init::InitArgs),
    /// Print a shell completion script to stdout.
    ///
    /// For example `playbook completions bash > ~/.local/share/bash-completion/completions/playbook`,
    /// or `playbook completions zsh > ~/.zfunc/_playbook`.
    Completions(completions::CompletionsArgs),
    /// Keep a release run: the state of this release's checklist items
    /// (who did what, when) in content/runs/VERSION.yaml.
    ///
    /// `run status` is the CI release gate (exit status 1 while a required
    /// item of the selection is open); `run export` gives the evidence for
    /// an audit. Times are UTC (PLAYBOOK_NOW overrides the clock).
    Run(run::RunArgs),
    /// Print the JSON Schema of one of the YAML files playbook reads.
    ///
    /// For editors: `playbook schema checklist > schemas/checklist.schema.json`,
    /// then point the YAML extension at it. The schema catches unknown keys
    /// and wrong types as you type; `playbook check` checks the rest.
    Schema(schema::SchemaArgs),
}

/// Where the project is; shared by every command that reads content.
#[derive(Args, Clone)]
pub struct ProjectArgs {
    /// The project folder: holds content/, and optionally templates/,
    /// themes/default/ and playbook.yaml.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// The folder of Markdown and YAML to build [default: ROOT/content].
    /// Any folder of plain Markdown works, such as a repository's docs/.
    #[arg(long, value_name = "DIR")]
    content: Option<PathBuf>,
}

impl ProjectArgs {
    fn paths(&self, out: Option<PathBuf>) -> Paths {
        Paths {
            root: self.root.clone(),
            content: self.content.clone(),
            out,
        }
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    output::set(&cli.output);
    let result = match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Reconcile(args) => reconcile::run(&args),
        Command::Checklist(args) => checklist::run(&args),
        Command::ReleaseNotes(args) => release_notes::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Run(args) => run::run(&args),
    };
    result.unwrap_or_else(|err| {
        print_error(&err);
        ExitCode::from(err.exit_code())
    })
}

/// Print an error for a person: diagnostics with their source lines, or
/// `error: ` and the message with its causes.
fn print_error(err: &Error) {
    match err {
        Error::Invalid {
            diagnostics,
            sources,
        } => eprint!("{}", render_human(diagnostics, sources, color_stderr())),
        Error::NothingWritten { cause, .. } => {
            print_error(cause);
            eprintln!("error: {err}");
        }
        other => eprintln!("error: {other}"),
    }
}

pub(crate) use output::{color_stderr, quiet, verbose};

/// Read the project's configuration and load its site.
fn load_project(project: &ProjectArgs) -> Result<(Config, Site), Error> {
    load_project_with(project, |_| {})
}

/// [`load_project`], the settings adjusted first.
fn load_project_with(
    project: &ProjectArgs,
    adjust: impl FnOnce(&mut Config),
) -> Result<(Config, Site), Error> {
    let mut config = Config::new(&project.paths(None))?;
    // The commands that load a site without building it never show its HTML.
    config.model_only = true;
    adjust(&mut config);
    let site = load_site(&config)?;
    Ok((config, site))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
