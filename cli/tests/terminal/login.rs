//! `piiflow login` and `logout` against the stand-in hosted UI; a reqwest client plays
//! the browser.

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use serde_json::{Value, json};

use crate::cli::{PendingLogin, code, credentials, free_port, mode, piiflow, run, stderr, stdout};
use crate::idp::{Behavior, Idp, MACHINE_CLIENT, MACHINE_SECRET, WEB_CLIENT, jwt};

fn login_cmd(home: &std::path::Path, idp: &Idp, port: u16, extra: &[&str]) -> Command {
    let mut cmd = piiflow(home);
    cmd.args([
        "login",
        "--domain",
        &idp.base,
        "--client-id",
        WEB_CLIENT,
        "--no-browser",
    ])
    .args(["--port", &port.to_string(), "--timeout", "60"])
    .args(extra);
    cmd
}

/// The browser: follows /authorize's redirect to the CLI's callback.
async fn browse(url: &str) -> (u16, String) {
    let res = reqwest::get(url).await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn query(url: &str) -> HashMap<String, String> {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

#[tokio::test]
async fn login_with_pkce_stores_the_tokens_privately_and_names_the_user() {
    let idp = Idp::start(Behavior::Normal).await;
    let home = tempfile::tempdir().unwrap();
    let port = free_port();
    let login = PendingLogin::start(login_cmd(home.path(), &idp, port, &[]));
    let q = query(&login.url);
    assert!(
        login
            .url
            .starts_with(&format!("{}/oauth2/authorize?", idp.base))
    );
    assert_eq!(
        q["redirect_uri"],
        format!("http://localhost:{port}/callback")
    );
    assert_eq!(q["code_challenge_method"], "S256");
    assert!(!q.contains_key("scope"), "no --scope: the client's scopes");

    let (status, page) = browse(&login.url).await;
    assert_eq!(status, 200, "{page}");
    let (exit, out, err) = login.finish();
    assert_eq!(exit, 0, "{err}");
    assert!(err.contains("Logged in as alice@example.com"), "{err}");
    assert!(err.contains("Scopes: openid pii/reidentify"), "{err}");

    let file = credentials(home.path());
    assert_eq!(mode(&file), 0o600);
    let stored: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let access = stored["access_token"].as_str().unwrap();
    assert_eq!(stored["refresh_token"], "refresh-token-1");
    assert_eq!(stored["grant"], "authorization_code");
    assert!(
        !out.contains(access) && !err.contains(access),
        "the token is never printed"
    );
    assert!(!err.contains("refresh-token-1"));

    // The exchange carried the verifier whose S256 the stand-in checked against the challenge.
    let exchange = idp.with_record(|r| r.token_requests[0].clone());
    assert_eq!(exchange["grant_type"], "authorization_code");
    assert_eq!(exchange["client_id"], WEB_CLIENT);
    assert_eq!(exchange["redirect_uri"], q["redirect_uri"]);
    assert_eq!(exchange["code_verifier"].len(), 43);
}

#[tokio::test]
async fn print_token_prints_the_access_token_and_scope_is_passed_on() {
    let idp = Idp::start(Behavior::Normal).await;
    let home = tempfile::tempdir().unwrap();
    let port = free_port();
    let login = PendingLogin::start(login_cmd(
        home.path(),
        &idp,
        port,
        &["--print-token", "--scope", "openid pii/reidentify"],
    ));
    assert_eq!(query(&login.url)["scope"], "openid pii/reidentify");
    browse(&login.url).await;
    let (exit, out, err) = login.finish();
    assert_eq!(exit, 0, "{err}");
    let stored: Value =
        serde_json::from_slice(&std::fs::read(credentials(home.path())).unwrap()).unwrap();
    assert_eq!(out.trim(), stored["access_token"].as_str().unwrap());
}

#[tokio::test]
async fn a_callback_with_the_wrong_state_is_refused_and_nothing_is_exchanged() {
    let idp = Idp::start(Behavior::Normal).await;
    let home = tempfile::tempdir().unwrap();
    let port = free_port();
    let login = PendingLogin::start(login_cmd(home.path(), &idp, port, &[]));
    let forged = format!("http://127.0.0.1:{port}/callback?code=stolen&state=forged");
    let (status, page) = browse(&forged).await;
    assert_eq!(status, 400);
    assert!(page.contains("state"), "{page}");
    let (exit, _, err) = login.finish();
    assert_eq!(exit, 77, "{err}");
    assert!(err.contains("state does not match"), "{err}");
    assert_eq!(idp.with_record(|r| r.token_requests.len()), 0);
    assert!(!credentials(home.path()).exists());
}

#[tokio::test]
async fn a_declined_sign_in_ends_the_login() {
    let idp = Idp::start(Behavior::Deny).await;
    let home = tempfile::tempdir().unwrap();
    let login = PendingLogin::start(login_cmd(home.path(), &idp, free_port(), &[]));
    let (status, _) = browse(&login.url).await;
    assert_eq!(status, 400);
    let (exit, _, err) = login.finish();
    assert_eq!(exit, 77, "{err}");
    assert!(
        err.contains("access_denied") && err.contains("User declined"),
        "{err}"
    );
    assert_eq!(idp.with_record(|r| r.token_requests.len()), 0);
    assert!(!credentials(home.path()).exists());
}

#[tokio::test]
async fn a_busy_port_is_reported_before_any_browser_is_sent() {
    let idp = Idp::start(Behavior::Normal).await;
    let home = tempfile::tempdir().unwrap();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let out = run(&mut login_cmd(home.path(), &idp, port, &[]));
    assert_eq!(code(&out), 69, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("port {port}")),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("oauth2/authorize"));
}

#[tokio::test]
async fn token_endpoint_failures_are_reported_without_the_body() {
    let cases = [
        (Behavior::TokenBadRequest, "invalid_request"),
        (Behavior::TokenNotJson, "not a token response"),
    ];
    for (behavior, expected) in cases {
        let idp = Idp::start(behavior).await;
        let home = tempfile::tempdir().unwrap();
        let login = PendingLogin::start(login_cmd(home.path(), &idp, free_port(), &[]));
        browse(&login.url).await;
        let (exit, _, err) = login.finish();
        assert_eq!(exit, 76, "{err}");
        assert!(err.contains(expected), "{err}");
        assert!(!err.contains("leak"), "the body is not echoed: {err}");
        assert!(!credentials(home.path()).exists());
    }
}

#[tokio::test]
async fn client_credentials_keep_the_secret_out_of_the_file() {
    let idp = Idp::start(Behavior::Normal).await;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = piiflow(home.path());
    cmd.args(["login", "--client-credentials", "--domain", &idp.base])
        .args([
            "--client-id",
            MACHINE_CLIENT,
            "--client-secret-env",
            "PIPELINE_SECRET",
        ])
        .env("PIPELINE_SECRET", MACHINE_SECRET);
    let out = run(&mut cmd);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("Logged in as {MACHINE_CLIENT}")),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("Scopes: pii/anonymize"));
    let text = std::fs::read_to_string(credentials(home.path())).unwrap();
    assert!(!text.contains(MACHINE_SECRET));
    assert!(text.contains("PIPELINE_SECRET"));

    let mut missing = piiflow(home.path());
    missing
        .args(["login", "--client-credentials", "--domain", &idp.base])
        .args([
            "--client-id",
            MACHINE_CLIENT,
            "--client-secret-env",
            "PIPELINE_SECRET",
        ]);
    let out = run(&mut missing);
    assert_eq!(code(&out), 78, "{}", stderr(&out));
    assert!(stderr(&out).contains("PIPELINE_SECRET is not set"));
}

