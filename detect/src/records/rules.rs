use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::normalize_key;
use crate::EntityType;

/// What a caller says about a field, overriding the built-in hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum FieldRule {
    /// The whole value is this entity (serialised as the type name, e.g. `"EMAIL"`).
    Entity(EntityType),
    /// Not personal data: the field is skipped entirely (`"NOT_PII"`).
    NotPii,
    /// No whole-value hint; scan the value with the text detector (`"PATTERNS"`).
    Patterns,
}

impl TryFrom<String> for FieldRule {
    type Error = crate::UnknownEntityType;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        match s.as_str() {
            "NOT_PII" => Ok(FieldRule::NotPii),
            "PATTERNS" => Ok(FieldRule::Patterns),
            other => other.parse().map(FieldRule::Entity),
        }
    }
}

impl From<FieldRule> for String {
    fn from(r: FieldRule) -> String {
        match r {
            FieldRule::Entity(t) => t.as_str().to_string(),
            FieldRule::NotPii => "NOT_PII".into(),
            FieldRule::Patterns => "PATTERNS".into(),
        }
    }
}

/// Caller rules by exact JSON Pointer (selectors starting with `/`) or by key name
/// (normalised like the built-in hints). A pointer rule beats a key rule; both beat hints.
/// A rule on an object or array applies to everything inside it unless a deeper rule says
/// otherwise. Serialises as a map from selector to rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    from = "BTreeMap<String, FieldRule>",
    into = "BTreeMap<String, FieldRule>"
)]
pub struct FieldRules {
    pointers: HashMap<String, FieldRule>,
    keys: HashMap<String, FieldRule>,
}

impl FieldRules {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a rule; `selector` is a JSON Pointer (`/customer/notes`) or a key name (`notes`).
    pub fn insert(&mut self, selector: &str, rule: FieldRule) -> &mut Self {
        if selector.starts_with('/') {
            self.pointers.insert(selector.to_string(), rule);
        } else {
            self.keys.insert(normalize_key(selector), rule);
        }
        self
    }

    /// Builder form of [`FieldRules::insert`].
    pub fn with(mut self, selector: &str, rule: FieldRule) -> Self {
        self.insert(selector, rule);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.pointers.is_empty() && self.keys.is_empty()
    }

    pub(crate) fn for_pointer(&self, pointer: &str) -> Option<FieldRule> {
        self.pointers.get(pointer).copied()
    }

    /// Whether any rule is by key name, so the walk can skip normalising keys for none.
    pub(crate) fn has_key_rules(&self) -> bool {
        !self.keys.is_empty()
    }

    pub(crate) fn for_key(&self, normalized_key: &str) -> Option<FieldRule> {
        self.keys.get(normalized_key).copied()
    }
}

impl From<BTreeMap<String, FieldRule>> for FieldRules {
    fn from(map: BTreeMap<String, FieldRule>) -> Self {
        let mut rules = FieldRules::new();
        for (selector, rule) in map {
            rules.insert(&selector, rule);
        }
        rules
    }
}

impl From<FieldRules> for BTreeMap<String, FieldRule> {
    fn from(rules: FieldRules) -> Self {
        rules.pointers.into_iter().chain(rules.keys).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_round_trip_through_json() {
        let json = r#"{"/customer/ref":"NOT_PII","customerNote":"PATTERNS","petName":"NAME"}"#;
        let rules: FieldRules = serde_json::from_str(json).unwrap();
        assert_eq!(rules.for_pointer("/customer/ref"), Some(FieldRule::NotPii));
        assert_eq!(rules.for_key("customernote"), Some(FieldRule::Patterns));
        assert_eq!(
            rules.for_key("petname"),
            Some(FieldRule::Entity(EntityType::Name))
        );
        assert!(serde_json::from_str::<FieldRules>(r#"{"x":"nope"}"#).is_err());
        // An upper-case name is a custom type (a policy checks that a recognizer declares it).
        let rules: FieldRules = serde_json::from_str(r#"{"x":"STAFF_ID"}"#).unwrap();
        assert_eq!(
            rules.for_key("x"),
            Some(FieldRule::Entity(EntityType::custom("STAFF_ID").unwrap()))
        );
    }
}
