//! The mask function (a Step Functions task): applies every action but `tokenize` and
//! hands the rest on. No key and no vault (least privilege): a policy with `hash` fails at
//! engine construction, clearly.

use lambda_common::config::{Lookup, StepConfig, process_env};
use lambda_common::{LambdaError, StepHandler, keyless_vault, load_sdk_config, step_handler};
use service::Step;

pub async fn handler_from_env() -> Result<StepHandler, LambdaError> {
    handler_from_lookup(&process_env).await
}

/// The handler as configured by `env` (the function's variables).
pub async fn handler_from_lookup(env: Lookup<'_>) -> Result<StepHandler, LambdaError> {
    let config = StepConfig::from_lookup(env, "work/", false)?;
    let sdk = load_sdk_config().await;
    Ok(step_handler(
        Step::Mask,
        config,
        keyless_vault()?,
        None,
        &sdk,
    ))
}
