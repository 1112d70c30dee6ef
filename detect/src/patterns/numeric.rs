//! Runs of digits separated by single spaces, dashes or dots: cards, SSNs, ITINs, routing
//! numbers, SINs, NHS numbers, Aadhaar, phones, IPv4, and context-only account numbers.
//! One shape for all of them, so that the validators, not pattern order, pick the type.

use std::net::Ipv4Addr;

use super::neighbours::token_before;
use super::{Candidate, Deferred, national, phones};
use crate::EntityType;
use crate::context::IdLabel;
use crate::validators::{aba_valid, itin_valid, luhn_valid, nhs_valid, ssn_valid, verhoeff_valid};

const MAX_DIGITS: usize = 24;
const MAX_GROUPS: usize = 8;

/// Digits and the lengths of the separated groups of one token.
struct Groups {
    digits: [u8; MAX_DIGITS],
    n_digits: usize,
    lens: [u8; MAX_GROUPS],
    n_groups: usize,
    /// `None`: no separator; `Some(c)`: every separator is `c`.
    sep: Option<u8>,
}

impl Groups {
    /// `None` when too long, or when separators are mixed (`123-45 6789` is not one thing).
    fn parse(token: &[u8]) -> Option<Self> {
        let mut g = Groups {
            digits: [0; MAX_DIGITS],
            n_digits: 0,
            lens: [0; MAX_GROUPS],
            n_groups: 1,
            sep: None,
        };
        for &c in token {
            if c.is_ascii_digit() {
                if g.n_digits == MAX_DIGITS {
                    return None;
                }
                g.digits[g.n_digits] = c;
                g.n_digits += 1;
                g.lens[g.n_groups - 1] += 1;
            } else {
                if g.sep.is_some_and(|s| s != c) || g.n_groups == MAX_GROUPS {
                    return None;
                }
                g.sep = Some(c);
                g.n_groups += 1;
            }
        }
        Some(g)
    }

    fn digits(&self) -> &[u8] {
        &self.digits[..self.n_digits]
    }

    fn lens(&self) -> &[u8] {
        &self.lens[..self.n_groups]
    }

    fn bare(&self) -> bool {
        self.n_groups == 1
    }
}

/// Byte offsets of the spaces inside a token, last first: the ends of the shorter prefixes
/// tried when the whole run is not an entity (`in 2023 4111 1111 1111 1111`).
pub(crate) fn space_cuts(text: &str, start: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
    text.as_bytes()[start..end]
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, c)| **c == b' ')
        .map(move |(i, _)| start + i)
}

