//! The `playbook` command; see `playbook --help`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
