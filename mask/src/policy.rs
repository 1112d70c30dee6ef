use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use detect::{DenyTerm, EntityType, PatternConfig, Recognizer};
use serde::{Deserialize, Serialize};

use crate::{Action, ContextRule, FieldOverride, MaskError};

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
    /// Actions for entities by the words around them, applied before `types`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contexts: Vec<ContextRule>,
    /// Minimum detection score; `None` keeps the detector's own default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f32>,
    /// Exact strings that are never PII under this policy.
    #[serde(default)]
    pub allow_list: Vec<String>,
    /// Exact strings that are always PII under this policy, with their type.
    #[serde(default)]
    pub deny_list: BTreeMap<String, EntityType>,
    /// ISO 3166 codes of the regions whose national phone formats are tried; `None`
    /// keeps the detector's broad default set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions: Option<Vec<String>>,
    /// Runs the names-and-places stage (people, streets, cities, countries in free text);
    /// `false` leaves only the patterns, titles and labels.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub names_and_places: bool,
    /// Custom recognizers (`[[recognizers]]`), found in the same pass as the built-in
    /// patterns; their types may be the policy's own (`EMPLOYEE_ID`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recognizers: Vec<Recognizer>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
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

    /// The detector settings this policy asks for.
    pub fn pattern_config(&self) -> PatternConfig {
        let mut config = PatternConfig::default();
        if let Some(t) = self.threshold {
            config.threshold = t;
        }
        config.allow_list = self.allow_list.clone();
        config.deny_list = self
            .deny_list
            .iter()
            .map(|(value, &entity_type)| DenyTerm {
                value: value.clone(),
                entity_type,
            })
            .collect();
        config.names_and_places = self.names_and_places;
        if let Some(regions) = &self.regions {
            config.phone_regions = regions.clone();
        }
        config.recognizers = self.recognizers.clone();
        config
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
        if let Some(regions) = &self.regions {
            detect::validators::PhoneRegions::new(regions)
                .map_err(|e| invalid(format!("regions: {e}")))?;
        }
        for rule in &self.contexts {
            if rule.words.iter().all(|w| w.trim().is_empty()) {
                return Err(invalid(format!(
                    "a context rule for {} has no `words`",
                    rule.entity_type
                )));
            }
        }
        self.check_recognizers().map_err(invalid)?;
        Ok(self)
    }

    /// Each recognizer's fields, unique names, and that every custom type the policy
    /// names elsewhere is one a recognizer declares (a misspelt `E_MAIL` is an error, not
    /// a new type).
    fn check_recognizers(&self) -> Result<(), String> {
        let mut names = BTreeSet::new();
        let mut declared = BTreeSet::new();
        for (i, r) in self.recognizers.iter().enumerate() {
            r.check().map_err(|e| {
                format!(
                    "recognizers[{i}] ({:?}).{}: {}",
                    e.recognizer, e.field, e.message
                )
            })?;
            if !names.insert(r.name.as_str()) {
                return Err(format!(
                    "recognizers[{i}].name: {:?} is declared twice",
                    r.name
                ));
            }
            declared.insert(r.entity_type().map_err(|e| e.to_string())?);
        }
        let undeclared = |field: &str, t: EntityType| {
            (t.is_custom() && !declared.contains(&t)).then(|| {
                format!(
                    "{field}: unknown entity type {:?}: neither one of Amazon Comprehend's \
                     types nor the type of one of this policy's recognizers",
                    t.as_str()
                )
            })
        };
        let named = self
            .types
            .keys()
            .map(|&t| ("types", t))
            .chain(self.deny_list.values().map(|&t| ("deny_list", t)))
            .chain(
                self.contexts
                    .iter()
                    .map(|r| ("contexts.type", r.entity_type)),
            )
            .chain(
                self.fields
                    .iter()
                    .filter_map(|r| r.entity_type.map(|t| ("fields.type", t))),
            );
        for (field, t) in named {
            if let Some(e) = undeclared(field, t) {
                return Err(e);
            }
        }
        Ok(())
    }

    /// The action for the entity at `text[start..end]`: a field rule for `pointer`, else
    /// a context rule whose words surround it, else its type's action.
    pub fn action_at(
        &self,
        entity_type: EntityType,
        pointer: Option<&str>,
        text: &str,
        start: usize,
        end: usize,
    ) -> &Action {
        if let Some(action) = pointer.and_then(|p| self.field_action(p)) {
            return action;
        }
        self.contexts
            .iter()
            .find(|r| r.applies(entity_type, text, start, end))
            .map_or_else(|| self.type_action(entity_type), |r| &r.action)
    }

    pub(crate) fn field_action(&self, pointer: &str) -> Option<&Action> {
        self.fields
            .iter()
            .filter(|r| r.matches(pointer))
            .find_map(|r| r.action.as_ref())
    }

    pub(crate) fn type_action(&self, entity_type: EntityType) -> &Action {
        self.types.get(&entity_type).unwrap_or(&self.default)
    }

    /// The action for an entity of `entity_type` found in the field at `pointer`.
    /// Context rules are not consulted: see [`Policy::action_at`].
    pub fn action_for(&self, entity_type: EntityType, pointer: Option<&str>) -> &Action {
        pointer
            .and_then(|p| self.field_action(p))
            .unwrap_or_else(|| self.type_action(entity_type))
    }

    pub fn uses_hash(&self) -> bool {
        std::iter::once(&self.default)
            .chain(self.types.values())
            .chain(self.fields.iter().filter_map(|r| r.action.as_ref()))
            .chain(self.contexts.iter().map(|r| &r.action))
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
    fn the_default_policy_tokenizes_dates_of_birth_in_prose() {
        let p = Policy::builtin("default").unwrap();
        let action = |text: &str, date: &str| {
            let start = text.find(date).unwrap();
            p.action_at(EntityType::DateTime, None, text, start, start + date.len())
                .clone()
        };
        assert_eq!(
            action(
                "Date of birth recorded as April 15, 1962.",
                "April 15, 1962"
            ),
            Action::Tokenize
        );
        assert_eq!(
            action("born 19 October 1967", "19 October 1967"),
            Action::Tokenize
        );
        assert_eq!(action("DOB: 04/15/62", "04/15/62"), Action::Tokenize);
        assert_eq!(
            action("The contract was signed on June 27, 1996.", "June 27, 1996"),
            Action::Keep
        );
    }

    #[test]
    fn field_rules_come_before_context_rules() {
        let p = Policy::from_toml(
            r#"
            name = "t"
            [[fields]]
            field = "notes"
            action = { action = "redact" }
            [[contexts]]
            type = "DATE_TIME"
            words = ["born"]
            action = { action = "hash" }
            "#,
            "t.toml",
        )
        .unwrap();
        let text = "born 1 May 2000";
        assert_eq!(
            p.action_at(EntityType::DateTime, Some("/notes"), text, 5, 15),
            &Action::Redact
        );
        assert_eq!(
            p.action_at(EntityType::DateTime, Some("/x"), text, 5, 15),
            &Action::Hash
        );
        assert_eq!(
            p.action_at(EntityType::Email, None, text, 5, 15),
            &Action::Replace { with: None }
        );
        assert!(p.uses_hash(), "a context rule's hash needs the hash key");
    }

    #[test]
    fn context_rules_without_words_or_with_unknown_types_are_errors() {
        let e = Policy::from_toml(
            "name = \"t\"\n[[contexts]]\ntype = \"DATE_TIME\"\nwords = []\naction = { action = \"keep\" }",
            "p.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("p.toml") && e.contains("words"), "{e}");
        let e = Policy::from_toml(
            "name = \"t\"\n[[contexts]]\ntype = \"BIRTHDAY\"\nwords = [\"born\"]\naction = { action = \"keep\" }",
            "p.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("p.toml") && e.contains("BIRTHDAY"), "{e}");
    }

    #[test]
    fn phone_regions_must_be_iso_codes() {
        let p = Policy::from_toml("name = \"t\"\nregions = [\"GB\", \"FR\"]", "p.toml").unwrap();
        assert_eq!(p.regions, Some(vec!["GB".to_string(), "FR".to_string()]));
        let e = Policy::from_toml("name = \"t\"\nregions = [\"GB\", \"France\"]", "p.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("p.toml") && e.contains("regions") && e.contains("France"),
            "{e}"
        );
        assert_eq!(p.pattern_config().phone_regions, ["GB", "FR"]);
        assert_eq!(
            Policy::builtin("default")
                .unwrap()
                .pattern_config()
                .phone_regions,
            PatternConfig::default().phone_regions,
            "no regions: the broad default set"
        );
    }

    const EMPLOYEE: &str = r#"
        name = "hr"
        [types]
        EMPLOYEE_ID = { action = "tokenize" }
        [[recognizers]]
        name = "employee"
        type = "EMPLOYEE_ID"
        pattern = '\bEMP-[0-9]{6}\b'
        context = ["employee", "staff"]
        score = 0.4
    "#;

    #[test]
    fn recognizers_reach_the_detector_and_their_types_take_actions() {
        let p = Policy::from_toml(EMPLOYEE, "hr.toml").unwrap();
        let employee = EntityType::custom("EMPLOYEE_ID").unwrap();
        assert_eq!(p.action_for(employee, None), &Action::Tokenize);
        let config = p.pattern_config();
        assert_eq!(config.recognizers, p.recognizers);
        let detector = detect::PatternDetector::new(config).unwrap();
        let text = "staff member EMP-204981 left";
        let found = detector.detect_text(text);
        assert!(
            found
                .iter()
                .any(|d| d.entity_type == employee && &text[d.start..d.end] == "EMP-204981"),
            "{found:?}"
        );
    }

    #[test]
    fn bad_recognizers_are_errors_naming_the_file_and_the_field() {
        let with = |old: &str, new: &str| {
            let src = EMPLOYEE.replace(old, new);
            assert_ne!(src, EMPLOYEE, "{old}");
            Policy::from_toml(&src, "hr.toml").unwrap_err().to_string()
        };
        let e = with("[0-9]{6}", "[0-9]{6");
        assert!(
            e.contains("hr.toml") && e.contains("recognizers[0]") && e.contains(".pattern"),
            "{e}"
        );
        let e = with("score = 0.4", "score = 0.4\nvalidator = \"crc32\"");
        assert!(
            e.contains("hr.toml") && e.contains("crc32") && e.contains("validator"),
            "{e}"
        );
        let e = with("type = \"EMPLOYEE_ID\"", "type = \"Email\"");
        assert!(
            e.contains("hr.toml") && e.contains(".type") && e.contains("EMAIL"),
            "{e}"
        );
        let e = with("type = \"EMPLOYEE_ID\"", "type = \"employee id\"");
        assert!(e.contains("hr.toml") && e.contains(".type"), "{e}");
        let e = with("EMPLOYEE_ID = {", "EMPLOYE_ID = {");
        assert!(
            e.contains("hr.toml") && e.contains("types") && e.contains("EMPLOYE_ID"),
            "{e}"
        );
        let twice = format!(
            "{EMPLOYEE}\n[[recognizers]]\nname = \"employee\"\ntype = \"EMPLOYEE_ID\"\npattern = 'E[0-9]+'"
        );
        let e = Policy::from_toml(&twice, "hr.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("hr.toml") && e.contains("recognizers[1].name"),
            "{e}"
        );
        let e = Policy::from_json(
            r#"{"name":"t","recognizers":[{"name":"r","type":"X_ID","patterns":["ok[0-9]","(["]}]}"#,
            "p.json",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("p.json") && e.contains("patterns[1]"), "{e}");
    }

    #[test]
    fn unknown_policy_names_list_the_builtins() {
        let e = Policy::resolve("no-such-policy").unwrap_err().to_string();
        assert!(e.contains("default") && e.contains("no-such-policy"), "{e}");
    }
}
