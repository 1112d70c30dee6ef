//! A word of the text around a candidate, packed for fast comparison with context phrases.

/// A run of ASCII letters and digits with its first eight bytes packed in lower case, so
/// that most comparisons with a context word are one integer compare.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Word {
    pub start: usize,
    pub len: usize,
    /// The first `min(len, 8)` bytes in lower case, little-endian, zero-padded.
    pub head: u64,
}

impl Word {
    pub(super) fn new(bytes: &[u8], start: usize, end: usize) -> Self {
        let len = end - start;
        let n = len.min(8);
        let raw = match bytes.get(start..start + 8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().expect("eight bytes")),
            None => {
                let mut buf = [0u8; 8];
                buf[..n].copy_from_slice(&bytes[start..start + n]);
                u64::from_le_bytes(buf)
            }
        };
        let mask = if n == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * n)) - 1
        };
        // Word bytes are ASCII letters and digits: setting bit 5 lower-cases the letters
        // and leaves the digits (0x30..=0x39) as they are.
        Word {
            start,
            len,
            head: (raw | 0x2020_2020_2020_2020) & mask,
        }
    }
}

/// Bit of a word's lower-cased first byte. Digits share bits with letters (`b & 63`);
/// that only lets a few more lookups through the filter.
pub(super) fn first_byte_bit(b: u8) -> u64 {
    1u64 << (b & 63)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_lower_case_and_zero_padded() {
        let text = b"Ab9 ABCDEFGHIJ";
        assert_eq!(
            Word::new(text, 0, 3).head,
            u64::from_le_bytes(*b"ab9\0\0\0\0\0")
        );
        assert_eq!(
            Word::new(text, 4, 14).head,
            u64::from_le_bytes(*b"abcdefgh")
        );
        // Fewer than eight bytes left in the text.
        assert_eq!(
            Word::new(text, 12, 14).head,
            u64::from_le_bytes(*b"ij\0\0\0\0\0\0")
        );
    }
}
