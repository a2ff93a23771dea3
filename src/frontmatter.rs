//! YAML front matter: finding it at the top of a page and reading it into
//! typed fields, with errors that point at the offending line.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;

/// The keys playbook understands; any other key is kept in `extra` for templates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub roles: Vec<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// The keys [`FrontMatter`] reads; the others go to `extra`.
pub(crate) const KNOWN_KEYS: [&str; 5] = ["title", "description", "weight", "draft", "roles"];

/// The `known` word that `word` is most likely a misspelling of: one edit
/// away (two for words longer than five letters), ignoring letter case.
pub(crate) fn misspelling_of<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let word = word.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&word, k), *k))
        .filter(|(distance, k)| *distance <= if k.len() > 5 { 2 } else { 1 })
        .min()
        .map(|(_, k)| k)
}

/// A warning for each key of the page's front matter that playbook does not
/// read but that looks like a misspelt one it does (`titel:`), at the key.
pub(crate) fn misspelt_keys(shown: &str, text: &str, front: &FrontMatter) -> Vec<Diagnostic> {
    if front.extra.is_empty() {
        return Vec::new();
    }
    let Ok(Split {
        yaml: Some(yaml),
        yaml_start,
        ..
    }) = split(shown, text)
    else {
        return Vec::new();
    };
    let spans = crate::yaml_spans::Spans::of(yaml);
    let mut found = Vec::new();
    for (key, span) in spans.top_keys() {
        let Some(meant) = front
            .extra
            .contains_key(key)
            .then(|| misspelling_of(key, &KNOWN_KEYS))
            .flatten()
        else {
            continue;
        };
        let at = yaml_start + span.start..yaml_start + span.end;
        let mut d = Diagnostic::error(
            "front-matter",
            shown,
            text,
            at,
            format!("unknown front matter key `{key}`: did you mean `{meant}`?"),
        )
        .with_hint(format!("rename it to `{meant}`; playbook reads {}, and passes any other key to templates as it is", known_list(&KNOWN_KEYS)));
        d.severity = crate::diagnostic::Severity::Warning;
        found.push(d);
    }
    found
}

/// `` `a`, `b` and `c` ``.
pub(crate) fn known_list(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

/// A page's text cut into its front matter and its Markdown body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Split<'a> {
    /// The YAML between the fences, if the page has front matter.
    pub yaml: Option<&'a str>,
    /// Byte offset of the YAML (or of the body) in the whole text.
    pub yaml_start: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of the body in the whole text.
    pub body_start: usize,
}

/// Cut `text` into front matter and body. Front matter starts with a `---`
/// line on the very first line and ends at the next `---` or `...` line.
pub(crate) fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Box<Diagnostic>> {
    let Some(after_open) = strip_fence(text) else {
        return Ok(Split {
            yaml: None,
            yaml_start: 0,
            body: text,
            body_start: 0,
        });
    };
    let yaml_start = text.len() - after_open.len();
    let mut offset = yaml_start;
    for line in after_open.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare.trim_end() == "---" || bare.trim_end() == "..." {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: Some(&text[yaml_start..offset]),
                yaml_start,
                body: &text[body_start..],
                body_start,
            });
        }
        offset += line.len();
    }
    let fence_len = yaml_start.min(3);
    Err(Box::new(
        Diagnostic::error(
            "front-matter",
            path,
            text,
            0..fence_len,
            "front matter is opened with `---` but never closed",
        )
        .with_hint("did you forget the closing `---` line after the front matter?"),
    ))
}

/// The rest of `text` after an opening `---` line, if it starts with one.
fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

/// Parse the YAML of a page's front matter into [`FrontMatter`].
pub(crate) fn parse(path: &str, text: &str, split: &Split) -> Result<FrontMatter, Box<Diagnostic>> {
    let Some(yaml) = split.yaml else {
        return Ok(FrontMatter::default());
    };
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    serde_norway::from_str::<Option<FrontMatter>>(yaml)
        .map(Option::unwrap_or_default)
        .map_err(|err| Box::new(yaml_diagnostic(path, text, split.yaml_start, &err)))
}

/// A diagnostic for a YAML error, placed at its line in the whole file.
fn yaml_diagnostic(
    path: &str,
    text: &str,
    yaml_start: usize,
    err: &serde_norway::Error,
) -> Diagnostic {
    let diagnostic = crate::yaml::diagnostic(
        "front-matter",
        path,
        text,
        yaml_start,
        err,
        "invalid front matter",
    );
    let hint = front_matter_hint(
        diagnostic
            .message
            .trim_start_matches("invalid front matter: "),
    );
    diagnostic.with_hint(hint)
}

