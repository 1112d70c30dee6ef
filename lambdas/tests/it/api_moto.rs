//! The API function's document routes against moto's S3 and Step Functions (skipped without
//! `scripts/with-moto`): the run of an object is named by bucket, key and ETag, so a POST
//! finds the run the upload rule's ingest starter started, and a repeated POST finds its own.

use std::sync::Arc;

use api::{DocumentRequest, PiiBackend};
use lambda_common::config::ApiConfig;
use lambda_ingest::{Starter, UploadRules};
use serde_json::json;
use statemachine::DOCUMENTS;
use statemachine::aws::SfnOrchestrator;

use crate::support::vault;

/// The documents machine as far as the API sees it: a run that succeeds with a result
/// under `results/` (`RESULT_KEY`), which moto runs.
fn machine(bucket: &str) -> String {
    serde_json::json!({"StartAt": "Done", "States": {"Done": {
        "Type": "Pass", "End": true,
        "Result": {"output": {"ref": format!("s3://{bucket}/{RESULT_KEY}")},
                   "summary": {"entity_count": 1}},
    }}})
    .to_string()
}

const RESULT_KEY: &str = "results/0123/doc.txt.anonymized";

pub struct MotoStack {
    pub sdk: aws_config::SdkConfig,
    pub bucket: String,
    pub machine: String,
}

impl MotoStack {
    pub async fn start() -> Option<Self> {
        let Ok(url) = std::env::var("PIIFLOW_MOTO_URL") else {
            println!("skipped: PIIFLOW_MOTO_URL not set (scripts/with-moto)");
            return None;
        };
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(&url)
            .region("us-east-1")
            .credentials_provider(aws_sdk_s3::config::Credentials::new(
                "testing", "testing", None, None, "it",
            ))
            .load()
            .await;
        // moto records executions unless told to run them (a server-wide setting).
        let config = json!({"stepfunctions": {"execute_state_machine": true}});
        let answer = reqwest::Client::new()
            .post(format!("{url}/moto-api/config"))
            .json(&config)
            .send()
            .await
            .expect("moto config");
        assert!(answer.status().is_success(), "{answer:?}");
        let id = uuid::Uuid::new_v4().simple().to_string();
        let bucket = format!("piiflow-it-{}", &id[..12]);
        aws_sdk_s3::Client::new(&sdk)
            .create_bucket()
            .bucket(&bucket)
            .send()
            .await
            .expect("CreateBucket");
        let machine = aws_sdk_sfn::Client::new(&sdk)
            .create_state_machine()
            .name(format!("piiflow-it-documents-{}", &id[..12]))
            .definition(machine(&bucket))
            .role_arn("arn:aws:iam::123456789012:role/piiflow-states")
            .send()
            .await
            .expect("CreateStateMachine")
            .state_machine_arn;
        Some(Self {
            sdk,
            bucket,
            machine,
        })
    }

    /// The API function's backend, configured as infra/template.yaml configures it.
    pub fn backend(&self) -> Arc<dyn PiiBackend> {
        let vars = [
            ("DOCUMENTS_STATE_MACHINE_ARN", self.machine.clone()),
            ("REIDENTIFY_FUNCTION", "piiflow-reidentify".to_string()),
            ("DOCUMENT_BUCKET", self.bucket.clone()),
            ("DOCUMENT_PREFIX", "incoming/".to_string()),
            ("PIIFLOW_HOME", "/nonexistent".to_string()),
        ];
        let env = move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        };
        let config = ApiConfig::from_lookup(&env).expect("API configuration");
        lambda_api::api_backend(config, vault(), lambda_api::clients(&self.sdk))
    }

    pub fn s3(&self) -> aws_sdk_s3::Client {
        aws_sdk_s3::Client::new(&self.sdk)
    }

    pub async fn put(&self, key: &str, text: &str) -> String {
        self.s3()
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(text.as_bytes().to_vec().into())
            .send()
            .await
            .expect("PutObject");
        format!("s3://{}/{key}", self.bucket)
    }

    /// The executions of the documents machine.
    pub async fn executions(&self) -> Vec<String> {
        aws_sdk_sfn::Client::new(&self.sdk)
            .list_executions()
            .state_machine_arn(&self.machine)
            .send()
            .await
            .expect("ListExecutions")
            .executions()
            .iter()
            .map(|e| e.execution_arn.clone())
            .collect()
    }
}

fn request(source: &str) -> DocumentRequest {
    DocumentRequest {
        source: source.into(),
        destination: None,
        policy: None,
    }
}

