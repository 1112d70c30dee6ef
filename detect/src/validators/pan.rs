/// Indian PAN: five letters, four digits, a letter; the fourth letter is the holder type
/// (P person, C company, H HUF, F firm, A AOP, T trust, B BOI, L local authority,
/// J artificial juridical person, G government).
pub fn pan_valid(pan: &[u8]) -> bool {
    pan.len() == 10
        && pan[..5].iter().all(u8::is_ascii_uppercase)
        && b"PCHFATBLJG".contains(&pan[3])
        && pan[5..9].iter().all(u8::is_ascii_digit)
        && pan[9].is_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_and_invalid() {
        assert!(pan_valid(b"ABCPE1234F"));
        assert!(pan_valid(b"AAACB5678Z"));
        assert!(!pan_valid(b"ABCDE1234F"), "D is not a holder type");
        assert!(!pan_valid(b"ABCPE12345"));
        assert!(!pan_valid(b"ABCPE123F"));
    }
}
