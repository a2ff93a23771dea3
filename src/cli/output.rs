//! The global output options (`--color`, `-q`, `-v`), decided once from the
//! command line and the environment, and read by every command.

use std::io::IsTerminal;
use std::sync::OnceLock;

use clap::{Args, ValueEnum};

/// When to colour diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour on a terminal, unless NO_COLOR is set (or CLICOLOR_FORCE forces it).
    #[default]
    Auto,
    /// Colour even into a pipe or a file (a CI log that shows colour).
    Always,
    /// Never colour.
    Never,
}

/// The options every command takes.
#[derive(Args, Clone, Copy, Debug)]
pub struct OutputArgs {
    /// When to colour diagnostics. `auto` honours NO_COLOR and CLICOLOR_FORCE.
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorWhen::Auto, global = true)]
    color: ColorWhen,
    /// Print only errors: no progress lines, no warnings.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: the time spent in each stage of a build.
    #[arg(short, long, global = true)]
    verbose: bool,
}

/// What was decided for this run.
struct Output {
    color: bool,
    quiet: bool,
    verbose: bool,
}

static OUTPUT: OnceLock<Output> = OnceLock::new();

/// Decide the output options once, at the start of the run.
pub fn set(args: &OutputArgs) {
    let env = |key: &str| std::env::var_os(key).filter(|v| !v.is_empty());
    let color = color_for(
        args.color,
        env("NO_COLOR").is_some(),
        env("CLICOLOR_FORCE").is_some_and(|v| v != "0"),
        std::io::stderr().is_terminal(),
    );
    let _ = OUTPUT.set(Output {
        color,
        quiet: args.quiet,
        verbose: args.verbose,
    });
}

/// Whether to colour: an explicit `always`/`never` wins; under `auto`,
/// NO_COLOR turns colour off, then CLICOLOR_FORCE turns it on, then a
/// terminal decides (https://no-color.org, https://bixense.com/clicolors).
fn color_for(when: ColorWhen, no_color: bool, force: bool, terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => !no_color && (force || terminal),
    }
}

/// Whether to colour what goes to stderr.
pub fn color_stderr() -> bool {
    OUTPUT.get().is_some_and(|o| o.color)
}

/// Whether to print only errors.
pub fn quiet() -> bool {
    OUTPUT.get().is_some_and(|o| o.quiet)
}

/// Whether to print more than usual.
pub fn verbose() -> bool {
    OUTPUT.get().is_some_and(|o| o.verbose)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_follows_the_flag_then_no_color_then_clicolor_force_then_the_terminal() {
        use ColorWhen::*;
        // (when, NO_COLOR, CLICOLOR_FORCE, terminal) -> colour
        let cases = [
            (Always, true, false, false, true),
            (Never, false, true, true, false),
            (Auto, false, false, true, true),
            (Auto, false, false, false, false),
            (Auto, true, false, true, false),
            (Auto, true, true, true, false),
            (Auto, false, true, false, true),
        ];
        for (when, no_color, force, terminal, expected) in cases {
            assert_eq!(
                color_for(when, no_color, force, terminal),
                expected,
                "{when:?} NO_COLOR={no_color} CLICOLOR_FORCE={force} terminal={terminal}"
            );
        }
    }
}
