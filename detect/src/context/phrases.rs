//! Context phrases compiled into the packed form of [`Word`], once per type.

use std::sync::LazyLock;

use super::word::{Word, first_byte_bit};
use super::words::context_words;
use crate::EntityType;

/// One word of a phrase: exact, or a stem when it ended in `*`.
#[derive(Debug, Clone)]
pub(crate) struct WordPattern {
    /// The first `min(len, 8)` bytes in lower case, packed like [`Word::head`].
    head: u64,
    /// Covers the bytes of `head` that a word must share.
    head_mask: u64,
    /// Length of the word, or of the stem.
    len: usize,
    stem: bool,
    /// Lower-cased bytes past the eighth, compared only when the head matched.
    tail: Box<[u8]>,
}

impl WordPattern {
    /// `None` for parts no word can ever match: empty, a lone `*`, or one starting with an
    /// upper-case letter (only the first byte is compared case-sensitively, a quirk kept
    /// from the original word matcher).
    fn compile(part: &str) -> Option<Self> {
        let (body, stem) = match part.strip_suffix('*') {
            Some(stem) => (stem.as_bytes(), true),
            None => (part.as_bytes(), false),
        };
        let first = *body.first()?;
        if first.is_ascii_uppercase() {
            return None;
        }
        let lower: Vec<u8> = body.iter().map(u8::to_ascii_lowercase).collect();
        let n = lower.len().min(8);
        let mut head = [0u8; 8];
        head[..n].copy_from_slice(&lower[..n]);
        Some(WordPattern {
            head: u64::from_le_bytes(head),
            head_mask: if n == 8 {
                u64::MAX
            } else {
                (1u64 << (8 * n)) - 1
            },
            len: lower.len(),
            stem,
            tail: lower[n..].into(),
        })
    }

    pub(super) fn first_byte(&self) -> u8 {
        self.head as u8
    }

    /// Case-insensitive: `word` equals this pattern, or starts with it for a stem. A
    /// pattern byte that is not a lower-case letter or digit never equals a word byte.
    #[inline]
    pub(super) fn matches(&self, bytes: &[u8], word: &Word) -> bool {
        let len_ok = if self.stem {
            word.len >= self.len
        } else {
            word.len == self.len
        };
        len_ok
            && word.head & self.head_mask == self.head
            && (self.tail.is_empty()
                || bytes[word.start + 8..word.start + self.len].eq_ignore_ascii_case(&self.tail))
    }
}

/// One phrase: a non-empty sequence of word patterns, with its first word's packed head
/// kept beside it, so that the phrases a word can start are rejected without following a
/// pointer.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    head: u64,
    head_mask: u64,
    words: Box<[WordPattern]>,
}

impl Phrase {
    /// Whether the phrase matches the first words of `words`.
    #[inline]
    pub(super) fn starts(&self, bytes: &[u8], words: &[Word]) -> bool {
        words[0].head & self.head_mask == self.head
            && words.len() >= self.words.len()
            && self
                .words
                .iter()
                .zip(words)
                .all(|(pattern, word)| pattern.matches(bytes, word))
    }
}

/// The phrases of one type.
#[derive(Debug, Clone)]
pub(crate) struct PhraseSet {
    /// In the order of their first bytes, so that the phrases a word can start are one run.
    phrases: Vec<Phrase>,
    /// Per first byte, the run of `phrases` that starts with it; empty when there are none.
    runs: Box<[(u32, u32); 256]>,
    first_bytes: u64,
}

impl Default for PhraseSet {
    fn default() -> Self {
        PhraseSet {
            phrases: Vec::new(),
            runs: Box::new([(0, 0); 256]),
            first_bytes: 0,
        }
    }
}

impl PhraseSet {
    /// Compiles context words as [`context_words`] writes them; phrases that can never
    /// match are dropped.
    pub(crate) fn compile(words: &[&str]) -> Self {
        let mut phrases: Vec<Phrase> = words
            .iter()
            .filter_map(|phrase| {
                let words: Box<[WordPattern]> = phrase
                    .split(' ')
                    .map(WordPattern::compile)
                    .collect::<Option<_>>()?;
                Some(Phrase {
                    head: words[0].head,
                    head_mask: words[0].head_mask,
                    words,
                })
            })
            .collect();
        phrases.sort_by_key(|p| p.words[0].first_byte());
        let first_bytes = phrases
            .iter()
            .fold(0, |acc, p| acc | first_byte_bit(p.words[0].first_byte()));
        let mut runs = Box::new([(0, 0); 256]);
        for (k, p) in phrases.iter().enumerate() {
            let k = u32::try_from(k).expect("fewer than 2^32 phrases");
            let run = &mut runs[usize::from(p.words[0].first_byte())];
            if run.1 == 0 {
                run.0 = k;
            }
            run.1 = k + 1;
        }
        PhraseSet {
            phrases,
            runs,
            first_bytes,
        }
    }

    pub(super) fn first_bytes(&self) -> u64 {
        self.first_bytes
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.phrases.len()
    }

    /// The phrases whose first word starts with byte `first`: a window's words are each
    /// checked against a type's phrases, and a walk through all of them cost more than
    /// the rest of the context lookup.
    #[inline]
    pub(super) fn starting_with(&self, first: u8) -> &[Phrase] {
        let (start, end) = self.runs[usize::from(first)];
        &self.phrases[start as usize..end as usize]
    }
}

/// The compiled [`context_words`] of `entity_type`.
pub(crate) fn phrases_for(entity_type: EntityType) -> &'static PhraseSet {
    static COMPILED: LazyLock<Vec<PhraseSet>> = LazyLock::new(|| {
        EntityType::ALL
            .iter()
            .map(|&t| PhraseSet::compile(context_words(t)))
            .collect()
    });
    static NONE: LazyLock<PhraseSet> = LazyLock::new(PhraseSet::default);
    match entity_type.builtin_index() {
        Some(i) => &COMPILED[i],
        // A custom recognizer carries its own words.
        None => &NONE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_compiled_in_place() {
        for &t in EntityType::ALL {
            let words = context_words(t);
            assert_eq!(phrases_for(t).phrases.len(), words.len(), "{t}");
        }
    }
}
