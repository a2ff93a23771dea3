//! What the published pages say about where they live (`base_url`,
//! `edit_url`, `repository`, `lang` in `playbook.yaml`), each checked as it
//! is read. Plain data the Site carries for the render: the config reads
//! it, the model holds it, and it depends on neither.

use schemars::JsonSchema;
use serde::Deserialize;

/// An absolute `http(s)` URL, ending in `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl JsonSchema for BaseUrl {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "BaseUrl".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An absolute http(s) URL of a folder, like `https://example.org/docs/`.",
            "pattern": "^\\s*https?://[^/\\s]"
        })
    }
}

impl<'de> Deserialize<'de> for BaseUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let url = text.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .unwrap_or("");
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty()
            || url
                .chars()
                .any(|c| c.is_whitespace() || "\"<>'`{}".contains(c))
            || url.contains(['?', '#'])
        {
            return Err(serde::de::Error::custom(format!(
                "base_url `{text}` is not an absolute http(s) URL of a folder; write it like `https://example.org/docs/`"
            )));
        }
        Ok(BaseUrl(format!("{}/", url.trim_end_matches('/'))))
    }
}

/// Whether `text` is an absolute `http(s)` URL with a host and nothing a
/// link cannot hold (spaces, quotes, angle brackets).
fn is_web_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .unwrap_or("");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"<>'`\\".contains(c))
}

/// An absolute `http(s)` URL (the repository's page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUrl(String);

impl WebUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl JsonSchema for WebUrl {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "WebUrl".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An absolute http(s) URL, like `https://github.com/OWNER/REPO`.",
            "pattern": "^https?://[^/?#\\s]"
        })
    }
}

impl<'de> Deserialize<'de> for WebUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if !is_web_url(&text) {
            return Err(serde::de::Error::custom(format!(
                "repository `{text}` is not an absolute http(s) URL; write it like `https://github.com/OWNER/REPO`"
            )));
        }
        Ok(WebUrl(text))
    }
}

/// A URL template holding `{path}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditUrl(String);

impl EditUrl {
    /// The link for the page whose content-relative source path is `source`.
    pub fn for_source(&self, source: &str) -> String {
        self.0
            .replace("{path}", &crate::routes::encode_path(source))
    }
}

impl JsonSchema for EditUrl {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EditUrl".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An http(s) URL holding `{path}`, like `https://github.com/OWNER/REPO/edit/main/content/{path}`.",
            "pattern": "^https?://[^/?#\\s].*\\{path\\}"
        })
    }
}

impl<'de> Deserialize<'de> for EditUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if !is_web_url(&text) || !text.contains("{path}") {
            return Err(serde::de::Error::custom(format!(
                "edit_url `{text}` is not an http(s) URL holding `{{path}}`; write it like `https://github.com/OWNER/REPO/edit/main/content/{{path}}`"
            )));
        }
        Ok(EditUrl(text))
    }
}

/// A plausible BCP 47 language tag: subtags of letters and digits, 1 to 8
/// long, joined by hyphens, the first of letters only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lang(String);

impl Lang {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn is_plausible(tag: &str) -> bool {
        let mut subtags = tag.split('-');
        let first_ok = subtags.next().is_some_and(|s| {
            (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic())
        });
        first_ok
            && subtags
                .all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()))
    }
}

impl Default for Lang {
    fn default() -> Self {
        Lang("en".into())
    }
}

impl JsonSchema for Lang {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Lang".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A BCP 47 language tag, like `en`, `fr` or `pt-BR`.",
            "pattern": "^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$"
        })
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if !Lang::is_plausible(&text) {
            return Err(serde::de::Error::custom(format!(
                "lang `{text}` is not a BCP 47 language tag; write letters, digits and hyphens, like `en`, `fr` or `pt-BR`"
            )));
        }
        Ok(Lang(text))
    }
}

/// What the published pages say about where they live: the settings the
/// render needs, copied into the Site.
#[derive(Debug, Clone, Default)]
pub struct Publishing {
    pub base_url: Option<BaseUrl>,
    pub edit_url: Option<EditUrl>,
    pub repository: Option<WebUrl>,
    pub lang: Lang,
    /// Each page's last commit date (`YYYY-MM-DD`) by source path, with
    /// `last_updated: git`.
    pub last_updated: std::collections::BTreeMap<String, String>,
}
