//! The words around one candidate, found once and checked against several types' phrases.

use super::phrases::PhraseSet;
use super::word::{Word, first_byte_bit};

/// How many words after the match are looked at (labels usually precede values).
const WORDS_AFTER: usize = 3;
/// Bytes scanned in each direction at most, so a long run of punctuation cannot make a
/// lookup expensive.
const MAX_SCAN: usize = 160;
const MAX_WORDS: usize = 16;

/// How many phrase sets' answers among the words before are kept: the readings of one
/// match ask for a few types, and a digit run's shorter prefixes ask again for the same.
const ANSWERS: usize = 4;

/// Reused for every candidate of one `detect_text` call: filling it in place costs less
/// than building and moving a fresh one, and the words after a candidate are only looked
/// for when those before it did not already answer.
#[derive(Debug, Clone)]
pub(crate) struct Window {
    /// The start of the candidate span the words before belong to, and how many were
    /// asked for: spans that share a start (a digit run and its prefixes) share them.
    before_of: Option<(usize, usize)>,
    /// Words before the candidate, in reading order, in the last `n_before` slots.
    before: [Word; MAX_WORDS],
    n_before: usize,
    /// One bit per lower-cased first byte of the words before, to reject most phrases at
    /// once.
    before_first_bytes: u64,
    /// Whether the words before hold a phrase of a set, by the set's address.
    answers: [(usize, bool); ANSWERS],
    n_answers: usize,
    /// The end of the candidate span.
    end: usize,
    /// `None` until some lookup needed them.
    after: Option<(usize, u64)>,
    after_words: [Word; WORDS_AFTER],
}

impl Default for Window {
    fn default() -> Self {
        Window {
            before_of: None,
            before: [Word::default(); MAX_WORDS],
            n_before: 0,
            before_first_bytes: 0,
            answers: [(0, false); ANSWERS],
            n_answers: 0,
            end: 0,
            after: None,
            after_words: [Word::default(); WORDS_AFTER],
        }
    }
}

impl Window {
    /// Points the window at `text[start..end]`, unless it already is, with up to `before`
    /// words looked at before it.
    pub(crate) fn focus(&mut self, text: &str, start: usize, end: usize, before: usize) {
        if self.before_of != Some((start, before)) {
            self.before_of = Some((start, before));
            let (n, first_bytes) = words_before(
                text.as_bytes(),
                start,
                before.min(MAX_WORDS),
                &mut self.before,
            );
            self.n_before = n;
            self.before_first_bytes = first_bytes;
            self.n_answers = 0;
        } else if self.end == end {
            return;
        }
        self.end = end;
        self.after = None;
    }

    fn words_before(&self) -> &[Word] {
        &self.before[MAX_WORDS - self.n_before..]
    }

    /// Whether a phrase appears before or just after the focused span. `text` must be the
    /// text given to [`Window::focus`].
    pub(crate) fn has_any(&mut self, text: &str, phrases: &PhraseSet) -> bool {
        let bytes = text.as_bytes();
        if self.before_has_any(bytes, phrases) {
            return true;
        }
        let (n_after, after_first_bytes) = self.words_after(bytes);
        matches_any(
            bytes,
            &self.after_words[..n_after],
            after_first_bytes,
            phrases,
        )
    }

    /// Whether a phrase appears among the words before, asked once per phrase set.
    fn before_has_any(&mut self, bytes: &[u8], phrases: &PhraseSet) -> bool {
        if self.before_first_bytes & phrases.first_bytes() == 0 {
            return false;
        }
        let key = std::ptr::from_ref(phrases) as usize;
        if let Some(&(_, found)) = self.answers[..self.n_answers]
            .iter()
            .find(|(k, _)| *k == key)
        {
            return found;
        }
        let found = matches_any(bytes, self.words_before(), self.before_first_bytes, phrases);
        if self.n_answers < ANSWERS {
            self.answers[self.n_answers] = (key, found);
            self.n_answers += 1;
        }
        found
    }
}

/// How many words before a number "right next to it" spans: a label of up to three
/// words, or a word of one and a verb ("CPF is", "PESEL nr").
const NEXT_BEFORE: usize = 3;
/// How many words after a number "right next to it" spans (`4821 7730 9156 (Aadhaar)`).
const NEXT_AFTER: usize = 1;

