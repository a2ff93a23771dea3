//! Front matter: finding it at the top of a page and reading it into typed
//! fields, with errors that point at the offending line. YAML between `---`
//! lines; also TOML between `+++` lines, as Zola and Hugo pages have it.

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
    let Ok(split) = split(shown, text) else {
        return Vec::new();
    };
    let yaml_start = split.yaml_start;
    let keys: Vec<(String, std::ops::Range<usize>)> = match (split.yaml, split.toml) {
        (Some(yaml), _) => crate::yaml_spans::Spans::of(yaml).top_keys().to_vec(),
        (_, Some(toml)) => toml_top_keys(toml),
        _ => return Vec::new(),
    };
    let mut found = Vec::new();
    for (key, span) in &keys {
        let key = key.as_str();
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

/// The keys of a TOML table's top level (before any `[table]` line), each
/// with where it is: bare keys, or quoted ones without escapes.
fn toml_top_keys(toml: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut keys = Vec::new();
    let mut offset = 0;
    for line in toml.split_inclusive('\n') {
        let start = offset + (line.len() - line.trim_start().len());
        offset += line.len();
        let body = line.trim();
        if body.starts_with('[') {
            break;
        }
        let Some((key, _)) = body.split_once('=') else {
            continue;
        };
        let key = key.trim_end();
        let bare = key.trim_matches('"');
        let quoted = bare.len() + 2 == key.len();
        if !bare.is_empty() && !bare.contains(['"', '\\', '.']) {
            let at = start + usize::from(quoted);
            keys.push((bare.to_string(), at..at + bare.len()));
        }
    }
    keys
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
    /// The YAML between `---` fences, if the page has YAML front matter.
    pub yaml: Option<&'a str>,
    /// The TOML between `+++` fences, if the page has TOML front matter.
    pub toml: Option<&'a str>,
    /// Byte offset of the front matter (or of the body) in the whole text.
    pub yaml_start: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of the body in the whole text.
    pub body_start: usize,
}

/// Cut `text` into front matter and body. Front matter starts with a `---`
/// line on the very first line and ends at the next `---` or `...` line; or
/// it starts with a `+++` line and ends at the next `+++` line (TOML); or
/// it is a JSON object at the top ([`json_front_matter`]).
pub(crate) fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Box<Diagnostic>> {
    let (after_open, toml) = match (strip_fence(text, "---"), strip_fence(text, "+++")) {
        (Some(after), _) => (after, false),
        (_, Some(after)) => (after, true),
        _ => return json_front_matter(path, text),
    };
    let yaml_start = text.len() - after_open.len();
    let mut offset = yaml_start;
    for line in after_open.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']).trim_end();
        let closes = if toml {
            bare == "+++"
        } else {
            bare == "---" || bare == "..."
        };
        if closes {
            let body_start = offset + line.len();
            let front = Some(&text[yaml_start..offset]);
            return Ok(Split {
                yaml: front.filter(|_| !toml),
                toml: front.filter(|_| toml),
                yaml_start,
                body: &text[body_start..],
                body_start,
            });
        }
        offset += line.len();
    }
    let fence = if toml { "+++" } else { "---" };
    let fence_len = yaml_start.min(3);
    Err(Box::new(
        Diagnostic::error(
            "front-matter",
            path,
            text,
            0..fence_len,
            format!("front matter is opened with `{fence}` but never closed"),
        )
        .with_hint(format!(
            "did you forget the closing `{fence}` line after the front matter?"
        )),
    ))
}

/// Hugo's JSON front matter: an object at the very top (`{` alone on the
/// first line, or `{"title": …`), the body after the line it closes on.
/// JSON is YAML, so it is read as YAML front matter. A page that only
/// starts with a brace (`{% raw %}`, `{#id}`) is all body.
fn json_front_matter<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Box<Diagnostic>> {
    let all_body = Split {
        yaml: None,
        toml: None,
        yaml_start: 0,
        body: text,
        body_start: 0,
    };
    let first_line = text.lines().next().unwrap_or("").trim_end();
    let opens_object =
        first_line == "{" || first_line.starts_with("{\"") || first_line.starts_with("{ \"");
    if !opens_object {
        return Ok(all_body);
    }
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => {
            let end = values.byte_offset();
            let rest = &text[end..];
            let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
            if !rest[..line_end].trim().is_empty() {
                return Ok(all_body); // `{"a": 1} and more text`: Markdown
            }
            let body_start = end + line_end;
            Ok(Split {
                yaml: Some(&text[..end]),
                toml: None,
                yaml_start: 0,
                body: &text[body_start..],
                body_start,
            })
        }
        Some(Err(err)) => {
            let at = offset_of(text, err.line(), err.column());
            Err(Box::new(
                Diagnostic::error(
                    "front-matter",
                    path,
                    text,
                    at..at,
                    format!("front matter that opens with `{{` is JSON, and this is not valid JSON: {err}"),
                )
                .with_hint("close the object with `}` on its own line before the Markdown, or start the page with YAML front matter between `---` lines"),
            ))
        }
        None => Ok(all_body),
    }
}

