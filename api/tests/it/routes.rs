//! Routes, validation, limits, error shape and request ids.

use api::ApiLimits;
use serde_json::{Value, json};

use crate::support::*;

const ALL: &str = "pii/anonymize pii/reidentify";

async fn post(h: &Harness, path: &str, scope: &str, body: Value) -> reqwest::Response {
    h.client
        .post(h.url(path))
        .bearer_auth(token(scope))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn error_of(res: reqwest::Response) -> Value {
    let body: Value = res.json().await.unwrap();
    body["error"].clone()
}

#[tokio::test]
async fn body_over_the_limit_is_413_json() {
    let h = Harness::start_with(Options {
        limits: ApiLimits {
            max_body_bytes: 64 * 1024,
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let big = "a".repeat(100 * 1024);
    let res = post(&h, "/v1/anonymize", ALL, json!({"text": big})).await;
    assert_eq!(res.status(), 413);
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    let err = error_of(res).await;
    assert_eq!(err["code"], "payload_too_large");
    assert_eq!(err["request_id"], request_id);
    // Just under the limit passes.
    let ok = "a".repeat(60 * 1024);
    assert_eq!(
        post(&h, "/v1/anonymize", ALL, json!({"text": ok}))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn default_limit_is_one_mebibyte() {
    let h = Harness::start().await;
    let big = "a".repeat(1024 * 1024 + 10);
    let res = post(&h, "/v1/anonymize", ALL, json!({"text": big})).await;
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn batch_answers_each_item_on_its_own() {
    let h = Harness::start().await;
    let res = post(
        &h,
        "/v1/anonymize/batch",
        ALL,
        json!({"items": [
            {"text": "mail alice@example.com"},
            {},
            {"text": "boom"},
            {"record": {"email": "alice@example.com"}},
            {"text": "x", "record": {}},
            {"text": "unavailable"}
        ]}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["index"], i);
    }
    let oks: Vec<bool> = items.iter().map(|i| i["ok"].as_bool().unwrap()).collect();
    assert_eq!(oks, vec![true, false, false, true, false, false]);
    assert_eq!(items[0]["result"]["text"], "mail [EMAIL]");
    assert_eq!(items[1]["error"]["code"], "invalid_input");
    assert_eq!(items[2]["error"]["code"], "internal");
    // Internal details never reach the client.
    assert_eq!(items[2]["error"]["message"], "internal error");
    assert!(!body.to_string().contains("/secret/path"));
    assert_eq!(items[3]["result"]["record"]["email"], "alice@example.com");
    assert_eq!(items[4]["error"]["code"], "invalid_input");
    assert_eq!(items[5]["error"]["code"], "unavailable");
}

#[tokio::test]
async fn batch_size_is_bounded() {
    let h = Harness::start_with(Options {
        limits: ApiLimits {
            max_batch_items: 3,
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    // (items, status, error code)
    for (count, status, code) in [
        (4, 400, Some("invalid_input")),
        (0, 400, None),
        (3, 200, None),
    ] {
        let items: Vec<Value> = (0..count)
            .map(|i| json!({"text": format!("t{i}")}))
            .collect();
        let res = post(&h, "/v1/anonymize/batch", ALL, json!({"items": items})).await;
        assert_eq!(res.status(), status, "{count} items");
        if let Some(code) = code {
            assert_eq!(error_of(res).await["code"], code);
        }
    }
}

#[tokio::test]
async fn reidentify_requires_a_reason() {
    let h = Harness::start().await;
    for body in [
        json!({"tokens": ["EMAIL_AAAA"]}),
        json!({"tokens": ["EMAIL_AAAA"], "reason": ""}),
        json!({"tokens": ["EMAIL_AAAA"], "reason": "   "}),
        json!({"tokens": ["EMAIL_AAAA"], "reason": "x".repeat(1001)}),
    ] {
        let res = post(&h, "/v1/reidentify", "pii/reidentify", body.clone()).await;
        assert_eq!(res.status(), 400, "{body}");
        assert_eq!(error_of(res).await["code"], "invalid_input");
    }
    assert!(h.backend.contexts.lock().unwrap().is_empty());
}

#[tokio::test]
async fn reidentify_passes_who_and_why_to_the_backend() {
    let h = Harness::start().await;
    let res = h
        .client
        .post(h.url("/v1/reidentify"))
        .bearer_auth(token("pii/reidentify"))
        .header("x-request-id", "req-audit-1")
        .json(&json!({"tokens": ["EMAIL_AAAA"], "reason": "ticket 42"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["tokens"][0]["value"], "alice@example.com");
    assert_eq!(body["audit_id"], "audit-1");
    let ctx = h.backend.contexts.lock().unwrap()[0].clone();
    assert_eq!(ctx.request_id, "req-audit-1");
    assert_eq!(ctx.principal.sub, CLIENT);
    assert_eq!(ctx.principal.via, api::auth::AuthMethod::Jwt);
    assert_eq!(ctx.source_ip, Some("127.0.0.1".parse().unwrap()));
    let req = h.backend.reidentify_requests.lock().unwrap()[0].clone();
    assert_eq!(req.reason, "ticket 42");
}

#[tokio::test]
async fn request_id_is_echoed_or_generated() {
    let h = Harness::start().await;
    let res = h
        .client
        .post(h.url("/v1/anonymize"))
        .bearer_auth(token(ALL))
        .header("x-request-id", "my-req-123")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers()["x-request-id"], "my-req-123");
    let err = error_of(res).await;
    assert_eq!(err["request_id"], "my-req-123");
    assert_eq!(err["code"], "invalid_input");

    // An unacceptable id is replaced, not echoed.
    let res = h
        .client
        .post(h.url("/v1/anonymize"))
        .bearer_auth(token(ALL))
        .header("x-request-id", "bad id <script>")
        .json(&json!({"text": "x"}))
        .send()
        .await
        .unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");

    // Auth failures carry one too.
    let res = h
        .client
        .get(h.url("/v1/audit"))
        .header("x-request-id", "unauth-1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "unauth-1");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() {
    let h = Harness::start().await;
    let res = h.client.get(h.url("/v2/nothing")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(res.headers().contains_key("x-request-id"));
    assert_eq!(error_of(res).await["code"], "not_found");
    let res = h
        .client
        .get(h.url("/v1/anonymize"))
        .bearer_auth(token(ALL))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(error_of(res).await["code"], "method_not_allowed");
}

#[tokio::test]
async fn malformed_bodies_are_json_errors() {
    let h = Harness::start().await;
    // (content type, body, status, error code)
    for (content_type, body, status, code) in [
        (
            Some("application/json"),
            "{not json",
            400,
            Some("invalid_input"),
        ),
        (None, r#"{"text":"x"}"#, 415, Some("unsupported_media_type")),
        (Some("application/json"), r#"{"txt":"typo"}"#, 400, None),
    ] {
        let mut request = h
            .client
            .post(h.url("/v1/anonymize"))
            .bearer_auth(token(ALL))
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let res = request.send().await.unwrap();
        assert_eq!(res.status(), status, "{body}");
        if let Some(code) = code {
            assert_eq!(error_of(res).await["code"], code);
        }
    }
}

#[tokio::test]
async fn backend_errors_map_to_statuses() {
    let h = Harness::start().await;
    // (the fake backend's trigger, status, a field of the error and its value)
    for (text, status, field, value) in [
        ("unavailable", 503, "code", "unavailable"),
        ("boom", 500, "message", "internal error"),
    ] {
        let res = post(&h, "/v1/anonymize", ALL, json!({ "text": text })).await;
        assert_eq!(res.status(), status, "{text}");
        assert_eq!(error_of(res).await[field], value);
    }
}

#[tokio::test]
async fn uploads_are_issued_for_plain_file_names_only() {
    let h = Harness::start().await;
    let res = post(
        &h,
        "/v1/documents/uploads",
        "pii/anonymize",
        json!({"file_name": "doc.txt"}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["method"], "PUT");
    assert!(
        body["key"].as_str().unwrap().ends_with("/doc.txt"),
        "{body}"
    );
    for name in ["../doc.txt", "a/b", "..", "", ".x"] {
        let res = post(
            &h,
            "/v1/documents/uploads",
            "pii/anonymize",
            json!({ "file_name": name }),
        )
        .await;
        assert_eq!(res.status(), 400, "{name:?}");
    }
    let res = post(
        &h,
        "/v1/documents/uploads",
        "pii/reidentify",
        json!({"file_name": "doc.txt"}),
    )
    .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn documents_start_and_poll() {
    let h = Harness::start().await;
    let res = post(
        &h,
        "/v1/documents",
        "pii/anonymize",
        json!({"source": "s3://bucket/in/doc.txt"}),
    )
    .await;
    assert_eq!(res.status(), 202);
    assert_eq!(res.headers()["location"], "/v1/documents/doc-1");
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({"id": "doc-1", "status": "running", "existing": false})
    );

    let res = h
        .client
        .get(h.url("/v1/documents/doc-1"))
        .bearer_auth(token("pii/anonymize"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "succeeded");

    let res = h
        .client
        .get(h.url("/v1/documents/nope"))
        .bearer_auth(token("pii/anonymize"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    let res = post(
        &h,
        "/v1/documents",
        "pii/anonymize",
        json!({"source": "/etc/passwd"}),
    )
    .await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn jobs_start_and_poll_with_the_anonymize_scope() {
    let h = Harness::start().await;
    let res = post(
        &h,
        "/v1/jobs",
        "pii/anonymize",
        json!({"source": "s3://bucket/incoming/"}),
    )
    .await;
    assert_eq!(res.status(), 202);
    assert_eq!(res.headers()["location"], "/v1/jobs/job-1");
    let res = post(
        &h,
        "/v1/jobs",
        "pii/anonymize",
        json!({"source": {"manifest": "s3://bucket/lists/keys.json"}}),
    )
    .await;
    assert_eq!(res.status(), 202);

    let get = |path: &'static str, scope: &'static str| {
        h.client.get(h.url(path)).bearer_auth(token(scope)).send()
    };
    let res = get("/v1/jobs/job-1", "pii/anonymize").await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["counts"]["failed"], 1);
    assert_eq!(body["counts"]["total"], 10);
    assert_eq!(
        get("/v1/jobs/nope", "pii/anonymize")
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        get("/v1/jobs/job-1", "pii/reidentify")
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        post(
            &h,
            "/v1/jobs",
            "pii/reidentify",
            json!({"source": "s3://bucket/in/"})
        )
        .await
        .status(),
        403
    );
    // Bad shapes are 400s before the backend sees them.
    for bad in [
        json!({}),
        json!({"source": 3}),
        json!({"source": {"prefix": "s3://b/"}}),
        json!({"source": "s3://b/in/", "unknown": true}),
    ] {
        let res = post(&h, "/v1/jobs", "pii/anonymize", bad.clone()).await;
        assert_eq!(res.status(), 400, "{bad}");
    }
}

#[tokio::test]
async fn erase_and_audit_need_reidentify_scope() {
    let h = Harness::start().await;
    let res = h
        .client
        .delete(h.url("/v1/tokens/EMAIL_AAAA"))
        .bearer_auth(token("pii/reidentify"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({"token": "EMAIL_AAAA", "erased": true}));

    let res = h
        .client
        .get(h.url("/v1/audit?since=2026-01-01T00:00:00Z&limit=10"))
        .bearer_auth(token("pii/reidentify"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = h
        .client
        .get(h.url("/v1/audit?since=yesterday"))
        .bearer_auth(token("pii/reidentify"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = h
        .client
        .get(h.url("/v1/audit?bogus=1"))
        .bearer_auth(token("pii/reidentify"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn openapi_and_docs_need_no_auth() {
    let h = Harness::start().await;
    let res = h.client.get(h.url("/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/v1/reidentify"]["post"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());

    let res = h.client.get(h.url("/docs/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.to_lowercase().contains("swagger"), "{html}");
    // The UI's script is served by us, not from a CDN.
    let res = h
        .client
        .get(h.url("/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = h
        .client
        .get(h.url("/docs/swagger-initializer.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("/openapi.json"));
}
