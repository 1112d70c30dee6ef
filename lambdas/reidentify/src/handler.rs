//! The reidentify function: the API function's typed event, run by the same
//! `LocalReidentification` the local server runs. The `Reidentifier` writes the audit record
//! before any vault read and returns nothing when it cannot (fail closed).

use std::sync::Arc;

use deidentify::Deidentifier;
use lambda_runtime::LambdaEvent;
use reidentify::{AuditLog, Audited};
use serde::Serialize;
use serde_json::Value;
use service::{LocalReidentification, Reidentification, ReidentifyEvent, RemoteCall, Revelation};

use lambda_common::{LambdaError, check_inline};

pub struct ReidentifyHandler {
    local: LocalReidentification,
}

impl ReidentifyHandler {
    pub fn new(deidentifier: Arc<Deidentifier>, audit: Arc<dyn AuditLog>) -> Self {
        Self {
            local: LocalReidentification::new(deidentifier, audit),
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
        let event = ReidentifyEvent::from_json(event)?;
        if let Some(text) = &event.text {
            check_inline(&Value::String(text.clone()), "text")?;
        }
        if let Some(record) = &event.record {
            check_inline(record, "record")?;
        }
        match event.into_call()? {
            RemoteCall::Audit(query) => answer(&self.local.audit(query).await?, None),
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
