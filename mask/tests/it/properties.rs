//! Invariants of masking over arbitrary text.

use detect::{Detection, EntityType, Source};
use mask::{HashKey, Masker, Policy};
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = String> {
    // Filler never contains digits, so a digit-only original can only survive through a bug.
    proptest::string::string_regex("[a-zA-Zé中😀 ,.\u{301}]{0,12}").unwrap()
}

fn secret() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[0-9]{6,16}").unwrap()
}

proptest! {
    #[test]
    fn no_original_survives_irreversible_actions(
        parts in proptest::collection::vec((piece(), secret()), 1..6),
        tail in piece(),
        policy_name in prop_oneof![Just("redact"), Just("replace"), Just("hash"), Just("mask")],
    ) {
        let mut text = String::new();
        let mut detections = Vec::new();
        for (filler, value) in &parts {
            text.push_str(filler);
            let start = text.len();
            text.push_str(value);
            detections.push(Detection {
                entity_type: EntityType::BankAccountNumber,
                start,
                end: text.len(),
                score: 1.0,
                source: Source::Pattern,
            });
            text.push(' ');
        }
        text.push_str(&tail);
        let action = match policy_name {
            "mask" => r#"{"action":"mask"}"#.to_string(),
            other => format!(r#"{{"action":"{other}"}}"#),
        };
        let policy = Policy::from_json(&format!(r#"{{"name":"p","default":{action}}}"#), "p").unwrap();
        let key = HashKey::from_bytes([7; 32]);
        let masked = Masker::new(&policy, Some(&key)).unwrap().mask(&text, &detections, None).unwrap();
        for (_, value) in &parts {
            prop_assert!(!masked.text.contains(value.as_str()), "{value} survived in {}", masked.text);
        }
        prop_assert_eq!(masked.summary.entity_count, parts.len());
        prop_assert!(masked.pending.is_empty());
    }

    #[test]
    fn pending_offsets_point_at_the_unchanged_values(
        parts in proptest::collection::vec((piece(), secret()), 1..6),
    ) {
        let mut text = String::new();
        let mut detections = Vec::new();
        for (i, (filler, value)) in parts.iter().enumerate() {
            text.push_str(filler);
            let start = text.len();
            text.push_str(value);
            let entity_type = if i % 2 == 0 { EntityType::Ssn } else { EntityType::Pin };
            detections.push(Detection { entity_type, start, end: text.len(), score: 1.0, source: Source::Pattern });
            text.push(' ');
        }
        let policy = Policy::from_json(
            r#"{"name":"p","types":{"SSN":{"action":"tokenize"}},"default":{"action":"replace","with":"<x>"}}"#, "p").unwrap();
        let masked = Masker::new(&policy, None).unwrap().mask(&text, &detections, None).unwrap();
        let expected: Vec<&str> = parts.iter().step_by(2).map(|(_, v)| v.as_str()).collect();
        let got: Vec<&str> = masked.pending.iter().map(|d| &masked.text[d.start..d.end]).collect();
        prop_assert_eq!(got, expected);
        for d in &masked.pending {
            prop_assert!(masked.text.is_char_boundary(d.start) && masked.text.is_char_boundary(d.end));
        }
    }
}