pub(super) fn numeric(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let Some(g) = Groups::parse(&text.as_bytes()[start..end]) else {
        national::mixed_run(text, start, end, out);
        return;
    };
    let d = g.digits();
    let lens = g.lens();
    let first = out.len();
    // Another country's identity number in a form of its own is nothing else.
    national::digit_run(text, start, end, d, lens, g.sep, out);
    if out[first..].iter().any(|c| c.validated) {
        return;
    }
    // A number of a scheme checked here whose check failed counts right next to its label.
    let mistyped = |t, label| Candidate::labelled_next(t, start, end, national::MISTYPED, label);
    let scored = |t, base| Candidate::scored(t, start, end, base);

    if g.sep == Some(b'.') {
        if lens.len() == 4
            && text[start..end].parse::<Ipv4Addr>().is_ok()
            && !token_before(text, start).0.is_one_of(VERSION_WORDS)
        {
            out.push(scored(EntityType::IpAddress, 0.6));
        } else if lens == [3, 3, 4] && nanp_area(d) {
            out.push(scored(EntityType::Phone, 0.5));
        } else if lens.len() > 2 {
            phones::national(text, start, end, d, lens, g.sep, out);
        }
        return;
    }

    let dashed_or_spaced = matches!(g.sep, Some(b'-' | b' '));
    match d.len() {
        13..=19 if card_grouping(lens) && (b'2'..=b'6').contains(&d[0]) && luhn_valid(d) => {
            out.push(Candidate::validated(
                EntityType::CreditDebitNumber,
                start,
                end,
            ));
            return;
        }
        9 => {
            if lens == [3, 2, 4] && dashed_or_spaced {
                let base = if g.sep == Some(b'-') { 0.6 } else { 0.5 };
                if ssn_valid(d) {
                    out.push(scored(EntityType::Ssn, base));
                }
                if itin_valid(d) {
                    out.push(scored(
                        EntityType::UsIndividualTaxIdentificationNumber,
                        base,
                    ));
                }
            }
            if lens == [3, 3, 3] && sin_valid(d) {
                out.push(scored(EntityType::CaSocialInsuranceNumber, 0.5));
            }
            if lens == [3, 3, 3] && ssn_valid(d) {
                // A US SSN grouped like a SIN: only its label says which it is.
                out.push(mistyped(EntityType::Ssn, IdLabel::UsSsn));
            }
            if (lens == [3, 3, 3] || g.bare()) && sin_mistyped(d) {
                out.push(mistyped(EntityType::CaSocialInsuranceNumber, IdLabel::Sin));
            }
            if g.bare() {
                // A bare nine-digit run is many things; a one-digit checksum passes one
                // random number in ten, so none of these stands without context.
                if ssn_valid(d) {
                    out.push(scored(EntityType::Ssn, 0.2));
                }
                if itin_valid(d) {
                    out.push(scored(EntityType::UsIndividualTaxIdentificationNumber, 0.2));
                }
                if aba_valid(d) {
                    out.push(scored(EntityType::BankRouting, 0.4));
                }
                if sin_valid(d) {
                    out.push(scored(EntityType::CaSocialInsuranceNumber, 0.3));
                }
            }
        }
        10 => {
            let nhs_form = lens == [3, 3, 4] || g.bare();
            let nhs = nhs_form && nhs_valid(d);
            if nhs {
                out.push(scored(
                    EntityType::UkNationalHealthServiceNumber,
                    if g.bare() { 0.3 } else { 0.7 },
                ));
            }
            // Fictional numbers like 555-123-4567 are everywhere in test data, so written
            // with dashes only the area code must be valid; bare or spaced runs are too
            // common to be that lenient.
            let nanp_ok = if g.sep == Some(b'-') {
                nanp_area(d)
            } else {
                nanp(d)
            };
            if (lens == [3, 3, 4] || g.bare()) && nanp_ok {
                let base = match g.sep {
                    Some(b'-') => 0.6,
                    Some(_) => 0.45,
                    None => 0.3,
                };
                out.push(scored(EntityType::Phone, base));
            }
            if nhs_form && !nhs {
                out.push(mistyped(
                    EntityType::UkNationalHealthServiceNumber,
                    IdLabel::Nhs,
                ));
            }
            if trunk_national(d) {
                out.push(scored(
                    EntityType::Phone,
                    if g.bare() { 0.35 } else { 0.55 },
                ));
            }
        }
        11 => {
            if lens == [1, 3, 3, 4] && d[0] == b'1' && nanp_area(&d[1..]) {
                out.push(scored(EntityType::Phone, 0.6));
            }
            if trunk_national(d) {
                out.push(scored(
                    EntityType::Phone,
                    if g.bare() { 0.35 } else { 0.55 },
                ));
            }
        }
        12 if (b'2'..=b'9').contains(&d[0]) && verhoeff_valid(d) => {
            if lens == [4, 4, 4] {
                out.push(Candidate::validated(EntityType::InAadhaar, start, end));
                return;
            }
            if g.bare() {
                out.push(scored(EntityType::InAadhaar, 0.4));
            }
        }
        12 if (b'2'..=b'9').contains(&d[0]) && (lens == [4, 4, 4] || g.bare()) => {
            out.push(mistyped(EntityType::InAadhaar, IdLabel::Aadhaar));
        }
        _ => {}
    }

    // A mistyped card number is still a card number, but only a card word next to it
    // says so: without one, Luhn stays mandatory.
    if (12..=19).contains(&d.len()) && loose_card_grouping(lens) {
        out.push(scored(EntityType::CreditDebitNumber, 0.2));
    }

    // A run another reading already claims strongly (a dashed SSN, a NANP or trunk-prefix
    // phone) needs no per-region reading on top.
    let claimed = out[first..].iter().any(|c| {
        !matches!(c.deferred, Deferred::Label(_) | Deferred::LabelNext(_))
            && (c.validated
                || c.base >= 0.6
                || (c.entity_type == EntityType::Phone && c.base >= 0.5))
    });
    if !claimed {
        phones::national(text, start, end, d, lens, g.sep, out);
    }
    let mut push = |t, base| out.push(Candidate::scored(t, start, end, base));

    // Context-only readings: these numbers have no shape of their own.
    let plain = g.bare() || g.sep == Some(b'-');
    let n = d.len();
    if plain && (6..=17).contains(&n) {
        push(EntityType::BankAccountNumber, 0.2);
    }
    if g.bare() && (6..=9).contains(&n) {
        push(EntityType::PassportNumber, 0.2);
    }
    if plain && (5..=13).contains(&n) {
        push(EntityType::DriverId, 0.2);
    }
    if (g.bare() && n == 5) || (lens == [5, 4] && g.sep == Some(b'-')) {
        push(EntityType::Address, 0.2);
    }
}

