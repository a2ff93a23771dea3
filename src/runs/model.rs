//! The types of a release run file (`content/runs/<version>.yaml`): the
//! release it is for, who started it, and every checklist item that applies
//! to its release type, in playbook order, with its state.
//!
//! The values that become file names or are compared (version, dates,
//! times) are newtypes that only hold valid values; ids and names are plain
//! text, never HTML.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::checklist::{ReleasePhase, ReleaseType};

/// One release run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// The release's version (semver: `2.4.0`, `2.4.0-rc.1`); also the file's name.
    pub version: RunVersion,
    /// The release type, which decides the items the run has.
    #[serde(rename = "type")]
    pub release_type: ReleaseType,
    /// The planned release date.
    pub date: RunDate,
    /// Who started the run.
    pub started_by: String,
    /// When the run was started.
    pub started_at: Timestamp,
    /// Every item that applies to the release type, in playbook order.
    pub items: Vec<RunItem>,
}

/// One checklist item of a run, with its state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunItem {
    /// Stable id: `checklist-id/item-id`.
    pub id: String,
    /// The checklist whose group lists it; written in the file only when it
    /// is not the id's first part (an item kept in another checklist).
    #[serde(default)]
    pub checklist: String,
    /// The group (of `checklist`) it is listed in.
    pub group: String,
    /// Where it sits on the release timeline.
    pub phase: ReleasePhase,
    /// Role ids of whoever does it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    /// Not needed for the release gate.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    pub state: ItemState,
    /// Why it was skipped (only with `state: skipped`, and then required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Who closed it (done, skipped or not applicable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// When it was closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The item's text (inline Markdown) when the run started.
    pub text: String,
}

impl RunItem {
    /// Whether the release gate waits for it.
    pub fn required(&self) -> bool {
        !self.optional
    }

    /// Whether it no longer needs doing (done, skipped or not applicable).
    pub fn is_closed(&self) -> bool {
        self.state != ItemState::Open
    }

    /// The item part of its id (`checklist/item` → `item`).
    pub fn item_id(&self) -> &str {
        self.id.split_once('/').map_or(&self.id, |(_, item)| item)
    }

    /// The checklist part of its id.
    pub fn id_checklist(&self) -> &str {
        self.id
            .split_once('/')
            .map_or("", |(checklist, _)| checklist)
    }

    /// Mark it closed in `state` by `by` at `at`, with an optional note
    /// (a skip's reason goes in `reason`).
    pub fn close(&mut self, state: ItemState, by: &str, at: Timestamp, note: Option<String>) {
        self.state = state;
        self.by = Some(by.to_string());
        self.at = Some(at);
        if note.is_some() {
            self.note = note;
        }
        if state != ItemState::Skipped {
            self.reason = None;
        }
    }

    /// Open it again, forgetting who closed it, when and why.
    pub fn reopen(&mut self) {
        self.state = ItemState::Open;
        self.by = None;
        self.at = None;
        self.reason = None;
        self.note = None;
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Where an item stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ItemState {
    Open,
    Done,
    /// Not done, on purpose: needs a `reason`.
    Skipped,
    /// Does not apply to this release.
    NotApplicable,
}

impl ItemState {
    pub const ALL: [ItemState; 4] = [
        ItemState::Open,
        ItemState::Done,
        ItemState::Skipped,
        ItemState::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Open => "open",
            ItemState::Done => "done",
            ItemState::Skipped => "skipped",
            ItemState::NotApplicable => "not-applicable",
        }
    }
}

/// A release version: semver (`2.4.0`, `2.4.0-rc.1+build.5`), so it is
/// always a safe file name (no `/`, `..`, spaces or control characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RunVersion(semver::Version);

/// The longest version accepted, in bytes: it becomes a file name.
const MAX_VERSION_BYTES: usize = 100;

impl RunVersion {
    /// `text` as a version, or why it is not one (with how to write it).
    pub fn parse(text: &str) -> Result<RunVersion, String> {
        let shown: String = text.chars().flat_map(char::escape_debug).take(80).collect();
        if text.len() > MAX_VERSION_BYTES {
            return Err(format!(
                "the version `{shown}…` is longer than {MAX_VERSION_BYTES} bytes"
            ));
        }
        if let Some(rest) = text.strip_prefix(['v', 'V']) {
            if semver::Version::parse(rest).is_ok() {
                return Err(format!(
                    "the version `{shown}` starts with `v`; write it without: `{rest}`"
                ));
            }
        }
        semver::Version::parse(text).map(RunVersion).map_err(|err| {
            format!("the version `{shown}` is not a semantic version ({err}); write it like `2.4.0` or `2.4.0-rc.1`")
        })
    }

