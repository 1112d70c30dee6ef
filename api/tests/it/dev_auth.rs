//! `serve --dev-auth`: local issuer, served JWKS, loopback only.

use std::sync::Arc;
use std::time::Duration;

use api::auth::DevAuth;
use api::{ApiError, ServeConfig, Server};
use serde_json::{Value, json};

use crate::support::*;

fn dev() -> Arc<DevAuth> {
    Arc::new(DevAuth::from_pem(KEY_1).unwrap())
}

#[tokio::test]
async fn dev_tokens_work_and_jwks_is_served() {
    let dev = dev();
    let config = ServeConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        dev_auth: Some(dev.clone()),
        ..Default::default()
    };
    let server = Server::bind(config, Arc::new(FakeBackend::default()))
        .await
        .unwrap();
    let base = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.run_until(std::future::pending()));
    let client = reqwest::Client::new();

    let t = dev
        .mint(&["pii/anonymize"], Duration::from_secs(60))
        .unwrap();
    let res = client
        .post(format!("{base}/v1/anonymize"))
        .bearer_auth(&t)
        .json(&json!({"text": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // A token from another issuer (same key) is refused.
    let foreign = sign(&claims("pii/anonymize"), KEY_1, dev.kid());
    let res = client
        .post(format!("{base}/v1/anonymize"))
        .bearer_auth(&foreign)
        .json(&json!({"text": "x"}))
        .send()
        .await
        .unwrap();
    assert_unauthorized(res).await;

    let jwks: Value = client
        .get(format!("{base}/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kid"], dev.kid());
    assert!(jwks["keys"][0].get("d").is_none());
}

#[tokio::test]
async fn dev_auth_refuses_non_loopback_addresses() {
    let config = ServeConfig {
        addr: "0.0.0.0:0".parse().unwrap(),
        dev_auth: Some(dev()),
        ..Default::default()
    };
    let err = Server::bind(config, Arc::new(FakeBackend::default()))
        .await
        .err()
        .expect("must refuse");
    assert!(matches!(err, ApiError::Config(_)), "{err:?}");
    assert!(err.to_string().contains("loopback"), "{err}");
}
