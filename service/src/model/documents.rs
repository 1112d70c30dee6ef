//! Bodies of `POST /v1/documents` and `GET /v1/documents/{id}`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::ServiceError;

/// Start anonymizing a document that lives in object storage. Large documents travel as
/// references (`s3://bucket/key`, locally `file://...`), never inline.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentRequest {
    /// Where the document is: `s3://bucket/key` or `file:///path`.
    pub source: String,
    /// Where to write the result; the engine picks a location when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

impl DocumentRequest {
    pub fn validate(&self) -> Result<(), ServiceError> {
        let ok_scheme = ["s3://", "file://"]
            .iter()
            .any(|s| self.source.starts_with(s) && self.source.len() > s.len());
        if !ok_scheme {
            return Err(ServiceError::InvalidInput(
                "`source` must be an s3:// or file:// reference".into(),
            ));
        }
        Ok(())
    }
}

/// Answer of `POST /v1/documents`: HTTP 202 for a run started now, HTTP 200 with
/// `existing: true` for the run this document version already has (started by an earlier
/// POST or by the upload rule). Poll `GET /v1/documents/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DocumentStarted {
    pub id: String,
    pub status: DocumentState,
    /// The run existed already; it was not started again.
    #[serde(default)]
    pub existing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentState {
    Running,
    Succeeded,
    Failed,
}

/// Where a document run stands; `result` and `summary` once it succeeded, `error` if it failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DocumentStatus {
    pub id: String,
    pub status: DocumentState,
    /// Location of the anonymized document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// A presigned `GET` of the result, once the run succeeded (a fresh one on each status
    /// call).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_url: Option<String>,
    /// When `result_url` stops working (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_url_expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub summary: Option<Value>,
    /// Why the run failed (error name and cause, never document content).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_must_be_a_reference() {
        let req = |s: &str| DocumentRequest {
            source: s.into(),
            ..Default::default()
        };
        assert!(req("s3://bucket/key.txt").validate().is_ok());
        assert!(req("file:///tmp/a.txt").validate().is_ok());
        assert!(req("s3://").validate().is_err());
        assert!(req("/etc/passwd").validate().is_err());
        assert!(req("http://example.invalid/x").validate().is_err());
    }
}
