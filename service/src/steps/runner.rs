//! One runner for the three pipeline steps: the local executor's task handlers and the
//! Lambda functions both hand it a state.

use std::sync::Arc;

use serde_json::Value;

use crate::policies::builtin_engine;
use crate::{DocumentStore, EngineCache, EngineError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Detect,
    Mask,
    Deidentify,
}

/// Which policy names a state may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyNames {
    /// Any name the engine cache resolves (the local CLI: built-in names and files).
    Any,
    /// Built-in names only (a deployed function: see `builtin_policy`).
    BuiltinOnly,
}

/// The engines by policy and the document store the steps read and write through.
pub struct StepRunner {
    engines: Arc<EngineCache>,
    names: PolicyNames,
    docs: Arc<dyn DocumentStore>,
}

impl StepRunner {
    pub fn new(
        engines: Arc<EngineCache>,
        names: PolicyNames,
        docs: Arc<dyn DocumentStore>,
    ) -> Self {
        Self {
            engines,
            names,
            docs,
        }
    }

    /// `step` on one state: the policy it names (the default when absent), then the step.
    pub async fn run(&self, step: Step, state: &Value) -> Result<Value, EngineError> {
        let policy = match state.get("policy") {
            None | Some(Value::Null) => None,
            Some(Value::String(p)) => Some(p.as_str()),
            Some(_) => {
                return Err(EngineError::InvalidInput(
                    "`policy` must be a string".into(),
                ));
            }
        };
        let engine = match self.names {
            PolicyNames::Any => self.engines.get(policy)?,
            PolicyNames::BuiltinOnly => builtin_engine(&self.engines, policy)?,
        };
        let docs = self.docs.as_ref();
        match step {
            Step::Detect => engine.detect_step(state, docs).await,
            Step::Mask => engine.mask_step(state, docs).await,
            Step::Deidentify => engine.deidentify_step(state, docs).await,
        }
    }
}
