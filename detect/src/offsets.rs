//! Byte offsets inside Rust, character offsets at the edges.

use crate::{Detection, Entity};

/// Maps byte offsets of one text to char offsets in a single forward pass when the
/// offsets are visited in ascending order (the common case), and still right otherwise.
pub struct CharIndex<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// Char offset of `byte`, which must lie on a char boundary.
    pub fn char_offset(&mut self, byte: usize) -> usize {
        debug_assert!(self.text.is_char_boundary(byte));
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// Byte offset of char offset `chars`, or `None` past the end of the text.
pub fn byte_offset(text: &str, chars: usize) -> Option<usize> {
    if chars == 0 {
        return Some(0);
    }
    match text.char_indices().nth(chars) {
        Some((b, _)) => Some(b),
        None if text.chars().count() == chars => Some(text.len()),
        None => None,
    }
}

/// Converts detections (byte offsets) into wire entities (char offsets).
pub fn to_entities(text: &str, detections: &[Detection], path: Option<&str>) -> Vec<Entity> {
    let mut order: Vec<usize> = (0..detections.len()).collect();
    order.sort_by_key(|&i| detections[i].start);
    let mut index = CharIndex::new(text);
    let mut out: Vec<Option<Entity>> = vec![None; detections.len()];
    for i in order {
        let d = &detections[i];
        let begin = index.char_offset(d.start);
        let end = index.char_offset(d.end);
        out[i] = Some(Entity {
            entity_type: d.entity_type,
            begin,
            end,
            // Two decimals: sums like 0.6 + 0.35 would otherwise print as 0.95000005.
            score: (d.score * 100.0).round() / 100.0,
            source: d.source,
            path: path.map(str::to_string),
        });
    }
    out.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_multibyte_chars_once() {
        let text = "a😀b中c";
        let mut idx = CharIndex::new(text);
        assert_eq!(idx.char_offset(0), 0);
        assert_eq!(idx.char_offset(1), 1);
        assert_eq!(idx.char_offset(5), 2);
        assert_eq!(idx.char_offset(6), 3);
        assert_eq!(idx.char_offset(9), 4);
        assert_eq!(idx.char_offset(1), 1);
        assert_eq!(byte_offset(text, 2), Some(5));
        assert_eq!(byte_offset(text, 5), Some(text.len()));
        assert_eq!(byte_offset(text, 6), None);
    }
}
