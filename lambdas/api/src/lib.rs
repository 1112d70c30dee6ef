//! The HTTP API function: `api::router` over the service behind API Gateway's JWT
//! authorizer. Anonymization runs in process over a put-only vault; documents run on the
//! documents state machine; re-identification, erasure and the audit listing are the
//! reidentify function's, invoked with the caller's identity. `DETECTOR_MODE` applies to
//! texts and to the unhinted strings of records as in the detect function, under a budget
//! per request (`DETECT_BUDGET_SECONDS`, default [`DEFAULT_BUDGET`]).

mod adapters;
mod app;

use std::sync::Arc;
use std::time::Duration;

use api::PiiBackend;
use lambda_common::config::{ApiConfig, Lookup, process_env};
use lambda_common::{DetectorConfig, LambdaError, TextDetection, Vault, engines, load_sdk_config};
use lambda_vault::open_put_only_vault;
use service::Service;
use statemachine::aws::SfnOrchestrator;
use statemachine::{DOCUMENTS, JOBS, RECORDS};

pub use adapters::{InvokeReidentify, S3Sources};
pub use app::{app, authorizer_jwt};

/// `DETECT_BUDGET_SECONDS` when unset: Comprehend gets this long per request, leaving the
/// rest of API Gateway's 29 s (and the function's timeout) to masking and the vault.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(20);

pub async fn app_from_env() -> Result<axum::Router, LambdaError> {
    let backend = api_backend_from_lookup(&process_env).await?;
    app(backend)
}

/// The API's backend from the environment.
pub async fn api_backend_from_lookup(env: Lookup<'_>) -> Result<Arc<dyn PiiBackend>, LambdaError> {
    let config = ApiConfig::from_lookup(env)?;
    let detector = DetectorConfig::from_lookup(env, DEFAULT_BUDGET)?;
    let vault = open_put_only_vault(&config.vault).await?;
    let sdk = load_sdk_config().await;
    Ok(api_backend_with_detection(
        config,
        vault,
        clients(&sdk),
        detector.detection(&sdk),
    ))
}

/// The AWS services the API function calls besides the vault's.
#[derive(Clone)]
pub struct ApiClients {
    /// The documents and jobs state machines.
    pub sfn: aws_sdk_sfn::Client,
    /// The reidentify function.
    pub lambda: aws_sdk_lambda::Client,
    /// The document bucket: ETags of sources, presigned uploads and result downloads.
    pub s3: aws_sdk_s3::Client,
}

/// The clients of one SDK configuration.
pub fn clients(sdk: &aws_config::SdkConfig) -> ApiClients {
    ApiClients {
        sfn: aws_sdk_sfn::Client::new(sdk),
        lambda: aws_sdk_lambda::Client::new(sdk),
        s3: aws_sdk_s3::Client::new(sdk),
    }
}

/// The API's backend: anonymize in process over the vault (put-only rights), documents
/// through Step Functions, re-identification through the reidentify function.
pub fn api_backend(config: ApiConfig, vault: Vault, clients: ApiClients) -> Arc<dyn PiiBackend> {
    api_backend_with_detection(config, vault, clients, None)
}

/// [`api_backend`] with texts and unhinted record strings detected through `detection`
/// (Comprehend or hybrid) instead of the patterns alone.
pub fn api_backend_with_detection(
    config: ApiConfig,
    vault: Vault,
    clients: ApiClients,
    detection: Option<TextDetection>,
) -> Arc<dyn PiiBackend> {
    let engines = engines(vault, &config.default_policy, detection);
    let mut orchestrator =
        SfnOrchestrator::new(clients.sfn).with_machine(DOCUMENTS, config.documents_state_machine);
    if let Some(arn) = config.records_state_machine {
        orchestrator = orchestrator.with_machine(RECORDS, arn);
    }
    if let Some(arn) = config.jobs_state_machine {
        orchestrator = orchestrator.with_machine(JOBS, arn);
    }
    let reidentification = InvokeReidentify {
        client: clients.lambda,
        function: config.reidentify_function,
    };
    Arc::new(Service::new(
        engines.cache(),
        Arc::new(orchestrator),
        Arc::new(S3Sources {
            client: clients.s3,
            bucket: config.document_bucket,
            prefix: config.document_prefix,
        }),
        Arc::new(reidentification),
    ))
}
