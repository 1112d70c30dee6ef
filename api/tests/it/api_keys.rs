//! API keys over HTTP: header, cookie, query parameter (only when enabled), scopes.

use std::sync::Arc;

use api::auth::{SqliteApiKeyStore, create_api_key};
use api::{AuthConfig, ServeConfig, Server};
use serde_json::{Value, json};

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

/// Where a request carries its key.
#[derive(Clone, Copy)]
enum Presented<'a> {
    Header(&'a str),
    Cookie(&'a str),
    Query(&'a str),
}

async fn post(h: &Harness, path: &str, key: Presented<'_>, body: &Value) -> reqwest::Response {
    let request = match key {
        Presented::Header(k) => h.client.post(h.url(path)).header("x-api-key", k),
        Presented::Cookie(k) => h
            .client
            .post(h.url(path))
            .header("cookie", format!("session=abc; api_key={k}")),
        Presented::Query(k) => h.client.post(h.url(&format!("{path}?api_key={k}"))),
    };
    request.json(body).send().await.unwrap()
}

#[tokio::test]
async fn key_in_header_or_cookie_is_accepted() {
    let h = Harness::start().await;
    let k = key(&h, &["pii/anonymize"]).await;
    for presented in [Presented::Header(&k), Presented::Cookie(&k)] {
        let res = post(&h, "/v1/anonymize", presented, &body()).await;
        assert_eq!(res.status(), 200);
    }
}

#[tokio::test]
async fn wrong_key_is_unauthorized() {
    let h = Harness::start().await;
    let k = key(&h, &["pii/anonymize"]).await;
    let wrong = format!("{}x", &k[..k.len() - 1]);
    for presented in [wrong.as_str(), "pfk_0011223344556677_nope", "nonsense"] {
        let res = post(&h, "/v1/anonymize", Presented::Header(presented), &body()).await;
        assert_unauthorized(res).await;
    }
}

#[tokio::test]
async fn query_key_is_refused_unless_enabled() {
    // (query parameter enabled, accepted)
    for (enabled, accepted) in [(false, false), (true, true)] {
        let h = Harness::start_with(Options {
            api_key_query_param: enabled,
            ..Default::default()
        })
        .await;
        let k = key(&h, &["pii/anonymize"]).await;
        let res = post(&h, "/v1/anonymize", Presented::Query(&k), &body()).await;
        if accepted {
            assert_eq!(res.status(), 200);
        } else {
            assert_unauthorized(res).await;
        }
    }
}

#[tokio::test]
async fn key_scopes_are_enforced() {
    let h = Harness::start().await;
    let reveal = json!({"tokens": ["EMAIL_AAAA"], "reason": "case 7"});
    // (the key's scope, the status of a re-identification with it)
    for (scope, status) in [("pii/anonymize", 403), ("pii/reidentify", 200)] {
        let k = key(&h, &[scope]).await;
        let res = post(&h, "/v1/reidentify", Presented::Header(&k), &reveal).await;
        assert_eq!(res.status(), status, "{scope}");
    }
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
