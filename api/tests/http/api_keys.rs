//! API keys over HTTP: header, cookie, query parameter (only when enabled), scopes.

use std::sync::Arc;

use api::auth::{SqliteApiKeyStore, create_api_key};
use api::{AuthConfig, ServeConfig, Server};
use serde_json::json;

use crate::support::*;

async fn key(h: &Harness, scopes: &[&str]) -> String {
    let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    create_api_key(h.keys.as_ref(), "test", &scopes)
        .await
        .unwrap()
        .plaintext
        .expose()
        .to_string()
}

fn body() -> serde_json::Value {
    json!({"text": "mail alice@example.com"})
}

#[tokio::test]
async fn key_in_header_or_cookie_is_accepted() {
    let h = Harness::start().await;
    let k = key(&h, &["pii/anonymize"]).await;
    let res = h
        .client
        .post(h.url("/v1/anonymize"))
        .header("x-api-key", &k)
        .json(&body())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = h
        .client
        .post(h.url("/v1/anonymize"))
        .header("cookie", format!("session=abc; api_key={k}"))
        .json(&body())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn wrong_key_is_unauthorized() {
    let h = Harness::start().await;
    let k = key(&h, &["pii/anonymize"]).await;
    let wrong = format!("{}x", &k[..k.len() - 1]);
    for presented in [wrong.as_str(), "pfk_0011223344556677_nope", "nonsense"] {
        let res = h
            .client
            .post(h.url("/v1/anonymize"))
            .header("x-api-key", presented)
            .json(&body())
            .send()
            .await
            .unwrap();
        assert_unauthorized(res).await;
    }
}

#[tokio::test]
async fn query_key_is_refused_unless_enabled() {
    let h = Harness::start().await;
    let k = key(&h, &["pii/anonymize"]).await;
    let res = h
        .client
        .post(h.url(&format!("/v1/anonymize?api_key={k}")))
        .json(&body())
        .send()
        .await
        .unwrap();
    assert_unauthorized(res).await;

    let h = Harness::start_with(Options {
        api_key_query_param: true,
        ..Default::default()
    })
    .await;
    let k = key(&h, &["pii/anonymize"]).await;
    let res = h
        .client
        .post(h.url(&format!("/v1/anonymize?api_key={k}")))
        .json(&body())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn key_scopes_are_enforced() {
    let h = Harness::start().await;
    let k = key(&h, &["pii/anonymize"]).await;
    let res = h
        .client
        .post(h.url("/v1/reidentify"))
        .header("x-api-key", &k)
        .json(&json!({"tokens": ["EMAIL_AAAA"], "reason": "case 7"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    let auditor = key(&h, &["pii/reidentify"]).await;
    let res = h
        .client
        .post(h.url("/v1/reidentify"))
        .header("x-api-key", &auditor)
        .json(&json!({"tokens": ["EMAIL_AAAA"], "reason": "case 7"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let ctx = h.backend.contexts.lock().unwrap()[0].clone();
    assert_eq!(ctx.principal.via, api::auth::AuthMethod::ApiKey);
    assert!(ctx.principal.sub.starts_with("apikey:"));
}

#[tokio::test]
async fn sqlite_store_serves_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteApiKeyStore::open(dir.path().join("keys.sqlite")).unwrap());
    let new = create_api_key(store.as_ref(), "etl", &["pii/anonymize".to_string()])
        .await
        .unwrap();
    let config = ServeConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        auth: AuthConfig {
            api_keys: Some(store),
            ..Default::default()
        },
        ..Default::default()
    };
    let server = Server::bind(config, Arc::new(FakeBackend::default()))
        .await
        .unwrap();
    let addr = server.local_addr().unwrap();
    tokio::spawn(server.run_until(std::future::pending()));
    let res = reqwest::Client::new()
        .post(format!("http://{addr}/v1/anonymize"))
        .header("x-api-key", new.plaintext.expose())
        .json(&body())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // Bearer tokens are not accepted when no JWT verification is configured.
    let res = reqwest::Client::new()
        .post(format!("http://{addr}/v1/anonymize"))
        .bearer_auth(token("pii/anonymize"))
        .json(&body())
        .send()
        .await
        .unwrap();
    assert_unauthorized(res).await;
}
