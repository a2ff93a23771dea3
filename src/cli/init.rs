//! `playbook init [DIR]`: a starter project that builds and checks clean at
//! once. It only ever creates a missing or empty folder, so it cannot
//! overwrite anyone's work.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use playbook::config::display;

use super::Error;

#[derive(Args)]
pub struct InitArgs {
    /// The folder to create the project in; it must be missing or empty.
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
}

/// The starter project: path → text.
const STARTER: &[(&str, &str)] = &[
    (
        "playbook.yaml",
        "# Site settings. Every key is optional.\n\
         title: Release Playbook\n\
         description: How we plan, ship and support a release.\n",
    ),
    (
        "content/README.md",
        "# Release Playbook\n\
         \n\
         How we plan, ship and support a release. Every page is a Markdown file\n\
         under `content/`; `playbook serve` shows your edits as you make them.\n\
         \n\
         - [Releasing](releasing.md): the steps of a release and its checklist.\n",
    ),
    (
        "content/releasing.md",
        "# Releasing\n\
         \n\
         A release goes out once its checklist is done. A link to a checklist\n\
         embeds it in the page:\n\
         \n\
         [Release checklist](checklists/release.yaml)\n\
         \n\
         Print one role's part with `playbook checklist --role release-manager`.\n",
    ),
    (
        "content/roles.yaml",
        "roles:\n\
         \x20 - id: release-manager\n\
         \x20   name: Release Manager\n\
         \x20   summary: Owns the release from freeze to announcement.\n\
         \x20 - id: engineer\n\
         \x20   name: Engineer\n\
         \x20   summary: Prepares and verifies the changes that ship.\n",
    ),
    (
        "content/checklists/release.yaml",
        "id: release\n\
         title: Release\n\
         groups:\n\
         \x20 - id: before\n\
         \x20   title: Before the release\n\
         \x20   items:\n\
         \x20     - id: tests-pass\n\
         \x20       text: All tests pass on the release branch\n\
         \x20       owners: [engineer]\n\
         \x20     - id: notes-written\n\
         \x20       text: Release notes written\n\
         \x20       owners: [release-manager]\n\
         \x20 - id: after\n\
         \x20   title: After the release\n\
         \x20   items:\n\
         \x20     - id: announced\n\
         \x20       text: Release announced\n\
         \x20       owners: [release-manager]\n\
         \x20     - id: migration-guide\n\
         \x20       text: Migration guide published\n\
         \x20       owners: [engineer]\n\
         \x20       types: [major]\n",
    ),
    (
        "content/release-notes.yaml",
        "title: \"Release {version} — {date}\"\n\
         sections:\n\
         \x20 - id: summary\n\
         \x20   title: Summary\n\
         \x20   prompt: What is in this release and why it matters.\n\
         \x20 - id: breaking\n\
         \x20   title: Breaking changes\n\
         \x20   prompt: What users must change.\n\
         \x20   types: [major]\n",
    ),
];

pub fn run(args: &InitArgs) -> Result<ExitCode, Error> {
    ensure_empty(&args.dir)?;
    for (rel, text) in STARTER {
        let path = args.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", display(parent)))?;
        }
        // `create_new`: never replace a file that appeared meanwhile.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))
            .with_context(|| format!("cannot write {}", display(&path)))?;
    }
    if !super::quiet() {
        eprintln!(
            "Created a playbook in {}; next: `playbook serve` to preview it, `playbook check` in CI",
            display(&args.dir)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The folder must be missing or empty: `init` adds to nobody's files.
fn ensure_empty(dir: &Path) -> Result<(), Error> {
    let mut entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotADirectory || dir.is_file() => {
            return Err(Error::Usage(format!(
                "{} is a file, not a folder\nhelp: give `playbook init` a new folder's name",
                display(dir)
            )))
        }
        Err(err) => {
            return Err(anyhow::Error::from(err)
                .context(format!("cannot read {}", display(dir)))
                .into())
        }
    };
    if entries.next().is_some() {
        return Err(Error::Usage(format!(
            "{} is not empty; `playbook init` only starts a project in a new or empty folder\n\
             help: run `playbook init NEW-FOLDER`, or add playbook.yaml and content/ by hand",
            display(dir)
        )));
    }
    Ok(())
}
