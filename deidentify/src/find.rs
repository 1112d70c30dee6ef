//! Finding tokens in free text with one regex over every type name's shape.

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

/// `(?-u:\b)NAME_[A-Z2-7]{32}(?-u:\b)`, where NAME is any upper-case name of words joined
/// by `_`; a match counts when its name is a built-in type or a custom type this process
/// knows (a policy declaring it was loaded). Unknown names are not interned, so text
/// cannot grow the registry of custom types.
///
/// Word boundaries are ASCII on purpose: a token pasted between CJK characters
/// (`联系NAME_…电话`) must still be found, which Unicode `\b` would refuse; `_` and ASCII
/// letters and digits count as word characters, so `XEMAIL_…`, `USERNAME_…` read as
/// NAME, or a 33rd base32 character never match. Since the digest alphabet has no `_`,
/// the name ends at the last `_` before the digest.
static TOKEN_REGEX: LazyLock<Regex> = LazyLock::new(|| {
    let pattern =
        format!(r"(?-u:\b)[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_[A-Z2-7]{{{TOKEN_DIGEST_CHARS}}}(?-u:\b)");
    Regex::new(&pattern).expect("token regex is valid")
});

/// Every token in `text`, in order of position.
pub fn find_tokens(text: &str) -> Vec<FoundToken<'_>> {
    TOKEN_REGEX
        .find_iter(text)
        .filter_map(|m| {
            let token = &text[m.range()];
            let name = &token[..token.len() - TOKEN_DIGEST_CHARS - 1];
            Some(FoundToken {
                start: m.start(),
                end: m.end(),
                token,
                entity_type: EntityType::known(name)?,
            })
        })
        .collect()
}

/// Every span shaped like a token, whatever its type name: a custom type's token from a
/// policy this process never loaded is still found, and the vault decides whether it is
/// one. Byte offsets on char boundaries, in order.
pub fn token_spans(text: &str) -> Vec<(usize, usize)> {
    TOKEN_REGEX
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
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
    fn finds_custom_types_this_process_knows_only() {
        let employee = EntityType::custom("EMPLOYEE_ID").unwrap();
        let token = tok(employee);
        let text = format!("see {token}.");
        let found = find_tokens(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].entity_type, employee);
        assert_eq!(found[0].token, token);
        let unknown = format!("{}_{}", "NEVER_DECLARED_TYPE", &token[token.len() - 32..]);
        assert!(find_tokens(&unknown).is_empty());
        assert!(
            EntityType::known("NEVER_DECLARED_TYPE").is_none(),
            "not interned"
        );
        let text = format!("a {unknown} b");
        assert_eq!(token_spans(&text), [(2, 2 + unknown.len())]);
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
