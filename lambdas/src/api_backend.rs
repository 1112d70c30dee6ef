//! The API Lambda's adapters for the shared `EngineBackend`: documents from the stack's
//! bucket run by the documents state machine, and re-identification, erasure and the audit
//! listing done by the reidentify function (the only one allowed to read the vault and
//! the trail), invoked with the caller's identity.

use api::engine::{DocumentSources, Reidentification, call_context};
use api::{
    ApiError, AuditPage, AuditQuery, CallContext, DocumentRequest, EraseResponse,
    ReidentifyRequest, ReidentifyResponse,
};
use async_trait::async_trait;
use aws_sdk_lambda::primitives::Blob;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::errors::{INVALID_INPUT, THROTTLED, UNAVAILABLE};
use crate::reidentify::ERASE_REASON;

/// `s3://` references into the stack's bucket only (the functions can read nothing else).
pub struct S3Sources {
    pub bucket: Option<String>,
}

impl DocumentSources for S3Sources {
    fn document(&self, req: &DocumentRequest) -> Result<(Value, String), ApiError> {
        if req.destination.is_some() {
            return Err(ApiError::InvalidInput(
                "`destination` is not supported: results go under results/ in the stack's bucket"
                    .into(),
            ));
        }
        let rest = req.source.strip_prefix("s3://").ok_or_else(|| {
            ApiError::InvalidInput("`source` must be an s3:// reference on AWS".into())
        })?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() || key.is_empty() {
            return Err(ApiError::InvalidInput(
                "an s3:// reference needs a bucket and a key".into(),
            ));
        }
        if self.bucket.as_deref().is_some_and(|b| b != bucket) {
            return Err(ApiError::InvalidInput(
                "`source` must be in the stack's document bucket".into(),
            ));
        }
        // No object version is known here (the API may not read documents): the same key
        // and policy are the same run; upload changed content under a new key.
        Ok((json!({ "ref": req.source }), String::new()))
    }
}

/// Calls the reidentify function synchronously (RequestResponse).
pub struct InvokeReidentify {
    pub client: aws_sdk_lambda::Client,
    pub function: String,
}

impl InvokeReidentify {
    async fn call<T: DeserializeOwned>(&self, event: Value) -> Result<T, ApiError> {
        let out = self
            .client
            .invoke()
            .function_name(&self.function)
            .payload(Blob::new(event.to_string().into_bytes()))
            .send()
            .await
            .map_err(|e| {
                let throttled = e
                    .as_service_error()
                    .is_some_and(|s| s.is_too_many_requests_exception());
                tracing::warn!(throttled, "invoking the reidentify function failed");
                ApiError::Unavailable("re-identification is unavailable; retry later".into())
            })?;
        let payload = out.payload.map(Blob::into_inner).unwrap_or_default();
        if out.function_error.is_some() {
            return Err(function_error(&payload));
        }
        serde_json::from_slice(&payload).map_err(|_| {
            ApiError::Internal("the reidentify function answered an unexpected shape".into())
        })
    }
}

/// The function's `{"errorType", "errorMessage"}`: its messages are written to be shown.
fn function_error(payload: &[u8]) -> ApiError {
    let doc: Value = serde_json::from_slice(payload).unwrap_or(Value::Null);
    let message = doc["errorMessage"].as_str().unwrap_or("").to_string();
    match doc["errorType"].as_str().unwrap_or("") {
        INVALID_INPUT => ApiError::InvalidInput(message),
        THROTTLED | UNAVAILABLE => ApiError::Unavailable(message),
        other => ApiError::Internal(format!("reidentify function: {other}")),
    }
}

fn event(action: &str, ctx: &CallContext, reason: &str) -> Value {
    let ctx = call_context(ctx, reason.to_string());
    json!({
        "action": action,
        "reason": ctx.reason,
        "principal": ctx.principal,
        "request_id": ctx.request_id,
        "source": ctx.source,
    })
}

#[async_trait]
impl Reidentification for InvokeReidentify {
    async fn reidentify(
        &self,
        req: ReidentifyRequest,
        ctx: &CallContext,
    ) -> Result<ReidentifyResponse, ApiError> {
        let mut e = event("reidentify", ctx, &req.reason);
        if let Some(tokens) = req.tokens {
            e["tokens"] = json!(tokens);
        }
        if let Some(text) = req.text {
            e["text"] = Value::String(text);
        }
        if let Some(record) = req.record {
            e["record"] = record;
        }
        self.call(e).await
    }

    async fn erase(&self, token: &str, ctx: &CallContext) -> Result<EraseResponse, ApiError> {
        let mut e = event("erase", ctx, ERASE_REASON);
        e["token"] = Value::String(token.to_string());
        self.call(e).await
    }

    async fn audit(&self, query: AuditQuery) -> Result<AuditPage, ApiError> {
        // The listing is not itself a re-identification: no caller identity is recorded.
        self.call(json!({ "action": "audit", "query": query }))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(source: &str) -> DocumentRequest {
        DocumentRequest {
            source: source.into(),
            destination: None,
            policy: None,
        }
    }

    #[test]
    fn sources_are_s3_keys_in_the_stack_bucket() {
        let s = S3Sources {
            bucket: Some("docs".into()),
        };
        assert!(s.document(&req("s3://docs/in/a.txt")).is_ok());
        for bad in [
            "s3://other/a.txt",
            "s3://docs/",
            "s3://docs",
            "file:///etc/passwd",
        ] {
            assert!(s.document(&req(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn function_errors_keep_their_kind() {
        let e = function_error(br#"{"errorType":"Pii.InvalidInput","errorMessage":"bad token"}"#);
        assert_eq!(e.kind(), api::ApiErrorKind::InvalidInput);
        assert_eq!(e.public_message(), "bad token");
        let e = function_error(br#"{"errorType":"Pii.Unavailable","errorMessage":"audit down"}"#);
        assert_eq!(e.kind(), api::ApiErrorKind::Unavailable);
        let e = function_error(b"not json");
        assert_eq!(e.kind(), api::ApiErrorKind::Internal);
    }
}
