//! The compiled template set, and Tera's errors as diagnostics in the
//! template file (and line) that caused them.

use std::collections::BTreeMap;

use tera::Tera;

use crate::diagnostic::Diagnostic;
use crate::html::escape;
use crate::theme::TemplateSource;

/// The compiled templates, and their sources for error messages.
pub struct Templates {
    pub(super) tera: Tera,
    pub(super) sources: BTreeMap<String, TemplateSource>,
    /// Whether some template reads `nav` (the sidebar's tree), so that
    /// pages are rendered with it.
    pub(super) reads_nav: bool,
}

impl Templates {
    /// Compile a template set; a syntax error is a diagnostic in the template file.
    pub fn compile(
        sources: BTreeMap<String, TemplateSource>,
    ) -> Result<Templates, Box<Diagnostic>> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        // Tera's default escaper also turns `/` into `&#x2F;`, bloating every URL.
        tera.set_escape_fn(escape);
        let raw: Vec<(&str, &str)> = sources
            .iter()
            .map(|(n, s)| (n.as_str(), s.text.as_str()))
            .collect();
        match tera.add_raw_templates(raw) {
            Ok(()) => Ok(Templates {
                tera,
                reads_nav: sources
                    .values()
                    .any(|t| tags(&t.text).any(|tag| names_variable(tag, "nav"))),
                sources,
            }),
            Err(err) => Err(Box::new(template_diagnostic(&err, &sources))),
        }
    }

    /// Whether some template may read the data files: `site.data`, or
    /// `site` used otherwise than as `site.FIELD` (indexed, looped over,
    /// passed whole). When none does, pages are rendered without them.
    pub(crate) fn read_site_data(&self) -> bool {
        self.sources.values().any(|t| mentions_site_data(&t.text))
    }

    /// Render a template that is no page of the site (`release-notes.md`).
    pub fn render_text(
        &self,
        name: &str,
        context: &impl serde::Serialize,
    ) -> Result<String, Box<Diagnostic>> {
        let context = tera::Context::from_serialize(context)
            .map_err(|e| Box::new(template_diagnostic(&e, &self.sources)))?;
        self.tera
            .render(name, &context)
            .map_err(|e| Box::new(template_diagnostic(&e, &self.sources)))
    }

    /// The template texts by origin path, for rendering diagnostics.
    pub fn source_texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources
            .values()
            .map(|s| (s.origin.as_str(), s.text.as_str()))
    }
}

/// Whether a Tera tag of `text` uses `site` as anything but `site.FIELD`
/// with FIELD not `data`.
fn mentions_site_data(text: &str) -> bool {
    tags(text).any(tag_mentions_site_data)
}

/// The `{{ … }}` and `{% … %}` tags of a template's text, delimiters included.
fn tags(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || loop {
        let open = rest.find('{')?;
        let tag = &rest[open..];
        let close = match tag.get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            _ => {
                rest = &tag[1..];
                continue;
            }
        };
        let end = tag.find(close).map_or(tag.len(), |e| e + close.len());
        rest = &tag[end..];
        return Some(&tag[..end]);
    })
}

/// Whether `tag` names the variable `name` itself (not `page.name`, not
/// `name_tree`, not inside a string).
fn names_variable(tag: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut quote = None;
    let mut start = 0;
    for (at, c) in tag.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' || c == '`' => quote = Some(c),
            None if at >= start && tag[at..].starts_with(name) => {
                let before = tag[..at].chars().next_back();
                let after = tag[at + name.len()..].chars().next();
                if !before.is_some_and(|b| is_ident(b) || b == '.') && !after.is_some_and(is_ident)
                {
                    return true;
                }
                start = at + name.len();
            }
            None => {}
        }
    }
    false
}

fn tag_mentions_site_data(tag: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    tag.match_indices("site").any(|(at, _)| {
        let before = tag[..at].chars().next_back();
        let after = &tag[at + "site".len()..];
        if before.is_some_and(|c| is_ident(c) || c == '.') || after.starts_with(is_ident) {
            return false; // part of another name (`website`, `page.site`)
        }
        let after = after.trim_start();
        // A test of `site` alone (`{% if site and ... %}`) reads no field.
        let test = ["and ", "or ", "is "];
        if test.iter().any(|t| after.starts_with(t)) {
            return false;
        }
        let Some(field) = after.strip_prefix('.') else {
            return true;
        };
        let field = field.trim_start();
        let end = field.find(|c| !is_ident(c)).unwrap_or(field.len());
        &field[..end] == "data"
    })
}

/// A Tera error as a diagnostic in the template file that caused it.
pub fn template_diagnostic(
    err: &tera::Error,
    sources: &BTreeMap<String, TemplateSource>,
) -> Diagnostic {
    let mut messages = vec![err.to_string()];
    let mut cause = std::error::Error::source(err);
    while let Some(c) = cause {
        messages.push(c.to_string());
        cause = c.source();
    }
    // The innermost message names the template that really failed (a base template, say).
    let name = messages
        .iter()
        .rev()
        .find_map(|m| quoted_template(m, sources));
    let source = name.as_ref().and_then(|n| sources.get(n));
    let origin = source.map_or_else(|| "<templates>".to_string(), |s| s.origin.clone());
    let detail = messages.last().cloned().unwrap_or_default();
    let text = source.map_or("", |s| s.text.as_str());
    let span = match parse_position(&detail) {
        Some((line, col)) => {
            let at = crate::diagnostic::offset_of(text, line, col);
            at..at
        }
        None => backticked(&detail)
            .and_then(|needle| text.find(needle).map(|at| at..at + needle.len()))
            .unwrap_or(0..0),
    };
    let summary = detail.lines().next().unwrap_or("").trim().to_string();
    let message = if detail.contains("-->") {
        format!("template syntax error: {}", first_error_line(&detail))
    } else {
        format!("template error: {summary}")
    };
    Diagnostic::error("template", &origin, text, span, message).with_hint(
        "fix the template, or delete it from templates/ to fall back to the built-in one",
    )
}

/// `'page.html'` in a Tera message, when it names a known template.
fn quoted_template(message: &str, sources: &BTreeMap<String, TemplateSource>) -> Option<String> {
    message
        .split('\'')
        .skip(1)
        .step_by(2)
        .find(|name| sources.contains_key(*name))
        .map(str::to_string)
}

/// The first `` `…` `` span of a message (a variable or filter name).
fn backticked(message: &str) -> Option<&str> {
    message.split('`').nth(1).filter(|s| !s.is_empty())
}

