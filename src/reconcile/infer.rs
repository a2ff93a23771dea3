//! Owners inferred for checklist items no copy names an owner for: from a
//! role's listed responsibilities ("Documents known issues and
//! workarounds" → "Known issues documented with workarounds") and from a
//! section named for a role's domain ("Quality Assurance" → QA). Such
//! owners are marked `inferred` on the item and listed in the report for a
//! writer to confirm, so matching is conservative: one shared word, or
//! only generic words ("document", "test", "release"), never attribute.

use std::collections::BTreeSet;

use super::roles::{listed, RoleBook};
use super::text::item_tokens;

/// Words too common in release guides to say whose work an item is; they
/// count as shared but never alone.
const GENERIC: &str = "release releases deploy deployment deployments production staging \
    environment test tests testing document documents documented update updated complete \
    completed validate verify confirm check review ensure support coordinate manage provide \
    track prepare run team teams stakeholder stakeholders issue issues process plan status \
    known ready new post pre before after change changes customer customers requirement \
    requirements activity activities work item items need make sure follow set up use";

/// One owner worked out for an item, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inferred {
    pub role: String,
    /// For the report: "section: …", "responsibility: …", or both, joined by "; ".
    pub reason: String,
}

struct RoleFacts {
    id: String,
    /// Lowercase spellings (name, aliases), to tell when an item names the role.
    spellings: Vec<String>,
    /// Abbreviations the role goes by ("QA", "SRE"; a spelling, a part of
    /// a slashed one, or its first word): a section named by
    /// their initials ("Quality Assurance") is the role's domain.
    abbreviations: Vec<String>,
    /// (responsibility as written, tokens of one of its comma-separated clauses).
    clauses: Vec<(String, Vec<String>)>,
    /// Tokens of each whole responsibility, for domains.
    responsibilities: Vec<BTreeSet<String>>,
}

/// What the copies say each role does, ready for matching.
pub struct OwnerInference {
    roles: Vec<RoleFacts>,
    generic: BTreeSet<String>,
    /// Every role's spellings, lowercase, to take out of an item's text.
    all_spellings: Vec<String>,
}

impl OwnerInference {
    pub fn new(book: &RoleBook) -> OwnerInference {
        let generic: BTreeSet<String> = item_tokens(GENERIC).into_iter().collect();
        let all_spellings: Vec<String> = book
            .roles_ref()
            .iter()
            .flat_map(|r| std::iter::once(&r.name).chain(&r.aliases))
            .map(|s| s.to_lowercase())
            .collect();
        let roles = book
            .roles_ref()
            .iter()
            .map(|role| {
                let spellings: Vec<String> = std::iter::once(&role.name)
                    .chain(&role.aliases)
                    .map(|s| s.to_lowercase())
                    .collect();
                let abbreviations = std::iter::once(&role.name)
                    .chain(&role.aliases)
                    .flat_map(|s| s.split('/'))
                    // "QA Specialist" goes by QA too.
                    .flat_map(|s| [s.trim(), s.split_whitespace().next().unwrap_or("")])
                    .filter(|a| {
                        (2..=5).contains(&a.len()) && a.chars().all(|c| c.is_ascii_uppercase())
                    })
                    .map(str::to_string)
                    .collect();
                let mut clauses = Vec::new();
                let mut responsibilities = Vec::new();
                for responsibility in &role.responsibilities {
                    let plain = without_roles(responsibility, &all_spellings);
                    responsibilities.push(item_tokens(&plain).into_iter().collect());
                    for clause in plain.split([',', ';']) {
                        clauses.push((responsibility.clone(), item_tokens(clause)));
                    }
                }
                RoleFacts {
                    id: role.id.clone(),
                    spellings,
                    abbreviations,
                    clauses,
                    responsibilities,
                }
            })
            .collect();
        OwnerInference {
            roles,
            generic,
            all_spellings,
        }
    }

