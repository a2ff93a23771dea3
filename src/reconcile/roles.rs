//! Role spellings → one role.
//!
//! Guides name the same role many ways ("QA/Testing Specialist", "QA/Test
//! Engineer", "QA Specialist"). Each spelling gets a *key*: its core words,
//! lowercased and singular, with words that say nothing about *which* role
//! it is dropped ("specialist", "engineer", "team") and a few synonyms
//! mapped ("testing" → "qa"). Keys are grouped without regard to the order
//! spellings arrive in:
//!
//! - equal keys are one role;
//! - a key joins a larger key only when the larger spelling names it as
//!   one of its slash alternatives ("Release Manager" joins
//!   "Release/Deployment Manager") or adds nothing but a qualifier such as
//!   "external"; shared words alone never join ("Product Marketing
//!   Manager" is not "Product Manager", "QA Lead" is not "QA Specialist");
//! - team handles ("@sre-team") and abbreviations ("RM", "Release Mgr")
//!   are pinned as aliases of the one role they name, when exactly one fits;
//! - a key contained in two unrelated larger keys is ambiguous and stays
//!   its own role rather than guessing.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// Words that name a person or group doing a job (space-separated lists
/// keep these tables short; see [`listed`]).
const ROLE_WORDS: &str = "admin administrator analyst architect ceo champion cio ciso \
    commander consultant contributor counsel coordinator cto dba designer developer devops director \
    engineer executive head lead leader maintainer manager member officer operator ops owner \
    pm qa representative reviewer scientist secops specialist sre stakeholder steward \
    success team tester tpm vp writer";
/// Role words too generic to be a role on their own ("Team", "Lead").
const NOT_ALONE: &str = "head lead leader member owner success team";
/// Lowercase words allowed inside a role name ("Customer Success team").
const LOWER_OK: &str = "team teams of &";
/// Words dropped from a key: they say how someone works, not which role.
const DROP_WORDS: &str = "specialist engineer team member staff group person people of the and &";
/// Ranks: a key that differs from another only by one of these is a
/// different role ("QA Lead" is not "QA Specialist").
const RANKS: &str = "manager lead leader owner head director officer coordinator vp";
/// Words that only qualify a role: "External Stakeholders" is "Stakeholders".
const QUALIFIERS: &str = "external internal";
/// Words a role name never starts with ("With Release Manager", "To QA").
const NOT_FIRST: &str = "with to from for by and or between via of in on at the a an";
/// Words kept as they are when singularising.
const NOT_PLURAL: &str = "devops secops ops sales analytics";
/// Common synonyms, applied to whole phrases and then to single words.
const PHRASE_SYNONYMS: &[(&str, &str)] =
    &[("quality assurance", "qa"), ("site reliability", "sre")];
const WORD_SYNONYMS: &[(&str, &str)] = &[("test", "qa"), ("testing", "qa"), ("tester", "qa")];

/// Whether `word` is one of the space-separated words of `list`.
pub(super) fn listed(list: &str, word: &str) -> bool {
    list.split_whitespace().any(|w| w == word)
}

