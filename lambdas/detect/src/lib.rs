//! The detect function (a Step Functions task): patterns by default; Amazon Comprehend,
//! with patterns for what it does not answer in time, when `DETECTOR_MODE` asks for it.
//! No key and no vault: it only reads documents and writes entity lists under `work/`.

use std::time::Duration;

use lambda_common::config::{Lookup, StepConfig, process_env};
use lambda_common::{LambdaError, StepHandler, keyless_vault, load_sdk_config, step_handler};
use service::Step;

pub use lambda_common::{DetectorConfig, TextDetection, engines};

/// `DETECT_BUDGET_SECONDS` when unset: under the function's 60 s timeout.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(50);

pub async fn handler_from_env() -> Result<StepHandler, LambdaError> {
    handler_from_lookup(&process_env).await
}

/// The handler as configured by `env` (the function's variables).
pub async fn handler_from_lookup(env: Lookup<'_>) -> Result<StepHandler, LambdaError> {
    let config = StepConfig::from_lookup(env, "work/", false)?;
    let detector = DetectorConfig::from_lookup(env, DEFAULT_BUDGET)?;
    let sdk = load_sdk_config().await;
    Ok(step_handler(
        Step::Detect,
        config,
        keyless_vault()?,
        detector
            .detection(&sdk)
            .map(TextDetection::into_text_detector),
        &sdk,
    ))
}