    /// Owners for an item without one: roles whose domain `section` is, and
    /// roles one of whose responsibilities describes the item. A role the
    /// item itself names ("Brief Customer Success on …") is never inferred:
    /// the item is done for it, not by it. Sorted by role id, each once.
    pub fn infer(&self, item: &str, section: &str) -> Vec<Inferred> {
        let lower = item.to_lowercase();
        let tokens: BTreeSet<String> = item_tokens(&without_roles(
            &without_parentheticals(item),
            &self.all_spellings,
        ))
        .into_iter()
        .collect();
        let mut found: Vec<Inferred> = Vec::new();
        for role in &self.roles {
            if role
                .spellings
                .iter()
                .any(|s| !mentions(&lower, s).is_empty())
            {
                continue;
            }
            let domain = self
                .is_domain(role, section)
                .then(|| format!("section: {section}"));
            let duty = role
                .clauses
                .iter()
                .find(|(_, clause)| self.describes(clause, &tokens))
                .map(|(r, _)| format!("responsibility: {r}"));
            let reasons: Vec<String> = domain.into_iter().chain(duty).collect();
            if !reasons.is_empty() {
                found.push(Inferred {
                    role: role.id.clone(),
                    reason: reasons.join("; "),
                });
            }
        }
        found.sort_by(|a, b| a.role.cmp(&b.role));
        found
    }

    /// Whether a responsibility clause describes an item: they share at
    /// least two content words, at least one not generic, and the shared
    /// specific words are two or more, or at least half of the item's.
    fn describes(&self, clause: &[String], item: &BTreeSet<String>) -> bool {
        let shared: Vec<&String> = clause.iter().filter(|t| item.contains(*t)).collect();
        let specific = shared
            .iter()
            .filter(|t| !self.generic.contains(**t))
            .count();
        let item_specific = item.iter().filter(|t| !self.generic.contains(*t)).count();
        shared.len() >= 2 && specific >= 1 && (specific >= 2 || specific * 2 >= item_specific)
    }

    /// Whether `section` is named for the role: its initials are one of
    /// the role's abbreviations and one of its words is in the role's
    /// responsibilities ("Quality Assurance" → QA, who "provides quality
    /// sign-off"), it is one of
    /// its spellings, or each of its specific words is in two or more of
    /// the role's responsibilities and this is so of no other role
    /// ("Documentation" for the one role that ensures documentation is
    /// ready and coordinates its publication).
    fn is_domain(&self, role: &RoleFacts, section: &str) -> bool {
        let words: Vec<&str> = section
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !listed(STOP, &w.to_lowercase()))
            .collect();
        if words.len() >= 2 {
            let initials: String = words
                .iter()
                .filter_map(|w| w.chars().next())
                .flat_map(char::to_uppercase)
                .collect();
            // "Queue Analysis" is not QA's: one of its words must be in QA's duties.
            let about = item_tokens(section)
                .iter()
                .any(|t| role.responsibilities.iter().any(|r| r.contains(t)));
            if role.abbreviations.contains(&initials) && about {
                return true;
            }
        }
        let lower = section.trim().to_lowercase();
        if !lower.is_empty() && role.spellings.contains(&lower) {
            return true;
        }
        let specific: Vec<String> = item_tokens(section)
            .into_iter()
            .filter(|t| !self.generic.contains(t) && t != "checklist")
            .collect();
        let covers = |r: &RoleFacts| {
            !specific.is_empty()
                && specific
                    .iter()
                    .all(|t| r.responsibilities.iter().filter(|s| s.contains(t)).count() >= 2)
        };
        covers(role) && self.roles.iter().filter(|r| covers(r)).count() == 1
    }
}

/// Words a heading's initials skip: "Security and Compliance" is "SC".
const STOP: &str = "and or of the for to a an in on with";

/// `text` without its parentheticals: examples and notes ("(customer-facing,
/// data integrity, security, etc.)") say what the work touches, not what it is.
fn without_parentheticals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Byte ranges where `spelling` (lowercase) stands as whole words in `lower`.
fn mentions(lower: &str, spelling: &str) -> Vec<std::ops::Range<usize>> {
    if spelling.len() < 2 {
        return Vec::new();
    }
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    lower
        .match_indices(spelling)
        .filter(|(at, _)| {
            let end = at + spelling.len();
            !is_word(lower[..*at].chars().next_back()) && !is_word(lower[end..].chars().next())
        })
        .map(|(at, _)| at..at + spelling.len())
        .collect()
}