/// Whether `text` reads like a role name rather than a label, a tool or a
/// phrase: at most six words, each capitalised (or one of a few lowercase
/// glue words such as "team"), and at least one word that names a person
/// or group ("Lead", "Developers", "QA"). Surrounding `**` and a trailing
/// `:` are ignored.
pub fn looks_like_role(text: &str) -> bool {
    let text = clean_spelling(text);
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    let well_formed = words.iter().all(|w| {
        let letters_only = w.chars().all(|c| c.is_alphabetic() || "-&.'".contains(c));
        let capitalised = w.chars().next().is_some_and(char::is_uppercase);
        letters_only && (capitalised || listed(LOWER_OK, w))
    });
    let role_word = |w: &&str| listed(ROLE_WORDS, &singular(&w.to_lowercase()));
    // The head noun names the person: the last word, or the one before "of"
    // ("Head of Engineering"). "Lead Time" is a metric, not a role.
    let head = words
        .iter()
        .position(|w| *w == "of")
        .and_then(|i| i.checked_sub(1))
        .map_or(words.last(), |i| words.get(i));
    let first_ok = !listed(NOT_FIRST, &words[0].to_lowercase());
    let slash_heads = text.split('/').all(|part| {
        part.split_whitespace()
            .last()
            .is_some_and(|w| listed(ROLE_WORDS, &singular(&w.to_lowercase())))
    });
    match words.as_slice() {
        [only] => {
            well_formed && role_word(only) && !listed(NOT_ALONE, &singular(&only.to_lowercase()))
        }
        _ => well_formed && first_ok && (head.is_some_and(role_word) || slash_heads),
    }
}

/// Splits an owner list ("**A** and **B**", "QA Specialist and Developers",
/// "A, B or C") into role spellings, or `None` unless every part looks like
/// a role.
pub fn parse_role_list(text: &str) -> Option<Vec<String>> {
    let mut parts = vec![text.trim().to_string()];
    for sep in [",", " and ", " & ", " or "] {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep))
            .map(|p| p.trim().to_string())
            .collect();
    }
    let parts: Vec<String> = parts
        .into_iter()
        .filter(|p| !p.is_empty() && p != "and")
        .map(|p| p.strip_prefix("and ").map(str::to_string).unwrap_or(p))
        .collect();
    if parts.is_empty() || !parts.iter().all(|p| looks_like_role(p)) {
        return None;
    }
    Some(parts.iter().map(|p| clean_spelling(p)).collect())
}

/// The core words of a role spelling (see the module docs).
pub fn role_key(spelling: &str) -> BTreeSet<String> {
    let words = key_words(spelling, true);
    let kept: BTreeSet<String> = words
        .iter()
        .filter(|w| !listed(DROP_WORDS, w))
        .cloned()
        .collect();
    if kept.is_empty() {
        words.into_iter().collect()
    } else {
        kept
    }
}

/// One role of the guide, as written to `roles.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    /// Readable slug: the shortest id any spelling gives (see [`RoleBook::roles`]).
    pub id: String,
    /// Display name: the spelling used most often.
    pub name: String,
    /// Every other spelling, sorted.
    pub aliases: Vec<String>,
    /// One sentence: the first responsibility, or an honest fallback.
    pub summary: String,
    /// Responsibilities in first-seen order, without duplicates.
    pub responsibilities: Vec<String>,
}

/// Collects role spellings and responsibilities from every variant and
/// groups them into roles.
#[derive(Debug, Default)]
pub struct RoleBook {
    /// Distinct spellings in first-seen order, with how often each was used.
    spellings: Vec<(String, usize)>,
    /// (index into `spellings`, responsibility) in first-seen order.
    responsibilities: Vec<(usize, String)>,
    /// Spellings pinned to another spelling's role: (alias, target).
    pinned: Vec<(usize, usize)>,
    /// Groups, keys and roles, worked out once after the last change: every
    /// checklist item resolves its owners, so this must not be redone per call.
    cache: std::sync::OnceLock<Cache>,
}

/// A spelling's key, its lowercase form, and the index of its group.
type SpellingKey = (BTreeSet<String>, String, usize);

#[derive(Debug)]
struct Cache {
    groups: Vec<Group>,
    /// Each spelling's key, lowercase spelling, and the group it is in.
    keys: Vec<SpellingKey>,
    alternatives: AlternativeKeys,
    roles: Vec<Role>,
}

/// One group of spellings: indices into `RoleBook::spellings`, and its id.
#[derive(Debug, Clone)]
struct Group {
    id: String,
    members: Vec<usize>,
}

impl RoleBook {
    /// Records one mention of a role spelling.
    pub fn add_spelling(&mut self, spelling: &str) {
        self.index_of(spelling);
    }

