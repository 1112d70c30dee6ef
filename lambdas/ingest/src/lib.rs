//! The ingest starter: EventBridge puts each S3 upload under `DOCUMENT_PREFIX` on the
//! ingest queue; this function, fed batches by the queue's event source mapping, starts
//! the documents state machine once per object version (execution name from bucket, key
//! and ETag) and returns the messages it could not start, which SQS retries and at last
//! dead-letters.

mod error;
mod sqs;
mod starter;
mod upload;

use std::sync::Arc;

use lambda_common::config::{Lookup, process_env};
use lambda_common::{LambdaError, load_sdk_config};
use statemachine::DOCUMENTS;
use statemachine::aws::SfnOrchestrator;

pub use error::IngestError;
pub use sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
pub use starter::Starter;
pub use upload::{Upload, UploadRules};

pub async fn handler_from_env() -> Result<Starter, LambdaError> {
    handler_from_lookup(&process_env).await
}

/// `DOCUMENTS_STATE_MACHINE_ARN`, `DOCUMENT_BUCKET`, `DOCUMENT_PREFIX` (default
/// `incoming/`), `POLICY` (default `default`).
pub async fn handler_from_lookup(env: Lookup<'_>) -> Result<Starter, LambdaError> {
    let machine = env("DOCUMENTS_STATE_MACHINE_ARN")
        .ok_or_else(|| LambdaError::Config("DOCUMENTS_STATE_MACHINE_ARN is not set".into()))?;
    let sdk = load_sdk_config().await;
    Ok(Starter {
        orchestrator: Arc::new(
            SfnOrchestrator::new(aws_sdk_sfn::Client::new(&sdk)).with_machine(DOCUMENTS, machine),
        ),
        rules: UploadRules {
            bucket: env("DOCUMENT_BUCKET"),
            prefix: env("DOCUMENT_PREFIX").unwrap_or_else(|| "incoming/".into()),
            policy: env("POLICY").unwrap_or_else(|| "default".into()),
        },
    })
}
