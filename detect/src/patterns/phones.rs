//! Phone numbers written the national way, without a country code ("612 345 678",
//! "01.42.68.53.07", "(21) 3456-7890"), and numbers with an extension. Their shapes are
//! shared with order numbers, amounts and IDs, so a reading either needs a phone word
//! nearby or a grouping only phone numbers use, and is then validated per region against
//! libphonenumber's metadata (see [`Deferred::NationalPhone`](super::Deferred)).

use super::neighbours::{Token, token_after, token_before};
use super::{Candidate, network, numeric};
use crate::EntityType;

/// National readings of a digit run `d` grouped as `lens` with separator `sep`, pushed
/// after the run's other readings.
pub(super) fn national(
    text: &str,
    start: usize,
    end: usize,
    d: &[u8],
    lens: &[u8],
    sep: Option<u8>,
    out: &mut Vec<Candidate>,
) {
    // Ten bare digits starting with 1 are a Unix time in seconds far more often than
    // a phone number of any region.
    let timestamp = sep.is_none() && d.len() == 10 && d[0] == b'1';
    let used_otherwise = || timestamp || amount(text, start, end) || labelled_as_other(text, start);
    let trunk = d[0] == b'0' && d.get(1).is_some_and(|&c| c != b'0');
    match (d.len(), sep) {
        // A local North American number, "555 0199": the exchange starts with 2-9. Too
        // short for libphonenumber to place, so a phone word must say what it is.
        (7, Some(b' ' | b'-')) if lens == [3, 4] && d[0] >= b'2' && !used_otherwise() => {
            out.push(Candidate::scored(EntityType::Phone, start, end, 0.3));
        }
        (8..=12, _) if !used_otherwise() => {
            // Four or more short groups after a trunk prefix ("01.42.68.53.07",
            // "04 72 10 30 30") are how national numbers are printed, and little else.
            let printed = trunk && lens.len() >= 4 && lens.iter().all(|l| (2..=4).contains(l));
            let base = if printed { 0.5 } else { 0.3 };
            out.push(Candidate::national_phone(start, end, base));
        }
        _ => {}
    }
}

/// Nouns that say what a number is when they label it ("order number 56128841",
/// "ticket #48213", "batch 2021"): a phone word elsewhere in the sentence does not make
/// such a number a phone.
const OTHER_LABELS: &[&str] = &[
    "order",
    "ticket",
    "batch",
    "invoice",
    "ref",
    "reference",
    "tracking",
    "case",
    "account",
    "acct",
    "id",
    "serial",
    "transaction",
    "booking",
    "confirmation",
    "customer",
    "member",
    "policy",
    "claim",
    "parcel",
    "shipment",
    "po",
    "sku",
    "item",
    "product",
    "model",
    "build",
    "version",
    "release",
    "isbn",
    "iban",
    "card",
];

fn labelled_as_other(text: &str, start: usize) -> bool {
    let (mut before, mut at) = token_before(text, start);
    // Skip "number", "no", "#" and ":" between the noun and the number.
    for _ in 0..2 {
        if before.is_one_of(&["number", "no", "nr", "num"])
            || matches!(before, Token::Punct(b'#' | b':' | b'.'))
        {
            (before, at) = token_before(text, at);
        }
    }
    before.is_one_of(OTHER_LABELS)
}

/// Whether the run is a sum of money: a currency sign before it, a currency code, a
/// percent sign or decimal cents after it ("$1 234 567", "1 234 567 EUR", "2 450 000,00").
fn amount(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let sign_before =
        start > 0 && b[start - 1] >= 0x80 || token_before(text, start).0 == Token::Punct(b'$');
    let after = token_after(text, end).0;
    let code_after = matches!(after, Token::Word(w) if w.len() == 3 && w.bytes().all(|c| c.is_ascii_uppercase()));
    let cents = b.get(end) == Some(&b',')
        && b.get(end + 1..end + 3)
            .is_some_and(|c| c.iter().all(u8::is_ascii_digit))
        && !b.get(end + 3).is_some_and(u8::is_ascii_digit);
    sign_before || code_after || cents || after == Token::Punct(b'%')
}

