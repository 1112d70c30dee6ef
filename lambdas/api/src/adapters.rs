//! The API Lambda's adapters for the shared `Service`: documents from the stack's bucket
//! run by the documents state machine, and re-identification, erasure and the audit
//! listing done by the reidentify function (the only one allowed to read the vault and
//! the trail), invoked with the caller's identity.

use async_trait::async_trait;
use aws_sdk_lambda::primitives::Blob;
use reidentify::{AccessToken, CallContext};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use service::error_names::{INVALID_INPUT, THROTTLED, UNAUTHORIZED, UNAVAILABLE};
use service::{
    AuditPage, AuditQuery, DocumentRequest, DocumentSources, EraseResponse, JobLocation, JobSource,
    Reidentification, ReidentifyEvent, ReidentifyRequest, ReidentifyResponse, ServiceError,
};

/// `s3://` references into the stack's bucket only (the functions can read nothing else).
pub struct S3Sources {
    pub bucket: Option<String>,
    /// Where documents and jobs may read (the functions read documents only under it);
    /// unset: anywhere.
    pub prefix: Option<String>,
}

impl DocumentSources for S3Sources {
    fn document(&self, req: &DocumentRequest) -> Result<(Value, String), ServiceError> {
        if req.destination.is_some() {
            return Err(ServiceError::InvalidInput(
                "`destination` is not supported: results go under results/ in the stack's bucket"
                    .into(),
            ));
        }
        let rest = req.source.strip_prefix("s3://").ok_or_else(|| {
            ServiceError::InvalidInput("`source` must be an s3:// reference on AWS".into())
        })?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() || key.is_empty() {
            return Err(ServiceError::InvalidInput(
                "an s3:// reference needs a bucket and a key".into(),
            ));
        }
        if self.bucket.as_deref().is_some_and(|b| b != bucket) {
            return Err(ServiceError::InvalidInput(
                "`source` must be in the stack's document bucket".into(),
            ));
        }
        // The pipeline functions may read only under DocumentPrefix: a run of any other key
        // could only fail, so it is refused before it starts.
        if self.prefix.as_deref().is_some_and(|p| !key.starts_with(p)) {
            return Err(ServiceError::InvalidInput(
                "`source` must be under the stack's document prefix".into(),
            ));
        }
        // No object version is known here (the API may not read documents): the same key
        // and policy are the same run; upload changed content under a new key.
        Ok((json!({ "ref": req.source }), String::new()))
    }

    fn job(&self, source: &JobSource) -> Result<JobLocation, ServiceError> {
        JobLocation::s3(source, self.bucket.as_deref(), self.prefix.as_deref())
    }
}

/// Calls the reidentify function synchronously (RequestResponse).
pub struct InvokeReidentify {
    pub client: aws_sdk_lambda::Client,
    pub function: String,
}

impl InvokeReidentify {
    async fn call<T: DeserializeOwned>(&self, event: ReidentifyEvent) -> Result<T, ServiceError> {
        let payload = serde_json::to_vec(&event)
            .map_err(|_| ServiceError::Internal("serializing a reidentify event".into()))?;
        let out = self
            .client
            .invoke()
            .function_name(&self.function)
            .payload(Blob::new(payload))
            .send()
            .await
            .map_err(|e| {
                let throttled = e
                    .as_service_error()
                    .is_some_and(|s| s.is_too_many_requests_exception());
                tracing::warn!(throttled, "invoking the reidentify function failed");
                ServiceError::Unavailable("re-identification is unavailable; retry later".into())
            })?;
        let payload = out.payload.map(Blob::into_inner).unwrap_or_default();
        if out.function_error.is_some() {
            return Err(function_error(&payload));
        }
        serde_json::from_slice(&payload).map_err(|_| {
            ServiceError::Internal("the reidentify function answered an unexpected shape".into())
        })
    }
}

/// The function's `{"errorType", "errorMessage"}`: its messages are written to be shown.
fn function_error(payload: &[u8]) -> ServiceError {
    let doc: Value = serde_json::from_slice(payload).unwrap_or(Value::Null);
    let message = doc["errorMessage"].as_str().unwrap_or("").to_string();
    match doc["errorType"].as_str().unwrap_or("") {
        INVALID_INPUT => ServiceError::InvalidInput(message),
        THROTTLED => ServiceError::Throttled(message),
        UNAVAILABLE => ServiceError::Unavailable(message),
        // The API let the caller in and the function did not: the two disagree on who may
        // reveal, which the operator must fix.
        UNAUTHORIZED => {
            ServiceError::Internal("the reidentify function refused the caller's token".into())
        }
        other => ServiceError::Internal(format!("reidentify function: {other}")),
    }
}

#[async_trait]
impl Reidentification for InvokeReidentify {
    async fn reidentify(
        &self,
        req: ReidentifyRequest,
        ctx: &CallContext,
    ) -> Result<ReidentifyResponse, ServiceError> {
        self.call(ReidentifyEvent::reidentify(req, ctx)).await
    }

    async fn erase(&self, token: &str, ctx: &CallContext) -> Result<EraseResponse, ServiceError> {
        self.call(ReidentifyEvent::erase(token, ctx)).await
    }

    async fn audit(
        &self,
        query: AuditQuery,
        token: Option<&AccessToken>,
    ) -> Result<AuditPage, ServiceError> {
        self.call(ReidentifyEvent::audit(query, token)).await
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
            prefix: Some("in/".into()),
        };
        assert!(s.document(&req("s3://docs/in/a.txt")).is_ok());
        for bad in [
            "s3://other/a.txt",
            "s3://docs/",
            "s3://docs",
            "file:///etc/passwd",
            "s3://docs/out/a.txt",
            "s3://docs/ina.txt",
        ] {
            assert!(s.document(&req(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn function_errors_keep_their_kind() {
        let api_error = |payload: &[u8]| api::ApiError::from(function_error(payload));
        let e = api_error(br#"{"errorType":"Pii.InvalidInput","errorMessage":"bad token"}"#);
        assert_eq!(e.kind(), api::ApiErrorKind::InvalidInput);
        assert_eq!(e.public_message(), "bad token");
        let e = api_error(br#"{"errorType":"Pii.Unavailable","errorMessage":"audit down"}"#);
        assert_eq!(e.kind(), api::ApiErrorKind::Unavailable);
        let e = api_error(b"not json");
        assert_eq!(e.kind(), api::ApiErrorKind::Internal);
    }
}
