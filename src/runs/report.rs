//! A run shown to people and machines: the status (`playbook run status`)
//! as text, JSON, Markdown or GitHub annotations, and the evidence an
//! auditor keeps (`playbook run export`) as Markdown or JSON. In Markdown,
//! item texts (as plain text), names, reasons and notes are escaped: a run
//! file is edited by hand, and nothing in it may become markup or HTML.

use serde::Serialize;

use super::model::{ItemState, Run, RunItem, Timestamp};
use super::status::{sign_offs, status, Progress, Selection, SignOff, Status};
use crate::checklist::{ReleasePhase, RoleIndex};

/// What a status report is about.
pub struct StatusReport<'a> {
    pub run: &'a Run,
    pub selection: Selection<'a>,
    /// For role names (ids shown where a role is unknown).
    pub roles: &'a RoleIndex,
}

impl StatusReport<'_> {
    fn role_name(&self, id: &str) -> String {
        self.roles
            .resolve(id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    }

    /// "Release 2.4.0 (major), pre-release, QA Engineer".
    fn title(&self) -> String {
        let mut title = format!(
            "Release {} ({})",
            self.run.version,
            self.run.release_type.as_str()
        );
        if let Some(phase) = self.selection.phase {
            title.push_str(&format!(", {}", phase.title().to_lowercase()));
        }
        if let Some(role) = self.selection.role {
            title.push_str(&format!(", {}", self.role_name(role)));
        }
        title
    }

    /// For a person at a terminal.
    pub fn human(&self) -> String {
        let s = status(self.run, &self.selection);
        let mut out = format!("{}: {}\n", one_line(&self.title()), summary(&s));
        push_open(&mut out, "Open, required", &s, true, |i| {
            format!(
                "  [ ] {}  {}{}\n",
                i.id,
                one_line(&plain(&i.text)),
                self.owners(i)
            )
        });
        push_open(&mut out, "Open, optional", &s, false, |i| {
            format!(
                "  [ ] {}  {}{}\n",
                i.id,
                one_line(&plain(&i.text)),
                self.owners(i)
            )
        });
        out.push_str("\nBy phase:\n");
        for p in &s.by_phase {
            out.push_str(&format!("  {:<16} {}\n", phase_title(&p.key), counts(p)));
        }
        if !s.by_role.is_empty() {
            out.push_str("\nBy role:\n");
            for p in &s.by_role {
                out.push_str(&format!(
                    "  {:<24} {}\n",
                    one_line(&self.role_name(&p.key)),
                    counts(p)
                ));
            }
        }
        out
    }

    fn owners(&self, item: &RunItem) -> String {
        if item.owners.is_empty() {
            return String::new();
        }
        let names: Vec<String> = item
            .owners
            .iter()
            .map(|o| one_line(&self.role_name(o)))
            .collect();
        format!(" ({})", names.join(", "))
    }

    /// For a job summary or a release issue.
    pub fn markdown(&self) -> String {
        let s = status(self.run, &self.selection);
        let mut out = format!("## {}\n\n{}\n", md(&self.title()), md(&summary(&s)));
        let open: Vec<&&RunItem> = s.items.iter().filter(|i| !i.is_closed()).collect();
        if !open.is_empty() {
            out.push_str("\n### Open items\n\n");
            for item in open {
                let optional = if item.required() { "" } else { " (optional)" };
                out.push_str(&format!(
                    "- [ ] {}{optional} <!-- id: {} -->\n",
                    md(&plain(&item.text)),
                    item.id
                ));
            }
        }
        out.push_str("\n| Phase | Closed | Open (required) |\n| --- | --- | --- |\n");
        for p in &s.by_phase {
            out.push_str(&format!(
                "| {} | {} of {} | {} ({}) |\n",
                phase_title(&p.key),
                p.closed(),
                p.total,
                p.open,
                p.open_required
            ));
        }
        if !s.by_role.is_empty() {
            out.push_str("\n| Role | Closed | Open (required) |\n| --- | --- | --- |\n");
            for p in &s.by_role {
                out.push_str(&format!(
                    "| {} | {} of {} | {} ({}) |\n",
                    md(&self.role_name(&p.key)),
                    p.closed(),
                    p.total,
                    p.open,
                    p.open_required
                ));
            }
        }
        out
    }

    /// GitHub Actions workflow commands: an error per open required item, a
    /// notice with the summary.
    pub fn github(&self) -> String {
        let s = status(self.run, &self.selection);
        let title = escape_property(&format!("{} gate", self.title()));
        let mut out = String::new();
        for item in s.items.iter().filter(|i| !i.is_closed() && i.required()) {
            out.push_str(&format!(
                "::error title={title}::{}\n",
                escape_data(&format!(
                    "required item open: {} — {}",
                    item.id,
                    plain(&item.text)
                ))
            ));
        }
        out.push_str(&format!(
            "::notice title={title}::{}\n",
            escape_data(&summary(&s))
        ));
        out
    }

    /// The status as JSON.
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            version: String,
            #[serde(rename = "type")]
            release_type: &'static str,
            role: Option<&'a str>,
            phase: Option<ReleasePhase>,
            #[serde(flatten)]
            status: Status<'a>,
        }
        let json = Json {
            version: self.run.version.to_string(),
            release_type: self.run.release_type.as_str(),
            role: self.selection.role,
            phase: self.selection.phase,
            status: status(self.run, &self.selection),
        };
        serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
    }
}

