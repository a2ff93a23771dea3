//! `playbook serve`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Mutex;

use clap::Args;

use playbook::diagnostic::render_human;
use playbook::serve::{serve, BuildSummary, Event, Options};

use super::{Error, ProjectArgs};

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, value_name = "N", default_value_t = 3000)]
    port: u16,
    /// The address to listen on. Anything but loopback (127.0.0.1, ::1)
    /// lets other machines on the network read the site.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1", value_parser = parse_bind)]
    bind: IpAddr,
    /// Also show pages marked `draft: true` in their front matter.
    #[arg(long)]
    drafts: bool,
    /// Serve even when the content has broken links or other errors `check`
    /// finds (they are still printed).
    #[arg(long)]
    allow_broken: bool,
    /// Print the time spent in each stage of every build.
    #[arg(long)]
    timings: bool,
    /// Open the site in the default web browser once it is served
    /// (the BROWSER environment variable, if set, names the browser).
    #[arg(long)]
    open: bool,
}

/// An IP address, or `localhost`.
fn parse_bind(text: &str) -> Result<IpAddr, String> {
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    text.parse()
        .map_err(|_| format!("`{text}` is not an IP address; try 127.0.0.1, ::1 or 0.0.0.0"))
}

pub fn run(args: &ServeArgs) -> Result<ExitCode, Error> {
    let addr = SocketAddr::new(args.bind, args.port);
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}, not on loopback: anyone who can reach this machine can read the site; \
             use --bind 127.0.0.1 to keep it to yourself",
            args.bind
        );
    }
    let options = Options {
        paths: args.project.paths(None),
        drafts: args.drafts,
        allow_broken: args.allow_broken,
        addr,
    };
    let shown = Shown {
        warnings: Mutex::new(String::new()),
        timings: args.timings || super::verbose(),
        open: args.open,
    };
    serve(&options, move |event| report(event, &shown))?;
    if !super::quiet() {
        eprintln!("stopped");
    }
    Ok(ExitCode::SUCCESS)
}

/// Show what the server does: the URL on stdout (its first line), the rest
/// on stderr.
/// What the report remembers and how much it says.
struct Shown {
    /// The warnings last printed: a rebuild prints them again only when they change.
    warnings: Mutex<String>,
    timings: bool,
    /// Open the browser at the URL once listening.
    open: bool,
}

fn report(event: Event, shown: &Shown) {
    match event {
        Event::Listening { url } => {
            println!("Serving the playbook at {url} (Ctrl-C to stop)");
            if shown.open {
                open_browser(url);
            }
        }
        Event::Built(summary) => built(summary, shown),
        Event::Failed {
            error,
            serving_previous,
        } => {
            super::print_error(error);
            if serving_previous {
                eprintln!("error: not rebuilt; still serving the last good build");
            } else {
                eprintln!(
                    "error: the site could not be built; pages show the problem until it is fixed"
                );
            }
        }
        Event::WatchError(message) => eprintln!("warning: file watcher: {message}"),
    }
}

/// Open `url` in the browser; a failure is only a warning, the server goes on.
fn open_browser(url: &str) {
    if let Err(err) = opener::open_browser(url) {
        eprintln!("warning: cannot open a browser at {url}: {err}; open it by hand");
    }
}

fn built(summary: &BuildSummary, shown: &Shown) {
    if super::quiet() {
        return;
    }
    let warnings = if summary.warnings.is_empty() {
        String::new()
    } else {
        render_human(&summary.warnings, &summary.sources, super::color_stderr())
    };
    let mut last = shown.warnings.lock().unwrap_or_else(|e| e.into_inner());
    let repeated = !warnings.is_empty() && *last == warnings;
    if !repeated {
        eprint!("{warnings}");
        *last = warnings;
    }
    // Page-only rebuilds take a few milliseconds: show a tenth.
    let ms = summary.elapsed.as_secs_f64() * 1000.0;
    let ms = if ms < 100.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.0}")
    };
    let mut line = if summary.first {
        format!("built {} pages in {ms} ms", summary.pages)
    } else {
        format!(
            "rebuilt {} of {} pages in {ms} ms ({} files changed)",
            summary.rendered, summary.pages, summary.changed
        )
    };
    if repeated {
        let n = summary.warnings.len();
        line.push_str(&format!(
            "; {n} problem{} as before",
            if n == 1 { "" } else { "s" }
        ));
    }
    eprintln!("{line}");
    if shown.timings {
        for (stage, time) in &summary.timings {
            eprintln!("  {stage:<16} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
}
