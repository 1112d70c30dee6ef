//! Canonical forms: the spelling of a value that its token is computed from, so that
//! `4111 1111 1111 1111` and `4111-1111-1111-1111` join to the same token.
//!
//! Case folding is ASCII-only on purpose: Unicode case tables change between Unicode
//! versions (and so between Rust releases), and a token must never change because the
//! toolchain did.

use std::borrow::Cow;
use std::collections::BTreeMap;

use detect::EntityType;
use serde::{Deserialize, Serialize};

/// How one entity type is spelled before hashing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CanonicalForm {
    /// The value exactly as given.
    Exact,
    /// Trimmed, every run of whitespace collapsed to one space.
    CollapseWhitespace,
    /// ASCII digits only, for values made of digits and separators: whitespace, `-`, `.`,
    /// `/`, `(`, `)`, and one leading `+` (so `+1 555 0100` and `1-555-0100` are one
    /// number). Any other character (a letter, `#`, a non-ASCII digit) makes the value
    /// not canonicalizable as digits, and so does the absence of any digit: such a value
    /// falls back to `CollapseWhitespace`, whose spelling always keeps that character (or
    /// has no digit), so it can never share a token with a digits-only spelling. Only
    /// spellings of the same whole-field value join: `555-0100 x12` and `5550100 12` do
    /// not, and `N/A` and `unknown` do not either.
    Digits,
    /// Trimmed, ASCII lowercase (emails).
    LowerTrim,
    /// Whitespace removed, ASCII uppercase (IBAN, NINO, VIN, SWIFT, PAN).
    UpperCompact,
}

impl CanonicalForm {
    /// The canonical spelling of `value`; borrowed when it is already canonical.
    pub fn apply(self, value: &str) -> Cow<'_, str> {
        match self {
            CanonicalForm::Exact => Cow::Borrowed(value),
            CanonicalForm::CollapseWhitespace => collapse_whitespace(value),
            CanonicalForm::Digits => digits(value),
            CanonicalForm::LowerTrim => {
                let t = value.trim();
                if t.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(t.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(t)
                }
            }
            CanonicalForm::UpperCompact => {
                if value
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_ascii_lowercase())
                {
                    let mut out = String::with_capacity(value.len());
                    out.extend(
                        value
                            .chars()
                            .filter(|c| !c.is_whitespace())
                            .map(|c| c.to_ascii_uppercase()),
                    );
                    Cow::Owned(out)
                } else {
                    Cow::Borrowed(value)
                }
            }
        }
    }
}

/// See [`CanonicalForm::Digits`].
fn digits(value: &str) -> Cow<'_, str> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Cow::Borrowed(value);
    }
    let body = value.trim();
    let body = body.strip_prefix('+').unwrap_or(body);
    let is_separator = |c: char| c.is_whitespace() || matches!(c, '-' | '.' | '/' | '(' | ')');
    let digits_and_separators = body.chars().all(|c| c.is_ascii_digit() || is_separator(c));
    if digits_and_separators && body.bytes().any(|b| b.is_ascii_digit()) {
        // Sized up front: collected char by char, the string grew (and was copied) a
        // few times for every phone number tokenized.
        let mut out = String::with_capacity(body.len());
        out.extend(body.chars().filter(char::is_ascii_digit));
        Cow::Owned(out)
    } else {
        collapse_whitespace(value)
    }
}

fn collapse_whitespace(value: &str) -> Cow<'_, str> {
    let t = value.trim();
    // Fast path: already canonical when no whitespace other than single spaces remains.
    let mut prev_space = false;
    let canonical = t.chars().all(|c| {
        let ok = if c == ' ' {
            !prev_space
        } else {
            !c.is_whitespace()
        };
        prev_space = c == ' ';
        ok
    });
    if canonical {
        return Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    for (i, word) in t.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

/// Canonical form per entity type. Configuration is data: it (de)serializes as
/// `{"default": "collapse_whitespace", "overrides": {"PHONE": "digits", ...}}`.
///
/// Changing a form changes the tokens of that type, and makes values already in a
/// vault compare differently in the collision check; treat it like a token key rotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CanonicalForms {
    pub default: CanonicalForm,
    #[serde(default)]
    pub overrides: BTreeMap<EntityType, CanonicalForm>,
}

impl Default for CanonicalForms {
    fn default() -> Self {
        use CanonicalForm::*;
        use EntityType::*;
        let overrides = [
            (CreditDebitNumber, Digits),
            (Phone, Digits),
            (Ssn, Digits),
            (BankRouting, Digits),
            (CaSocialInsuranceNumber, Digits),
            (InAadhaar, Digits),
            (UkNationalHealthServiceNumber, Digits),
            (Email, LowerTrim),
            (InternationalBankAccountNumber, UpperCompact),
            (UkNationalInsuranceNumber, UpperCompact),
            (VehicleIdentificationNumber, UpperCompact),
            (SwiftCode, UpperCompact),
            (InPermanentAccountNumber, UpperCompact),
        ]
        .into_iter()
        .collect();
        Self {
            default: CollapseWhitespace,
            overrides,
        }
    }
}

impl CanonicalForms {
    /// Every type spelled exactly as given.
    pub fn exact() -> Self {
        Self {
            default: CanonicalForm::Exact,
            overrides: BTreeMap::new(),
        }
    }

