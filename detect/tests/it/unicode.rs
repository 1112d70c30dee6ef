//! Offsets stay right around multi-byte text.

use detect::offsets::to_entities;
use detect::{EntityType, PatternDetector};

fn check(prefix: &str, value: &str, suffix: &str, t: EntityType) {
    let text = format!("{prefix}{value}{suffix}");
    let d = PatternDetector::default().detect_text(&text);
    assert_eq!(d.len(), 1, "{text:?}: {d:?}");
    assert_eq!(d[0].entity_type, t);
    assert_eq!(&text[d[0].start..d[0].end], value);
    assert!(text.is_char_boundary(d[0].start) && text.is_char_boundary(d[0].end));
    let e = to_entities(&text, &d, None);
    assert_eq!(e[0].begin, prefix.chars().count());
    assert_eq!(e[0].end, prefix.chars().count() + value.chars().count());
}

#[test]
fn emoji_cjk_and_combining_marks_around_entities() {
    check(
        "😀 支払い card ",
        "4111 1111 1111 1111",
        " 👍🏽 ok",
        EntityType::CreditDebitNumber,
    );
    check(
        "顧客のメール: ",
        "user@example.com",
        "。ありがとう",
        EntityType::Email,
    );
    check(
        "cafe\u{301} SSN ",
        "536-22-1234",
        "\u{301} é",
        EntityType::Ssn,
    );
    check(
        "🇬🇧 IBAN ",
        "GB82WEST12345698765432",
        " 🏦",
        EntityType::InternationalBankAccountNumber,
    );
}

#[test]
fn names_with_non_ascii_letters_and_combining_marks() {
    let text = "Bonjour Mme, voici Dr José Garci\u{301}a 😀";
    let d = PatternDetector::default().detect_text(text);
    assert_eq!(d.len(), 1);
    assert_eq!(&text[d[0].start..d[0].end], "José Garci\u{301}a");
}

#[test]
fn digits_glued_to_non_ascii_letters() {
    // No ASCII word character touches the card, so it is still found.
    let text = "番号4111111111111111です";
    let d = PatternDetector::default().detect_text(text);
    assert_eq!(d.len(), 1);
    assert_eq!(&text[d[0].start..d[0].end], "4111111111111111");
}
