//! Comprehend reports Unicode code point offsets; Rust slices by bytes.

/// Maps ascending code point offsets of one text to byte offsets in a single forward
/// pass, and restarts (still right, just slower) when asked for an earlier one.
pub(crate) struct ByteIndex<'a> {
    text: &'a str,
    chars: usize,
    byte: usize,
}

impl<'a> ByteIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            chars: 0,
            byte: 0,
        }
    }

    /// Byte offset of code point offset `chars`; `None` past the end of the text.
    pub(crate) fn byte_offset(&mut self, chars: usize) -> Option<usize> {
        if chars < self.chars {
            self.chars = 0;
            self.byte = 0;
        }
        let mut rest = self.text[self.byte..].char_indices();
        while self.chars < chars {
            let (_, c) = rest.next()?;
            self.byte += c.len_utf8();
            self.chars += 1;
        }
        Some(self.byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_emoji_and_cjk_as_one_code_point() {
        let text = "a😀b中c";
        let mut idx = ByteIndex::new(text);
        assert_eq!(idx.byte_offset(0), Some(0));
        assert_eq!(idx.byte_offset(2), Some(5));
        assert_eq!(idx.byte_offset(4), Some(9));
        assert_eq!(idx.byte_offset(5), Some(text.len()));
        assert_eq!(idx.byte_offset(1), Some(1));
        assert_eq!(idx.byte_offset(6), None);
    }
}
