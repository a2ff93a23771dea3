//! How headings and items compare across variants: heading normalisation
//! and timing, item tokens, the similarity rule that decides when two
//! items are the same step, and stable item ids.

use super::{analyse_item, listed, parentheticals};

/// Words [`item_tokens`] ignores.
const STOPWORDS: &str = "a an the and or to of for with is are be by in on at as all any from \
    into it its this that these those if when via per our your their then than we you has have \
    been was were will should must can so also each every etc eg ie";

/// Splits a heading's trailing timing off: "Pre-Deployment (T-24 to T-1
/// hours)" → ("Pre-Deployment", Some("T-24 to T-1 hours")). Timing is a
/// final parenthetical, or text after a final " — " or ": ", that starts
/// with T±n ("T-0", "T+24 hours") or counts hours, minutes, days or weeks.
pub fn split_timing(heading: &str) -> (String, Option<String>) {
    // "Deploy (T-0) {#deploy}": the timing is before the attribute block,
    // which stays with the heading.
    let (words, attributes) = split_attributes(heading.trim());
    let (base, timing) = split_timing_of_words(words);
    match (timing, attributes) {
        (Some(timing), Some(attributes)) => (format!("{base} {attributes}"), Some(timing)),
        (timing, _) => (
            if timing.is_some() {
                base
            } else {
                heading.trim().to_string()
            },
            timing,
        ),
    }
}

fn split_timing_of_words(heading: &str) -> (String, Option<String>) {
    if let Some(&(start, end)) = parentheticals(heading).last() {
        let inner = heading[start + 1..end - 1].trim();
        if end == heading.len() && is_timing(inner) {
            return (heading[..start].trim().to_string(), Some(inner.to_string()));
        }
    }
    for sep in [" — ", " – ", ": "] {
        if let Some((base, tail)) = heading.rsplit_once(sep) {
            if is_timing(tail.trim()) {
                return (base.trim().to_string(), Some(tail.trim().to_string()));
            }
        }
    }
    (heading.to_string(), None)
}

fn is_timing(text: &str) -> bool {
    let mut chars = text.chars();
    let t_offset = matches!(chars.next(), Some('T'))
        && chars
            .next()
            .is_some_and(|c| "+-−–0".contains(c) || c.is_ascii_digit());
    let lower = text.to_lowercase();
    let units = ["hour", "minute", "day", "week"]
        .iter()
        .any(|u| lower.contains(u));
    let counted =
        units && lower.chars().any(|c| c.is_ascii_digit()) && lower.split(' ').count() <= 6;
    t_offset || counted
}

/// A heading's words: without its trailing attribute block (`Deploy {#deploy
/// .wide}`) and without inline HTML tags (`<a name="deploy"></a>Deploy`):
/// the id, classes and anchors are the page's, not the heading's words.
pub fn without_attributes(heading: &str) -> String {
    let (text, _) = split_attributes(heading);
    if !text.contains('<') {
        return text.to_string();
    }
    let mut words = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let tag = rest[open + 1..].find('>').filter(|&end| {
            let inside = &rest[open + 1..open + 1 + end];
            inside.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
        });
        match tag {
            Some(end) => {
                words.push_str(&rest[..open]);
                rest = &rest[open + end + 2..];
            }
            None => {
                words.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    words.push_str(rest);
    words.trim().to_string()
}

/// A heading's words and its trailing attribute block (`{#deploy .wide}`),
/// when it has one.
fn split_attributes(heading: &str) -> (&str, Option<&str>) {
    let text = heading.trim_end();
    if let Some(open) = text.strip_suffix('}').and_then(|t| t.rfind('{')) {
        let inner = &text[open + 1..text.len() - 1];
        let attributes = !inner.trim().is_empty()
            && inner
                .split_whitespace()
                .all(|a| a.len() > 1 && (a.starts_with(['#', '.']) || a.contains('=')));
        if attributes && open > 0 {
            return (text[..open].trim_end(), Some(&text[open..]));
        }
    }
    (text, None)
}

/// A heading without the number a copy put in front of it ("2.1 Deploy",
/// "Step 3: Deploy", "Phase 2 — Deploy"): a checklist's title and id are
/// its words, which stay when steps are renumbered. A heading that is only
/// a number, or whose number is part of its words ("Part 1 of the
/// guide"), is kept.
pub fn without_numbering(heading: &str) -> &str {
    let heading = heading.trim();
    let Some((first, rest)) = heading.split_once(char::is_whitespace) else {
        return heading;
    };
    let rest = rest.trim_start();
    let section_number = first
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ')')
        && first.starts_with(|c: char| c.is_ascii_digit())
        && first.contains(['.', ')']);
    if section_number {
        return if rest.is_empty() { heading } else { rest };
    }
    let counter = ["step", "stage", "phase", "part", "chapter"]
        .iter()
        .any(|w| first.eq_ignore_ascii_case(w));
    if !counter {
        return heading;
    }
    let Some((number, after)) = rest.split_once(char::is_whitespace) else {
        return heading;
    };
    let digits = number.trim_end_matches([':', '.', ')']);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return heading;
    }
    let after = after.trim_start();
    let separated = number.len() > digits.len();
    let words = match after.strip_prefix([':', '-', '—', '–', '.', ')']) {
        Some(words) => words.trim_start(),
        None if separated || after.starts_with(char::is_uppercase) => after,
        None => return heading,
    };
    if words.is_empty() {
        heading
    } else {
        words
    }
}

