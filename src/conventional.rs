//! Conventional Commits (<https://www.conventionalcommits.org/en/v1.0.0/>):
//! `type(scope)!: description`, an optional body, and trailing footers
//! (`Token: value`, `Token #value`, `BREAKING CHANGE: ...`).
//!
//! Lenient where a writer's intent is plain and strict where it is not: CRLF
//! line ends and an empty scope (`feat(): x`) are accepted; a message whose
//! first line is not in the form (`Revert "feat: x"`, `Merge branch ...`,
//! `fix:x`, `WIP`) is not conventional, and the caller lists it apart.

use serde::Serialize;

/// A commit message in Conventional Commits form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conventional {
    /// Lowercased (`Feat` and `FEAT` are `feat`).
    #[serde(rename = "type")]
    pub kind: String,
    pub scope: Option<String>,
    /// A `!` before the colon, or a `BREAKING CHANGE` footer.
    pub breaking: bool,
    /// What the `BREAKING CHANGE:` footer says, if there is one.
    pub breaking_description: Option<String>,
    pub description: String,
    pub body: Option<String>,
    pub footers: Vec<Footer>,
}

/// One trailer line (and its continuation lines) of the last paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Footer {
    pub token: String,
    pub value: String,
}

/// `message` parsed, or `None` when its first line is not conventional.
pub fn parse(message: &str) -> Option<Conventional> {
    let message = message.replace("\r\n", "\n");
    let message = message.trim_matches('\n');
    let (header, rest) = message.split_once('\n').unwrap_or((message, ""));
    let (kind, scope, bang, description) = header_parts(header.trim_end())?;
    let (body, footers) = body_and_footers(rest);
    let breaking_footer = footers
        .iter()
        .find(|f| f.token == "BREAKING CHANGE" || f.token == "BREAKING-CHANGE");
    Some(Conventional {
        kind: kind.to_lowercase(),
        scope,
        breaking: bang || breaking_footer.is_some(),
        breaking_description: breaking_footer.map(|f| f.value.clone()),
        description: description.to_string(),
        body,
        footers,
    })
}

/// `type`, scope, `!` and description of a header line.
fn header_parts(header: &str) -> Option<(&str, Option<String>, bool, &str)> {
    let kind_end = header
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(header.len());
    let kind = &header[..kind_end];
    if !kind.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut rest = &header[kind_end..];
    let mut scope = None;
    if let Some(after) = rest.strip_prefix('(') {
        let close = after.find(')')?;
        let inner = &after[..close];
        if inner.contains('(') {
            return None;
        }
        let inner = inner.trim();
        scope = (!inner.is_empty()).then(|| inner.to_string());
        rest = &after[close + 1..];
    }
    let bang = rest.starts_with('!');
    if bang {
        rest = &rest[1..];
    }
    let description = rest.strip_prefix(": ")?.trim();
    if description.is_empty() {
        return None;
    }
    Some((kind, scope, bang, description))
}

/// The body (paragraphs after the header) and the footers (the last
/// paragraph, when every line of it is a footer or continues one).
fn body_and_footers(rest: &str) -> (Option<String>, Vec<Footer>) {
    let rest = rest.trim_matches('\n');
    let (body, last) = match rest.rfind("\n\n") {
        Some(at) => (&rest[..at], rest[at + 2..].trim_start_matches('\n')),
        None => ("", rest),
    };
    let footers = footers(last);
    let body = if footers.is_empty() { rest } else { body };
    let body = body.trim();
    ((!body.is_empty()).then(|| body.to_string()), footers)
}

/// The footers of a paragraph; none unless its first line starts one.
fn footers(paragraph: &str) -> Vec<Footer> {
    let mut footers: Vec<Footer> = Vec::new();
    for line in paragraph.lines() {
        match footer_start(line) {
            Some((token, value)) => footers.push(Footer {
                token: token.to_string(),
                value: value.to_string(),
            }),
            None => match footers.last_mut() {
                Some(footer) => {
                    footer.value.push('\n');
                    footer.value.push_str(line);
                }
                None => return Vec::new(),
            },
        }
    }
    for footer in &mut footers {
        footer.value = footer.value.trim().to_string();
    }
    footers
}

