use serde::{Deserialize, Serialize};

use crate::validators::DEFAULT_PHONE_REGIONS;
use crate::{EntityType, Recognizer};

/// A string that is always reported as `entity_type` wherever it occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DenyTerm {
    pub value: String,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
}

/// Settings of the pattern detector. `Default` reports every type at score >= 0.5 and looks
/// five words back for context.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PatternConfig {
    /// Detections scoring below this are dropped (0.0..=1.0).
    pub threshold: f32,
    /// Types to report; anything else is never reported.
    pub enabled: Vec<EntityType>,
    /// Exact strings that are never reported, whatever type they look like.
    pub allow_list: Vec<String>,
    /// Exact strings that are always reported (score 1.0), even inside other text. A term
    /// that starts or ends with a letter or digit only matches at ASCII word boundaries, so
    /// `Ann` does not fire inside `Annual`.
    pub deny_list: Vec<DenyTerm>,
    /// Number of words before a candidate searched for context words.
    pub context_window: usize,
    /// ISO 3166 codes of the regions a phone number written without a country code is
    /// validated for (libphonenumber metadata).
    pub phone_regions: Vec<String>,
    /// Runs the names-and-places stage after the patterns.
    pub names_and_places: bool,
    /// Custom recognizers, compiled into the same single pass as the built-in shapes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recognizers: Vec<Recognizer>,
}

impl Default for PatternConfig {
    fn default() -> Self {
        Self {
            threshold: 0.5,
            enabled: EntityType::ALL.to_vec(),
            allow_list: Vec::new(),
            deny_list: Vec::new(),
            context_window: 5,
            phone_regions: DEFAULT_PHONE_REGIONS
                .iter()
                .map(|r| r.to_string())
                .collect(),
            names_and_places: true,
            recognizers: Vec::new(),
        }
    }
}

/// Constant-time membership for the enabled types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TypeSet([bool; 64]);

impl TypeSet {
    pub(crate) fn from_types(types: &[EntityType]) -> Self {
        let mut set = [false; 64];
        for t in types.iter().filter_map(|t| t.builtin_index()) {
            set[t] = true;
        }
        Self(set)
    }

    /// Custom types are always enabled: a policy declares them to have them found.
    pub(crate) fn contains(&self, t: EntityType) -> bool {
        t.builtin_index().is_none_or(|i| self.0[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_enables_every_type() {
        let set = TypeSet::from_types(&PatternConfig::default().enabled);
        assert!(EntityType::ALL.iter().all(|&t| set.contains(t)));
    }

    #[test]
    fn partial_config_deserializes_with_defaults() {
        let cfg: PatternConfig = serde_json::from_str(
            r#"{"threshold":0.7,"deny_list":[{"value":"Acme","type":"NAME"}]}"#,
        )
        .unwrap();
        assert_eq!(cfg.threshold, 0.7);
        assert_eq!(cfg.context_window, 5);
        assert_eq!(cfg.deny_list[0].entity_type, EntityType::Name);
        let set = TypeSet::from_types(&[EntityType::Email]);
        assert!(set.contains(EntityType::Email));
        assert!(!set.contains(EntityType::Phone));
    }
}
