//! The authenticated caller as every handler sees it (the audit trail keeps its
//! `reidentify::Principal` view).

use serde::{Deserialize, Serialize};

/// Scope of the anonymize, batch and document routes.
pub const SCOPE_ANONYMIZE: &str = "pii/anonymize";
/// Scope of re-identification, erasure and the audit trail (auditors' clients only).
pub const SCOPE_REIDENTIFY: &str = "pii/reidentify";

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// An RS256 access token verified by this server.
    Jwt,
    /// An API key from the key store.
    ApiKey,
    /// Claims of API Gateway's JWT authorizer (the token was verified upstream).
    LambdaAuthorizer,
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// Subject: the user (or, for client_credentials, the app client); `apikey:<id>` for keys.
    pub sub: String,
    /// The OAuth app client; `apikey:<id>` for keys.
    pub client_id: String,
    /// Cognito `username` for user tokens; the key's name for API keys.
    pub username: Option<String>,
    pub scopes: Vec<String>,
    pub via: AuthMethod,
}

impl Identity {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// Splits an OAuth `scope` claim (space separated) into scopes.
pub fn split_scopes(scope: &str) -> Vec<String> {
    scope.split_whitespace().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_matched_exactly() {
        let p = Identity {
            sub: "s".into(),
            client_id: "c".into(),
            username: None,
            scopes: split_scopes("  pii/anonymize   openid "),
            via: AuthMethod::Jwt,
        };
        assert_eq!(p.scopes, vec!["pii/anonymize", "openid"]);
        assert!(p.has_scope(SCOPE_ANONYMIZE));
        assert!(!p.has_scope(SCOPE_REIDENTIFY));
        assert!(!p.has_scope("pii/"));
    }
}
