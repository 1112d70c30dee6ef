//! Bodies of `POST /v1/documents/uploads`, and the presigned requests of uploads and
//! results.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use crate::ServiceError;

/// How long a presigned upload or download stays valid.
pub const PRESIGNED_TTL: Duration = Duration::from_secs(15 * 60);

/// The longest file name an upload may have.
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// What an upload's file name may be: words of letters, digits, `_` and `-` joined by
/// single dots. No `/`, no `..`, no leading dot, nothing a URL, an S3 event or a file system
/// spells differently.
pub const FILE_NAME_PATTERN: &str = r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$";

/// Ask for a presigned upload of one document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadRequest {
    /// The document's file name, the last part of its key (`report.txt`).
    pub file_name: String,
}

impl UploadRequest {
    pub fn validate(&self) -> Result<(), ServiceError> {
        let name = &self.file_name;
        let word_ok = |w: &str| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        };
        if name.len() > MAX_FILE_NAME_CHARS || !name.split('.').all(word_ok) {
            return Err(ServiceError::InvalidInput(format!(
                "`file_name` must be 1 to {MAX_FILE_NAME_CHARS} letters, digits, `_` or `-` \
                 in words joined by single dots (no `/`, no `..`)"
            )));
        }
        Ok(())
    }
}

/// A request signed in advance: send `method` to `url` with `headers` before `expires_at`.
/// The URL is the credential; whoever holds it may make that one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PresignedRequest {
    pub url: String,
    /// `PUT` for an upload, `GET` for a download.
    pub method: String,
    /// Headers the request must carry as signed (often none).
    pub headers: BTreeMap<String, String>,
    /// RFC 3339, UTC.
    pub expires_at: String,
}

impl PresignedRequest {
    pub fn new(
        url: String,
        method: &str,
        headers: BTreeMap<String, String>,
        expires: SystemTime,
    ) -> Self {
        let expires_at = OffsetDateTime::from(expires)
            .replace_nanosecond(0)
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok())
            .unwrap_or_default();
        Self {
            url,
            method: method.to_string(),
            headers,
            expires_at,
        }
    }
}

/// Answer of `POST /v1/documents/uploads` (HTTP 201): `PUT` the document's bytes to `url`
/// before `expires_at`, then `POST /v1/documents {"source": source}` (on AWS the upload
/// rule starts the run by itself, and the POST finds it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UploadTicket {
    /// The object's key: `<incoming prefix><uuid>/<file_name>`.
    pub key: String,
    /// The reference to give `POST /v1/documents` once uploaded.
    pub source: String,
    pub url: String,
    pub method: String,
    pub headers: BTreeMap<String, String>,
    pub expires_at: String,
}

impl UploadTicket {
    pub fn new(key: String, source: String, request: PresignedRequest) -> Self {
        Self {
            key,
            source,
            url: request.url,
            method: request.method,
            headers: request.headers,
            expires_at: request.expires_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_single_path_segments_without_dot_dot() {
        let ok = |n: &str| {
            UploadRequest {
                file_name: n.into(),
            }
            .validate()
            .is_ok()
        };
        for good in ["a", "report.txt", "2026_Q1-notes.tar.gz", &"x".repeat(200)] {
            assert!(ok(good), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../x",
            "a/b",
            "a\\b",
            "a..b",
            ".hidden",
            "trailing.",
            "space name.txt",
            "nul\0.txt",
            "é.txt",
            &"x".repeat(201),
        ] {
            assert!(!ok(bad), "{bad:?}");
        }
    }

    #[test]
    fn expiry_is_rfc3339_utc_in_whole_seconds() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_500);
        let r = PresignedRequest::new("u".into(), "GET", BTreeMap::new(), at);
        assert_eq!(r.expires_at, "2023-11-14T22:13:20Z");
    }
}
