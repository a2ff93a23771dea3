//! YAML errors as diagnostics, shared by front matter, data files and
//! `playbook.yaml`.
//!
//! libyaml often notices a problem far from its cause (an unclosed `[` is
//! reported where the file ends), but says where the construct began
//! ("while parsing a flow sequence at line 3 column 8"): point there.

use crate::diagnostic::{offset_of, Diagnostic};

/// `yaml` read as YAML 1.1 readers do, with merge keys (`<<: *defaults`)
/// applied: serde alone reads `<<` as an ordinary key, and the keys it
/// merges would be silently lost. Read directly first, so that an error in
/// the YAML keeps its position.
pub(crate) fn from_str_merged<T: serde::de::DeserializeOwned>(
    yaml: &str,
) -> Result<T, serde_norway::Error> {
    let direct = serde_norway::from_str(yaml)?;
    if !yaml.contains("<<") {
        return Ok(direct);
    }
    let mut value: serde_norway::Value = serde_norway::from_str(yaml)?;
    value.apply_merge()?;
    serde_norway::from_value(value)
}

/// A data file read as JSON-like data, merge keys applied. Such data keeps
/// the last of two equal keys without a word: the YAML values read too
/// refuse them.
pub(crate) fn data_from_str(yaml: &str) -> Result<serde_json::Value, serde_norway::Error> {
    let data = from_str_merged(yaml)?;
    serde_norway::from_str::<serde_norway::Value>(yaml)?;
    Ok(data)
}

/// A diagnostic for `err`, raised while parsing the YAML that starts at byte
/// `yaml_start` of `text` (the whole file).
pub(crate) fn diagnostic(
    code: &'static str,
    path: &str,
    text: &str,
    yaml_start: usize,
    err: &serde_norway::Error,
    what: &str,
) -> Diagnostic {
    let yaml = &text[yaml_start..];
    let message = err.to_string();
    let (problem, context) = match message.split_once(", while ") {
        Some((problem, context)) => (strip_position(problem), Some(context)),
        None => (strip_position(&message), None),
    };
    let context_at = context.and_then(position);
    let at = match (context_at, byte_position(&message), err.location()) {
        (Some((line, col)), ..) => yaml_start + offset_of(yaml, line, col),
        // libyaml's reader errors ("control characters are not allowed")
        // give a byte offset, and a location of 1:1.
        (None, Some(offset), _) => {
            let mut at = yaml_start + offset.min(yaml.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        }
        (None, None, Some(loc)) => yaml_start + offset_of(yaml, loc.line(), loc.column()),
        // Only a merge (`from_str_merged`) fails with no position at all.
        (None, None, None) => yaml_start + yaml.find("<<").unwrap_or(0),
    };
    let at = duplicate_key(yaml, problem).map_or(at, |key| yaml_start + key);
    let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
    let problem = as_written(problem, &text[at..end]);
    let problem = problem.as_str();
    let message = match context {
        Some(context) if context_at.is_some() => format!(
            "{what}: {problem} (while {} that starts here)",
            strip_position(context)
        ),
        Some(context) => format!("{what}: {problem} (while {context})"),
        None => format!("{what}: {problem}"),
    };
    Diagnostic::error(code, path, text, at..end, message)
}

/// Where the second of two equal keys is, for serde's "duplicate field
/// `text`" (or "duplicate entry with key \"text\"", in data files), which
/// it reports where their mapping starts.
fn duplicate_key(yaml: &str, problem: &str) -> Option<usize> {
    let (parent, key) = [
        ("duplicate field `", '`'),
        ("duplicate entry with key \"", '"'),
    ]
    .into_iter()
    .find_map(|(opening, close)| {
        let (parent, rest) = problem.split_once(opening)?;
        Some((parent, rest.split(close).next()?))
    })?;
    // `groups[0].items[1]: ` → `groups/0/items/1`
    let parent = parent.trim_end().trim_end_matches(':');
    let parent = parent.replace('[', "/").replace(']', "").replace('.', "/");
    let path = if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}/{key}")
    };
    // Front matter is followed by its page: read up to the document's end.
    let end = yaml
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .find(|&i| {
            let line = yaml[i..].lines().next().unwrap_or("").trim_end();
            line == "---" || line == "..."
        })
        .unwrap_or(yaml.len());
    // Of equal keys the spans keep the last.
    crate::yaml_spans::Spans::of(&yaml[..end])
        .key(&path)
        .map(|span| span.start)
}

