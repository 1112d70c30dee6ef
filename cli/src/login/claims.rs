use data_encoding::BASE64URL_NOPAD;
use serde::Deserialize;

/// What a token says about its holder, read for display only: the API verifies tokens, the
/// CLI never trusts these claims for a decision.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct TokenClaims {
    #[serde(default)]
    pub sub: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default, rename = "cognito:username")]
    pub cognito_username: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default, rename = "cognito:groups")]
    pub groups: Vec<String>,
    #[serde(default)]
    pub exp: Option<i64>,
}

impl TokenClaims {
    /// The payload of a JWT, or None for an opaque token.
    pub fn decode(jwt: &str) -> Option<Self> {
        let payload = jwt.split('.').nth(1)?;
        let bytes = BASE64URL_NOPAD
            .decode(payload.trim_end_matches('=').as_bytes())
            .ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The best human name: e-mail, user name, subject, or the client for machine tokens.
    pub fn who(&self) -> Option<String> {
        self.email
            .clone()
            .or_else(|| self.cognito_username.clone())
            .or_else(|| self.username.clone())
            .or_else(|| self.sub.clone())
            .or_else(|| self.client_id.as_ref().map(|c| format!("client {c}")))
    }

    pub fn scopes(&self) -> Vec<String> {
        self.scope
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }

    /// The other claims of `other` fill what this token lacks (the ID token names the person,
    /// the access token carries the scopes).
    pub fn merged(mut self, other: Option<Self>) -> Self {
        if let Some(o) = other {
            self.sub = self.sub.or(o.sub);
            self.email = self.email.or(o.email);
            self.username = self.username.or(o.username);
            self.cognito_username = self.cognito_username.or(o.cognito_username);
            self.client_id = self.client_id.or(o.client_id);
            self.scope = self.scope.or(o.scope);
            if self.groups.is_empty() {
                self.groups = o.groups;
            }
            self.exp = self.exp.or(o.exp);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &serde_json::Value) -> String {
        format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
            BASE64URL_NOPAD.encode(payload.to_string().as_bytes())
        )
    }

    #[test]
    fn reads_a_cognito_access_token() {
        let t = jwt(&serde_json::json!({
            "sub": "0a1b", "username": "alice", "client_id": "web",
            "scope": "openid pii/reidentify", "cognito:groups": ["auditors"], "exp": 1700000000
        }));
        let c = TokenClaims::decode(&t).unwrap();
        assert_eq!(c.who().as_deref(), Some("alice"));
        assert_eq!(c.scopes(), vec!["openid", "pii/reidentify"]);
        assert_eq!(c.groups, vec!["auditors"]);
    }

    #[test]
    fn machine_tokens_name_their_client() {
        let t = jwt(&serde_json::json!({"client_id": "pipeline", "scope": "pii/anonymize"}));
        assert_eq!(
            TokenClaims::decode(&t).unwrap().who().as_deref(),
            Some("client pipeline")
        );
    }

    #[test]
    fn opaque_or_broken_tokens_decode_to_none() {
        assert!(TokenClaims::decode("opaque").is_none());
        assert!(TokenClaims::decode("a.!!!.c").is_none());
        assert!(TokenClaims::decode("a.bm90IGpzb24.c").is_none());
    }
}
