//! Splitting text for DetectPiiEntities, which accepts at most 100 KB of UTF-8 per call.

use crate::DetectError;

/// Comprehend's per-call limit in bytes of UTF-8.
pub const COMPREHEND_MAX_BYTES: usize = 100_000;

/// Default chunk budget: the limit minus a margin, so that a different reading of "100 KB"
/// on the service side never rejects a chunk.
pub const DEFAULT_BUDGET: usize = COMPREHEND_MAX_BYTES - 1_000;

/// Default overlap: longer than any realistic entity (an address line, an IBAN), so an
/// entity cut by one chunk's end is seen whole at the start of the next.
pub const DEFAULT_OVERLAP: usize = 200;

/// Byte budget and overlap of the chunks. Checked on construction so `split` always
/// makes progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkLimits {
    budget: usize,
    overlap: usize,
}

impl ChunkLimits {
    /// `budget` must hold the longest UTF-8 character (4 bytes), and the overlap be at most
    /// an eighth of the budget. Then every chunk advances by at least a quarter of the
    /// budget, and the next chunk reaches at least `overlap` bytes past the previous end,
    /// so any span of up to `overlap - 3` bytes lies whole in one chunk.
    pub fn new(budget: usize, overlap: usize) -> Result<Self, DetectError> {
        if budget < 4 || overlap.saturating_mul(8) > budget {
            return Err(DetectError::Config(format!(
                "chunk budget {budget} must be >= 4 bytes and overlap {overlap} <= budget / 8"
            )));
        }
        Ok(Self { budget, overlap })
    }

    pub fn budget(&self) -> usize {
        self.budget
    }

    pub fn overlap(&self) -> usize {
        self.overlap
    }
}

impl Default for ChunkLimits {
    fn default() -> Self {
        Self {
            budget: DEFAULT_BUDGET,
            overlap: DEFAULT_OVERLAP,
        }
    }
}

/// A slice of the text and where it starts, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk<'a> {
    pub offset: usize,
    pub text: &'a str,
}

impl Chunk<'_> {
    pub fn end(&self) -> usize {
        self.offset + self.text.len()
    }
}

/// Splits `text` into chunks of at most `limits.budget()` bytes that together cover it.
/// Cuts fall after whitespace when there is any in the second half of the window (so words
/// stay whole), otherwise on the last char boundary under the budget. Consecutive chunks
/// share about `limits.overlap()` bytes. Empty text gives no chunks.
pub fn split(text: &str, limits: ChunkLimits) -> Vec<Chunk<'_>> {
    let mut chunks = Vec::with_capacity(text.len() / limits.budget + 1);
    let mut start = 0;
    while start < text.len() {
        if text.len() - start <= limits.budget {
            chunks.push(Chunk {
                offset: start,
                text: &text[start..],
            });
            break;
        }
        let end = cut(text, start, limits.budget);
        chunks.push(Chunk {
            offset: start,
            text: &text[start..end],
        });
        start = next_start(text, start, end, limits.overlap);
    }
    chunks
}

/// End of the chunk starting at `start`: just after the last whitespace in the second half
/// of the window, else the last char boundary within the budget.
fn cut(text: &str, start: usize, budget: usize) -> usize {
    let hard = text.floor_char_boundary(start + budget);
    let lo = text.ceil_char_boundary(start + budget / 2);
    if lo < hard
        && let Some((i, c)) = text[lo..hard]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
    {
        return lo + i + c.len_utf8();
    }
    // A 4-byte budget always holds one char, so `hard > start`.
    hard
}

/// Start of the next chunk: `overlap` bytes before `end`, moved back to just after a
/// whitespace (at most another `overlap` bytes) so the chunk starts on a word. Both moves
/// stay within half the budget, so the next start is always past `start`.
fn next_start(text: &str, start: usize, end: usize, overlap: usize) -> usize {
    if overlap == 0 {
        return end;
    }
    let at = text.ceil_char_boundary(end.saturating_sub(overlap).max(start + 1));
    let floor = text.ceil_char_boundary(at.saturating_sub(overlap).max(start + 1));
    if floor < at
        && let Some((i, c)) = text[floor..at]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
    {
        return floor + i + c.len_utf8();
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(budget: usize, overlap: usize) -> ChunkLimits {
        ChunkLimits::new(budget, overlap).unwrap()
    }

    #[test]
    fn short_text_is_one_chunk_and_empty_text_none() {
        assert_eq!(
            split("hello world", ChunkLimits::default()),
            vec![Chunk {
                offset: 0,
                text: "hello world"
            }]
        );
        assert!(split("", ChunkLimits::default()).is_empty());
    }

    #[test]
    fn cuts_after_whitespace_and_overlaps_on_a_word() {
        // Words of at most 7 letters: an 8-byte look-back always finds a space.
        let text = "alpha beta gamma delta epsilon zeta eta theta ".repeat(4);
        let text = text.as_str();
        let chunks = split(text, limits(64, 8));
        assert!(chunks.len() > 2);
        for c in &chunks[..chunks.len() - 1] {
            assert!(c.text.ends_with(' '), "{c:?}");
        }
        for pair in chunks.windows(2) {
            assert!(pair[1].offset < pair[0].end(), "chunks must overlap");
            assert!(text[..pair[1].offset].ends_with(' '), "{:?}", pair[1]);
        }
    }

    #[test]
    fn no_whitespace_cuts_on_char_boundaries() {
        let text = "😀".repeat(30);
        let chunks = split(&text, limits(16, 2));
        for c in &chunks {
            assert!(c.text.len() <= 16);
            assert_eq!(c.text.len() % 4, 0);
        }
        assert_eq!(chunks.last().unwrap().end(), text.len());
    }

    #[test]
    fn rejects_limits_that_cannot_progress() {
        assert!(ChunkLimits::new(3, 0).is_err());
        assert!(ChunkLimits::new(100, 13).is_err());
        assert!(ChunkLimits::new(100, 12).is_ok());
    }
}
