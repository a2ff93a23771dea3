//! Where each value and key of a YAML text is, by its path in the document
//! (`groups/0/items/1/text`), so a problem found in the typed data can be
//! shown at its own line:col. serde_norway keeps no positions, so the text
//! is read a second time, as events, by saphyr-parser.

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Marker, Parser};

/// The byte ranges of the scalars of one YAML text.
#[derive(Debug, Default)]
pub(crate) struct Spans {
    values: HashMap<String, Range<usize>>,
    keys: HashMap<String, Range<usize>>,
    /// The keys of the top-level mapping, in order, with their ranges.
    top_keys: Vec<(String, Range<usize>)>,
}

/// [`Spans`] read on first use (see [`Spans::when_asked`]).
pub(crate) struct LazySpans<'t> {
    text: &'t str,
    spans: std::cell::OnceCell<Spans>,
}

impl LazySpans<'_> {
    pub(crate) fn get(&self) -> &Spans {
        self.spans.get_or_init(|| Spans::of(self.text))
    }
}

impl Spans {
    /// The spans of `text`; empty where the text is not YAML (the typed
    /// reader reports that), so every lookup then falls back.
    pub(crate) fn of(text: &str) -> Spans {
        let mut spans = Spans::default();
        let mut bytes = ByteOffsets::new(text);
        let mut frames: Vec<Frame> = Vec::new();
        let mut path: Vec<String> = Vec::new();
        for event in Parser::new_from_str(text) {
            let Ok((event, span)) = event else {
                return Spans::default();
            };
            match event {
                Event::Scalar(value, ..) => {
                    let range = bytes.at(span.start)..bytes.at(span.end);
                    let (segment, is_key) = next_segment(&mut frames, Some(&value));
                    let joined = join(&path, &segment);
                    if is_key {
                        if frames.len() == 1 {
                            spans.top_keys.push((value.into_owned(), range.clone()));
                        }
                        spans.keys.insert(joined, range);
                    } else {
                        spans.values.insert(joined, range);
                    }
                }
                Event::Alias(_) => {
                    next_segment(&mut frames, None);
                }
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    let (segment, _) = next_segment(&mut frames, None);
                    if !frames.is_empty() {
                        path.push(segment);
                    }
                    frames.push(match event {
                        Event::SequenceStart(..) => Frame::Sequence(0),
                        _ => Frame::Mapping(None),
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    frames.pop();
                    if !frames.is_empty() {
                        path.pop();
                    }
                }
                // One document only: the typed reader reads the first.
                Event::DocumentEnd => break,
                _ => {}
            }
        }
        spans
    }

    /// The spans of `text`, read only when first asked for: for callers
    /// that need places only to report a problem, which is rare.
    pub(crate) fn when_asked(text: &str) -> LazySpans<'_> {
        LazySpans {
            text,
            spans: std::cell::OnceCell::new(),
        }
    }

    /// Where the value at `path` (segments joined with `/`) is.
    pub(crate) fn value(&self, path: &str) -> Option<Range<usize>> {
        self.values.get(path).cloned()
    }

    /// Where the key that names `path` is.
    pub(crate) fn key(&self, path: &str) -> Option<Range<usize>> {
        self.keys.get(path).cloned()
    }

    /// The keys of the top-level mapping, in order.
    pub(crate) fn top_keys(&self) -> &[(String, Range<usize>)] {
        &self.top_keys
    }

    /// Where, in the whole text, the `nth` (0-based) occurrence of `needle`
    /// inside the value at `path` is. The value's text is found in its own
    /// span only, so quoting, folding and indentation do not matter as long
    /// as `needle` is written there as it is. Falls back to the value's start.
    pub(crate) fn inside(&self, text: &str, path: &str, needle: &str, nth: usize) -> Option<usize> {
        let span = self.value(path)?;
        let source = text.get(span.clone())?;
        let found = source.match_indices(needle).nth(nth).map(|(i, _)| i);
        Some(span.start + found.unwrap_or(0))
    }
}

