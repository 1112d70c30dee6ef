//! The words around one candidate, found once and checked against several types' phrases.

use super::phrases::{PhraseSet, WordPattern};
use super::word::{Word, first_byte_bit};

/// How many words after the match are looked at (labels usually precede values).
const WORDS_AFTER: usize = 3;
/// Bytes scanned in each direction at most, so a long run of punctuation cannot make a
/// lookup expensive.
const MAX_SCAN: usize = 160;
const MAX_WORDS: usize = 16;

/// Reused for every candidate of one `detect_text` call: filling it in place costs less
/// than building and moving a fresh one, and the words after a candidate are only looked
/// for when those before it did not already answer.
#[derive(Debug, Clone)]
pub(crate) struct Window {
    /// The candidate span the words belong to, and how many words before it were asked for.
    focus: Option<(usize, usize, usize)>,
    /// Words before the candidate, in reading order.
    before: [Word; MAX_WORDS],
    n_before: usize,
    /// One bit per lower-cased first byte of the words before, to reject most phrases at
    /// once.
    before_first_bytes: u64,
    /// `None` until some lookup needed them.
    after: Option<(usize, u64)>,
    after_words: [Word; WORDS_AFTER],
}

impl Default for Window {
    fn default() -> Self {
        Window {
            focus: None,
            before: [Word::default(); MAX_WORDS],
            n_before: 0,
            before_first_bytes: 0,
            after: None,
            after_words: [Word::default(); WORDS_AFTER],
        }
    }
}

impl Window {
    /// Points the window at `text[start..end]`, unless it already is, with up to `before`
    /// words looked at before it.
    pub(crate) fn focus(&mut self, text: &str, start: usize, end: usize, before: usize) {
        if self.focus == Some((start, end, before)) {
            return;
        }
        let bytes = text.as_bytes();
        self.focus = Some((start, end, before));
        self.n_before = words_before(bytes, start, before.min(MAX_WORDS), &mut self.before);
        // `words_before` fills in reverse; put them in reading order for phrase matching.
        self.before[..self.n_before].reverse();
        self.before_first_bytes = first_bytes(&self.before[..self.n_before]);
        self.after = None;
    }

    /// Whether a phrase appears before or just after the focused span. `text` must be the
    /// text given to [`Window::focus`].
    pub(crate) fn has_any(&mut self, text: &str, phrases: &PhraseSet) -> bool {
        let bytes = text.as_bytes();
        if matches_any(
            bytes,
            &self.before[..self.n_before],
            self.before_first_bytes,
            phrases,
        ) {
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
        let words = &self.before[..self.n_before];
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
                let end = self.focus.map_or(0, |(_, end, _)| end);
                let n = words_after(bytes, end, &mut self.after_words);
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
    first_bytes & phrases.first_bytes() != 0
        && words.iter().enumerate().any(|(i, word)| {
            let first = word.head as u8;
            phrases.first_bytes() & first_byte_bit(first) != 0
                && phrases
                    .starting_with(first)
                    .iter()
                    .any(|phrase| phrase_at(bytes, &words[i..], phrase))
        })
}

/// Whether `phrase` matches the first words of `words`.
fn phrase_at(bytes: &[u8], words: &[Word], phrase: &[WordPattern]) -> bool {
    words.len() >= phrase.len()
        && phrase
            .iter()
            .zip(words)
            .all(|(pattern, word)| pattern.matches(bytes, word))
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

/// Up to `limit` words ending before `start`, nearest first, within `MAX_SCAN` bytes (a
/// word cut by that limit counts from where the scan stopped).
fn words_before(bytes: &[u8], start: usize, limit: usize, out: &mut [Word]) -> usize {
    let floor = start.saturating_sub(MAX_SCAN);
    let scan = &bytes[floor..start];
    let mut i = scan.len();
    let mut n = 0;
    while n < limit {
        let Some(last) = scan[..i].iter().rposition(|&b| WORD_BYTE[usize::from(b)]) else {
            break;
        };
        let end = last + 1;
        i = scan[..end]
            .iter()
            .rposition(|&b| !WORD_BYTE[usize::from(b)])
            .map_or(0, |p| p + 1);
        out[n] = Word::new(bytes, floor + i, floor + end);
        n += 1;
    }
    n
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
