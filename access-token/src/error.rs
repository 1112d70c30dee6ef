//! Why a caller was not let in. Messages name the reason, never the token or key.

use std::net::SocketAddr;

/// Coarse classes of `AuthError`, which decide the HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthErrorKind {
    /// No valid credentials: 401.
    Unauthenticated,
    /// Valid credentials without the route's scope: 403.
    Forbidden,
    /// A key store or JWKS endpoint failed; the caller still gets 401 (we cannot vouch for
    /// them) but operators should look.
    Backend,
    /// Bad setup (unreadable key file, dev auth on a public address).
    Config,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no credentials")]
    MissingCredentials,
    #[error("malformed credentials: {0}")]
    Malformed(String),
    #[error("algorithm not accepted: {0}")]
    UnsupportedAlgorithm(String),
    #[error("no signing key with kid {0:?}")]
    UnknownKey(String),
    #[error("bad signature")]
    BadSignature,
    #[error("token expired")]
    Expired,
    #[error("token not yet valid")]
    NotYetValid,
    #[error("wrong issuer")]
    WrongIssuer,
    #[error("token_use is {0:?}, expected \"access\"")]
    WrongTokenUse(String),
    #[error("client_id not allowed")]
    ClientNotAllowed,
    #[error("missing claim {0}")]
    MissingClaim(String),
    #[error("unknown or revoked API key")]
    InvalidApiKey,
    #[error("API keys in the query string are disabled")]
    QueryApiKeyDisabled,
    #[error("missing scope {required}")]
    InsufficientScope { required: String },
    #[error("JWKS unavailable: {0}")]
    Jwks(String),
    #[error("JWKS URL: {0}")]
    JwksUrl(String),
    #[error("{0}")]
    Config(String),
    #[error("API key store: {0}")]
    Store(String),
    #[error("signing key: {0}")]
    Key(String),
    #[error("dev auth only listens on loopback addresses, not {0}")]
    NotLoopback(SocketAddr),
}

impl AuthError {
    pub fn kind(&self) -> AuthErrorKind {
        match self {
            Self::InsufficientScope { .. } => AuthErrorKind::Forbidden,
            Self::Jwks(_) | Self::Store(_) => AuthErrorKind::Backend,
            Self::Key(_) | Self::NotLoopback(_) | Self::JwksUrl(_) | Self::Config(_) => {
                AuthErrorKind::Config
            }
            _ => AuthErrorKind::Unauthenticated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(AuthError::Expired.kind(), AuthErrorKind::Unauthenticated);
        assert_eq!(
            AuthError::InsufficientScope {
                required: "pii/reidentify".into()
            }
            .kind(),
            AuthErrorKind::Forbidden
        );
        assert_eq!(
            AuthError::Jwks("down".into()).kind(),
            AuthErrorKind::Backend
        );
        let addr = "0.0.0.0:80".parse().unwrap();
        assert_eq!(AuthError::NotLoopback(addr).kind(), AuthErrorKind::Config);
    }
}
