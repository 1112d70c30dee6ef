//! The tokens right next to a match, for readings that depend on how a number is used in
//! its sentence ("in 1984" is a year, "1984 copies" a quantity) rather than on context
//! words anywhere in the window.

/// A token next to a match: a run of ASCII letters and digits, or one other byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token<'a> {
    Word(&'a str),
    Punct(u8),
    /// Start or end of the text.
    Edge,
}

impl Token<'_> {
    /// Whether this is a word equal to one of `words` (ASCII case-insensitive).
    pub(super) fn is_one_of(self, words: &[&str]) -> bool {
        matches!(self, Token::Word(w) if words.iter().any(|x| w.eq_ignore_ascii_case(x)))
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// The token ending before `at`, with where it starts; spaces and tabs are skipped.
pub(super) fn token_before(text: &str, at: usize) -> (Token<'_>, usize) {
    let b = text.as_bytes();
    let mut i = at;
    while i > 0 && matches!(b[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i == 0 {
        return (Token::Edge, 0);
    }
    if !is_word_byte(b[i - 1]) {
        return (Token::Punct(b[i - 1]), i - 1);
    }
    let end = i;
    while i > 0 && is_word_byte(b[i - 1]) {
        i -= 1;
    }
    (Token::Word(&text[i..end]), i)
}

/// The whitespace-delimited word ending before `at`, punctuation and letters beyond ASCII
/// included ("à", "nar.", "Ubuntu"); empty at the start of the text.
pub(super) fn word_before(text: &str, at: usize) -> &str {
    text[..at]
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
}

/// Where the spaces and tabs from `at` on end.
fn past_blanks(b: &[u8], at: usize) -> usize {
    at + b[at..]
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t'))
        .count()
}

/// The token starting after `at`, with where it ends; spaces and tabs are skipped.
pub(super) fn token_after(text: &str, at: usize) -> (Token<'_>, usize) {
    let b = text.as_bytes();
    let mut i = past_blanks(b, at);
    if i == b.len() {
        return (Token::Edge, i);
    }
    if !is_word_byte(b[i]) {
        return (Token::Punct(b[i]), i + 1);
    }
    let start = i;
    while i < b.len() && is_word_byte(b[i]) {
        i += 1;
    }
    (Token::Word(&text[start..i]), i)
}

/// Words that may follow a date, a year or an age inside a sentence; any other lower-case
/// word after a number is more likely what it counts ("2000 stores", "19 minutes").
const FUNCTION_WORDS: &[&str] = &[
    "a", "after", "ago", "already", "also", "an", "and", "as", "at", "because", "before", "but",
    "by", "during", "for", "from", "had", "has", "have", "he", "her", "his", "i", "if", "in", "is",
    "it", "last", "my", "next", "now", "on", "onward", "onwards", "or", "our", "she", "since",
    "so", "that", "the", "their", "then", "there", "they", "this", "through", "till", "to",
    "until", "was", "we", "were", "when", "where", "which", "while", "who", "will", "with", "you",
];

/// [`FUNCTION_WORDS`] packed like [`packed_lower`] and sorted: checked after most years
/// in prose, where a binary search of integers costs less than comparing strings.
static PACKED_FUNCTION_WORDS: [u64; FUNCTION_WORDS.len()] = {
    let mut packed = [0u64; FUNCTION_WORDS.len()];
    let mut i = 0;
    while i < packed.len() {
        let word = FUNCTION_WORDS[i].as_bytes();
        let mut value = 0u64;
        let mut k = 0;
        while k < word.len() {
            value |= (word[k] as u64) << (8 * k);
            k += 1;
        }
        // Insertion sort: the list is written in alphabetical order, not integer order.
        let mut j = i;
        while j > 0 && packed[j - 1] > value {
            packed[j] = packed[j - 1];
            j -= 1;
        }
        packed[j] = value;
        i += 1;
    }
    packed
};

/// The bytes of a word of ASCII letters and digits of at most eight bytes, lower-cased and
/// packed little-endian: setting bit 5 lower-cases the letters and keeps the digits.
fn packed_lower(word: &[u8]) -> u64 {
    word.iter()
        .rev()
        .fold(0, |acc, &b| (acc << 8) | u64::from(b | 0x20))
}

/// Whether `word`, a run of ASCII letters and digits, is one of [`FUNCTION_WORDS`].
fn is_function_word(word: &[u8]) -> bool {
    word.len() <= 7
        && PACKED_FUNCTION_WORDS
            .binary_search(&packed_lower(word))
            .is_ok()
}

/// A letter or digit, ASCII or not, right at `end`: the word a match ends in goes on. For
/// shapes that end in a letter outside ASCII ("März", "lunedì"), where the regex cannot
/// put a word boundary.
pub(super) fn word_goes_on(text: &str, end: usize) -> bool {
    text[end..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric)
}

/// Whether what follows `end` ends a phrase about a date or an age: punctuation (except
/// signs that make a number an amount or a ratio), the end of the text, a capitalised word
/// or a function word. Checked after most years in prose, so the word after is read only
/// as far as a function word could go.
pub(super) fn ends_phrase(text: &str, end: usize) -> bool {
    let b = text.as_bytes();
    let i = past_blanks(b, end);
    let Some(&first) = b.get(i) else {
        return true;
    };
    if !is_word_byte(first) {
        return !matches!(first, b'%' | b'$' | b'/' | b'*' | b'x' | b'+' | b'=' | b'@');
    }
    let second_is_word = b.get(i + 1).is_some_and(|&c| is_word_byte(c));
    if first.is_ascii_uppercase() && second_is_word {
        return true;
    }
    // Eight bytes at most: a longer word is no function word.
    let word_len = b[i..]
        .iter()
        .take(8)
        .take_while(|&&c| is_word_byte(c))
        .count();
    is_function_word(&b[i..i + word_len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_around_a_span() {
        let t = "founded in  1984, by";
        assert_eq!(token_before(t, 12), (Token::Word("in"), 8));
        assert_eq!(token_after(t, 16), (Token::Punct(b','), 17));
        assert_eq!(token_before("$2019", 1), (Token::Punct(b'$'), 0));
        assert_eq!(token_before("2019", 0), (Token::Edge, 0));
        assert_eq!(token_after("2019", 4), (Token::Edge, 4));
    }

    #[test]
    fn function_words_in_any_case() {
        for w in FUNCTION_WORDS {
            assert!(is_function_word(w.as_bytes()), "{w}");
            assert!(is_function_word(w.to_ascii_uppercase().as_bytes()), "{w}");
        }
        for w in ["", "stores", "ago1", "whiches", "Because1", "x", "abc"] {
            assert!(!is_function_word(w.as_bytes()), "{w}");
        }
    }

    #[test]
    fn phrase_ends() {
        assert!(ends_phrase("in 1984.", 7));
        assert!(ends_phrase("in 1984 by two", 7));
        assert!(ends_phrase("in 2003 Anna moved", 7));
        assert!(ends_phrase("in 2003", 7));
        assert!(!ends_phrase("sold 2000 stores", 9));
        assert!(!ends_phrase("up 3%", 4));
        assert!(!ends_phrase("at 19 X", 5), "a lone capital is no word");
        assert!(ends_phrase("at 19 A", 5), "\"a\" in capitals");
        assert!(
            !ends_phrase("in 1984 although", 7),
            "longer than any function word"
        );
        assert!(ends_phrase("in 1984\tthrough", 7));
        assert!(!ends_phrase("in 1984 throughout", 7));
    }
}