    /// Records a team handle or abbreviation ("@sre-team", "RM", "Release
    /// Mgr") as an alias of the one known role it names. Returns whether it
    /// found one; otherwise the spelling is left for the caller to add.
    pub fn pin_alias(&mut self, spelling: &str) -> bool {
        let clean = clean_spelling(spelling);
        if clean.is_empty() || self.spellings.iter().any(|(s, _)| *s == clean) {
            return self.spellings.iter().any(|(s, _)| *s == clean);
        }
        let Some(target) = self.named_by(&clean) else {
            return false;
        };
        if let Some(alias) = self.index_of(&clean) {
            self.pinned.push((alias, target));
            self.cache = std::sync::OnceLock::new();
        }
        true
    }

    /// The spelling of the one role a handle or abbreviation names.
    fn named_by(&self, spelling: &str) -> Option<usize> {
        let pinned: BTreeSet<usize> = self.pinned.iter().map(|&(a, _)| a).collect();
        let handle = spelling
            .strip_prefix('@')
            .map(|h| h.replace(['-', '_', '.'], " "));
        let groups = &self.cache().groups;
        let mut found: BTreeMap<String, usize> = BTreeMap::new();
        for (i, (known, _)) in self.spellings.iter().enumerate() {
            if pinned.contains(&i) {
                continue;
            }
            let fits = match &handle {
                Some(words) => {
                    let key = role_key(words);
                    let alternatives = slash_alternatives(known);
                    role_key(known) == key || alternatives.iter().any(|a| role_key(a) == key)
                }
                None => slash_alternatives(known)
                    .iter()
                    .chain(std::iter::once(known))
                    .any(|a| abbreviates(spelling, a)),
            };
            if fits {
                if let Some(group) = groups.iter().find(|g| g.members.contains(&i)) {
                    found.entry(group.id.clone()).or_insert(i);
                }
            }
        }
        let mut found = found.into_values();
        match (found.next(), found.next()) {
            (Some(i), None) => Some(i),
            _ => None,
        }
    }

    /// Records a responsibility listed for a role (this also counts as a
    /// mention of the spelling).
    pub fn add_responsibility(&mut self, spelling: &str, responsibility: &str) {
        let responsibility = responsibility
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(index) = self.index_of(spelling) {
            if !responsibility.is_empty() {
                self.responsibilities.push((index, responsibility));
            }
        }
    }

    /// The role id for a spelling, case-insensitive. A spelling never added
    /// resolves when its key equals a known key or fits exactly one role.
    pub fn resolve(&self, spelling: &str) -> Option<String> {
        let wanted = clean_spelling(spelling).to_lowercase();
        let key = role_key(&wanted);
        let cache = self.cache();
        let ids = |fits: &dyn Fn(&SpellingKey) -> bool| -> BTreeSet<String> {
            cache
                .keys
                .iter()
                .filter(|k| fits(k))
                .map(|k| cache.groups[k.2].id.clone())
                .collect()
        };
        let spelled = ids(&|k| k.1 == wanted);
        let same_key = ids(&|k| k.0 == key);
        let wider = ids(&|k| joins(&key, &k.0, &cache.alternatives));
        let found = [spelled, same_key, wider]
            .into_iter()
            .find(|ids| !ids.is_empty())?;
        let mut found = found.into_iter();
        match (found.next(), found.next()) {
            (Some(id), None) => Some(id),
            _ => None,
        }
    }

    /// Every role, sorted by id. The id is the shortest of the ids the
    /// group's spellings give (first alternative of a slash name, generic
    /// words dropped: "QA/Testing Specialist" → `qa`, "Customer Success
    /// team" → `customer-success`), ties broken alphabetically, clashes
    /// numbered `-2`, `-3`. The name is the spelling mentioned most often
    /// (a team handle only when there is no other), ties going to the
    /// longer (more descriptive), then alphabetical.
    pub fn roles(&self) -> Vec<Role> {
        self.cache().roles.clone()
    }

