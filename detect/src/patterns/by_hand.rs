//! Shapes matched by hand beside the combined regex, with the regex's own semantics
//! (leftmost-first, ASCII word boundaries): long runs of word characters (a 40-character
//! secret, an upper-case token of up to 34) counted inside the combined lazy DFA multiply
//! its states by every position of the count, and a password label's 64-character value
//! does the same after each label. A secret is found from every 40th byte (a run of 40
//! covers one), a label from its `:` or `=`; a token's first two characters stay in the
//! regex as a trigger ([`TOKEN_TRIGGER`]) whose match is read on by hand.

use memchr::memchr2_iter;

use super::Shape;

/// The shapes found here rather than by the combined regex, in pattern order.
pub(crate) const BY_HAND: [Shape; 2] = [Shape::PasswordLabel, Shape::AwsSecret];

/// What the combined regex matches for [`Shape::AlnumToken`]: the start of every token
/// (`\b[A-Z][A-Z0-9]`, `\b[0-9]+[A-Z]`) and of a few words that are none ("SSN", "3D-");
/// [`match_at`] reads the token, if there is one, from there.
pub(crate) const TOKEN_TRIGGER: &str = r"(?-u:\b)(?:[A-Z][A-Z0-9]|[0-9]+[A-Z])";

/// A secret's length (`[A-Za-z0-9/+]{40}`).
const SECRET_LEN: usize = 40;

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether byte `i` of `b` is preceded by no word byte (the start of the text counts).
pub(super) fn no_word_before(b: &[u8], i: usize) -> bool {
    i == 0 || !is_word(b[i - 1])
}

/// `(?-u:\b)` at `i`.
fn boundary(b: &[u8], i: usize) -> bool {
    no_word_before(b, i) == b.get(i).is_some_and(|&c| is_word(c))
}

fn no_word_at(b: &[u8], i: usize) -> bool {
    !b.get(i).is_some_and(|&c| is_word(c))
}

fn run(b: &[u8], from: usize, class: impl Fn(u8) -> bool) -> usize {
    b.get(from..)
        .map_or(0, |r| r.iter().take_while(|&&c| class(c)).count())
}

fn upper_or_digit(c: u8) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

const fn secret_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'/' || c == b'+'
}

/// The end of the match of `shape` (one of [`BY_HAND`], or [`Shape::AlnumToken`]) that
/// starts at `at`, if one does.
pub(crate) fn match_at(shape: Shape, text: &str, at: usize) -> Option<usize> {
    match shape {
        Shape::PasswordLabel => password_at(text, at),
        Shape::AwsSecret => secret_at(text.as_bytes(), at),
        Shape::AlnumToken => token_at(text.as_bytes(), at),
        _ => None,
    }
}

/// The leftmost match of `shape` (one of [`BY_HAND`]) that starts at or after `from`, as
/// `(start, end)`.
pub(crate) fn find(shape: Shape, text: &str, from: usize) -> Option<(usize, usize)> {
    match shape {
        Shape::PasswordLabel => find_password(text, from),
        Shape::AwsSecret => find_secret(text.as_bytes(), from),
        _ => None,
    }
}

/// `(?i-u:\b(?:password|passwd|passcode|pwd|pass)\b)[ \t]*[:=][ \t]*([^\s"',;]{1,64})`.
/// The label is the whole word at `at`, so at most one alternative can match.
fn password_at(text: &str, at: usize) -> Option<usize> {
    const LABELS: [&[u8]; 5] = [b"password", b"passwd", b"passcode", b"pwd", b"pass"];
    let b = text.as_bytes();
    if !no_word_before(b, at) {
        return None;
    }
    let word = run(b, at, is_word);
    if !LABELS
        .iter()
        .any(|l| l.eq_ignore_ascii_case(&b[at..at + word]))
    {
        return None;
    }
    let blank = |c: u8| c == b' ' || c == b'\t';
    let mut i = at + word;
    i += run(b, i, blank);
    if !matches!(b.get(i), Some(b':' | b'=')) {
        return None;
    }
    i += 1;
    i += run(b, i, blank);
    let value: usize = text[i..]
        .chars()
        .take_while(|&c| !c.is_whitespace() && !matches!(c, '"' | '\'' | ',' | ';'))
        .take(64)
        .map(char::len_utf8)
        .sum();
    (value > 0).then_some(i + value)
}

