use std::sync::Arc;

use axum::body::Body;
use lambdas::{EngineApiBackend, Engines};
use serde_json::Value;
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

async fn call(req: lambda_http::Request) -> (u16, Value) {
    let app = lambdas::api_lambda::app(Arc::new(EngineApiBackend::new(Arc::new(Engines::new(
        vault(),
        "default",
    )))))
    .unwrap();
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
async fn routes_not_wired_answer_503() {
    let (status, body) = call(request(
        "/v1/documents",
        r#"{"ref":"s3://b/k"}"#,
        &["pii/anonymize"],
    ))
    .await;
    assert!(status == 503 || status == 400, "{status} {body}");
}
