//! The backend proper: anonymize in process, documents through an orchestrator,
//! re-identification through a [`Reidentification`].

use std::sync::Arc;

use async_trait::async_trait;
use deidentify::{Engine, EngineCache};
use statemachine::Orchestrator;

use super::batch;
use super::convert::{record_response, text_response};
use super::documents::{self, DocumentSources};
use super::errors::engine_error;
use super::reidentification::Reidentification;
use crate::{
    AnonymizeRequest, AnonymizeResponse, ApiError, AuditPage, AuditQuery, CallContext,
    DocumentRequest, DocumentStarted, DocumentStatus, EraseResponse, PiiBackend, ReidentifyRequest,
    ReidentifyResponse,
};

pub struct EngineBackend {
    engines: Arc<EngineCache>,
    pub(super) orchestrator: Arc<dyn Orchestrator>,
    pub(super) sources: Arc<dyn DocumentSources>,
    reidentification: Arc<dyn Reidentification>,
}

impl EngineBackend {
    pub fn new(
        engines: Arc<EngineCache>,
        orchestrator: Arc<dyn Orchestrator>,
        sources: Arc<dyn DocumentSources>,
        reidentification: Arc<dyn Reidentification>,
    ) -> Self {
        Self {
            engines,
            orchestrator,
            sources,
            reidentification,
        }
    }

    /// Only built-in policy names: resolving a name may read a file, and an HTTP caller
    /// must not be able to point the server at its own disk.
    pub(super) fn policy_name<'a>(&'a self, policy: Option<&'a str>) -> Result<&'a str, ApiError> {
        let name = policy.unwrap_or(self.engines.default_policy());
        if mask::Policy::builtin_names().any(|n| n == name) {
            return Ok(name);
        }
        let known: Vec<_> = mask::Policy::builtin_names().collect();
        Err(ApiError::InvalidInput(format!(
            "unknown policy `{name}`; available: {}",
            known.join(", ")
        )))
    }

    pub(super) fn engine(&self, policy: Option<&str>) -> Result<Arc<Engine>, ApiError> {
        let name = self.policy_name(policy)?;
        self.engines.get(Some(name)).map_err(|e| engine_error(&e))
    }
}

#[async_trait]
impl PiiBackend for EngineBackend {
    async fn anonymize(&self, req: AnonymizeRequest) -> Result<AnonymizeResponse, ApiError> {
        let engine = self.engine(req.policy.as_deref())?;
        match (req.text, req.record) {
            (Some(text), None) => text_response(
                engine
                    .anonymize_text(&text)
                    .await
                    .map_err(|e| engine_error(&e))?,
            ),
            (None, Some(record)) => record_response(
                engine
                    .anonymize_record(&record)
                    .await
                    .map_err(|e| engine_error(&e))?,
            ),
            _ => Err(ApiError::InvalidInput(
                "give either `text` or `record`".into(),
            )),
        }
    }

    async fn anonymize_batch(
        &self,
        items: Vec<AnonymizeRequest>,
    ) -> Result<Vec<Result<AnonymizeResponse, ApiError>>, ApiError> {
        Ok(batch::anonymize_batch(self, items).await)
    }

    async fn start_document(&self, req: DocumentRequest) -> Result<DocumentStarted, ApiError> {
        documents::start(self, req).await
    }

    async fn get_document(&self, id: &str) -> Result<DocumentStatus, ApiError> {
        documents::status(self, id).await
    }

    async fn reidentify(
        &self,
        req: ReidentifyRequest,
        ctx: &CallContext,
    ) -> Result<ReidentifyResponse, ApiError> {
        self.reidentification.reidentify(req, ctx).await
    }

    async fn erase(&self, token: &str, ctx: &CallContext) -> Result<EraseResponse, ApiError> {
        self.reidentification.erase(token, ctx).await
    }

    async fn audit(&self, query: AuditQuery) -> Result<AuditPage, ApiError> {
        self.reidentification.audit(query).await
    }
}
