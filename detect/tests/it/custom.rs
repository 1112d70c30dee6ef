//! Custom recognizers declared in a detector's configuration (a policy's `[[recognizers]]`).

use detect::{EntityType, PatternConfig, PatternDetector, Recognizer, Validator};

fn recognizer(name: &str, type_name: &str, pattern: &str) -> Recognizer {
    Recognizer {
        name: name.into(),
        type_name: type_name.into(),
        pattern: Some(pattern.into()),
        patterns: vec![],
        validator: None,
        context: vec![],
        score: 0.6,
        deny: vec![],
        allow: vec![],
    }
}

fn detector(recognizers: Vec<Recognizer>) -> PatternDetector {
    PatternDetector::new(PatternConfig {
        recognizers,
        ..Default::default()
    })
    .unwrap()
}

fn found(d: &PatternDetector, text: &str) -> Vec<(String, String, f32)> {
    d.detect_text(text)
        .into_iter()
        .map(|x| {
            (
                x.entity_type.to_string(),
                text[x.start..x.end].to_string(),
                x.score,
            )
        })
        .collect()
}

fn has(d: &PatternDetector, text: &str, t: &str, value: &str) -> bool {
    found(d, text)
        .iter()
        .any(|(ft, v, _)| ft == t && v == value)
}

#[test]
fn a_custom_type_is_found_with_its_own_name_alongside_builtin_types() {
    let d = detector(vec![recognizer(
        "employee",
        "EMPLOYEE_ID",
        r"\bEMP-[0-9]{6}\b",
    )]);
    let text = "Ticket from EMP-204981 (jane.doe@example.com) about EMP-12.";
    let got = found(&d, text);
    assert!(
        got.iter()
            .any(|(t, v, _)| t == "EMPLOYEE_ID" && v == "EMP-204981"),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(t, v, _)| t == "EMAIL" && v == "jane.doe@example.com")
    );
    assert!(!got.iter().any(|(_, v, _)| v.contains("EMP-12")), "{got:?}");
    assert_eq!(
        d.detect_text(text)[0].entity_type,
        EntityType::custom("EMPLOYEE_ID").unwrap()
    );
    // Without the recognizer the value is not found at all.
    assert!(!has(
        &PatternDetector::default(),
        text,
        "EMPLOYEE_ID",
        "EMP-204981"
    ));
}

#[test]
fn a_value_group_narrows_the_span() {
    let d = detector(vec![recognizer(
        "badge",
        "BADGE_NUMBER",
        r"(?i)badge[ #:]+(?P<value>[A-Z]{2}[0-9]{4})\b",
    )]);
    let text = "Visitor badge #KQ4821 returned.";
    assert!(
        has(&d, text, "BADGE_NUMBER", "KQ4821"),
        "{:?}",
        found(&d, text)
    );
}

#[test]
fn a_validator_confirms_or_drops_a_match() {
    let mut r = recognizer("member", "MEMBER_NUMBER", r"\bM[0-9]{10}\b");
    r.patterns = vec![r"\bMB[0-9]{10}\b".into()];
    r.validator = Some(Validator::Mod11);
    r.score = 0.3;
    let d = detector(vec![r]);
    // 9434765919 passes mod 11; ...18 does not.
    let got = found(&d, "member M9434765919 and M9434765918, MB9434765919");
    let values: Vec<_> = got.iter().map(|(_, v, s)| (v.as_str(), *s)).collect();
    assert!(values.contains(&("M9434765919", 1.0)), "{got:?}");
    assert!(values.contains(&("MB9434765919", 1.0)), "{got:?}");
    assert!(!values.iter().any(|(v, _)| *v == "M9434765918"), "{got:?}");
}

