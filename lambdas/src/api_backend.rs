//! The API Lambda's `PiiBackend`: the synchronous anonymize routes over the engine.
//!
//! Not wired yet, answering 503 `unavailable`: documents (the target starts the documents
//! state machine), re-identification, erasure and the audit listing (the target invokes the
//! reidentify function, which alone holds the vault-read and audit rights).

use std::sync::Arc;

use api::{
    AnonymizeRequest, AnonymizeResponse, ApiError, AuditPage, AuditQuery, CallContext,
    DocumentRequest, DocumentStarted, DocumentStatus, EraseResponse, PiiBackend, ReidentifyRequest,
    ReidentifyResponse, WireEntity,
};
use async_trait::async_trait;
use deidentify::{EngineError, ErrorKind};
use detect::Entity;
use serde::Serialize;
use serde_json::Value;

use crate::LambdaError;
use crate::engines::Engines;

pub struct EngineApiBackend {
    engines: Arc<Engines>,
}

impl EngineApiBackend {
    pub fn new(engines: Arc<Engines>) -> Self {
        Self { engines }
    }
}

fn not_wired(what: &str) -> ApiError {
    ApiError::Unavailable(format!("{what} is not available in this deployment yet"))
}

#[async_trait]
impl PiiBackend for EngineApiBackend {
    async fn anonymize(&self, req: AnonymizeRequest) -> Result<AnonymizeResponse, ApiError> {
        let engine = self
            .engines
            .get(req.policy.as_deref())
            .map_err(lambda_error)?;
        match (req.text, req.record) {
            (Some(text), None) => {
                let out = engine
                    .anonymize_text(&text)
                    .await
                    .map_err(|e| engine_error(&e))?;
                Ok(AnonymizeResponse {
                    text: Some(out.text),
                    record: None,
                    entities: wire(&out.entities)?,
                    summary: to_value(&out.summary)?,
                })
            }
            (None, Some(record)) => {
                let out = engine
                    .anonymize_record(&record)
                    .await
                    .map_err(|e| engine_error(&e))?;
                Ok(AnonymizeResponse {
                    text: None,
                    record: Some(out.record),
                    entities: wire(&out.entities)?,
                    summary: to_value(&out.summary)?,
                })
            }
            _ => Err(ApiError::InvalidInput(
                "give either `text` or `record`".into(),
            )),
        }
    }

    async fn start_document(&self, _: DocumentRequest) -> Result<DocumentStarted, ApiError> {
        Err(not_wired("document processing"))
    }

    async fn get_document(&self, _: &str) -> Result<DocumentStatus, ApiError> {
        Err(not_wired("document processing"))
    }

    async fn reidentify(
        &self,
        _: ReidentifyRequest,
        _: &CallContext,
    ) -> Result<ReidentifyResponse, ApiError> {
        Err(not_wired("re-identification"))
    }

    async fn erase(&self, _: &str, _: &CallContext) -> Result<EraseResponse, ApiError> {
        Err(not_wired("erasure"))
    }

    async fn audit(&self, _: AuditQuery) -> Result<AuditPage, ApiError> {
        Err(not_wired("the audit listing"))
    }
}

/// Fixed messages per kind: engine messages can quote the caller's data.
fn engine_error(e: &EngineError) -> ApiError {
    let name = e.error_name();
    match e.kind() {
        ErrorKind::InvalidInput => {
            ApiError::InvalidInput(format!("the input could not be anonymized ({name})"))
        }
        ErrorKind::Throttled => ApiError::Unavailable(format!("throttled, retry later ({name})")),
        ErrorKind::Unavailable => {
            ApiError::Unavailable(format!("a dependency is unavailable ({name})"))
        }
        ErrorKind::Conflict => ApiError::Conflict(format!("vault token collision ({name})")),
        ErrorKind::Internal => ApiError::Internal(name.to_string()),
    }
}

fn lambda_error(e: LambdaError) -> ApiError {
    match e {
        LambdaError::InvalidInput(m) => ApiError::InvalidInput(m),
        LambdaError::Engine(e) => engine_error(&e),
        other => ApiError::Internal(other.error_name().to_string()),
    }
}

/// Through serde: the engine's JSON is the data contract, so the wire names stay its own.
fn wire(entities: &[Entity]) -> Result<Vec<WireEntity>, ApiError> {
    serde_json::from_value(to_value(entities)?)
        .map_err(|e| ApiError::Internal(format!("entity shape mismatch: {e}")))
}

fn to_value(v: &(impl Serialize + ?Sized)) -> Result<Value, ApiError> {
    serde_json::to_value(v).map_err(|e| ApiError::Internal(format!("serializing: {e}")))
}
