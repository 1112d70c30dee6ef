//! The real detect binary in `comprehend` and `hybrid` mode against a small stub of
//! Comprehend's JSON protocol (moto's Comprehend answers one canned result for any text).
//! The stub finds e-mail addresses and reports them, as Comprehend does, in character
//! offsets; text with multi-byte characters before them checks the conversion.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::post;
use serde_json::{Value, json};

use crate::stack::{DETECT, Stack};

const TEXT: &str = "Grüße 🙂 von José: schreib an jose.garcia@example.es oder ruf 415-555-0132 an";
const EMAIL: &str = "jose.garcia@example.es";

/// Emails in `text` as DetectPiiEntities reports entities (character offsets).
fn stub_entities(text: &str) -> Value {
    let mut entities = Vec::new();
    let mut chars_before = 0;
    for word in text.split(' ') {
        let n = word.chars().count();
        if word.contains('@') {
            entities.push(json!({
                "Type": "EMAIL", "Score": 0.99,
                "BeginOffset": chars_before, "EndOffset": chars_before + n,
            }));
        }
        chars_before += n + 1;
    }
    json!({ "Entities": entities })
}

async fn start_stub(calls: Arc<AtomicUsize>) -> String {
    let app = Router::new().route(
        "/",
        post(move |headers: HeaderMap, body: String| {
            let calls = calls.clone();
            async move {
                let target = headers
                    .get("x-amz-target")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                assert!(target.ends_with("DetectPiiEntities"), "{target}");
                calls.fetch_add(1, Ordering::SeqCst);
                let request: Value = serde_json::from_str(&body).unwrap();
                let text = request["Text"].as_str().unwrap_or("");
                (
                    [("content-type", "application/x-amz-json-1.1")],
                    stub_entities(text).to_string(),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// The entity texts of a detect answer, cut out by character offsets.
fn found(out: &Value) -> Vec<String> {
    let chars: Vec<char> = TEXT.chars().collect();
    out["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let (b, e) = (
                e["begin"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            chars[b..e].iter().collect()
        })
        .collect()
}

pub async fn detect_uses_comprehend_when_configured(stack: &mut Stack) {
    let calls = Arc::new(AtomicUsize::new(0));
    let url = start_stub(calls.clone()).await;
    let event = json!({"document": {"text": TEXT}});

    stack
        .restart(
            DETECT,
            &[
                ("DETECTOR_MODE", "comprehend"),
                ("AWS_ENDPOINT_URL_COMPREHEND", &url),
            ],
        )
        .await;
    let out = stack
        .invoke_after_restart(DETECT, &event)
        .await
        .expect("detect");
    assert_eq!(out["detector"], "comprehend", "{out}");
    assert_eq!(out["degraded"], false, "{out}");
    assert_eq!(found(&out), vec![EMAIL.to_string()], "{out}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    stack
        .restart(
            DETECT,
            &[
                ("DETECTOR_MODE", "hybrid"),
                ("AWS_ENDPOINT_URL_COMPREHEND", &url),
            ],
        )
        .await;
    let out = stack
        .invoke_after_restart(DETECT, &event)
        .await
        .expect("detect");
    assert_eq!(out["detector"], "hybrid", "{out}");
    let mut texts = found(&out);
    texts.sort();
    // The pattern half brings the phone, and its names stage the name Comprehend missed.
    assert_eq!(
        texts,
        vec![
            "415-555-0132".to_string(),
            "José".to_string(),
            EMAIL.to_string()
        ],
        "{out}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    stack.restart(DETECT, &[]).await;
}
