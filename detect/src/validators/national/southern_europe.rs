//! Spain's DNI and NIE, Portugal's NIF and Italy's codice fiscale.

use super::{digits, weighted};
use crate::validators::{date_exists, digit};

/// Spanish DNI (`12345678Z`) or NIE (`X1234567L`, X/Y/Z standing for 0/1/2): the letter
/// is the number mod 23 looked up in `TRWAGMYFPDXBNJZSQVHLCKE`.
pub fn es_dni_valid(s: &[u8]) -> bool {
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    if s.len() != 9 {
        return false;
    }
    let lead = match s[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        c => match digit(c) {
            Some(d) => d,
            None => return false,
        },
    };
    let Some(rest) = digits::<7>(&s[1..8]) else {
        return false;
    };
    let n = rest.iter().fold(lead, |acc, d| acc * 10 + d);
    LETTERS[(n % 23) as usize] == s[8]
}

/// Portuguese NIF of a person: nine digits starting 1, 2 or 3 (or 45, non-residents);
/// the last is 11 − (Σ dᵢ·(9 − i) mod 11), 0 where that is 10 or 11.
pub fn pt_nif_valid(d: &[u8]) -> bool {
    let Some(v) = digits::<9>(d) else {
        return false;
    };
    let person = matches!(v[0], 1..=3) || (v[0] == 4 && v[1] == 5);
    if !person {
        return false;
    }
    let r = weighted(&v[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) % 11;
    (if r < 2 { 0 } else { 11 - r }) == v[8]
}

/// Italian codice fiscale, `RSSMRA85T10A562S`: six letters of the names, the year, a
/// month letter, the day (plus 40 for women), the place of birth (a letter and three
/// digits) and a check letter. Where two people would share a code, digits are replaced
/// by the letters `LMNPQRSTUV` (omocodia). The check letter is the sum of the values of
/// the characters at odd positions (a fixed table) and at even ones (0–9, A–Z as 0–25)
/// mod 26.
pub fn it_codice_fiscale_valid(s: &[u8]) -> bool {
    const MONTHS: &[u8; 12] = b"ABCDEHLMPRST";
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    if s.len() != 16
        || !s[..6].iter().all(u8::is_ascii_uppercase)
        || !s[11].is_ascii_uppercase()
        || !s[15].is_ascii_uppercase()
    {
        return false;
    }
    // Digits, or their omocodia letters.
    let number = |i: usize| match s[i] {
        c @ b'0'..=b'9' => Some(u32::from(c - b'0')),
        c => b"LMNPQRSTUV".iter().position(|&l| l == c).map(|p| p as u32),
    };
    let [Some(y1), Some(y2), Some(d1), Some(d2)] = [6, 7, 9, 10].map(number) else {
        return false;
    };
    if ![12, 13, 14].iter().all(|&i| number(i).is_some()) {
        return false;
    }
    let Some(month) = MONTHS.iter().position(|&m| m == s[8]) else {
        return false;
    };
    let mut day = d1 * 10 + d2;
    if day > 40 {
        day -= 40;
    }
    // Any century: only 29 February needs a leap year, and 2000 is one.
    if !date_exists(2000 + y1 * 10 + y2, month as u32 + 1, day) {
        return false;
    }
    let sum: u32 = s[..15]
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let k = if c.is_ascii_digit() {
                c - b'0'
            } else {
                c - b'A'
            };
            if i % 2 == 0 {
                ODD[usize::from(k)]
            } else {
                u32::from(k)
            }
        })
        .sum();
    u32::from(s[15] - b'A') == sum % 26
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dni_and_nie() {
        assert!(es_dni_valid(b"12345678Z"));
        assert!(es_dni_valid(b"X1234567L"));
        assert!(es_dni_valid(b"Y1234567X"));
        assert!(!es_dni_valid(b"12345678A"), "letter");
        assert!(!es_dni_valid(b"X1234567M"), "letter");
        assert!(!es_dni_valid(b"W1234567L"), "no W prefix");
        assert!(!es_dni_valid(b"1234567Z"));
    }

    #[test]
    fn nif() {
        assert!(pt_nif_valid(b"123456789"));
        assert!(pt_nif_valid(b"234567899"));
        assert!(!pt_nif_valid(b"123456788"), "check digit");
        assert!(!pt_nif_valid(b"523456789"), "a company's, not a person's");
    }

    #[test]
    fn codice_fiscale() {
        assert!(it_codice_fiscale_valid(b"RSSMRA85T10A562S"));
        assert!(
            it_codice_fiscale_valid(b"BNCGNN80A41F205A"),
            "a woman: day + 40"
        );
        assert!(
            !it_codice_fiscale_valid(b"RSSMRA85T10A562T"),
            "check letter"
        );
        assert!(!it_codice_fiscale_valid(b"RSSMRA85T32A562S"), "day 32");
        assert!(!it_codice_fiscale_valid(b"RSSMRA85F10A562S"), "no month F");
        assert!(!it_codice_fiscale_valid(b"RSSMRA85T10A562"));
    }
}
