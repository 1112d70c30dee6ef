//! Engine results in the shapes of the service's responses.

use crate::{AnonymizeResponse, AnonymizedRecord, AnonymizedText, ServiceError, WireEntity};
use detect::Entity;
use serde::Serialize;
use serde_json::Value;

pub fn text_response(out: AnonymizedText) -> Result<AnonymizeResponse, ServiceError> {
    Ok(AnonymizeResponse {
        text: Some(out.text),
        record: None,
        entities: wire_entities(&out.entities)?,
        summary: to_value(&out.summary)?,
    })
}

pub fn record_response(out: AnonymizedRecord) -> Result<AnonymizeResponse, ServiceError> {
    Ok(AnonymizeResponse {
        text: None,
        record: Some(out.record),
        entities: wire_entities(&out.entities)?,
        summary: to_value(&out.summary)?,
    })
}

/// Through serde rather than field by field: the engine's JSON is the data contract, so the
/// wire names (`type`, `source` spellings) stay whatever the engine's serializer says.
fn wire_entities(entities: &[Entity]) -> Result<Vec<WireEntity>, ServiceError> {
    serde_json::from_value(to_value(entities)?)
        .map_err(|e| ServiceError::Internal(format!("entity shape mismatch: {e}")))
}

fn to_value(v: &(impl Serialize + ?Sized)) -> Result<Value, ServiceError> {
    serde_json::to_value(v).map_err(|e| ServiceError::Internal(format!("serializing: {e}")))
}
