use std::collections::BTreeMap;
use std::path::Path;

use detect::EntityType;
use serde::{Deserialize, Serialize};

use crate::{Action, FieldOverride, MaskError};

/// A named, versioned masking policy: data, loaded from JSON or TOML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub name: String,
    #[serde(default = "one")]
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Action for entity types the policy does not name.
    #[serde(default = "default_action")]
    pub default: Action,
    #[serde(default)]
    pub types: BTreeMap<EntityType, Action>,
    #[serde(default)]
    pub fields: Vec<FieldOverride>,
    /// Minimum detection score; `None` keeps the detector's own default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f32>,
    /// Exact strings that are never PII under this policy.
    #[serde(default)]
    pub allow_list: Vec<String>,
    /// Exact strings that are always PII under this policy, with their type.
    #[serde(default)]
    pub deny_list: BTreeMap<String, EntityType>,
}

fn one() -> u32 {
    1
}

fn default_action() -> Action {
    Action::Replace { with: None }
}

const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../policies/default.toml")),
    ("redact", include_str!("../policies/redact.toml")),
    (
        "tokenize-all",
        include_str!("../policies/tokenize-all.toml"),
    ),
];

impl Policy {
    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(n, _)| *n)
    }

    pub fn builtin(name: &str) -> Option<Policy> {
        BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, src)| Policy::from_toml(src, n).expect("built-in policies are valid"))
    }

    /// A built-in name, or a path to a `.json` / `.toml` file.
    pub fn resolve(name_or_path: &str) -> Result<Policy, MaskError> {
        if let Some(p) = Policy::builtin(name_or_path) {
            return Ok(p);
        }
        let path = Path::new(name_or_path);
        if path.is_file() {
            return Policy::load(path);
        }
        Err(MaskError::UnknownPolicy {
            name: name_or_path.to_string(),
            builtin: Policy::builtin_names().collect::<Vec<_>>().join(", "),
        })
    }

    pub fn load(path: &Path) -> Result<Policy, MaskError> {
        let source_name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| MaskError::InvalidPolicy {
            source_name: source_name.clone(),
            message: e.to_string(),
        })?;
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Policy::from_json(&text, &source_name),
            _ => Policy::from_toml(&text, &source_name),
        }
    }

    pub fn from_json(text: &str, source_name: &str) -> Result<Policy, MaskError> {
        let p: Policy = serde_json::from_str(text).map_err(|e| MaskError::InvalidPolicy {
            source_name: source_name.to_string(),
            message: e.to_string(),
        })?;
        p.validated(source_name)
    }

    pub fn from_toml(text: &str, source_name: &str) -> Result<Policy, MaskError> {
        let p: Policy = toml::from_str(text).map_err(|e| MaskError::InvalidPolicy {
            source_name: source_name.to_string(),
            message: e.to_string(),
        })?;
        p.validated(source_name)
    }

    fn validated(self, source_name: &str) -> Result<Policy, MaskError> {
        let invalid = |message: String| MaskError::InvalidPolicy {
            source_name: source_name.to_string(),
            message,
        };
        if let Some(t) = self.threshold
            && !(0.0..=1.0).contains(&t)
        {
            return Err(invalid(format!("threshold {t} is not between 0 and 1")));
        }
        for rule in &self.fields {
            if rule.field.is_empty() {
                return Err(invalid("a field rule has an empty `field`".into()));
            }
            if rule.entity_type.is_none() && rule.action.is_none() {
                return Err(invalid(format!(
                    "field rule {:?} names neither a type nor an action",
                    rule.field
                )));
            }
        }
        Ok(self)
    }

    /// The action for an entity of `entity_type` found in the field at `pointer`.
    pub fn action_for(&self, entity_type: EntityType, pointer: Option<&str>) -> &Action {
        if let Some(pointer) = pointer
            && let Some(action) = self
                .fields
                .iter()
                .filter(|r| r.matches(pointer))
                .find_map(|r| r.action.as_ref())
        {
            return action;
        }
        self.types.get(&entity_type).unwrap_or(&self.default)
    }

    pub fn uses_hash(&self) -> bool {
        std::iter::once(&self.default)
            .chain(self.types.values())
            .chain(self.fields.iter().filter_map(|r| r.action.as_ref()))
            .any(|a| matches!(a, Action::Hash))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_policy_loads() {
        for name in Policy::builtin_names() {
            let p = Policy::builtin(name).unwrap();
            assert_eq!(p.name, name);
        }
    }

    #[test]
    fn field_rules_override_type_actions() {
        let p = Policy::from_json(
            r#"{"name":"t","types":{"EMAIL":{"action":"tokenize"}},
                "fields":[{"field":"notes","action":{"action":"redact"}}]}"#,
            "t",
        )
        .unwrap();
        assert_eq!(
            p.action_for(EntityType::Email, Some("/user/email")),
            &Action::Tokenize
        );
        assert_eq!(
            p.action_for(EntityType::Email, Some("/notes")),
            &Action::Redact
        );
        assert_eq!(
            p.action_for(EntityType::Ssn, None),
            &Action::Replace { with: None }
        );
    }

    #[test]
    fn unknown_entity_types_and_fields_are_clear_errors() {
        let e = Policy::from_json(
            r#"{"name":"t","types":{"E_MAIL":{"action":"keep"}}}"#,
            "p.json",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("p.json") && e.contains("E_MAIL"), "{e}");
        let e = Policy::from_json(r#"{"name":"t","colour":"red"}"#, "p.json").unwrap_err();
        assert!(e.to_string().contains("colour"));
        let e = Policy::from_json(r#"{"name":"t","threshold":2.0}"#, "p.json").unwrap_err();
        assert!(e.to_string().contains("threshold"));
    }

    #[test]
    fn unknown_policy_names_list_the_builtins() {
        let e = Policy::resolve("no-such-policy").unwrap_err().to_string();
        assert!(e.contains("default") && e.contains("no-such-policy"), "{e}");
    }
}
