//! Text from logs and JSON dumps often carries escape sequences as literal characters
//! (`\n`, `\t`, `\"`, `\u00e9`). Read as they are, the letter after the backslash glues onto
//! the next token (`\nanna@example.se` reads as the address `nanna@…`) and hides word
//! boundaries (`\t536-22-1234` is no number at all). Detection therefore scans a copy in
//! which every escape is replaced by ASCII of the same length that reads like the escaped
//! character: whitespace for control characters, a letter run for an escaped letter. Every
//! offset found in the copy is then exact in the original.

use std::borrow::Cow;

/// `text` with its escape sequences neutralised; borrowed when it has no backslash.
pub(crate) fn neutralize_escapes(text: &str) -> Cow<'_, str> {
    // Record values are mostly a few bytes long, where a plain scan beats memchr's setup.
    let has_backslash = if text.len() < 64 {
        text.as_bytes().contains(&b'\\')
    } else {
        memchr::memchr(b'\\', text.as_bytes()).is_some()
    };
    if !has_backslash {
        return Cow::Borrowed(text);
    }
    let mut out = text.as_bytes().to_vec();
    let mut i = 0;
    while i + 1 < out.len() {
        if out[i] != b'\\' {
            i += 1;
            continue;
        }
        i += match out[i + 1] {
            // An escaped backslash: the byte after it starts no escape.
            b'\\' => 2,
            b'n' | b't' | b'r' | b'b' | b'f' | b'0' => {
                out[i..i + 2].fill(b' ');
                2
            }
            b'"' | b'\'' | b'/' => {
                out[i] = b' ';
                2
            }
            b'u' => replace_code_point(&mut out, i, 4),
            b'x' => replace_code_point(&mut out, i, 2),
            _ => 1,
        };
    }
    // Only ASCII bytes were written, each over an ASCII byte, so the copy is still UTF-8
    // with the same char boundaries.
    Cow::Owned(String::from_utf8(out).expect("ASCII replaced ASCII"))
}

/// Replaces `\u` + `hex` hex digits (or `\x`) at `at`; returns the bytes consumed.
fn replace_code_point(out: &mut [u8], at: usize, hex: usize) -> usize {
    let end = at + 2 + hex;
    let Some(digits) = out.get(at + 2..end) else {
        return 1;
    };
    let Some(c) = std::str::from_utf8(digits)
        .ok()
        .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
        .and_then(|d| u32::from_str_radix(d, 16).ok())
        .and_then(char::from_u32)
    else {
        return 1;
    };
    // An escaped letter stays part of its word (`Jos\u00e9`, `\u00e9lise@example.fr`),
    // keeping its case so that capitalised words still read as capitalised.
    let fill = if c.is_uppercase() {
        Some(b'X')
    } else if c.is_alphabetic() {
        Some(b'x')
    } else if c.is_numeric() {
        Some(b'0')
    } else {
        None
    };
    match fill {
        Some(f) => {
            out[at..end].fill(f.to_ascii_lowercase());
            out[at] = f;
        }
        None => out[at..end].fill(b' '),
    }
    end - at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_backslashes_is_borrowed() {
        assert!(matches!(neutralize_escapes("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn control_escapes_become_whitespace() {
        assert_eq!(neutralize_escapes(r"a:\nb\tc\r\nd"), "a:  b  c    d");
        assert_eq!(neutralize_escapes(r#"say \"hi\""#), r#"say  "hi ""#);
    }

    #[test]
    fn escaped_letters_stay_letters_of_the_same_case() {
        assert_eq!(
            neutralize_escapes(r"Jos\u00e9 \u00c9lise"),
            "Josxxxxxx Xxxxxxlise"
        );
        assert_eq!(neutralize_escapes(r"caf\xe9"), "cafxxxx");
        assert_eq!(
            neutralize_escapes(r"\u2014"),
            "      ",
            "a dash is not a letter"
        );
    }

    #[test]
    fn escaped_backslashes_and_broken_escapes_are_kept() {
        assert_eq!(neutralize_escapes(r"C:\\new"), r"C:\\new");
        assert_eq!(neutralize_escapes(r"\u00zz \q end\"), r"\u00zz \q end\");
        assert_eq!(neutralize_escapes(r"\u00"), r"\u00");
    }

    #[test]
    fn lengths_and_boundaries_never_change() {
        for s in [r"é\nü\u00e9中\t", "\\", r"\u{1F600}", r"\xZZ😀\x41"] {
            let n = neutralize_escapes(s);
            assert_eq!(n.len(), s.len(), "{s:?}");
            assert!((0..=s.len()).all(|i| s.is_char_boundary(i) == n.is_char_boundary(i)));
        }
    }
}