/// Printed card groupings: undelimited, fours with a short tail (Visa, Mastercard,
/// Discover, 19-digit cards), 4-6-5 (Amex) and 4-6-4 (Diners).
fn card_grouping(lens: &[u8]) -> bool {
    match lens {
        [_] => true,
        [4, 6, 5] | [4, 6, 4] => true,
        [init @ .., last] => {
            init.len() >= 3 && init.iter().all(|&l| l == 4) && (1..=4).contains(last)
        }
        [] => false,
    }
}

/// Groupings people type card numbers in, 12-digit ones included (`4839 2017 5566`).
fn loose_card_grouping(lens: &[u8]) -> bool {
    match lens {
        [init @ .., last] if init.len() >= 2 => {
            init.iter().all(|&l| l == 4) && (1..=4).contains(last)
        }
        _ => card_grouping(lens),
    }
}

/// Words before a dotted quad that make it a version, not an address.
const VERSION_WORDS: &[&str] = &["version", "ver", "v", "release", "build", "firmware"];

/// North American numbering plan: area code and exchange both start with 2-9.
fn nanp(d: &[u8]) -> bool {
    nanp_area(d) && (b'2'..=b'9').contains(&d[3])
}

fn nanp_area(d: &[u8]) -> bool {
    d.len() == 10 && (b'2'..=b'9').contains(&d[0])
}

/// UK and Australian numbers written with the trunk prefix 0 (`07700 900123`,
/// `020 7946 0958`, `0412 345 678`).
fn trunk_national(d: &[u8]) -> bool {
    d[0] == b'0' && d[1] != b'0'
}

/// Canadian SIN: Luhn, first digit not 0 or 8 (never assigned).
fn sin_valid(d: &[u8]) -> bool {
    d.len() == 9 && d[0] != b'0' && d[0] != b'8' && luhn_valid(d)
}

