//! Phone numbers of many regions in their national formats, and the numbers that only
//! look like them.

use detect::{DetectError, EntityType, PatternConfig, PatternDetector};

fn phones_with(detector: &PatternDetector, text: &str) -> Vec<String> {
    detector
        .detect_text(text)
        .into_iter()
        .filter(|d| d.entity_type == EntityType::Phone)
        .map(|d| text[d.start..d.end].to_string())
        .collect()
}

fn phones(text: &str) -> Vec<String> {
    phones_with(&PatternDetector::default(), text)
}

#[test]
fn national_formats_with_context_and_no_country_code() {
    for (text, phone) in [
        ("Our Rio office phone is (21) 3456-7890.", "(21) 3456-7890"),
        ("Call me on 612 345 678 tomorrow.", "612 345 678"),
        ("Reach me at 0381 2345678 please.", "0381 2345678"),
        ("Tel. 97 123456 (Oslo)", "97 123456"),
        ("If busy, call 555 0199 instead.", "555 0199"),
        (
            "Desk phone 415-555-0199x12, ask for billing.",
            "415-555-0199x12",
        ),
        ("Ligue-moi au 01.42.68.53.07 avant midi.", "01.42.68.53.07"),
        ("Telefone (11) 98765-4321", "(11) 98765-4321"),
        ("Tel (02) 9876 5432", "(02) 9876 5432"),
        ("Phone (555) 123-4567 after six", "(555) 123-4567"),
        ("Contact: 212-555-0147 ext. 204", "212-555-0147 ext. 204"),
        ("WhatsApp +55 11 91234-5678 if urgent.", "+55 11 91234-5678"),
    ] {
        assert_eq!(phones(text), vec![phone.to_string()], "{text:?}");
    }
}

#[test]
fn a_french_number_is_not_read_as_an_ip_address() {
    let text = "au 01.42.68.53.07 merci";
    let found = PatternDetector::default().detect_text(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].entity_type, EntityType::Phone);
}

#[test]
fn versions_orders_timestamps_and_amounts_are_not_phones() {
    for text in [
        "Upgraded the client to version 10.4.2.1 and build 7.3.15.",
        "Call us about order number 612345678 shipped on Monday.",
        "Phone support: ticket #612 345 678 is closed.",
        "Call logged at 1712345678 with id 48213991.",
        "Call back: the invoice total is 1 234 567 EUR.",
        "Phone bill of $12 345 678 paid.",
        "Call about 2 450 000,00 owed.",
        "Timestamp 1699999999999 ms on the call.",
        "Release 4.12.0 ships with patch 4.12.0.3.",
    ] {
        assert!(phones(text).is_empty(), "{text:?}: {:?}", phones(text));
    }
}

#[test]
fn plain_digit_runs_need_a_phone_word() {
    assert!(phones("Meet me at 612 345 678 metres.").is_empty());
    assert!(phones("see 97 123456 above").is_empty());
    assert!(phones("room 555 0199").is_empty());
}

#[test]
fn a_policy_names_the_regions_to_try() {
    let gb_only = PatternDetector::new(PatternConfig {
        phone_regions: vec!["GB".into()],
        ..Default::default()
    })
    .unwrap();
    let text = "Call me on 612 345 678 tomorrow.";
    assert!(phones_with(&gb_only, text).is_empty(), "a Spanish mobile");
    let spain = PatternDetector::new(PatternConfig {
        phone_regions: vec!["ES".into()],
        ..Default::default()
    })
    .unwrap();
    assert_eq!(phones_with(&spain, text), vec!["612 345 678".to_string()]);

    let err = PatternDetector::new(PatternConfig {
        phone_regions: vec!["Spain".into()],
        ..Default::default()
    })
    .unwrap_err();
    assert!(
        matches!(&err, DetectError::Config(m) if m.contains("Spain")),
        "{err}"
    );
}
