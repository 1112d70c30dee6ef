//! Large documents go through the documents state machine as a Map over byte ranges, so no
//! function ever holds more than one chunk. Cuts fall after a blank line where there is one
//! near the nominal size, else after a line break, else after whitespace: entities and the
//! context words that score them rarely straddle those. A cut is always a character
//! boundary, so every chunk is UTF-8 on its own.

use super::DocumentStore;
use crate::EngineError;

/// The plan and then every chunk's result (a reference and a summary, a few hundred bytes)
/// travel in the Step Functions state, capped at 256 KB: a document that would need more
/// chunks gets larger ones.
pub const MAX_CHUNKS: u64 = 400;

/// The chunk size of the Lambda functions and `piiflow run` unless configured: well under
/// what one function holds in memory, large enough that a Map stays short.
pub const DEFAULT_CHUNK_BYTES: u64 = 8 * 1024 * 1024;

/// How far before the nominal cut to look for a good place.
const SEARCH_WINDOW: u64 = 64 * 1024;

/// Byte ranges `[begin, end)` covering the document in order, each at most `chunk_bytes`
/// (or `len / MAX_CHUNKS` if larger); empty when the document fits in one chunk.
pub async fn plan_chunks(
    docs: &dyn DocumentStore,
    reference: &str,
    chunk_bytes: u64,
) -> Result<Vec<[u64; 2]>, EngineError> {
    let len = docs.len(reference).await?;
    // Four bytes hold any character, so a window that long always holds a boundary.
    let target = chunk_bytes.max(4).max(len.div_ceil(MAX_CHUNKS));
    if len <= target {
        return Ok(Vec::new());
    }
    let mut ranges = Vec::new();
    let mut begin = 0;
    while len - begin > target {
        let nominal = begin + target;
        let window_start = nominal
            .saturating_sub(SEARCH_WINDOW.min(target / 2).max(4))
            .max(begin + 1);
        let window = docs.read_bytes(reference, window_start, nominal).await?;
        let cut = window_start + cut_offset(&window) as u64;
        ranges.push([begin, cut]);
        begin = cut;
    }
    ranges.push([begin, len]);
    Ok(ranges)
}

/// Where to cut inside `window` (the cut is before the returned offset's byte).
pub fn cut_offset(window: &[u8]) -> usize {
    if let Some(i) = memchr::memmem::rfind(window, b"\n\n") {
        return i + 2;
    }
    if let Some(i) = memchr::memrchr(b'\n', window) {
        return i + 1;
    }
    if let Some(i) = window.iter().rposition(u8::is_ascii_whitespace) {
        return i + 1;
    }
    // No whitespace at all: any character start will do. Without one (not UTF-8), the
    // chunk's own read reports the bad byte.
    window
        .iter()
        .rposition(|b| b & 0xC0 != 0x80)
        .unwrap_or(window.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::FileDocumentStore;
    use proptest::prelude::*;

    #[test]
    fn cuts_prefer_paragraphs_then_lines_then_spaces() {
        assert_eq!(cut_offset(b"a\n\nb c\nd e"), 3);
        assert_eq!(cut_offset(b"a b\nc d"), 4);
        assert_eq!(cut_offset(b"a b c"), 4);
        assert_eq!(cut_offset("aé".as_bytes()), 1);
    }

    fn plan(text: &str, chunk: u64) -> Vec<[u64; 2]> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.txt");
        std::fs::write(&path, text).unwrap();
        let store = FileDocumentStore::new(dir.path().join("out"));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(plan_chunks(
            &store,
            &format!("file://{}", path.display()),
            chunk,
        ))
        .unwrap()
    }

    #[test]
    fn a_small_document_is_one_chunk() {
        assert!(plan("short text", 1024).is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The chunks tile the document, stay within the size, and each is UTF-8.
        #[test]
        fn chunks_tile_the_document_on_char_boundaries(
            text in "([a-zé😀 ]{0,12}[\n]{0,2}){0,80}",
            chunk in 4u64..64,
        ) {
            let ranges = plan(&text, chunk);
            if text.len() as u64 <= chunk {
                prop_assert!(ranges.is_empty());
            } else {
                prop_assert_eq!(ranges[0][0], 0);
                prop_assert_eq!(ranges.last().unwrap()[1], text.len() as u64);
                for w in ranges.windows(2) {
                    prop_assert_eq!(w[0][1], w[1][0]);
                }
                for [b, e] in &ranges {
                    prop_assert!(b < e && e - b <= chunk);
                    prop_assert!(text.is_char_boundary(*b as usize));
                    prop_assert!(text.is_char_boundary(*e as usize));
                }
            }
        }
    }
}