    /// [`RoleBook::roles`] without a copy.
    pub fn roles_ref(&self) -> &[Role] {
        &self.cache().roles
    }

    fn cache(&self) -> &Cache {
        self.cache.get_or_init(|| {
            let groups = self.groups();
            let mut keys: Vec<SpellingKey> = self
                .spellings
                .iter()
                .map(|(s, _)| (role_key(s), s.to_lowercase(), usize::MAX))
                .collect();
            for (g, group) in groups.iter().enumerate() {
                for &m in &group.members {
                    keys[m].2 = g;
                }
            }
            keys.retain(|k| k.2 != usize::MAX);
            Cache {
                alternatives: self.alternative_keys(),
                roles: groups.iter().cloned().map(|g| self.role(g)).collect(),
                groups,
                keys,
            }
        })
    }

    fn role(&self, group: Group) -> Role {
        let mut by_use: Vec<&(String, usize)> =
            group.members.iter().map(|&i| &self.spellings[i]).collect();
        // A handle ("@sre") names a role only when nothing else does.
        by_use.sort_by(|a, b| {
            a.0.starts_with('@')
                .cmp(&b.0.starts_with('@'))
                .then(b.1.cmp(&a.1))
                .then(b.0.len().cmp(&a.0.len()))
                .then(a.0.cmp(&b.0))
        });
        let name = by_use.first().map(|(s, _)| s.clone()).unwrap_or_default();
        let mut aliases: Vec<String> = by_use.iter().skip(1).map(|(s, _)| s.clone()).collect();
        aliases.sort();
        let mut responsibilities: Vec<String> = Vec::new();
        for (index, text) in &self.responsibilities {
            let seen = responsibilities
                .iter()
                .any(|r| r.to_lowercase() == text.to_lowercase());
            if group.members.contains(index) && !seen {
                responsibilities.push(text.clone());
            }
        }
        let summary = responsibilities.first().map_or_else(
            || "Named in the guide; the guide lists no responsibilities for this role yet.".into(),
            |first| sentence(first),
        );
        Role {
            id: group.id,
            name,
            aliases,
            summary,
            responsibilities,
        }
    }

    fn index_of(&mut self, spelling: &str) -> Option<usize> {
        self.cache = std::sync::OnceLock::new();
        let spelling = clean_spelling(spelling);
        if spelling.is_empty() {
            return None;
        }
        if let Some(index) = self.spellings.iter().position(|(s, _)| *s == spelling) {
            self.spellings[index].1 += 1;
            return Some(index);
        }
        self.spellings.push((spelling, 1));
        Some(self.spellings.len() - 1)
    }

    /// Groups spellings by key (see the module docs), sorted by id.
    /// For each key, the keys of its spellings' slash alternatives.
    fn alternative_keys(&self) -> BTreeMap<BTreeSet<String>, Vec<BTreeSet<String>>> {
        let mut out: BTreeMap<BTreeSet<String>, Vec<BTreeSet<String>>> = BTreeMap::new();
        for (spelling, _) in &self.spellings {
            let alternatives = out.entry(role_key(spelling)).or_default();
            for alternative in slash_alternatives(spelling) {
                alternatives.push(role_key(&alternative));
            }
        }
        out
    }

