//! The API Lambda's adapters for the shared `Service`: documents from the stack's bucket
//! run by the documents state machine, and re-identification, erasure and the audit
//! listing done by the reidentify function (the only one allowed to read the vault and
//! the trail), invoked with the caller's identity.

use std::collections::BTreeMap;
use std::time::SystemTime;

use async_trait::async_trait;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_s3::presigning::{PresignedRequest as PresignedS3Request, PresigningConfig};
use reidentify::{AccessToken, CallContext};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use service::error_names::{INVALID_INPUT, THROTTLED, UNAUTHORIZED, UNAVAILABLE};
use service::{
    AuditPage, AuditQuery, DocumentRequest, DocumentSources, EraseResponse, JobLocation, JobSource,
    PRESIGNED_TTL, PresignedRequest, Reidentification, ReidentifyEvent, ReidentifyRequest,
    ReidentifyResponse, ServiceError, UploadTicket, etag_version,
};

/// `s3://` references into the stack's bucket only (the functions can read nothing else).
pub struct S3Sources {
    /// HeadObject of a document (its ETag names the run, as the ingest starter names it).
    pub client: aws_sdk_s3::Client,
    pub bucket: Option<String>,
    /// Where documents and jobs may read (the functions read documents only under it);
    /// unset: anywhere.
    pub prefix: Option<String>,
}

#[async_trait]
impl DocumentSources for S3Sources {
    async fn document(&self, req: &DocumentRequest) -> Result<(Value, String), ServiceError> {
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
        let etag = self.etag(bucket, key).await?;
        Ok((json!({ "ref": req.source }), etag))
    }

    fn job(&self, source: &JobSource) -> Result<JobLocation, ServiceError> {
        JobLocation::s3(source, self.bucket.as_deref(), self.prefix.as_deref())
    }

    /// A presigned PutObject under `DocumentPrefix`: the upload rule starts its run.
    async fn upload(&self, file_name: &str) -> Result<UploadTicket, ServiceError> {
        let bucket = self.bucket.as_deref().ok_or_else(|| {
            ServiceError::Internal("DOCUMENT_BUCKET is not set: no bucket to upload to".into())
        })?;
        let prefix = self.prefix.as_deref().unwrap_or(DEFAULT_PREFIX);
        let key = format!("{prefix}{}/{file_name}", uuid::Uuid::new_v4());
        let presigned = self
            .client
            .put_object()
            .bucket(bucket)
            .key(&key)
            .presigned(presigning()?)
            .await
            .map_err(|_| ServiceError::Internal("presigning an upload failed".into()))?;
        let request = presigned_request(&presigned);
        Ok(UploadTicket::new(
            key.clone(),
            format!("s3://{bucket}/{key}"),
            request,
        ))
    }

    /// A presigned GetObject of a result; only results in the stack's bucket under
    /// `results/` are ever signed.
    async fn download(&self, result: &str) -> Result<PresignedRequest, ServiceError> {
        let (bucket, key) = result
            .strip_prefix("s3://")
            .and_then(|rest| rest.split_once('/'))
            .filter(|(b, k)| {
                k.starts_with(RESULTS_PREFIX) && self.bucket.as_deref().is_none_or(|own| own == *b)
            })
            .ok_or_else(|| ServiceError::Internal("a result outside results/".into()))?;
        let presigned = self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .presigned(presigning()?)
            .await
            .map_err(|_| ServiceError::Internal("presigning a download failed".into()))?;
        Ok(presigned_request(&presigned))
    }
}

/// Where uploads go when `DOCUMENT_PREFIX` is unset: the template's default prefix.
const DEFAULT_PREFIX: &str = "incoming/";
/// Where the deidentify step writes results (`S3StoreConfig`'s output prefix).
const RESULTS_PREFIX: &str = "results/";

fn presigning() -> Result<PresigningConfig, ServiceError> {
    PresigningConfig::expires_in(PRESIGNED_TTL)
        .map_err(|_| ServiceError::Internal("presigning configuration".into()))
}

fn presigned_request(p: &PresignedS3Request) -> PresignedRequest {
    let headers: BTreeMap<String, String> = p
        .headers()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    PresignedRequest::new(
        p.uri().to_string(),
        p.method(),
        headers,
        SystemTime::now() + PRESIGNED_TTL,
    )
}

impl S3Sources {
    /// The object's ETag (HeadObject), the version the upload rule's run is named by.
    async fn etag(&self, bucket: &str, key: &str) -> Result<String, ServiceError> {
        let head = self
            .client
            .head_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| {
                if e.as_service_error().is_some_and(|s| s.is_not_found()) {
                    ServiceError::InvalidInput("`source` names no object in the bucket".into())
                } else {
                    tracing::warn!("HeadObject of a document source failed");
                    ServiceError::Unavailable(
                        "the document bucket is unavailable; retry later".into(),
                    )
                }
            })?;
        let etag = head.e_tag().map(etag_version).unwrap_or_default();
        if etag.is_empty() {
            return Err(ServiceError::Internal("the object has no ETag".into()));
        }
        Ok(etag.to_string())
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

    #[tokio::test]
    async fn sources_are_s3_keys_in_the_stack_bucket() {
        // Refused before any S3 call: the client has nowhere to go.
        let client = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::Config::builder()
                .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
                .region(aws_sdk_s3::config::Region::new("us-east-1"))
                .build(),
        );
        let s = S3Sources {
            client,
            bucket: Some("docs".into()),
            prefix: Some("in/".into()),
        };
        for bad in [
            "s3://other/a.txt",
            "s3://docs/",
            "s3://docs",
            "file:///etc/passwd",
            "s3://docs/out/a.txt",
            "s3://docs/ina.txt",
        ] {
            let e = s.document(&req(bad)).await.unwrap_err();
            assert!(matches!(e, ServiceError::InvalidInput(_)), "{bad}: {e}");
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
