//! OAuth access tokens, shared by the HTTP API and the reidentify function (which verifies
//! the caller's token itself and links no HTTP framework).
//!
//! - [`JwtVerifier`]: RS256 access tokens checked against a JWKS ([`JwksSource`]), the
//!   issuer and the app clients ([`JwtConfig`]).
//! - [`Identity`]: the caller a verified credential names, with its scopes.
//! - [`AuthError`]: why a caller was not let in.

mod error;
mod identity;
mod jwks;
mod jwt;

pub use error::{AuthError, AuthErrorKind};
pub use identity::{AuthMethod, Identity, SCOPE_ANONYMIZE, SCOPE_REIDENTIFY, split_scopes};
pub use jwks::JwksSource;
pub use jwt::{JwtConfig, JwtVerifier};
