//! Brazil's CPF, Mexico's CURP and Argentina's DNI.

use super::{date_two_digit_year, digits, weighted};

/// Brazilian CPF: eleven digits, the last two mod-11 check digits over the nine (then
/// ten) before them with weights counting down to 2. A run of one digit passes the sums
/// but is never issued.
pub fn cpf_valid(d: &[u8]) -> bool {
    let Some(v) = digits::<11>(d) else {
        return false;
    };
    let check = |n: usize| {
        let weights: Vec<u32> = (2..=n as u32 + 1).rev().collect();
        weighted(&v[..n], &weights) * 10 % 11 % 10
    };
    v.iter().any(|&x| x != v[0]) && check(9) == v[9] && check(10) == v[10]
}

/// Mexican CURP: four letters, the birth date `yymmdd`, sex (H, M, or X), the state's
/// two letters, three consonants, a homoclave (a digit for births before 2000, a letter
/// after) and a check digit: Σ value·(18 − i) over the first seventeen characters
/// (digits 0–9, letters from 10 with Ñ after N), (10 − sum mod 10) mod 10.
pub fn curp_valid(s: &[u8]) -> bool {
    if s.len() != 18
        || !s[..4].iter().all(u8::is_ascii_uppercase)
        || !s[10..16].iter().all(u8::is_ascii_uppercase)
        || !s[16].is_ascii_alphanumeric()
        || !matches!(s[10], b'H' | b'M' | b'X')
        || !STATES.contains(&[s[11], s[12]])
        || s[13..16].iter().any(|c| b"AEIOU".contains(c))
    {
        return false;
    }
    let (Some(date), Some(check)) = (digits::<6>(&s[4..10]), digits::<1>(&s[17..])) else {
        return false;
    };
    if !date_two_digit_year(
        date[0] * 10 + date[1],
        date[2] * 10 + date[3],
        date[4] * 10 + date[5],
    ) {
        return false;
    }
    let sum: u32 = s[..17]
        .iter()
        .enumerate()
        .map(|(i, &c)| curp_value(c) * (18 - i as u32))
        .sum();
    (10 - sum % 10) % 10 == check[0]
}

/// A CURP character's value: digits as themselves, A–N 10–23, (Ñ 24), O–Z 25–36.
fn curp_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'N' => u32::from(c - b'A') + 10,
        _ => u32::from(c - b'A') + 11,
    }
}

/// The states' codes of a CURP, and NE for those born abroad.
const STATES: [[u8; 2]; 33] = [
    *b"AS", *b"BC", *b"BS", *b"CC", *b"CL", *b"CM", *b"CS", *b"CH", *b"DF", *b"DG", *b"GT", *b"GR",
    *b"HG", *b"JC", *b"MC", *b"MN", *b"MS", *b"NT", *b"NL", *b"OC", *b"PL", *b"QT", *b"QR", *b"SP",
    *b"SL", *b"SR", *b"TC", *b"TS", *b"TL", *b"VZ", *b"YN", *b"ZS", *b"NE",
];

/// Argentine DNI: seven or eight digits with no check digit, so only its range says
/// anything (one to ninety-nine million).
pub fn ar_dni_plausible(d: &[u8]) -> bool {
    (7..=8).contains(&d.len()) && d.iter().all(u8::is_ascii_digit) && d[0] != b'0'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpf() {
        assert!(cpf_valid(b"12345678909"));
        assert!(cpf_valid(b"52998224725"));
        assert!(!cpf_valid(b"12345678908"), "second check digit");
        assert!(!cpf_valid(b"12345678919"), "first check digit");
        assert!(!cpf_valid(b"11111111111"), "one digit repeated");
        assert!(!cpf_valid(b"1234567890"));
    }

    #[test]
    fn curp() {
        assert!(curp_valid(b"HEGG560427MVZRRL04"));
        assert!(curp_valid(b"GODE561231HDFRRN00"));
        assert!(!curp_valid(b"HEGG560427MVZRRL05"), "check digit");
        assert!(!curp_valid(b"HEGG561327MVZRRL04"), "month 13");
        assert!(!curp_valid(b"HEGG560427MXXRRL04"), "no state XX");
        assert!(!curp_valid(b"HEGG560427MVZRRL0"));
    }

    #[test]
    fn argentine_dni() {
        assert!(ar_dni_plausible(b"12345678"));
        assert!(ar_dni_plausible(b"1234567"));
        assert!(!ar_dni_plausible(b"123456"));
        assert!(!ar_dni_plausible(b"02345678"));
    }
}
