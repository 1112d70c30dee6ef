//! The port the HTTP layer calls, and the service behind it.

use std::net::IpAddr;

use async_trait::async_trait;

use crate::auth::Identity;
use crate::error::ApiError;
use crate::model::{
    AnonymizeRequest, AnonymizeResponse, AuditPage, AuditQuery, DocumentRequest, DocumentStarted,
    DocumentStatus, EraseResponse, JobRequest, JobStarted, JobStatus, ReidentifyRequest,
    ReidentifyResponse, UploadRequest, UploadTicket,
};

/// Who is calling and in which request: what the audit trail records.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub principal: Identity,
    pub request_id: String,
    /// The peer address when known (socket peer locally, API Gateway's `sourceIp` on Lambda).
    pub source_ip: Option<IpAddr>,
    /// The bearer access token the caller presented (JWT callers only), forwarded where a
    /// component verifies the caller itself.
    pub access_token: Option<reidentify::AccessToken>,
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

    /// A presigned upload of a new document under the incoming prefix.
    async fn upload_document(&self, req: UploadRequest) -> Result<UploadTicket, ApiError>;

    async fn start_job(&self, req: JobRequest) -> Result<JobStarted, ApiError>;

    async fn get_job(&self, id: &str) -> Result<JobStatus, ApiError>;

    /// Must write the audit record before returning any original, and fail (return an error,
    /// no originals) when it cannot.
    async fn reidentify(
        &self,
        req: ReidentifyRequest,
        ctx: &Caller,
    ) -> Result<ReidentifyResponse, ApiError>;

    async fn erase(&self, token: &str, ctx: &Caller) -> Result<EraseResponse, ApiError>;

    async fn audit(&self, query: AuditQuery, ctx: &Caller) -> Result<AuditPage, ApiError>;
}

/// Erasure over HTTP carries no reason, but the audit trail requires one.
pub const ERASE_REASON: &str = "erasure requested via DELETE /v1/tokens";

/// The audit trail's view of an API caller, with the reason the call gives.
pub fn audit_context(ctx: &Caller, reason: String) -> reidentify::CallContext {
    let p = &ctx.principal;
    reidentify::CallContext {
        principal: reidentify::Principal {
            sub: p.sub.clone(),
            client_id: Some(p.client_id.clone()),
            username: p.username.clone(),
        },
        reason,
        request_id: ctx.request_id.clone(),
        source: Some(match ctx.source_ip {
            Some(ip) => format!("api {ip}"),
            None => "api".to_string(),
        }),
        access_token: ctx.access_token.clone(),
    }
}

#[async_trait]
impl PiiBackend for service::Service {
    async fn anonymize(&self, req: AnonymizeRequest) -> Result<AnonymizeResponse, ApiError> {
        Ok(service::Service::anonymize(self, req).await?)
    }

    async fn anonymize_batch(
        &self,
        items: Vec<AnonymizeRequest>,
    ) -> Result<Vec<Result<AnonymizeResponse, ApiError>>, ApiError> {
        let outcomes = service::Service::anonymize_batch(self, items).await;
        Ok(outcomes
            .into_iter()
            .map(|o| o.map_err(ApiError::from))
            .collect())
    }

    async fn start_document(&self, req: DocumentRequest) -> Result<DocumentStarted, ApiError> {
        Ok(service::Service::start_document(self, req).await?)
    }

    async fn get_document(&self, id: &str) -> Result<DocumentStatus, ApiError> {
        Ok(service::Service::get_document(self, id).await?)
    }

    async fn upload_document(&self, req: UploadRequest) -> Result<UploadTicket, ApiError> {
        Ok(service::Service::upload_document(self, req).await?)
    }

    async fn start_job(&self, req: JobRequest) -> Result<JobStarted, ApiError> {
        Ok(service::Service::start_job(self, req).await?)
    }

    async fn get_job(&self, id: &str) -> Result<JobStatus, ApiError> {
        Ok(service::Service::get_job(self, id).await?)
    }

    async fn reidentify(
        &self,
        req: ReidentifyRequest,
        ctx: &Caller,
    ) -> Result<ReidentifyResponse, ApiError> {
        let ctx = audit_context(ctx, req.reason.clone());
        Ok(service::Service::reidentify(self, req, &ctx).await?)
    }

    async fn erase(&self, token: &str, ctx: &Caller) -> Result<EraseResponse, ApiError> {
        let ctx = audit_context(ctx, ERASE_REASON.to_string());
        Ok(service::Service::erase(self, token, &ctx).await?)
    }

    async fn audit(&self, query: AuditQuery, ctx: &Caller) -> Result<AuditPage, ApiError> {
        Ok(service::Service::audit(self, query, ctx.access_token.as_ref()).await?)
    }
}
