//! The reidentify function: the API function's typed event, run by the same
//! `LocalReidentification` the local server runs. The `Reidentifier` writes the audit record
//! before any vault read and returns nothing when it cannot (fail closed).
//!
//! Being allowed to invoke the function proves nothing about who is asking: every event
//! carries the caller's access token, verified here (JWKS, issuer, app client, scope
//! `pii/reidentify`), and the audit trail records the principal that token names.

use std::sync::Arc;

use access_token::{AuthError, JwtVerifier, SCOPE_REIDENTIFY};
use deidentify::Deidentifier;
use lambda_runtime::LambdaEvent;
use reidentify::{AuditLog, Audited, Principal};
use serde::Serialize;
use serde_json::Value;
use service::{LocalReidentification, Reidentification, ReidentifyEvent, RemoteCall, Revelation};

use lambda_common::{LambdaError, check_inline};

pub struct ReidentifyHandler {
    local: LocalReidentification,
    callers: JwtVerifier,
}

impl ReidentifyHandler {
    /// `callers` verifies the access token each event carries.
    pub fn new(
        deidentifier: Arc<Deidentifier>,
        audit: Arc<dyn AuditLog>,
        callers: JwtVerifier,
    ) -> Self {
        Self {
            local: LocalReidentification::new(deidentifier, audit),
            callers,
        }
    }

    /// The principal the event's access token proves, if it may reveal.
    async fn caller(&self, token: Option<&str>) -> Result<Principal, LambdaError> {
        let token = token
            .ok_or_else(|| LambdaError::Unauthorized("the event carries no access_token".into()))?;
        let identity = self.callers.verify(token).await.map_err(|e| match e {
            AuthError::Jwks(_) => LambdaError::Unavailable(
                "the caller's token cannot be verified: the JWKS is unavailable".into(),
            ),
            // Fixed texts: these variants hold parts of the token.
            AuthError::UnknownKey(_) => LambdaError::Unauthorized("unknown signing key".into()),
            AuthError::Malformed(_) => LambdaError::Unauthorized("malformed token".into()),
            other => LambdaError::Unauthorized(other.to_string()),
        })?;
        if !identity.has_scope(SCOPE_REIDENTIFY) {
            return Err(LambdaError::Unauthorized(format!(
                "the token lacks scope {SCOPE_REIDENTIFY}"
            )));
        }
        Ok(Principal {
            sub: identity.sub,
            client_id: Some(identity.client_id),
            username: identity.username,
        })
    }

    pub async fn invoke(&self, event: LambdaEvent<Value>) -> Result<Value, LambdaError> {
        let result = self.handle(event.payload).await;
        if let Err(e) = &result {
            tracing::warn!(error_type = e.error_name(), message = %e.public_message(), "reidentify failed");
        }
        result
    }

    pub async fn handle(&self, event: Value) -> Result<Value, LambdaError> {
        let event = ReidentifyEvent::from_json(event)?;
        let principal = self.caller(event.access_token.as_deref()).await?;
        if let Some(text) = &event.text {
            check_inline(&Value::String(text.clone()), "text")?;
        }
        if let Some(record) = &event.record {
            check_inline(record, "record")?;
        }
        match event.into_call(principal)? {
            RemoteCall::Audit(query) => answer(&self.local.audit(query, None).await?, None),
            RemoteCall::Erase(token, ctx) => {
                let Audited { audit_id, value } = self.local.erase_audited(&token, &ctx).await?;
                answer(&value, Some(audit_id))
            }
            RemoteCall::Reidentify(req, ctx) => {
                let Revelation { response, replaced } = self.local.reveal(req, &ctx).await?;
                let mut out = answer(&response, None)?;
                if let Some(replaced) = replaced {
                    out["replaced"] = Value::from(replaced);
                }
                Ok(out)
            }
        }
    }
}

/// The service's response as JSON, with the id of the audit record that covers it.
fn answer(response: &impl Serialize, audit_id: Option<String>) -> Result<Value, LambdaError> {
    let mut out = serde_json::to_value(response)
        .map_err(|_| LambdaError::Config("serializing the answer failed".into()))?;
    if let Some(id) = audit_id {
        out["audit_id"] = Value::String(id);
    }
    Ok(out)
}
