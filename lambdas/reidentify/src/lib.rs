//! The reidentify function: tokens, a text or a record back to originals, erasure and the
//! audit listing, for the API function (the only principal its resource policy lets invoke
//! it), on behalf of the caller whose access token the event carries and which this
//! function verifies. It alone may read the vault and the audit trail.

mod audit_trail;
mod handler;

use access_token::{JwksSource, JwtConfig, JwtVerifier};
use lambda_common::LambdaError;
use lambda_common::config::{CallerConfig, Lookup, ReidentifyConfig, process_env};
use lambda_vault::open_vault;

pub use audit_trail::open_audit_log;
pub use handler::ReidentifyHandler;

pub async fn handler_from_env() -> Result<ReidentifyHandler, LambdaError> {
    handler_from_lookup(&process_env).await
}

/// The handler as configured by `env` (the function's variables).
pub async fn handler_from_lookup(env: Lookup<'_>) -> Result<ReidentifyHandler, LambdaError> {
    let config = ReidentifyConfig::from_lookup(env)?;
    let vault = open_vault(&config.vault).await?;
    let audit = open_audit_log(&config.audit).await?;
    let callers = caller_verifier(&config.callers)?;
    Ok(ReidentifyHandler::new(vault.deidentifier, audit, callers))
}

/// The verifier of the callers' access tokens.
pub fn caller_verifier(config: &CallerConfig) -> Result<JwtVerifier, LambdaError> {
    let mut jwt = JwtConfig::new(JwksSource::Url(config.jwks_url.clone()), &config.issuer);
    jwt.allowed_client_ids = Some(config.client_ids.clone());
    JwtVerifier::new(jwt).map_err(|e| LambdaError::Config(format!("caller tokens: {e}")))
}