/// The byte offset of 1-based `line` and `column` (in characters, as
/// serde_json counts them) in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[line_start.min(text.len())..];
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// The rest of `text` after an opening `fence` line, if it starts with one.
fn strip_fence<'a>(text: &'a str, fence: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(fence)?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

/// Parse the YAML of a page's front matter into [`FrontMatter`].
pub(crate) fn parse(path: &str, text: &str, split: &Split) -> Result<FrontMatter, Box<Diagnostic>> {
    if let Some(toml) = split.toml {
        return parse_toml(path, text, split.yaml_start, toml);
    }
    let Some(yaml) = split.yaml else {
        return Ok(FrontMatter::default());
    };
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let front = crate::yaml::from_str_merged::<Option<FrontMatter>>(yaml)
        .map(Option::unwrap_or_default)
        .map_err(|err| Box::new(yaml_diagnostic(path, text, split.yaml_start, &err)))?;
    if !front.extra.is_empty() {
        // Keys passed on to templates are gathered into a map, which keeps
        // the last of two equal ones without a word: YAML's own values refuse them.
        serde_norway::from_str::<serde_norway::Value>(yaml)
            .map_err(|err| Box::new(yaml_diagnostic(path, text, split.yaml_start, &err)))?;
    }
    Ok(front)
}

/// TOML front matter into [`FrontMatter`]; an error at its place in the file.
fn parse_toml(
    path: &str,
    text: &str,
    start: usize,
    toml: &str,
) -> Result<FrontMatter, Box<Diagnostic>> {
    let mut front: FrontMatter = toml::from_str(toml).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        let at = start + span.start.min(toml.len())..start + span.end.min(toml.len());
        let message = err.message().trim().to_string();
        let key_hint = front_matter_hint(&message);
        let hint = if key_hint.starts_with("front matter is YAML") {
            "front matter between `+++` lines is TOML: `title = \"Deploying\"`, `weight = 10`, `roles = [\"qa\"]`".to_string()
        } else {
            key_hint
        };
        Box::new(Diagnostic::error("front-matter", path, text, at, format!("invalid front matter: {message}")).with_hint(hint))
    })?;
    // TOML dates reach templates as the text they were written as.
    for value in front.extra.values_mut() {
        toml_dates_as_text(value);
    }
    Ok(front)
}

