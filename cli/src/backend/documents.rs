//! `POST /v1/documents` and `GET /v1/documents/{id}` over the local `documents` state machine.

use std::path::Path;

use api::{ApiError, DocumentRequest, DocumentStarted, DocumentState, DocumentStatus};
use serde_json::{Value, json};
use statemachine::{DOCUMENTS, ExecutionStatus, Orchestrator};

use super::EngineBackend;
use super::errors::orchestrator_error;

pub async fn start(
    backend: &EngineBackend,
    req: DocumentRequest,
) -> Result<DocumentStarted, ApiError> {
    if req.source.starts_with("s3://") {
        return Err(ApiError::InvalidInput(
            "s3:// sources need the AWS deployment; the local server reads file:// references"
                .into(),
        ));
    }
    if req.destination.is_some() {
        return Err(ApiError::InvalidInput(
            "`destination` is not supported by the local server; results go under the piiflow home"
                .into(),
        ));
    }
    let policy = backend.policy_name(req.policy.as_deref())?;
    let path = req
        .source
        .strip_prefix("file://")
        .ok_or_else(|| ApiError::InvalidInput("`source` must be a file:// reference".into()))?;
    // Relative paths would depend on the server's working directory, which callers cannot see.
    if !Path::new(path).is_absolute() {
        return Err(ApiError::InvalidInput(
            "file:// references must be absolute paths".into(),
        ));
    }
    // Checked here so a typo is a 400 now rather than a failed run later.
    if !Path::new(path).is_file() {
        return Err(ApiError::InvalidInput(
            "`source` is not a readable file".into(),
        ));
    }
    let input = json!({ "document": { "ref": req.source }, "policy": policy });
    let handle = backend
        .orchestrator
        .start_execution(DOCUMENTS, None, input)
        .await
        .map_err(orchestrator_error)?;
    Ok(DocumentStarted {
        id: handle.id,
        status: DocumentState::Running,
    })
}

pub async fn status(backend: &EngineBackend, id: &str) -> Result<DocumentStatus, ApiError> {
    let d = backend
        .orchestrator
        .describe_execution(id)
        .await
        .map_err(orchestrator_error)?;
    // Only document runs are visible here, not other definitions' executions.
    if d.definition != DOCUMENTS {
        return Err(ApiError::NotFound("no such document run".into()));
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
