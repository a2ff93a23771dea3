//! Heading ids, made the way GitHub makes them, so an anchor that works on
//! GitHub works on the built site and the other way round.
//!
//! GitHub's algorithm (github-slugger): lowercase the heading's text, drop
//! every character that is not a letter, a number, a space, `-` or `_`
//! (Unicode aware, so `é` and `日本` stay), then turn each space into `-`.
//! Spaces are not collapsed: `a  b` becomes `a--b`. Duplicate slugs on one
//! page get `-1`, `-2`, ... in order of appearance.

use std::collections::HashMap;

/// The GitHub slug of a heading's plain text.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c == ' ' {
            slug.push('-');
        } else if c.is_alphanumeric() || c == '-' || c == '_' {
            slug.extend(c.to_lowercase());
        }
    }
    slug
}

/// Hands out unique ids within one page, GitHub style.
#[derive(Debug, Default)]
pub struct UniqueIds {
    /// How often each base slug was asked for, and every id handed out.
    seen: HashMap<String, usize>,
}

impl UniqueIds {
    /// Reserve an id given explicitly (`{#id}`), so generated ids avoid it.
    pub fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(0);
    }

    /// Whether `id` was handed out or reserved.
    pub fn contains(&self, id: &str) -> bool {
        self.seen.contains_key(id)
    }

    /// Every id handed out or reserved, sorted.
    pub fn all(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.seen.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// A unique id for `base`: `base`, then `base-1`, `base-2`, ...
    pub fn unique(&mut self, base: &str) -> String {
        let Some(count) = self.seen.get(base).copied() else {
            self.seen.insert(base.to_string(), 0);
            return base.to_string();
        };
        let mut n = count;
        loop {
            n += 1;
            let candidate = format!("{base}-{n}");
            if !self.seen.contains_key(&candidate) {
                self.seen.insert(base.to_string(), n);
                self.seen.insert(candidate.clone(), 0);
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_github() {
        let cases = [
            ("Pre-release Requirements", "pre-release-requirements"),
            (
                "Rollback & Incident Playbook",
                "rollback--incident-playbook",
            ),
            (
                "OctoAcme — Release & Deployment Guide",
                "octoacme--release--deployment-guide",
            ),
            ("  Trim me  ", "trim-me"),
            ("snake_case and CamelCase", "snake_case-and-camelcase"),
            ("Step 1: Build (CI/CD)", "step-1-build-cicd"),
            ("Café déjà vu", "café-déjà-vu"),
            ("日本語 見出し", "日本語-見出し"),
            ("✨ Sparkles ✨", "-sparkles-"),
            ("T-24h → T-1h", "t-24h--t-1h"),
            ("a  b", "a--b"),
            ("", ""),
            ("Ünïcödé UPPER", "ünïcödé-upper"),
            ("v1.2.3 release", "v123-release"),
        ];
        for (text, want) in cases {
            assert_eq!(slugify(text), want, "slug of {text:?}");
        }
    }

    #[test]
    fn duplicates_get_numbered_suffixes() {
        let mut ids = UniqueIds::default();
        let got: Vec<String> = ["notes", "notes", "notes", "other"]
            .iter()
            .map(|s| ids.unique(s))
            .collect();
        assert_eq!(got, ["notes", "notes-1", "notes-2", "other"]);
    }

    #[test]
    fn suffix_skips_ids_already_taken() {
        // A heading literally titled "notes-1" comes first: GitHub then gives
        // the second "notes" heading `notes-2`.
        let mut ids = UniqueIds::default();
        assert_eq!(ids.unique("notes-1"), "notes-1");
        assert_eq!(ids.unique("notes"), "notes");
        assert_eq!(ids.unique("notes"), "notes-2");
    }

    #[test]
    fn explicit_ids_are_reserved() {
        let mut ids = UniqueIds::default();
        ids.reserve("setup");
        assert_eq!(ids.unique("setup"), "setup-1");
    }
}