    pub fn with(mut self, t: EntityType, form: CanonicalForm) -> Self {
        self.overrides.insert(t, form);
        self
    }

    pub fn form(&self, t: EntityType) -> CanonicalForm {
        self.overrides.get(&t).copied().unwrap_or(self.default)
    }

    pub fn canonical<'a>(&self, t: EntityType, value: &'a str) -> Cow<'a, str> {
        self.form(t).apply(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityType::*;

    #[test]
    fn cards_phones_and_ssns_keep_only_digits() {
        let f = CanonicalForms::default();
        assert_eq!(
            f.canonical(CreditDebitNumber, "4111-1111 1111.1111"),
            "4111111111111111"
        );
        assert_eq!(f.canonical(Phone, "+1 (555) 010-0199"), "15550100199");
        assert_eq!(f.canonical(Ssn, "123-45-6789"), "123456789");
        assert_eq!(
            f.canonical(UkNationalHealthServiceNumber, "943 476 5919"),
            "9434765919"
        );
    }

    #[test]
    fn digit_forms_keep_letters_and_other_marks_so_whole_values_never_join() {
        let f = CanonicalForms::default();
        // Each pair differed only in a non-separator; dropping it made one token of two.
        for (a, b) in [
            ("555-0100 x12", "555-0100 12"),
            ("4111 1111 1111 1111 A", "4111 1111 1111 1111"),
            ("123-45-6789 (old)", "123-45-6789"),
            ("#5550100", "5550100"),
            ("555\u{0663}0100", "5550100"),
            ("1+5550100", "15550100"),
        ] {
            assert_ne!(
                f.canonical(Phone, a),
                f.canonical(Phone, b),
                "{a:?} vs {b:?}"
            );
        }
        // Not canonicalizable as digits: the whole value, whitespace collapsed.
        assert_eq!(f.canonical(Phone, " 555-0100  x12 "), "555-0100 x12");
        assert_eq!(f.canonical(Ssn, "123-45-6789 (old)"), "123-45-6789 (old)");
        // Separators alone (with one leading +) still join.
        assert_eq!(f.canonical(Phone, " +1 (555) 010/0199. "), "15550100199");
        assert_eq!(f.canonical(Ssn, "123.45.6789"), "123456789");
    }

    proptest::proptest! {
        /// A digits-only canonical spelling comes only from digits and separators, so no
        /// value holding any other character shares it.
        #[test]
        fn digit_spellings_never_come_from_values_with_other_characters(
            value in "[0-9a-z +().#/-]{0,12}",
        ) {
            let canonical = CanonicalForm::Digits.apply(&value);
            let other = value
                .trim()
                .trim_start_matches('+')
                .chars()
                .any(|c| !(c.is_ascii_digit() || " -./()".contains(c)));
            let all_digits = !canonical.is_empty() && canonical.bytes().all(|b| b.is_ascii_digit());
            proptest::prop_assert!(!(other && all_digits), "{value:?} -> {canonical:?}");
        }
    }

    #[test]
    fn digit_forms_without_digits_do_not_all_collapse_to_empty() {
        let f = CanonicalForms::default();
        assert_eq!(f.canonical(Phone, "  n/a  "), "n/a");
        assert_ne!(f.canonical(Phone, "unknown"), f.canonical(Phone, "n/a"));
    }

    #[test]
    fn emails_are_trimmed_and_ascii_lowercased() {
        let f = CanonicalForms::default();
        assert_eq!(
            f.canonical(Email, "  Jane.Doe@Example.COM "),
            "jane.doe@example.com"
        );
        // Non-ASCII letters are left alone: Unicode case tables may change.
        assert_eq!(f.canonical(Email, "ÉLODIE@X.fr"), "Élodie@x.fr");
    }

    #[test]
    fn identifiers_are_uppercased_without_spaces() {
        let f = CanonicalForms::default();
        assert_eq!(
            f.canonical(
                InternationalBankAccountNumber,
                "gb82 west 1234 5698 7654 32"
            ),
            "GB82WEST12345698765432"
        );
        assert_eq!(
            f.canonical(UkNationalInsuranceNumber, "qq 12 34 56 c"),
            "QQ123456C"
        );
        assert_eq!(f.canonical(SwiftCode, "deutdeff"), "DEUTDEFF");
    }

    #[test]
    fn other_types_are_trimmed_and_whitespace_collapsed() {
        let f = CanonicalForms::default();
        assert_eq!(f.canonical(Name, "  Jane \t\n Doe "), "Jane Doe");
        assert_eq!(f.canonical(Address, "1 Main St"), "1 Main St");
        assert!(matches!(f.canonical(Name, "Jane Doe"), Cow::Borrowed(_)));
        assert_eq!(f.canonical(Name, "Jane\u{a0}Doe"), "Jane Doe");
    }

    #[test]
    fn forms_are_configurable_and_serializable() {
        let f = CanonicalForms::default().with(Phone, CanonicalForm::Exact);
        assert_eq!(f.canonical(Phone, " +1 555 "), " +1 555 ");
        let json = serde_json::to_string(&f).unwrap();
        assert!(json.contains("\"PHONE\":\"exact\""), "{json}");
        let back: CanonicalForms = serde_json::from_str(&json).unwrap();
        assert_eq!(back, f);
        assert_eq!(CanonicalForms::exact().canonical(Email, " A@B "), " A@B ");
    }
}
