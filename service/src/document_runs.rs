//! `POST /v1/documents` and `GET /v1/documents/{id}` over an orchestrator's `documents`
//! state machine.

use async_trait::async_trait;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use statemachine::{DOCUMENTS, ExecutionStatus, OrchestratorError};

use std::sync::Arc;

use statemachine::Orchestrator;

use crate::{
    DocumentRequest, DocumentStarted, DocumentState, DocumentStatus, PresignedRequest,
    ServiceError, UploadTicket,
};

/// Where documents may come from in a deployment: checks a request's `source` and
/// `destination` and says what the state machine reads (`{"ref": ...}`) plus what makes
/// the document this version (mixed into the run name): the object's ETag on S3, as the
/// upload rule's ingest starter names it, so a POST of an uploaded object finds its run.
#[async_trait]
pub trait DocumentSources: Send + Sync {
    async fn document(&self, req: &DocumentRequest) -> Result<(Value, String), ServiceError>;

    /// Checks a bulk job's source and says where the job reads and writes.
    fn job(&self, source: &crate::JobSource) -> Result<crate::JobLocation, ServiceError>;

    /// A presigned upload of a new document named `file_name` (already checked) under the
    /// incoming prefix, at a key no other upload has.
    async fn upload(&self, file_name: &str) -> Result<UploadTicket, ServiceError>;

    /// A presigned download of a run's `result` (as the run's output names it).
    async fn download(&self, result: &str) -> Result<PresignedRequest, ServiceError>;
}

/// An S3 ETag as a run's version: HeadObject quotes it, S3's events do not, and both must
/// name the same run.
pub fn etag_version(etag: &str) -> &str {
    etag.trim_matches('"')
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
    /// the built-in `policy` already checked. A run found (started before by this route or
    /// by the upload rule) is answered as it stands, with `existing`.
    pub async fn start(
        &self,
        req: &DocumentRequest,
        policy: &str,
    ) -> Result<DocumentStarted, ServiceError> {
        let (document, version) = self.sources.document(req).await?;
        let name = run_name(&document, &version, policy);
        let input = json!({ "document": document, "policy": policy });
        let id = self.orchestrator.execution_id(DOCUMENTS, &name)?;
        match self.orchestrator.describe_execution(&id).await {
            Ok(first) if first.input == input => {
                return Ok(DocumentStarted {
                    id: first.id,
                    status: state(first.status),
                    existing: true,
                });
            }
            // Another input under the same name: StartExecution reports the conflict.
            Ok(_) | Err(OrchestratorError::ExecutionDoesNotExist(_)) => {}
            Err(e) => return Err(e.into()),
        }
        let handle = self
            .orchestrator
            .start_execution(DOCUMENTS, Some(name), input)
            .await?;
        Ok(DocumentStarted {
            id: handle.id,
            status: DocumentState::Running,
            existing: false,
        })
    }

    /// The run's status; a succeeded run's with a presigned download of its result.
    pub async fn status(&self, id: &str) -> Result<DocumentStatus, ServiceError> {
        let mut status = status(self.orchestrator.describe_execution(id).await?)?;
        if status.status == DocumentState::Succeeded
            && let Some(result) = status.result.as_deref()
        {
            let get = self.sources.download(result).await?;
            status.result_url = Some(get.url);
            status.result_url_expires_at = Some(get.expires_at);
        }
        Ok(status)
    }

    /// A presigned upload of one new document.
    pub async fn upload(&self, req: &crate::UploadRequest) -> Result<UploadTicket, ServiceError> {
        req.validate()?;
        self.sources.upload(&req.file_name).await
    }
}

fn state(status: ExecutionStatus) -> DocumentState {
    match status {
        ExecutionStatus::Running => DocumentState::Running,
        ExecutionStatus::Succeeded => DocumentState::Succeeded,
        _ => DocumentState::Failed,
    }
}

fn status(d: statemachine::ExecutionDescription) -> Result<DocumentStatus, ServiceError> {
    // Only document runs are visible here, not other definitions' executions.
    if d.definition != DOCUMENTS {
        return Err(ServiceError::NotFound("no such document run".into()));
    }
    let output = d.output.unwrap_or(Value::Null);
    let state = state(d.status);
    Ok(DocumentStatus {
        id: d.id,
        status: state,
        result: output
            .pointer("/output/ref")
            .and_then(Value::as_str)
            .map(str::to_string),
        result_url: None,
        result_url_expires_at: None,
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
