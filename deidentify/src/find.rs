//! Finding tokens in free text with one regex over all 36 type names.

use std::sync::LazyLock;

use detect::EntityType;
use regex_automata::meta::Regex;

use crate::token::TOKEN_DIGEST_CHARS;

/// A token found in a text; `start..end` are byte offsets on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundToken<'a> {
    pub start: usize,
    pub end: usize,
    pub token: &'a str,
    pub entity_type: EntityType,
}

/// `(?-u:\b)(?:NAME|...)_[A-Z2-7]{32}(?-u:\b)`.
///
/// Word boundaries are ASCII on purpose: a token pasted between CJK characters
/// (`联系NAME_…电话`) must still be found, which Unicode `\b` would refuse; `_` and ASCII
/// letters and digits count as word characters, so `XEMAIL_…`, `USERNAME_…` read as
/// NAME, or a 33rd base32 character never match. Names are tried longest first; since
/// the digest alphabet has no `_`, no name can also match as the tail of another one.
static TOKEN_REGEX: LazyLock<Regex> = LazyLock::new(|| {
    let mut names: Vec<&str> = EntityType::ALL.iter().map(|t| t.as_str()).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let pattern = format!(
        r"(?-u:\b)(?:{})_[A-Z2-7]{{{TOKEN_DIGEST_CHARS}}}(?-u:\b)",
        names.join("|")
    );
    Regex::new(&pattern).expect("token regex is valid")
});

/// Every token in `text`, in order of position.
pub fn find_tokens(text: &str) -> Vec<FoundToken<'_>> {
    TOKEN_REGEX
        .find_iter(text)
        .map(|m| {
            let token = &text[m.range()];
            let name = &token[..token.len() - TOKEN_DIGEST_CHARS - 1];
            let entity_type = name
                .parse()
                .expect("the regex only matches known type names");
            FoundToken {
                start: m.start(),
                end: m.end(),
                token,
                entity_type,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(t: EntityType) -> String {
        format!("{}_{}", t.as_str(), "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    }

    #[test]
    fn finds_every_type_with_offsets() {
        for &t in EntityType::ALL {
            let token = tok(t);
            let text = format!("x {token}, y");
            let found = find_tokens(&text);
            assert_eq!(found.len(), 1, "{t}");
            assert_eq!(found[0].entity_type, t);
            assert_eq!((found[0].start, found[0].end), (2, 2 + token.len()));
            assert_eq!(found[0].token, token);
        }
    }

    #[test]
    fn longer_names_are_not_misread_as_shorter_ones() {
        let token = tok(EntityType::CreditDebitNumber);
        let found = find_tokens(&token);
        assert_eq!(found[0].entity_type, EntityType::CreditDebitNumber);
        assert_eq!(found[0].start, 0);
        // USERNAME contains NAME; UK_NATIONAL_… contains NATIONAL_….
        let username = tok(EntityType::Username);
        let found = find_tokens(&username);
        assert_eq!(found[0].entity_type, EntityType::Username);
    }

    #[test]
    fn needs_ascii_word_boundaries_but_not_unicode_ones() {
        let t = tok(EntityType::Name);
        assert!(find_tokens(&format!("X{t}")).is_empty());
        assert!(find_tokens(&format!("{t}2")).is_empty());
        assert!(find_tokens(&format!("_{t}")).is_empty());
        assert!(find_tokens(&format!("{t}_")).is_empty());
        assert!(find_tokens(&t[..t.len() - 1]).is_empty());
        let text = format!("联系{t}电话");
        let found = find_tokens(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], t);
    }

    #[test]
    fn finds_several_and_ignores_lookalikes() {
        let a = tok(EntityType::Email);
        let b = tok(EntityType::Ssn);
        let text = format!("{a} and ({b}); EMAILS_{} SSN_abc", &a[6..]);
        let found: Vec<_> = find_tokens(&text).iter().map(|f| f.token).collect();
        assert_eq!(found, [a.as_str(), b.as_str()]);
    }
}