    fn groups(&self) -> Vec<Group> {
        let pinned: BTreeMap<usize, usize> = self.pinned.iter().copied().collect();
        let alternatives = self.alternative_keys();
        let keys: Vec<BTreeSet<String>> = self.spellings.iter().map(|(s, _)| role_key(s)).collect();
        let distinct: BTreeSet<&BTreeSet<String>> = keys
            .iter()
            .enumerate()
            .filter(|(i, _)| !pinned.contains_key(i))
            .map(|(_, k)| k)
            .collect();
        let maximal: Vec<&BTreeSet<String>> = distinct
            .iter()
            .copied()
            .filter(|k| !distinct.iter().any(|o| joins(k, o, &alternatives)))
            .collect();
        let mut by_target: BTreeMap<&BTreeSet<String>, Vec<usize>> = BTreeMap::new();
        let mut target_of: BTreeMap<usize, &BTreeSet<String>> = BTreeMap::new();
        for (index, key) in keys.iter().enumerate() {
            if pinned.contains_key(&index) {
                continue;
            }
            let homes: Vec<&BTreeSet<String>> = maximal
                .iter()
                .copied()
                .filter(|m| joins(key, m, &alternatives))
                .collect();
            let target = match homes.as_slice() {
                [home] => home,
                _ => key,
            };
            by_target.entry(target).or_default().push(index);
            target_of.insert(index, target);
        }
        for (alias, target) in &pinned {
            if let Some(home) = target_of.get(target) {
                by_target.entry(home).or_default().push(*alias);
            }
        }
        let mut groups: Vec<(String, Vec<usize>)> = by_target
            .into_values()
            .map(|members| {
                // Handles and abbreviations never name the role.
                let naming: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|i| !pinned.contains_key(i))
                    .collect();
                let id = naming
                    .iter()
                    .map(|&i| spelling_id(&self.spellings[i].0))
                    .min_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)))
                    .unwrap_or_default();
                (id, members)
            })
            .collect();
        groups.sort();
        let mut taken: BTreeMap<String, usize> = BTreeMap::new();
        groups
            .into_iter()
            .map(|(id, members)| {
                let count = taken.entry(id.clone()).or_insert(0);
                *count += 1;
                let id = if *count == 1 {
                    id
                } else {
                    format!("{id}-{count}")
                };
                Group { id, members }
            })
            .collect()
    }
}

type AlternativeKeys = BTreeMap<BTreeSet<String>, Vec<BTreeSet<String>>>;

/// Whether `small` joins the strictly larger `large`: it has a word that is
/// not a rank, and a spelling of `large` names it as a slash alternative,
/// or the extra words only qualify it ("external").
fn joins(
    small: &BTreeSet<String>,
    large: &BTreeSet<String>,
    alternatives: &AlternativeKeys,
) -> bool {
    let named = alternatives
        .get(large)
        .is_some_and(|alts| alts.iter().any(|a| a == small));
    small.len() < large.len()
        && small.is_subset(large)
        && small.iter().any(|w| !listed(RANKS, w))
        && (named || large.difference(small).all(|w| listed(QUALIFIERS, w)))
}

/// The roles a slash name lists: "Release/Deployment Manager" → "Release
/// Manager", "Deployment Manager"; "QA/Test Engineer" → "QA Engineer",
/// "Test Engineer"; "Account Executive/Customer Success" → both parts.
fn slash_alternatives(spelling: &str) -> Vec<String> {
    let clean = clean_spelling(spelling);
    let parts: Vec<&str> = clean.split('/').map(str::trim).collect();
    if parts.len() < 2 {
        return Vec::new();
    }
    let last_words: Vec<&str> = parts[parts.len() - 1].split_whitespace().collect();
    let shared_tail = parts[..parts.len() - 1]
        .iter()
        .all(|p| p.split_whitespace().count() == 1)
        && last_words.len() > 1;
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if shared_tail && i + 1 < parts.len() {
                format!("{p} {}", last_words[1..].join(" "))
            } else {
                p.to_string()
            }
        })
        .collect()
}

