use super::parse_num;

/// US Social Security Number rules (SSA): area not 000, 666 or 900-999, group not 00,
/// serial not 0000. Takes the nine digits without separators.
pub fn ssn_valid(digits: &[u8]) -> bool {
    let Some((area, group, serial)) = split(digits) else {
        return false;
    };
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// US ITIN: area 9xx and a group in the IRS ranges 50-65, 70-88, 90-92, 94-99.
pub fn itin_valid(digits: &[u8]) -> bool {
    let Some((area, group, _)) = split(digits) else {
        return false;
    };
    area >= 900 && matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
}

fn split(digits: &[u8]) -> Option<(u32, u32, u32)> {
    if digits.len() != 9 {
        return None;
    }
    Some((
        parse_num(&digits[..3])?,
        parse_num(&digits[3..5])?,
        parse_num(&digits[5..])?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssn_rules() {
        assert!(ssn_valid(b"123456789"));
        assert!(ssn_valid(b"536221234"));
        assert!(!ssn_valid(b"000123456"), "area 000");
        assert!(!ssn_valid(b"666123456"), "area 666");
        assert!(!ssn_valid(b"900123456"), "area 9xx");
        assert!(!ssn_valid(b"123001234"), "group 00");
        assert!(!ssn_valid(b"123450000"), "serial 0000");
        assert!(!ssn_valid(b"12345678"), "too short");
    }

    #[test]
    fn itin_rules() {
        assert!(itin_valid(b"912701234"));
        assert!(itin_valid(b"999881234"));
        assert!(itin_valid(b"900941234"));
        assert!(!itin_valid(b"912931234"), "group 93 is not issued");
        assert!(!itin_valid(b"912451234"), "group 45");
        assert!(!itin_valid(b"812701234"), "area must be 9xx");
    }
}
