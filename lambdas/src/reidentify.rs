//! The reidentify function: tokens, a text or a record back to originals, for a named
//! principal with a reason. The `Reidentifier` writes the audit record before any vault
//! read and returns nothing when it cannot (fail closed); this layer adds the audit id.

use std::sync::{Arc, Mutex};

use api::engine::token_type;
use deidentify::Deidentifier;
use lambda_runtime::LambdaEvent;
use reidentify::{
    AuditError, AuditLog, AuditQuery, AuditRecord, CallContext, Principal, Reidentifier,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::LambdaError;
use crate::handlers::check_inline;

pub use api::engine::ERASE_REASON;

/// What the event asks for; re-identification when absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    #[default]
    Reidentify,
    /// Remove one token's vault item (`token`), audited like a re-identification.
    Erase,
    /// One page of the audit trail (`query`, as `GET /v1/audit` takes it).
    Audit,
}

/// `{"tokens": [...]} | {"text": "..."} | {"record": {...}}` plus who and why;
/// `{"action": "erase", "token": ...}` plus who and why; `{"action": "audit", "query": {...}}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReidentifyEvent {
    #[serde(default)]
    pub action: Action,
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub query: Option<api::AuditQuery>,
    #[serde(default)]
    pub tokens: Option<Vec<String>>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub record: Option<Value>,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub principal: Principal,
    #[serde(default)]
    pub request_id: String,
    /// Where the call came from (`api 203.0.113.9`); recorded in the audit trail.
    #[serde(default)]
    pub source: Option<String>,
}

pub struct ReidentifyHandler {
    deidentifier: Arc<Deidentifier>,
    audit: Arc<dyn AuditLog>,
}

impl ReidentifyHandler {
    pub fn new(deidentifier: Arc<Deidentifier>, audit: Arc<dyn AuditLog>) -> Self {
        Self {
            deidentifier,
            audit,
        }
    }

    pub async fn invoke(&self, event: LambdaEvent<Value>) -> Result<Value, LambdaError> {
        let result = self.handle(event.payload).await;
        if let Err(e) = &result {
            tracing::warn!(error_type = e.error_name(), message = %e.public_message(), "reidentify failed");
        }
        result
    }

    pub async fn handle(&self, event: Value) -> Result<Value, LambdaError> {
        let event = parse_event(event)?;
        if event.action == Action::Audit {
            return self.audit_page(event.query.unwrap_or_default()).await;
        }
        let ctx = CallContext {
            principal: event.principal,
            reason: event.reason,
            request_id: event.request_id,
            source: event.source.or_else(|| Some("lambda".into())),
        };
        // A recorder per call, so the answer can name the audit record that covers it.
        let recorder = Arc::new(Recorder {
            inner: self.audit.clone(),
            id: Mutex::new(None),
        });
        let r = Reidentifier::new(self.deidentifier.clone(), recorder.clone());
        let mut out = if event.action == Action::Erase {
            let token = event.token.as_deref().expect("parse_event checked");
            let erased = r.erase(token, &ctx).await?;
            json!({ "token": token, "erased": erased })
        } else if let Some(tokens) = &event.tokens {
            let revealed = r.reveal_tokens(tokens, &ctx).await?;
            let items: Vec<Value> = revealed
                .into_iter()
                .map(|v| json!({"token": v.token, "type": token_type(&v.token), "value": v.value}))
                .collect();
            json!({ "tokens": items })
        } else if let Some(text) = &event.text {
            let (text, replaced) = r.reidentify_text(text, &ctx).await?;
            json!({ "text": text, "replaced": replaced })
        } else {
            let record = event.record.as_ref().expect("parse_event checked");
            let (record, replaced) = r.reidentify_record(record, &ctx).await?;
            json!({ "record": record, "replaced": replaced })
        };
        // No id means no audit record was written: then nothing may leave.
        let id = recorder
            .id
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .ok_or_else(|| {
                LambdaError::Config("the audit log reported no record; nothing is returned".into())
            })?;
        out["audit_id"] = Value::String(id);
        Ok(out)
    }
}

impl ReidentifyHandler {
    async fn audit_page(&self, query: api::AuditQuery) -> Result<Value, LambdaError> {
        let page = api::engine::audit_page(self.audit.as_ref(), query)
            .await
            .map_err(|e| match e.kind() {
                api::ApiErrorKind::InvalidInput => LambdaError::InvalidInput(e.public_message()),
                _ => LambdaError::Unavailable("the audit trail is unavailable".into()),
            })?;
        serde_json::to_value(page)
            .map_err(|_| LambdaError::Config("serializing an audit page failed".into()))
    }
}

fn parse_event(event: Value) -> Result<ReidentifyEvent, LambdaError> {
    // serde's message may quote a value (an original pasted by mistake): name the shape.
    let event: ReidentifyEvent = serde_json::from_value(event).map_err(|_| {
        LambdaError::InvalidInput(
            "the event must be {\"tokens\": [...]} or {\"text\": \"...\"} or {\"record\": {...}}, \
             with \"reason\", \"principal\": {\"sub\": ...} and \"request_id\""
                .into(),
        )
    })?;
    let given = [
        event.tokens.is_some(),
        event.text.is_some(),
        event.record.is_some(),
        event.token.is_some(),
        event.query.is_some(),
    ];
    let expected = match event.action {
        Action::Reidentify => {
            given[..3].iter().filter(|g| **g).count() == 1 && !given[3] && !given[4]
        }
        Action::Erase => given[3] && given.iter().filter(|g| **g).count() == 1,
        Action::Audit => given[..4].iter().all(|g| !g),
    };
    if !expected {
        return Err(LambdaError::InvalidInput(
            match event.action {
                Action::Reidentify => "give exactly one of `tokens`, `text` and `record`",
                Action::Erase => "an erase event names one `token` and nothing else to reveal",
                Action::Audit => "an audit event takes only a `query`",
            }
            .into(),
        ));
    }
    if event.action == Action::Audit {
        return Ok(event);
    }
    if event.reason.trim().is_empty() {
        return Err(LambdaError::InvalidInput("`reason` is required".into()));
    }
    if event.principal.sub.trim().is_empty() {
        return Err(LambdaError::InvalidInput(
            "`principal.sub` must name the caller".into(),
        ));
    }
    if event.request_id.trim().is_empty() {
        return Err(LambdaError::InvalidInput("`request_id` is required".into()));
    }
    if let Some(text) = &event.text {
        check_inline(&Value::String(text.clone()), "text")?;
    }
    if let Some(record) = &event.record {
        check_inline(record, "record")?;
    }
    Ok(event)
}

/// Passes appends through and remembers the id of the one that succeeded.
struct Recorder {
    inner: Arc<dyn AuditLog>,
    id: Mutex<Option<String>>,
}

#[async_trait::async_trait]
impl AuditLog for Recorder {
    async fn append(&self, record: &AuditRecord) -> Result<(), AuditError> {
        self.inner.append(record).await?;
        *self.id.lock().unwrap_or_else(|p| p.into_inner()) = Some(record.id.clone());
        Ok(())
    }

    async fn query(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>, AuditError> {
        self.inner.query(query).await
    }
}
