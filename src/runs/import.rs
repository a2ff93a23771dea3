//! Ticks read from a Markdown task list: a GitHub release issue made from
//! `playbook checklist --format md`, or the site's Markdown export. A
//! `- [x]` line names its item by the id in its `<!-- id: ... -->`
//! comment, or else by its text.

use super::model::Run;

/// One task-list line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLine {
    /// 1-based line number in the file.
    pub line: usize,
    pub checked: bool,
    /// The id of its `<!-- id: ... -->` comment, if it has one.
    pub id: Option<String>,
    /// The text after the box, without the comment.
    pub text: String,
}

/// Every task-list line of `markdown`: bulleted (`- [ ]`, `* [x]`, `+ [X]`)
/// or numbered (`1. [x]`, `2) [ ]`), indented or quoted (`> - [x]`), as
/// GitHub shows them; lines inside fenced code are examples, not ticks.
pub fn task_lines(markdown: &str) -> Vec<TaskLine> {
    let mut fence: Option<(char, usize)> = None;
    let mut tasks = Vec::new();
    for (n, line) in markdown.lines().enumerate() {
        let body = unquote(line);
        if let Some((c, len, bare)) = fence_of(body) {
            fence = match fence {
                None => Some((c, len)),
                // Only a bare fence as long, of the same character, closes.
                Some((open, at_least)) if c == open && len >= at_least && bare => None,
                still => still,
            };
            continue;
        }
        if fence.is_some() {
            continue;
        }
        if let Some((checked, text, id)) = task_of(body) {
            tasks.push(TaskLine {
                line: n + 1,
                checked,
                id,
                text,
            });
        }
    }
    tasks
}

/// A line without the `>` of the block quotes it is in.
fn unquote(line: &str) -> &str {
    let mut rest = line.trim_start();
    while let Some(inner) = rest.strip_prefix('>') {
        rest = inner.trim_start();
    }
    rest
}

/// The fence character, its length, and whether nothing follows it, when
/// `line` is a code fence.
fn fence_of(line: &str) -> Option<(char, usize, bool)> {
    let line = line.trim_start();
    let c = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = line.chars().take_while(|x| *x == c).count();
    (len >= 3).then(|| (c, len, line[len..].trim().is_empty()))
}

/// A list item's task marker, text and id, when `line` is one. Also the
/// boxes and ticks a word processor or a chat pastes ("☑ Tag it", "✅ Tag
/// it", "[x] Tag it" without a list marker), as reconcile reads them.
fn task_of(line: &str) -> Option<(bool, String, Option<String>)> {
    let (checked, rest) = match after_list_marker(line) {
        Some(rest) => match rest.get(..3) {
            Some("[ ]") => (false, &rest[3..]),
            Some("[x]" | "[X]") => (true, &rest[3..]),
            _ => crate::boxes::leading_box(rest, true)?,
        },
        None => crate::boxes::leading_box(line, true)?,
    };
    let rest = rest.trim();
    let (text, id) = match rest.rfind("<!-- id:") {
        Some(at) => {
            let comment = &rest[at + 8..];
            let id = comment.split("-->").next().unwrap_or("").trim();
            (
                rest[..at].trim_end(),
                (!id.is_empty()).then(|| id.to_string()),
            )
        }
        None => (rest, None),
    };
    Some((checked, text.to_string(), id))
}

/// What follows a list marker (`-`, `*`, `+`, `1.`, `1)`, or a bullet
/// glyph a word processor pastes, `•` `◦` `▪`) and its space.
fn after_list_marker(line: &str) -> Option<&str> {
    let rest = match line.strip_prefix(['-', '*', '+', '•', '●', '▪', '■', '‣', '◦', '○'])
    {
        Some(rest) => rest,
        None => {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            if digits == 0 || digits > 9 {
                return None;
            }
            line[digits..].strip_prefix(['.', ')'])?
        }
    };
    Some(rest.strip_prefix([' ', '\t'])?.trim_start())
}

/// The index of the item `line` names in `run`: by its id, else the item
/// whose text the line's text starts with (the longest such text, when
/// exactly one item has it).
pub fn match_line(run: &Run, line: &TaskLine) -> Option<usize> {
    if let Some(id) = &line.id {
        return run.items.iter().position(|i| &i.id == id);
    }
    let text = normalise(&crate::links::plain_text(&line.text));
    let mut best: Option<(usize, usize)> = None;
    let mut tie = false;
    for (i, item) in run.items.iter().enumerate() {
        let item_text = normalise(&crate::links::plain_text(&item.text));
        if item_text.is_empty() || !starts_with_words(&text, &item_text) {
            continue;
        }
        match best {
            Some((_, len)) if len > item_text.len() => {}
            Some((_, len)) if len == item_text.len() => tie = true,
            _ => {
                best = Some((i, item_text.len()));
                tie = false;
            }
        }
    }
    best.filter(|_| !tie).map(|(i, _)| i)
}

