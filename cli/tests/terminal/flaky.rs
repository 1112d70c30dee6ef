//! Retries against a stand-in API that fails on purpose (fault injection: the real server
//! does not answer 429 or 503 on demand).

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::cli::{code, piiflow, run, stderr, stdout};

struct Flaky {
    base: String,
    audit_hits: Arc<AtomicU32>,
    batch_hits: Arc<AtomicU32>,
}

/// `GET /v1/audit` fails twice with 503, then answers; `POST /v1/anonymize/batch` is always
/// throttled (429, Retry-After: 0).
fn start() -> Flaky {
    let audit_hits = Arc::new(AtomicU32::new(0));
    let batch_hits = Arc::new(AtomicU32::new(0));
    let (a, b) = (audit_hits.clone(), batch_hits.clone());
    let app = Router::new()
        .route(
            "/v1/audit",
            get(move || async move {
                if a.fetch_add(1, Ordering::SeqCst) < 2 {
                    let body = json!({"error": {"code": "unavailable", "message": "busy"}});
                    return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response();
                }
                axum::Json(json!({"items": [{"id": "audit-1", "tokens": []}]})).into_response()
            }),
        )
        .route(
            "/v1/anonymize/batch",
            post(move || async move {
                b.fetch_add(1, Ordering::SeqCst);
                let mut res: Response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    axum::Json(json!({"message": "Too Many Requests"})),
                )
                    .into_response();
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("0"));
                res
            }),
        );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app).await
            })
    });
    Flaky {
        base,
        audit_hits,
        batch_hits,
    }
}

#[test]
fn server_errors_are_retried_until_an_answer() {
    let api = start();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = piiflow(home.path());
    cmd.args(["--api", &api.base, "audit"])
        .env("PIIFLOW_TOKEN", "t");
    let out = run(&mut cmd);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("audit-1"));
    assert_eq!(api.audit_hits.load(Ordering::SeqCst), 3);
}

#[test]
fn throttling_that_does_not_end_exits_75_after_the_attempts() {
    let api = start();
    let home = tempfile::tempdir().unwrap();
    let input = home.path().join("in.txt");
    std::fs::write(&input, "mail jane.doe@example.com\n").unwrap();
    let mut cmd = piiflow(home.path());
    cmd.args(["--api", &api.base, "anonymize", input.to_str().unwrap()])
        .env("PIIFLOW_TOKEN", "t");
    let out = run(&mut cmd);
    assert_eq!(code(&out), 75, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("still busy after 4 attempts"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
    assert_eq!(api.batch_hits.load(Ordering::SeqCst), 4);
}
