//! Cold start: environment → configuration → stores → handler, plus logging.

use std::sync::Arc;

use deidentify::aws::load_sdk_config;

use crate::config::{ApiConfig, Lookup, ReidentifyConfig, StepConfig, process_env};
use crate::stores::{keyless_vault, open_audit_log, open_vault};
use crate::{
    EngineApiBackend, Engines, LambdaError, ReidentifyHandler, S3DocumentStore, Step, StepHandler,
};

/// JSON logs for CloudWatch, level from `RUST_LOG` (default `info`). The handlers log error
/// names and their own messages only; nothing here logs events.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_target(false)
        // CloudWatch stamps every line itself.
        .without_time()
        .init();
}

/// Detect, mask or deidentify, configured from the environment.
pub async fn step_from_env(step: Step) -> Result<StepHandler, LambdaError> {
    step_from_lookup(step, &process_env).await
}

/// Detect, mask or deidentify, configured by `env` (the function's variables).
pub async fn step_from_lookup(step: Step, env: Lookup<'_>) -> Result<StepHandler, LambdaError> {
    let (output_prefix, with_vault) = match step {
        Step::Detect => ("work/", false),
        Step::Mask => ("work/", false),
        Step::Deidentify => ("results/", true),
    };
    let config = StepConfig::from_lookup(env, output_prefix, with_vault)?;
    let vault = match &config.vault {
        Some(v) => open_vault(v).await?,
        None => keyless_vault()?,
    };
    let engines = Arc::new(Engines::new(vault, config.default_policy.clone()));
    // The SDK config only reads the environment here; no call is made before an event.
    let s3 = aws_sdk_s3::Client::new(&load_sdk_config().await);
    let docs = Arc::new(S3DocumentStore::new(Some(s3), config.documents));
    Ok(StepHandler::new(step, engines, docs))
}

pub async fn reidentify_from_env() -> Result<ReidentifyHandler, LambdaError> {
    reidentify_from_lookup(&process_env).await
}

pub async fn reidentify_from_lookup(env: Lookup<'_>) -> Result<ReidentifyHandler, LambdaError> {
    let config = ReidentifyConfig::from_lookup(env)?;
    let vault = open_vault(&config.vault).await?;
    let audit = open_audit_log(&config.audit).await?;
    Ok(ReidentifyHandler::new(vault.deidentifier, audit))
}

pub async fn api_from_env() -> Result<axum::Router, LambdaError> {
    let config = ApiConfig::from_lookup(&process_env)?;
    let vault = open_vault(&config.vault).await?;
    let engines = Arc::new(Engines::new(vault, config.default_policy));
    crate::api_lambda::app(Arc::new(EngineApiBackend::new(engines)))
}
