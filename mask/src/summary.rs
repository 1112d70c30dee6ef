use std::collections::BTreeMap;

use detect::EntityType;
use serde::{Deserialize, Serialize};

use crate::ActionKind;

/// What was found and done, without any original value: safe to log and return.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    #[serde(default)]
    pub entity_count: usize,
    #[serde(default)]
    pub types: BTreeMap<EntityType, usize>,
    #[serde(default)]
    pub actions: BTreeMap<ActionKind, usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detector: Option<String>,
    #[serde(default)]
    pub degraded: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degraded_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

impl Summary {
    pub fn record(&mut self, entity_type: EntityType, action: ActionKind) {
        self.entity_count += 1;
        *self.types.entry(entity_type).or_default() += 1;
        *self.actions.entry(action).or_default() += 1;
    }

    pub fn merge(&mut self, other: &Summary) {
        self.entity_count += other.entity_count;
        for (t, n) in &other.types {
            *self.types.entry(*t).or_default() += n;
        }
        for (a, n) in &other.actions {
            *self.actions.entry(*a).or_default() += n;
        }
        self.degraded |= other.degraded;
        if self.degraded_reason.is_none() {
            self.degraded_reason.clone_from(&other.degraded_reason);
        }
        if self.detector.is_none() {
            self.detector.clone_from(&other.detector);
        }
        if self.policy.is_none() {
            self.policy.clone_from(&other.policy);
        }
    }
}
