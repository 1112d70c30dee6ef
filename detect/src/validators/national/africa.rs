//! South Africa's identity number.

use super::{date_two_digit_year, digits, two};
use crate::validators::luhn_valid;

/// South African ID number, `yymmddssssczl`: a birth date, citizenship c (0 citizen,
/// 1 permanent resident, 2 refugee) and a Luhn check digit over all thirteen.
pub fn za_id_valid(d: &[u8]) -> bool {
    digits::<13>(d).is_some_and(|v| {
        date_two_digit_year(two(&v[..2]), two(&v[2..4]), two(&v[4..6])) && v[10] <= 2
    }) && luhn_valid(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn south_africa() {
        assert!(za_id_valid(b"8001015009087"));
        assert!(za_id_valid(b"8112189876084"));
        assert!(!za_id_valid(b"8001015009088"), "Luhn");
        assert!(!za_id_valid(b"8013015009082"), "month 13");
        assert!(!za_id_valid(b"8001015009384"), "citizenship 3");
    }
}
