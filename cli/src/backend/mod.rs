//! `EngineBackend`: the HTTP API's `PiiBackend` over the embedded engine — the same
//! keyring, vault, audit trail and local state machines as the other commands.

mod audit;
mod batch;
mod convert;
mod documents;
mod errors;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use api::{
    AnonymizeRequest, AnonymizeResponse, ApiError, AuditPage, AuditQuery, CallContext,
    DocumentRequest, DocumentStarted, DocumentStatus, EraseResponse, PiiBackend, ReidentifyRequest,
    ReidentifyResponse, TokenValue,
};
use async_trait::async_trait;
use deidentify::{Engine, parse_token};
use reidentify::{AuditLog, Reidentifier, SqliteAuditLog};
use statemachine::LocalOrchestrator;

use crate::home::Home;
use crate::pipeline::{self, Pipeline};
use audit::{RecordingAuditLog, with_audit_id};
use convert::{call_context, record_response, text_response};
use errors::{engine_error, reidentify_error};

const DEFAULT_POLICY: &str = "default";
/// Erasure over HTTP carries no reason, but the audit trail requires one.
const ERASE_REASON: &str = "erasure requested via DELETE /v1/tokens";

pub struct EngineBackend {
    pipeline: Arc<Pipeline>,
    orchestrator: LocalOrchestrator,
    reidentifier: Reidentifier,
}

impl EngineBackend {
    /// The embedded default under `home`; creates the keyring on first use, like `anonymize`.
    pub fn open(home: &Home) -> anyhow::Result<Self> {
        let pipeline = pipeline::open(home)?;
        let audit = Arc::new(SqliteAuditLog::open(&home.audit())?);
        let orchestrator = pipeline::orchestrator(home, pipeline.clone(), None)?;
        Self::new(pipeline, orchestrator, audit)
    }

    pub fn new(
        pipeline: Arc<Pipeline>,
        orchestrator: LocalOrchestrator,
        audit: Arc<dyn AuditLog>,
    ) -> anyhow::Result<Self> {
        // Every engine shares the pipeline's one deidentifier (keyring and vault); the
        // default engine is the way to reach it.
        let deidentifier = pipeline.engine(DEFAULT_POLICY)?.deidentifier().clone();
        let audit = Arc::new(RecordingAuditLog(audit));
        let reidentifier = Reidentifier::new(deidentifier, audit);
        Ok(Self {
            pipeline,
            orchestrator,
            reidentifier,
        })
    }

    /// Only built-in policy names: `Policy::resolve` also reads files, which an HTTP
    /// caller must not be able to point at the server's disk.
    fn policy_name<'a>(&self, policy: Option<&'a str>) -> Result<&'a str, ApiError> {
        let name = policy.unwrap_or(DEFAULT_POLICY);
        if mask::Policy::builtin_names().any(|n| n == name) {
            return Ok(name);
        }
        let known: Vec<_> = mask::Policy::builtin_names().collect();
        Err(ApiError::InvalidInput(format!(
            "unknown policy `{name}`; available: {}",
            known.join(", ")
        )))
    }

    fn engine(&self, policy: Option<&str>) -> Result<Arc<Engine>, ApiError> {
        let name = self.policy_name(policy)?;
        self.pipeline.engine(name).map_err(|e| engine_error(&e))
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
        audit::page(self.reidentifier.audit_log().as_ref(), query).await
    }
}

/// The entity type a token names, spelt as entities are on the wire.
fn token_type(token: &str) -> Option<String> {
    let (entity_type, _) = parse_token(token).ok()?;
    serde_json::to_value(entity_type)
        .ok()?
        .as_str()
        .map(str::to_string)
}