const NUL_HINT: &str = "remove it: a NUL character shows as nothing, or as garbage, in titles, the sidebar and search; in a file it usually means the file is damaged or not text";

/// An error at the first NUL character (U+0000) of `text`, if it has one:
/// nothing publishes it sensibly, and a text file never needs one.
pub(crate) fn nul_character(code: &'static str, path: &str, text: &str) -> Option<Diagnostic> {
    let at = memchr::memchr(0, text.as_bytes())?;
    Some(
        Diagnostic::error(
            code,
            path,
            text,
            at..at + 1,
            "NUL character (U+0000) in the text",
        )
        .with_hint(NUL_HINT),
    )
}

/// An error at the first string of `value`, read from `yaml` (which starts
/// at byte `yaml_start` of `text`), that holds a NUL character written as
/// an escape (`"\0"`, `"\x00"`, `"\u0000"`).
pub(crate) fn nul_in_value(
    code: &'static str,
    path: &str,
    text: &str,
    (yaml, yaml_start): (&str, usize),
    value: &serde_json::Value,
) -> Option<Diagnostic> {
    // Only an escape writes a NUL into YAML (libyaml refuses a raw one).
    if !yaml.contains('\\') {
        return None;
    }
    let key = first_nul(value, String::new())?;
    let span = crate::yaml_spans::Spans::of(yaml)
        .value(&key)
        .map_or(0..0, |s| s.start + yaml_start..s.end + yaml_start);
    Some(
        Diagnostic::error(
            code,
            path,
            text,
            span,
            format!("the value of `{key}` holds a NUL character (U+0000)"),
        )
        .with_hint(NUL_HINT),
    )
}

/// The `/`-joined path of the first string in `value` that holds a NUL.
fn first_nul(value: &serde_json::Value, at: String) -> Option<String> {
    let child = |key: &str| {
        if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}/{key}")
        }
    };
    match value {
        serde_json::Value::String(s) => s.contains('\0').then_some(at),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| first_nul(v, child(&i.to_string()))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                Some(child(k))
            } else {
                first_nul(v, child(k))
            }
        }),
        _ => None,
    }
}

/// serde prints a float as all its digits (`1e300` as 301 of them): show the
/// number in `problem` as it is written at the start of `source` instead.
fn as_written(problem: &str, source: &str) -> String {
    const FLOAT: &str = "floating point `";
    let written = source
        .split(|c: char| c.is_whitespace() || ",]}#".contains(c))
        .next()
        .unwrap_or("");
    match problem.split_once(FLOAT) {
        Some((before, after)) if !written.is_empty() => match after.split_once('`') {
            Some((_, rest)) => format!("{before}{FLOAT}{written}`{rest}"),
            None => problem.to_string(),
        },
        _ => problem.to_string(),
    }
}

/// `text at line L column C` (or `at position N`) → `text`.
fn strip_position(text: &str) -> &str {
    let text = text.split(" at line ").next().unwrap_or(text);
    text.split(" at position ").next().unwrap_or(text)
}