/// A heading reduced for aligning sections across variants: timing
/// dropped, lowercase, "&" → "and", apostrophes removed, section numbers
/// ("2.1 ", "Step 3: ") dropped, every other non-alphanumeric character (punctuation,
/// emoji) a space, spaces collapsed.
pub fn normalise_heading(heading: &str) -> String {
    let (base, _) = split_timing(&without_attributes(heading));
    let lower = base
        .to_lowercase()
        .replace('&', " and ")
        .replace(['\'', '’'], "");
    let mut words = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let first = base.split_whitespace().next().unwrap_or("");
    let numbered = first
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ')')
        && first.contains(['.', ')']);
    if numbered {
        let parts = first.split(['.', ')']).filter(|p| !p.is_empty()).count();
        for _ in 0..parts {
            words.next();
        }
    }
    let mut words: Vec<&str> = words.collect();
    // "Step 3: Pre-release" is the section another copy calls "Pre-release".
    let counted = words.len() > 2
        && ["step", "stage", "phase", "part", "chapter"].contains(&words[0])
        && words[1].chars().all(|c| c.is_ascii_digit());
    if counted {
        words.drain(..2);
    }
    words.join(" ")
}

/// Content words of an item, for matching: link targets, Markdown marks
/// and punctuation dropped, lowercase, stopwords dropped, lightly stemmed
/// ([`stem`]), duplicates removed, in order of first appearance.
pub fn item_tokens(text: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for word in words_of(text) {
        for part in word.split('-') {
            let letter = part.len() == 1 && !part.chars().all(|c| c.is_ascii_digit());
            if part.is_empty() || letter || listed(STOPWORDS, part) {
                continue;
            }
            let token = stem(part);
            if !tokens.contains(&token) {
                tokens.push(token);
            }
        }
    }
    tokens
}