/// Tera's parse errors carry ` --> line:col`.
fn parse_position(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("--> ")? + 4..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != ':')
        .unwrap_or(rest.len());
    let (line, col) = rest[..end].split_once(':')?;
    Some((line.parse().ok()?, col.parse().ok()?))
}

/// The explanation line of a Tera parse error (after the source excerpt).
fn first_error_line(detail: &str) -> String {
    detail
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| {
            !l.is_empty()
                && !l.starts_with('|')
                && !l.starts_with("-->")
                && !l.chars().next().is_some_and(|c| c.is_ascii_digit())
        })
        .unwrap_or("")
        .trim_start_matches("= ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(name: &str, text: &str) -> BTreeMap<String, TemplateSource> {
        BTreeMap::from([(
            name.to_string(),
            TemplateSource {
                text: text.to_string(),
                origin: format!("templates/{name}"),
            },
        )])
    }

    #[test]
    fn a_syntax_error_points_into_its_template() {
        let err = Templates::compile(sources("page.html", "<p>\n{{ title }\n</p>\n"))
            .err()
            .expect("a broken template");
        assert_eq!(err.path, "templates/page.html");
        assert_eq!(err.line, 2, "{err:?}");
        assert!(err.is_error());
    }

    #[test]
    fn urls_are_not_escaped_but_markup_is() {
        let templates = Templates::compile(sources("t.html", "{{ v }}")).unwrap();
        let mut context = tera::Context::new();
        context.insert("v", "a/b.html?x=1&y=<2>");
        let html = templates.tera.render("t.html", &context).unwrap();
        assert_eq!(html, "a/b.html?x=1&amp;y=&lt;2&gt;");
    }

    #[test]
    fn data_files_are_read_only_where_a_template_may_read_them() {
        for text in [
            "{{ site.data.team.lead }}",
            "{{ site . data }}",
            "{{ site[\"data\"].x }}",
            "{% set s = site %}{{ s.data }}",
            "{% for k, v in site %}{{ k }}{% endfor %}",
            "{{ site | json_encode }}",
            "{{ unclosed site[0]",
            "{{ site }}",
            "{% if site %}{{ site }}{% endif %}",
        ] {
            assert!(mentions_site_data(text), "{text}");
        }
        for text in [
            "{{ site.title }} {{ site.description }}",
            "<a data-site=\"x\">{{ page.site }} {{ website }}</a> {{ site.lang }}",
            "{{ site.database }}",
            "<p class=\"site-title\">the site, {{ page.title }}</p>",
            "{%- if site and site.generator %}{% if site is defined %}",
        ] {
            assert!(!mentions_site_data(text), "{text}");
        }
        let built_in = Templates::compile(
            crate::theme::templates(std::path::Path::new("/nonexistent"), "templates/").unwrap(),
        )
        .unwrap();
        assert!(
            !built_in.read_site_data(),
            "the built-in templates do not read data files"
        );
    }

    #[test]
    fn the_sidebar_tree_is_handed_over_only_where_a_template_reads_nav() {
        for tag in [
            "{{ self::nav_tree(items=nav, root=root) }}",
            "{% for item in nav %}",
            "{{nav|length}}",
            "{% if nav %}",
            "{{ nav[0].title }}",
        ] {
            assert!(names_variable(tag, "nav"), "{tag}");
        }
        for tag in [
            "{{ self::nav_tree(items=items) }}",
            "{{ page.nav }}",
            "{{ navigation }}",
            "{{ my_nav }}",
            "{{ \"nav\" }}",
            "{% set x = 'a nav b' %}",
            "{{ sidebar | safe }}",
        ] {
            assert!(!names_variable(tag, "nav"), "{tag}");
        }
        let texts: Vec<&str> = tags("<nav class=\"sidebar\">{{ a }} { {% b %} {{ c").collect();
        assert_eq!(texts, ["{{ a }}", "{% b %}", "{{ c"]);
        let built_in = Templates::compile(
            crate::theme::templates(std::path::Path::new("/nonexistent"), "templates/").unwrap(),
        )
        .unwrap();
        assert!(
            !built_in.reads_nav,
            "the built-in templates write `sidebar`"
        );
    }

    #[test]
    fn tera_messages_give_up_their_parts() {
        assert_eq!(parse_position("x\n --> 3:7\n  |"), Some((3, 7)));
        assert_eq!(parse_position("no position"), None);
        assert_eq!(backticked("Variable `page.x` not found"), Some("page.x"));
        assert_eq!(backticked("empty `` here"), None);
        let names = sources("base.html", "");
        assert_eq!(
            quoted_template("Template 'page.html' extends 'base.html'", &names),
            Some("base.html".to_string())
        );
        assert_eq!(
            first_error_line(" --> 1:4\n  |\n1 | {{ x }\n  |    ^---\n  |\n  = expected `}}`"),
            "expected `}}`"
        );
    }
}
