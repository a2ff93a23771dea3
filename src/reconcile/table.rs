//! GFM tables of steps ("| Step | Owner | When | Applies to |") read as
//! checklist items. Each row becomes one item whose text carries its other
//! cells in notations [`super::text::analyse_item`] reads: `(owner: …)`,
//! `(when: …)`, `(major releases only)`; any other column is kept as a
//! `(Column: value)` note, so no cell is lost.

/// Header words of the column that says what to do, best first.
const TEXT_COLUMNS: &[&str] = &[
    "task",
    "item",
    "action",
    "activity",
    "check",
    "step",
    "what",
    "description",
];
const OWNER_COLUMNS: &[&str] = &[
    "owner",
    "owners",
    "who",
    "role",
    "roles",
    "responsible",
    "assignee",
    "accountable",
];
const WHEN_COLUMNS: &[&str] = &["when", "timing", "time", "deadline", "due", "condition"];
const TYPE_COLUMNS: &[&str] = &["applies to", "type", "types", "release type", "releases"];
/// Header words of a column that says whether a step is done: a run's
/// state, not the playbook's, so it is left out when its cells say only that.
const STATUS_COLUMNS: &[&str] = &["status", "done", "state", "complete", "completed", "ticked"];
/// What a status cell says, lowercase: boxes, ticks and state words.
const STATES: &[&str] = &[
    "✅",
    "⬜",
    "☐",
    "☑",
    "☒",
    "✔",
    "✔\u{fe0f}",
    "✓",
    "❌",
    "✗",
    "✘",
    "🟢",
    "🟡",
    "🔴",
    "[x]",
    "[ ]",
    "[]",
    "x",
    "yes",
    "no",
    "y",
    "n",
    "done",
    "todo",
    "to do",
    "pending",
    "open",
    "closed",
    "complete",
    "completed",
    "in progress",
    "not started",
    "blocked",
];

/// The rows of a table of steps as checklist item texts, in order (the
/// copy reads them as an ordered task list), or `None` when the table's
/// header names no step/task/item column.
pub fn steps(markdown: &str) -> Option<Vec<String>> {
    let mut lines = markdown.lines().filter(|l| !l.trim().is_empty());
    let header = cells(lines.next()?);
    let delimiter = lines.next()?;
    if !delimiter.contains('-') {
        return None;
    }
    let rows: Vec<Vec<String>> = lines.map(cells).collect();
    let names: Vec<String> = header
        .iter()
        .map(|h| h.replace("**", "").trim().to_lowercase())
        .collect();
    let find = |wanted: &[&str], skip: Option<usize>| {
        wanted.iter().find_map(|w| {
            names
                .iter()
                .enumerate()
                .position(|(i, n)| Some(i) != skip && column_is(n, w) && !numbers_only(&rows, i))
        })
    };
    let text = find(TEXT_COLUMNS, None)?;
    let owner = find(OWNER_COLUMNS, Some(text));
    let when = find(WHEN_COLUMNS, Some(text));
    let types = find(TYPE_COLUMNS, Some(text));
    let status: Vec<usize> = (0..names.len())
        .filter(|&i| i != text && status_only(&names[i], &rows, i))
        .collect();
    let mut items = Vec::new();
    for row in &rows {
        let cell = |i: usize| row.get(i).map(|c| c.trim()).unwrap_or("");
        let step = strip_checkbox(cell(text));
        if step.is_empty() {
            continue;
        }
        let mut line = step.to_string();
        for (i, name) in header.iter().enumerate() {
            let value = cell(i);
            let numbering = numbers_only(&rows, i);
            let skipped = i == text || numbering || status.contains(&i);
            if skipped || value.is_empty() || ["-", "—", "–", "n/a"].contains(&value) {
                continue;
            }
            if Some(i) == owner {
                line.push_str(&format!(" (owner: {})", owner_cell(value)));
            } else if Some(i) == when {
                line.push_str(&format!(" (when: {value})"));
            } else if Some(i) == types {
                line.push_str(&types_note(name, value));
            } else if value.starts_with('(') && value.ends_with(')') {
                line.push_str(&format!(" {value}"));
            } else {
                line.push_str(&format!(" ({}: {value})", name.trim()));
            }
        }
        items.push(line);
    }
    (!items.is_empty()).then_some(items)
}