/// The byte offset N of a message's `at position N`, if it has one.
fn byte_position(text: &str) -> Option<usize> {
    let rest = text.split(" at position ").nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The `line L column C` of a message, if it has one.
fn position(text: &str) -> Option<(usize, usize)> {
    let rest = &text[text.find(" at line ")? + 9..];
    let (line, rest) = rest.split_once(" column ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, col.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnose(text: &str) -> Diagnostic {
        let err = serde_norway::from_str::<serde_json::Value>(text).unwrap_err();
        diagnostic("data-file", "d.yaml", text, 0, &err, "invalid YAML")
    }

    #[test]
    fn unclosed_flow_sequence_points_at_its_start() {
        let d = diagnose("title: Fine\nroles: [qa, sre\n");
        assert_eq!((d.line, d.col), (2, 8));
        assert_eq!(d.message, "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts here)");
    }

    #[test]
    fn plain_errors_point_at_their_location() {
        let d = diagnose("a: b: c\n");
        assert_eq!((d.line, d.col), (1, 5));
        assert_eq!(
            d.message,
            "invalid YAML: mapping values are not allowed in this context"
        );
    }

    #[test]
    fn context_without_position_is_kept() {
        let d = diagnose("a:\n  - x\n - y\n");
        assert_eq!((d.line, d.col), (3, 2));
        assert!(
            d.message.ends_with("(while parsing a block mapping)"),
            "{}",
            d.message
        );
    }

    #[test]
    fn control_characters_point_at_their_byte() {
        let d = diagnose("a: ok\nb: \"é\u{0}\"\n");
        assert_eq!(
            d.message,
            "invalid YAML: control characters are not allowed"
        );
        assert_eq!((d.line, d.col), (2, 6));
    }

    #[test]
    fn floats_are_shown_as_written() {
        let text = "weight: 1e300 # heavy\n";
        let err = serde_norway::from_str::<crate::frontmatter::FrontMatter>(text).unwrap_err();
        let d = diagnostic(
            "front-matter",
            "p.md",
            text,
            0,
            &err,
            "invalid front matter",
        );
        assert_eq!(
            d.message,
            "invalid front matter: weight: invalid type: floating point `1e300`, expected i64"
        );
        assert_eq!((d.line, d.col), (1, 9));
    }

    #[test]
    fn nul_escapes_are_found_at_their_value() {
        let text = "---\ntitle: Fine\nroles: [qa, \"s\\0re\"]\n---\n";
        let yaml = &text[4..text.len() - 4];
        let value: serde_json::Value = serde_norway::from_str(yaml).unwrap();
        let d = nul_in_value("front-matter", "p.md", text, (yaml, 4), &value).unwrap();
        assert_eq!((d.line, d.col), (3, 13));
        assert_eq!(
            d.message,
            "the value of `roles/1` holds a NUL character (U+0000)"
        );
        let clean: serde_json::Value = serde_norway::from_str("a: '\\0'").unwrap();
        assert!(nul_in_value("x", "p", "a: '\\0'", ("a: '\\0'", 0), &clean).is_none());
    }

    #[test]
    fn offsets_are_relative_to_the_yaml_start() {
        let text = "---\nk: 'open\n---\n";
        let err = serde_norway::from_str::<serde_json::Value>(&text[4..12]).unwrap_err();
        let d = diagnostic(
            "front-matter",
            "p.md",
            text,
            4,
            &err,
            "invalid front matter",
        );
        assert_eq!((d.line, d.col), (2, 4), "{d:?}");
    }

    #[test]
    fn a_duplicate_key_is_shown_at_its_second_occurrence() {
        // Front matter, followed by its page.
        let text = "---\ntitle: One\ndraft: false\ntitle: Two\n---\n# Page\n- a: [\n";
        let yaml = &text[4..text.find("\n---\n").unwrap() + 1];
        let err = serde_norway::from_str::<crate::frontmatter::FrontMatter>(yaml).unwrap_err();
        let d = diagnostic(
            "front-matter",
            "p.md",
            text,
            4,
            &err,
            "invalid front matter",
        );
        assert_eq!((d.line, d.col), (4, 1), "{d:?}");

        // A nested one, in a checklist.
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            id: String,
            text: String,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct List {
            items: Vec<Item>,
        }
        let text = "items:\n  - id: a\n    text: A\n  - id: b\n    text: B\n    text: C\n";
        let err = serde_norway::from_str::<List>(text).unwrap_err();
        let d = diagnostic("data-file", "c.yaml", text, 0, &err, "invalid checklist");
        assert_eq!((d.line, d.col), (6, 5), "{d:?}");
    }

    #[test]
    fn a_duplicate_key_in_a_data_file_is_an_error_at_the_second() {
        // JSON-like data alone kept "Bob" and dropped "Ada" without a word.
        let text = "team:\n  lead: Ada\n  size: 3\n  lead: Bob\n";
        let err = data_from_str(text).unwrap_err();
        let d = diagnostic("data-file", "team.yaml", text, 0, &err, "invalid YAML");
        assert_eq!((d.line, d.col), (4, 3), "{d:?}");
        assert!(
            d.message.contains("duplicate entry with key \"lead\""),
            "{d:?}"
        );
        assert!(data_from_str("a: 1\nb: {<<: {c: 2}, d: 3}\n").is_ok());
    }
}
