//! Words, numbers and punctuation with byte offsets: what the names-and-places rules read.

use super::byte_classes::{ALNUM, DIGIT, LOWER, any_in, run_end_before};

/// How a token is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Upper-case first letter, some lower-case after it ("Dana", "McDonald").
    Cap,
    /// Two or more letters, all upper case ("SMITH", "NSW").
    Upper,
    /// One upper-case letter, with its period if it has one ("D.").
    Initial,
    Lower,
    /// Letters and digits with at least one digit ("12", "39/2362", "NW1", "2nd").
    Number,
    /// Han, kana or hangul.
    Cjk,
    /// One punctuation or symbol character.
    Punct(char),
}

/// What separates a token from the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Gap {
    None,
    Space,
    /// One line break (with any spaces).
    Line,
    /// A blank line or more.
    Paragraph,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) start: usize,
    /// End of the token, without a possessive `'s`.
    pub(crate) end: usize,
    pub(crate) kind: Kind,
    pub(crate) gap: Gap,
    /// Attached to `@`, `/`, `_` or a dotted word: part of an address, a path or a handle.
    pub(crate) glued: bool,
}

impl Token {
    pub(crate) fn is_word(&self) -> bool {
        matches!(
            self.kind,
            Kind::Cap | Kind::Upper | Kind::Initial | Kind::Lower
        )
    }

    pub(crate) fn is_capitalised(&self) -> bool {
        matches!(self.kind, Kind::Cap | Kind::Upper)
    }

    pub(crate) fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // kana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF)
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !is_cjk(c)
}

/// Splits `text` into tokens; whitespace is only recorded as the gap before a token.
#[cfg(test)]
pub(crate) fn tokenize(text: &str, out: &mut Vec<Token>) {
    tokenize_range(text, 0, text.len(), out);
}

/// Tokens of `text[start..end]` (`start` a word boundary), with offsets into `text`; the
/// first token's gap is read from the whitespace before `start`.
pub(crate) fn tokenize_range(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    out.clear();
    let bytes = &text.as_bytes()[..end];
    let mut i = start;
    let mut gap = gap_before(text.as_bytes(), start);
    while i < bytes.len() {
        let b = bytes[i];
        if b == b' ' || b == b'\t' || b == b'\r' {
            if gap == Gap::None {
                gap = Gap::Space;
            }
            i += 1;
            continue;
        }
        if b == b'\n' {
            gap = if gap >= Gap::Line {
                Gap::Paragraph
            } else {
                Gap::Line
            };
            i += 1;
            continue;
        }
        let start = i;
        // Words of ASCII letters and digits are nearly all of any window: read them in one
        // pass over a table of byte classes, without decoding a char.
        if b.is_ascii_alphanumeric()
            && let Some((end, kind)) = ascii_word(text.as_bytes(), bytes.len(), i)
        {
            // After whitespace and before a space, a word is glued to nothing: the usual
            // case, decided without reading the bytes around it again.
            let glued = kind != Kind::Number
                && !(gap != Gap::None && bytes.get(end) == Some(&b' '))
                && glued(bytes, start, end);
            out.push(Token {
                start,
                end,
                kind,
                gap,
                glued,
            });
            gap = Gap::None;
            i = end;
            continue;
        }
        // Plain lower-case ASCII words are most of any window: read them without decoding.
        if b.is_ascii_lowercase() {
            let run = bytes[i..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase())
                .count();
            let after = bytes.get(i + run).copied();
            if !after
                .is_some_and(|a| a.is_ascii_alphanumeric() || a >= 0x80 || a == b'\'' || a == b'-')
            {
                // After whitespace and before a space, a word is glued to nothing: the
                // usual case, decided without reading the bytes around it again.
                let glued =
                    !(gap != Gap::None && after == Some(b' ')) && glued(bytes, start, i + run);
                out.push(Token {
                    start,
                    end: i + run,
                    kind: Kind::Lower,
                    gap,
                    glued,
                });
                gap = Gap::None;
                i += run;
                continue;
            }
        }
        if b.is_ascii() && !b.is_ascii_alphanumeric() {
            out.push(Token {
                start,
                end: i + 1,
                kind: Kind::Punct(b as char),
                gap,
                glued: false,
            });
            gap = Gap::None;
            i += 1;
            continue;
        }
        let c = char_at(text, i);
        let (end, kind) = if c.is_alphanumeric() && is_cjk(c) {
            let mut e = i;
            while e < bytes.len() && is_cjk(char_at(text, e)) {
                e += char_at(text, e).len_utf8();
            }
            (e, Kind::Cjk)
        } else if c.is_alphanumeric() {
            word(text, i)
        } else if c.is_whitespace() {
            // Non-ASCII spaces (no-break, ideographic) separate like a space.
            if gap == Gap::None {
                gap = Gap::Space;
            }
            i += c.len_utf8();
            continue;
        } else {
            (i + c.len_utf8(), Kind::Punct(c))
        };
        let mut tok = Token {
            start,
            end,
            kind,
            gap,
            glued: false,
        };
        if matches!(kind, Kind::Cap | Kind::Upper | Kind::Lower | Kind::Initial) {
            tok.glued = glued(bytes, start, end);
            tok.end = strip_possessive(text, start, end);
        }
        out.push(tok);
        gap = Gap::None;
        i = end;
    }
}

