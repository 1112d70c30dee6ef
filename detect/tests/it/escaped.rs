//! Text with literal escape sequences (logs, JSON dumps) and URLs written in any case.

use detect::{EntityType, PatternDetector};

/// What the default detector finds in `text`: each detection's type and text.
pub(crate) fn spans(text: &str) -> Vec<(EntityType, &str)> {
    PatternDetector::default()
        .detect_text(text)
        .into_iter()
        .map(|d| (d.entity_type, &text[d.start..d.end]))
        .collect()
}

#[test]
fn a_token_after_a_literal_escape_has_exact_boundaries() {
    use EntityType::*;
    assert_eq!(
        spans(r"Contact:\nanna.berg@example.se"),
        vec![(Email, "anna.berg@example.se")]
    );
    assert_eq!(
        spans(r"link:\nhttps://ShopRiver.io/"),
        vec![(Url, "https://ShopRiver.io/")]
    );
    assert_eq!(
        spans(r#"msg="SSN:\t536-22-8726\r\nCard:\t4111111111111111""#),
        vec![
            (Ssn, "536-22-8726"),
            (CreditDebitNumber, "4111111111111111")
        ]
    );
    assert_eq!(
        spans(r#"user=\"maria@example.es\""#),
        vec![(Email, "maria@example.es")]
    );
}

#[test]
fn an_escaped_letter_belongs_to_its_word() {
    // The escape is part of the address, so the span covers it.
    assert_eq!(
        spans(r"write to \u00e9lise@example.fr"),
        vec![(EntityType::Email, r"\u00e9lise@example.fr")]
    );
    assert!(spans(r"caf\u00e9 \n au lait \t").is_empty());
}

#[test]
fn escaped_backslashes_do_not_start_escapes() {
    // `\\n` is a backslash and the letter n: the address really is "nanna@…".
    assert_eq!(
        spans(r"path C:\\nanna@example.se"),
        vec![(EntityType::Email, "nanna@example.se")]
    );
}

#[test]
fn urls_in_any_case_are_found_whole() {
    use EntityType::Url;
    for url in [
        "HTTPS://Example.COM/Orders/42",
        "https://docs.example.org/guide/",
        "http://www.Example.net",
        "WWW.EXAMPLE.CO.UK/help",
        "Ftp://files.example.com/a.zip",
    ] {
        let text = format!("see {url}. Thanks");
        assert_eq!(spans(&text), vec![(Url, url)], "{text}");
    }
    assert!(spans("the www is big; https:// alone").is_empty());
}