/// From each `:` or `=`: the word before it (past blanks) is the label the match would
/// start with. Starts rise with the separators, so the first that matches is leftmost.
fn find_password(text: &str, from: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    for sep in memchr2_iter(b':', b'=', b.get(from..)?).map(|k| from + k) {
        let blanks = b[..sep]
            .iter()
            .rev()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
        let label_end = sep - blanks;
        let label = b[..label_end]
            .iter()
            .rev()
            .take_while(|&&c| is_word(c))
            .count();
        let start = label_end - label;
        if label == 0 || start < from {
            continue;
        }
        if let Some(end) = password_at(text, start) {
            return Some((start, end));
        }
    }
    None
}

/// `\b[A-Za-z0-9/+]{40}`.
fn secret_at(b: &[u8], at: usize) -> Option<usize> {
    let end = at + SECRET_LEN;
    (end <= b.len() && boundary(b, at) && b[at..end].iter().all(|&c| secret_byte(c))).then_some(end)
}

/// Every 40 bytes in a row cover one byte at each 40th position from `from`: only where
/// that byte can be part of a secret is its run read.
fn find_secret(b: &[u8], from: usize) -> Option<(usize, usize)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // No match starts in `from..i`.
    let mut i = from;
    while i + SECRET_LEN <= b.len() {
        // Every match starting in `i..=block` covers the eight bytes at `block`, and prose
        // has a space in nearly every eight bytes: a space there rules out every start
        // up to it.
        let block = i + SECRET_LEN - 8;
        let x = u64::from_le_bytes(b[block..block + 8].try_into().expect("eight bytes"));
        let y = x ^ (ONES * b' ' as u64);
        // The lowest byte flagged is the first space (higher flags may be borrows).
        let spaces = y.wrapping_sub(ONES) & !y & HIGH;
        if spaces != 0 {
            i = block + (spaces.trailing_zeros() / 8) as usize + 1;
            continue;
        }
        let probe = i + SECRET_LEN - 1;
        if !SECRET_BYTE[b[probe] as usize] {
            i = probe + 1;
            continue;
        }
        let mut first = probe;
        while first > i && SECRET_BYTE[b[first - 1] as usize] {
            first -= 1;
        }
        let mut end = probe + 1;
        while end < b.len() && SECRET_BYTE[b[end] as usize] {
            end += 1;
        }
        if end - first >= SECRET_LEN
            && let Some(start) = (first..=end - SECRET_LEN).find(|&s| boundary(b, s))
        {
            return Some((start, start + SECRET_LEN));
        }
        // The byte at `end` is no secret's, so no match covers it.
        i = end + 1;
    }
    None
}

/// `[A-Za-z0-9/+]` by byte.
static SECRET_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = secret_byte(c as u8);
        c += 1;
    }
    t
};

/// The most digits a token may start with: 17, for a Chinese resident id ending in X.
const MAX_TOKEN_DIGITS: usize = 17;