fn push_open(
    out: &mut String,
    heading: &str,
    s: &Status,
    required: bool,
    line: impl Fn(&RunItem) -> String,
) {
    let items: Vec<&&RunItem> = s
        .items
        .iter()
        .filter(|i| !i.is_closed() && i.required() == required)
        .collect();
    if !items.is_empty() {
        out.push_str(&format!("\n{heading}:\n"));
        for item in items {
            out.push_str(&line(item));
        }
    }
}

/// "7 of 12 items closed; 3 required open: the gate fails".
fn summary(s: &Status) -> String {
    let gate = if s.passes {
        "the gate passes"
    } else {
        "the gate fails"
    };
    format!(
        "{} of {} items closed ({} done, {} skipped, {} not applicable); {} required open: {gate}",
        s.overall.closed(),
        s.overall.total,
        s.overall.done,
        s.overall.skipped,
        s.overall.not_applicable,
        s.overall.open_required
    )
}

fn counts(p: &Progress) -> String {
    format!(
        "{}/{} closed, {} required open",
        p.closed(),
        p.total,
        p.open_required
    )
}

fn phase_title(key: &str) -> &str {
    super::status::PHASES
        .iter()
        .find(|p| p.as_str() == key)
        .map_or(key, |p| p.title())
}

/// The evidence of a run, for an auditor: every item with its state, who
/// and when; each phase's sign-off; skipped items with their reasons; and
/// the commit the playbook was at (`None`: not known).
#[derive(Serialize)]
pub struct Evidence<'a> {
    pub version: String,
    #[serde(rename = "type")]
    pub release_type: &'static str,
    pub date: String,
    pub started_by: &'a str,
    pub started_at: Timestamp,
    pub playbook_commit: Option<&'a str>,
    pub summary: Progress,
    pub sign_offs: Vec<SignOff>,
    pub skipped: Vec<&'a RunItem>,
    pub items: &'a [RunItem],
}

