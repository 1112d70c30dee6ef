//! Classifiers for phone numbers written with `+` or parentheses, MAC and IPv6 addresses.

use std::net::Ipv6Addr;

use super::{Candidate, next_byte};
use crate::EntityType;

/// `+44 20 7946 0958`, `+1-202-555-0173`, `+61 412 345 678`: E.164 allows 8 to 15 digits
/// including the country code.
pub(super) fn phone_intl(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let s = &text[start..end];
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let balanced =
        s.bytes().filter(|&c| c == b'(').count() == s.bytes().filter(|&c| c == b')').count();
    if (8..=15).contains(&digits) && balanced && !s[1..].starts_with('0') {
        out.push(Candidate::scored(EntityType::Phone, start, end, 0.6));
    }
}

/// `(555) 123-4567` (North America, area code 2-9xx) and `(02) 9876 5432`, `(020) 7946 0958`
/// (trunk prefix 0 in the UK and Australia).
pub(super) fn phone_paren(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let s = &text.as_bytes()[start..end];
    let digits: usize = s.iter().filter(|c| c.is_ascii_digit()).count();
    let area_len = s.iter().position(|&c| c == b')').unwrap_or(0) - 1;
    let nanp = area_len == 3 && digits == 10 && (b'2'..=b'9').contains(&s[1]);
    let trunk = s[1] == b'0' && (9..=11).contains(&digits);
    if nanp || trunk {
        out.push(Candidate::scored(EntityType::Phone, start, end, 0.7));
    } else if (8..=11).contains(&digits) {
        // "(21) 3456-7890", "(11) 98765-4321": an area code in parentheses is a phone's
        // shape; whose, the regions' metadata says.
        out.push(Candidate::national_phone(start, end, 0.5));
    }
}

pub(super) fn mac(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    // A seventh group means this was an IPv6 address or some longer hex dump.
    if matches!(next_byte(text, end), Some(b':' | b'-' | b'.')) {
        return;
    }
    out.push(Candidate::scored(EntityType::MacAddress, start, end, 0.7));
}

pub(super) fn ipv6(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    if next_byte(text, end).is_some_and(|c| c.is_ascii_alphanumeric() || c == b':') {
        return;
    }
    let s = &text[start..end];
    if s.parse::<Ipv6Addr>().is_ok() {
        out.push(Candidate::scored(EntityType::IpAddress, start, end, 0.6));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(f: fn(&str, usize, usize, &mut Vec<Candidate>), s: &str) -> bool {
        let mut out = Vec::new();
        f(s, 0, s.len(), &mut out);
        !out.is_empty()
    }

    #[test]
    fn intl_phones() {
        assert!(found(phone_intl, "+44 20 7946 0958"));
        assert!(found(phone_intl, "+1-202-555-0173"));
        assert!(!found(phone_intl, "+1 234"), "too few digits");
        assert!(!found(phone_intl, "+1234567890123456"), "too many digits");
    }

    #[test]
    fn paren_phones() {
        assert!(found(phone_paren, "(555) 123-4567"));
        assert!(found(phone_paren, "(02) 9876 5432"));
        let mut out = Vec::new();
        phone_paren("(155) 123-4567", 0, 14, &mut out);
        assert!(
            out.iter()
                .all(|c| c.deferred == crate::patterns::Deferred::NationalPhone),
            "area code cannot start with 1: only some other region may validate it"
        );
        assert!(found(phone_paren, "(21) 3456-7890"));
    }

    #[test]
    fn ipv6_parse_decides() {
        assert!(found(ipv6, "2001:db8::1"));
        assert!(found(ipv6, "fe80::1ff:fe23:4567:890a"));
        assert!(!found(ipv6, "10:30:00"));
        assert!(!found(ipv6, "1::2::3"));
    }
}
