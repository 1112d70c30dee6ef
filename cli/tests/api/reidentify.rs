//! `POST /v1/reidentify`, `DELETE /v1/tokens/{token}` and `GET /v1/audit`.

use reqwest::StatusCode;
use reqwest::header::WWW_AUTHENTICATE;
use serde_json::{Value, json};

use crate::server::{Server, json, tokens_in};

const TEXT: &str = "Call Olivia on olivia.nguyen@example.com.au about card 4111-1111-1111-1111";
const EMAIL: &str = "olivia.nguyen@example.com.au";

/// The anonymized `TEXT` and its tokens.
async fn anonymized(s: &Server) -> (String, Vec<String>) {
    let token = s.token(&["pii/anonymize"]);
    let out = json(
        s.post("/v1/anonymize", &token, &json!({ "text": TEXT }))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let tokens = tokens_in(&out["text"]);
    assert!(!tokens.is_empty(), "{out}");
    (out["text"].as_str().unwrap().to_string(), tokens)
}

#[tokio::test]
async fn an_anonymize_only_token_is_refused_with_insufficient_scope() {
    let s = Server::start(&[]).await;
    let (text, _) = anonymized(&s).await;
    let token = s.token(&["pii/anonymize"]);
    let r = s
        .post(
            "/v1/reidentify",
            &token,
            &json!({ "text": text, "reason": "case 7" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let challenge = r.headers()[WWW_AUTHENTICATE].to_str().unwrap().to_string();
    assert!(
        challenge.contains("error=\"insufficient_scope\""),
        "{challenge}"
    );
    assert!(challenge.contains("pii/reidentify"), "{challenge}");
    let body = r.text().await.unwrap();
    assert!(!body.contains(EMAIL), "{body}");
}

#[tokio::test]
async fn a_reidentify_token_with_a_reason_gets_originals_and_is_audited() {
    let s = Server::start(&[]).await;
    let (text, tokens) = anonymized(&s).await;
    let auditor = s.token(&["pii/reidentify"]);

    let r = s
        .post(
            "/v1/reidentify",
            &auditor,
            &json!({ "text": text, "reason": "ticket 42" }),
        )
        .send()
        .await
        .unwrap();
    let request_id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let out = json(r, StatusCode::OK).await;
    // Tokens are reversed; the card was masked (the default policy), which is one-way.
    assert_eq!(
        out["text"],
        TEXT.replace("4111-1111-1111-1111", "****-****-****-1111")
    );
    let audit_id = out["audit_id"].as_str().unwrap().to_string();

    let email_token = tokens.iter().find(|t| t.starts_with("EMAIL_")).unwrap();
    let body = json!({ "tokens": [email_token], "reason": "ticket 43" });
    let out = json(
        s.post("/v1/reidentify", &auditor, &body)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(out["tokens"][0]["token"], email_token.as_str());
    assert_eq!(out["tokens"][0]["value"], EMAIL);
    assert_eq!(out["tokens"][0]["type"], "EMAIL");

    let page = json(
        s.get("/v1/audit", &auditor).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{page}");
    // Newest first.
    assert_eq!(items[0]["reason"], "ticket 43");
    let first = &items[1];
    assert_eq!(first["id"], audit_id.as_str());
    assert_eq!(first["request_id"], request_id.as_str());
    assert_eq!(first["action"], "reidentify");
    assert_eq!(first["reason"], "ticket 42");
    assert_eq!(first["client_id"], "piiflow-dev-client");
    let mut expected = tokens.clone();
    expected.sort();
    expected.dedup();
    assert_eq!(first["tokens"], json!(expected));
    assert!(
        !page.to_string().contains(EMAIL),
        "originals in the audit trail: {page}"
    );

    // Paging: one per page, the cursor leads to the other.
    let one = json(
        s.get("/v1/audit?limit=1", &auditor).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    let cursor = one["next_cursor"].as_str().unwrap();
    let next = json(
        s.get(&format!("/v1/audit?limit=1&cursor={cursor}"), &auditor)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(next["items"][0]["id"], audit_id.as_str());
    assert!(next.get("next_cursor").is_none(), "{next}");
}

#[tokio::test]
async fn without_a_reason_it_is_a_400_and_nothing_is_revealed() {
    let s = Server::start(&[]).await;
    let (text, _) = anonymized(&s).await;
    let auditor = s.token(&["pii/reidentify"]);
    for body in [
        json!({ "text": text }),
        json!({ "text": text, "reason": "  " }),
    ] {
        let r = s
            .post("/v1/reidentify", &auditor, &body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let body = r.text().await.unwrap();
        assert!(!body.contains(EMAIL), "{body}");
    }
    let page = json(
        s.get("/v1/audit", &auditor).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["items"], json!([]));
}

#[tokio::test]
async fn an_erased_token_reveals_nothing_afterwards() {
    let s = Server::start(&[]).await;
    let (_, tokens) = anonymized(&s).await;
    let auditor = s.token(&["pii/reidentify"]);
    let erase = |t: &str| {
        s.http
            .delete(s.url(&format!("/v1/tokens/{t}")))
            .bearer_auth(&auditor)
    };

    let out = json(erase(&tokens[0]).send().await.unwrap(), StatusCode::OK).await;
    assert_eq!(out, json!({ "token": tokens[0], "erased": true }));
    let again = json(erase(&tokens[0]).send().await.unwrap(), StatusCode::OK).await;
    assert_eq!(again["erased"], false);
    // The same text anonymized again gets the same tokens; the erased one stays erased.
    let (_, tokens_again) = anonymized(&s).await;
    assert_eq!(tokens_again, tokens);

    let body = json!({ "tokens": [tokens[0]], "reason": "after erasure" });
    let out = json(
        s.post("/v1/reidentify", &auditor, &body)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        out["tokens"][0].get("value").unwrap_or(&Value::Null),
        &Value::Null,
        "{out}"
    );

    let page = json(
        s.get("/v1/audit", &auditor).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["reidentify", "erase", "erase"]);
}
