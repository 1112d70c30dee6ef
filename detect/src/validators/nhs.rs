/// UK NHS number: ten digits, weights 10..2 on the first nine, mod 11 check digit
/// (a computed 10 means the number is never issued).
pub fn nhs_valid(digits: &[u8]) -> bool {
    if digits.len() != 10 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(&b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == u32::from(digits[9] - b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_and_invalid() {
        // NHS Digital's published example number.
        assert!(nhs_valid(b"9434765919"));
        assert!(!nhs_valid(b"9434765918"));
        assert!(!nhs_valid(b"943476591"));
        assert!(!nhs_valid(b"94347659x9"));
    }

    #[test]
    fn remainder_one_is_never_issued() {
        // A 6 at weight 2 makes the weighted sum 12, remainder 1, so the check would be 10.
        for last in b'0'..=b'9' {
            let n = [b'0', b'0', b'0', b'0', b'0', b'0', b'0', b'0', b'6', last];
            assert!(!nhs_valid(&n));
        }
    }
}
