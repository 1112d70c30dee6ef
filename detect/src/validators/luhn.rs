/// Luhn (mod 10) check used by payment cards and Canadian SINs.
pub fn luhn_valid(digits: &[u8]) -> bool {
    if digits.len() < 2 {
        return false;
    }
    let mut sum = 0u32;
    for (i, &b) in digits.iter().rev().enumerate() {
        let Some(mut d) = super::digit(b) else {
            return false;
        };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_test_cards_pass() {
        for card in [
            "4111111111111111",
            "5500005555555559",
            "378282246310005",
            "6011111111111117",
            "4012888888881881",
        ] {
            assert!(luhn_valid(card.as_bytes()), "{card}");
        }
    }

    #[test]
    fn off_by_one_digits_fail() {
        for card in [
            "4111111111111112",
            "5500005555555558",
            "378282246310006",
            "6011111111111118",
        ] {
            assert!(!luhn_valid(card.as_bytes()), "{card}");
        }
    }

    #[test]
    fn non_digits_and_short_input_fail() {
        assert!(!luhn_valid(b"4111-1111"));
        assert!(!luhn_valid(b"0"));
        assert!(!luhn_valid(b""));
    }
}
