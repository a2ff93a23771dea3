//! Checkboxes as people write them outside Markdown's `[ ]` and `[x]`:
//! boxes a word processor, a form or a chat pastes, and bracket forms
//! Markdown does not read. `reconcile` and `run import` read them alike.

/// Boxes a word processor or a pasted form puts before a step instead of
/// Markdown's `[ ]`: open, then ticked (☒ is a box with a cross: ticked, as
/// forms use it).
const OPEN_BOXES: [char; 5] = ['☐', '□', '⬜', '🔲', '◻'];
const TICKED_BOXES: [char; 3] = ['☑', '☒', '🗹'];
/// Ticks that mark a step done only beside boxes: alone they are as likely a
/// "do" list (✅ Use flags / ❌ Deploy on Fridays) as a checklist.
const TICKS: [char; 3] = ['✅', '✔', '✓'];

/// A step's leading box, if it has one: whether it is ticked, and the text
/// after it. Also the bracket forms Markdown does not take for a task
/// (`[]`, `[ x ]`, `[✓]`) and the words `TODO:` and `DONE:`. `ticks`
/// allows a bare ✅, ✔ or ✓.
pub(crate) fn leading_box(text: &str, ticks: bool) -> Option<(bool, &str)> {
    fn after_glyph(rest: &str) -> Option<&str> {
        let rest = rest.strip_prefix('\u{FE0F}').unwrap_or(rest); // emoji presentation
        let step = rest.trim_start();
        (rest.starts_with(char::is_whitespace) && !step.is_empty()).then_some(step)
    }
    // "TODO: Tag it", "DONE: Tag it": a to-do list written in words.
    for (word, ticked) in [("TODO", false), ("DONE", true)] {
        if let Some(rest) = text
            .strip_prefix(word)
            .and_then(|r| r.strip_prefix([':', ' ']))
        {
            let step = rest
                .trim_start()
                .trim_start_matches(['-', '–', ':'])
                .trim_start();
            if !step.is_empty() {
                return Some((ticked, step));
            }
        }
    }
    // A box pasted from a web page can arrive as its character reference
    // (`&#9744;`), which Markdown shows as the box itself.
    let (first, rest) = match character_reference(text) {
        Some(decoded) => decoded,
        None => {
            let first = text.chars().next()?;
            (first, &text[first.len_utf8()..])
        }
    };
    if OPEN_BOXES.contains(&first) {
        return after_glyph(rest).map(|rest| (false, rest));
    }
    if TICKED_BOXES.contains(&first) || ticks && TICKS.contains(&first) {
        return after_glyph(rest).map(|rest| (true, rest));
    }
    let inside = rest.split_once(']').filter(|_| first == '[')?.0;
    let after = &rest[inside.len() + 1..];
    let ticked = match inside.trim() {
        "" => false,
        "x" | "X" | "✓" | "✔" | "✔\u{FE0F}" => true,
        _ => return None,
    };
    after_glyph(after).map(|rest| (ticked, rest))
}

/// A leading numeric character reference (`&#9744;`, `&#x2610;`): its
/// character and the text after it.
fn character_reference(text: &str) -> Option<(char, &str)> {
    let body = text.strip_prefix("&#")?;
    let (digits, rest) = body.split_once(';')?;
    let code = match digits.strip_prefix(['x', 'X']) {
        Some(hex) if (1..=6).contains(&hex.len()) => u32::from_str_radix(hex, 16).ok()?,
        None if (1..=7).contains(&digits.len()) => digits.parse().ok()?,
        _ => return None,
    };
    Some((char::from_u32(code)?, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_brackets_and_to_do_words() {
        let cases = [
            ("☐ Tag it", Some((false, "Tag it"))),
            ("&#9744; Tag it", Some((false, "Tag it"))),
            ("&#x2611; Tag it", Some((true, "Tag it"))),
            ("&#X2612;\u{a0}Tag it", Some((true, "Tag it"))),
            ("&#65; Tag it", None),
            ("&#xFFFFFFFF; Tag it", None),
            ("&#9744 Tag it", None),
            ("&amp; Tag it", None),
            ("☒ Tag it", Some((true, "Tag it"))),
            ("[ x ] Tag it", Some((true, "Tag it"))),
            ("[]\u{a0}Tag it", Some((false, "Tag it"))),
            ("TODO: Tag it", Some((false, "Tag it"))),
            ("TODO - Tag it", Some((false, "Tag it"))),
            ("DONE: Tag it", Some((true, "Tag it"))),
            ("✅ Tag it", None),
            ("Todo: lowercase is prose", None),
            ("TODOS: not the word", None),
            ("TODO:", None),
            ("[link](x) text", None),
            ("☐", None),
        ];
        for (text, want) in cases {
            assert_eq!(leading_box(text, false), want, "{text:?}");
        }
        assert_eq!(leading_box("✅ Tag it", true), Some((true, "Tag it")));
    }
}
