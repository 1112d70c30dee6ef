use std::sync::Arc;

use detect::{
    DetectError, EntityType, FieldRule, FieldRules, PatternDetector, RecordScanner, Source,
    ValueKind,
};
use serde_json::{Value, json};

fn scanner() -> RecordScanner {
    RecordScanner::new(Arc::new(PatternDetector::default()))
}

#[test]
fn typical_record() {
    let record = json!({
        "customer": {
            "firstName": "Ann",
            "email": "ann@example.com",
            "dob": "1990-01-31",
            "address": {"street": "1 High Street", "postcode": "SW1A 1AA"},
        },
        "notes": ["called from 202-555-0173", "nothing"],
        "orderId": "A-123",
        "total": 19.99,
    });
    let findings = scanner().scan(&record).unwrap();
    let mut got: Vec<(&str, EntityType, Source)> = findings
        .iter()
        .flat_map(|f| {
            f.detections
                .iter()
                .map(move |d| (f.path.as_str(), d.entity_type, d.source))
        })
        .collect();
    // Object order depends on serde_json's `preserve_order` feature; compare sorted.
    got.sort_by(|a, b| a.0.cmp(b.0));
    assert_eq!(
        got,
        vec![
            (
                "/customer/address/postcode",
                EntityType::Address,
                Source::Field
            ),
            (
                "/customer/address/street",
                EntityType::Address,
                Source::Field
            ),
            ("/customer/dob", EntityType::DateTime, Source::Field),
            ("/customer/email", EntityType::Email, Source::Field),
            ("/customer/firstName", EntityType::Name, Source::Field),
            ("/notes/0", EntityType::Phone, Source::Pattern),
        ]
    );
    // Every path resolves to the value it describes.
    for f in &findings {
        assert!(
            record.pointer(&f.path).is_some_and(Value::is_string),
            "{}",
            f.path
        );
    }
}

#[test]
fn national_id_fields_are_ssns() {
    let record = json!({
        "cpf": "529.982.247-25",
        "codice_fiscale": "RSSMRA85T10A562S",
        "nationalId": "44051401359",
        "notes": "PESEL 44051401359, order 44051401358",
        "orderId": "44051401359",
    });
    let findings = scanner().scan(&record).unwrap();
    let mut got: Vec<(&str, EntityType, Source)> = findings
        .iter()
        .flat_map(|f| {
            f.detections
                .iter()
                .map(move |d| (f.path.as_str(), d.entity_type, d.source))
        })
        .collect();
    got.sort_by(|a, b| a.0.cmp(b.0));
    assert_eq!(
        got,
        vec![
            ("/codice_fiscale", EntityType::Ssn, Source::Field),
            ("/cpf", EntityType::Ssn, Source::Field),
            ("/nationalId", EntityType::Ssn, Source::Field),
            ("/notes", EntityType::Ssn, Source::Pattern),
        ]
    );
}

#[test]
fn pointer_escaping_and_entities() {
    let record = json!({"a/b": {"c~d": "mail x@example.com"}});
    let entities = scanner().scan_entities(&record).unwrap();
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].path.as_deref(), Some("/a~1b/c~0d"));
    assert_eq!((entities[0].begin, entities[0].end), (5, 18));
    assert_eq!(
        record.pointer("/a~1b/c~0d"),
        Some(&json!("mail x@example.com"))
    );
}

#[test]
fn rules_override_hints() {
    let record =
        json!({"name": "Blue Widget", "ref": "ann@example.com", "petName": "Rex", "count": 4});
    let rules = FieldRules::new()
        .with("name", FieldRule::Patterns)
        .with("/ref", FieldRule::NotPii)
        .with("petName", FieldRule::Entity(EntityType::Name))
        .with("count", FieldRule::Entity(EntityType::Age));
    let findings = scanner().with_rules(rules).scan(&record).unwrap();
    let mut got: Vec<(&str, ValueKind, EntityType)> = findings
        .iter()
        .map(|f| (f.path.as_str(), f.kind, f.detections[0].entity_type))
        .collect();
    got.sort_by(|a, b| a.0.cmp(b.0));
    assert_eq!(
        got,
        vec![
            ("/count", ValueKind::Number, EntityType::Age),
            ("/petName", ValueKind::String, EntityType::Name)
        ]
    );
}

#[test]
fn hints_can_be_switched_off() {
    let record = json!({"email": "not an address"});
    assert_eq!(scanner().scan(&record).unwrap().len(), 1);
    assert!(
        scanner()
            .with_builtin_hints(false)
            .scan(&record)
            .unwrap()
            .is_empty()
    );
}

/// Builds `depth` nested arrays without recursion.
fn nested(depth: usize) -> Value {
    let mut v = json!("x@example.com");
    for _ in 0..depth {
        v = Value::Array(vec![v]);
    }
    v
}

#[test]
fn ten_thousand_levels_is_too_deep_not_a_crash() {
    let deep = nested(10_000);
    let err = scanner().scan(&deep).unwrap_err();
    match &err {
        DetectError::TooDeep { limit, path } => {
            assert_eq!(*limit, 64);
            assert_eq!(path, &"/0".repeat(64));
        }
        e => panic!("{e}"),
    }
    // Dropping a 10,000-deep serde_json::Value recurses and could overflow the test
    // thread's stack; leak it instead.
    std::mem::forget(deep);
}

#[test]
fn depth_at_the_limit_is_fine() {
    let v = nested(64);
    let findings = scanner().scan(&v).unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].path, "/0".repeat(64));
    let too_deep = nested(65);
    assert!(scanner().scan(&too_deep).is_err());
    assert!(scanner().with_max_depth(65).scan(&too_deep).is_ok());
}