/// The end and kind of the word of ASCII letters and digits at `start` (an ASCII letter or
/// digit), read as [`word`] would, with no possessive to strip; `None` where `word` must
/// decide: a byte that could join more to the word follows it (one beyond ASCII, an
/// apostrophe, a hyphen, a slash), or the word runs up to `limit` with text after it.
#[inline]
fn ascii_word(bytes: &[u8], limit: usize, start: usize) -> Option<(usize, Kind)> {
    let e = run_end_before(bytes, start, limit, ALNUM);
    match bytes.get(e) {
        _ if e == limit && limit < bytes.len() => return None,
        Some(&a) if a >= 0x80 || matches!(a, b'\'' | b'-' | b'/') => return None,
        _ => {}
    }
    let kind = if any_in(bytes, start, e, DIGIT) {
        Kind::Number
    } else if bytes[start].is_ascii_lowercase() {
        // A particle joined to a name ("al-", "d'") has its joiner: none here.
        Kind::Lower
    } else if e - start == 1 {
        // "D" or "D." is an initial; its period belongs to it.
        if bytes.get(e) == Some(&b'.') {
            return Some((e + 1, Kind::Initial));
        }
        Kind::Initial
    } else if !any_in(bytes, start, e, LOWER) {
        Kind::Upper
    } else {
        Kind::Cap
    };
    Some((e, kind))
}

fn gap_before(bytes: &[u8], start: usize) -> Gap {
    let mut gap = Gap::None;
    for &b in bytes[..start].iter().rev() {
        match b {
            b'\n' if gap >= Gap::Line => return Gap::Paragraph,
            b'\n' => gap = Gap::Line,
            b' ' | b'\t' | b'\r' => gap = gap.max(Gap::Space),
            _ => break,
        }
    }
    gap
}

#[inline]
fn char_at(text: &str, i: usize) -> char {
    text[i..]
        .chars()
        .next()
        .expect("i is a char boundary inside text")
}

fn word(text: &str, start: usize) -> (usize, Kind) {
    let bytes = text.as_bytes();
    let mut e = start;
    let mut digits = false;
    let mut upper = 0usize;
    let mut lower = 0usize;
    let continues = |at: usize| {
        text[at..]
            .chars()
            .next()
            .is_some_and(|n| is_letter(n) || n.is_numeric())
    };
    while e < bytes.len() {
        let b = bytes[e];
        // ASCII first: nearly every byte of most text.
        if b.is_ascii_alphanumeric() {
            digits |= b.is_ascii_digit();
            upper += b.is_ascii_uppercase() as usize;
            lower += b.is_ascii_lowercase() as usize;
            e += 1;
            continue;
        }
        if b.is_ascii() {
            if (b == b'\'' || b == b'-' || digits && b == b'/') && continues(e + 1) {
                e += 1;
                continue;
            }
            break;
        }
        let c = char_at(text, e);
        if is_letter(c) || c.is_numeric() || unicode_mark(c) {
            digits |= c.is_numeric();
            upper += c.is_uppercase() as usize;
            lower += c.is_lowercase() as usize;
            e += c.len_utf8();
        } else if c == '\u{2019}' && continues(e + c.len_utf8()) {
            e += c.len_utf8();
        } else {
            break;
        }
    }
    let first = char_at(text, start);
    let kind = if digits {
        Kind::Number
    } else if !first.is_uppercase() {
        if particle_prefixed(&text[start..e]) {
            Kind::Cap
        } else {
            Kind::Lower
        }
    } else if upper == 1 && lower == 0 {
        // "D" or "D." is an initial; its period belongs to it.
        if bytes.get(e) == Some(&b'.') {
            return (e + 1, Kind::Initial);
        }
        Kind::Initial
    } else if lower == 0 {
        Kind::Upper
    } else {
        Kind::Cap
    };
    (e, kind)
}

/// "al-Tikriti", "el-Sayed", "d'Angelo": a lower-case particle joined to a capitalised
/// name is written like a name.
fn particle_prefixed(word: &str) -> bool {
    // Every particle starts with one of these letters: most words are rejected unread.
    if !matches!(word.as_bytes().first(), Some(b'a' | b'e' | b'b' | b'd')) {
        return false;
    }
    [
        "al-",
        "el-",
        "ad-",
        "as-",
        "ash-",
        "at-",
        "bin-",
        "d'",
        "d\u{2019}",
    ]
    .iter()
    .any(|p| {
        word.strip_prefix(p)
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_uppercase)
    })
}

