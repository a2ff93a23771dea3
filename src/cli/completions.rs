//! `playbook completions SHELL`: the shell completion script, from the same
//! clap definition the parser uses, so it never goes stale.

use std::process::ExitCode;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Error};

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: &CompletionsArgs) -> Result<ExitCode, Error> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "playbook", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}