/// A roles table ("| Role | Responsibilities |"): each row's role and what
/// it does, split at `<br>` and `;`. `None` unless the header names both.
pub fn roles(markdown: &str) -> Option<Vec<(String, Vec<String>)>> {
    let mut lines = markdown.lines().filter(|l| !l.trim().is_empty());
    let header = cells(lines.next()?);
    if !lines.next()?.contains('-') {
        return None;
    }
    let names: Vec<String> = header
        .iter()
        .map(|h| h.replace("**", "").trim().to_lowercase())
        .collect();
    let find = |wanted: &[&str]| {
        names
            .iter()
            .position(|n| wanted.iter().any(|w| column_is(n, w)))
    };
    let role = find(&["role", "who", "team"])?;
    let duties = names
        .iter()
        .position(|n| n.starts_with("responsibilit") || n.starts_with("dut"))
        .or_else(|| find(&["does", "description", "what"]))
        .filter(|d| *d != role)?;
    let mut out = Vec::new();
    for row in lines.map(cells) {
        let (Some(name), Some(what)) = (row.get(role), row.get(duties)) else {
            continue;
        };
        let name = name.replace("**", "").trim().to_string();
        let what: Vec<String> = what
            .split("<br>")
            .flat_map(|part| part.split("; "))
            .map(|part| {
                part.trim()
                    .trim_start_matches(['-', '•'])
                    .trim()
                    .to_string()
            })
            .filter(|part| !part.is_empty())
            .collect();
        if !name.is_empty() {
            out.push((name, what));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// An owner cell's roles without any notation around them: `[owner: QA]`,
/// `(Owner: QA)`, `Owner: QA`, `**QA**` and `` `qa` `` all give the bare name.
fn owner_cell(value: &str) -> String {
    let mut value = value.replace(['`', '*'], "").trim().to_string();
    loop {
        let before = value.clone();
        for (open, close) in [('[', ']'), ('(', ')')] {
            if value.starts_with(open) && value.ends_with(close) {
                value = value[1..value.len() - 1].trim().to_string();
            }
        }
        for label in ["owners:", "owner:"] {
            if value.to_ascii_lowercase().starts_with(label) {
                value = value[label.len()..].trim().to_string();
            }
        }
        if value == before {
            return value;
        }
    }
}

/// "Applies to: Major, Minor" → " (major and minor releases only)"; "All"
/// says nothing; anything else is kept as a note.
fn types_note(name: &str, value: &str) -> String {
    let lower = value.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let kinds: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| ["patch", "patches", "hotfix", "hotfixes", "minor", "major"].contains(w))
        .collect();
    let glue = ["and", "or", "only", "release", "releases", "all"];
    if words
        .iter()
        .all(|w| ["all", "any", "every", "releases"].contains(w))
    {
        String::new()
    } else if !kinds.is_empty() && words.iter().all(|w| kinds.contains(w) || glue.contains(w)) {
        format!(" ({} releases only)", kinds.join(" and "))
    } else {
        format!(" ({}: {value})", name.trim())
    }
}

/// Whether a header names a column: the whole header or one of its words.
fn column_is(header: &str, wanted: &str) -> bool {
    header == wanted
        || (!wanted.contains(' ')
            && header
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == wanted || w.strip_suffix('s') == Some(wanted)))
}

/// A "#" or "Step" column of 1, 2, 3 is numbering, not the step.
fn numbers_only(rows: &[Vec<String>], column: usize) -> bool {
    rows.iter().all(|r| {
        r.get(column).is_none_or(|c| {
            c.trim()
                .trim_end_matches(['.', ')'])
                .chars()
                .all(|ch| ch.is_ascii_digit())
        })
    })
}

/// Whether a column only says whether each step is done: every cell a box,
/// a tick or (under a Status/Done header) a state word.
fn status_only(header: &str, rows: &[Vec<String>], column: usize) -> bool {
    let cells: Vec<String> = rows
        .iter()
        .filter_map(|r| r.get(column))
        .map(|c| c.trim().to_lowercase())
        .filter(|c| !c.is_empty())
        .collect();
    let header = header.trim_end_matches('?');
    let status_header = STATUS_COLUMNS.iter().any(|w| column_is(header, w));
    let glyph = |c: &String| c.chars().all(|ch| !ch.is_alphanumeric() || ch == 'x');
    !cells.is_empty()
        && cells.iter().all(|c| STATES.contains(&c.as_str()))
        && (status_header || cells.iter().all(glyph))
}

fn strip_checkbox(cell: &str) -> &str {
    ["[ ]", "[x]", "[X]"]
        .iter()
        .find_map(|b| cell.strip_prefix(b))
        .unwrap_or(cell)
        .trim()
}

/// The cells of one table row: outer pipes dropped, `\|` and pipes inside
/// code spans kept.
fn cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = if line.ends_with('|') && !line.ends_with("\\|") {
        &line[..line.len() - 1]
    } else {
        line
    };
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut in_code = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                cell.push('|');
            }
            '`' => {
                in_code = !in_code;
                cell.push('`');
            }
            '|' if !in_code => out.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    out.push(cell);
    out.into_iter().map(|c| c.trim().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_a_step_table_become_items_with_their_cells() {
        let table = "| # | Step | Owner | When | Applies to | Notes |\n|---|---|---|---|---|---|\n\
            | 1 | Run load tests | SRE | T-24h | Major | use `k6 \\| tee` |\n\
            | 2 | Tag the release | Release Manager | | All | |\n";
        assert_eq!(
            steps(table).unwrap(),
            [
                "Run load tests (owner: SRE) (when: T-24h) (major releases only) (Notes: use `k6 | tee`)",
                "Tag the release (owner: Release Manager)"
            ]
        );
    }

    #[test]
    fn tables_without_a_step_column_stay_tables() {
        assert!(steps("| Metric | Target |\n|---|---|\n| Lead time | 1d |\n").is_none());
        assert!(steps("| Task |\n").is_none());
    }

    #[test]
    fn type_cells() {
        assert_eq!(types_note("applies to", "All"), "");
        assert_eq!(
            types_note("applies to", "Minor, Major"),
            " (minor and major releases only)"
        );
        assert_eq!(
            types_note("Applies to", "regulated customers"),
            " (Applies to: regulated customers)"
        );
    }

    #[test]
    fn a_column_that_only_says_done_is_left_out_and_one_that_says_more_is_kept() {
        let table = "| # | Step | Responsible | Status | Done? | Notes |\n|---|---|---|---|:-:|---|\n| 1 | Run the suite | QA | ✅ | [x] | |\n| 2 | Prepare rollback | SRE | in progress | [ ] | see runbook |\n| 3 | Announce | RM | | x | |\n";
        assert_eq!(
            steps(table).unwrap(),
            [
                "Run the suite (owner: QA)",
                "Prepare rollback (owner: SRE) (Notes: see runbook)",
                "Announce (owner: RM)",
            ]
        );
        let kept =
            "| Step | Status |\n|---|---|\n| Run the suite | blocked on vendor |\n| Ship | ✅ |\n";
        assert_eq!(
            steps(kept).unwrap(),
            [
                "Run the suite (Status: blocked on vendor)",
                "Ship (Status: ✅)"
            ],
            "a status that says more than done is kept"
        );
        let ticks = "| Step | ✓ |\n|---|---|\n| Run the suite | ✔ |\n| Ship | |\n";
        assert_eq!(
            steps(ticks).unwrap(),
            ["Run the suite", "Ship"],
            "ticks under any header"
        );
    }
}
