use std::sync::Arc;

use detect::{Detector, PatternDetector};
use detect::{FieldRule, FieldRules, RecordScanner};
use mask::{HashKey, Policy};

use super::EngineError;
use super::field_overrides::FieldOverrides;
use deidentify::Deidentifier;

/// One policy's whole pipeline: pattern detection, masking, tokenization into the vault.
/// Built once per policy and shared; every method takes `&self`.
pub struct Engine {
    pub(crate) detector: Arc<PatternDetector>,
    /// What texts, and the strings of records no field rule or hint claims, are detected
    /// with when not the patterns alone (Comprehend or hybrid on AWS).
    pub(crate) text_detector: Option<Arc<dyn Detector>>,
    pub(crate) scanner: RecordScanner,
    pub(crate) field_rules: FieldRules,
    pub(crate) policy: Policy,
    pub(crate) hash_key: Option<HashKey>,
    pub(crate) deidentifier: Arc<Deidentifier>,
    pub(crate) field_overrides: FieldOverrides,
}

impl Engine {
    pub fn new(
        policy: Policy,
        deidentifier: Arc<Deidentifier>,
        hash_key: Option<HashKey>,
    ) -> Result<Self, EngineError> {
        let detector = Arc::new(PatternDetector::new(policy.pattern_config())?);
        let rules = field_rules(&policy);
        let scanner = RecordScanner::new(detector.clone()).with_rules(rules.clone());
        // Fail at construction, not on the first entity, when a hash key is missing.
        mask::Masker::new(&policy, hash_key.as_ref())?;
        Ok(Self {
            detector,
            text_detector: None,
            scanner,
            field_rules: rules,
            policy,
            hash_key,
            deidentifier,
            field_overrides: FieldOverrides::default(),
        })
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Uses `make(patterns)` to detect texts and the unhinted strings of records; it gets
    /// this policy's pattern detector, for a fallback or a union.
    pub fn with_text_detector(
        mut self,
        make: impl FnOnce(Arc<PatternDetector>) -> Arc<dyn Detector>,
    ) -> Self {
        self.text_detector = Some(make(self.detector.clone()));
        self
    }

    pub fn detector(&self) -> &Arc<PatternDetector> {
        &self.detector
    }

    pub fn deidentifier(&self) -> &Arc<Deidentifier> {
        &self.deidentifier
    }

    pub(crate) fn masker(&self) -> mask::Masker<'_> {
        mask::Masker::new(&self.policy, self.hash_key.as_ref()).expect("checked in Engine::new")
    }
}

fn field_rules(policy: &Policy) -> FieldRules {
    let mut rules = FieldRules::new();
    for rule in &policy.fields {
        if let Some(t) = rule.entity_type {
            rules.insert(&rule.field, FieldRule::Entity(t));
        } else if rule.skips_field() {
            rules.insert(&rule.field, FieldRule::NotPii);
        }
    }
    rules
}