impl Window {
    /// Whether a phrase lies within the few words right before or just after the focused
    /// span, with no other number between: the label of a number whose own check cannot
    /// vouch for it ("PESEL 85072304821", not "PESEL 44051401359, order 85072304821").
    pub(crate) fn has_any_next(&mut self, text: &str, phrases: &PhraseSet) -> bool {
        let bytes = text.as_bytes();
        let words = self.words_before();
        let from = words
            .iter()
            .rev()
            .take(NEXT_BEFORE)
            .take_while(|w| !starts_with_digit(w))
            .count();
        let near = &words[words.len() - from..];
        if matches_any(bytes, near, first_bytes(near), phrases) {
            return true;
        }
        let (n, _) = self.words_after(bytes);
        let after = &self.after_words[..n];
        let to = after
            .iter()
            .take(NEXT_AFTER)
            .take_while(|w| !starts_with_digit(w))
            .count();
        let near = &after[..to];
        matches_any(bytes, near, first_bytes(near), phrases)
    }

    /// Finds the words after the focused span, once.
    fn words_after(&mut self, bytes: &[u8]) -> (usize, u64) {
        match self.after {
            Some(after) => after,
            None => {
                let n = words_after(bytes, self.end, &mut self.after_words);
                let after = (n, first_bytes(&self.after_words[..n]));
                self.after = Some(after);
                after
            }
        }
    }
}

/// A word that is (or starts) another number.
fn starts_with_digit(word: &Word) -> bool {
    (word.head as u8).is_ascii_digit()
}

fn first_bytes(words: &[Word]) -> u64 {
    words
        .iter()
        .fold(0, |acc, w| acc | first_byte_bit(w.head as u8))
}

/// Walks the words and tries only the phrases starting with each word's first byte: a
/// window has a handful of words and a type up to a dozen phrases, and most words start
/// with a byte no phrase starts with.
fn matches_any(bytes: &[u8], words: &[Word], first_bytes: u64, phrases: &PhraseSet) -> bool {
    if first_bytes & phrases.first_bytes() == 0 {
        return false;
    }
    for (i, word) in words.iter().enumerate() {
        let first = word.head as u8;
        if phrases.first_bytes() & first_byte_bit(first) != 0
            && phrases
                .starting_with(first)
                .iter()
                .any(|phrase| phrase.starts(bytes, &words[i..]))
        {
            return true;
        }
    }
    false
}

/// ASCII letters and digits: the bytes words are made of.
static WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// Up to `limit` words ending before `start`, within `MAX_SCAN` bytes (a word cut by
/// that limit counts from where the scan stopped), put in reading order at the end of
/// `out`; returns how many, and the bits of their first bytes.
fn words_before(
    bytes: &[u8],
    start: usize,
    limit: usize,
    out: &mut [Word; MAX_WORDS],
) -> (usize, u64) {
    let floor = start.saturating_sub(MAX_SCAN);
    let scan = &bytes[floor..start];
    let mut i = scan.len();
    let mut n = 0;
    let mut first_bytes = 0;
    while n < limit {
        let Some(last) = scan[..i].iter().rposition(|&b| WORD_BYTE[usize::from(b)]) else {
            break;
        };
        let end = last + 1;
        i = scan[..end]
            .iter()
            .rposition(|&b| !WORD_BYTE[usize::from(b)])
            .map_or(0, |p| p + 1);
        n += 1;
        let word = Word::new(bytes, floor + i, floor + end);
        first_bytes |= first_byte_bit(word.head as u8);
        out[MAX_WORDS - n] = word;
    }
    (n, first_bytes)
}

/// Up to `WORDS_AFTER` words starting at or after `end`, within `MAX_SCAN` bytes.
fn words_after(bytes: &[u8], end: usize, out: &mut [Word; WORDS_AFTER]) -> usize {
    let ceil = (end + MAX_SCAN).min(bytes.len());
    let scan = &bytes[end..ceil];
    let mut i = 0;
    let mut n = 0;
    while n < WORDS_AFTER {
        let Some(first) = scan[i..].iter().position(|&b| WORD_BYTE[usize::from(b)]) else {
            break;
        };
        let start = i + first;
        i = scan[start..]
            .iter()
            .position(|&b| !WORD_BYTE[usize::from(b)])
            .map_or(scan.len(), |p| start + p);
        out[n] = Word::new(bytes, end + start, end + i);
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_cut_by_the_scan() {
        let text = "x".repeat(200) + " Verification-codes: 12";
        let bytes = text.as_bytes();
        let start = text.len() - 2;
        let mut out = [Word::default(); MAX_WORDS];
        let (n, _) = words_before(bytes, start, 5, &mut out);
        let words: Vec<&str> = out[MAX_WORDS - n..]
            .iter()
            .map(|w| &text[w.start..w.start + w.len])
            .collect();
        // The run of x is cut where the scan stops.
        assert_eq!(words, ["x".repeat(139).as_str(), "Verification", "codes"]);
        let mut after = [Word::default(); WORDS_AFTER];
        let n = words_after(bytes, 0, &mut after);
        let words: Vec<&str> = after[..n]
            .iter()
            .map(|w| &text[w.start..w.start + w.len])
            .collect();
        assert_eq!(words, ["x".repeat(160).as_str()]);
    }
}