/// "415-555-0199x12", "(020) 7946 0958 ext. 204": the number before the extension is
/// read by the shape it has, and the extension joins whatever phone reading it gets.
pub(super) fn with_extension(text: &str, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let letter = text.as_bytes()[start..end]
        .iter()
        .position(u8::is_ascii_alphabetic)
        .map_or(end, |p| start + p);
    let main_end = start + text[start..letter].trim_end().len();
    let mut readings = Vec::new();
    match text.as_bytes()[start] {
        b'+' => network::phone_intl(text, start, main_end, &mut readings),
        b'(' => network::phone_paren(text, start, main_end, &mut readings),
        _ => numeric::numeric(text, start, main_end, &mut readings),
    }
    out.extend(
        readings
            .into_iter()
            .filter(|c| c.entity_type == EntityType::Phone)
            .map(|c| Candidate { end, ..c }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Deferred;

    fn phone_readings(
        f: fn(&str, usize, usize, &mut Vec<Candidate>),
        text: &str,
        needle: &str,
    ) -> Vec<(f32, Deferred, usize)> {
        let start = text.find(needle).unwrap();
        let mut out = Vec::new();
        f(text, start, start + needle.len(), &mut out);
        out.iter()
            .filter(|c| c.entity_type == EntityType::Phone)
            .map(|c| (c.base, c.deferred, c.end - c.start))
            .collect()
    }

    #[test]
    fn printed_national_numbers_stand_alone() {
        let r = phone_readings(
            numeric::numeric,
            "au 01.42.68.53.07 merci",
            "01.42.68.53.07",
        );
        assert!(r.contains(&(0.5, Deferred::NationalPhone, 14)), "{r:?}");
    }

    #[test]
    fn plain_runs_need_a_phone_word() {
        for (text, needle) in [
            ("on 612 345 678 now", "612 345 678"),
            ("Tel. 97 123456", "97 123456"),
            ("call 555 0199", "555 0199"),
        ] {
            let r = phone_readings(numeric::numeric, text, needle);
            assert!(
                !r.is_empty() && r.iter().all(|&(base, _, _)| base < 0.5),
                "{text}: {r:?}"
            );
        }
    }

    #[test]
    fn numbers_labelled_as_something_else_are_not_phones() {
        for (text, needle) in [
            ("call us. Order number 56128841 shipped", "56128841"),
            ("ticket #612 345 678", "612 345 678"),
            ("Ref: 0412 345 6789", "0412 345 6789"),
            ("call logged at 1712345678", "1712345678"),
        ] {
            let r = phone_readings(numeric::numeric, text, needle);
            assert!(
                r.iter().all(|&(_, d, _)| d == Deferred::Nothing),
                "{text}: {r:?}"
            );
        }
    }

    #[test]
    fn amounts_are_not_phones() {
        for (text, needle) in [
            ("total 1 234 567 EUR due", "1 234 567"),
            ("paid $12 345 678 today", "12 345 678"),
            ("costs €1 299 000 net", "1 299 000"),
            ("2 450 000,00 owed", "2 450 000"),
            ("up 12 345 678% on", "12 345 678"),
        ] {
            let r = phone_readings(numeric::numeric, text, needle);
            assert!(r.is_empty(), "{text}: {r:?}");
        }
    }

    #[test]
    fn extensions_join_the_number() {
        let r = phone_readings(
            with_extension,
            "Desk 415-555-0199x12, ask",
            "415-555-0199x12",
        );
        assert!(
            r.iter().any(|&(base, _, len)| base >= 0.5 && len == 15),
            "{r:?}"
        );
        let r = phone_readings(
            with_extension,
            "at (020) 7946 0958 ext. 204",
            "(020) 7946 0958 ext. 204",
        );
        assert!(!r.is_empty());
        let r = phone_readings(with_extension, "res 1920 1080 x 2", "1920 1080 x 2");
        assert!(r.iter().all(|&(base, _, _)| base < 0.5), "{r:?}");
    }
}
