//! Invariants of every detection on arbitrary input.

use std::sync::OnceLock;

use detect::PatternDetector;
use proptest::prelude::*;

fn detector() -> &'static PatternDetector {
    static D: OnceLock<PatternDetector> = OnceLock::new();
    D.get_or_init(PatternDetector::default)
}

const SAMPLES: &[&str] = &[
    "4111 1111 1111 1111",
    "jane@example.com",
    "SSN 536-22-1234",
    "GB82 WEST 1234 5698 7654 32",
    "+44 20 7946 0958",
    "2024-02-29",
    "Dr José García",
    "10.0.0.1",
    "password: hunter2",
    "943 476 5919",
    "221 Baker Street",
    "Please contact Zdeněk Horák",
    "Dear Þórunn Guðmundsdóttir,",
    "logged by 山田太郎",
    "12 rue de la Paix, 75002 Paris",
    "Adrian D. Mccullough",
    "Unit 3/45 Crown St, Wollongong NSW 2500",
    "😀",
    "e\u{301}",
    "中文",
    " ",
    "-",
    ".",
    "0",
];

fn check(text: &str) -> Result<(), TestCaseError> {
    let threshold = detector().config().threshold;
    let found = detector().detect_text(text);
    let mut last_end = 0;
    for d in &found {
        prop_assert!(d.start < d.end && d.end <= text.len(), "{d:?}");
        prop_assert!(
            text.is_char_boundary(d.start) && text.is_char_boundary(d.end),
            "{d:?}"
        );
        prop_assert!(d.start >= last_end, "sorted and non-overlapping: {found:?}");
        prop_assert!((threshold..=1.0).contains(&d.score), "{d:?}");
        last_end = d.end;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn pii_glued_to_arbitrary_text(parts in prop::collection::vec((any::<String>(), prop::sample::select(SAMPLES)), 0..8)) {
        let text: String = parts.iter().flat_map(|(noise, pii)| [noise.as_str(), *pii]).collect();
        check(&text)?;
    }

    #[test]
    fn digit_soup(text in "[0-9 .:/+()\\-A-Za-z@]{0,80}") {
        check(&text)?;
    }
}

/// Words the name, place and address rules look ahead and behind from, so that texts
/// made of them end, or break a line, in the middle of every rule.
const RULE_WORDS: &[&str] = &[
    "12",
    "5th",
    "84/92",
    "110",
    "00",
    "#",
    "No",
    "No.",
    "nº",
    "m.",
    "Flat",
    "Unit",
    "Floor",
    "Apt",
    "Block",
    "C",
    "B",
    "Street",
    "St.",
    "Rd",
    "rue",
    "de",
    "la",
    "Calle",
    "Via",
    "Av.",
    "Keizersgracht",
    "Hauptstr.",
    "Baker",
    "Paris",
    "São",
    "Paulo",
    "-",
    "SP",
    "Co.",
    "Dublin",
    "County",
    "Kerry",
    "PO",
    "Box",
    "Postfach",
    "NSW",
    "2000",
    "EC1A",
    "1BB",
    "Ireland",
    "Galway",
    "Can",
    "Dear",
    "Dr",
    "Ana",
    "Kowalczyk",
    "To",
    ":",
    ",",
    ".",
    "?",
    "(",
    ")",
    "&",
    "+",
    "and",
    "in",
    "at",
    "lives",
    "said",
    "by",
    "Lake",
    "Mount",
    "North",
    "St",
    "Saint",
    "Union",
    "Square",
    "U.K.",
    "D.C.",
    "山田太郎",
    "様",
    "東京都",
    "2-21-1",
    "Quận",
    "Jan-Willem",
    "van",
    "der",
    "O'Brien",
    "9",
    "avril",
    "März",
    "15.",
    "\n",
    "\n\n",
];

fn rule_words() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(RULE_WORDS),
            prop::sample::select(&[" ", " ", " ", "", ", ", "\n"][..]),
        ),
        0..24,
    )
    .prop_map(|parts| parts.iter().flat_map(|(w, sep)| [*w, *sep]).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn texts_of_rule_words(text in rule_words()) {
        check(&text)?;
    }

    #[test]
    fn texts_of_rule_words_without_their_last_separator(text in rule_words()) {
        check(text.trim_end())?;
    }
}
