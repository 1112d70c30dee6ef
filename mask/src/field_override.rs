use std::borrow::Cow;

use detect::EntityType;
// The same normalization detect's field rules use, so a policy rule and the scanner agree
// on which fields it names.
pub use detect::records::normalize_key;
use serde::{Deserialize, Serialize};

use crate::Action;

/// A per-field override. `field` is either a JSON Pointer (starts with `/`) or a key name
/// matched case- and separator-insensitively (`mobile_number` matches `mobileNumber`).
/// Like detect's field rules, a rule on an object or array covers everything inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldOverride {
    pub field: String,
    /// Marks the whole field value as this entity type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<EntityType>,
    /// Action for every entity inside the field, whatever its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
}

impl FieldOverride {
    pub fn matches(&self, pointer: &str) -> bool {
        if self.field.starts_with('/') {
            pointer_matches(&self.field, pointer)
        } else {
            // Asked for every entity in a field a rule may name: compared without allocating.
            pointer
                .split('/')
                .skip(1)
                .filter(|seg| !seg.bytes().all(|b| b.is_ascii_digit()))
                .any(|seg| {
                    let seg = if seg.contains('~') {
                        Cow::Owned(unescape_segment(seg))
                    } else {
                        Cow::Borrowed(seg)
                    };
                    normalized(&seg).eq(normalized(&self.field))
                })
        }
    }

    /// A rule that keeps a field and names no type means "this field holds no PII".
    pub fn skips_field(&self) -> bool {
        self.entity_type.is_none() && matches!(self.action, Some(Action::Keep))
    }
}

/// The field name a pointer ends in, skipping array indices (`/phones/0` is `phones`).
pub fn key_of(pointer: &str) -> Option<String> {
    pointer
        .rsplit('/')
        .take_while(|_| !pointer.is_empty())
        .filter(|seg| !seg.is_empty())
        .find(|seg| !seg.bytes().all(|b| b.is_ascii_digit()))
        .map(unescape_segment)
}

/// The characters of `normalize_key(key)`, one by one.
fn normalized(key: &str) -> impl Iterator<Item = char> + '_ {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .map(|c| c.to_ascii_lowercase())
}

fn unescape_segment(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

fn pointer_matches(pattern: &str, pointer: &str) -> bool {
    match pointer.strip_prefix(pattern) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_as_normalize_key_writes_them() {
        for key in [
            "mobile_number",
            "Mobile-Number",
            "e.mail Address",
            "ÄrztIn_Name",
            "",
            "__",
        ] {
            assert_eq!(
                normalized(key).collect::<String>(),
                normalize_key(key),
                "{key}"
            );
        }
        let rule = |field: &str| FieldOverride {
            field: field.into(),
            entity_type: None,
            action: None,
        };
        assert!(rule("mobile_number").matches("/contact/mobileNumber"));
        assert!(rule("a/b").matches("/x/a~1b/0"));
        assert!(!rule("mobile").matches("/contact/mobileNumber"));
    }

    fn rule(field: &str) -> FieldOverride {
        FieldOverride {
            field: field.into(),
            entity_type: None,
            action: None,
        }
    }

    #[test]
    fn key_names_match_across_naming_conventions() {
        assert!(rule("mobile_number").matches("/user/mobileNumber"));
        assert!(rule("MobileNumber").matches("/mobile-number"));
        assert!(!rule("mobile").matches("/mobileNumber"));
        assert!(rule("phones").matches("/contact/phones/3"));
    }

    #[test]
    fn pointers_match_themselves_and_what_is_inside() {
        assert!(rule("/address/fullAddress").matches("/address/fullAddress"));
        assert!(!rule("/address/fullAddress").matches("/billing/address/fullAddress"));
        assert!(!rule("/address/full").matches("/address/fullAddress"));
        assert!(rule("/address").matches("/address/fullAddress"));
        assert!(rule("/users").matches("/users/12/email"));
    }

    #[test]
    fn key_rules_cover_nested_values() {
        assert!(rule("notes").matches("/notes/0/text"));
        assert!(!rule("notes").matches("/note"));
    }

    #[test]
    fn escaped_segments_are_unescaped_for_key_matching() {
        assert_eq!(key_of("/a~1b").as_deref(), Some("a/b"));
        assert_eq!(key_of("/x/0/1"), Some("x".to_string()));
        assert_eq!(key_of("/0"), None);
    }
}