/// `Token: value` or `Token #value` (a token is a word with hyphens, or
/// `BREAKING CHANGE`).
fn footer_start(line: &str) -> Option<(&str, &str)> {
    if let Some(value) = line.strip_prefix("BREAKING CHANGE: ") {
        return Some(("BREAKING CHANGE", value));
    }
    let end = line.find(|c: char| !(c.is_alphanumeric() || c == '-'))?;
    let token = &line[..end];
    if token.is_empty() {
        return None;
    }
    let rest = &line[end..];
    match rest.strip_prefix(": ") {
        Some(value) => Some((token, value)),
        // `Refs #133`: the `#` belongs to the value.
        None => rest.starts_with(" #").then(|| (token, &rest[1..])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Type, scope, breaking, description.
    type Header = (String, Option<String>, bool, String);

    fn header(message: &str) -> Option<Header> {
        parse(message).map(|c| (c.kind, c.scope, c.breaking, c.description))
    }

    #[test]
    fn headers() {
        let some = |k: &str, s: Option<&str>, b: bool, d: &str| {
            Some((k.to_string(), s.map(String::from), b, d.to_string()))
        };
        let cases: &[(&str, Option<Header>)] = &[
            ("feat: add search", some("feat", None, false, "add search")),
            (
                "fix(parser): keep CRLF",
                some("fix", Some("parser"), false, "keep CRLF"),
            ),
            (
                "fix(scope)!: drop v1",
                some("fix", Some("scope"), true, "drop v1"),
            ),
            ("feat!: new config", some("feat", None, true, "new config")),
            (
                "Feat: Capital type",
                some("feat", None, false, "Capital type"),
            ),
            (
                "feat(): empty scope",
                some("feat", None, false, "empty scope"),
            ),
            (
                "feat( ui ): spaced scope",
                some("feat", Some("ui"), false, "spaced scope"),
            ),
            (
                "docs(ü-ñ): ünïcödé ✓",
                some("docs", Some("ü-ñ"), false, "ünïcödé ✓"),
            ),
            (
                "feat:  extra space  ",
                some("feat", None, false, "extra space"),
            ),
            ("Revert \"feat: add search\"", None),
            ("Merge branch 'feature' into main", None),
            ("Merge pull request #12 from a/b", None),
            ("fix:no space", None),
            ("fix: ", None),
            ("fix", None),
            ("", None),
            ("(scope): no type", None),
            ("feat(a(b)): nested", None),
            ("feat(open: unclosed", None),
            ("1fix: digit first", None),
            ("feat !: space before bang", None),
            ("WIP", None),
        ];
        for (message, expected) in cases {
            assert_eq!(&header(message), expected, "{message:?}");
        }
    }

    #[test]
    fn bodies_and_footers() {
        let c = parse("feat(api): add v2\r\n\r\nThe v2 endpoint.\r\nTwo lines.\r\n\r\nReviewed-by: Z\r\nRefs #133\r\n").unwrap();
        assert_eq!(c.body.as_deref(), Some("The v2 endpoint.\nTwo lines."));
        assert_eq!(
            c.footers,
            vec![
                Footer {
                    token: "Reviewed-by".into(),
                    value: "Z".into()
                },
                Footer {
                    token: "Refs".into(),
                    value: "#133".into()
                },
            ]
        );
        assert!(!c.breaking);

        let c = parse("refactor: split\n\nBody one.\n\nBody two.\n\nBREAKING CHANGE: config moved\n  to playbook.yaml\nCloses #7").unwrap();
        assert!(c.breaking);
        assert_eq!(
            c.breaking_description.as_deref(),
            Some("config moved\n  to playbook.yaml")
        );
        assert_eq!(c.body.as_deref(), Some("Body one.\n\nBody two."));
        assert_eq!(c.footers.len(), 2);

        let c = parse("fix: x\n\nBREAKING-CHANGE: renamed").unwrap();
        assert!(c.breaking);
        assert_eq!(c.body, None);
        assert_eq!(c.breaking_description.as_deref(), Some("renamed"));

        // A last paragraph that is prose is body, not footers.
        // A footer's value runs on over the lines that start no footer.
        let c = parse("fix: x\n\nSee: the docs say so.\nBut this line is prose.").unwrap();
        assert_eq!(
            c.footers[0].value,
            "the docs say so.\nBut this line is prose."
        );
        let c = parse("fix: x\n\nThis is prose: with a colon later\n").unwrap();
        assert!(c.footers.is_empty());
        assert_eq!(c.body.as_deref(), Some("This is prose: with a colon later"));

        // A lowercase "breaking change" is no footer of the spec.
        let c = parse("fix: x\n\nbreaking change: maybe").unwrap();
        assert!(!c.breaking);
    }

    proptest! {
        #[test]
        fn never_panics(message in "\\PC*(\r?\n\\PC*){0,6}") {
            if let Some(c) = parse(&message) {
                prop_assert!(!c.description.is_empty());
                prop_assert_eq!(c.kind.clone(), c.kind.to_lowercase());
            }
        }

        #[test]
        fn shaped_messages_parse(
            kind in "[a-z]{1,8}",
            scope in proptest::option::of("[a-zA-Z0-9 _.-]{0,10}"),
            bang: bool,
            description in "[^\r\n]*[^\\s][^\r\n]*",
            body in "[^\r\n]*",
        ) {
            let scope_text = scope.as_ref().map(|s| format!("({s})")).unwrap_or_default();
            let message = format!("{kind}{scope_text}{}: {description}\n\n{body}", if bang { "!" } else { "" });
            let parsed = parse(&message);
            prop_assert!(parsed.is_some(), "{:?}", message);
            let c = parsed.unwrap();
            prop_assert_eq!(c.breaking, bang);
            prop_assert_eq!(c.description, description.trim().to_string());
        }
    }
}