/// A container being read: a sequence with its next index, or a mapping
/// with the key whose value comes next (`None`: a key comes next).
enum Frame {
    Sequence(usize),
    Mapping(Option<String>),
}

/// The path segment of the next node in the innermost container, and
/// whether that node is a mapping key; advances the container.
fn next_segment(frames: &mut [Frame], scalar: Option<&str>) -> (String, bool) {
    match frames.last_mut() {
        None => (String::new(), false),
        Some(Frame::Sequence(index)) => {
            *index += 1;
            ((*index - 1).to_string(), false)
        }
        Some(Frame::Mapping(pending)) => match pending.take() {
            Some(key) => (key, false),
            None => {
                // A key that is not a scalar (`? [a, b]`) names no field.
                let key = scalar.unwrap_or("?").to_string();
                *pending = Some(key.clone());
                (key, true)
            }
        },
    }
}

fn join(path: &[String], segment: &str) -> String {
    let mut joined = path.join("/");
    if !joined.is_empty() {
        joined.push('/');
    }
    joined.push_str(segment);
    joined
}

/// Character index → byte offset, for markers that mostly move forward.
struct ByteOffsets<'t> {
    text: &'t str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'t> ByteOffsets<'t> {
    fn new(text: &'t str) -> Self {
        ByteOffsets {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn at(&mut self, marker: Marker) -> usize {
        let wanted = marker.index();
        if self.ascii {
            return wanted.min(self.text.len());
        }
        if wanted < self.chars {
            (self.chars, self.bytes) = (0, 0);
        }
        let mut rest = self.text[self.bytes..].char_indices();
        while self.chars < wanted {
            match rest.next() {
                Some((_, c)) => {
                    self.bytes += c.len_utf8();
                    self.chars += 1;
                }
                None => break,
            }
        }
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECKLIST: &str = "id: dep\ngroups:\n  - id: g\n    items:\n      - id: one\n        text: See [x](a.md)\n      - id: two\n        text: \"See [x](a.md)\"\n      - id: three\n        text: >-\n          Folded, see\n          [x](a.md)\n";

    fn at(text: &str, offset: usize) -> (usize, usize) {
        crate::diagnostic::line_col(text, offset)
    }

    #[test]
    fn values_and_keys_by_path() {
        let spans = Spans::of(CHECKLIST);
        let one = spans.value("groups/0/items/0/text").unwrap();
        assert_eq!(&CHECKLIST[one], "See [x](a.md)");
        let two = spans.value("groups/0/items/1/text").unwrap();
        assert_eq!(&CHECKLIST[two], "\"See [x](a.md)\"");
        assert_eq!(at(CHECKLIST, spans.key("groups").unwrap().start), (2, 1));
        let keys: Vec<&str> = spans.top_keys().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["id", "groups"]);
    }

    #[test]
    fn needles_are_found_inside_their_own_value() {
        let spans = Spans::of(CHECKLIST);
        let found = |path: &str| at(CHECKLIST, spans.inside(CHECKLIST, path, "a.md", 0).unwrap());
        assert_eq!(found("groups/0/items/0/text"), (6, 23));
        assert_eq!(found("groups/0/items/1/text"), (8, 24));
        assert_eq!(found("groups/0/items/2/text"), (12, 15));
    }

    #[test]
    fn non_ascii_text_gives_byte_offsets() {
        let text = "é: «x»\nb: [ü, \"ß\"]\n";
        let spans = Spans::of(text);
        assert_eq!(&text[spans.value("é").unwrap()], "«x»");
        assert_eq!(&text[spans.value("b/1").unwrap()], "\"ß\"");
    }

    #[test]
    fn broken_yaml_has_no_spans() {
        let spans = Spans::of("a: [b\n");
        assert!(spans.value("a/0").is_none());
    }
}
