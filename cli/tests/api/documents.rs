//! `POST /v1/documents` and `GET /v1/documents/{id}` through the local state machine.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::server::{Server, fixtures, json};

#[tokio::test]
async fn a_file_document_runs_to_success_with_a_summary() {
    let s = Server::start(&[]).await;
    let token = s.token(&["pii/anonymize"]);
    let path = std::fs::canonicalize(fixtures().join("documents/email.eml")).unwrap();
    let body = json!({ "source": format!("file://{}", path.display()) });
    let started = json(
        s.post("/v1/documents", &token, &body).send().await.unwrap(),
        StatusCode::ACCEPTED,
    )
    .await;
    let id = started["id"].as_str().unwrap().to_string();

    let mut status = Value::Null;
    // Bounded polling: the loop ends in failure, not in a hang, if the run never finishes.
    for _ in 0..600 {
        status = json(
            s.get(&format!("/v1/documents/{id}"), &token)
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await;
        if status["status"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status["status"], "succeeded", "{status}");
    assert!(
        status["summary"]["entity_count"].as_u64().unwrap() > 0,
        "{status}"
    );
    let result = status["result"].as_str().unwrap();
    let text = std::fs::read_to_string(result.strip_prefix("file://").unwrap()).unwrap();
    assert!(!text.contains("priya.sharma@example.in"), "{text}");
    assert!(text.contains("Subject: Updated bank and ID details"));
}

#[tokio::test]
async fn s3_sources_relative_paths_and_unknown_ids_are_refused() {
    let s = Server::start(&[]).await;
    let token = s.token(&["pii/anonymize"]);
    for source in [
        "s3://bucket/key.txt",
        "file://relative/path.txt",
        "file:///no/such/file.txt",
    ] {
        let r = s
            .post("/v1/documents", &token, &json!({ "source": source }))
            .send()
            .await
            .unwrap();
        let body = json(r, StatusCode::BAD_REQUEST).await;
        assert_eq!(body["error"]["code"], "invalid_input", "{source}");
    }
    let r = s
        .post("/v1/documents", &token, &json!({ "source": "s3://b/k" }))
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("AWS deployment"));
    let r = s
        .get(
            "/v1/documents/arn:aws:states:local:execution:documents:nope",
            &token,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