impl<'a> Evidence<'a> {
    pub fn of(run: &'a Run, commit: Option<&'a str>) -> Evidence<'a> {
        Evidence {
            version: run.version.to_string(),
            release_type: run.release_type.as_str(),
            date: run.date.to_string(),
            started_by: &run.started_by,
            started_at: run.started_at,
            playbook_commit: commit,
            summary: status(run, &Selection::default()).overall,
            sign_offs: sign_offs(run),
            skipped: run
                .items
                .iter()
                .filter(|i| i.state == ItemState::Skipped)
                .collect(),
            items: &run.items,
        }
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// The evidence as Markdown; its item lines are a task list that
    /// `playbook run import` reads back.
    pub fn markdown(&self, run: &Run) -> String {
        let mut out = format!(
            "# Release {} ({}): release run evidence\n\n",
            self.version, self.release_type
        );
        out.push_str(&format!("- Release date: {}\n", self.date));
        out.push_str(&format!(
            "- Started by {} at {}\n",
            md(self.started_by),
            self.started_at
        ));
        out.push_str(&format!(
            "- Playbook commit: {}\n",
            self.playbook_commit
                .map_or("not recorded".to_string(), |c| format!(
                    "`{}`",
                    one_line(c).replace('`', "")
                ))
        ));
        let s = &self.summary;
        out.push_str(&format!(
            "- Items: {} — {} done, {} skipped, {} not applicable, {} open ({} required)\n",
            s.total, s.done, s.skipped, s.not_applicable, s.open, s.open_required
        ));
        out.push_str("\n## Phase sign-offs\n\n| Phase | Items | Closed | Signed off by | At |\n| --- | --- | --- | --- | --- |\n");
        for phase in super::status::PHASES {
            let items: Vec<&RunItem> = run.items.iter().filter(|i| i.phase == phase).collect();
            if items.is_empty() {
                continue;
            }
            let closed = items.iter().filter(|i| i.is_closed()).count();
            let (by, at) = match self.sign_offs.iter().find(|s| s.phase == phase) {
                Some(sign) => (md(&sign.by), sign.at.to_string()),
                None => {
                    let holding = super::status::holding_items(run, phase);
                    let open = holding.iter().filter(|i| !i.is_closed()).count();
                    (format!("not signed off: {open} open"), String::new())
                }
            };
            out.push_str(&format!(
                "| {} | {} | {closed} | {by} | {at} |\n",
                phase.title(),
                items.len()
            ));
        }
        if !self.skipped.is_empty() {
            out.push_str("\n## Skipped items\n\n");
            for item in &self.skipped {
                out.push_str(&format!(
                    "- {} — skipped by {} at {}: {} <!-- id: {} -->\n",
                    md(&plain(&item.text)),
                    md(item.by.as_deref().unwrap_or("")),
                    item.at.map(|t| t.to_string()).unwrap_or_default(),
                    md(item.reason.as_deref().unwrap_or("")),
                    item.id
                ));
            }
        }
        out.push_str("\n## Every item\n");
        let mut phase = None;
        for item in &run.items {
            if phase != Some(item.phase) {
                phase = Some(item.phase);
                out.push_str(&format!("\n### {}\n\n", item.phase.title()));
            }
            out.push_str(&evidence_line(item));
        }
        out
    }
}

/// `- [x] Text — done by Dana at 2026-…; note: … <!-- id: c/i -->`.
fn evidence_line(item: &RunItem) -> String {
    let tick = if item.state == ItemState::Done {
        "x"
    } else {
        " "
    };
    let optional = if item.required() { "" } else { " (optional)" };
    let mut line = format!(
        "- [{tick}] {}{optional} — {}",
        md(&plain(&item.text)),
        item.state.as_str()
    );
    if let (Some(by), Some(at)) = (&item.by, &item.at) {
        line.push_str(&format!(" by {} at {at}", md(by)));
    }
    if let Some(reason) = &item.reason {
        line.push_str(&format!("; reason: {}", md(reason)));
    }
    if let Some(note) = &item.note {
        line.push_str(&format!("; note: {}", md(note)));
    }
    line.push_str(&format!(" <!-- id: {} -->\n", item.id));
    line
}

/// Plain text as Markdown that shows it as it is, inside a line: every mark
/// that opens markup, a link, code or HTML there is escaped, and line breaks
/// become spaces.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        if "\\`*_[]<>&|~#!".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text on one line: every control character (line breaks, tabs, escapes)
/// a space.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn plain(markdown: &str) -> String {
    crate::links::plain_text(markdown)
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_never_becomes_markup() {
        assert_eq!(
            md("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert(1)\\>"
        );
        assert_eq!(md("a\n# b | c"), "a \\# b \\| c");
        assert_eq!(md("Zoë"), "Zoë");
        let escaped = md("<b>**x**</b> [l](javascript:y) -->");
        let html = pulldown_cmark::Parser::new(&escaped);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, html);
        assert_eq!(
            out,
            "<p>&lt;b&gt;**x**&lt;/b&gt; [l](javascript:y) --&gt;</p>\n"
        );
    }
}