#[test]
fn context_words_raise_a_low_score_over_the_threshold() {
    let mut r = recognizer("case", "CASE_REFERENCE", r"\b[A-Z]{3}[0-9]{5}\b");
    r.score = 0.3;
    r.context = vec!["case".into(), "Claim Ref".into()];
    let d = detector(vec![r]);
    assert!(has(
        &d,
        "Our case QXR12345 is open",
        "CASE_REFERENCE",
        "QXR12345"
    ));
    assert!(has(&d, "claim ref: QXR12345", "CASE_REFERENCE", "QXR12345"));
    assert!(!has(
        &d,
        "Product QXR12345 shipped",
        "CASE_REFERENCE",
        "QXR12345"
    ));
}

#[test]
fn allow_and_deny_lists_apply_per_recognizer() {
    let mut r = recognizer("employee", "EMPLOYEE_ID", r"\bEMP-[0-9]{6}\b");
    r.allow = vec!["EMP-000000".into()];
    r.deny = vec!["Project Nightjar".into()];
    let d = detector(vec![r]);
    let text = "EMP-000000 is the template, EMP-123456 is real; Project Nightjar is secret.";
    let got = found(&d, text);
    assert!(!got.iter().any(|(_, v, _)| v == "EMP-000000"), "{got:?}");
    assert!(has(&d, text, "EMPLOYEE_ID", "EMP-123456"));
    assert!(has(&d, text, "EMPLOYEE_ID", "Project Nightjar"));
}

#[test]
fn a_rejected_custom_match_leaves_the_builtin_reading() {
    // The custom pattern also matches card numbers, but its checksum rejects this one:
    // the card shape still reads it.
    let mut r = recognizer("loyalty", "LOYALTY_NUMBER", r"\b[0-9]{16}\b");
    r.validator = Some(Validator::Mod97);
    let d = detector(vec![r]);
    assert!(has(
        &d,
        "card 4111111111111111",
        "CREDIT_DEBIT_NUMBER",
        "4111111111111111"
    ));
}

#[test]
fn a_builtin_type_can_get_more_shapes() {
    let mut r = recognizer("staff passport", "PASSPORT_NUMBER", r"\bPP/[0-9]{7}\b");
    r.score = 0.9;
    let d = detector(vec![r]);
    assert!(has(
        &d,
        "scan of PP/1234567 attached",
        "PASSPORT_NUMBER",
        "PP/1234567"
    ));
}

#[test]
fn bad_recognizers_are_config_errors_naming_the_field() {
    let bad = [
        (recognizer("r", "EMPLOYEE_ID", "EMP("), "pattern"),
        (recognizer("r", "EMPLOYEE_ID", "a?"), "pattern"),
        (recognizer("r", "Email", "EMP"), "type"),
        (recognizer("r", "employee id", "EMP"), "type"),
    ];
    for (r, field) in bad {
        let e = PatternDetector::new(PatternConfig {
            recognizers: vec![r],
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("recognizers[0]") && e.contains(field), "{e}");
    }
}

/// The patterns of 200 recognizers, each for its own type: every one is found, in the same
/// single pass, and the built-in types still are.
pub fn two_hundred() -> Vec<Recognizer> {
    (0..200)
        .map(|i| {
            let mut r = recognizer(
                &format!("r{i}"),
                &format!("CUSTOM_{i}"),
                &format!(r"\bK{i:03}-[0-9]{{4}}[A-Z]\b"),
            );
            r.context = vec![format!("ref{i}")];
            r
        })
        .collect()
}

#[test]
fn two_hundred_recognizers_in_one_pass() {
    let d = detector(two_hundred());
    let mut text = String::from("Mail anna@example.se or call +44 20 7946 0958. ");
    for i in (0..200).step_by(7) {
        text.push_str(&format!("Item K{i:03}-1234Z logged. "));
    }
    let got = found(&d, &text);
    for i in (0..200).step_by(7) {
        let want = (format!("CUSTOM_{i}"), format!("K{i:03}-1234Z"));
        assert!(
            got.iter().any(|(t, v, _)| (t, v) == (&want.0, &want.1)),
            "{want:?} in {got:?}"
        );
    }
    assert!(got.iter().any(|(t, _, _)| t == "EMAIL"));
    assert!(got.iter().any(|(t, _, _)| t == "PHONE"));
}
