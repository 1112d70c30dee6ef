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

/// Every id `GET /v1/audit` returns when its cursors are followed, page by page.
async fn page_through(s: &Server, token: &str, query: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..200 {
        let url = match &cursor {
            Some(c) => format!("/v1/audit?{query}&cursor={c}"),
            None => format!("/v1/audit?{query}"),
        };
        let page = json(s.get(&url, token).send().await.unwrap(), StatusCode::OK).await;
        for item in page["items"].as_array().unwrap() {
            ids.push(item["id"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return ids,
        }
    }
    panic!("{query}: the cursors never end");
}

#[tokio::test]
async fn paging_the_audit_trail_yields_every_record_exactly_once() {
    use reidentify::{AuditAction, AuditLog, AuditRecord, CallContext, Principal, SqliteAuditLog};
    use std::collections::BTreeSet;
    let s = Server::start(&[]).await;
    let auditor = s.token(&["pii/reidentify"]);
    // 150 records of three subjects, one second apart, written beside the running server.
    let log = SqliteAuditLog::open(&s.home.path().join("audit.db")).unwrap();
    let mut records = Vec::new();
    for i in 0..150 {
        let ctx = CallContext {
            principal: Principal {
                sub: format!("auditor-{}", i % 3),
                client_id: Some("client".into()),
                username: None,
            },
            reason: format!("case {i}"),
            request_id: format!("req-{i}"),
            source: None,
            access_token: None,
        };
        let mut r = AuditRecord::new(AuditAction::Reidentify, &ctx, vec![]);
        r.at = format!("2026-11-23T10:{:02}:{:02}Z", i / 60, i % 60);
        log.append(&r).await.unwrap();
        records.push(r);
    }
    let ids = |f: &dyn Fn(usize) -> bool| -> BTreeSet<String> {
        (0..records.len())
            .filter(|i| f(*i))
            .map(|i| records[i].id.clone())
            .collect()
    };
    let since = "2026-11-23T10:00:30Z";
    let until = "2026-11-23T10:02:10Z";
    let cases: [(&str, BTreeSet<String>); 4] = [
        ("limit=7", ids(&|_| true)),
        ("subject=auditor-1&limit=9", ids(&|i| i % 3 == 1)),
        (
            &format!("since={since}&until={until}&limit=11"),
            ids(&|i| (30..130).contains(&i)),
        ),
        (
            &format!("subject=auditor-2&since={since}&until={until}"),
            ids(&|i| i % 3 == 2 && (30..130).contains(&i)),
        ),
    ];
    for (query, expected) in cases {
        let seen = page_through(&s, &auditor, query).await;
        let unique: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(unique.len(), seen.len(), "{query}: a record came twice");
        assert_eq!(unique, expected, "{query}");
    }
    // More than 100 without a subject: the trail is not cut at the newest 100.
    assert_eq!(page_through(&s, &auditor, "limit=1000").await.len(), 150);
    let r = s
        .get("/v1/audit?cursor=forged", &auditor)
        .send()
        .await
        .unwrap();
    assert_eq!(
        json(r, StatusCode::BAD_REQUEST).await["error"]["code"],
        "invalid_input"
    );

    // `piiflow audit` pages the same trail: --all follows the cursors, a page says where
    // the next one starts.
    let all = s.cli(&["audit", "--all", "--limit", "8", "--principal", "auditor-0"]);
    let lines = String::from_utf8(all.stdout).unwrap();
    let printed: BTreeSet<String> = lines
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(printed, ids(&|i| i % 3 == 0));
    let first = s.cli(&["audit", "--limit", "100", "--since", since]);
    assert_eq!(
        String::from_utf8(first.stdout).unwrap().lines().count(),
        100
    );
    let stderr = String::from_utf8(first.stderr).unwrap();
    let cursor = stderr
        .trim()
        .strip_prefix("more records: --cursor ")
        .unwrap_or_else(|| panic!("{stderr}"));
    let rest = s.cli(&[
        "audit", "--limit", "100", "--since", since, "--cursor", cursor,
    ]);
    assert_eq!(String::from_utf8(rest.stdout).unwrap().lines().count(), 20);
}
