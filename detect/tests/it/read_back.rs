//! E-mail addresses are matched from their "@" and IPv6 addresses from their first ":",
//! and read back over the local part or first group; what the shapes found inside it gives
//! way to the address.

use detect::EntityType;

use crate::escaped::spans as found;

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
    // Without a local part, the "@" starts a chat handle instead.
    assert_eq!(
        found("ping @marcus.dev about it"),
        [(EntityType::Username, "marcus.dev")]
    );
    assert_eq!(
        found("a..b@x.com and bob@x.com"),
        [(EntityType::Email, "bob@x.com")]
    );
}

#[test]
fn ipv6_addresses_read_back_over_their_first_group() {
    assert_eq!(
        found("host 2001:db8::1 is up"),
        [(EntityType::IpAddress, "2001:db8::1")]
    );
    assert_eq!(
        found("link fe80::1ff:fe23:4567:890a ok"),
        [(EntityType::IpAddress, "fe80::1ff:fe23:4567:890a")]
    );
    assert_eq!(found("loopback ::1 seen"), [(EntityType::IpAddress, "::1")]);
    // A time and a MAC address start before their first colon and stay what they are.
    assert_eq!(
        found("at 10:30:00 we met"),
        [(EntityType::DateTime, "10:30:00")]
    );
    assert_eq!(
        found("mac 00:1A:2B:3C:4D:5E here"),
        [(EntityType::MacAddress, "00:1A:2B:3C:4D:5E")]
    );
    // Five hex digits or a word before the colon are no group.
    assert!(found("bad abcdef::1 here").is_empty());
    assert!(found("note: ab:cd is not").is_empty());
}

#[test]
fn an_age_set_off_after_a_capitalised_word() {
    let ages = |text: &'static str| -> Vec<&'static str> {
        found(text)
            .into_iter()
            .filter(|(t, _)| *t == EntityType::Age)
            .map(|(_, s)| s)
            .collect()
    };
    assert_eq!(ages("Chinonso Obi, 19, from Enugu, joined"), ["19"]);
    assert_eq!(ages("Zdeněk Horák (52) is our driver"), ["52"]);
    // No capitalised word right before the comma or bracket.
    assert!(ages("items 4, 19, and 23 arrived").is_empty());
    assert!(ages("the list (52) is long").is_empty());
}