    pub fn semver(&self) -> &semver::Version {
        &self.0
    }

    /// The run file's name: `2.4.0.yaml`.
    pub fn file_name(&self) -> String {
        format!("{}.yaml", self.0)
    }
}

impl fmt::Display for RunVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for RunVersion {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        RunVersion::parse(text)
    }
}

impl Serialize for RunVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RunVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        RunVersion::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for RunVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RunVersion".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A semantic version, like `2.4.0` or `2.4.0-rc.1`.",
            "pattern": "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$"
        })
    }
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RunDate(pub Date);

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl RunDate {
    pub fn parse(text: &str) -> Result<RunDate, String> {
        Date::parse(text, DATE_FORMAT).map(RunDate).map_err(|_| {
            format!(
                "the date `{}` is not a date written YYYY-MM-DD (like `2026-12-06`)",
                text.escape_debug()
            )
        })
    }
}

impl fmt::Display for RunDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.format(DATE_FORMAT).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for RunDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RunDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        RunDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for RunDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RunDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A date, YYYY-MM-DD.",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

/// A moment in UTC, written in RFC 3339 with `Z` (`2026-12-06T09:05:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// `text` as an RFC 3339 time in UTC, or why it is not one.
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        let shown = text.escape_debug();
        let time = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
            format!(
                "`{shown}` is not an RFC 3339 time; write it in UTC like `2026-12-06T09:05:00Z`"
            )
        })?;
        if time.offset() != UtcOffset::UTC {
            return Err(format!(
                "`{shown}` is not in UTC; write it with `Z`, like `{}`",
                Timestamp(time.to_offset(UtcOffset::UTC))
            ));
        }
        Ok(Timestamp(time))
    }

    /// The current time, to the second.
    pub fn now() -> Timestamp {
        let now = OffsetDateTime::now_utc();
        Timestamp(now.replace_nanosecond(0).unwrap_or(now))
    }

    pub fn time(&self) -> OffsetDateTime {
        self.0
    }

    /// The day it falls on (UTC).
    pub fn date(&self) -> RunDate {
        RunDate(self.0.date())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.format(&Rfc3339).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An RFC 3339 time in UTC, like `2026-12-06T09:05:00Z`.",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_semver_and_safe_file_names() {
        for good in ["2.4.0", "0.1.0-rc.1", "1.0.0+build.5", "10.20.30-alpha-x.1"] {
            let v = RunVersion::parse(good).unwrap();
            assert_eq!(v.to_string(), good);
            assert_eq!(v.file_name(), format!("{good}.yaml"));
        }
        for (bad, says) in [
            ("v2.4.0", "write it without: `2.4.0`"),
            ("2.4", "not a semantic version"),
            ("../2.4.0", "not a semantic version"),
            ("2.4.0/x", "not a semantic version"),
            ("2.4.0\n", "`2.4.0\\n`"),
            ("", "not a semantic version"),
            ("2.4.0-rc..1", "not a semantic version"),
        ] {
            let err = RunVersion::parse(bad).unwrap_err();
            assert!(err.contains(says), "{bad:?}: {err}");
        }
        let long = format!("1.0.0-{}", "a".repeat(200));
        assert!(RunVersion::parse(&long)
            .unwrap_err()
            .contains("longer than"));
    }

    #[test]
    fn timestamps_are_rfc3339_in_utc() {
        let t = Timestamp::parse("2026-12-06T09:05:00Z").unwrap();
        assert_eq!(t.to_string(), "2026-12-06T09:05:00Z");
        assert_eq!(t.date().to_string(), "2026-12-06");
        let err = Timestamp::parse("2026-12-06T10:05:00+01:00").unwrap_err();
        assert!(err.contains("`2026-12-06T09:05:00Z`"), "{err}");
        assert!(Timestamp::parse("2026-12-06 09:05").is_err());
        assert!(Timestamp::parse("yesterday").is_err());
        assert_eq!(
            RunDate::parse("2026-02-30").map(|_| ()),
            Err(
                "the date `2026-02-30` is not a date written YYYY-MM-DD (like `2026-12-06`)".into()
            )
        );
    }
}
