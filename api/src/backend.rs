//! The port the HTTP layer calls: the engine (or a Step Functions client) implements it.

use std::net::IpAddr;

use async_trait::async_trait;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::model::{
    AnonymizeRequest, AnonymizeResponse, AuditPage, AuditQuery, DocumentRequest, DocumentStarted,
    DocumentStatus, EraseResponse, ReidentifyRequest, ReidentifyResponse,
};

/// Who is calling and in which request: what the audit trail records.
#[derive(Debug, Clone, PartialEq)]
pub struct CallContext {
    pub principal: Principal,
    pub request_id: String,
    /// The peer address when known (socket peer locally, API Gateway's `sourceIp` on Lambda).
    pub source_ip: Option<IpAddr>,
}

/// What the API needs from the engine. Requests arrive already validated (shape, sizes,
/// `reason` present); errors come back as `ApiError` kinds that map to HTTP statuses.
#[async_trait]
pub trait PiiBackend: Send + Sync {
    async fn anonymize(&self, req: AnonymizeRequest) -> Result<AnonymizeResponse, ApiError>;

    /// One outcome per item, in order (the router checks the count). The default runs the
    /// items one by one; a backend with a batch path (the Express state machine) overrides it.
    /// An `Err` for the whole call fails the whole request, so per-item failures belong in the
    /// inner results.
    async fn anonymize_batch(
        &self,
        items: Vec<AnonymizeRequest>,
    ) -> Result<Vec<Result<AnonymizeResponse, ApiError>>, ApiError> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(self.anonymize(item).await);
        }
        Ok(out)
    }

    async fn start_document(&self, req: DocumentRequest) -> Result<DocumentStarted, ApiError>;

    async fn get_document(&self, id: &str) -> Result<DocumentStatus, ApiError>;

    /// Must write the audit record before returning any original, and fail (return an error,
    /// no originals) when it cannot.
    async fn reidentify(
        &self,
        req: ReidentifyRequest,
        ctx: &CallContext,
    ) -> Result<ReidentifyResponse, ApiError>;

    async fn erase(&self, token: &str, ctx: &CallContext) -> Result<EraseResponse, ApiError>;

    async fn audit(&self, query: AuditQuery) -> Result<AuditPage, ApiError>;
}
