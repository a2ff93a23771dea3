//! Which item of a run a person means: its id (`checklist/item`); else the
//! item part of its id; else the one item whose item id starts or ends
//! (after a `-`) with it, or whose text starts with it (any case, any
//! spacing). Anything else is an error that lists the closest candidates.

use std::fmt;

use super::model::{Run, RunItem};

/// How many candidates an error lists.
const SHOWN: usize = 8;

/// Why a query names no single item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// No item matches; the closest ids, closest first.
    Unknown { query: String, closest: Vec<String> },
    /// Several items match; their ids, in playbook order.
    Ambiguous { query: String, matches: Vec<String> },
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (message, ids) = match self {
            ResolveError::Unknown { query, closest } => (
                format!("no item of the run is `{}`, nor has it as its item id or as the start of its text", query.escape_debug()),
                closest,
            ),
            ResolveError::Ambiguous { query, matches } => (
                format!("`{}` matches {} items; give one by its id", query.escape_debug(), matches.len()),
                matches,
            ),
        };
        f.write_str(&message)?;
        if !ids.is_empty() {
            let label = match self {
                ResolveError::Unknown { .. } => "the closest",
                ResolveError::Ambiguous { .. } => "they are",
            };
            write!(f, "\nhelp: {label}:")?;
            for id in ids.iter().take(SHOWN) {
                write!(f, "\n  {id}")?;
            }
            if ids.len() > SHOWN {
                write!(f, "\n  ... and {} more", ids.len() - SHOWN)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ResolveError {}

/// The index in `run.items` of the item `query` names.
pub fn resolve(run: &Run, query: &str) -> Result<usize, ResolveError> {
    let query = query.trim();
    if let Some(i) = run.items.iter().position(|item| item.id == query) {
        return Ok(i);
    }
    let by_item_id = matching(run, |item| item.item_id() == query);
    if !by_item_id.is_empty() {
        return single(run, query, by_item_id);
    }
    let wanted = normalise(query);
    if !wanted.is_empty() {
        let part = |item: &RunItem| {
            let id = item.item_id();
            id.starts_with(query) || id.ends_with(&format!("-{query}"))
        };
        let by_part_or_text = matching(run, |item| part(item) || plain(item).starts_with(&wanted));
        if !by_part_or_text.is_empty() {
            return single(run, query, by_part_or_text);
        }
    }
    Err(ResolveError::Unknown {
        query: query.to_string(),
        closest: closest(run, query),
    })
}

fn matching(run: &Run, test: impl Fn(&RunItem) -> bool) -> Vec<usize> {
    (0..run.items.len())
        .filter(|&i| test(&run.items[i]))
        .collect()
}

fn single(run: &Run, query: &str, found: Vec<usize>) -> Result<usize, ResolveError> {
    match found.as_slice() {
        [one] => Ok(*one),
        _ => Err(ResolveError::Ambiguous {
            query: query.to_string(),
            matches: found.iter().map(|&i| run.items[i].id.clone()).collect(),
        }),
    }
}

/// Lowercase, whitespace collapsed.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// An item's text as words, for matching.
fn plain(item: &RunItem) -> String {
    normalise(&crate::embed::plain_text(&item.text))
}

/// The ids of the items closest to `query` (by item id, or text start),
/// closest first: those alike enough, or else the three closest.
fn closest(run: &Run, query: &str) -> Vec<String> {
    let wanted = normalise(query);
    // `checklist/item`: the item part is what tells items apart.
    let item_part = query.rsplit('/').next().unwrap_or(query);
    let mut scored: Vec<(f64, usize)> = run
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let text = plain(item);
            let start: String = text.chars().take(wanted.chars().count().max(1)).collect();
            let by_text = if query.contains('/') {
                0.0
            } else {
                strsim::normalized_levenshtein(&wanted, &start)
            };
            let score = f64::max(
                strsim::normalized_levenshtein(item_part, item.item_id()),
                by_text,
            );
            (score, i)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let alike = scored.iter().filter(|(score, _)| *score >= ALIKE).count();
    scored
        .into_iter()
        .take(if alike > 0 { alike } else { 3 })
        .map(|(_, i)| run.items[i].id.clone())
        .collect()
}

/// How alike (0 to 1) a candidate must be to be listed.
const ALIKE: f64 = 0.5;

#[cfg(test)]
mod tests {
    use super::super::model::*;
    use super::*;

    fn run(items: &[(&str, &str)]) -> Run {
        let mut text = String::from("version: 1.0.0\ntype: minor\ndate: 2026-12-06\nstarted_by: D\nstarted_at: 2026-12-06T09:00:00Z\nitems:\n");
        for (id, t) in items {
            text.push_str(&format!(
                "- {{id: {id}, group: g, phase: pre-release, state: open, text: {}}}\n",
                super::super::format::scalar(t)
            ));
        }
        super::super::parse::parse("r", &text).unwrap()
    }

    #[test]
    fn by_id_item_id_or_text_prefix() {
        let r = run(&[
            (
                "pre/version-confirmed",
                "Release **version** and date confirmed",
            ),
            ("pre/notes", "Release notes drafted"),
            ("dep/notes", "Deploy notes read"),
            ("dep/smoke", "Smoke tests pass"),
        ]);
        assert_eq!(resolve(&r, "dep/notes"), Ok(2));
        assert_eq!(resolve(&r, "smoke"), Ok(3));
        assert_eq!(resolve(&r, "version"), Ok(0), "an item id's start");
        assert_eq!(resolve(&r, "confirmed"), Ok(0), "an item id's end");
        assert_eq!(resolve(&r, "release VERSION  and"), Ok(0));
        assert_eq!(resolve(&r, "  Smoke tests"), Ok(3));
        assert_eq!(
            resolve(&r, "notes"),
            Err(ResolveError::Ambiguous {
                query: "notes".into(),
                matches: vec!["pre/notes".into(), "dep/notes".into()]
            })
        );
        let err = resolve(&r, "release").unwrap_err();
        assert!(err.to_string().contains("matches 2 items"), "{err}");
        let err = resolve(&r, "smok-test").unwrap_err();
        let ResolveError::Unknown { closest, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(closest[0], "dep/smoke");
        assert!(
            err.to_string().contains("help: the closest:\n  dep/smoke"),
            "{err}"
        );
        assert!(matches!(resolve(&r, ""), Err(ResolveError::Unknown { .. })));
    }
}
