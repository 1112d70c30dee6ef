//! `POST /v1/anonymize` and `/v1/anonymize/batch`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::server::{Server, fixtures, json, tokens_in};

const EMAIL: &str = "olivia.nguyen@example.com.au";

fn customer() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("records/customer.json")).unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn a_text_and_a_record_come_back_tokenized_without_originals() {
    let s = Server::start(&[]).await;
    let token = s.token(&["pii/anonymize"]);

    let body = json!({ "text": format!("Write to {EMAIL} today") });
    let out = json(
        s.post("/v1/anonymize", &token, &body).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    let text = out["text"].as_str().unwrap();
    assert!(!text.contains(EMAIL), "{text}");
    assert!(
        text.starts_with("Write to ") && text.ends_with(" today"),
        "{text}"
    );
    assert!(!tokens_in(&out["text"]).is_empty(), "no token in {text}");
    assert_eq!(out["entities"][0]["type"], "EMAIL");
    assert_eq!(out["summary"]["entity_count"], 1);

    let out = json(
        s.post("/v1/anonymize", &token, &json!({ "record": customer() }))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let record = out["record"].to_string();
    for original in [
        EMAIL,
        "0412 345 678",
        "4111-1111-1111-1111",
        "olivia.n@example.org",
    ] {
        assert!(!record.contains(original), "{original} left in {record}");
    }
    assert!(!tokens_in(&out["record"]).is_empty());
    // Untouched fields stay as they were.
    assert_eq!(out["record"]["orders"][0]["orderId"], "ORD-99812");
    assert!(
        out["entities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["path"].is_string())
    );
}

#[tokio::test]
async fn a_batch_answers_each_item_and_fails_only_the_bad_ones() {
    let s = Server::start(&[]).await;
    let token = s.token(&["pii/anonymize"]);
    let body = json!({ "items": [
        { "text": format!("mail {EMAIL}") },
        { "record": customer() },
        { "text": "x", "policy": "no-such-policy" },
        { },
        { "record": { "email": EMAIL }, "policy": "redact" },
    ]});
    let out = json(
        s.post("/v1/anonymize/batch", &token, &body)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let items = out["items"].as_array().unwrap();
    let ok: Vec<bool> = items.iter().map(|i| i["ok"].as_bool().unwrap()).collect();
    assert_eq!(ok, [true, true, false, false, true]);
    assert_eq!(items[2]["error"]["code"], "invalid_input");
    assert_eq!(items[3]["error"]["code"], "invalid_input");
    assert!(!out.to_string().contains(EMAIL), "{out}");
    // The same value in two items gets the same token: one vault, deterministic tokens.
    let in_text = tokens_in(&items[0]["result"]["text"]);
    let in_record = tokens_in(&items[1]["result"]["record"]["email"]);
    assert_eq!(in_text, in_record);
}

#[tokio::test]
async fn an_unknown_policy_is_a_400() {
    let s = Server::start(&[]).await;
    let token = s.token(&["pii/anonymize"]);
    let body = json!({ "text": "x", "policy": "/etc/passwd" });
    let out = json(
        s.post("/v1/anonymize", &token, &body).send().await.unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(out["error"]["code"], "invalid_input");
}