/// Whether `text` is `prefix` or starts with it followed by a non-word
/// character ("Run tests — QA" starts with "Run tests"; "Run testsuite" does not).
fn starts_with_words(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix)
        .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
}

fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_lines_with_ids_and_text() {
        let md = "## Title\n- [x] Run tests — QA <!-- id: c/tests -->\n  * [X] Smoke **tests** pass\n- [ ] Open one\n- [x]no space\n- plain\n1. [x] numbered\n";
        let lines = task_lines(md);
        assert_eq!(
            lines,
            [
                TaskLine {
                    line: 2,
                    checked: true,
                    id: Some("c/tests".into()),
                    text: "Run tests — QA".into()
                },
                TaskLine {
                    line: 3,
                    checked: true,
                    id: None,
                    text: "Smoke **tests** pass".into()
                },
                TaskLine {
                    line: 4,
                    checked: false,
                    id: None,
                    text: "Open one".into()
                },
                TaskLine {
                    line: 5,
                    checked: true,
                    id: None,
                    text: "no space".into()
                },
                TaskLine {
                    line: 7,
                    checked: true,
                    id: None,
                    text: "numbered".into()
                },
            ]
        );
    }

    /// What a word processor, a form or a chat pastes: boxes and ticks,
    /// with or without a list marker; prose and links are no tasks.
    #[test]
    fn pasted_boxes_and_ticks_are_task_lines() {
        let md = "☑ Tag the release\n☐ Ship it\n✅ Smoke tests pass\n- ✔️ Notes drafted\n[x] Freeze branch\n- [ ]\u{a0}Announce\nShipped on Friday.\n[the runbook](r.md) read\n•\t☑ Pasted from Word\n◦ [x] One level down\n• Just a bullet\n";
        let got: Vec<(usize, bool, String)> = task_lines(md)
            .into_iter()
            .map(|t| (t.line, t.checked, t.text))
            .collect();
        let want = [
            (1, true, "Tag the release"),
            (2, false, "Ship it"),
            (3, true, "Smoke tests pass"),
            (4, true, "Notes drafted"),
            (5, true, "Freeze branch"),
            (6, false, "Announce"),
            (9, true, "Pasted from Word"),
            (10, true, "One level down"),
        ];
        let want: Vec<(usize, bool, String)> = want
            .iter()
            .map(|(l, c, t)| (*l, *c, t.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    /// GitHub shows numbered and quoted task lists as tasks too; fenced
    /// code only shows them.
    #[test]
    fn numbered_and_quoted_tasks_count_and_fenced_ones_do_not() {
        let md = "2) [x] Second <!-- id: c/b -->\n> - [X] Quoted\n````md\n- [x] Example\n```\n- [x] still code\n```md\n````\n~~~\n1. [x] tilde code\n```\n~~~\n10. [ ] Tenth\n- [x] After\n1234567890. [x] too long a number\n";
        let got: Vec<(usize, bool, String)> = task_lines(md)
            .into_iter()
            .map(|t| (t.line, t.checked, t.text))
            .collect();
        assert_eq!(
            got,
            [
                (1, true, "Second".to_string()),
                (2, true, "Quoted".to_string()),
                (13, false, "Tenth".to_string()),
                (14, true, "After".to_string()),
            ]
        );
    }

    #[test]
    fn lines_match_by_id_then_longest_text() {
        let mut run = super::super::store::tests::sample("1.0.0", 3);
        run.items[0].text = "Run tests".into();
        run.items[1].text = "Run tests on staging".into();
        run.items[2].text = "Smoke tests pass".into();
        let line = |text: &str, id: Option<&str>| TaskLine {
            line: 1,
            checked: true,
            id: id.map(String::from),
            text: text.into(),
        };
        assert_eq!(
            match_line(&run, &line("whatever", Some("pre/item-2"))),
            Some(2)
        );
        assert_eq!(match_line(&run, &line("whatever", Some("pre/nope"))), None);
        assert_eq!(
            match_line(&run, &line("Run tests — QA Engineer", None)),
            Some(0)
        );
        assert_eq!(
            match_line(&run, &line("run TESTS on staging (major only)", None)),
            Some(1)
        );
        assert_eq!(match_line(&run, &line("Run testsuite", None)), None);
        assert_eq!(match_line(&run, &line("Smoke", None)), None);
    }
}
