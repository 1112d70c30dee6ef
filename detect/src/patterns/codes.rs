//! Classifiers for upper-case alphanumeric codes: IBAN, VIN, PAN, SWIFT/BIC, AWS keys,
//! UK National Insurance numbers and postcodes, and context-only passport/licence numbers.

use super::{Candidate, national, next_byte};
use crate::EntityType;
use crate::validators::{
    iban_length, iban_valid, is_country_code, nino_valid, pan_valid, vin_valid,
};

/// `GB82 WEST 1234 5698 7654 32`: the registry length of the country says where the IBAN
/// ends, so a following upper-case word swallowed by the regex is cut off again.
pub(super) fn iban_spaced(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let b = &text.as_bytes()[start..end];
    let Some(want) = iban_length(&b[..2]) else {
        return;
    };
    let mut compact = [0u8; 34];
    let mut n = 0;
    let mut cut = None;
    for (i, &c) in b.iter().enumerate() {
        if c == b' ' {
            continue;
        }
        compact[n] = c;
        n += 1;
        if n == want {
            cut = Some(start + i + 1);
            break;
        }
    }
    // The IBAN must end at a group boundary, not inside the next group.
    let Some(cut) = cut else { return };
    if next_byte(text, cut).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return;
    }
    let iban = EntityType::InternationalBankAccountNumber;
    if iban_valid(&compact[..n]) {
        out.push(Candidate::validated(iban, start, cut));
    } else {
        // A country's code, its registry length and groups of four with one character
        // mistyped: still someone's account, and nothing else is written so.
        out.push(Candidate::scored(iban, start, cut, MISTYPED_IBAN));
    }
}

/// The score of a spaced IBAN whose check digits fail.
const MISTYPED_IBAN: f32 = 0.6;

pub(super) fn nino(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let mut compact = [0u8; 9];
    let mut n = 0;
    for &c in &text.as_bytes()[start..end] {
        if c != b' ' {
            if n == 9 {
                return;
            }
            compact[n] = c;
            n += 1;
        }
    }
    if nino_valid(&compact[..n]) {
        out.push(Candidate::scored(
            EntityType::UkNationalInsuranceNumber,
            start,
            end,
            0.6,
        ));
    }
}

/// UK postcodes look like many product codes; they count only next to "postcode", "address"…
pub(super) fn uk_postcode(_text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    out.push(Candidate::scored(EntityType::Address, start, end, 0.3));
}

/// 40 characters of the base64 alphabet with upper, lower and digits: the shape of an AWS
/// secret access key, but also of many hashes and tokens, so it needs context.
pub(super) fn aws_secret(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    if next_byte(text, end)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'+' | b'='))
    {
        return;
    }
    let s = &text.as_bytes()[start..end];
    let upper = s.iter().any(u8::is_ascii_uppercase);
    let lower = s.iter().any(u8::is_ascii_lowercase);
    let digit = s.iter().any(u8::is_ascii_digit);
    if upper && lower && digit {
        out.push(Candidate::scored(EntityType::AwsSecretKey, start, end, 0.2));
    }
}

/// An upper-case word with at least eight characters, or digits followed by letters.
pub(super) fn alnum_token(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let s = &text.as_bytes()[start..end];
    let len = s.len();
    let has_digit = s.iter().any(u8::is_ascii_digit);
    let has_letter = s.iter().any(u8::is_ascii_uppercase);
    let scored = |t, base| Candidate::scored(t, start, end, base);

    if len == 20 && (s.starts_with(b"AKIA") || s.starts_with(b"ASIA")) {
        out.push(scored(EntityType::AwsAccessKey, 0.9));
        return;
    }
    if (15..=34).contains(&len) && iban_valid(s) {
        out.push(Candidate::validated(
            EntityType::InternationalBankAccountNumber,
            start,
            end,
        ));
        return;
    }
    if len == 17 && has_digit && has_letter && vin_valid(s) {
        out.push(Candidate::validated(
            EntityType::VehicleIdentificationNumber,
            start,
            end,
        ));
        return;
    }
    if has_digit {
        national::token(text, start, end, out);
    }
    if pan_valid(s) {
        out.push(scored(EntityType::InPermanentAccountNumber, 0.6));
    }
    if (len == 8 || len == 11)
        && s[..6].iter().all(u8::is_ascii_uppercase)
        && is_country_code(&s[4..6])
    {
        // Eight capital letters are also just a shouted word; a digit in the location or
        // branch code is what real BICs usually have and words never do.
        let base = if s[6..].iter().any(u8::is_ascii_digit) {
            0.5
        } else {
            0.3
        };
        out.push(scored(EntityType::SwiftCode, base));
    }
    if has_digit && (6..=9).contains(&len) {
        out.push(scored(EntityType::PassportNumber, 0.2));
    }
    if has_digit && (5..=16).contains(&len) {
        out.push(scored(EntityType::DriverId, 0.2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(
        f: fn(&str, usize, usize, &mut Vec<Candidate>),
        s: &str,
    ) -> Vec<(EntityType, String, bool)> {
        let mut out = Vec::new();
        f(s, 0, s.len(), &mut out);
        out.iter()
            .map(|c| (c.entity_type, s[c.start..c.end].to_string(), c.validated))
            .collect()
    }

    #[test]
    fn spaced_iban_is_cut_at_registry_length() {
        let t = types(iban_spaced, "GB82 WEST 1234 5698 7654 32");
        assert_eq!(
            t,
            vec![(
                EntityType::InternationalBankAccountNumber,
                "GB82 WEST 1234 5698 7654 32".into(),
                true
            )]
        );
        assert_eq!(
            types(iban_spaced, "GB82 WEST 1234 5698 7654 33"),
            vec![(
                EntityType::InternationalBankAccountNumber,
                "GB82 WEST 1234 5698 7654 33".into(),
                false
            )]
        );
        assert!(types(iban_spaced, "GB82 WEST 1234 5698 7654 3").is_empty());
        assert!(types(iban_spaced, "ZZ82 WEST 1234 5698 7654 33").is_empty());
    }

    #[test]
    fn alnum_tokens() {
        assert_eq!(
            types(alnum_token, "GB82WEST12345698765432")[0].0,
            EntityType::InternationalBankAccountNumber
        );
        assert_eq!(
            types(alnum_token, "1M8GDM9AXKP042788")[0].0,
            EntityType::VehicleIdentificationNumber
        );
        assert_eq!(
            types(alnum_token, "AKIAIOSFODNN7EXAMPLE")[0].0,
            EntityType::AwsAccessKey
        );
        assert_eq!(
            types(alnum_token, "ABCPE1234F")[0].0,
            EntityType::InPermanentAccountNumber
        );
        let swift = types(alnum_token, "DEUTDEFF500");
        assert_eq!(swift[0].0, EntityType::SwiftCode);
        // A shouted word: SWIFT-shaped with a valid country, but only a weak reading.
        let shout = types(alnum_token, "CUSTOMER");
        assert!(
            shout
                .iter()
                .all(|(t, _, v)| *t == EntityType::SwiftCode && !v)
        );
        assert!(types(alnum_token, "IMPORTANT").is_empty());
    }

    #[test]
    fn nino_prefix_rules() {
        assert!(!types(nino, "AB 12 34 56 C").is_empty());
        assert!(types(nino, "GB 12 34 56 C").is_empty());
    }

    #[test]
    fn aws_secret_needs_mixed_alphabet() {
        let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert_eq!(key.len(), 40);
        assert!(!types(aws_secret, key).is_empty());
        assert!(types(aws_secret, &"a".repeat(40)).is_empty());
    }
}
