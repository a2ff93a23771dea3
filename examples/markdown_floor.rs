//! The floor under any Markdown site generator, for `bench/compare.sh`: read
//! every `.md` file under a folder, turn it into HTML with pulldown-cmark
//! (the parser playbook uses, with the same extensions) and write it to the
//! same path, `.html`, under an output folder. No templates, navigation,
//! highlighting, search or checks: what is left of a build's time once those
//! are gone.
//!
//!     cargo run --release --example markdown_floor -- [--named-dependencies] SOURCES OUT
//!
//! `--named-dependencies` adds the two other libraries every playbook page
//! goes through: fenced code highlighted by syntect (through playbook's own
//! line memo, the cheapest way it is used here) and the page wrapped by Tera
//! in a one-line template. Still no navigation, search, check, front matter
//! or site model: the floor of a generator built on these three crates.
//!
//! Files are handled in parallel, as playbook does, by rayon.

use std::path::{Path, PathBuf};

use anyhow::Context;
use pulldown_cmark::{html, CodeBlockKind, Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Pages per parallel task, as playbook's renderer batches them.
const PAGES_PER_TASK: usize = 64;

/// The smallest page shell: a title and the body.
const SHELL: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{{ title }}</title></head>\n<body><main>{{ body | safe }}</main></body>\n</html>\n";

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
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let named_dependencies = match args.iter().position(|a| a == "--named-dependencies") {
        Some(at) => {
            args.remove(at);
            true
        }
        None => false,
    };
    let [sources, out] = args.as_slice() else {
        anyhow::bail!("usage: markdown_floor [--named-dependencies] SOURCES OUT");
    };
    let (sources, out) = (Path::new(sources), Path::new(out));
    let shell = if named_dependencies {
        let mut tera = tera::Tera::default();
        tera.add_raw_template("page.html", SHELL)?;
        Some(tera)
    } else {
        None
    };
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
            let parser = Parser::new_ext(&text, playbook::markdown::options());
            let target = out.join(page).with_extension("html");
            match &shell {
                None => {
                    html::push_html(&mut page_html, parser);
                    std::fs::write(&target, &page_html)
                }
                Some(tera) => {
                    html::push_html(&mut page_html, highlighted(parser));
                    let mut context = tera::Context::new();
                    context.insert("title", &page.display().to_string());
                    context.insert("body", &page_html);
                    let wrapped = tera.render("page.html", &context)?;
                    std::fs::write(&target, wrapped)
                }
            }
            .with_context(|| format!("cannot write {}", target.display()))
        })
    })?;
    eprintln!("{} pages into {}", pages.len(), out.display());
    Ok(())
}

/// The events with each fenced code block replaced by its highlighted HTML.
fn highlighted<'a>(parser: Parser<'a>) -> impl Iterator<Item = Event<'a>> {
    let mut code: Option<(Option<String>, String)> = None;
    parser.filter_map(move |event| match (event, &mut code) {
        (Event::Start(Tag::CodeBlock(kind)), _) => {
            let lang = match kind {
                CodeBlockKind::Fenced(info) => info.split_whitespace().next().map(str::to_string),
                CodeBlockKind::Indented => None,
            };
            code = Some((lang, String::new()));
            None
        }
        (Event::Text(text), Some((_, block))) => {
            block.push_str(&text);
            None
        }
        (Event::End(TagEnd::CodeBlock), block) => {
            let (lang, text) = block.take()?;
            Some(Event::Html(
                playbook::highlight_code_block(lang.as_deref(), &text).into(),
            ))
        }
        (event, _) => Some(event),
    })
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
