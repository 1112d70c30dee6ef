//! The Step Functions task handlers: event JSON → engine step → result JSON.
//!
//! The service's step runner does the work; this layer checks what only a Lambda has to
//! care about (the payload cap, an event's outer shape) with messages that name fields,
//! never values.

use std::sync::Arc;

use lambda_runtime::LambdaEvent;
use serde_json::Value;
use service::{DocumentStore, PolicyNames, Step, StepRunner};

use crate::LambdaError;
use crate::engines::Engines;

/// Step Functions caps a state at 256 KB; inline content above this leaves no room for
/// what the steps add, so it has to travel by reference.
pub const MAX_INLINE_BYTES: usize = 200 * 1024;

/// One of the three pipeline functions, with its engines and document store.
pub struct StepHandler {
    step: Step,
    runner: StepRunner,
}

impl StepHandler {
    pub fn new(step: Step, engines: Arc<Engines>, docs: Arc<dyn DocumentStore>) -> Self {
        Self {
            step,
            runner: StepRunner::new(engines.cache(), PolicyNames::BuiltinOnly, docs),
        }
    }

    /// The `lambda_runtime` entry point.
    pub async fn invoke(&self, event: LambdaEvent<Value>) -> Result<Value, LambdaError> {
        let result = self.handle(&event.payload).await;
        if let Err(e) = &result {
            // The name and our own message only: the payload is PII.
            tracing::warn!(step = ?self.step, error_type = e.error_name(), message = %e.public_message(), "step failed");
        }
        result
    }

    /// The step on one state, without the Lambda envelope (what the tests call).
    pub async fn handle(&self, state: &Value) -> Result<Value, LambdaError> {
        check_state(state, self.step)?;
        Ok(self.runner.run(self.step, state).await?)
    }
}

/// The outer shape every step needs, and the inline size cap.
fn check_state(state: &Value, step: Step) -> Result<(), LambdaError> {
    let invalid = |m: &str| Err(LambdaError::InvalidInput(m.to_string()));
    let Some(obj) = state.as_object() else {
        return invalid("the event must be a JSON object (the Step Functions state)");
    };
    match obj.get("action") {
        None => {}
        Some(Value::String(a)) if a == "join" && step == Step::Deidentify => {
            return check_join(obj);
        }
        Some(_) => return invalid("unknown `action` for this function"),
    }
    match (obj.get("document"), obj.get("record")) {
        (Some(_), Some(_)) => return invalid("give either `document` or `record`, not both"),
        (None, None) => return invalid("the event has neither `document` nor `record`"),
        (Some(doc), None) => check_document(doc, "document")?,
        (None, Some(record)) => check_inline(record, "record")?,
    }
    if step != Step::Detect
        && !state
            .pointer("/detection/entities")
            .is_some_and(Value::is_array)
    {
        return invalid("the event has no `detection.entities` list (run detect first)");
    }
    if step == Step::Deidentify {
        match state.pointer("/masked/output") {
            None => return invalid("the event has no `masked.output` (run mask first)"),
            Some(output) if obj.contains_key("document") => {
                check_document(output, "masked.output")?
            }
            Some(output) => check_inline(output, "masked.output")?,
        }
        if !state.pointer("/masked/pending").is_none_or(Value::is_array) {
            return invalid("`masked.pending` must be a list of entities");
        }
    }
    Ok(())
}

/// The documents machine's Join: the whole document and the Map's results.
fn check_join(obj: &serde_json::Map<String, Value>) -> Result<(), LambdaError> {
    let whole_ref = obj
        .get("document")
        .is_some_and(|d| d.get("ref").is_some_and(Value::is_string) && d.get("range").is_none());
    if !whole_ref {
        return Err(LambdaError::InvalidInput(
            "join needs `document` as {\"ref\": \"s3://bucket/key\"}".into(),
        ));
    }
    if !obj.get("parts").is_some_and(Value::is_array) {
        return Err(LambdaError::InvalidInput(
            "join needs `parts`, the chunks' results".into(),
        ));
    }
    Ok(())
}

/// `{"text": "..."}` or `{"ref": "s3://..."}`.
fn check_document(doc: &Value, field: &str) -> Result<(), LambdaError> {
    match (doc.get("text"), doc.get("ref")) {
        (Some(text @ Value::String(_)), None) => check_inline(text, field),
        (None, Some(Value::String(_))) => Ok(()),
        _ => Err(LambdaError::InvalidInput(format!(
            "`{field}` must be {{\"text\": \"...\"}} or {{\"ref\": \"s3://bucket/key\"}}"
        ))),
    }
}

pub fn check_inline(value: &Value, field: &str) -> Result<(), LambdaError> {
    let size = inline_size(value);
    if size > MAX_INLINE_BYTES {
        return Err(LambdaError::InvalidInput(format!(
            "inline `{field}` is {size} bytes, over the {MAX_INLINE_BYTES}-byte limit for Step \
             Functions payloads: upload it and pass {{\"document\": {{\"ref\": \"s3://bucket/key\"}}}}"
        )));
    }
    Ok(())
}

fn inline_size(value: &Value) -> usize {
    match value {
        Value::String(s) => s.len(),
        // Serialized size is what counts against the payload cap.
        other => serde_json::to_vec(other)
            .map(|v| v.len())
            .unwrap_or(usize::MAX),
    }
}
