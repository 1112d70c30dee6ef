//! Who gets in: no credentials, dev tokens, API keys made by the CLI.

use reqwest::StatusCode;
use reqwest::header::WWW_AUTHENTICATE;
use serde_json::json;

use crate::server::{Server, json};

#[tokio::test]
async fn no_token_is_a_401_with_a_bearer_challenge() {
    let s = Server::start(&[]).await;
    let r = s
        .http
        .post(s.url("/v1/anonymize"))
        .json(&json!({"text": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        r.headers()[WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap(),
        json!({"message": "Unauthorized"})
    );
}

#[tokio::test]
async fn an_api_key_created_with_the_cli_works_and_is_listed_without_its_secret() {
    let s = Server::start(&["--api-keys"]).await;
    let out = s.cli(&[
        "keys",
        "api-key",
        "create",
        "--name",
        "etl",
        "--scope",
        "pii/anonymize",
    ]);
    let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(key.starts_with("pfk_"), "{key}");

    let r = s
        .http
        .post(s.url("/v1/anonymize"))
        .header("x-api-key", &key)
        .json(&json!({"text": "a@b.example.com"}));
    let body = json(r.send().await.unwrap(), StatusCode::OK).await;
    assert!(!body["text"].as_str().unwrap().contains("a@b.example.com"));

    // Its scopes hold: an anonymize key cannot re-identify.
    let r = s
        .http
        .post(s.url("/v1/reidentify"))
        .header("x-api-key", &key);
    let r = r.json(&json!({"tokens": ["EMAIL_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"], "reason": "x"}));
    assert_eq!(r.send().await.unwrap().status(), StatusCode::FORBIDDEN);

    let last = if key.ends_with('a') { 'b' } else { 'a' };
    let wrong = format!("{}{last}", &key[..key.len() - 1]);
    let r = s
        .http
        .post(s.url("/v1/anonymize"))
        .header("x-api-key", wrong)
        .json(&json!({"text": "x"}));
    assert_eq!(r.send().await.unwrap().status(), StatusCode::UNAUTHORIZED);

    let listed = String::from_utf8(s.cli(&["keys", "api-key", "list"]).stdout).unwrap();
    assert!(
        listed.contains("etl") && listed.contains("pii/anonymize"),
        "{listed}"
    );
    let secret = key.rsplit_once('_').unwrap().1;
    assert!(!listed.contains(secret), "{listed}");
}

#[tokio::test]
async fn api_keys_are_refused_unless_enabled() {
    let s = Server::start(&[]).await;
    let out = s.cli(&[
        "keys",
        "api-key",
        "create",
        "--name",
        "etl",
        "--scope",
        "pii/anonymize",
    ]);
    let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let r = s
        .http
        .post(s.url("/v1/anonymize"))
        .header("x-api-key", key)
        .json(&json!({"text": "x"}));
    assert_eq!(r.send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

/// `piiflow serve` with `args` in a fresh home, expected to refuse to start; its stderr.
fn refused_serve(args: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_piiflow"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .env("PIIFLOW_HOME", home.path())
        .output()
        .unwrap();
    assert!(!out.status.success(), "serve {args:?} started");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_issuer_needs_client_ids_and_an_https_jwks_url() {
    const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X";
    let no_client = refused_serve(&[
        "--issuer",
        ISSUER,
        "--jwks-url",
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X/.well-known/jwks.json",
    ]);
    assert!(no_client.contains("--client-id"), "{no_client}");
    for url in [
        "http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X/.well-known/jwks.json",
        "file:///etc/jwks.json",
    ] {
        let plain = refused_serve(&["--issuer", ISSUER, "--jwks-url", url, "--client-id", "c"]);
        assert!(plain.contains("must be https"), "{url}: {plain}");
    }
}