#[tokio::test]
async fn logout_revokes_the_refresh_token_and_deletes_the_file() {
    let idp = Idp::start(Behavior::Normal).await;
    let home = tempfile::tempdir().unwrap();
    let login = PendingLogin::start(login_cmd(home.path(), &idp, free_port(), &[]));
    browse(&login.url).await;
    assert_eq!(login.finish().0, 0);
    let out = run(piiflow(home.path()).arg("logout"));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        idp.with_record(|r| r.revoked.clone()),
        vec!["refresh-token-1"]
    );
    assert!(!credentials(home.path()).exists());
    // Twice is fine: there is nothing left to do.
    let again = run(piiflow(home.path()).arg("logout"));
    assert_eq!(code(&again), 0);
    assert!(stderr(&again).contains("Not logged in"));
}

/// Credentials whose access token expired an hour ago.
pub fn expired_credentials(home: &std::path::Path, domain: &str, refresh: &str) {
    let creds = json!({
        "domain": domain,
        "client_id": WEB_CLIENT,
        "grant": "authorization_code",
        "access_token": jwt(json!({"sub": "x", "scope": "pii/reidentify"})),
        "refresh_token": refresh,
        "expires_at": time_now() - 3600,
    });
    let path = credentials(home);
    std::fs::write(&path, serde_json::to_vec(&creds).unwrap()).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn time_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn an_expired_refresh_token_asks_for_a_new_login() {
    let idp = Idp::start(Behavior::Normal).await;
    let home = tempfile::tempdir().unwrap();
    expired_credentials(home.path(), &idp.base, "refresh-token-expired");
    // The API is never reached: the token is renewed first.
    let out = run(piiflow(home.path()).args(["--api", "http://127.0.0.1:9", "audit"]));
    assert_eq!(code(&out), 77, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("session has expired"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("piiflow login"));
    let grant = idp.with_record(|r| r.token_requests[0]["grant_type"].clone());
    assert_eq!(grant, "refresh_token");
}

#[tokio::test]
async fn loose_or_corrupt_credentials_are_refused() {
    let idp = Idp::start(Behavior::Normal).await;
    let home = tempfile::tempdir().unwrap();
    let file = credentials(home.path());
    expired_credentials(home.path(), &idp.base, "refresh-token-1");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(piiflow(home.path()).args(["--api", "http://127.0.0.1:9", "audit"]));
    assert_eq!(code(&out), 77, "{}", stderr(&out));
    assert!(stderr(&out).contains("chmod 600"), "{}", stderr(&out));
    assert_eq!(
        idp.with_record(|r| r.token_requests.len()),
        0,
        "nothing was sent"
    );

    std::fs::write(&file, b"{\"domain\": 3").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = run(piiflow(home.path()).args(["--api", "http://127.0.0.1:9", "audit"]));
    assert_eq!(code(&out), 65, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a piiflow credentials file"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());

    // Logging out still works, and removes the broken file.
    let out = run(piiflow(home.path()).arg("logout"));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!file.exists());
}
