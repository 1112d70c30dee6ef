//! `POST /v1/jobs` and `GET /v1/jobs/{id}`: a bulk job over every object under a prefix
//! or every key of a manifest.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::DocumentState;

/// What a job anonymizes: every object under a prefix (`"s3://bucket/prefix/"`, locally
/// `"file:///abs/dir/"`), or every `{"Key"}` of a manifest's JSON array
/// (`{"manifest": "s3://bucket/keys.json"}`; locally keys are relative to the manifest's
/// directory).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum JobSource {
    Prefix(String),
    Manifest { manifest: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobRequest {
    pub source: JobSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

/// Answer of `POST /v1/jobs` (HTTP 202): poll `GET /v1/jobs/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JobStarted {
    pub id: String,
    pub status: DocumentState,
}

/// How many documents of a job are where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct JobCounts {
    pub total: u64,
    pub pending: u64,
    pub running: u64,
    pub succeeded: u64,
    pub failed: u64,
}

/// Where a job stands. `counts` while and after it runs (locally: while the server that
/// started it runs); `results` once it ended: the ResultWriter manifest listing every
/// document's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JobStatus {
    pub id: String,
    pub status: DocumentState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<JobCounts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<String>,
    /// The error name when the job failed (for example
    /// `States.ExceedToleratedFailureThreshold`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_source_is_a_prefix_or_a_manifest_and_nothing_else() {
        let parse = |v| serde_json::from_value::<JobRequest>(v);
        assert_eq!(
            parse(json!({"source": "s3://b/in/"})).unwrap().source,
            JobSource::Prefix("s3://b/in/".into())
        );
        assert_eq!(
            parse(json!({"source": {"manifest": "s3://b/m.json"}}))
                .unwrap()
                .source,
            JobSource::Manifest {
                manifest: "s3://b/m.json".into()
            }
        );
        for bad in [
            json!({"source": 3}),
            json!({"source": {"list": "x"}}),
            json!({}),
            json!({"source": "s3://b/", "extra": 1}),
        ] {
            assert!(parse(bad.clone()).is_err(), "{bad}");
        }
    }
}
