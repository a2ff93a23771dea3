//! The floor under any Markdown site generator, for `bench/compare.sh`: read
//! every `.md` file under a folder, turn it into HTML with pulldown-cmark
//! (the parser playbook uses, with the same extensions) and write it to the
//! same path, `.html`, under an output folder. No templates, navigation,
//! highlighting, search or checks: what is left of a build's time once those
//! are gone.
//!
//!     cargo run --release --example markdown_floor -- SOURCES OUT
//!
//! Files are handled in parallel, as playbook does, by rayon.

use std::path::{Path, PathBuf};

use anyhow::Context;
use pulldown_cmark::{html, Parser};
use rayon::prelude::*;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Pages per parallel task, as playbook's renderer batches them.
const PAGES_PER_TASK: usize = 64;

fn main() -> std::process::ExitCode {
    match floor() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn floor() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [sources, out] = args.as_slice() else {
        anyhow::bail!("usage: markdown_floor SOURCES OUT");
    };
    let (sources, out) = (Path::new(sources), Path::new(out));
    let pages = markdown_files(sources)?;
    let folders: std::collections::BTreeSet<&Path> =
        pages.iter().filter_map(|p| p.parent()).collect();
    for folder in folders {
        let target = out.join(folder);
        std::fs::create_dir_all(&target)
            .with_context(|| format!("cannot create {}", target.display()))?;
    }
    pages.par_chunks(PAGES_PER_TASK).try_for_each(|task| {
        let mut page_html = String::new();
        task.iter().try_for_each(|page| {
            let source = sources.join(page);
            let text = std::fs::read_to_string(&source)
                .with_context(|| format!("cannot read {}", source.display()))?;
            page_html.clear();
            html::push_html(
                &mut page_html,
                Parser::new_ext(&text, playbook::markdown::options()),
            );
            let target = out.join(page).with_extension("html");
            std::fs::write(&target, &page_html)
                .with_context(|| format!("cannot write {}", target.display()))
        })
    })?;
    eprintln!("{} pages into {}", pages.len(), out.display());
    Ok(())
}

/// Every `.md` file under `root`, relative to it, hidden folders left out.
fn markdown_files(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut pages = Vec::new();
    let walk = walkdir::WalkDir::new(root).sort_by_file_name().into_iter();
    for entry in
        walk.filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = entry.with_context(|| format!("cannot read {}", root.display()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            pages.push(entry.path().strip_prefix(root)?.to_path_buf());
        }
    }
    Ok(pages)
}
