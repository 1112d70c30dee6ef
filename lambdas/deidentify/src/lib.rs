//! The deidentify function (a Step Functions task): tokenizes what mask left into the
//! vault, writes the result under `results/`, deletes the masked stage; and joins a chunked
//! document's parts.

use lambda_common::config::{Lookup, StepConfig, process_env};
use lambda_common::{LambdaError, StepHandler, load_sdk_config, step_handler};
use lambda_vault::open_vault;
use service::Step;

pub async fn handler_from_env() -> Result<StepHandler, LambdaError> {
    handler_from_lookup(&process_env).await
}

/// The handler as configured by `env`; it fails here, at cold start, when the vault is
/// unset.
pub async fn handler_from_lookup(env: Lookup<'_>) -> Result<StepHandler, LambdaError> {
    let config = StepConfig::from_lookup(env, "results/", true)?;
    let vault = config
        .vault
        .as_ref()
        .ok_or_else(|| LambdaError::Config("the vault is not configured".into()))?;
    let vault = open_vault(vault).await?;
    let sdk = load_sdk_config().await;
    Ok(step_handler(Step::Deidentify, config, vault, None, &sdk))
}
