//! `playbook run start|tick|skip|reopen|status|import|export|sync|merge`: a
//! release run kept as a file in the repository (see `playbook::runs`).
//!
//! `at` times are the current time in UTC, or `PLAYBOOK_NOW` (RFC 3339,
//! UTC) when set, for reproducible scripts and tests.

use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};

use playbook::checklist::{ReleasePhase, ReleaseType, RoleIndex};
use playbook::config::Config;
use playbook::runs::{
    self, import, parse::name_problem, Evidence, ItemState, NewRun, Run, RunDate, RunFile,
    RunVersion, Selection, StatusReport, Timestamp,
};

use super::checklist::TypeArg;
use super::{Error, ProjectArgs};

/// The fixed clock: `at` times come from it when it is set.
pub const NOW_ENV: &str = "PLAYBOOK_NOW";

#[derive(Args)]
pub struct RunArgs {
    #[command(subcommand)]
    command: RunCommand,
}

#[derive(Subcommand)]
enum RunCommand {
    /// Start a run: content/runs/VERSION.yaml with every item the release
    /// type needs, open. Refuses a run that exists.
    Start(StartArgs),
    /// Mark items done. ITEM is an id (`checklist/item`), an item id, or
    /// the start of an item's text.
    Tick(TickArgs),
    /// Mark an item skipped, with the reason (or not applicable).
    Skip(SkipArgs),
    /// Open a closed item again.
    Reopen(ReopenArgs),
    /// Progress by phase and role, open required items first. Exit status
    /// 0 when every required item of the selection is done, skipped or not
    /// applicable, 1 otherwise: the release gate.
    Status(StatusArgs),
    /// Record the ticked `- [x]` lines of a Markdown task list (a GitHub
    /// release issue, or the site's export), matched by their
    /// `<!-- id: ... -->` comment or by their text.
    Import(ImportArgs),
    /// The evidence of a run, for an auditor: every item with its state,
    /// who and when; phase sign-offs; skipped items with reasons.
    Export(ExportArgs),
    /// Add the items the playbook gained since the run started (open), and
    /// drop open items it no longer has.
    Sync(SyncArgs),
    /// Merge two people's ticks item by item: a run file git left with
    /// conflict markers (resolved in place), or, as git's merge driver,
    /// BASE OURS THEIRS (the merge is written to OURS). Exit status 1 when
    /// an item is left for a person to decide (marked on its one line).
    Merge(MergeArgs),
}

/// The run a subcommand works on.
#[derive(Args)]
struct Target {
    #[command(flatten)]
    project: ProjectArgs,
    /// The release version (semver, like 2.4.0).
    #[arg(value_name = "VERSION", value_parser = parse_version)]
    release: RunVersion,
}

fn parse_version(text: &str) -> Result<RunVersion, String> {
    RunVersion::parse(text)
}

fn parse_name(text: &str) -> Result<String, String> {
    match name_problem(text) {
        Some(problem) => Err(format!("the name {problem}")),
        None => Ok(text.trim().to_string()),
    }
}

#[derive(Args)]
struct StartArgs {
    #[command(flatten)]
    target: Target,
    /// The release type, which decides the items.
    #[arg(long = "type", value_name = "TYPE", default_value = "minor")]
    release_type: TypeArg,
    /// The release date, YYYY-MM-DD [default: today, UTC].
    #[arg(long, value_name = "DATE", value_parser = RunDate::parse)]
    date: Option<RunDate>,
    /// Who starts it [default: $USER].
    #[arg(long, value_name = "NAME", value_parser = parse_name)]
    by: Option<String>,
}

#[derive(Args)]
struct TickArgs {
    #[command(flatten)]
    target: Target,
    /// The items, by id, item id or the start of their text.
    #[arg(value_name = "ITEM", required = true)]
    items: Vec<String>,
    /// Who did it.
    #[arg(long, value_name = "NAME", value_parser = parse_name)]
    by: String,
    /// A note kept with each item (a link to the evidence, say).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
}