fn front_matter_hint(message: &str) -> String {
    let key_hint = [
        ("title", "`title` is a string: `title: \"Deploying\"`"),
        (
            "description",
            "`description` is a string: `description: \"One line about the page\"`",
        ),
        (
            "weight",
            "`weight` is a whole number that orders the sidebar: `weight: 10`",
        ),
        ("draft", "`draft` is `true` or `false`"),
        (
            "roles",
            "`roles` is a list of role names: `roles: [release-manager, qa]`",
        ),
    ];
    for (key, hint) in key_hint {
        if message.starts_with(&format!("{key}:")) {
            return hint.to_string();
        }
    }
    "front matter is YAML between two `---` lines at the top of the page; quote values that contain `:` or start with a special character".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<FrontMatter, Box<Diagnostic>> {
        let split = split("p.md", text)?;
        parse("p.md", text, &split)
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("p.md", "# Title\n---\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "# Title\n---\n");
    }

    #[test]
    fn splits_lf_and_crlf() {
        for text in [
            "---\ntitle: A\n---\nbody\n",
            "---\r\ntitle: A\r\n---\r\nbody\r\n",
        ] {
            let s = split("p.md", text).unwrap();
            assert_eq!(s.yaml.unwrap().trim(), "title: A");
            assert!(s.body.starts_with("body"));
            assert_eq!(&text[s.body_start..], s.body);
        }
    }

    #[test]
    fn dots_close_front_matter_too() {
        let s = split("p.md", "---\ntitle: A\n...\nbody").unwrap();
        assert_eq!(s.body, "body");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_with_a_hint() {
        let err = split("p.md", "---\ntitle: A\n# Heading\n").unwrap_err();
        assert_eq!((err.line, err.col), (1, 1));
        assert!(err.hint.unwrap().contains("closing `---`"));
    }

    #[test]
    fn known_and_unknown_keys() {
        let fm = parse_text(
            "---\ntitle: Deploy\nweight: 3\ndraft: true\nroles: [sre]\nowner: ops\n---\n",
        )
        .unwrap();
        assert_eq!(fm.title.as_deref(), Some("Deploy"));
        assert_eq!(fm.weight, Some(3));
        assert!(fm.draft);
        assert_eq!(fm.roles, ["sre"]);
        assert_eq!(fm.extra["owner"], serde_json::json!("ops"));
    }

    #[test]
    fn empty_front_matter_is_default() {
        assert_eq!(
            parse_text("---\n---\nbody").unwrap(),
            FrontMatter::default()
        );
        assert_eq!(
            parse_text("---\n# only a comment\n---\nbody").unwrap(),
            FrontMatter::default()
        );
    }

    #[test]
    fn misspellings_of_known_keys() {
        for (typo, meant) in [
            ("titel", "title"),
            ("Title", "title"),
            ("wieght", "weight"),
            ("descripton", "description"),
            ("role", "roles"),
            ("drafts", "draft"),
        ] {
            assert_eq!(misspelling_of(typo, &KNOWN_KEYS), Some(meant), "{typo}");
        }
        for custom in ["date", "tags", "owner", "layout", "summary", "aliases"] {
            assert_eq!(misspelling_of(custom, &KNOWN_KEYS), None, "{custom}");
        }
    }

    #[test]
    fn misspelt_keys_are_warnings_at_the_key() {
        let text = "---\ntitle: A\nowner: ops\n  # note\nwieght: 3\n---\nbody\n";
        let front = parse_text(text).unwrap();
        let found = misspelt_keys("p.md", text, &front);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].line, found[0].col), (5, 1));
        assert_eq!(
            found[0].message,
            "unknown front matter key `wieght`: did you mean `weight`?"
        );
    }

    #[test]
    fn wrong_type_points_at_the_key_line() {
        let err = parse_text("---\ntitle: Ok\nweight: heavy\n---\n").unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
        assert!(err.message.contains("weight"), "{}", err.message);
        assert!(err.hint.unwrap().contains("whole number"));
    }

    #[test]
    fn broken_yaml_points_at_its_line() {
        let err = parse_text("---\ntitle: Ok\nroles: [a, b\n---\n").unwrap_err();
        assert!(err.line >= 3, "{err:?}");
        assert!(err.message.starts_with("invalid front matter"));
    }

    #[test]
    fn front_matter_that_is_not_a_mapping_is_an_error() {
        assert!(parse_text("---\n- a\n- b\n---\n").is_err());
    }
}