/// Lowercase words of `text` with link targets and Markdown marks dropped;
/// hyphens kept inside words.
fn words_of(text: &str) -> Vec<String> {
    let mut plain = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in link_targets(text) {
        plain.push_str(&text[last..start]);
        last = end;
    }
    plain.push_str(&text[last..]);
    plain
        .to_lowercase()
        .replace(['\'', '’'], "")
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// `text` without "(Notes: …)"-style notes (a table's extra columns): an
/// id names the step, not what is noted beside it.
fn without_notes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in super::parentheticals(text) {
        let inner = &text[start + 1..end - 1];
        let note = inner.split_once(':').is_some_and(|(label, _)| {
            let words: Vec<&str> = label.split_whitespace().collect();
            (1..=3).contains(&words.len())
                && words.iter().all(|w| w.chars().all(char::is_alphabetic))
        });
        if note {
            out.push_str(&text[last..start]);
            last = end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Byte ranges of `(...)` link targets that follow `]`.
fn link_targets(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find("](") {
        let start = from + pos + 1;
        let Some(len) = text[start..].find(')') else {
            break;
        };
        found.push((start, start + len + 1));
        from = start + len + 1;
    }
    found
}

/// Light stemming, enough to match "tests"/"tested"/"testing" and
/// "schedule"/"scheduled", "notifies"/"notified"/"notify",
/// "deploy"/"deployment": plural -s/-ies, then -ing/-ed/-ment when at
/// least four letters remain, then a final -e, -i → -y, and a doubled last
/// consonant ("runn" → "run"). "passed", "completed", "done", "finished"
/// all become "complet". Words with digits or non-ASCII are left alone.
fn stem(word: &str) -> String {
    if !word.chars().all(|c| c.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut w = word.to_string();
    if w.len() > 4 && w.ends_with("ies") {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w.pop();
    }
    if w.ends_with("ing") && w.len() >= 7 {
        w.truncate(w.len() - 3);
    } else if w.ends_with("ed") && !w.ends_with("eed") && w.len() >= 6 {
        w.truncate(w.len() - 2);
    }
    if w.ends_with("ment") && w.len() >= 8 {
        w.truncate(w.len() - 4);
    }
    if w.len() > 4 && w.ends_with('e') {
        w.pop();
    }
    if w.ends_with('i') && w.len() > 3 {
        w.pop();
        w.push('y');
    }
    let bytes = w.as_bytes();
    if let [.., a, b] = bytes {
        if a == b && !b"aeioulsz".contains(b) {
            w.pop();
        }
    }
    match w.as_str() {
        "pass" | "done" | "finish" => "complet".to_string(),
        _ => w,
    }
}

/// Merge threshold for [`similarity`].
pub const SAME_ITEM_THRESHOLD: f64 = 0.8;

/// How alike two token lists are, 0.0 to 1.0:
///
/// - 1.0 when one list's set is contained in the other's, the smaller has
///   at least two tokens and at least half as many as the larger ("Backup
///   or snapshot" / "Backup or snapshot created": one copy adds a detail);
/// - 1.0 when they share a leading run of at least three tokens that is at
///   least half of the longer ("Release notes drafted and approved" /
///   "... and reviewed": the same step, qualified differently);
/// - otherwise the Dice coefficient of the two sets, 2|A∩B| / (|A|+|B|).
///
/// Three-token items differing in one word ("Unit tests passing" /
/// "Integration tests passing") score 0.67 and stay apart; the
/// [`SAME_ITEM_THRESHOLD`] of 0.8 lets through only reordered wording
/// with one word different in five.
pub fn similarity(a: &[String], b: &[String]) -> f64 {
    // Items have a few tokens and merging compares every pair of items: set
    // sizes and the intersection are counted in place, no set is built.
    let first_time = |list: &[String], i: usize| !list[..i].contains(&list[i]);
    let distinct = |list: &[String]| (0..list.len()).filter(|&i| first_time(list, i)).count();
    let (len_a, len_b) = (distinct(a), distinct(b));
    if len_a == 0 || len_b == 0 {
        return 0.0;
    }
    let common = (0..a.len())
        .filter(|&i| first_time(a, i) && b.contains(&a[i]))
        .count();
    let (small, large) = (len_a.min(len_b), len_a.max(len_b));
    if common == small && small >= 2 && small * 2 >= large {
        return 1.0;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if prefix >= 3 && prefix * 2 >= a.len().max(b.len()) {
        return 1.0;
    }
    (2 * common) as f64 / (len_a + len_b) as f64
}

/// Whether two items say the same thing. Both are analysed first (which
/// changes nothing on analysed text), so owners and conditions never
/// count; items without content words match only when their texts are
/// equal ignoring case. Comparing many items, analyse and tokenise each
/// once and call [`same_tokens`]: analysis costs far more than comparing.
pub fn same_item(a: &str, b: &str) -> bool {
    let (a, b) = (analyse_item(a).text, analyse_item(b).text);
    let (ta, tb) = (item_tokens(&a), item_tokens(&b));
    if ta.is_empty() || tb.is_empty() {
        return a.to_lowercase() == b.to_lowercase();
    }
    same_tokens(&ta, &tb)
}

/// [`same_item`] for texts already analysed, with their [`item_tokens`]
/// worked out once by the caller (merging compares every pair of items).
pub fn same_analysed(a: &str, a_tokens: &[String], b: &str, b_tokens: &[String]) -> bool {
    if a_tokens.is_empty() || b_tokens.is_empty() {
        return a.to_lowercase() == b.to_lowercase();
    }
    same_tokens(a_tokens, b_tokens)
}

/// Whether two items' [`item_tokens`] say the same thing: [`similarity`]
/// at least [`SAME_ITEM_THRESHOLD`]. Empty token lists never match.
pub fn same_tokens(a: &[String], b: &[String]) -> bool {
    similarity(a, b) >= SAME_ITEM_THRESHOLD
}

/// A stable id for an item: the GitHub slug of the first six content words
/// of its analysed text (stopwords and link targets dropped, words not
/// stemmed), or "item". Owner annotations and conditions never change it.
pub fn item_id(text: &str) -> String {
    let words: Vec<String> = words_of(&without_notes(&analyse_item(text).text))
        .into_iter()
        .filter(|w| !listed(STOPWORDS, w))
        .take(6)
        .collect();
    crate::ids::id_from(&words.join(" "), "item")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of a table whose columns are split by `sep`, blank lines skipped.
    fn table<'a>(text: &'a str, sep: &str) -> Vec<Vec<&'a str>> {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split(sep).map(str::trim).collect())
            .collect()
    }

    #[test]
    fn numbering_before_a_heading_is_left_out_and_words_that_only_look_like_it_stay() {
        for (heading, words) in [
            (
                "Step 3: Post-Deployment Follow-up",
                "Post-Deployment Follow-up",
            ),
            ("Step 3 - Deploy", "Deploy"),
            ("phase 2 — Deploy", "Deploy"),
            ("Stage 4. Verify", "Verify"),
            ("Part 2 Rollback", "Rollback"),
            ("2.1 Pre-release", "Pre-release"),
            ("3) Deploy", "Deploy"),
            ("12. Deploy", "Deploy"),
            // Kept: a number and nothing else, a number in the words, no number.
            ("Step 3", "Step 3"),
            ("Step 3:", "Step 3:"),
            ("Part 1 of the guide", "Part 1 of the guide"),
            ("Steps to deploy", "Steps to deploy"),
            ("Step two: Deploy", "Step two: Deploy"),
            ("2024 Release Train", "2024 Release Train"),
            ("1.2.3", "1.2.3"),
            ("Deploy", "Deploy"),
        ] {
            assert_eq!(without_numbering(heading), words, "{heading:?}");
        }
    }

    #[test]
    fn a_timing_before_an_attribute_block_is_found_and_the_block_kept() {
        assert_eq!(
            split_timing("Deployment Execution (T-0) {#s25 .x}"),
            (
                "Deployment Execution {#s25 .x}".to_string(),
                Some("T-0".to_string())
            )
        );
        assert_eq!(
            split_timing("Deploy {#deploy}"),
            ("Deploy {#deploy}".to_string(), None)
        );
        assert_eq!(
            split_timing("Follow-up (T+24 hours)"),
            ("Follow-up".to_string(), Some("T+24 hours".to_string()))
        );
    }

    #[test]
    fn headings_normalise_for_alignment() {
        let cases = "
            Pre-release Requirements | pre release requirements
            Pre-release requirements | pre release requirements
            Rollback & Incident Playbook | rollback and incident playbook
            Rollback and Incident Playbook | rollback and incident playbook
            Pre-Deployment (T-24 to T-1 hours) | pre deployment
            Post-Deployment Follow-up (T+24 hours) | post deployment follow up
            What's New ✨ | whats new
            Bug Fixes 🐛 | bug fixes
            2.1 Scope | scope
            Quality Assurance {#qa .important} | quality assurance
            <a name=qa></a>Quality <em>Assurance</em> | quality assurance
            Latency < 200 ms | latency 200 ms
            Sets {of} things | sets of things
            1) Purpose | purpose
            Release Notes (v2) | release notes v2
            Step 3: Pre-release Requirements | pre release requirements
            Phase 2 — Deploy | deploy
            Stage 10. Verify | verify
            Step 3 | step 3
            Steps to take | steps to take
            OctoAcme — Release & Deployment Guide | octoacme release and deployment guide";
        for row in table(cases, "|") {
            assert_eq!(
                normalise_heading(row[0]),
                row[1],
                "normalise_heading({:?})",
                row[0]
            );
        }
    }

    #[test]
    fn timings_split_off_headings() {
        let cases = "
            Pre-Deployment (T-24 to T-1 hours) | Pre-Deployment | T-24 to T-1 hours
            Deployment Execution (T-0) | Deployment Execution | T-0
            Post-Deployment (T+0 to T+4 hours) | Post-Deployment | T+0 to T+4 hours
            Post-Deployment Follow-up (T+24 hours) | Post-Deployment Follow-up | T+24 hours
            Monitoring — Within 48 hours | Monitoring | Within 48 hours
            Deployment Execution | Deployment Execution |
            Release Notes (v2) | Release Notes (v2) |
            Rollback & Incident Playbook | Rollback & Incident Playbook |
            OctoAcme — Release & Deployment Guide | OctoAcme — Release & Deployment Guide |";
        for row in table(cases, "|") {
            let want = (
                row[1].to_string(),
                (!row[2].is_empty()).then(|| row[2].to_string()),
            );
            assert_eq!(split_timing(row[0]), want, "split_timing({:?})", row[0]);
        }
    }

    #[test]
    fn tokens_are_stemmed_content_words() {
        let cases = "
            Run post-deploy verification tests | run post deploy verification test
            Deployment window scheduled and communicated to stakeholders | deploy window schedul communicat stakeholder
            Stakeholders notified; notifies; notify | stakeholder notify
            Key decisions documented in [Decision Log](./octoacme-decision-log.md) | key decision docu log
            Regression testing completed, passed, done | regression test complet
            Monitor production for 24-48 hours post-release | monitor production 24 48 hour post releas
            Deploy to staging (T-0): running, planned | deploy stag 0 run plan
            Proceed; proceeded | proceed";
        for row in table(cases, "|") {
            assert_eq!(
                item_tokens(row[0]).join(" "),
                row[1],
                "item_tokens({:?})",
                row[0]
            );
        }
    }

    /// `a <> b`: pairs from the seed variants that say the same thing.
    const SAME: &str = "
        Deployment window scheduled (if needed) <> Deployment window scheduled and communicated to stakeholders
        Backup or snapshot (if applicable) <> Backup or snapshot created (if applicable)
        Release notes drafted <> Release notes drafted and approved
        Release notes drafted <> Release notes drafted and reviewed
        Release notes drafted and approved <> Release notes drafted and reviewed
        Smoke tests prepared <> Smoke tests prepared and validated in staging
        Rollback / mitigation plan documented <> Rollback / mitigation plan documented and tested
        Run post-deploy verifications <> Run post-deploy verification tests
        Announce release to stakeholders and support <> Announce release to stakeholders and support team
        Deploy to production (automated pipeline preferred) <> Begin production deployment (automated pipeline preferred)
        Known issues documented <> Known issues documented with workarounds
        Passing CI and security scans <> Passing CI and security scans (validated by **Security Lead**)
        Schedule release retrospective (if needed) <> Schedule release retrospective (if applicable)
        Regression testing completed <> Regression testing completed
        Deploy to staging and run smoke tests <> Deploy to staging and run smoke tests (QA Specialist validates)
        Trigger incident response and notify on-call <> **SRE/DevOps** triggers incident response and notifies on-call
        Triage root cause and capture action items <> **Developer** and **SRE/DevOps** triage root cause
        Rollback to last known-good release if necessary <> **SRE/DevOps** rollback to last known-good release if necessary
        Acceptance criteria validated <> All acceptance criteria met and validated by Product Manager
        Database migrations tested (if applicable) <> Database migrations tested in staging
        Communication channels ready (status page, Slack, email) <> Communication channels ready (Slack, email, etc.)
        Services verified after rollback <> Verify service health and functionality after rollback
        Document any issues encountered during deployment <> Document any issues encountered and resolutions
        Performance testing passed (for major releases) <> Performance testing completed (if applicable)
        Support team briefed on changes <> Support team briefed on changes
        Feature flags configured and validated <> Feature flags configured for safe rollout
        Monitor error rates and performance metrics <> Monitor error rates, latency, and system health";

    /// `a <> b`: pairs from the seed variants that are different steps.
    const DIFFERENT: &str = "
        Smoke tests prepared <> Smoke tests executed and passing
        Deploy to staging and run smoke tests <> Deploy to production (automated pipeline preferred)
        Unit tests passing <> Integration tests passing
        Product Manager approval <> Engineering lead approval
        Stakeholders notified of successful deployment <> Stakeholders notified of rollback
        Monitor error rates and performance metrics <> Check application logs for anomalies
        Rollback decision made and communicated <> Rollback procedure initiated
        Release notes drafted <> Release notes published
        Database migrations tested in staging <> Database migrations executed (if applicable)
        Known issues documented <> Known limitations documented
        Identify last known-good release version <> Rollback to last known-good release if necessary
        Stakeholders notified of upcoming release <> Stakeholders notified of successful deployment
        Deploy to staging and verify fix resolves the issue <> Deploy to staging and run smoke tests
        Document rollback decision and next steps in [Decision Log](./d.md) <> Document any deployment decisions in [Decision Log](./d.md)
        Schedule release retrospective (if applicable) <> Schedule post-incident retrospective within 48 hours
        Code freeze in effect (no new changes without approval) <> Code freeze initiated (if applicable)
        Release notes drafted <> Release notes shared and understood
        Deploy to staging environment first <> Deploy to staging and run smoke tests
        Known issues documented <> Known issues and workarounds documented with FAQs for support and training
        - <> —";

    #[test]
    fn same_item_merges_the_same_step() {
        for (expect, cases) in [(true, SAME), (false, DIFFERENT)] {
            for row in table(cases, " <> ") {
                assert_eq!(
                    same_item(row[0], row[1]),
                    expect,
                    "same_item({:?}, {:?})",
                    row[0],
                    row[1]
                );
                assert_eq!(same_item(row[1], row[0]), expect, "same_item is symmetric");
            }
        }
    }

    #[test]
    fn similarity_scores() {
        let t = |s: &str| item_tokens(s);
        assert_eq!(
            similarity(&t("Unit tests passing"), &t("Integration tests passing")),
            2.0 / 3.0
        );
        assert_eq!(
            similarity(&t("Backup or snapshot"), &t("Backup or snapshot created")),
            1.0
        );
        assert_eq!(similarity(&t(""), &t("")), 0.0);
    }

    #[test]
    fn item_ids_are_slugs_of_leading_content_words() {
        let cases = "
            Deployment window scheduled (if needed) — **Project Manager** | deployment-window-scheduled
            Deployment window scheduled and communicated to stakeholders | deployment-window-scheduled-communicated-stakeholders
            Go/No-Go meeting held with stakeholders | go-no-go-meeting-held-stakeholders
            Key decisions documented in [Decision Log](./octoacme-decision-log.md) | key-decisions-documented-decision-log
            Run `cargo test` before the **release** | run-cargo-test-before-release
            Monitor production for 24-48 hours post-release | monitor-production-24-48-hours-post-release
            Confirm issue severity and impact (customer-facing, data integrity, security, etc.) | confirm-issue-severity-impact-customer-facing-data
            — | item";
        for row in table(cases, "|") {
            assert_eq!(item_id(row[0]), row[1], "item_id({:?})", row[0]);
        }
    }

    /// [`similarity`] as it was written first, over sets.
    fn similarity_of_sets(a: &[String], b: &[String]) -> f64 {
        use std::collections::BTreeSet;
        let set_a: BTreeSet<&String> = a.iter().collect();
        let set_b: BTreeSet<&String> = b.iter().collect();
        if set_a.is_empty() || set_b.is_empty() {
            return 0.0;
        }
        let common = set_a.intersection(&set_b).count();
        let (small, large) = (set_a.len().min(set_b.len()), set_a.len().max(set_b.len()));
        if common == small && small >= 2 && small * 2 >= large {
            return 1.0;
        }
        let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        if prefix >= 3 && prefix * 2 >= a.len().max(b.len()) {
            return 1.0;
        }
        (2 * common) as f64 / (set_a.len() + set_b.len()) as f64
    }

    proptest::proptest! {
        #[test]
        fn similarity_counts_as_the_sets_do(
            a in proptest::collection::vec("[a-e]", 0..8),
            b in proptest::collection::vec("[a-e]", 0..8),
        ) {
            proptest::prop_assert_eq!(similarity(&a, &b), similarity_of_sets(&a, &b));
        }
    }

    proptest::proptest! {
        /// Any heading: its numbering left out is a suffix of it, never empty
        /// unless the heading is.
        #[test]
        fn numbering_left_out_is_a_tail_of_the_heading(heading in "((Step|Phase|part) )?[0-9.)]{0,4}[:\\-—.]? ?\\PC{0,12}") {
            let words = without_numbering(&heading);
            proptest::prop_assert!(heading.trim().ends_with(words));
            proptest::prop_assert!(!words.is_empty() || heading.trim().is_empty());
            let _ = split_timing(&heading);
        }
    }
}
