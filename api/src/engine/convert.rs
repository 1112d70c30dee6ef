//! Engine results and API callers in the shapes of the other side of the boundary.

use crate::{AnonymizeResponse, ApiError, WireEntity};
use deidentify::{AnonymizedRecord, AnonymizedText};
use detect::Entity;
use serde::Serialize;
use serde_json::Value;

pub fn text_response(out: AnonymizedText) -> Result<AnonymizeResponse, ApiError> {
    Ok(AnonymizeResponse {
        text: Some(out.text),
        record: None,
        entities: wire_entities(&out.entities)?,
        summary: to_value(&out.summary)?,
    })
}

pub fn record_response(out: AnonymizedRecord) -> Result<AnonymizeResponse, ApiError> {
    Ok(AnonymizeResponse {
        text: None,
        record: Some(out.record),
        entities: wire_entities(&out.entities)?,
        summary: to_value(&out.summary)?,
    })
}

/// Through serde rather than field by field: the engine's JSON is the data contract, so the
/// wire names (`type`, `source` spellings) stay whatever the engine's serializer says.
fn wire_entities(entities: &[Entity]) -> Result<Vec<WireEntity>, ApiError> {
    serde_json::from_value(to_value(entities)?)
        .map_err(|e| ApiError::Internal(format!("entity shape mismatch: {e}")))
}

fn to_value(v: &(impl Serialize + ?Sized)) -> Result<Value, ApiError> {
    serde_json::to_value(v).map_err(|e| ApiError::Internal(format!("serializing: {e}")))
}

/// The audit trail's view of an API caller.
pub fn call_context(ctx: &crate::CallContext, reason: String) -> reidentify::CallContext {
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
    }
}