/// A SIN's nine digits whose Luhn digit fails.
fn sin_mistyped(d: &[u8]) -> bool {
    d.len() == 9 && d[0] != b'0' && d[0] != b'8' && !luhn_valid(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The readings of `s` that need no label next to them.
    fn types(s: &str) -> Vec<(EntityType, bool, f32)> {
        let mut out = Vec::new();
        numeric(s, 0, s.len(), &mut out);
        out.iter()
            .filter(|c| !matches!(c.deferred, Deferred::Label(_) | Deferred::LabelNext(_)))
            .map(|c| (c.entity_type, c.validated, c.base))
            .collect()
    }

    /// The readings of `s` that count only right next to their label.
    fn next_to_label(s: &str) -> Vec<(EntityType, IdLabel)> {
        let mut out = Vec::new();
        numeric(s, 0, s.len(), &mut out);
        out.iter()
            .filter_map(|c| match c.deferred {
                Deferred::LabelNext(l) => Some((c.entity_type, l)),
                _ => None,
            })
            .collect()
    }

    fn has(s: &str, t: EntityType) -> bool {
        types(s).iter().any(|(ty, _, _)| *ty == t)
    }

    fn strong(s: &str, t: EntityType) -> bool {
        types(s)
            .iter()
            .any(|(ty, v, base)| *ty == t && (*v || *base >= 0.5))
    }

    #[test]
    fn cards_in_common_groupings() {
        assert!(strong("4111111111111111", EntityType::CreditDebitNumber));
        assert!(strong("4111 1111 1111 1111", EntityType::CreditDebitNumber));
        assert!(strong("5500-0055-5555-5559", EntityType::CreditDebitNumber));
        assert!(strong("3782 822463 10005", EntityType::CreditDebitNumber));
        assert!(!strong(
            "4111 1111 1111 1112",
            EntityType::CreditDebitNumber
        ));
        assert!(
            !has("41 1111 1111 1111 11", EntityType::CreditDebitNumber),
            "odd grouping"
        );
    }

    #[test]
    fn luhn_failures_are_weak_card_readings() {
        let weak = |s| {
            types(s)
                .iter()
                .any(|&(t, v, base)| t == EntityType::CreditDebitNumber && !v && base < 0.5)
        };
        assert!(weak("483920175566"));
        assert!(weak("4839 2017 5566"));
        assert!(weak("4111 1111 1111 1112"));
        assert!(!weak("48392017556"), "11 digits");
        assert!(!weak("483 920 175 566"), "not a card grouping");
    }

    #[test]
    fn isbn_is_not_a_card() {
        // Independently: ISBN 978-3-16-148410-0 has 13 digits but not a card grouping.
        assert!(!has("978-3-16-148410-0", EntityType::CreditDebitNumber));
    }

    #[test]
    fn ssn_shapes() {
        assert!(strong("536-22-1234", EntityType::Ssn));
        assert!(!has("666-22-1234", EntityType::Ssn));
        assert!(!strong("536221234", EntityType::Ssn), "bare needs context");
        assert!(strong(
            "912-70-1234",
            EntityType::UsIndividualTaxIdentificationNumber
        ));
        assert!(!has("912-70-1234", EntityType::Ssn));
    }

    #[test]
    fn ipv4_and_versions() {
        assert!(has("192.168.1.20", EntityType::IpAddress));
        assert!(types("10.0.0.1.2").is_empty());
        assert!(types("1.2.3").is_empty());
        assert!(!has("256.1.1.1", EntityType::IpAddress));
        let v = "version 10.4.2.1";
        let mut out = Vec::new();
        numeric(v, 8, v.len(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn phones() {
        assert!(strong("555-123-4567", EntityType::Phone));
        assert!(strong("202.555.0173", EntityType::Phone));
        assert!(
            !strong("555 123 4567", EntityType::Phone),
            "spaced needs a valid exchange"
        );
        assert!(
            !strong("155-523-4567", EntityType::Phone),
            "area code cannot start with 1: only another region's metadata may accept it"
        );
        assert!(strong("1-800-555-0199", EntityType::Phone));
        assert!(strong("07700 900123", EntityType::Phone));
        assert!(strong("0412 345 678", EntityType::Phone));
        assert!(!strong("1700000000", EntityType::Phone), "unix timestamp");
    }

    #[test]
    fn nhs_and_aadhaar() {
        assert!(strong(
            "943 476 5919",
            EntityType::UkNationalHealthServiceNumber
        ));
        assert!(!has(
            "943 476 5918",
            EntityType::UkNationalHealthServiceNumber
        ));
        assert!(
            !has("1234 5678 9012", EntityType::InAadhaar),
            "first digit 1"
        );
    }

    #[test]
    fn failed_checks_of_schemes_checked_here_need_their_label() {
        use EntityType::*;
        let sin = (CaSocialInsuranceNumber, IdLabel::Sin);
        assert!(next_to_label("527 419 883").contains(&sin));
        assert!(next_to_label("527419883").contains(&sin));
        assert!(!next_to_label("130 692 544").contains(&sin), "Luhn passes");
        assert!(!next_to_label("827 419 883").contains(&sin), "never a SIN");
        let ssn = (Ssn, IdLabel::UsSsn);
        assert!(next_to_label("046 454 286").contains(&ssn));
        assert!(!next_to_label("666 454 286").contains(&ssn), "area 666");
        assert!(!next_to_label("946 454 286").contains(&ssn), "area 9xx");
        let nhs = (UkNationalHealthServiceNumber, IdLabel::Nhs);
        assert!(next_to_label("485 777 3456").contains(&nhs));
        assert!(
            !next_to_label("943 476 5919").contains(&nhs),
            "check passes"
        );
        let aadhaar = (InAadhaar, IdLabel::Aadhaar);
        assert!(next_to_label("4821 7730 9156").contains(&aadhaar));
        assert!(next_to_label("482177309156").contains(&aadhaar));
        assert!(
            !next_to_label("1821 7730 9156").contains(&aadhaar),
            "first digit 1"
        );
        assert!(!next_to_label("4821-77309156").contains(&aadhaar));
    }

    #[test]
    fn mixed_separators_are_not_one_token() {
        assert!(types("123-45 6789").is_empty());
    }
}
