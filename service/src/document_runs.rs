//! `POST /v1/documents` and `GET /v1/documents/{id}` over an orchestrator's `documents`
//! state machine.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use statemachine::{DOCUMENTS, ExecutionStatus};

use std::sync::Arc;

use statemachine::Orchestrator;

use crate::{DocumentRequest, DocumentStarted, DocumentState, DocumentStatus, ServiceError};

/// Where documents may come from in a deployment: checks a request's `source` and
/// `destination` and says what the state machine reads (`{"ref": ...}`) plus what makes
/// the document this version (mixed into the run name).
pub trait DocumentSources: Send + Sync {
    fn document(&self, req: &DocumentRequest) -> Result<(Value, String), ServiceError>;

    /// Checks a bulk job's source and says where the job reads and writes.
    fn job(&self, source: &crate::JobSource) -> Result<crate::JobLocation, ServiceError>;
}

/// The execution name of a run: the same document version with the same policy is the same
/// run, so a retried POST does not process it twice (Step Functions answers a repeated name
/// with an equal input with the first execution).
pub fn run_name(document: &Value, version: &str, policy: &str) -> String {
    let mut h = Sha256::new();
    for part in [document.to_string().as_str(), version, policy] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    format!(
        "doc-{}",
        data_encoding::HEXLOWER.encode(&h.finalize()[..16])
    )
}

/// Document runs: where documents may come from, and the orchestrator that runs them.
pub struct DocumentRuns {
    pub orchestrator: Arc<dyn Orchestrator>,
    pub sources: Arc<dyn DocumentSources>,
}

impl DocumentRuns {
    /// Starts (or, for the same document version and policy, finds) the run of `req` with
    /// the built-in `policy` already checked.
    pub async fn start(
        &self,
        req: &DocumentRequest,
        policy: &str,
    ) -> Result<DocumentStarted, ServiceError> {
        let (document, version) = self.sources.document(req)?;
        let name = run_name(&document, &version, policy);
        let input = json!({ "document": document, "policy": policy });
        let handle = self
            .orchestrator
            .start_execution(DOCUMENTS, Some(name), input)
            .await?;
        Ok(DocumentStarted {
            id: handle.id,
            status: DocumentState::Running,
        })
    }

    pub async fn status(&self, id: &str) -> Result<DocumentStatus, ServiceError> {
        status(self.orchestrator.describe_execution(id).await?)
    }
}

fn status(d: statemachine::ExecutionDescription) -> Result<DocumentStatus, ServiceError> {
    // Only document runs are visible here, not other definitions' executions.
    if d.definition != DOCUMENTS {
        return Err(ServiceError::NotFound("no such document run".into()));
    }
    let output = d.output.unwrap_or(Value::Null);
    let state = match d.status {
        ExecutionStatus::Running => DocumentState::Running,
        ExecutionStatus::Succeeded => DocumentState::Succeeded,
        _ => DocumentState::Failed,
    };
    Ok(DocumentStatus {
        id: d.id,
        status: state,
        result: output
            .pointer("/output/ref")
            .and_then(Value::as_str)
            .map(str::to_string),
        summary: output.get("summary").cloned(),
        // The error name only: a step's cause is an engine message and may quote the document.
        error: (state == DocumentState::Failed)
            .then(|| d.error.unwrap_or_else(|| d.status.as_str().to_string())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_names_are_stable_and_valid_and_change_with_any_part() {
        let doc = json!({"ref": "s3://b/k.txt"});
        let a = run_name(&doc, "v1", "default");
        assert_eq!(a, run_name(&doc, "v1", "default"));
        statemachine::validate_execution_name(&a).unwrap();
        assert_ne!(a, run_name(&doc, "v2", "default"));
        assert_ne!(a, run_name(&doc, "v1", "redact"));
        assert_ne!(
            a,
            run_name(&json!({"ref": "s3://b/other.txt"}), "v1", "default")
        );
    }
}
