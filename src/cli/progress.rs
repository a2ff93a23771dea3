//! Progress bars for long work (`check --external`, `reconcile`): drawn on
//! stderr only when it is a terminal (and not `TERM=dumb`), never under
//! `-q`, and in plain text when colour is off (`--color never`,
//! `NO_COLOR`). Anywhere else the bar is hidden, so a pipe, a file or a CI
//! log gets not one byte of it; `--color always` colours diagnostics in a
//! log but does not draw a bar there.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar labelled `label`, to be given a length and ticked; hidden unless
/// [`drawn`] says otherwise.
pub fn bar(label: &'static str) -> ProgressBar {
    let terminal = std::io::stderr().is_terminal();
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    if !drawn(terminal, dumb, super::quiet()) {
        return ProgressBar::hidden();
    }
    let template = if super::color_stderr() {
        "{prefix} {bar:30.cyan/blue} {pos}/{len} {wide_msg}"
    } else {
        "{prefix} [{bar:30}] {pos}/{len} {wide_msg}"
    };
    let style = ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    // Styled while hidden: nothing is drawn until the work sets a length.
    let bar = ProgressBar::hidden();
    bar.set_style(style);
    bar.set_prefix(label);
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar
}

/// Whether to draw a bar: on a terminal that can redraw a line, unless
/// only errors are wanted.
fn drawn(terminal: bool, dumb: bool, quiet: bool) -> bool {
    terminal && !dumb && !quiet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_is_drawn_only_on_a_real_terminal_and_not_under_quiet() {
        // (stderr a terminal, TERM=dumb, -q) -> drawn
        let cases = [
            (true, false, false, true),
            (false, false, false, false),
            (true, true, false, false),
            (true, false, true, false),
            (false, true, true, false),
        ];
        for (terminal, dumb, quiet, expected) in cases {
            assert_eq!(
                drawn(terminal, dumb, quiet),
                expected,
                "terminal={terminal} dumb={dumb} quiet={quiet}"
            );
        }
    }
}
