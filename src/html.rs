//! The site's one HTML escaper: every text and attribute value playbook
//! writes into HTML itself (outside Tera's autoescaping, which uses it too)
//! goes through [`escape`].

/// Elements that have no end tag and hold nothing (`<br>`, `<img>`).
pub(crate) const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Minimal HTML escaping for text and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut done = 0;
    // The five bytes are ASCII, so every cut falls on a character boundary.
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[done..i]);
        out.push_str(entity);
        done = i + 1;
    }
    out.push_str(&text[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_every_special_character_and_unicode() {
        assert_eq!(
            escape("a<b>&\"c\"'d' ünï ✓"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39; ünï ✓"
        );
        assert_eq!(escape(""), "");
        assert_eq!(escape("plain"), "plain");
    }
}
