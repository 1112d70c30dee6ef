//! `POST /v1/jobs` and `GET /v1/jobs/{id}` through the local Distributed Map.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::server::{Server, json};

#[tokio::test]
async fn a_job_over_a_directory_reports_counts_and_its_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start(&["--documents-root", dir.path().to_str().unwrap()]).await;
    let token = s.token(&["pii/anonymize"]);
    for i in 0..5 {
        std::fs::write(
            dir.path().join(format!("{i}.txt")),
            format!("write to user{i}@example.com"),
        )
        .unwrap();
    }
    let source = format!(
        "file://{}/",
        std::fs::canonicalize(dir.path()).unwrap().display()
    );
    let started = json(
        s.post("/v1/jobs", &token, &json!({ "source": source }))
            .send()
            .await
            .unwrap(),
        StatusCode::ACCEPTED,
    )
    .await;
    let id = started["id"].as_str().unwrap().to_string();
    let mut status = Value::Null;
    for _ in 0..600 {
        status = json(
            s.get(&format!("/v1/jobs/{id}"), &token)
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
    assert_eq!(
        status["counts"],
        json!({"total": 5, "pending": 0, "running": 0, "succeeded": 5, "failed": 0})
    );
    let results = status["results"].as_str().unwrap();
    assert!(results.ends_with("/manifest.json"), "{results}");
    assert!(std::path::Path::new(results.strip_prefix("file://").unwrap()).is_file());

    // A document run's id is not a job.
    let doc_id = id.replace(":execution:jobs:", ":execution:documents:");
    let r = s
        .get(&format!("/v1/jobs/{doc_id}"), &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn job_sources_outside_the_local_files_are_refused() {
    let s = Server::start(&[]).await;
    let token = s.token(&["pii/anonymize"]);
    for source in [
        json!("s3://bucket/prefix/"),
        json!("file://relative/dir/"),
        json!("file:///no/such/dir/"),
        json!({"manifest": "file:///no/such/keys.json"}),
        // Directories and manifests outside the documents roots, however spelled.
        json!("file:///etc/"),
        json!(format!("file://{}/", s.home.path().display())),
        json!(format!("file://{}/documents/../", s.home.path().display())),
        json!({"manifest": format!("file://{}/keyring.json", s.home.path().display())}),
    ] {
        let r = s
            .post("/v1/jobs", &token, &json!({ "source": source }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{source}");
    }
    let r = s
        .post(
            "/v1/jobs",
            &token,
            &json!({"source": "file:///tmp/", "policy": "no-such-policy"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}