#[derive(Args)]
struct SkipArgs {
    #[command(flatten)]
    target: Target,
    #[arg(value_name = "ITEM")]
    item: String,
    /// Why it is skipped.
    #[arg(long, value_name = "TEXT", required_unless_present = "not_applicable")]
    reason: Option<String>,
    /// Mark it not applicable to this release instead (no reason needed).
    #[arg(long)]
    not_applicable: bool,
    #[arg(long, value_name = "NAME", value_parser = parse_name)]
    by: String,
}

#[derive(Args)]
struct ReopenArgs {
    #[command(flatten)]
    target: Target,
    #[arg(value_name = "ITEM")]
    item: String,
}

#[derive(Args)]
struct StatusArgs {
    #[command(flatten)]
    target: Target,
    /// Only the items of this role (id, name or alias).
    #[arg(long, value_name = "ROLE")]
    role: Option<String>,
    /// Only the items of this phase.
    #[arg(long, value_name = "PHASE", value_parser = parse_phase)]
    phase: Option<ReleasePhase>,
    #[arg(long, value_name = "FORMAT", default_value = "human")]
    format: StatusFormat,
}

fn parse_phase(text: &str) -> Result<ReleasePhase, String> {
    runs::status::PHASES
        .into_iter()
        .find(|p| p.as_str() == text.to_lowercase())
        .ok_or_else(|| {
            let names: Vec<&str> = runs::status::PHASES.iter().map(|p| p.as_str()).collect();
            format!(
                "no phase is called `{text}`; the phases are {}",
                names.join(", ")
            )
        })
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusFormat {
    /// For a person.
    Human,
    /// One JSON document.
    Json,
    /// Markdown, for a job summary or an issue.
    Md,
    /// GitHub Actions annotations.
    Github,
}

#[derive(Args)]
struct ImportArgs {
    #[command(flatten)]
    target: Target,
    /// The Markdown file with the task list.
    #[arg(value_name = "FILE.md")]
    file: std::path::PathBuf,
    /// Who ticked them.
    #[arg(long, value_name = "NAME", value_parser = parse_name)]
    by: String,
}

#[derive(Args)]
struct ExportArgs {
    #[command(flatten)]
    target: Target,
    #[arg(long, value_name = "FORMAT", default_value = "md")]
    format: ExportFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Md,
    Json,
}

#[derive(Args)]
struct SyncArgs {
    #[command(flatten)]
    target: Target,
}

#[derive(Args)]
struct MergeArgs {
    /// A run file with conflict markers; or BASE OURS THEIRS [PATH] (git's
    /// `%O %A %B %P`).
    #[arg(value_name = "FILE", num_args = 1..=4, required_unless_present = "install")]
    files: Vec<std::path::PathBuf>,
    /// Set this clone up so git merges run files this way: a line in the
    /// repository's .gitattributes (commit it), and the driver in this
    /// clone's git config (each clone runs it once).
    #[arg(long, conflicts_with = "files")]
    install: bool,
    #[command(flatten)]
    project: ProjectArgs,
}

pub fn run(args: &RunArgs) -> Result<ExitCode, Error> {
    match &args.command {
        RunCommand::Start(a) => start(a),
        RunCommand::Tick(a) => tick(a),
        RunCommand::Skip(a) => skip(a),
        RunCommand::Reopen(a) => reopen(a),
        RunCommand::Status(a) => status(a),
        RunCommand::Import(a) => import_ticks(a),
        RunCommand::Export(a) => export(a),
        RunCommand::Sync(a) => sync(a),
        RunCommand::Merge(a) => merge(a),
    }
}

/// The run file of `target`.
fn run_file(target: &Target) -> Result<RunFile, Error> {
    Ok(run_file_and_config(target)?.0)
}

/// The run file of `target`, and the project's settings it was found by.
fn run_file_and_config(target: &Target) -> Result<(RunFile, Config), Error> {
    let config = Config::new(&target.project.paths(None))?;
    Ok((RunFile::new(&config.runs_dir(), &target.release), config))
}

/// The project's playbook, its run files unread: a run command reads its
/// own run, and another version's broken run file must not stop it.
fn playbook_without_runs(
    project: &super::ProjectArgs,
) -> Result<(Config, playbook::model::Site), Error> {
    super::load_project_with(project, |config| config.skip_runs = true)
}

/// The time to record: `PLAYBOOK_NOW`, or now.
fn now() -> Result<Timestamp, Error> {
    match std::env::var(NOW_ENV) {
        Ok(text) => {
            Timestamp::parse(&text).map_err(|problem| Error::Usage(format!("{NOW_ENV}: {problem}")))
        }
        Err(_) => Ok(Timestamp::now()),
    }
}

fn start(args: &StartArgs) -> Result<ExitCode, Error> {
    let (config, site) = playbook_without_runs(&args.target.project)?;
    let file = RunFile::new(&config.runs_dir(), &args.target.release);
    let at = now()?;
    let by = match &args.by {
        Some(by) => by.clone(),
        None => default_name()?,
    };
    let run = runs::new_run(
        &site,
        NewRun {
            version: args.target.release.clone(),
            release_type: ReleaseType::from(args.release_type),
            date: args.date.unwrap_or(at.date()),
            started_by: by,
            started_at: at,
        },
    );
    file.create(&run)?;
    let required = run.items.iter().filter(|i| i.required()).count();
    println!(
        "started {}: {} items for a {} release ({required} required)",
        file.shown,
        run.items.len(),
        run.release_type.as_str()
    );
    Ok(ExitCode::SUCCESS)
}

/// `$USER` (`$USERNAME` on Windows), for `run start` without `--by`.
fn default_name() -> Result<String, Error> {
    ["USER", "USERNAME"]
        .iter()
        .filter_map(|key| std::env::var(key).ok())
        .find(|name| name_problem(name).is_none())
        .ok_or_else(|| Error::Usage("who starts the run? pass --by NAME ($USER is not set)".into()))
}

/// The index of the item `query` names, as a usage error when none.
fn find(run: &Run, query: &str) -> Result<usize, Error> {
    runs::resolve(run, query).map_err(|err| Error::Usage(err.to_string()))
}

fn tick(args: &TickArgs) -> Result<ExitCode, Error> {
    let file = run_file(&args.target)?;
    let at = now()?;
    let lines = file.update(|run| {
        let found: Vec<usize> = args
            .items
            .iter()
            .map(|q| find(run, q))
            .collect::<Result<_, _>>()?;
        let mut lines = Vec::new();
        for i in found {
            let item = &mut run.items[i];
            if item.state == ItemState::Done {
                lines.push(format!(
                    "{}: already done by {}",
                    item.id,
                    item.by.as_deref().unwrap_or("?")
                ));
                continue;
            }
            item.close(ItemState::Done, &args.by, at, args.note.clone());
            lines.push(format!("{}: done", item.id));
        }
        Ok(lines)
    })?;
    print_lines(&lines);
    Ok(ExitCode::SUCCESS)
}

fn skip(args: &SkipArgs) -> Result<ExitCode, Error> {
    let file = run_file(&args.target)?;
    let at = now()?;
    let reason = args
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if !args.not_applicable && reason.is_none() {
        return Err(Error::Usage(
            "a skipped item needs a reason: pass --reason TEXT".into(),
        ));
    }
    let line = file.update(|run| {
        let i = find(run, &args.item)?;
        let item = &mut run.items[i];
        let state = if args.not_applicable {
            ItemState::NotApplicable
        } else {
            ItemState::Skipped
        };
        item.close(state, &args.by, at, None);
        item.reason = (state == ItemState::Skipped).then(|| reason.unwrap_or_default().to_string());
        if let (ItemState::NotApplicable, Some(reason)) = (state, reason) {
            item.note = Some(reason.to_string());
        }
        Ok(format!("{}: {}", item.id, state.as_str()))
    })?;
    print_lines(&[line]);
    Ok(ExitCode::SUCCESS)
}

fn reopen(args: &ReopenArgs) -> Result<ExitCode, Error> {
    let file = run_file(&args.target)?;
    let line = file.update(|run| {
        let i = find(run, &args.item)?;
        let item = &mut run.items[i];
        if !item.is_closed() {
            return Ok(format!("{}: already open", item.id));
        }
        // The file forgets who closed it (git keeps it): say it once here.
        let mut was = format!(" (was {}", item.state.as_str());
        if let Some(by) = &item.by {
            was.push_str(&format!(" by {by}"));
        }
        if let Some(at) = &item.at {
            was.push_str(&format!(" at {at}"));
        }
        was.push(')');
        item.reopen();
        Ok(format!("{}: open{was}", item.id))
    })?;
    print_lines(&[line]);
    Ok(ExitCode::SUCCESS)
}

fn status(args: &StatusArgs) -> Result<ExitCode, Error> {
    let (config, site) = playbook_without_runs(&args.target.project)?;
    let file = RunFile::new(&config.runs_dir(), &args.target.release);
    let run = file.load()?;
    let role = match &args.role {
        Some(spelling) => Some(role_id(&site.embeds.roles, &run, spelling)?),
        None => None,
    };
    let report = StatusReport {
        run: &run,
        selection: Selection {
            role: role.as_deref(),
            phase: args.phase,
        },
        roles: &site.embeds.roles,
    };
    print!(
        "{}",
        match args.format {
            StatusFormat::Human => report.human(),
            StatusFormat::Json => report.json(),
            StatusFormat::Md => report.markdown(),
            StatusFormat::Github => report.github(),
        }
    );
    Ok(if runs::passes(&run, &report.selection) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_PROBLEMS)
    })
}

