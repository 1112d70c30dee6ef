use reqwest::Url;

use super::{Credentials, CredentialsFile, Grant, LoginError, TokenEndpoint, TokenResponse};

/// Access tokens this close to expiry are renewed first, so a slow request still carries a
/// valid token when it arrives.
const RENEW_MARGIN_SECS: i64 = 60;

/// `<domain>/oauth2/authorize` for the authorization code flow with PKCE (S256).
pub fn authorize_url(
    domain: &str,
    client_id: &str,
    redirect_uri: &str,
    scope: Option<&str>,
    state: &str,
    challenge: &str,
) -> Result<Url, LoginError> {
    let base = format!("{}/oauth2/authorize", domain.trim_end_matches('/'));
    let mut url = Url::parse(&base)
        .map_err(|e| LoginError::Config(format!("--domain {domain:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(LoginError::Config(format!(
            "--domain {domain:?} must be an https:// URL"
        )));
    }
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri);
        // Without a scope Cognito grants every scope the app client allows.
        if let Some(scope) = scope {
            q.append_pair("scope", scope);
        }
        q.append_pair("state", state)
            .append_pair("code_challenge", challenge)
            .append_pair("code_challenge_method", "S256");
    }
    Ok(url)
}

pub fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

impl Credentials {
    /// The stored form of a token answer; a refresh answer carries no new refresh token, so
    /// the old one is kept.
    pub fn absorb(&mut self, tokens: TokenResponse) {
        self.access_token = tokens.access_token;
        if tokens.id_token.is_some() {
            self.id_token = tokens.id_token;
        }
        if tokens.refresh_token.is_some() {
            self.refresh_token = tokens.refresh_token;
        }
        self.expires_at = now_unix() + tokens.expires_in.max(0);
    }
}

/// A valid access token from the credentials file, renewed (and saved) when it is about to
/// expire: with the refresh token after a browser login, or with the secret from the
/// environment after a client-credentials login.
pub async fn access_token(
    http: &reqwest::Client,
    file: &CredentialsFile,
) -> Result<(String, Credentials), LoginError> {
    let mut creds = file.load()?;
    if !creds.expires_within(now_unix(), RENEW_MARGIN_SECS) {
        return Ok((creds.access_token.clone(), creds));
    }
    let endpoint = TokenEndpoint::new(http.clone(), &creds.domain);
    let tokens = match creds.grant {
        Grant::AuthorizationCode => {
            let refresh = creds
                .refresh_token
                .clone()
                .ok_or(LoginError::SessionExpired)?;
            endpoint.refresh(&creds.client_id, &refresh).await?
        }
        Grant::ClientCredentials => {
            let var = creds.client_secret_env.clone().ok_or_else(|| {
                LoginError::Config("the credentials name no client secret variable".into())
            })?;
            let secret = std::env::var(&var).map_err(|_| LoginError::MissingSecret(var))?;
            endpoint
                .client_credentials(&creds.client_id, &secret, creds.scope.as_deref())
                .await?
        }
    };
    creds.absorb(tokens);
    file.save(&creds)?;
    Ok((creds.access_token.clone(), creds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorize_url_carries_pkce_and_state() {
        let url = authorize_url(
            "https://x.auth.eu-west-1.amazoncognito.com/",
            "web",
            "http://localhost:8765/callback",
            Some("openid pii/reidentify"),
            "st",
            "ch",
        )
        .unwrap();
        assert_eq!(url.path(), "/oauth2/authorize");
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["redirect_uri"], "http://localhost:8765/callback");
        assert_eq!(q["scope"], "openid pii/reidentify");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["code_challenge"], "ch");
        assert_eq!(q["state"], "st");
    }

    #[test]
    fn a_domain_must_be_a_web_url() {
        for bad in ["not a url", "ftp://x.example"] {
            assert!(matches!(
                authorize_url(bad, "c", "r", None, "s", "c"),
                Err(LoginError::Config(_))
            ));
        }
    }
}
