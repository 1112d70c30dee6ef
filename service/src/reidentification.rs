//! Re-identification, erasure and the audit listing behind one port: in process where the
//! process holds the vault and the trail (`piiflow serve`, the reidentify function), or a
//! call to the reidentify function where only that function may read them (the API
//! function).

use std::sync::Arc;

use async_trait::async_trait;
use deidentify::{Deidentifier, parse_token};
use reidentify::{AccessToken, AuditLog, Audited, CallContext, Reidentifier};

use crate::audit_page::audit_page;
use crate::{
    AuditPage, AuditQuery, EraseResponse, ReidentifyRequest, ReidentifyResponse, ServiceError,
    TokenValue,
};

#[async_trait]
pub trait Reidentification: Send + Sync {
    /// `ctx.reason` is the request's reason.
    async fn reidentify(
        &self,
        req: ReidentifyRequest,
        ctx: &CallContext,
    ) -> Result<ReidentifyResponse, ServiceError>;

    async fn erase(&self, token: &str, ctx: &CallContext) -> Result<EraseResponse, ServiceError>;

    /// `token` is the caller's access token when the caller presented one: the remote
    /// adapter forwards it so the reidentify function can check the caller itself.
    async fn audit(
        &self,
        query: AuditQuery,
        token: Option<&AccessToken>,
    ) -> Result<AuditPage, ServiceError>;
}

/// In process: the `Reidentifier` over this process's vault and audit trail.
pub struct LocalReidentification {
    reidentifier: Reidentifier,
}

/// A re-identification's answer and, for a text or a record, how many tokens it replaced.
pub struct Revelation {
    pub response: ReidentifyResponse,
    pub replaced: Option<usize>,
}

impl LocalReidentification {
    pub fn new(deidentifier: Arc<Deidentifier>, audit: Arc<dyn AuditLog>) -> Self {
        Self {
            reidentifier: Reidentifier::new(deidentifier, audit),
        }
    }

    /// Exactly one of the request's `tokens`, `text` and `record`, revealed for `ctx`.
    pub async fn reveal(
        &self,
        req: ReidentifyRequest,
        ctx: &CallContext,
    ) -> Result<Revelation, ServiceError> {
        let r = &self.reidentifier;
        let mut response = ReidentifyResponse::default();
        let mut replaced = None;
        let audit_id = match (req.tokens, req.text, req.record) {
            (Some(tokens), None, None) => {
                let Audited { audit_id, value } = r.reveal_tokens(&tokens, ctx).await?;
                response.tokens = Some(
                    value
                        .into_iter()
                        .map(|v| TokenValue {
                            entity_type: token_type(&v.token),
                            token: v.token,
                            value: v.value,
                        })
                        .collect(),
                );
                audit_id
            }
            (None, Some(text), None) => {
                let Audited { audit_id, value } = r.reidentify_text(&text, ctx).await?;
                response.text = Some(value.0);
                replaced = Some(value.1);
                audit_id
            }
            (None, None, Some(record)) => {
                let Audited { audit_id, value } = r.reidentify_record(&record, ctx).await?;
                response.record = Some(value.0);
                replaced = Some(value.1);
                audit_id
            }
            _ => {
                return Err(ServiceError::InvalidInput(
                    "give exactly one of `tokens`, `text` or `record`".into(),
                ));
            }
        };
        response.audit_id = audit_id;
        Ok(Revelation { response, replaced })
    }

    /// Erases `token` after recording the erasure.
    pub async fn erase_audited(
        &self,
        token: &str,
        ctx: &CallContext,
    ) -> Result<Audited<EraseResponse>, ServiceError> {
        let Audited { audit_id, value } = self.reidentifier.erase(token, ctx).await?;
        Ok(Audited {
            audit_id,
            value: EraseResponse {
                token: token.to_string(),
                erased: value,
            },
        })
    }
}

#[async_trait]
impl Reidentification for LocalReidentification {
    async fn reidentify(
        &self,
        req: ReidentifyRequest,
        ctx: &CallContext,
    ) -> Result<ReidentifyResponse, ServiceError> {
        Ok(self.reveal(req, ctx).await?.response)
    }

    async fn erase(&self, token: &str, ctx: &CallContext) -> Result<EraseResponse, ServiceError> {
        Ok(self.erase_audited(token, ctx).await?.value)
    }

    async fn audit(
        &self,
        query: AuditQuery,
        _token: Option<&AccessToken>,
    ) -> Result<AuditPage, ServiceError> {
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