/// The role id `spelling` names: a role of roles.yaml, or an owner id the run has.
fn role_id(roles: &RoleIndex, run: &Run, spelling: &str) -> Result<String, Error> {
    if let Some(role) = roles.resolve(spelling) {
        return Ok(role.id.clone());
    }
    let wanted = spelling.trim().to_lowercase();
    if run.items.iter().any(|i| i.owners.contains(&wanted)) {
        return Ok(wanted);
    }
    let mut known: Vec<String> = roles.all().iter().map(|r| r.id.clone()).collect();
    for owner in run.items.iter().flat_map(|i| &i.owners) {
        if !known.contains(owner) {
            known.push(owner.clone());
        }
    }
    Err(Error::Usage(format!(
        "no role is called {spelling:?}\nhelp: the roles are {}",
        known.join(", ")
    )))
}

fn import_ticks(args: &ImportArgs) -> Result<ExitCode, Error> {
    let file = run_file(&args.target)?;
    let shown = playbook::config::display(&args.file);
    let limit = playbook::reconcile::MAX_INPUT_BYTES;
    let bytes = playbook::fs::read_input(&args.file, limit).map_err(Error::Usage)?;
    if bytes.len() > limit {
        return Err(Error::Usage(format!(
            "{shown} is larger than {} MiB: not a task list\nhelp: name the release issue's Markdown",
            limit / 1024 / 1024
        )));
    }
    // A task list saved by any editor or pasted from an issue: UTF-16 with
    // a BOM, Windows-1252 and CRLF read as reconcile reads a guide.
    let decoded = playbook::reconcile::repair::decode(&bytes);
    for warning in &decoded.warnings {
        eprintln!("warning: {shown}: {warning}");
    }
    let markdown = decoded.text;
    let at = now()?;
    let (lines, unmatched) = file.update(|run| {
        let mut lines = Vec::new();
        let mut unmatched = Vec::new();
        for task in import::task_lines(&markdown)
            .into_iter()
            .filter(|t| t.checked)
        {
            match import::match_line(run, &task) {
                Some(i) if run.items[i].is_closed() => {}
                Some(i) => {
                    let item = &mut run.items[i];
                    item.close(ItemState::Done, &args.by, at, None);
                    lines.push(format!("{}: done", item.id));
                }
                None => unmatched.push(task),
            }
        }
        Ok((lines, unmatched))
    })?;
    print_lines(&lines);
    println!("{} item(s) ticked from {shown}", lines.len());
    for task in &unmatched {
        let what = match &task.id {
            Some(id) => format!("the id `{}` is not in the run", id.escape_debug()),
            None => "its text matches no item of the run".to_string(),
        };
        let text: String = task
            .text
            .chars()
            .flat_map(char::escape_debug)
            .take(80)
            .collect();
        eprintln!(
            "warning: {shown}:{}: `{text}` was not recorded: {what}",
            task.line
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn export(args: &ExportArgs) -> Result<ExitCode, Error> {
    let (file, config) = run_file_and_config(&args.target)?;
    let run = file.load()?;
    // The commit the playbook was at: what the evidence was checked against.
    let commit = playbook::git::head_commit(&config.content_dir)?;
    let evidence = Evidence::of(&run, commit.as_deref());
    print!(
        "{}",
        match args.format {
            ExportFormat::Md => evidence.markdown(&run),
            ExportFormat::Json => evidence.json(),
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn sync(args: &SyncArgs) -> Result<ExitCode, Error> {
    let (config, site) = playbook_without_runs(&args.target.project)?;
    let file = RunFile::new(&config.runs_dir(), &args.target.release);
    let drift = file.update(|run| Ok(runs::sync(run, &site)))?;
    let mut lines: Vec<String> = drift
        .added
        .iter()
        .map(|i| format!("{}: added", i.id))
        .collect();
    lines.extend(
        drift
            .removed
            .iter()
            .map(|id| format!("{id}: removed (no longer in the playbook)")),
    );
    if lines.is_empty() {
        lines.push(format!("{} is up to date with the playbook", file.shown));
    }
    print_lines(&lines);
    Ok(ExitCode::SUCCESS)
}

fn print_lines(lines: &[String]) {
    for line in lines {
        println!("{line}");
    }
}

fn merge(args: &MergeArgs) -> Result<ExitCode, Error> {
    match args.files.as_slice() {
        _ if args.install => install_merge_driver(&args.project),
        [file] => merge_markers(file),
        [base, ours, theirs] => merge_driver(base, ours, theirs, ours),
        [base, ours, theirs, path] => merge_driver(base, ours, theirs, path),
        _ => Err(Error::Usage(
            "give one run file with conflict markers, or BASE OURS THEIRS [PATH] as git's merge driver does"
                .to_string(),
        )),
    }
}

/// A run file read for a merge: its text and the run.
fn read_run(path: &std::path::Path) -> Result<(String, Run), Error> {
    let shown = playbook::config::display(path);
    let text = std::fs::read_to_string(path).map_err(|err| {
        Error::Usage(format!(
            "cannot read {shown}: {err}\nhelp: name a run file (content/runs/VERSION.yaml)"
        ))
    })?;
    let run = runs::parse(&shown, &text).map_err(|diagnostics| Error::Invalid {
        diagnostics,
        sources: [(shown.clone(), text.clone())].into(),
    })?;
    Ok((text, run))
}

/// `playbook run merge FILE`: the sides of git's markers merged, in place.
fn merge_markers(path: &std::path::Path) -> Result<ExitCode, Error> {
    let shown = playbook::config::display(path);
    let text = std::fs::read_to_string(path)
        .map_err(|err| Error::Usage(format!("cannot read {shown}: {err}")))?;
    let Some((ours, base, theirs)) = runs::merge::conflict_sides(&text) else {
        if let Some((at, _)) = runs::merge::first_conflict_marker(&text) {
            let line = text[..at].matches('\n').count() + 1;
            return Err(Error::Usage(format!(
                "{shown}:{line}:1: these conflict markers are not git's one-level form (a conflict left open, or one inside another)\nhelp: resolve them by hand, keeping one line per item, then `playbook run status` checks the file"
            )));
        }
        println!("{shown} has no merge conflict to resolve");
        return Ok(ExitCode::SUCCESS);
    };
    let side = |name: &str, text: &str| {
        runs::parse(&format!("{shown} ({name})"), text).map_err(|diagnostics| Error::Invalid {
            diagnostics,
            sources: [(format!("{shown} ({name})"), text.to_string())].into(),
        })
    };
    let (ours, theirs) = (side("ours", &ours)?, side("theirs", &theirs)?);
    let base = base.map(|b| side("base", &b)).transpose()?;
    let merged = runs::merge::merge(base.as_ref(), &ours, &theirs);
    playbook::write::write_file_atomically(path, runs::merge::render(&merged).as_bytes())?;
    Ok(merge_outcome(&shown, &merged))
}

/// `playbook run merge BASE OURS THEIRS`, as git runs its merge driver.
/// A side that is not a valid run gets git's own line merge, as if there
/// were no driver.
fn merge_driver(
    base: &std::path::Path,
    ours: &std::path::Path,
    theirs: &std::path::Path,
    shown: &std::path::Path,
) -> Result<ExitCode, Error> {
    let sides = (read_run(base), read_run(ours), read_run(theirs));
    let (Ok((_, base_run)), Ok((_, our_run)), Ok((_, their_run))) = sides else {
        eprintln!("warning: a side of the merge is not a valid run file: merging it line by line");
        let status = std::process::Command::new("git")
            .arg("merge-file")
            .args([ours, base, theirs])
            .status()
            .map_err(|err| Error::Usage(format!("cannot run git merge-file: {err}")))?;
        return Ok(if status.success() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    };
    let merged = runs::merge::merge(Some(&base_run), &our_run, &their_run);
    playbook::write::write_file_atomically(ours, runs::merge::render(&merged).as_bytes())?;
    Ok(merge_outcome(&playbook::config::display(shown), &merged))
}

fn merge_outcome(shown: &str, merged: &runs::merge::Merged) -> ExitCode {
    let undecided = merged.conflicts.len();
    eprintln!(
        "merged {shown}: {} item(s) from the other side{}",
        merged.taken_from_theirs,
        if undecided == 0 {
            String::new()
        } else {
            format!(", {undecided} left to decide (marked in the file)")
        }
    );
    for (ours, theirs) in &merged.conflicts {
        eprintln!(
            "  {}: {} here, {} there, neither with a time to tell which came last",
            ours.id,
            ours.state.as_str(),
            theirs.state.as_str()
        );
    }
    if undecided == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The name of the driver in git's config and in `.gitattributes`.
const MERGE_DRIVER: &str = "playbook-run";

/// `playbook run merge --install`: the attribute (shared, in the
/// repository) and the driver (this clone's config; git never takes a
/// command from a file it checked out).
fn install_merge_driver(project: &super::ProjectArgs) -> Result<ExitCode, Error> {
    let config = Config::new(&project.paths(None))?;
    let runs_dir = config.runs_dir();
    let git = |args: &[&str]| -> Result<String, Error> {
        let output = std::process::Command::new("git")
            .args(args)
            .current_dir(&config.root)
            .output()
            .map_err(|err| Error::Usage(format!("cannot run git: {err}\nhelp: install git; the merge driver is for git's merges")))?;
        if !output.status.success() {
            return Err(Error::Usage(format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    };
    let top = std::path::PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    // The runs folder may not exist before the first run.
    let runs_dir = playbook::fs::absolute(&runs_dir);
    let top = playbook::fs::absolute(&top);
    let relative = runs_dir.strip_prefix(&top).map_err(|_| {
        Error::Usage(format!(
            "the runs folder {} is outside the repository {}",
            playbook::config::display(&runs_dir),
            playbook::config::display(&top)
        ))
    })?;
    let pattern = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().replace(' ', "[[:space:]]"))
        .chain(["*.yaml".to_string()])
        .collect::<Vec<_>>()
        .join("/");
    let line = format!("{pattern} merge={MERGE_DRIVER}");
    let attributes = top.join(".gitattributes");
    let existing = std::fs::read_to_string(&attributes).unwrap_or_default();
    if existing.lines().any(|l| l.trim() == line) {
        println!(".gitattributes already has `{line}`");
    } else {
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&line);
        text.push('\n');
        playbook::write::write_file_atomically(&attributes, text.as_bytes())?;
        println!(
            "added `{line}` to .gitattributes: commit it, so every clone merges run files this way"
        );
    }
    let key = format!("merge.{MERGE_DRIVER}");
    git(&[
        "config",
        &format!("{key}.name"),
        "playbook release runs, item by item",
    ])?;
    git(&[
        "config",
        &format!("{key}.driver"),
        "playbook run merge %O %A %B %P",
    ])?;
    println!("set {key}.driver in this clone's git config (each clone runs `playbook run merge --install` once)");
    Ok(ExitCode::SUCCESS)
}
