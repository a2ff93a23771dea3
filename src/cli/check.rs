//! `playbook check`.

use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, ValueEnum};

use playbook::check::{check_site, external_links, sources};
use playbook::config::Config;
use playbook::diagnostic::{
    render_github, render_human, render_json, render_sarif, Diagnostic, Sources,
};
use playbook::external::{check_external, ExternalOptions, LinkRules};
use playbook::site_load::load_site;

use super::{Error, ProjectArgs};

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// Fail (exit status 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// How to print problems: for people, or for CI tools.
    #[arg(long, value_name = "FORMAT", default_value = "human")]
    format: Format,
    /// Also check http(s) links (off by default); results are cached for a
    /// day in ROOT/.playbook/external-links.json.
    ///
    /// Each URL is requested once, at most 2 at a time per host, with a 10 s
    /// timeout (PLAYBOOK_EXTERNAL_TIMEOUT_MS, in milliseconds, overrides
    /// it). A 429 is asked again, up to 3 times, after its Retry-After or
    /// 1, 2, 4 s, for at most 60 s from the start
    /// (PLAYBOOK_EXTERNAL_RETRY_BUDGET_MS). Failures are cached for an
    /// hour; delete the file to check everything again. `external:` in
    /// playbook.yaml excludes links, accepts others whatever they answer,
    /// and lists the statuses that count as working.
    #[arg(long)]
    external: bool,
}

/// Where `--external` keeps its results, relative to the project root.
const EXTERNAL_CACHE: &str = ".playbook/external-links.json";
/// Overrides the per-URL timeout of `--external`, in milliseconds.
const EXTERNAL_TIMEOUT_ENV: &str = "PLAYBOOK_EXTERNAL_TIMEOUT_MS";
/// Overrides how long after its start `--external` may wait for a server
/// that answered 429, in milliseconds (0: never wait).
const EXTERNAL_RETRY_ENV: &str = "PLAYBOOK_EXTERNAL_RETRY_BUDGET_MS";

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
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

pub fn run(args: &CheckArgs) -> Result<ExitCode, Error> {
    let mut config = Config::new(&args.project.paths(None))?;
    let external = match args.external.then(|| external_options(&config)) {
        Some(Err(message)) => return Err(Error::Usage(message)),
        Some(Ok(options)) => Some(options),
        None => None,
    };
    // check never shows the HTML, so it skips highlighting code (most of the parse time).
    config.model_only = true;
    let (diagnostics, sources) = match load_site(&config) {
        Ok(site) => {
            let mut diagnostics = check_site(&site);
            if let Some(options) = &external {
                diagnostics.extend(check_external(&external_links(&site), options));
                diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            }
            let sources = sources(&site, &diagnostics);
            // The process ends right after printing: freeing every page one
            // by one would only delay the exit (tens of ms on a big site).
            std::mem::forget(site);
            (diagnostics, sources)
        }
        Err(Error::Invalid {
            diagnostics,
            sources,
        }) => (diagnostics, sources),
        Err(other) => return Err(other),
    };
    if super::quiet() && args.format == Format::Human {
        // Only what fails the run: errors, and warnings under --deny-warnings.
        let failing: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.is_error() || args.deny_warnings)
            .cloned()
            .collect();
        if !failing.is_empty() {
            print(&failing, &sources, args.format);
        }
    } else {
        print(&diagnostics, &sources, args.format);
    }
    if diagnostics.iter().any(Diagnostic::is_error) || args.deny_warnings && !diagnostics.is_empty()
    {
        Ok(ExitCode::from(super::EXIT_PROBLEMS))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

/// `--external`'s options: the cache under the project root, the timeout
/// from the environment if set there.
fn external_options(config: &Config) -> Result<ExternalOptions, String> {
    let mut options = ExternalOptions {
        cache_file: config.root.join(EXTERNAL_CACHE),
        // playbook.yaml's rules were checked when it was read.
        rules: LinkRules::new(&config.settings.external)?,
        progress: super::progress::bar("checking links"),
        ..ExternalOptions::default()
    };
    if let Some(ms) = env_millis(EXTERNAL_TIMEOUT_ENV, 1)? {
        options.timeout = ms;
    }
    if let Some(ms) = env_millis(EXTERNAL_RETRY_ENV, 0)? {
        options.retry_budget = ms;
    }
    Ok(options)
}

/// The milliseconds in the environment variable `key`, if it is set; at
/// least `least`.
fn env_millis(key: &str, least: u64) -> Result<Option<Duration>, String> {
    let Some(value) = std::env::var_os(key) else {
        return Ok(None);
    };
    let ms = value
        .to_str()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&ms| ms >= least)
        .ok_or_else(|| format!("{key} must be a number of milliseconds, not {value:?}"))?;
    Ok(Some(Duration::from_millis(ms)))
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
