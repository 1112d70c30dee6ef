//! Personal data said aloud, as call-centre and voice-assistant transcripts write it:
//! numbers read out word by word (`oh seven seven double four, one two three`), e-mail
//! addresses with their punctuation spoken (`rose dot okonkwo at gmail dot com`) and ages
//! said after a pronoun (`he's seventy-three`).
//!
//! Prose is full of number words ("one of the two", "at one point"), and the detector
//! has almost no time to spare per byte, so only lines that read like a transcript are
//! looked at: a line that opens with a speaker's label (`Caller:`, `Agent:`), or one that
//! opens in lower case the way dictation and voicemail do. Finding them costs one
//! `memchr` for line ends; everything else runs on those lines only.

mod age;
mod digits;
mod email;

use crate::Detection;

/// A value read out after a word that names it.
const LABELLED_SCORE: f32 = 0.85;
/// Seven digit words or more with no word naming them: most often a phone number.
const BARE_PHONE_SCORE: f32 = 0.5;
const EMAIL_SCORE: f32 = 0.9;
const AGE_SCORE: f32 = 0.85;

/// A word of a transcript line: `start..end` in bytes. `soft` tells whether only spaces
/// and commas stand between it and the word before, as between the groups of a number
/// read out; a full stop, question mark or line end breaks a number.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) soft: bool,
    /// Whether a line end stands between it and the word before.
    pub(super) newline: bool,
}

/// Appends the spoken values of `text` (byte offsets on char boundaries, sorted by start,
/// non-overlapping among themselves) to `out`.
pub(crate) fn detect(text: &str, out: &mut Vec<Detection>) {
    let bytes = text.as_bytes();
    let mut toks: Vec<Tok> = Vec::new();
    // The line before a transcript line is read with it: the question ("and the postcode?")
    // is often the other speaker's turn.
    let mut prev_start = 0;
    let mut line_start = 0;
    for line_end in memchr::memchr_iter(b'\n', bytes).chain([bytes.len()]) {
        let line = &bytes[line_start..line_end];
        if transcript_line(line) {
            tokenize(text, prev_start, line_end, &mut toks);
            let from = toks.partition_point(|t| t.start < line_start);
            read(text, &toks, from, out);
        }
        prev_start = line_start;
        line_start = line_end + 1;
    }
}

/// Whether `line` reads like a turn of a transcript: it opens with a speaker's label (up
/// to three words and a colon), or in lower case with the sentence after its first in
/// lower case too.
fn transcript_line(line: &[u8]) -> bool {
    let Some(first) = line.iter().position(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    let head = &line[first..line.len().min(first + 32)];
    if let Some(colon) = memchr::memchr(b':', head) {
        let label = &head[..colon];
        if !label.is_empty()
            && label.iter().filter(|&&b| b == b' ').count() <= 2
            && label
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b' ' || b >= 0x80)
            && head.get(colon + 1).is_none_or(|&b| b == b' ')
        {
            return true;
        }
    }
    line[first].is_ascii_lowercase()
        && crate::lower_case_lines::next_sentence_in_lower_case(line, first)
}

fn word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'\'' || b >= 0x80
}

/// The words of `text[from..to]`: letters, digits, apostrophes and non-ASCII bytes, with
/// a hyphen inside a word kept in it (`seventy-three`, `O-K-O-N-K-W-O`).
fn tokenize(text: &str, from: usize, to: usize, toks: &mut Vec<Tok>) {
    toks.clear();
    let b = text.as_bytes();
    let mut i = from;
    let mut gap_start = from;
    while i < to {
        if !word_byte(b[i]) || b[i] == b'\'' {
            i += 1;
            continue;
        }
        let start = i;
        while i < to
            && (word_byte(b[i]) || b[i] == b'-' && i + 1 < to && b[i + 1].is_ascii_alphanumeric())
        {
            i += 1;
        }
        // A closing quote is no part of the word.
        let mut end = i;
        while b[end - 1] == b'\'' {
            end -= 1;
        }
        let gap = &b[gap_start..start];
        toks.push(Tok {
            start,
            end,
            soft: gap.iter().all(|&c| matches!(c, b' ' | b',' | b'\t')),
            newline: gap.contains(&b'\n'),
        });
        gap_start = end;
    }
}

/// Reads the words from `toks[from]` on; the words before are context only.
fn read(text: &str, toks: &[Tok], from: usize, out: &mut Vec<Detection>) {
    let mut i = from;
    while i < toks.len() {
        let next = email::at(text, toks, i)
            .or_else(|| age::at(text, toks, i))
            .or_else(|| digits::at(text, toks, i));
        match next {
            Some(found) => {
                // An e-mail's local part reads back over words a number may have taken.
                while out.last().is_some_and(|d| d.end > found.start) {
                    out.pop();
                }
                let end = found.end;
                out.push(found);
                while i < toks.len() && toks[i].start < end {
                    i += 1;
                }
            }
            None => i += 1,
        }
    }
}

pub(super) fn word<'a>(text: &'a str, t: &Tok) -> &'a str {
    &text[t.start..t.end]
}

/// `word` in ASCII lower case in `buf`, or `None` when it is too long to be a word this
/// pass knows.
pub(super) fn lower<'a>(word: &str, buf: &'a mut [u8; 16]) -> Option<&'a str> {
    let w = word.as_bytes();
    if w.len() > buf.len() {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(w) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..w.len()]).ok()
}

#[cfg(test)]
mod tests;
