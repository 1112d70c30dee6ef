/// ABA routing number: 9 digits, a Federal Reserve prefix range, weights 3-7-1.
pub fn aba_valid(digits: &[u8]) -> bool {
    if digits.len() != 9 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let v = |i: usize| u32::from(digits[i] - b'0');
    // The first two digits name a Federal Reserve district (or a thrift/electronic range);
    // anything else is not a routing number even if the checksum happens to pass.
    let prefix = v(0) * 10 + v(1);
    let prefix_ok = matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80);
    let sum = 3 * (v(0) + v(3) + v(6)) + 7 * (v(1) + v(4) + v(7)) + (v(2) + v(5) + v(8));
    prefix_ok && sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_routing_numbers() {
        // Federal Reserve Bank routing numbers published by the Fed.
        assert!(aba_valid(b"011000015"));
        assert!(aba_valid(b"021000021"));
        assert!(aba_valid(b"121000358"));
    }

    #[test]
    fn invalid_routing_numbers() {
        assert!(!aba_valid(b"011000016"));
        assert!(!aba_valid(b"123456789"));
        // Checksum passes (3*9 + 7*... = 0 mod 10) but 99 is not an assigned prefix.
        assert!(!aba_valid(b"990000000"));
        assert!(!aba_valid(b"01100001"));
    }
}
