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
    /// ASCII digits only. A value without any ASCII digit falls back to
    /// `CollapseWhitespace`, so that `N/A` and `unknown` do not share a token. Phones
    /// lose their leading `+` too: `+1 555 0100` and `1-555-0100` are one number.
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
            CanonicalForm::Digits => {
                if value.bytes().all(|b| b.is_ascii_digit()) {
                    Cow::Borrowed(value)
                } else if value.bytes().any(|b| b.is_ascii_digit()) {
                    Cow::Owned(value.chars().filter(char::is_ascii_digit).collect())
                } else {
                    collapse_whitespace(value)
                }
            }
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
                    Cow::Owned(
                        value
                            .chars()
                            .filter(|c| !c.is_whitespace())
                            .map(|c| c.to_ascii_uppercase())
                            .collect(),
                    )
                } else {
                    Cow::Borrowed(value)
                }
            }
        }
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
