//! E-mail addresses are matched from their "@" and read back over the local part; what
//! the shapes found inside the local part gives way to the address.

use detect::{EntityType, PatternDetector};

fn found(text: &str) -> Vec<(EntityType, &str)> {
    PatternDetector::default()
        .detect_text(text)
        .into_iter()
        .map(|d| (d.entity_type, &text[d.start..d.end]))
        .collect()
}

#[test]
fn the_local_part_is_read_back_from_the_at_sign() {
    assert_eq!(
        found("write to jane.o-neil+billing@example.co.uk today"),
        [(EntityType::Email, "jane.o-neil+billing@example.co.uk")]
    );
    assert_eq!(
        found("Zdeněk.Horák@example.cz"),
        [(EntityType::Email, "Zdeněk.Horák@example.cz")]
    );
}

#[test]
fn shapes_inside_the_local_part_give_way_to_the_address() {
    // A year and an access-key-like token would be found on their own.
    assert_eq!(
        found("contact john.smith.1985@example.com now"),
        [(EntityType::Email, "john.smith.1985@example.com")]
    );
    assert_eq!(
        found("AKIAIOSFODNN7EXAMPLE@corp.example.org"),
        [(EntityType::Email, "AKIAIOSFODNN7EXAMPLE@corp.example.org")]
    );
}

#[test]
fn a_detection_before_the_local_part_keeps_its_bytes() {
    let got = found("call (555) 123-4567 or mail bob@x.com");
    assert_eq!(got.last(), Some(&(EntityType::Email, "bob@x.com")));
    assert!(
        got.iter()
            .any(|(t, s)| *t == EntityType::Phone && s.contains("4567"))
    );
}

#[test]
fn no_address_without_a_local_part_or_with_a_bad_one() {
    assert!(found("ping @marcus.dev about it").is_empty());
    assert_eq!(
        found("a..b@x.com and bob@x.com"),
        [(EntityType::Email, "bob@x.com")]
    );
}
