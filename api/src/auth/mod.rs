//! Who is calling and what they may do: JWT access tokens, API keys, the Lambda authorizer's
//! claims, the local dev issuer, and the middleware that enforces per-route scopes.

mod api_key;
mod api_key_memory;
mod api_key_sqlite;
mod authenticator;
mod credentials;
mod dev;
mod guard;
mod lambda;
mod loopback;

pub use access_token::{
    AuthError, AuthErrorKind, AuthMethod, Identity, JwksSource, JwtConfig, JwtVerifier,
    SCOPE_ANONYMIZE, SCOPE_REIDENTIFY,
};
pub use api_key::{
    ApiKeyRecord, ApiKeySecret, ApiKeyStore, NewApiKey, create_api_key, verify_api_key,
};
pub use api_key_memory::MemoryApiKeyStore;
pub use api_key_sqlite::SqliteApiKeyStore;
pub use authenticator::Authenticator;
pub use credentials::{API_KEY_COOKIE, API_KEY_HEADER, API_KEY_QUERY, Credentials};
pub use dev::DevAuth;
pub use guard::{ScopeGuard, forbidden_response, require_scope, unauthorized_response};
pub use lambda::{AuthorizerJwt, principal_from_authorizer, principal_from_request_context};
pub use loopback::ensure_loopback;
