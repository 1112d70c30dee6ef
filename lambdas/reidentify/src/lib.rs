//! The reidentify function: tokens, a text or a record back to originals, erasure and the
//! audit listing, for the API function (the only caller its role admits). It alone may read
//! the vault and the audit trail.

mod audit_trail;
mod handler;

use lambda_common::LambdaError;
use lambda_common::config::{Lookup, ReidentifyConfig, process_env};
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
    Ok(ReidentifyHandler::new(vault.deidentifier, audit))
}