/// Combining marks that follow a base letter in decomposed text.
fn unicode_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

#[inline]
fn glued(bytes: &[u8], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).map(|i| bytes[i]);
    let after = bytes.get(end).copied();
    let after2 = bytes.get(end + 1).copied();
    matches!(
        before,
        Some(b'@' | b'/' | b'\\' | b'_' | b'.' | b'#' | b'&' | b'?' | b'%' | b'+' | b'~' | b'<')
    ) || matches!(after, Some(b'@' | b'_' | b'/' | b'\\' | b'='))
        || (matches!(after, Some(b'.' | b':')) && after2.is_some_and(|b| b.is_ascii_alphanumeric()))
}

/// Turkish case endings written after a proper noun's apostrophe ("Ankara'dan",
/// "İstanbul'da", "Ayşe'nin").
const TURKISH_ENDINGS: &[&str] = &[
    "da", "de", "ta", "te", "dan", "den", "tan", "ten", "a", "e", "ya", "ye", "yı", "yi", "yu",
    "yü", "nın", "nin", "nun", "nün", "ın", "in", "un", "ün", "ı", "i", "u", "ü", "la", "le",
    "yla", "yle", "daki", "deki", "taki", "teki",
];

fn strip_possessive(text: &str, start: usize, end: usize) -> usize {
    let w = &text[start..end];
    // The endings are at most four letters: only the word's last bytes are searched.
    let tail_from = w.len().saturating_sub(10);
    if let Some(k) = w.as_bytes()[tail_from..].iter().rposition(|&b| b == b'\'')
        && tail_from + k >= 3
        && w.starts_with(|c: char| c.is_uppercase())
        && TURKISH_ENDINGS.contains(&&w[tail_from + k + 1..])
    {
        return start + tail_from + k;
    }
    if !w.ends_with('s') && !w.ends_with('S') {
        return end;
    }
    for suffix in ["'s", "\u{2019}s", "'S"] {
        if w.len() > suffix.len() + 1 && w.ends_with(suffix) {
            return end - suffix.len();
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<(&str, Kind)> {
        let mut out = Vec::new();
        tokenize(text, &mut out);
        out.iter()
            .map(|t| (&text[t.start..t.end], t.kind))
            .collect()
    }

    proptest::proptest! {
        /// Where the one-pass reading of an ASCII word answers, it is what the general
        /// reading gives, with nothing to strip.
        #[test]
        fn ascii_words_read_as_the_general_way_reads_them(
            text in "[a-zA-Z0-9][a-zA-Z0-9 .,'/\\-@_é’]{0,12}",
            limit_cut in 0usize..3,
        ) {
            let limit = text.len().saturating_sub(limit_cut).max(1);
            if let Some((end, kind)) = ascii_word(text.as_bytes(), limit, 0) {
                let (word_end, word_kind) = word(&text, 0);
                proptest::prop_assert_eq!((end, kind), (word_end, word_kind));
                proptest::prop_assert_eq!(strip_possessive(&text, 0, end), end);
            }
        }
    }

    #[test]
    fn words_initials_numbers_and_punctuation() {
        assert_eq!(
            toks("Adrian D. Mccullough, 39/2362 NSW"),
            vec![
                ("Adrian", Kind::Cap),
                ("D.", Kind::Initial),
                ("Mccullough", Kind::Cap),
                (",", Kind::Punct(',')),
                ("39/2362", Kind::Number),
                ("NSW", Kind::Upper),
            ]
        );
    }

    #[test]
    fn turkish_case_endings_are_outside_the_name() {
        assert_eq!(toks("Ankara'dan")[0], ("Ankara", Kind::Cap));
        assert_eq!(toks("Ayşe'nin")[0], ("Ayşe", Kind::Cap));
        assert_eq!(toks("O'Brien")[0], ("O'Brien", Kind::Cap));
        assert_eq!(toks("Ma'am")[0], ("Ma'am", Kind::Cap));
    }

    #[test]
    fn joiners_diacritics_possessives_and_cjk() {
        assert_eq!(
            toks("O'Brien's Jean-Luc Þórunn 山田太郎"),
            vec![
                ("O'Brien", Kind::Cap),
                ("Jean-Luc", Kind::Cap),
                ("Þórunn", Kind::Cap),
                ("山田太郎", Kind::Cjk),
            ]
        );
    }

    #[test]
    fn gaps_and_glued_words() {
        let mut out = Vec::new();
        tokenize("a b\nc\n\nd jane@Example.com", &mut out);
        let gaps: Vec<_> = out.iter().map(|t| t.gap).collect();
        assert_eq!(
            &gaps[..4],
            &[Gap::None, Gap::Space, Gap::Line, Gap::Paragraph]
        );
        assert!(out.iter().filter(|t| t.is_word()).skip(4).all(|t| t.glued));
    }
}
