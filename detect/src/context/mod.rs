//! Context words near a candidate raise its score (Presidio's rule: +0.35 when one of the
//! type's words appears within a few words before, or just after, the match).
//!
//! Only runs on candidates, never on the whole text, but on most of them (every reading
//! without a checksum), so it is built for speed: the words around a candidate are found
//! once with a packed lower-case prefix each, and each type's phrases are compiled once into
//! the same form, so a comparison is an integer compare rather than a string walk.

mod labels;
mod phrases;
mod window;
mod word;
mod words;

pub(crate) use labels::{IdLabel, NON_ASCII_NEXT, NON_ASCII_REACH};
pub(crate) use phrases::{PhraseSet, phrases_for};
pub(crate) use window::Window;
pub use words::context_words;

/// Score added when context is found.
pub const CONTEXT_BOOST: f32 = 0.35;

/// True when any of `words` appears among the `before` words preceding `start` or the few
/// words following `end`. Words are runs of ASCII letters and digits, compared without
/// case; a trailing `*` matches any word starting with the stem; several words separated by
/// spaces must appear in sequence.
pub fn has_context(text: &str, start: usize, end: usize, before: usize, words: &[&str]) -> bool {
    ContextPhrases::new(words).around(text, start, end, before)
}

/// Context words compiled once, for a caller that looks for the same words around many
/// entities (a policy's context rules).
#[derive(Debug, Clone, Default)]
pub struct ContextPhrases(PhraseSet);

impl ContextPhrases {
    /// `words` as [`has_context`] takes them.
    pub fn new(words: &[&str]) -> Self {
        Self(PhraseSet::compile(words))
    }

    /// [`has_context`] with these words.
    pub fn around(&self, text: &str, start: usize, end: usize, before: usize) -> bool {
        let mut window = Window::default();
        window.focus(text, start, end, before);
        window.has_any(text, &self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text: &str, needle: &str, words: &[&str]) -> bool {
        let start = text.find(needle).unwrap();
        has_context(text, start, start + needle.len(), 5, words)
    }

    #[test]
    fn finds_words_before_within_the_window() {
        assert!(ctx("my SSN is 123", "123", &["ssn*"]));
        assert!(ctx("Routing: 011000015", "011000015", &["routing"]));
        assert!(!ctx(
            "routing one two three four five six 011000015",
            "011000015",
            &["routing"]
        ));
    }

    #[test]
    fn stems_phrases_and_case() {
        assert!(ctx("Card Expiration 12/25", "12/25", &["expir*"]));
        assert!(!ctx("expert 12/25", "12/25", &["expir*", "exp"]));
        assert!(ctx("the security code: 123", "123", &["security code"]));
        assert!(!ctx("security of the code 123", "123", &["security code"]));
    }

    #[test]
    fn looks_just_after_too() {
        assert!(ctx("4111 (visa card)", "4111", &["visa"]));
        assert!(!ctx("4111 a b c visa", "4111", &["visa"]));
    }

    #[test]
    fn survives_multibyte_neighbours() {
        assert!(ctx("ссн ssn 😀 123 中文", "123", &["ssn"]));
        assert!(!ctx("😀123", "123", &["ssn"]));
    }

    #[test]
    fn long_words_compare_past_the_packed_prefix() {
        assert!(ctx("Mastercard 5500", "5500", &["mastercard"]));
        assert!(!ctx("Mastercars 5500", "5500", &["mastercard"]));
        assert!(ctx("verification-code: 123", "123", &["verification code"]));
        assert!(ctx("VERIFICATIONS 123", "123", &["verification*"]));
        assert!(!ctx("verificatio 123", "123", &["verification*"]));
    }

    #[test]
    fn odd_phrases_never_match() {
        for words in [&[""][..], &["*"], &[" ssn"], &["ssn "], &["Ssn"], &["s-n"]] {
            assert!(!ctx("ssn s n 123", "123", words), "{words:?}");
        }
        // Only the first letter of a word must be given in lower case.
        assert!(ctx("ssn 123", "123", &["sSN"]));
    }
}
