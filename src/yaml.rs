//! YAML errors as diagnostics, shared by front matter, data files and
//! `playbook.yaml`.
//!
//! libyaml often notices a problem far from its cause (an unclosed `[` is
//! reported where the file ends), but says where the construct began
//! ("while parsing a flow sequence at line 3 column 8"): point there.

use crate::diagnostic::{offset_of, Diagnostic};

/// A diagnostic for `err`, raised while parsing the YAML that starts at byte
/// `yaml_start` of `text` (the whole file).
pub fn diagnostic(
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
    let at = match (context_at, err.location()) {
        (Some((line, col)), _) => yaml_start + offset_of(yaml, line, col),
        (None, Some(loc)) => yaml_start + offset_of(yaml, loc.line(), loc.column()),
        (None, None) => yaml_start,
    };
    let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
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

/// `text at line L column C` → `text`.
fn strip_position(text: &str) -> &str {
    text.split(" at line ").next().unwrap_or(text)
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
}
