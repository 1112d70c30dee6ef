use serde::{Deserialize, Serialize};

use crate::validators::{aba_valid, iban_valid, luhn_valid, verhoeff_valid};

/// A checksum a custom recognizer's values must pass. The digit checksums (luhn, mod11,
/// verhoeff, aba) read the value's digits only, so separators and a letter prefix
/// (`M-943 476 5919`) do not matter; mod97 and iban read its letters and digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Validator {
    /// Luhn mod 10 (cards, Canadian SIN, IMEI): digits only.
    Luhn,
    /// ISO 7064 MOD 97-10 over the value as written (letters count 10..35): the remainder
    /// is 1, as in LEI codes and Belgian structured references.
    Mod97,
    /// An IBAN: registry length per country and MOD 97-10 after moving the first four
    /// characters to the end.
    Iban,
    /// Weighted mod 11, weights 2, 3, 4, … from the right of the payload; the last digit
    /// is 11 − (sum mod 11), 11 written as 0 (10 is never issued). As in NHS numbers.
    Mod11,
    /// Verhoeff's dihedral check digit (Aadhaar): digits only.
    Verhoeff,
    /// ABA routing number checksum (weights 3, 7, 1): nine digits.
    Aba,
}

impl Validator {
    pub const NAMES: &'static [&'static str] =
        &["luhn", "mod97", "iban", "mod11", "verhoeff", "aba"];

    /// Whether `value` passes.
    pub fn check(self, value: &str) -> bool {
        let keep = |f: fn(&u8) -> bool| -> Vec<u8> {
            value
                .bytes()
                .filter(f)
                .map(|b| b.to_ascii_uppercase())
                .collect()
        };
        match self {
            Validator::Luhn => luhn_valid(&keep(u8::is_ascii_digit)),
            Validator::Mod97 => mod97_valid(&keep(u8::is_ascii_alphanumeric)),
            Validator::Iban => iban_valid(&keep(u8::is_ascii_alphanumeric)),
            Validator::Mod11 => mod11_valid(&keep(u8::is_ascii_digit)),
            Validator::Verhoeff => verhoeff_valid(&keep(u8::is_ascii_digit)),
            Validator::Aba => aba_valid(&keep(u8::is_ascii_digit)),
        }
    }
}

fn mod97_valid(value: &[u8]) -> bool {
    if value.len() < 3 {
        return false;
    }
    let mut rem = 0u32;
    for &b in value {
        rem = match b {
            b'0'..=b'9' => (rem * 10 + u32::from(b - b'0')) % 97,
            b'A'..=b'Z' => (rem * 100 + u32::from(b - b'A') + 10) % 97,
            _ => return false,
        };
    }
    rem == 1
}

fn mod11_valid(digits: &[u8]) -> bool {
    let Some((&check, payload)) = digits.split_last() else {
        return false;
    };
    if payload.is_empty() {
        return false;
    }
    let sum: u32 = payload
        .iter()
        .rev()
        .zip(2u32..)
        .map(|(&b, w)| u32::from(b - b'0') * w)
        .sum();
    match 11 - sum % 11 {
        11 => check == b'0',
        10 => false,
        c => u32::from(check - b'0') == c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_validator_passes_a_known_value_and_fails_a_changed_digit() {
        let cases = [
            (
                Validator::Luhn,
                "4111-1111-1111-1111",
                "4111-1111-1111-1112",
            ),
            // An LEI (ISO 17442) is MOD 97-10 over the whole code.
            (
                Validator::Mod97,
                "5493001KJTIIGC8Y1R12",
                "5493001KJTIIGC8Y1R13",
            ),
            (
                Validator::Iban,
                "GB82 WEST 1234 5698 7654 32",
                "GB82 WEST 1234 5698 7654 33",
            ),
            (Validator::Mod11, "943 476 5919", "943 476 5918"),
            (Validator::Verhoeff, "12345-1", "12345-2"),
            (Validator::Aba, "011000015", "011000016"),
        ];
        for (v, good, bad) in cases {
            assert!(v.check(good), "{v:?} {good}");
            assert!(!v.check(bad), "{v:?} {bad}");
        }
    }

    #[test]
    fn digit_checksums_read_the_digits_only_and_refuse_empty_values() {
        assert!(Validator::Mod11.check("M-943 476 5919"));
        assert!(!Validator::Luhn.check("card"));
        assert!(!Validator::Mod11.check(""));
        assert!(!Validator::Mod11.check("5"));
        assert!(!Validator::Mod97.check("1"));
    }

    #[test]
    fn names_deserialize_and_unknown_ones_do_not() {
        for name in Validator::NAMES {
            let v: Validator = serde_json::from_str(&format!("\"{name}\"")).unwrap();
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{name}\""));
        }
        assert!(serde_json::from_str::<Validator>("\"crc32\"").is_err());
    }
}
