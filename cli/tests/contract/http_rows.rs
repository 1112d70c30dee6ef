//! Every HTTP row of the table against a real `piiflow serve --dev-auth`, over HTTP.

use std::collections::BTreeMap;

use reqwest::Client;
use serde_json::Value;

use crate::server::Server;
use crate::table::{HttpRow, load};

/// Drops every table of one of the server's databases under it.
fn drop_tables(server: &Server, db: &str) {
    let conn = rusqlite::Connection::open(server.home.path().join(db)).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!tables.is_empty(), "{db} has no tables");
    for t in tables {
        conn.execute_batch(&format!("DROP TABLE \"{t}\"")).unwrap();
    }
}

async fn run_row(
    server: &Server,
    tokens: &BTreeMap<&str, String>,
    row: &HttpRow,
) -> Result<(), String> {
    let http = Client::new();
    let url = format!("{}{}", server.base, row.request_path());
    let method = reqwest::Method::from_bytes(row.method().as_bytes()).unwrap();
    let mut req = http.request(method, &url);
    match row.auth.as_deref() {
        Some("none") | None => {}
        Some("bad") => req = req.bearer_auth("not-a-jwt"),
        Some(scope) => req = req.bearer_auth(&tokens[scope]),
    }
    let body = match (row.body_bytes, &row.body) {
        (Some(n), _) => Some(format!("{{\"text\":\"{}\"}}", "a".repeat(n))),
        (None, Some(b)) => Some(b.clone()),
        (None, None) => None,
    };
    if let Some(body) = body {
        req = req
            .header(
                "content-type",
                row.content_type.as_deref().unwrap_or("application/json"),
            )
            .body(body);
    }
    let res = req.send().await.map_err(|e| format!("{}: {e}", row.id()))?;
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let code = if status == 401 || status == 403 {
        body["message"].as_str().map(str::to_string)
    } else if row.item {
        body["items"][0]["error"]["code"]
            .as_str()
            .map(str::to_string)
    } else {
        body["error"]["code"].as_str().map(str::to_string)
    };
    let mut problems = Vec::new();
    if Some(status) != row.status {
        problems.push(format!("status {status}, the table says {:?}", row.status));
    }
    if code != row.code {
        problems.push(format!("code {code:?}, the table says {:?}", row.code));
    }
    if row.item && body["items"][0]["ok"] != Value::Bool(false) {
        problems.push("the item did not fail".into());
    }
    if status >= 400
        && status != 401
        && status != 403
        && body["error"]["request_id"].as_str().is_none()
    {
        problems.push("no request id".into());
    }
    if let Some(secret) = &row.secret
        && text.contains(secret.as_str())
    {
        problems.push(format!("the answer names the value {secret:?}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}: {} (body: {})",
            row.id(),
            problems.join("; "),
            text.chars().take(300).collect::<String>()
        ))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_http_row_holds() {
    let rows: Vec<HttpRow> = load().http.into_iter().filter(|r| r.na.is_none()).collect();
    let mut failures = Vec::new();
    // One server per setup: the faults are not undone.
    let mut setups: Vec<Option<String>> = rows.iter().map(|r| r.setup.clone()).collect();
    setups.sort();
    setups.dedup();
    for setup in setups {
        let server = Server::start(&[]).await;
        let tokens: BTreeMap<&str, String> = [
            ("anonymize", server.token(&["pii/anonymize"])),
            ("reidentify", server.token(&["pii/reidentify"])),
        ]
        .into();
        // The databases exist once each route has been used.
        let http = Client::new();
        let warm = http
            .post(format!("{}/v1/anonymize", server.base))
            .bearer_auth(&tokens["anonymize"])
            .json(&serde_json::json!({"text": "x", "policy": "tokenize-all"}))
            .send()
            .await
            .unwrap();
        assert!(warm.status().is_success());
        let warm = http
            .get(format!("{}/v1/audit", server.base))
            .bearer_auth(&tokens["reidentify"])
            .send()
            .await
            .unwrap();
        assert!(warm.status().is_success());
        let mut _lock = None;
        match setup.as_deref() {
            None => {}
            Some("vault-down") => drop_tables(&server, "vault.db"),
            Some("audit-down") => drop_tables(&server, "audit.db"),
            Some("lock-vault") => {
                let conn = rusqlite::Connection::open(server.home.path().join("vault.db")).unwrap();
                conn.execute_batch("BEGIN IMMEDIATE").unwrap();
                _lock = Some(conn);
            }
            Some(other) => panic!("unknown setup {other}"),
        }
        for row in rows.iter().filter(|r| r.setup == setup) {
            if let Err(e) = run_row(&server, &tokens, row).await {
                failures.push(e);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows deviate:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
