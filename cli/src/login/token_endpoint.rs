use serde::Deserialize;

use super::LoginError;
use super::error::printable;

/// A successful answer of `/oauth2/token` (RFC 6749 section 5.1).
#[derive(Clone, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    #[serde(default)]
    pub id_token: Option<String>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    pub expires_in: i64,
    pub token_type: String,
}

/// An error answer (RFC 6749 section 5.2).
#[derive(Deserialize)]
struct ErrorResponse {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// The token and revocation endpoints of one hosted UI domain.
pub struct TokenEndpoint {
    http: reqwest::Client,
    domain: String,
}

impl TokenEndpoint {
    pub fn new(http: reqwest::Client, domain: &str) -> Self {
        Self {
            http,
            domain: domain.trim_end_matches('/').to_string(),
        }
    }

    /// Trades the callback's code for tokens, proving the PKCE verifier.
    pub async fn exchange_code(
        &self,
        client_id: &str,
        code: &str,
        redirect_uri: &str,
        verifier: &str,
    ) -> Result<TokenResponse, LoginError> {
        let form = [
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ];
        self.token(&form, None).await
    }

    /// A new access token from the refresh token; `SessionExpired` when it is refused.
    pub async fn refresh(
        &self,
        client_id: &str,
        refresh_token: &str,
    ) -> Result<TokenResponse, LoginError> {
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", client_id),
            ("refresh_token", refresh_token),
        ];
        match self.token(&form, None).await {
            Err(LoginError::Endpoint { status, error, .. })
                if status == 400 && error == "invalid_grant" =>
            {
                Err(LoginError::SessionExpired)
            }
            other => other,
        }
    }

    /// A machine's token: the client authenticates with HTTP Basic, as Cognito requires.
    pub async fn client_credentials(
        &self,
        client_id: &str,
        client_secret: &str,
        scope: Option<&str>,
    ) -> Result<TokenResponse, LoginError> {
        let mut form = vec![("grant_type", "client_credentials")];
        if let Some(scope) = scope {
            form.push(("scope", scope));
        }
        self.token(&form, Some((client_id, client_secret))).await
    }

    /// Revokes a refresh token and the access tokens issued from it (RFC 7009).
    pub async fn revoke(
        &self,
        client_id: &str,
        client_secret: Option<&str>,
        refresh_token: &str,
    ) -> Result<(), LoginError> {
        let url = self.url("/oauth2/revoke");
        let mut req = self.http.post(&url);
        req = match client_secret {
            Some(secret) => req
                .basic_auth(client_id, Some(secret))
                .form(&[("token", refresh_token)]),
            None => req.form(&[("token", refresh_token), ("client_id", client_id)]),
        };
        let res = req.send().await.map_err(|e| unreachable(&url, &e))?;
        let status = res.status();
        if status.is_success() {
            return Ok(());
        }
        let body = res.bytes().await.unwrap_or_default();
        Err(endpoint_error(&url, status.as_u16(), &body))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.domain)
    }

    async fn token(
        &self,
        form: &[(&str, &str)],
        basic: Option<(&str, &str)>,
    ) -> Result<TokenResponse, LoginError> {
        let url = self.url("/oauth2/token");
        let mut req = self.http.post(&url).form(form);
        if let Some((id, secret)) = basic {
            req = req.basic_auth(id, Some(secret));
        }
        let res = req.send().await.map_err(|e| unreachable(&url, &e))?;
        let status = res.status();
        let body = res.bytes().await.map_err(|e| unreachable(&url, &e))?;
        if !status.is_success() {
            return Err(endpoint_error(&url, status.as_u16(), &body));
        }
        let parsed: TokenResponse =
            serde_json::from_slice(&body).map_err(|e| LoginError::InvalidResponse {
                url: url.clone(),
                // Position and field only: the body may hold tokens.
                reason: format!("invalid JSON at line {} column {}", e.line(), e.column()),
            })?;
        if !parsed.token_type.eq_ignore_ascii_case("bearer") {
            return Err(LoginError::InvalidResponse {
                url,
                reason: format!(
                    "token_type {:?} is not Bearer",
                    printable(&parsed.token_type, 40)
                ),
            });
        }
        Ok(parsed)
    }
}

fn unreachable(url: &str, err: &reqwest::Error) -> LoginError {
    LoginError::Unreachable {
        url: url.to_string(),
        reason: error_chain(err),
    }
}

/// reqwest's top-level message is "error sending request"; the cause says why.
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.dedup();
    parts.join(": ")
}

fn endpoint_error(url: &str, status: u16, body: &[u8]) -> LoginError {
    match serde_json::from_slice::<ErrorResponse>(body) {
        Ok(e) => LoginError::Endpoint {
            url: url.to_string(),
            status,
            error: printable(&e.error, 80),
            description: e.error_description.map(|d| printable(&d, 300)),
        },
        Err(_) => LoginError::Endpoint {
            url: url.to_string(),
            status,
            error: "no OAuth error in the body".into(),
            description: None,
        },
    }
}
