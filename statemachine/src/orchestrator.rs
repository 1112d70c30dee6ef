//! The seam the API and CLI start executions through: local here, Step Functions later.

use crate::error::OrchestratorError;
use crate::map_run::MapRunCounts;
use crate::status::ExecutionStatus;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

/// Names of the definitions shipped with piiflow.
pub const DOCUMENTS: &str = "documents";
pub const RECORDS: &str = "records";
pub const JOBS: &str = "jobs";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecutionHandle {
    /// Execution ARN on AWS; an ARN-shaped local id otherwise. Pass it to `describe_execution`.
    pub id: String,
    pub name: String,
    pub definition: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecutionDescription {
    pub id: String,
    pub name: String,
    pub definition: String,
    pub status: ExecutionStatus,
    pub input: Value,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub started: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub stopped: Option<OffsetDateTime>,
}

#[async_trait]
pub trait Orchestrator: Send + Sync {
    /// Starts an asynchronous (Standard) execution and returns at once. Starting the same
    /// `name` again with an equal input returns the first execution; with a different input
    /// it is `ExecutionAlreadyExists`, as in Step Functions. `None` picks a fresh name.
    async fn start_execution(
        &self,
        definition: &str,
        name: Option<String>,
        input: Value,
    ) -> Result<ExecutionHandle, OrchestratorError>;

    async fn describe_execution(&self, id: &str)
    -> Result<ExecutionDescription, OrchestratorError>;

    /// The id an execution of `definition` named `name` has (or would have), to describe a
    /// run by its idempotent name before starting it.
    fn execution_id(&self, definition: &str, name: &str) -> Result<String, OrchestratorError>;

    /// Runs an Express execution to completion (StartSyncExecution). A failed execution is
    /// an `Ok` description with status FAILED, not an `Err`.
    async fn start_sync_execution(
        &self,
        definition: &str,
        input: Value,
    ) -> Result<ExecutionDescription, OrchestratorError>;

    /// The item counts of the Distributed Maps (Map Runs) the execution started, in the
    /// order they started.
    async fn map_runs(&self, id: &str) -> Result<Vec<MapRunCounts>, OrchestratorError>;
}

/// Step Functions' rule for execution names: 1–80 characters, no whitespace, brackets,
/// wildcards, or URL-special characters.
pub fn validate_execution_name(name: &str) -> Result<(), OrchestratorError> {
    let bad = name.is_empty()
        || name.chars().count() > 80
        || name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c));
    if bad {
        return Err(OrchestratorError::InvalidName(name.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn execution_names_follow_step_functions_rules() {
        assert!(validate_execution_name("doc-2026_01.pdf").is_ok());
        for bad in ["", "a b", "a/b", "x:y", &"n".repeat(81)] {
            assert!(validate_execution_name(bad).is_err(), "{bad:?} accepted");
        }
    }
}
