use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode, header};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::RemoteError;
use crate::commands::login::http_client;
use crate::login::{CredentialsFile, LoginError, access_token};
use service::Home;

/// How often and how patiently throttled or failing calls are repeated.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub base: Duration,
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 4,
            base: Duration::from_millis(250),
            max_wait: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// Exponential backoff with jitter, or the server's Retry-After when it gives one.
    fn wait(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_wait);
        }
        let exp = self.base.saturating_mul(1 << attempt.min(10));
        let mut jitter = [0u8; 2];
        let _ = getrandom::fill(&mut jitter);
        let jitter = Duration::from_millis(u64::from(u16::from_le_bytes(jitter)) % 100);
        (exp + jitter).min(self.max_wait)
    }
}

/// The deployed API at one base URL, called with one bearer token.
pub struct ApiClient {
    http: reqwest::Client,
    base: String,
    token: String,
    from_env: bool,
    retry: RetryPolicy,
}

impl ApiClient {
    /// `PIIFLOW_TOKEN` when set, otherwise the stored login (renewed when it is about to
    /// expire).
    pub async fn connect(home: &Home, api: &str) -> anyhow::Result<Self> {
        let base = api.trim_end_matches('/').to_string();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(RemoteError::BadUrl(api.to_string()).into());
        }
        let http = http_client()?;
        let (token, from_env) = match std::env::var("PIIFLOW_TOKEN") {
            Ok(t) if !t.trim().is_empty() => (t.trim().to_string(), true),
            _ => {
                let file = CredentialsFile::in_home(home.root());
                let (token, _) = access_token(&http, &file).await.map_err(|e| match e {
                    LoginError::NotLoggedIn { .. } => anyhow::Error::new(e).context(
                        "remote mode needs a login: run piiflow login, or set PIIFLOW_TOKEN",
                    ),
                    e => e.into(),
                })?;
                (token, false)
            }
        };
        Ok(Self {
            http,
            base,
            token,
            from_env,
            retry: RetryPolicy::default(),
        })
    }

    pub async fn post<B: Serialize, R: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<R, RemoteError> {
        let body = serde_json::to_vec(body).expect("request bodies serialize");
        self.call(Method::POST, path, &[], Some(body)).await
    }

    pub async fn get<R: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<R, RemoteError> {
        self.call(Method::GET, path, query, None).await
    }

    pub async fn delete<R: DeserializeOwned>(&self, path: &str) -> Result<R, RemoteError> {
        self.call(Method::DELETE, path, &[], None).await
    }

    async fn call<R: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<R, RemoteError> {
        let url = format!("{}{path}", self.base);
        let build = || -> RequestBuilder {
            let mut req = self
                .http
                .request(method.clone(), &url)
                .bearer_auth(&self.token)
                .query(query);
            if let Some(body) = &body {
                req = req
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            req
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= self.retry.attempts;
            match build().send().await {
                Err(e) if last || !(e.is_connect() || e.is_timeout()) => {
                    return Err(RemoteError::Unreachable {
                        url: self.base.clone(),
                        reason: crate::login::error_chain(&e),
                    });
                }
                Err(e) => {
                    tracing::info!(attempt, error = %e, "API unreachable; retrying");
                    tokio::time::sleep(self.retry.wait(attempt, None)).await;
                }
                Ok(res) if retryable(res.status()) && !last => {
                    let wait = self.retry.wait(attempt, retry_after(&res));
                    tracing::info!(attempt, status = %res.status(), ?wait, "retrying");
                    tokio::time::sleep(wait).await;
                }
                Ok(res) => return self.answer(res, attempt).await,
            }
        }
    }

    async fn answer<R: DeserializeOwned>(
        &self,
        res: Response,
        attempts: u32,
    ) -> Result<R, RemoteError> {
        let status = res.status();
        let challenge = res
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = res.bytes().await.map_err(|e| RemoteError::Unreachable {
            url: self.base.clone(),
            reason: crate::login::error_chain(&e),
        })?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| RemoteError::InvalidResponse {
                status: status.as_u16(),
                reason: format!("invalid JSON at line {} column {}", e.line(), e.column()),
            });
        }
        match status {
            StatusCode::UNAUTHORIZED => Err(RemoteError::Unauthorized {
                hint: self.from_env.then(|| {
                    " (the token came from PIIFLOW_TOKEN: unset it or mint a new one)".into()
                }),
            }),
            StatusCode::FORBIDDEN => Err(RemoteError::Forbidden {
                scope: challenge
                    .as_deref()
                    .and_then(scope_of_challenge)
                    .unwrap_or_else(|| "the route needs".into()),
            }),
            s if retryable(s) => Err(RemoteError::Throttled {
                status: s.as_u16(),
                attempts,
            }),
            s => Err(api_error(s, &bytes)),
        }
    }
}

fn retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

fn retry_after(res: &Response) -> Option<Duration> {
    res.headers()
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// `scope="pii/reidentify"` of an RFC 6750 `insufficient_scope` challenge.
fn scope_of_challenge(challenge: &str) -> Option<String> {
    let start = challenge.find("scope=\"")? + "scope=\"".len();
    let len = challenge[start..].find('"')?;
    Some(crate::login::printable(&challenge[start..start + len], 100))
}

/// The API's `{"error": {"code", "message", "request_id"}}`, or API Gateway's
/// `{"message"}`.
fn api_error(status: StatusCode, body: &[u8]) -> RemoteError {
    let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let text = |v: &serde_json::Value| v.as_str().map(|s| crate::login::printable(s, 500));
    let (code, message, request_id) = match value.get("error") {
        Some(e) => (
            text(&e["code"]),
            text(&e["message"]),
            text(&e["request_id"]),
        ),
        None => (None, text(&value["message"]), None),
    };
    RemoteError::Api {
        status: status.as_u16(),
        code: code.unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_lowercase()),
        message: message.unwrap_or_else(|| "no message".into()),
        request_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_scope_of_a_403_challenge() {
        let c = "Bearer scope=\"pii/reidentify\" error=\"insufficient_scope\" \
                 error_description=\"expected scopes: [pii/reidentify]\"";
        assert_eq!(scope_of_challenge(c).as_deref(), Some("pii/reidentify"));
        assert_eq!(scope_of_challenge("Bearer"), None);
    }

    #[test]
    fn reads_api_and_gateway_errors() {
        let api = api_error(
            StatusCode::BAD_REQUEST,
            br#"{"error":{"code":"invalid_input","message":"bad","request_id":"r1"}}"#,
        );
        assert_eq!(api.exit_code(), crate::exit::DATA_ERROR);
        assert!(api.to_string().contains("(request r1)"), "{api}");
        let gw = api_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            br#"{"message":"Request Entity Too Large"}"#,
        );
        assert_eq!(gw.exit_code(), crate::exit::DATA_ERROR);
        let junk = api_error(StatusCode::NOT_FOUND, b"<html>");
        assert_eq!(junk.exit_code(), crate::exit::PROTOCOL);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        assert!(p.wait(1, None) < p.wait(4, None) + Duration::from_millis(100));
        assert!(p.wait(20, None) <= p.max_wait);
        assert_eq!(p.wait(1, Some(Duration::from_secs(600))), p.max_wait);
    }
}
