//! Reads arbitrarily large text in bounded pieces that end on line (or at least
//! whitespace) boundaries and never inside a UTF-8 character, so memory stays bounded
//! whatever the input and entities are not cut in half.

use std::io::Read;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ChunkError {
    #[error("input is not valid UTF-8 at byte {offset}")]
    InvalidUtf8 { offset: u64 },
    #[error("reading input: {0}")]
    Io(#[from] std::io::Error),
}

pub struct ChunkedReader<R> {
    inner: R,
    target: usize,
    /// What the last chunk left over (after its cut): the next chunk starts with it.
    carry: Vec<u8>,
    /// A chunk handed back by [`ChunkedReader::recycle`]: the next chunk is read into its
    /// memory, so that reading a large input does not fault in fresh pages chunk after
    /// chunk.
    spare: Vec<u8>,
    consumed: u64,
    eof: bool,
}

impl<R: Read> ChunkedReader<R> {
    /// `target` is the preferred chunk size in bytes; a chunk is at most twice that.
    pub fn new(inner: R, target: usize) -> Self {
        Self {
            inner,
            target: target.max(64),
            carry: Vec::new(),
            spare: Vec::new(),
            consumed: 0,
            eof: false,
        }
    }

    pub fn next_chunk(&mut self) -> Result<Option<String>, ChunkError> {
        // Into the last chunk's memory when it was handed back, so that one buffer serves
        // every chunk; what it left over goes first.
        let mut buf = std::mem::take(&mut self.spare);
        buf.clear();
        buf.append(&mut self.carry);
        while !self.eof && buf.len() < self.target {
            // Read into spare capacity: zeroing a chunk's worth of buffer first cost more
            // than reading it.
            let want = self.target - buf.len();
            buf.reserve_exact(want);
            let n = (&mut self.inner).take(want as u64).read_to_end(&mut buf)?;
            if n == 0 {
                self.eof = true;
            }
        }
        if buf.is_empty() {
            self.spare = buf;
            return Ok(None);
        }
        // Validated once, as the `String` returned: only a chunk whose last character the
        // read cut in half is validated a second time, without that character.
        let (mut text, tail) = match String::from_utf8(buf) {
            Ok(text) => (text, Vec::new()),
            Err(e) if e.utf8_error().error_len().is_none() && !self.eof => {
                let valid = e.utf8_error().valid_up_to();
                let mut bytes = e.into_bytes();
                let tail = bytes.split_off(valid);
                (String::from_utf8(bytes).expect("valid up to here"), tail)
            }
            Err(e) => {
                return Err(ChunkError::InvalidUtf8 {
                    offset: self.consumed + e.utf8_error().valid_up_to() as u64,
                });
            }
        };
        let cut = if self.eof && tail.is_empty() {
            text.len()
        } else {
            cut_point(text.as_bytes())
        };
        // `cut` follows a whitespace byte or ends the valid text: a char boundary.
        self.carry.extend_from_slice(&text.as_bytes()[cut..]);
        self.carry.extend_from_slice(&tail);
        text.truncate(cut);
        self.consumed += text.len() as u64;
        Ok(Some(text))
    }

    /// Gives a chunk's memory back for the chunks after it.
    pub fn recycle(&mut self, chunk: String) {
        if chunk.capacity() > self.spare.capacity() {
            self.spare = chunk.into_bytes();
        }
    }
}

/// After the last newline, else after the last whitespace, else at the end of valid text.
fn cut_point(valid: &[u8]) -> usize {
    if let Some(i) = memchr_last(b'\n', valid) {
        return i + 1;
    }
    if let Some(i) = valid.iter().rposition(|b| b.is_ascii_whitespace()) {
        return i + 1;
    }
    valid.len().max(1)
}

/// Vectorized: a text without line breaks (prose in one line) is searched whole.
fn memchr_last(needle: u8, hay: &[u8]) -> Option<usize> {
    memchr::memrchr(needle, hay)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(input: &[u8], target: usize) -> Result<Vec<String>, ChunkError> {
        let mut r = ChunkedReader::new(input, target);
        let mut out = Vec::new();
        while let Some(c) = r.next_chunk()? {
            out.push(c);
        }
        Ok(out)
    }

    #[test]
    fn chunks_rejoin_to_the_input_and_end_on_lines() {
        let text = "line one 😀\nline two 中文\n".repeat(50);
        let got = chunks(text.as_bytes(), 64).unwrap();
        assert!(got.len() > 1);
        assert_eq!(got.concat(), text);
        for c in &got[..got.len() - 1] {
            assert!(c.ends_with('\n'), "{c:?}");
        }
    }

    #[test]
    fn recycled_chunks_still_rejoin_to_the_input() {
        let text = "line one 😀\nline two 中文\n".repeat(50);
        let mut r = ChunkedReader::new(text.as_bytes(), 64);
        let mut joined = String::new();
        let mut count = 0;
        while let Some(c) = r.next_chunk().unwrap() {
            joined.push_str(&c);
            count += 1;
            r.recycle(c);
        }
        assert!(count > 1);
        assert_eq!(joined, text);
    }

    #[test]
    fn recycled_chunks_are_read_into_one_buffer() {
        let text = "a few words on a line\n".repeat(40);
        let mut r = ChunkedReader::new(text.as_bytes(), 100);
        let mut buffers = std::collections::HashSet::new();
        while let Some(c) = r.next_chunk().unwrap() {
            buffers.insert(c.as_ptr());
            r.recycle(c);
        }
        assert_eq!(buffers.len(), 1);
    }

    #[test]
    fn a_huge_line_without_whitespace_is_still_split_on_char_boundaries() {
        let text = "é".repeat(10_000);
        let got = chunks(text.as_bytes(), 100).unwrap();
        assert!(got.iter().all(|c| c.len() <= 200));
        assert_eq!(got.concat(), text);
    }

    #[test]
    fn invalid_utf8_reports_its_offset() {
        let mut bytes = b"hello world\n".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        match chunks(&bytes, 64) {
            Err(ChunkError::InvalidUtf8 { offset }) => assert_eq!(offset, 12),
            other => panic!("{other:?}"),
        }
    }

    /// A pipe that hands over a few bytes per read.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(buf.len()).min(3);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn short_reads_fill_whole_chunks() {
        let text = "line one 😀\nline two 中文\n".repeat(50);
        let mut r = ChunkedReader::new(Trickle(text.as_bytes()), 64);
        let mut got = Vec::new();
        while let Some(c) = r.next_chunk().unwrap() {
            got.push(c);
        }
        assert_eq!(got.concat(), text);
        // Each chunk but the last ends on a line and holds at least one whole line.
        for c in &got[..got.len() - 1] {
            assert!(
                c.ends_with('\n') && c.len() >= "line one 😀\n".len(),
                "{c:?}"
            );
        }
        assert_eq!(got, chunks(text.as_bytes(), 64).unwrap());
    }

    #[test]
    fn empty_input_has_no_chunks() {
        assert!(chunks(b"", 64).unwrap().is_empty());
    }
}