/// Whether `short` abbreviates `name`: its initials ("RM" for "Release
/// Manager"), or word by word a shortening of each word ("Release Mgr",
/// "Eng Lead": same first letter, the rest in order).
pub fn abbreviates(short: &str, name: &str) -> bool {
    let name_words: Vec<&str> = name.split_whitespace().collect();
    let short_words: Vec<&str> = short.split_whitespace().collect();
    if short_words.len() == 1 && name_words.len() > 1 {
        let initials: String = name_words.iter().filter_map(|w| w.chars().next()).collect();
        let caps = short.chars().all(|c| c.is_ascii_uppercase());
        return caps && initials.eq_ignore_ascii_case(short);
    }
    short_words.len() == name_words.len()
        && short_words != name_words
        && short_words.iter().zip(&name_words).all(|(s, n)| {
            let (s, n) = (s.to_lowercase(), n.to_lowercase());
            let mut rest = n.chars();
            s.chars().next() == n.chars().next() && s.chars().all(|c| rest.any(|x| x == c))
        })
}

/// Trims a spelling, drops `**` and a trailing `:`, collapses whitespace.
fn clean_spelling(text: &str) -> String {
    let text = text
        .trim()
        .trim_matches('*')
        .trim()
        .trim_end_matches(':')
        .trim_matches('*');
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lowercase words of a spelling with synonyms mapped, optionally singular.
fn key_words(spelling: &str, singularise: bool) -> Vec<String> {
    let mut lower = clean_spelling(spelling).to_lowercase();
    for (phrase, short) in PHRASE_SYNONYMS {
        lower = lower.replace(phrase, short);
    }
    lower
        .split(|c: char| c.is_whitespace() || c == '/' || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = if singularise {
                singular(w)
            } else {
                w.to_string()
            };
            WORD_SYNONYMS
                .iter()
                .find(|(from, _)| *from == w)
                .map_or(w, |(_, to)| to.to_string())
        })
        .collect()
}

/// "Developers" → "developer"; leaves "DevOps", "ops", "success", "sales".
fn singular(word: &str) -> String {
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") && !listed(NOT_PLURAL, word) {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

/// The first alternative of a slash name: "Release/Deployment Manager" →
/// "Release Manager", "SRE/DevOps" → "SRE", "Account Executive/Customer
/// Success" → "Account Executive".
fn first_alternative(spelling: &str) -> String {
    let parts: Vec<&str> = spelling.split('/').map(str::trim).collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return spelling.to_string();
    };
    let last_words: Vec<&str> = last.split_whitespace().collect();
    if parts.len() > 1 && first.split_whitespace().count() == 1 && last_words.len() > 1 {
        format!("{first} {}", last_words[1..].join(" "))
    } else {
        first.to_string()
    }
}

/// The id one spelling suggests: its first alternative's words, with
/// synonyms mapped and generic words dropped (kept if nothing is left).
fn spelling_id(spelling: &str) -> String {
    let words = key_words(&first_alternative(&clean_spelling(spelling)), false);
    let kept: Vec<&String> = words
        .iter()
        .filter(|w| !listed(DROP_WORDS, &singular(w)))
        .collect();
    let chosen: Vec<&String> = if kept.is_empty() {
        words.iter().collect()
    } else {
        kept
    };
    let joined: Vec<&str> = chosen.iter().map(|w| w.as_str()).collect();
    crate::ids::id_from(&joined.join(" "), "role")
}

