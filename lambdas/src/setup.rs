//! Cold start: environment → configuration → stores → handler, plus logging.

use std::sync::Arc;

use api::PiiBackend;
use deidentify::aws::load_sdk_config;
use detect::comprehend::DetectorMode;
use service::{Service, Step};
use statemachine::aws::SfnOrchestrator;
use statemachine::{DOCUMENTS, RECORDS};

use crate::api_backend::{InvokeReidentify, S3Sources};
use crate::config::{ApiConfig, Lookup, ReidentifyConfig, StepConfig, process_env};
use crate::engines::TextDetection;
use crate::stores::{Vault, keyless_vault, open_audit_log, open_put_only_vault, open_vault};
use crate::{Engines, LambdaError, ReidentifyHandler, S3DocumentStore, StepHandler};

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
    // The SDK config only reads the environment here; no call is made before an event.
    let sdk = load_sdk_config().await;
    let detection =
        (step == Step::Detect && config.detector_mode != DetectorMode::Patterns).then(|| {
            TextDetection {
                mode: config.detector_mode,
                comprehend: aws_sdk_comprehend::Client::new(&sdk),
                budget: config.detect_budget,
            }
        });
    let engines = Arc::new(Engines::with_detection(
        vault,
        config.default_policy.clone(),
        detection,
    ));
    let s3 = aws_sdk_s3::Client::new(&sdk);
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
    let backend = api_backend_from_lookup(&process_env).await?;
    crate::api_lambda::app(backend)
}

/// The API's backend from the environment.
pub async fn api_backend_from_lookup(env: Lookup<'_>) -> Result<Arc<dyn PiiBackend>, LambdaError> {
    let config = ApiConfig::from_lookup(env)?;
    let vault = open_put_only_vault(&config.vault).await?;
    let sdk = load_sdk_config().await;
    Ok(api_backend(
        config,
        vault,
        aws_sdk_sfn::Client::new(&sdk),
        aws_sdk_lambda::Client::new(&sdk),
    ))
}

/// The API's backend: anonymize in process over the vault (put-only rights), documents
/// through Step Functions, re-identification through the reidentify function.
pub fn api_backend(
    config: ApiConfig,
    vault: Vault,
    sfn: aws_sdk_sfn::Client,
    lambda: aws_sdk_lambda::Client,
) -> Arc<dyn PiiBackend> {
    let engines = Engines::new(vault, config.default_policy);
    let mut orchestrator =
        SfnOrchestrator::new(sfn).with_machine(DOCUMENTS, config.documents_state_machine);
    if let Some(arn) = config.records_state_machine {
        orchestrator = orchestrator.with_machine(RECORDS, arn);
    }
    let reidentification = InvokeReidentify {
        client: lambda,
        function: config.reidentify_function,
    };
    Arc::new(Service::new(
        engines.cache(),
        Arc::new(orchestrator),
        Arc::new(S3Sources {
            bucket: config.document_bucket,
        }),
        Arc::new(reidentification),
    ))
}
