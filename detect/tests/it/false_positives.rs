//! Things that look like PII but are not.

use detect::{EntityType, PatternDetector};

fn types(text: &str) -> Vec<EntityType> {
    PatternDetector::default()
        .detect_text(text)
        .into_iter()
        .map(|d| d.entity_type)
        .collect()
}

fn no_cards_or_ssns(text: &str) {
    let t = types(text);
    assert!(
        !t.iter()
            .any(|t| matches!(t, EntityType::CreditDebitNumber | EntityType::Ssn)),
        "{text:?}: {t:?}"
    );
}

#[test]
fn order_numbers_timestamps_and_isbns() {
    no_cards_or_ssns("Order #123456789012 has shipped");
    no_cards_or_ssns("created at 1700000000 and updated at 1700003600");
    no_cards_or_ssns("ISBN 978-3-16-148410-0 is the book");
    no_cards_or_ssns("tracking 1Z999AA10123456784");
    assert!(types("Order #123456789012 has shipped").is_empty());
    assert!(types("created at 1700000000").is_empty());
}

#[test]
fn version_strings_are_not_ips() {
    assert!(types("upgraded to 10.0.0.1.2 yesterday").is_empty());
    assert!(types("release 1.2.3 and 2.10.4").is_empty());
    assert!(types("bumped v10.0.0.1 tag").is_empty());
}

#[test]
fn ordinary_numbers_in_prose() {
    // "in 2023" and "10:30:00" are dates as Comprehend counts them; nothing else is PII.
    assert_eq!(
        types("We sold 1,234 units in 2023 at $19.99 across 45 stores."),
        vec![EntityType::DateTime]
    );
    assert!(types("Call me after 6.30, room 101, at 5 Elm, 3 of 10 done").is_empty());
    // An hour named alone after a word of time is a time, as the labelled sets count it.
    assert_eq!(types("Call me at 5 or later"), vec![EntityType::DateTime]);
    assert!(types("The ratio was 3.14159 and the score 98.6 percent").is_empty());
    assert!(types("IMPORTANT NOTICE TO ALL CUSTOMERS").is_empty());
    assert_eq!(
        types("meeting at 10:30:00 sharp"),
        vec![EntityType::DateTime]
    );
}

#[test]
fn years_in_prices_and_quantities_are_not_dates() {
    for text in [
        "Price: $2019 for the premium bundle.",
        "We shipped 2023 units last quarter and 1999 spare parts.",
        "The 2020 model costs £2020.",
        "We sold 1984 copies at $12 each.",
        "Batch 2021 contains 300 items; ticket 2024 was merged.",
        "Growth of 2015% in 2000 stores, up by 2000 votes.",
    ] {
        assert!(types(text).is_empty(), "{text:?}: {:?}", types(text));
    }
}

#[test]
fn context_only_types_need_their_words() {
    assert!(types("ref 12345678 attached").is_empty());
    assert!(types("code 123 and 4567").is_empty());
    assert!(types("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").is_empty());
}