/// A responsibility as a sentence: capitalised, ending in a full stop.
fn sentence(text: &str) -> String {
    let text = text.trim().trim_end_matches(['.', ';', ',']);
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    out.push_str(chars.as_str());
    out.push('.');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of a `left | right` table, blank lines skipped.
    fn table(text: &str) -> Vec<(&str, &str)> {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                l.split_once('|')
                    .map_or((l.trim(), ""), |(a, b)| (a.trim(), b.trim()))
            })
            .collect()
    }

    #[test]
    fn role_names_are_told_from_labels() {
        let cases = "
            QA Specialist | yes
            SRE/DevOps | yes
            Developers | yes
            Developer | yes
            Account Executive/Customer Success | yes
            Account Executive / Customer Success | yes
            Customer Success team | yes
            External Stakeholders | yes
            Security Lead | yes
            Release/Deployment Manager | yes
            **QA/Test Engineer** | yes
            Incident Commander | yes
            On-call team | yes
            QA | yes
            Slack | no
            CI | no
            T-0 | no
            Action Required | no
            Decision Maker | no
            Note | no
            Team | no
            Notify stakeholders | no
            Declare incident | no
            release team | no
            Lead Time | no
            With Release Manager | no
            To QA | no
            Legal Counsel | yes
            Head of Engineering | yes
            Release Manager to Support Teams Handoff Checklist | no
            | no";
        for (text, want) in table(cases) {
            assert_eq!(
                looks_like_role(text),
                want == "yes",
                "looks_like_role({text:?})"
            );
        }
    }

    #[test]
    fn owner_lists_split_into_roles() {
        let cases = "
            **SRE/DevOps** and **QA/Test Engineer** | SRE/DevOps; QA/Test Engineer
            QA Specialist and Developers | QA Specialist; Developers
            Release Manager or Incident Commander | Release Manager; Incident Commander
            Product Manager, Engineering Lead, and On-call team | Product Manager; Engineering Lead; On-call team
            status page, Slack, email |
            QA Specialist validates |";
        for (text, want) in table(cases) {
            let want = (!want.is_empty()).then(|| want.split("; ").map(String::from).collect());
            assert_eq!(parse_role_list(text), want, "parse_role_list({text:?})");
        }
    }

    #[test]
    fn keys_keep_the_words_that_tell_roles_apart() {
        let cases = "
            QA/Testing Specialist | qa
            QA/Test Engineer | qa
            Quality Assurance Tester | qa
            Release Managers | manager release
            Developers | developer
            Customer Success team | customer success
            Site Reliability Engineer | sre
            Engineer | engineer";
        for (spelling, want) in table(cases) {
            let want: BTreeSet<String> = want.split(' ').map(String::from).collect();
            assert_eq!(role_key(spelling), want, "role_key({spelling:?})");
        }
    }

    /// The spellings found in the seed variants.
    const SEED_SPELLINGS: &str = "Release/Deployment Manager; QA/Testing Specialist; \
        Technical Writer; Product Manager; Developers; Release Manager; Incident Commander; \
        Engineering Lead; On-call team; Security Lead; QA/Test Engineer; Project Manager; \
        SRE/DevOps; Developer; QA Specialist; External Stakeholders; \
        Account Executive/Customer Success; Account Executive / Customer Success; \
        Customer Success team; Release Managers";

    fn book_of<'a>(spellings: impl Iterator<Item = &'a str>) -> RoleBook {
        let mut book = RoleBook::default();
        spellings.for_each(|s| book.add_spelling(s));
        book
    }

    #[test]
    fn seed_spellings_resolve_to_one_role_each() {
        let book = book_of(SEED_SPELLINGS.split("; "));
        let cases = "
            QA/Testing Specialist | qa
            QA/Test Engineer | qa
            QA Specialist | qa
            qa specialist | qa
            Release/Deployment Manager | release-manager
            Release Manager | release-manager
            Release Managers | release-manager
            SRE/DevOps | sre
            Developer | developer
            Developers | developer
            Product Manager | product-manager
            Project Manager | project-manager
            Account Executive/Customer Success | customer-success
            Account Executive / Customer Success | customer-success
            Customer Success team | customer-success
            Security Lead | security-lead
            Technical Writer | technical-writer
            External Stakeholders | external-stakeholders
            Engineering Lead | engineering-lead
            Incident Commander | incident-commander
            On-call team | on-call
            Testing Engineer | qa
            Deployment Manager | release-manager
            Customer Success | customer-success
            Stakeholders | external-stakeholders
            Slack |";
        for (spelling, want) in table(cases) {
            let want = (!want.is_empty()).then(|| want.to_string());
            assert_eq!(book.resolve(spelling), want, "resolve({spelling:?})");
        }
        assert_eq!(book.roles().len(), 13);
    }

    #[test]
    fn grouping_does_not_depend_on_order() {
        let forward = book_of(SEED_SPELLINGS.split("; ")).roles();
        let backward = book_of(SEED_SPELLINGS.rsplit("; ")).roles();
        assert_eq!(forward, backward);
    }

    #[test]
    fn ranks_and_ambiguity_keep_roles_apart() {
        let book = book_of(
            "QA Lead; QA Specialist; Manager; Product Manager; Product Owner; \
             Frontend Developer; Backend Developer; Developer"
                .split("; "),
        );
        let ids: Vec<String> = book.roles().into_iter().map(|r| r.id).collect();
        let want = "backend-developer developer frontend-developer manager \
                    product-manager product-owner qa qa-lead";
        assert_eq!(ids.join(" "), want);
        assert_eq!(book.resolve("Developers").as_deref(), Some("developer"));
    }

    #[test]
    fn shared_words_alone_never_join_roles() {
        let mut book = book_of(
            "Product Manager; Product Marketing Manager; QA Specialist; QA Lead; \
             Legal Counsel; Release/Deployment Manager; Project Manager"
                .split("; "),
        );
        let ids: Vec<String> = book.roles().into_iter().map(|r| r.id).collect();
        let want = "legal-counsel product-manager product-marketing-manager project-manager \
                    qa qa-lead release-manager";
        assert_eq!(ids.join(" "), want);
        // Abbreviations and handles pin to the one role they name.
        assert!(book.pin_alias("RM"));
        assert!(book.pin_alias("Release Mgr"));
        assert!(book.pin_alias("@release-managers"));
        assert!(
            !book.pin_alias("PM"),
            "Product or Project Manager: ambiguous"
        );
        assert_eq!(book.resolve("RM").as_deref(), Some("release-manager"));
        assert_eq!(
            book.resolve("release mgr").as_deref(),
            Some("release-manager")
        );
        assert_eq!(book.roles().len(), 7);
    }

    #[test]
    fn roles_carry_name_aliases_and_responsibilities() {
        let mut book = RoleBook::default();
        let provides = "Provides quality sign-off and test results";
        book.add_responsibility("**QA/Testing Specialist:**", provides);
        book.add_responsibility(
            "QA/Testing Specialist",
            "Documents known issues  and workarounds",
        );
        book.add_spelling("QA/Test Engineer");
        book.add_spelling("QA/Test Engineer");
        book.add_responsibility("QA/Test Engineer", "Validate fixes before redeployment");
        book.add_responsibility("QA Specialist", &provides.to_lowercase());
        book.add_spelling("Incident Commander");
        let roles = book.roles();
        let qa = &roles[1];
        assert_eq!(
            (qa.id.as_str(), qa.name.as_str()),
            ("qa", "QA/Test Engineer")
        );
        assert_eq!(qa.aliases, ["QA Specialist", "QA/Testing Specialist"]);
        let want = [
            provides,
            "Documents known issues and workarounds",
            "Validate fixes before redeployment",
        ];
        assert_eq!(qa.responsibilities, want);
        assert_eq!(qa.summary, format!("{provides}."));
        assert_eq!(roles[0].id, "incident-commander");
        assert!(roles[0].summary.starts_with("Named in the guide"));
    }

    #[test]
    fn first_alternative_distributes_a_shared_head() {
        let cases = "
            Release/Deployment Manager | Release Manager
            QA/Testing Specialist | QA Specialist
            SRE/DevOps | SRE
            Account Executive/Customer Success | Account Executive
            Account Executive / Customer Success | Account Executive
            Technical Writer | Technical Writer";
        for (spelling, want) in table(cases) {
            assert_eq!(first_alternative(spelling), want);
        }
    }
}
