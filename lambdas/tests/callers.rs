//! Callers of the reidentify function: access tokens signed with the test keys of
//! api/tests/keys and a JWKS endpoint on loopback that serves key 1, for the in-process
//! tests and the end-to-end test alike.
// Each suite uses part of this file.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lambda_common::config::CallerConfig;
use serde_json::{Value, json};

pub const KEY_1: &[u8] = include_bytes!("../../api/tests/keys/test-key-1.pem");
pub const KEY_2: &[u8] = include_bytes!("../../api/tests/keys/test-key-2.pem");
pub const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_CALLERS";
pub const AUDITOR_CLIENT: &str = "auditor-client";

fn jwk(pem: &[u8], kid: &str) -> Jwk {
    let key = EncodingKey::from_rsa_pem(pem).unwrap();
    let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256).unwrap();
    jwk.common.key_id = Some(kid.into());
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    jwk
}

/// A loopback JWKS endpoint serving key 1 (kid `k1`), and the configuration naming it.
pub struct Callers {
    pub config: CallerConfig,
}

impl Callers {
    pub async fn start() -> Self {
        let set = JwkSet {
            keys: vec![jwk(KEY_1, "k1")],
        };
        let app = axum::Router::new().route(
            "/.well-known/jwks.json",
            axum::routing::get(move || {
                let set = set.clone();
                async move { axum::Json(set) }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            config: CallerConfig {
                issuer: ISSUER.into(),
                jwks_url: format!("http://{addr}/.well-known/jwks.json"),
                client_ids: BTreeSet::from([AUDITOR_CLIENT.to_string()]),
            },
        }
    }

    /// The variables the reidentify function reads them from.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("CALLER_ISSUER", self.config.issuer.clone()),
            ("CALLER_JWKS_URL", self.config.jwks_url.clone()),
            (
                "CALLER_CLIENT_IDS",
                self.config
                    .client_ids
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        ]
    }
}

/// Claims of a valid auditor access token for `sub`.
pub fn claims(sub: &str, scope: &str) -> Value {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    json!({
        "sub": sub,
        "client_id": AUDITOR_CLIENT,
        "token_use": "access",
        "scope": scope,
        "iss": ISSUER,
        "iat": now,
        "exp": now + 600,
    })
}

pub fn sign(claims: &Value, pem: &[u8]) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("k1".into());
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_pem(pem).unwrap()).unwrap()
}

/// A valid pii/reidentify token of `sub`.
pub fn auditor_token(sub: &str) -> String {
    sign(&claims(sub, "pii/reidentify"), KEY_1)
}
