//! Re-identification, erasure and the audit listing behind one port: in process where the
//! server holds the vault and the trail (`piiflow serve`), or a call to the reidentify
//! function where only that function may read them (the API Lambda).

use std::sync::Arc;

use async_trait::async_trait;
use deidentify::{Deidentifier, parse_token};
use reidentify::{AuditLog, Reidentifier};

use super::audit::{RecordingAuditLog, audit_page, with_audit_id};
use super::convert::call_context;
use super::errors::reidentify_error;
use crate::{
    ApiError, AuditPage, AuditQuery, CallContext, EraseResponse, ReidentifyRequest,
    ReidentifyResponse, TokenValue,
};

/// Erasure over HTTP carries no reason, but the audit trail requires one.
pub const ERASE_REASON: &str = "erasure requested via DELETE /v1/tokens";

#[async_trait]
pub trait Reidentification: Send + Sync {
    async fn reidentify(
        &self,
        req: ReidentifyRequest,
        ctx: &CallContext,
    ) -> Result<ReidentifyResponse, ApiError>;

    async fn erase(&self, token: &str, ctx: &CallContext) -> Result<EraseResponse, ApiError>;

    async fn audit(&self, query: AuditQuery) -> Result<AuditPage, ApiError>;
}

/// In process: the `Reidentifier` over this process's vault and audit trail.
pub struct LocalReidentification {
    reidentifier: Reidentifier,
}

impl LocalReidentification {
    pub fn new(deidentifier: Arc<Deidentifier>, audit: Arc<dyn AuditLog>) -> Self {
        let audit = Arc::new(RecordingAuditLog(audit));
        Self {
            reidentifier: Reidentifier::new(deidentifier, audit),
        }
    }
}

#[async_trait]
impl Reidentification for LocalReidentification {
    async fn reidentify(
        &self,
        req: ReidentifyRequest,
        ctx: &CallContext,
    ) -> Result<ReidentifyResponse, ApiError> {
        let ctx = call_context(ctx, req.reason);
        let r = &self.reidentifier;
        let mut response = ReidentifyResponse::default();
        let (outcome, audit_id) = with_audit_id(async {
            if let Some(tokens) = &req.tokens {
                let revealed = r.reveal_tokens(tokens, &ctx).await?;
                response.tokens = Some(
                    revealed
                        .into_iter()
                        .map(|v| TokenValue {
                            entity_type: token_type(&v.token),
                            token: v.token,
                            value: v.value,
                        })
                        .collect(),
                );
            } else if let Some(text) = &req.text {
                response.text = Some(r.reidentify_text(text, &ctx).await?.0);
            } else if let Some(record) = &req.record {
                response.record = Some(r.reidentify_record(record, &ctx).await?.0);
            }
            Ok::<(), reidentify::ReidentifyError>(())
        })
        .await;
        outcome.map_err(reidentify_error)?;
        // The Reidentifier appends before revealing; no id means no audit record, so no answer.
        response.audit_id =
            audit_id.ok_or_else(|| ApiError::Internal("no audit record was written".into()))?;
        Ok(response)
    }

    async fn erase(&self, token: &str, ctx: &CallContext) -> Result<EraseResponse, ApiError> {
        let ctx = call_context(ctx, ERASE_REASON.to_string());
        let erased = self
            .reidentifier
            .erase(token, &ctx)
            .await
            .map_err(reidentify_error)?;
        Ok(EraseResponse {
            token: token.to_string(),
            erased,
        })
    }

    async fn audit(&self, query: AuditQuery) -> Result<AuditPage, ApiError> {
        audit_page(self.reidentifier.audit_log().as_ref(), query).await
    }
}

/// The entity type a token names, spelt as entities are on the wire.
pub fn token_type(token: &str) -> Option<String> {
    let (entity_type, _) = parse_token(token).ok()?;
    serde_json::to_value(entity_type)
        .ok()?
        .as_str()
        .map(str::to_string)
}
