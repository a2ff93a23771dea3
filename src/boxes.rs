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
/// (`[]`, `[ x ]`, `[✓]`). `ticks` allows a bare ✅, ✔ or ✓.
pub(crate) fn leading_box(text: &str, ticks: bool) -> Option<(bool, &str)> {
    fn after_glyph(rest: &str) -> Option<&str> {
        let rest = rest.strip_prefix('\u{FE0F}').unwrap_or(rest); // emoji presentation
        let step = rest.trim_start();
        (rest.starts_with(char::is_whitespace) && !step.is_empty()).then_some(step)
    }
    let first = text.chars().next()?;
    let rest = &text[first.len_utf8()..];
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
