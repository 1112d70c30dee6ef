use std::sync::Arc;

use axum::body::Body;
use lambda_api::{InvokeReidentify, S3Sources};
use lambda_common::Engines;
use serde_json::Value;
use service::Service;
use statemachine::aws::SfnOrchestrator;
use tower::ServiceExt;

use crate::support::{event_text, vault};

/// An API Gateway v2 event with JWT authorizer claims granting `pii/anonymize` only.
fn request(path: &str, body: &str, scopes: &[&str]) -> lambda_http::Request {
    let body = serde_json::to_string(body).unwrap();
    let text = event_text("apigw-anonymize.json")
        .replace("{PATH}", path)
        .replace("\"{BODY}\"", &body);
    let mut v: Value = serde_json::from_str(&text).unwrap();
    let jwt = &mut v["requestContext"]["authorizer"]["jwt"];
    jwt["scopes"] = scopes.iter().map(|s| Value::from(*s)).collect();
    jwt["claims"]["scope"] = Value::from(scopes.join(" "));
    lambda_http::request::from_str(&v.to_string()).unwrap()
}

/// The API Lambda's backend with AWS clients aimed at a closed port: these tests stop at
/// authorization and input checks, which must not need AWS.
fn backend() -> Service {
    let sdk = aws_config::SdkConfig::builder()
        .endpoint_url("http://127.0.0.1:1")
        .region(aws_config::Region::new("us-east-1"))
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build();
    let engines = Engines::new(vault(), "default");
    let orchestrator = SfnOrchestrator::new(aws_sdk_sfn::Client::new(&sdk)).with_machine(
        statemachine::DOCUMENTS,
        "arn:aws:states:us-east-1:1:stateMachine:d",
    );
    Service::new(
        engines.cache(),
        Arc::new(orchestrator),
        Arc::new(S3Sources {
            bucket: Some("docs".into()),
            prefix: Some("incoming/".into()),
        }),
        Arc::new(InvokeReidentify {
            client: aws_sdk_lambda::Client::new(&sdk),
            function: "piiflow-reidentify".into(),
        }),
    )
}

async fn call(req: lambda_http::Request) -> (u16, Value) {
    let app = lambda_api::app(Arc::new(backend())).unwrap();
    let resp = app.oneshot(req.map(Body::new)).await.unwrap();
    let status = resp.status().as_u16();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn anonymize_scope_may_anonymize() {
    let (status, body) = call(request(
        "/v1/anonymize",
        r#"{"text":"mail jane.doe@example.com"}"#,
        &["pii/anonymize"],
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    let text = body["text"].as_str().unwrap();
    assert!(text.starts_with("mail EMAIL_"), "{text}");
}

#[tokio::test]
async fn anonymize_scope_may_not_reidentify() {
    let (status, body) = call(request(
        "/v1/reidentify",
        r#"{"tokens":["EMAIL_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],"reason":"x"}"#,
        &["pii/anonymize"],
    ))
    .await;
    assert_eq!(status, 403, "{body}");
}

#[tokio::test]
async fn no_authorizer_claims_is_401() {
    let mut v: Value = serde_json::from_str(
        &event_text("apigw-anonymize.json")
            .replace("{PATH}", "/v1/anonymize")
            .replace("\"{BODY}\"", "\"{}\""),
    )
    .unwrap();
    v["requestContext"]
        .as_object_mut()
        .unwrap()
        .remove("authorizer");
    let (status, _) = call(lambda_http::request::from_str(&v.to_string()).unwrap()).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn documents_outside_the_stack_bucket_are_refused_before_any_run() {
    for source in ["s3://elsewhere/k.txt", "file:///etc/passwd"] {
        let (status, body) = call(request(
            "/v1/documents",
            &format!(r#"{{"source":"{source}"}}"#),
            &["pii/anonymize"],
        ))
        .await;
        assert_eq!(status, 400, "{source}: {body}");
    }
}
