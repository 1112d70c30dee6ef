//! Server configuration: where to listen, how big requests may be, who may get in.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use crate::auth::{ApiKeyStore, DevAuth, JwtConfig};

/// Size limits enforced before anything reaches the backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiLimits {
    /// Largest request body in bytes (413 above it). Default 1 MiB.
    pub max_body_bytes: usize,
    /// Most items in one `/v1/anonymize/batch` call. Default 1000.
    pub max_batch_items: usize,
    /// Longest re-identification `reason`, in characters. Default 1000.
    pub max_reason_chars: usize,
}

impl Default for ApiLimits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            max_batch_items: 1000,
            max_reason_chars: 1000,
        }
    }
}

/// How callers prove who they are. Every enabled method is tried; none enabled means every
/// protected route answers 401.
#[derive(Clone, Default)]
pub struct AuthConfig {
    /// Verify RS256 access tokens (`Authorization: Bearer`) against a JWKS.
    pub jwt: Option<JwtConfig>,
    /// Accept API keys (`x-api-key` header or `api_key` cookie) from this store.
    pub api_keys: Option<Arc<dyn ApiKeyStore>>,
    /// Also accept `?api_key=` in the query string. Off by default: query strings end up in
    /// access logs, browser history and proxies.
    pub api_key_query_param: bool,
    /// Trust a principal placed in the request extensions by the Lambda adapter
    /// (API Gateway already verified the token). Never enable for a socket server.
    pub trust_lambda_authorizer: bool,
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("jwt", &self.jwt)
            .field("api_keys", &self.api_keys.as_ref().map(|_| "<store>"))
            .field("api_key_query_param", &self.api_key_query_param)
            .field("trust_lambda_authorizer", &self.trust_lambda_authorizer)
            .finish()
    }
}

/// Everything `serve` needs besides the backend.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub addr: SocketAddr,
    pub limits: ApiLimits,
    pub auth: AuthConfig,
    /// Local development issuer: its tokens are accepted and its JWKS is served at
    /// `/.well-known/jwks.json`. Only allowed on a loopback address.
    pub dev_auth: Option<Arc<DevAuth>>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)),
            limits: ApiLimits::default(),
            auth: AuthConfig::default(),
            dev_auth: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_safe() {
        let c = ServeConfig::default();
        assert!(c.addr.ip().is_loopback());
        assert_eq!(c.limits.max_body_bytes, 1 << 20);
        assert!(!c.auth.api_key_query_param);
        assert!(!c.auth.trust_lambda_authorizer);
    }
}
