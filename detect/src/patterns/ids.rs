//! Driver's licence and passport numbers written after an explicit label, in any case:
//! the label, not the value's shape, says what the value is, since formats differ by
//! country and people type them in lower case.

use super::Candidate;
use crate::EntityType;

/// `start` is where the label begins; `vs..ve` the value after it.
pub(super) fn labelled_id(
    text: &str,
    start: usize,
    vs: usize,
    ve: usize,
    out: &mut Vec<Candidate>,
) {
    let value = &text.as_bytes()[vs..ve];
    // Words after a label ("passport renewal", "licence no longer valid") have no digit.
    if !value.iter().any(u8::is_ascii_digit) || !(5..=20).contains(&value.len()) {
        return;
    }
    let entity_type = if text.as_bytes()[start].eq_ignore_ascii_case(&b'p') {
        EntityType::PassportNumber
    } else {
        EntityType::DriverId
    };
    out.push(Candidate::scored(entity_type, vs, ve, 0.7));
}

/// A licence plate after a word for it: five to ten letters and digits with both in them
/// ("LK71 XWT", "GZ-481-K", "KA 05 MN 7421"); a year or a model ("car 2019", "van XL")
/// has not both.
pub(super) fn labelled_plate(text: &str, vs: usize, ve: usize, out: &mut Vec<Candidate>) {
    let value = &text.as_bytes()[vs..ve];
    let alnum = value.iter().filter(|c| c.is_ascii_alphanumeric()).count();
    if (5..=10).contains(&alnum)
        && value.iter().any(u8::is_ascii_digit)
        && value.iter().any(u8::is_ascii_uppercase)
    {
        out.push(Candidate::scored(EntityType::LicensePlate, vs, ve, 0.7));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, value: &str) -> Option<EntityType> {
        let vs = text.find(value).unwrap();
        let mut out = Vec::new();
        labelled_id(text, 0, vs, vs + value.len(), &mut out);
        out.first().map(|c| c.entity_type)
    }

    #[test]
    fn the_label_decides_the_type() {
        assert_eq!(
            read("Passport no X551234", "X551234"),
            Some(EntityType::PassportNumber)
        );
        assert_eq!(
            read("driver's licence no. ab1234567", "ab1234567"),
            Some(EntityType::DriverId)
        );
        assert_eq!(
            read("DL# D1234-56789-01234", "D1234-56789-01234"),
            Some(EntityType::DriverId)
        );
    }

    #[test]
    fn words_and_short_values_are_not_ids() {
        assert_eq!(read("passport renewal", "renewal"), None);
        assert_eq!(read("passport A12", "A12"), None);
    }
}
