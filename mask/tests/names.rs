//! People named in context never survive masking: the detector finds them (offsets on char
//! boundaries, whatever the text around them) and the masker removes every character.

use detect::{EntityType, PatternDetector};
use mask::{Masker, Policy};
use proptest::prelude::*;

const GIVEN: &[&str] = &[
    "Dana",
    "Adrian",
    "Zdeněk",
    "Þórunn",
    "Chukwuemeka",
    "Priya",
    "Mehmet",
    "Søren",
    "Aoife",
    "José",
    "Wanjiru",
    "Ingrid",
    "Tomás",
    "Katarzyna",
    "Hamza",
];
const SURNAMES: &[&str] = &[
    "Carrillo",
    "Mccullough",
    "Horák",
    "Guðmundsdóttir",
    "Okonkwo",
    "Sharma",
    "Yılmaz",
    "Kowalczyk",
    "O'Brien",
    "Fernández",
    "Kamau",
    "Solberg",
    "van der Berg",
    "al-Rashid",
];
const CONTEXTS: &[(&str, &str)] = &[
    ("Please contact ", " regarding the refund."),
    ("Dear ", ",\n"),
    ("Spoke with ", "; the issue is fixed. "),
    ("The account holder, ", ", confirmed the change. "),
    ("Escalated by ", " from the retail team. "),
    ("Thanks, ", "! "),
];

fn filler() -> impl Strategy<Value = String> {
    // Lower case only, so that the filler holds no name of its own.
    proptest::string::string_regex("[a-zé中😀 ,.\u{301}]{0,16}").unwrap()
}

fn person() -> impl Strategy<Value = String> {
    (prop::sample::select(GIVEN), prop::sample::select(SURNAMES))
        .prop_map(|(g, s)| format!("{g} {s}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_name_in_context_survives_masking(
        parts in prop::collection::vec((filler(), prop::sample::select(CONTEXTS), person()), 1..5),
    ) {
        let mut text = String::new();
        let mut names = Vec::new();
        for (noise, (before, after), name) in &parts {
            text.push_str(noise);
            text.push(' ');
            text.push_str(before);
            text.push_str(name);
            text.push_str(after);
            names.push(name.clone());
        }
        let detector = PatternDetector::default();
        let detections = detector.detect_text(&text);
        for d in &detections {
            prop_assert!(text.is_char_boundary(d.start) && text.is_char_boundary(d.end), "{d:?}");
        }
        prop_assert!(
            detections.iter().any(|d| d.entity_type == EntityType::Name),
            "no name found in {text:?}"
        );
        let policy = Policy::builtin("redact").unwrap();
        let masked = Masker::new(&policy, None).unwrap().mask(&text, &detections, None).unwrap();
        for name in &names {
            for part in name.split(' ').filter(|p| p.chars().count() > 3) {
                prop_assert!(!masked.text.contains(part), "{part:?} survives in {:?}", masked.text);
            }
        }
    }
}