/// `text` without the role names it mentions ("Escalate issues to Product
/// Manager" → "Escalate issues to"), so a role's name never counts as work.
fn without_roles(text: &str, spellings: &[String]) -> String {
    let mut lower = text.to_lowercase();
    let mut sorted: Vec<&String> = spellings.iter().collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for spelling in sorted {
        for range in mentions(&lower, spelling).into_iter().rev() {
            lower.replace_range(range, " ");
        }
    }
    lower
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> RoleBook {
        let mut book = RoleBook::default();
        for (role, duties) in [
            (
                "QA/Test Engineer",
                &[
                    "Provides quality sign-off and test results",
                    "Documents known issues and workarounds",
                    "Validates smoke tests post-deployment",
                    "Validate fixes and regression test before redeployment",
                ][..],
            ),
            (
                "SRE/DevOps",
                &["Lead technical response, execute rollback, coordinate recovery"][..],
            ),
            (
                "Release Manager",
                &[
                    "Orchestrates release activities and coordinates stakeholders",
                    "Communicates release status to all stakeholders",
                ][..],
            ),
            (
                "Technical Writer",
                &[
                    "Ensures release notes and documentation are ready",
                    "Coordinates documentation publication with deployment",
                ][..],
            ),
            (
                "Customer Success",
                &[
                    "Collect customer feedback on new features",
                    "Escalate issues or feature requests to Release Manager",
                ][..],
            ),
            ("Security Lead", &[][..]),
        ] {
            book.add_spelling(role);
            for duty in duties {
                book.add_responsibility(role, duty);
            }
        }
        book
    }

    fn owners(inference: &OwnerInference, item: &str, section: &str) -> Vec<String> {
        inference
            .infer(item, section)
            .into_iter()
            .map(|i| i.role)
            .collect()
    }

    #[test]
    fn responsibilities_attribute_the_work_they_name() {
        let inference = OwnerInference::new(&book());
        for item in [
            "Regression testing completed",
            "Known issues documented with workarounds",
            "Regression tests re-run before redeploying",
        ] {
            assert_eq!(owners(&inference, item, "Checks"), ["qa"], "{item}");
        }
        assert_eq!(
            owners(&inference, "Execute rollback via the pipeline", "Steps"),
            ["sre"]
        );
        let reason = &inference.infer("Known issues documented with workarounds", "X")[0].reason;
        assert_eq!(
            reason,
            "responsibility: Documents known issues and workarounds"
        );
    }

    #[test]
    fn one_shared_or_only_generic_words_attribute_nothing() {
        let inference = OwnerInference::new(&book());
        for item in [
            // only "test" in common with QA's duties
            "Performance testing passed",
            // "known" and "documented": generic
            "Known limitations documented",
            // "status" only
            "Update status page",
            // "stakeholders" only
            "Notify team and stakeholders of impending rollback",
            // "rollback" only
            "Verify service health after rollback",
            // the item is done for the role, not by it
            "Brief Customer Success on new features and customer feedback",
            // the other role a duty names is not work
            "Release Manager approval recorded",
            // a parenthetical's examples are not the work
            "Confirm severity (rollback, execute when needed)",
            "",
            "—",
        ] {
            assert!(
                owners(&inference, item, "Steps").is_empty(),
                "{item}: {:?}",
                inference.infer(item, "Steps")
            );
        }
    }

    #[test]
    fn sections_named_for_a_domain() {
        let inference = OwnerInference::new(&book());
        assert_eq!(
            owners(
                &inference,
                "Performance testing passed",
                "Quality Assurance"
            ),
            ["qa"]
        );
        assert_eq!(
            inference.infer("Regression testing completed", "Quality Assurance")[0].reason,
            "section: Quality Assurance; responsibility: Validate fixes and regression test before redeployment"
        );
        assert_eq!(
            owners(&inference, "API reference updated", "Documentation"),
            ["technical-writer"]
        );
        assert_eq!(
            owners(&inference, "Audit done", "Security Lead"),
            ["security-lead"]
        );
        // Near misses: initials of one word, words in one duty only, generic words.
        for section in [
            "Quality",
            "QA Notes Archive",
            "Stakeholder Alignment",
            "Release",
            "Rollback Checklist",
            "Security",
            "Queue Analysis",
            "Site Reliability Engineering",
        ] {
            assert!(
                owners(&inference, "Audit done", section).is_empty(),
                "{section}"
            );
        }
    }
}
