//! Starts `piiflow serve` in its own home directory and talks to it over HTTP.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::Value;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// A running server; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    pub home: tempfile::TempDir,
    pub http: Client,
}

impl Server {
    /// `serve --dev-auth` on a port the OS picks, plus `extra` flags.
    pub async fn start(extra: &[&str]) -> Self {
        let home = tempfile::tempdir().unwrap();
        // A fixed test key: generating a 2048-bit RSA key in a debug build takes seconds.
        let key = home.path().join("dev-auth-key.pem");
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/keys/dev-auth-key.pem"),
            &key,
        )
        .unwrap();
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_piiflow"))
            .args(["serve", "--dev-auth", "--addr", "127.0.0.1:0"])
            .args(extra)
            .env("PIIFLOW_HOME", home.path())
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let addr = listening_addr(&mut child);
        let mut server = Self {
            child,
            base: format!("http://{addr}"),
            home,
            http: Client::new(),
        };
        server.wait_ready().await;
        server
    }

    /// Polls `/openapi.json` (no auth) until the server answers.
    async fn wait_ready(&mut self) {
        for _ in 0..200 {
            if let Ok(r) = self.http.get(self.url("/openapi.json")).send().await
                && r.status() == StatusCode::OK
            {
                return;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("server exited early: {status}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("server never became ready");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Runs another `piiflow` command against the same home directory.
    pub fn cli(&self, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_piiflow"))
            .args(args)
            .env("PIIFLOW_HOME", self.home.path())
            .env_remove("RUST_LOG")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "piiflow {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// A dev access token minted by `piiflow token`.
    pub fn token(&self, scopes: &[&str]) -> String {
        let mut args = vec!["token"];
        for s in scopes {
            args.extend(["--scope", s]);
        }
        String::from_utf8(self.cli(&args).stdout)
            .unwrap()
            .trim()
            .to_string()
    }

    pub fn post(&self, path: &str, token: &str, body: &Value) -> RequestBuilder {
        self.http.post(self.url(path)).bearer_auth(token).json(body)
    }

    pub fn get(&self, path: &str, token: &str) -> RequestBuilder {
        self.http.get(self.url(path)).bearer_auth(token)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads stderr up to the "listening on" line; a thread keeps draining it afterwards so the
/// server never blocks on a full pipe.
fn listening_addr(child: &mut Child) -> String {
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some(addr) = line.strip_prefix("piiflow API listening on http://")
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(addr.to_string());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("no `listening on` line on stderr")
}

/// The body as JSON, after checking the status.
pub async fn json(response: Response, expected: StatusCode) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, expected, "body: {text}");
    serde_json::from_str(&text).unwrap()
}

/// Every vault token in a JSON document, in order of appearance.
pub fn tokens_in(v: &Value) -> Vec<String> {
    deidentify::find_tokens(&v.to_string())
        .iter()
        .map(|f| f.token.to_string())
        .collect()
}