/// `\b(?:[A-Z][A-Z0-9]{7,33}|[0-9]{1,17}[A-Z][A-Z0-9]{0,32})\b`. Each repeat is followed
/// by something its class cannot match (or by the end), so the greedy runs are the only
/// readings.
fn token_at(b: &[u8], at: usize) -> Option<usize> {
    if !no_word_before(b, at) {
        return None;
    }
    let first = *b.get(at)?;
    let (letter, rest_max) = if first.is_ascii_uppercase() {
        (at, 33)
    } else if first.is_ascii_digit() {
        let digits = run(b, at, |c| c.is_ascii_digit());
        if digits > MAX_TOKEN_DIGITS || !b.get(at + digits).is_some_and(u8::is_ascii_uppercase) {
            return None;
        }
        (at + digits, 32)
    } else {
        return None;
    };
    let rest = run(b, letter + 1, upper_or_digit);
    let rest_min = if letter == at { 7 } else { 0 };
    let end = letter + 1 + rest;
    ((rest_min..=rest_max).contains(&rest) && no_word_at(b, end)).then_some(end)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use regex_automata::meta::Regex;
    use regex_automata::{Anchored, Input};

    use super::*;
    use crate::patterns::shapes::regex_source;

    fn regex(shape: Shape) -> Regex {
        super::super::build_regex(&[regex_source(shape)]).unwrap()
    }

    /// Every shape [`match_at`] reads.
    const HAND_READ: [Shape; 3] = [Shape::PasswordLabel, Shape::AwsSecret, Shape::AlnumToken];

    fn found(shape: Shape, text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some((s, e)) = find(shape, text, pos) {
            out.push(&text[s..e]);
            pos = e.max(s + 1);
        }
        out
    }

    /// From every char boundary, the same leftmost match and the same anchored match as
    /// the shape's regex.
    fn agrees(shape: Shape, re: &Regex, text: &str) -> Result<(), TestCaseError> {
        for pos in (0..=text.len()).filter(|&p| text.is_char_boundary(p)) {
            let want = re
                .search(&Input::new(text).range(pos..))
                .map(|m| (m.start(), m.end()));
            if BY_HAND.contains(&shape) {
                prop_assert_eq!(
                    find(shape, text, pos),
                    want,
                    "{:?} in {:?} from {}",
                    shape,
                    text,
                    pos
                );
            }
            let anchored = re
                .search(&Input::new(text).range(pos..).anchored(Anchored::Yes))
                .map(|m| m.end());
            prop_assert_eq!(
                match_at(shape, text, pos),
                anchored,
                "{:?} at {} of {:?}",
                shape,
                pos,
                text
            );
        }
        Ok(())
    }

    /// Pieces that start, end or break the shapes, so that random texts hit them often.
    const PIECES: &str = " |  |\t|\n|:|=| = |,|;|\"|'|/|+|_|-|.|é|中|😀|\u{a0}|0|7|12|2024|4111|\
                          1234567890123456|A|Z|AB|GB82WEST|AKIAIOSFODNN7EXAMPLE|abc|x|Q|\
                          wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY|aBcD1234eFgH5678|/+/+|\
                          password|PASSWD|pass|Passcode|pwd|passwordx|mypass|hunter2!|s3cr3t";

    fn texts() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(PIECES.split('|').collect::<Vec<_>>()),
            0..20,
        )
        .prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1500))]

        /// Wherever a token starts, so does its trigger.
        #[test]
        fn every_token_starts_a_trigger(text in texts()) {
            let trigger = super::super::build_regex(&[TOKEN_TRIGGER.to_string()]).unwrap();
            for at in (0..=text.len()).filter(|&p| text.is_char_boundary(p)) {
                if match_at(Shape::AlnumToken, &text, at).is_some() {
                    let input = Input::new(&text).range(at..).anchored(Anchored::Yes);
                    prop_assert!(trigger.search(&input).is_some(), "{:?} at {}", text, at);
                }
            }
        }

        #[test]
        fn each_shape_agrees_with_its_regex(text in texts()) {
            for shape in HAND_READ {
                agrees(shape, &regex(shape), &text)?;
            }
        }
    }

    #[test]
    fn edge_cases_agree_with_the_regexes() {
        let long = "A".repeat(40);
        let texts = [
            // At the start and at the end of the text.
            "password:x",
            "pwd = hunter2",
            "PASS:",
            "GB82WEST12345698765432",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            // After non-ASCII text and inside words.
            "éAKIAIOSFODNN7EXAMPLE",
            "épassword: x",
            "mypassword: x",
            "_password: x",
            "x_AKIAIOSFODNN7EXAMPLE",
            "中wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            // Values: 64 characters at most, non-ASCII ones counted as one.
            &format!("password: {}", "é".repeat(70)),
            "password:\t\"quoted\"",
            "password: a b",
            // Runs too long or too short, digits before the letter.
            &format!("{long} {long}x {long}/"),
            "/+/+wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "12345678901234567A 1234567890123456A 3D 3Dx 3D_ 2FA.",
            "ABCDEFG ABCDEFGH ABCDEFGHIJKLMNOPQRSTUVWXYZ012345678 ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        ];
        for text in texts {
            for shape in HAND_READ {
                agrees(shape, &regex(shape), text).unwrap();
            }
        }
    }

    #[test]
    fn finds_what_each_shape_stands_for() {
        assert_eq!(
            found(Shape::PasswordLabel, "login ok, Password : hunter2! then"),
            ["Password : hunter2!"]
        );
        assert_eq!(
            found(Shape::PasswordLabel, "pwd=s3cr3t;pass= x"),
            ["pwd=s3cr3t", "pass= x"]
        );
        assert!(
            found(
                Shape::PasswordLabel,
                "the passport: 123, bypass=1, password :"
            )
            .is_empty()
        );
        let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert_eq!(found(Shape::AwsSecret, &format!("secret {key} end")), [key]);
        assert!(
            found(
                Shape::AwsSecret,
                "a short-ish run of words, none forty long"
            )
            .is_empty()
        );
        let tokens = "VIN 1M8GDM9AXKP042788, key AKIAIOSFODNN7EXAMPLE; 3D IMPORTANT ABCDEFg";
        let read: Vec<&str> = (0..tokens.len())
            .filter_map(|at| Some(&tokens[at..match_at(Shape::AlnumToken, tokens, at)?]))
            .collect();
        assert_eq!(
            read,
            [
                "1M8GDM9AXKP042788",
                "AKIAIOSFODNN7EXAMPLE",
                "3D",
                "IMPORTANT"
            ]
        );
    }
}
