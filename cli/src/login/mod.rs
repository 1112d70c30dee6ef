//! Signing in to a deployed piiflow from the terminal: the OAuth 2.0 endpoints of the
//! Cognito hosted UI (authorization code with PKCE, client credentials, refresh, revoke),
//! the loopback callback, and the credentials file the remote commands read.

mod browser;
mod callback;
mod claims;
mod credentials;
mod error;
mod pkce;
mod session;
mod token_endpoint;

pub use browser::open_browser;
pub use callback::{CallbackListener, redirect_uri};
pub use claims::TokenClaims;
pub use credentials::{Credentials, CredentialsFile, Grant};
pub use error::LoginError;
pub(crate) use error::printable;
pub use pkce::{Pkce, random_state};
pub use session::{access_token, authorize_url};
pub(crate) use token_endpoint::error_chain;
pub use token_endpoint::{TokenEndpoint, TokenResponse};
