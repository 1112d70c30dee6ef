//! Byte offsets inside Rust, character offsets at the edges.

use crate::{Detection, Entity};

/// Maps byte offsets of one text to char offsets in a single forward pass when the
/// offsets are visited in ascending order (the common case), and still right otherwise.
pub struct CharIndex<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
    /// In ASCII text every byte offset is a char offset; checking costs a fraction of
    /// counting.
    ascii: bool,
}

impl<'a> CharIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            byte: 0,
            chars: 0,
            ascii: text.is_ascii(),
        }
    }

    /// Char offset of `byte`, which must lie on a char boundary.
    #[inline]
    pub fn char_offset(&mut self, byte: usize) -> usize {
        debug_assert!(self.text.is_char_boundary(byte));
        if self.ascii {
            return byte;
        }
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

/// A score as entities carry it: two decimals, since sums like 0.6 + 0.35 would otherwise
/// print as 0.95000005.
pub fn wire_score(score: f32) -> f32 {
    (score * 100.0).round() / 100.0
}

/// Turns the byte offsets of `detections` in `text` into char offsets counted from
/// `base`, in place: what [`to_entities`] gives as `begin` and `end`, plus `base`.
/// Returns the length of `text` in chars, where the next text's offsets start.
pub fn to_char_offsets(text: &str, detections: &mut [Detection], base: usize) -> usize {
    let mut index = CharIndex::new(text);
    for d in detections {
        d.start = base + index.char_offset(d.start);
        d.end = base + index.char_offset(d.end);
    }
    index.char_offset(text.len())
}

/// Converts detections (byte offsets) into wire entities (char offsets).
pub fn to_entities(text: &str, detections: &[Detection], path: Option<&str>) -> Vec<Entity> {
    // A text's detections share a handful of scores: the last one rounded is kept.
    let mut rounded = (f32::NAN.to_bits(), f32::NAN);
    let mut entity = |d: &Detection, index: &mut CharIndex| Entity {
        entity_type: d.entity_type,
        begin: index.char_offset(d.start),
        end: index.char_offset(d.end),
        score: {
            if rounded.0 != d.score.to_bits() {
                rounded = (d.score.to_bits(), wire_score(d.score));
            }
            rounded.1
        },
        source: d.source,
        path: path.map(str::to_string),
    };
    let mut index = CharIndex::new(text);
    // Detectors report in start order: then no order needs keeping.
    if detections.is_sorted_by_key(|d| d.start) {
        return detections.iter().map(|d| entity(d, &mut index)).collect();
    }
    let mut order: Vec<usize> = (0..detections.len()).collect();
    order.sort_by_key(|&i| detections[i].start);
    let mut out: Vec<Option<Entity>> = vec![None; detections.len()];
    for i in order {
        out[i] = Some(entity(&detections[i], &mut index));
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

    #[test]
    fn entities_have_char_offsets_in_any_order_of_detections() {
        let det = |start, end| Detection {
            entity_type: crate::EntityType::Name,
            start,
            end,
            score: 0.6 + 0.35,
            source: crate::Source::Pattern,
        };
        for text in ["ab cd ef", "ñb 😀d ef"] {
            let b = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(i, _)| i);
            let sorted = [det(b(0), b(2)), det(b(3), b(5)), det(b(6), b(8))];
            let shuffled = [sorted[2].clone(), sorted[0].clone(), sorted[1].clone()];
            let spans = |e: Vec<Entity>| {
                e.iter()
                    .map(|e| (e.begin, e.end, e.score))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                spans(to_entities(text, &sorted, None)),
                [(0, 2, 0.95), (3, 5, 0.95), (6, 8, 0.95)],
                "{text}"
            );
            assert_eq!(
                spans(to_entities(text, &shuffled, None)),
                [(6, 8, 0.95), (0, 2, 0.95), (3, 5, 0.95)],
                "{text}"
            );
        }
    }
}
