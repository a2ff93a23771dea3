//! `playbook reconcile`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use playbook::config::display;
use playbook::diagnostic::Sources;
use playbook::error::Error;
use playbook::ownership;
use playbook::reconcile::{self, Input};
use playbook::write::{write_file_atomically, write_site, Output};

#[derive(Args)]
pub struct ReconcileArgs {
    /// The copies of the guide to merge: Markdown files, whatever their
    /// ending (.md, .markdown, .txt), in any order.
    #[arg(value_name = "VARIANT", required = true)]
    variants: Vec<PathBuf>,
    /// Where to write the canonical tree (pages, roles.yaml, checklists/,
    /// release-notes.yaml). Must not exist yet, unless --force or --base.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Also write the full report to this file: JSON, or a Markdown review
    /// when the name ends in `.md`.
    #[arg(long, value_name = "FILE.json|FILE.md")]
    report: Option<PathBuf>,
    /// An existing canonical tree to merge into: its hand edits are kept,
    /// new items are added with their provenance.
    #[arg(long, value_name = "DIR")]
    base: Option<PathBuf>,
    /// Replace --out even if it already exists: only an empty folder or a
    /// tree reconcile wrote (it holds `.playbook-reconcile`).
    #[arg(long)]
    force: bool,
}

pub fn run(args: &ReconcileArgs) -> Result<ExitCode, Error> {
    let mut inputs = Vec::new();
    for path in &args.variants {
        // Past the limit reconcile refuses the copy, naming its size.
        let bytes = playbook::fs::read_input(path, playbook::reconcile::MAX_INPUT_BYTES)
            .map_err(Error::Usage)?;
        inputs.push(Input {
            path: display(path),
            bytes,
        });
    }
    if let Some(swallowed) = swallowed_by_out(&args.out, &args.variants) {
        return Err(Error::Usage(format!(
            "refusing to write to {}: replacing it would delete {}\nhelp: choose an --out folder that holds neither the copies nor the current folder",
            display(&args.out),
            swallowed
        )));
    }
    let out_is_base = args.base.as_ref().is_some_and(|b| same_dir(b, &args.out));
    if !args.force && !out_is_base && is_non_empty_dir(&args.out) {
        return Err(Error::Usage(format!(
            "{} already exists; reconcile does not overwrite a canonical tree\nhelp: pass --base {} to merge into it (hand edits are kept), or --force to replace it (only a tree reconcile wrote)",
            display(&args.out),
            display(&args.out)
        )));
    }
    let mut outcome =
        reconcile::reconcile_with_progress(&inputs, &super::progress::bar("reading copies"))
            .map_err(|diagnostics| Error::NothingWritten {
                cause: Box::new(Error::Invalid {
                    diagnostics,
                    sources: Sources::new(),
                }),
                note: "nothing was written",
            })?;
    if let Some(base) = &args.base {
        reconcile::base::merge_with_base(base, &mut outcome)?;
    }
    outcome.report.verify_written(&outcome.files);
    let mut files: Vec<(String, Output)> = outcome
        .files
        .iter()
        .map(|(path, text)| (path.clone(), Output::Bytes(text.clone().into_bytes())))
        .collect();
    files.extend(
        outcome
            .binary
            .iter()
            .map(|(path, bytes)| (path.clone(), Output::Bytes(bytes.clone()))),
    );
    // Onto its own base, every file is carried over; anything the merge
    // would drop (hidden files, links) makes `write_site` refuse.
    write_site(&args.out, &ownership::RECONCILE, out_is_base, files)?;
    if !super::quiet() {
        eprint!("{}", outcome.report.summary());
        eprintln!(
            "wrote {} files to {}",
            outcome.files.len(),
            display(&args.out)
        );
    }
    if let Some(path) = &args.report {
        let text = if path.extension().is_some_and(|e| e == "md") {
            outcome.report.markdown()
        } else {
            serde_json::to_string_pretty(&outcome.report).map_err(anyhow::Error::from)? + "\n"
        };
        write_file_atomically(path, text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What replacing `out` wholesale would destroy: the current folder, or one
/// of the copies being reconciled.
fn swallowed_by_out(out: &std::path::Path, variants: &[PathBuf]) -> Option<String> {
    let out = out.canonicalize().ok()?;
    if std::env::current_dir().is_ok_and(|cwd| cwd.starts_with(&out)) {
        return Some("the current folder".to_string());
    }
    variants
        .iter()
        .find(|v| v.canonicalize().is_ok_and(|v| v.starts_with(&out)))
        .map(|v| format!("the copy {}", display(v)))
}

fn is_non_empty_dir(path: &std::path::Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_some())
}

fn same_dir(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
