//! Cold start: logging, the SDK configuration, and a step function's handler.

use std::sync::Arc;

use aws_config::SdkConfig;
pub use deidentify::sdk::load_sdk_config;
use service::Step;

use crate::config::StepConfig;
use crate::engines::TextDetector;
use crate::{Engines, S3DocumentStore, StepHandler, Vault};

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

/// Detect, mask or deidentify over `vault` (a keyless one for detect and mask), with
/// documents in S3. The SDK configuration only read the environment: no call is made
/// before an event.
pub fn step_handler(
    step: Step,
    config: StepConfig,
    vault: Vault,
    text_detector: Option<Box<TextDetector>>,
    sdk: &SdkConfig,
) -> StepHandler {
    let engines = Engines::with_text_detector(vault, config.default_policy, text_detector);
    let s3 = aws_sdk_s3::Client::new(sdk);
    let docs = Arc::new(S3DocumentStore::new(Some(s3), config.documents));
    StepHandler::new(step, Arc::new(engines), docs)
}
