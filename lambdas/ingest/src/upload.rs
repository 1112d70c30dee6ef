//! The S3 `Object Created` event EventBridge puts on the ingest queue, and the run it asks
//! for: the same input the documents state machine always gets, and an execution name from
//! bucket, key and ETag, so a redelivered message or a repeated event finds the first run.

use serde_json::{Value, json};
use service::{etag_version, run_name};

use crate::IngestError;

/// One uploaded object, as the event names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub bucket: String,
    pub key: String,
    pub etag: String,
}

/// Which uploads this stack runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRules {
    /// `DOCUMENT_BUCKET`: the only bucket (unset: any).
    pub bucket: Option<String>,
    /// `DOCUMENT_PREFIX`: keys must start with it.
    pub prefix: String,
    /// `POLICY`: the policy every upload runs with.
    pub policy: String,
}

impl Upload {
    /// The upload in an EventBridge event (the message body). S3 names the ETag `etag`;
    /// `eTag` is accepted too.
    pub fn from_event(body: &str) -> Result<Self, IngestError> {
        let event: Value =
            serde_json::from_str(body).map_err(|_| IngestError::NotAnUpload("not JSON"))?;
        if event["source"] != "aws.s3" || event["detail-type"] != "Object Created" {
            return Err(IngestError::NotAnUpload("not an S3 Object Created event"));
        }
        let text = |pointer: &str| {
            event
                .pointer(pointer)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Ok(Upload {
            bucket: text("/detail/bucket/name")
                .ok_or(IngestError::NotAnUpload("no bucket name"))?,
            key: text("/detail/object/key").ok_or(IngestError::NotAnUpload("no object key"))?,
            etag: text("/detail/object/etag")
                .or_else(|| text("/detail/object/eTag"))
                .ok_or(IngestError::NotAnUpload("no object ETag"))?,
        })
    }

    /// The execution name and input of this upload's run, once it is checked against `rules`.
    pub fn run(&self, rules: &UploadRules) -> Result<(String, Value), IngestError> {
        if rules.bucket.as_deref().is_some_and(|b| b != self.bucket) {
            return Err(IngestError::NotAnUpload("another bucket"));
        }
        if !self.key.starts_with(&rules.prefix) {
            return Err(IngestError::NotAnUpload("a key outside DOCUMENT_PREFIX"));
        }
        let document = json!({ "ref": format!("s3://{}/{}", self.bucket, self.key) });
        let name = run_name(&document, etag_version(&self.etag), &rules.policy);
        Ok((
            name,
            json!({ "document": document, "policy": rules.policy }),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(bucket: &str, key: &str, etag: &str) -> String {
        json!({
            "source": "aws.s3", "detail-type": "Object Created",
            "detail": {"bucket": {"name": bucket}, "object": {"key": key, "etag": etag, "size": 3}}
        })
        .to_string()
    }

    fn rules() -> UploadRules {
        UploadRules {
            bucket: Some("docs".into()),
            prefix: "incoming/".into(),
            policy: "default".into(),
        }
    }

    #[test]
    fn an_upload_runs_its_object_with_a_name_from_bucket_key_and_etag() {
        let up = Upload::from_event(&event("docs", "incoming/a.txt", "e1")).unwrap();
        let (name, input) = up.run(&rules()).unwrap();
        assert_eq!(
            input,
            json!({"document": {"ref": "s3://docs/incoming/a.txt"}, "policy": "default"})
        );
        statemachine::validate_execution_name(&name).unwrap();
        assert_eq!(name, up.run(&rules()).unwrap().0, "stable");
        let changed = |b: &str, k: &str, e: &str| {
            let mut r = rules();
            r.bucket = Some(b.into());
            Upload::from_event(&event(b, k, e))
                .unwrap()
                .run(&r)
                .unwrap()
                .0
        };
        assert_ne!(name, changed("docs", "incoming/a.txt", "e2"), "new content");
        assert_ne!(name, changed("docs", "incoming/b.txt", "e1"), "other key");
        assert_ne!(
            name,
            changed("other", "incoming/a.txt", "e1"),
            "other bucket"
        );
    }

    #[test]
    fn etag_may_be_spelled_etag_or_etag_with_a_capital_t() {
        let body = json!({"source": "aws.s3", "detail-type": "Object Created",
            "detail": {"bucket": {"name": "docs"}, "object": {"key": "incoming/a", "eTag": "x"}}});
        assert_eq!(Upload::from_event(&body.to_string()).unwrap().etag, "x");
    }

    #[test]
    fn what_is_not_an_upload_of_the_stack_is_refused_without_quoting_it() {
        let secret = "incoming/jane.doe@example.com.txt";
        let cases = [
            ("not JSON", "{".to_string()),
            ("not an S3", json!({"source": "aws.states"}).to_string()),
            (
                "not an S3",
                event("docs", secret, "e").replace("Object Created", "Object Deleted"),
            ),
            ("no object key", event("docs", "", "e")),
            ("no object ETag", event("docs", secret, "")),
            ("another bucket", event("elsewhere", secret, "e")),
            (
                "outside DOCUMENT_PREFIX",
                event("docs", "other/jane.doe@example.com", "e"),
            ),
        ];
        for (why, body) in cases {
            let e = Upload::from_event(&body)
                .and_then(|u| u.run(&rules()))
                .unwrap_err();
            let msg = e.to_string();
            assert!(msg.contains(why), "{why}: {msg}");
            assert!(!msg.contains("jane.doe"), "{msg}");
        }
    }
}