#[tokio::test]
async fn a_document_posted_twice_or_after_its_upload_started_it_is_one_run() {
    let Some(stack) = MotoStack::start().await else {
        return;
    };
    let backend = stack.backend();

    // Posted twice: one execution, the second answer says it existed.
    let source = stack
        .put("incoming/a/twice.txt", "mail a@example.com")
        .await;
    let first = backend.start_document(request(&source)).await.unwrap();
    assert!(!first.existing, "{first:?}");
    let again = backend.start_document(request(&source)).await.unwrap();
    assert!(again.existing, "{again:?}");
    assert_eq!(again.id, first.id);
    assert_eq!(stack.executions().await, vec![first.id.clone()]);

    // Started by the upload rule (the ingest starter, with S3's event), then posted.
    let key = "incoming/b/uploaded.txt";
    let source = stack.put(key, "mail b@example.com").await;
    let head = stack
        .s3()
        .head_object()
        .bucket(&stack.bucket)
        .key(key)
        .send()
        .await
        .unwrap();
    // S3's event names the ETag without the quotes HeadObject puts around it.
    let etag = head.e_tag().unwrap().trim_matches('"').to_string();
    let event = json!({
        "source": "aws.s3", "detail-type": "Object Created",
        "detail": {"bucket": {"name": stack.bucket}, "object": {"key": key, "etag": etag}}
    });
    let starter = Starter {
        orchestrator: Arc::new(
            SfnOrchestrator::new(aws_sdk_sfn::Client::new(&stack.sdk))
                .with_machine(DOCUMENTS, stack.machine.clone()),
        ),
        rules: UploadRules {
            bucket: Some(stack.bucket.clone()),
            prefix: "incoming/".into(),
            policy: "default".into(),
        },
    };
    let ingested = starter.start(&event.to_string()).await.unwrap();
    let posted = backend.start_document(request(&source)).await.unwrap();
    assert!(posted.existing, "{posted:?}");
    assert_eq!(posted.id, ingested);
    assert_eq!(stack.executions().await.len(), 2);

    // New content under the same key is a new version: a new run.
    stack.put(key, "mail c@example.com").await;
    let changed = backend.start_document(request(&source)).await.unwrap();
    assert!(!changed.existing);
    assert_ne!(changed.id, ingested);
}

#[tokio::test]
async fn a_missing_object_is_the_callers_error_and_starts_nothing() {
    let Some(stack) = MotoStack::start().await else {
        return;
    };
    let backend = stack.backend();
    let e = backend
        .start_document(request(&format!("s3://{}/incoming/none.txt", stack.bucket)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), api::ApiErrorKind::InvalidInput, "{e}");
    assert!(stack.executions().await.is_empty());
}

#[tokio::test]
async fn a_presigned_upload_puts_the_object_under_the_incoming_prefix() {
    let Some(stack) = MotoStack::start().await else {
        return;
    };
    let backend = stack.backend();
    let ticket = backend
        .upload_document(api::UploadRequest {
            file_name: "ticket.txt".into(),
        })
        .await
        .unwrap();
    assert!(
        ticket.key.starts_with("incoming/") && ticket.key.ends_with("/ticket.txt"),
        "{ticket:?}"
    );
    assert_eq!(
        ticket.source,
        format!("s3://{}/{}", stack.bucket, ticket.key)
    );
    assert_eq!(ticket.method, "PUT");
    assert!(ticket.url.contains("X-Amz-Signature="), "{}", ticket.url);
    let mut put = reqwest::Client::new()
        .put(&ticket.url)
        .body("mail d@example.com");
    for (k, v) in &ticket.headers {
        put = put.header(k, v);
    }
    let answer = put.send().await.unwrap();
    assert!(answer.status().is_success(), "{answer:?}");
    let object = stack
        .s3()
        .get_object()
        .bucket(&stack.bucket)
        .key(&ticket.key)
        .send()
        .await
        .expect("the uploaded object");
    let bytes = object.body.collect().await.unwrap().into_bytes();
    assert_eq!(&bytes[..], b"mail d@example.com");
    // The uploaded object is a document source like any other.
    let started = backend
        .start_document(request(&ticket.source))
        .await
        .unwrap();
    assert!(!started.existing);
    // Names that are not one plain path segment are refused before anything is signed.
    for bad in ["../x.txt", "a/b.txt", "..", ""] {
        let e = backend
            .upload_document(api::UploadRequest {
                file_name: bad.into(),
            })
            .await
            .unwrap_err();
        assert_eq!(e.kind(), api::ApiErrorKind::InvalidInput, "{bad:?}");
    }
}

#[tokio::test]
async fn a_succeeded_runs_status_has_a_presigned_get_of_its_result() {
    let Some(stack) = MotoStack::start().await else {
        return;
    };
    let backend = stack.backend();
    stack.put(RESULT_KEY, "mail EMAIL_X").await;
    let source = stack.put("incoming/e/doc.txt", "mail e@example.com").await;
    let started = backend.start_document(request(&source)).await.unwrap();
    let mut status = backend.get_document(&started.id).await.unwrap();
    for _ in 0..100 {
        if status.status != api::DocumentState::Running {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        status = backend.get_document(&started.id).await.unwrap();
    }
    assert_eq!(status.status, api::DocumentState::Succeeded, "{status:?}");
    let url = status.result_url.expect("a result URL");
    assert!(status.result_url_expires_at.is_some());
    let answer = reqwest::get(&url).await.unwrap();
    assert!(answer.status().is_success(), "{answer:?}");
    assert_eq!(answer.text().await.unwrap(), "mail EMAIL_X");
    // Unknown ids are not found.
    let e = backend
        .get_document(&format!(
            "{}:nope",
            stack.machine.replace(":stateMachine:", ":execution:")
        ))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), api::ApiErrorKind::NotFound, "{e}");
}
