//! Cold start: logging, the SDK configuration, and a step function's handler.

pub use deidentify::sdk::load_sdk_config;

/// JSON logs for CloudWatch, level from `RUST_LOG` (default `info`), the runtime and SDK
/// crates capped at `info` ([`crate::log_filter`]). The handlers log error names and their
/// own messages only; nothing here logs events.
pub fn init_tracing() {
    let filter = crate::log_filter(std::env::var("RUST_LOG").ok().as_deref());
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_target(false)
        // CloudWatch stamps every line itself.
        .without_time()
        .init();
}

#[cfg(feature = "steps")]
/// Detect, mask or deidentify over `vault` (a keyless one for detect and mask), with
/// documents in S3. The SDK configuration only read the environment: no call is made
/// before an event.
pub fn step_handler(
    step: service::Step,
    config: crate::config::StepConfig,
    vault: crate::Vault,
    text_detector: Option<Box<crate::TextDetector>>,
    sdk: &aws_config::SdkConfig,
) -> crate::StepHandler {
    use std::sync::Arc;
    let engines = crate::Engines::with_text_detector(vault, config.default_policy, text_detector);
    let s3 = aws_sdk_s3::Client::new(sdk);
    let docs = Arc::new(service::S3DocumentStore::new(Some(s3), config.documents));
    crate::StepHandler::new(step, Arc::new(engines), docs)
}
