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
            client: aws_sdk_s3::Client::new(&sdk),
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
    for source in [
        "s3://elsewhere/k.txt",
        "file:///etc/passwd",
        "s3://docs/results/k.txt",
        "s3://docs/incomingk.txt",
    ] {
        let (status, body) = call(request(
            "/v1/documents",
            &format!(r#"{{"source":"{source}"}}"#),
            &["pii/anonymize"],
        ))
        .await;
        assert_eq!(status, 400, "{source}: {body}");
    }
}

/// A backend that remembers the callers of reveals and answers them with nothing.
#[derive(Default)]
struct RecordingBackend {
    callers: std::sync::Mutex<Vec<api::Caller>>,
}

#[async_trait::async_trait]
impl api::PiiBackend for RecordingBackend {
    async fn anonymize(
        &self,
        _: api::AnonymizeRequest,
    ) -> Result<api::AnonymizeResponse, api::ApiError> {
        Err(api::ApiError::Internal("not used".into()))
    }
    async fn start_document(
        &self,
        _: api::DocumentRequest,
    ) -> Result<api::DocumentStarted, api::ApiError> {
        Err(api::ApiError::Internal("not used".into()))
    }
    async fn get_document(&self, _: &str) -> Result<api::DocumentStatus, api::ApiError> {
        Err(api::ApiError::Internal("not used".into()))
    }
    async fn upload_document(
        &self,
        _: api::UploadRequest,
    ) -> Result<api::UploadTicket, api::ApiError> {
        Err(api::ApiError::Internal("not used".into()))
    }
    async fn start_job(&self, _: api::JobRequest) -> Result<api::JobStarted, api::ApiError> {
        Err(api::ApiError::Internal("not used".into()))
    }
    async fn get_job(&self, _: &str) -> Result<api::JobStatus, api::ApiError> {
        Err(api::ApiError::Internal("not used".into()))
    }
    async fn reidentify(
        &self,
        _: api::ReidentifyRequest,
        ctx: &api::Caller,
    ) -> Result<api::ReidentifyResponse, api::ApiError> {
        self.callers.lock().unwrap().push(ctx.clone());
        Ok(api::ReidentifyResponse {
            audit_id: "audit-1".into(),
            ..Default::default()
        })
    }
    async fn erase(&self, _: &str, _: &api::Caller) -> Result<api::EraseResponse, api::ApiError> {
        Err(api::ApiError::Internal("not used".into()))
    }
    async fn audit(
        &self,
        _: api::AuditQuery,
        _: &api::Caller,
    ) -> Result<api::AuditPage, api::ApiError> {
        Err(api::ApiError::Internal("not used".into()))
    }
}

#[tokio::test]
async fn the_audit_context_is_the_gateways_request_id_and_source_ip_not_the_clients() {
    let body = r#"{"tokens":["EMAIL_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],"reason":"case 7"}"#;
    let mut req = request("/v1/reidentify", body, &["pii/reidentify"]);
    // A client-chosen id, and a forwarding header naming another address.
    req.headers_mut()
        .insert("x-request-id", "client-chosen-id".parse().unwrap());
    req.headers_mut()
        .insert("x-forwarded-for", "198.51.100.77".parse().unwrap());
    // A copy of the gateway context smuggled in by the caller is dropped.
    req.extensions_mut().insert(api::GatewayContext {
        request_id: "forged".into(),
        source_ip: Some("192.0.2.1".parse().unwrap()),
    });
    let backend = Arc::new(RecordingBackend::default());
    let app = lambda_api::app(backend.clone()).unwrap();
    let resp = app.oneshot(req.map(Body::new)).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    // The client's id may be echoed back ...
    assert_eq!(resp.headers()["x-request-id"], "client-chosen-id");
    // ... but the audit context holds the gateway's.
    let callers = backend.callers.lock().unwrap();
    assert_eq!(callers.len(), 1);
    assert_eq!(callers[0].request_id, "req-api-1");
    assert_eq!(
        callers[0].source_ip,
        Some("203.0.113.9".parse::<std::net::IpAddr>().unwrap())
    );
    let ctx = api::audit_context(&callers[0], "case 7".into());
    assert_eq!(ctx.request_id, "req-api-1");
    assert_eq!(ctx.source.as_deref(), Some("api 203.0.113.9"));
    assert_eq!(
        ctx.access_token.as_ref().map(|t| t.as_str()),
        Some("ignored-the-gateway-verified-it")
    );
}

/// An event of the private REST API (payload 1.0) behind its Cognito authorizer, whose
/// claims carry the access token's scopes as `scope`.
fn rest_request(path: &str, body: &str, scope: &str) -> lambda_http::Request {
    let text = event_text("apigw-rest-anonymize.json")
        .replace("{PATH}", path)
        .replace("{SCOPE}", scope)
        .replace("\"{BODY}\"", &serde_json::to_string(body).unwrap());
    lambda_http::request::from_str(&text).unwrap()
}

#[tokio::test]
async fn the_private_rest_apis_cognito_claims_authorize_like_the_http_apis() {
    let (status, body) = call(rest_request(
        "/v1/anonymize",
        r#"{"text":"mail jane.doe@example.com"}"#,
        "pii/anonymize",
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["text"].as_str().unwrap().starts_with("mail EMAIL_"),
        "{body}"
    );
    let (status, body) = call(rest_request(
        "/v1/reidentify",
        r#"{"tokens":["EMAIL_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],"reason":"x"}"#,
        "pii/anonymize",
    ))
    .await;
    assert_eq!(status, 403, "the anonymize scope may not reveal: {body}");
    let mut unauthorized: Value = serde_json::from_str(
        &event_text("apigw-rest-anonymize.json")
            .replace("{PATH}", "/v1/anonymize")
            .replace("\"{BODY}\"", "\"{}\""),
    )
    .unwrap();
    unauthorized["requestContext"]
        .as_object_mut()
        .unwrap()
        .remove("authorizer");
    let (status, _) =
        call(lambda_http::request::from_str(&unauthorized.to_string()).unwrap()).await;
    assert_eq!(status, 401, "no authorizer claims");
}

#[tokio::test]
async fn the_private_rest_apis_request_id_and_source_ip_reach_the_audit_context() {
    let body = r#"{"tokens":["EMAIL_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],"reason":"case 8"}"#;
    let req = rest_request("/v1/reidentify", body, "openid pii/reidentify");
    let backend = Arc::new(RecordingBackend::default());
    let app = lambda_api::app(backend.clone()).unwrap();
    let resp = app.oneshot(req.map(Body::new)).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let callers = backend.callers.lock().unwrap();
    assert_eq!(callers.len(), 1);
    assert_eq!(callers[0].request_id, "req-rest-1");
    assert_eq!(
        callers[0].source_ip,
        Some("10.1.2.3".parse::<std::net::IpAddr>().unwrap())
    );
}