/// A TOML date or time, which serde hands over as a one-key map, as its text.
fn toml_dates_as_text(value: &mut serde_json::Value) {
    const DATE_KEY: &str = "$__toml_private_datetime";
    match value {
        serde_json::Value::Object(map) => {
            if let (1, Some(serde_json::Value::String(date))) = (map.len(), map.get(DATE_KEY)) {
                *value = serde_json::Value::String(date.clone());
                return;
            }
            map.values_mut().for_each(toml_dates_as_text);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(toml_dates_as_text),
        _ => {}
    }
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

    #[test]
    fn toml_between_plus_lines_is_front_matter_too() {
        for text in [
            "+++\ntitle = \"Deploy\"\nweight = 3\ndraft = true\nroles = [\"sre\"]\ndate = 2024-05-01\n[extra]\nowner = \"ops\"\n+++\nbody\n",
            "+++\r\ntitle = \"Deploy\"\r\nweight = 3\r\ndraft = true\r\nroles = [\"sre\"]\r\ndate = 2024-05-01\r\n[extra]\r\nowner = \"ops\"\r\n+++\r\nbody\r\n",
        ] {
            let s = split("p.md", text).unwrap();
            assert_eq!((s.yaml, s.body.trim_end()), (None, "body"));
            assert_eq!(&text[s.body_start..], s.body);
            let fm = parse("p.md", text, &s).unwrap();
            assert_eq!(fm.title.as_deref(), Some("Deploy"));
            assert_eq!((fm.weight, fm.draft, fm.roles.clone()), (Some(3), true, vec!["sre".to_string()]));
            assert_eq!(fm.extra["date"], serde_json::json!("2024-05-01"), "a date as its text");
            assert_eq!(fm.extra["extra"], serde_json::json!({"owner": "ops"}));
        }
        let s = split("p.md", "# Title\n+++\n").unwrap();
        assert_eq!(
            (s.toml, s.body_start),
            (None, 0),
            "`+++` below the top is text"
        );
    }

    #[test]
    fn a_key_for_templates_given_twice_is_an_error_at_the_second() {
        let err =
            parse_text("---\ntitle: X\ntags: [a]\nowner: ops\ntags: [b]\n---\n# T\n").unwrap_err();
        assert_eq!((err.line, err.col), (5, 1), "{err:?}");
        assert!(err.message.contains("tags"), "{}", err.message);
        // Once each is fine, merge keys included.
        let fm = parse_text("---\nbase: &b {team: ops}\nowner:\n  <<: *b\n---\n").unwrap();
        assert_eq!(fm.extra["owner"], serde_json::json!({"team": "ops"}));
    }

    #[test]
    fn a_json_object_at_the_top_is_front_matter_as_hugo_reads_it() {
        for text in [
            "{\n  \"title\": \"Deploy\",\n  \"weight\": 3,\n  \"roles\": [\"sre\"],\n  \"owner\": {\"team\": \"ops\"}\n}\n# Deploy\n",
            "{\"title\": \"Deploy\", \"weight\": 3, \"roles\": [\"sre\"], \"owner\": {\"team\": \"ops\"}}\n# Deploy\n",
            "{ \"title\": \"Deploy\", \"weight\": 3, \"roles\": [\"sre\"],\r\n  \"owner\": {\"team\": \"ops\"} }  \r\n# Deploy\r\n",
        ] {
            let s = split("p.md", text).unwrap();
            assert_eq!(s.body.trim_end(), "# Deploy", "{text:?}");
            assert_eq!(&text[s.body_start..], s.body);
            let fm = parse("p.md", text, &s).unwrap();
            assert_eq!(fm.title.as_deref(), Some("Deploy"));
            assert_eq!((fm.weight, fm.roles.clone()), (Some(3), vec!["sre".to_string()]));
            assert_eq!(fm.extra["owner"], serde_json::json!({"team": "ops"}));
        }
        // Braces that open Markdown, or an object with text after it on its line.
        for text in [
            "{% raw %}\n# T\n",
            "{#id} text\n",
            "{\"a\": 1} and more\n",
            "{}\n",
            "# T\n{\n\"title\": \"x\"\n}\n",
        ] {
            let s = split("p.md", text).unwrap();
            assert_eq!((s.yaml, s.body_start), (None, 0), "{text:?}");
        }
        // An object that never closes, or is not JSON: an error where it breaks.
        let err = split("p.md", "{\n  \"title\": \"A\"\n# Heading\n").unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
        assert!(err.message.contains("is JSON"), "{}", err.message);
        let err = split("p.md", "{\n  \"title\": \"A\",\n  weight: 3\n}\n").unwrap_err();
        assert_eq!((err.line, err.col), (3, 3), "{err:?}");
    }

    #[test]
    fn toml_errors_and_misspellings_point_at_their_place() {
        let err = split("p.md", "+++\ntitle = \"A\"\n# Heading\n").unwrap_err();
        assert_eq!((err.line, err.col), (1, 1));
        assert!(
            err.message.contains("`+++` but never closed"),
            "{}",
            err.message
        );
        let err = parse_text("+++\ntitle = \"Ok\"\nweight = \"heavy\"\n+++\n").unwrap_err();
        assert_eq!((err.line, err.col), (3, 10), "{err:?}");
        assert!(err.hint.unwrap().contains("TOML"));
        let err = parse_text("+++\ntitle = \"open\n+++\n").unwrap_err();
        assert_eq!(err.line, 2, "{err:?}");
        let text = "+++\ntitle = \"A\"\n  \"wieght\" = 3\n[extra]\ntitel = \"in a table: not a page key\"\n+++\nbody\n";
        let front = parse_text(text).unwrap();
        let found = misspelt_keys("p.md", text, &front);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].line, found[0].col), (3, 4));
        assert!(
            found[0].message.contains("`wieght`"),
            "{}",
            found[0].message
        );
    }

    proptest::proptest! {
        /// Any text that opens like JSON front matter is split or refused
        /// with an error in the file, never a panic.
        #[test]
        fn any_brace_opening_splits_or_is_refused(rest in "\\PC{0,40}(\r?\n\\PC{0,20}){0,4}") {
            for text in [format!("{{{rest}"), format!("{{\n{rest}"), format!("{{\"{rest}")] {
                match split("p.md", &text) {
                    Ok(s) => {
                        proptest::prop_assert_eq!(&text[s.body_start..], s.body);
                        let _ = parse("p.md", &text, &s);
                    }
                    Err(d) => proptest::prop_assert!(d.line >= 1 && d.span.start <= text.len()),
                }
            }
        }
    }
}
