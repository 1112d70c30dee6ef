//! What every piiflow Lambda function shares. Each function is its own crate whose `main`
//! is a few lines: tracing, its `handler_from_env`, `lambda_runtime::run`.
//!
//! - [`config`]: the functions' environment (infra/template.yaml) as typed configuration.
//! - [`LambdaError`]: every failure, as a `Diagnostic` with a `Pii.*` error type.
//! - [`StepHandler`]: detect, mask and deidentify as Step Functions tasks, over the
//!   service's step runner; `step_handler` (feature `steps`) builds one with documents
//!   in S3.
//! - [`Engines`], [`Vault`]: one engine per built-in policy over a vault (or none).
//! - `DetectorConfig`, `TextDetection` (feature `comprehend`): Comprehend or hybrid
//!   detection of texts, for the detect and API functions.

pub mod config;
mod engines;
mod error;
mod log_filter;
mod setup;
mod steps;
#[cfg(feature = "comprehend")]
mod text_detection;
mod vault;

pub use engines::{Engines, TextDetector};
pub use error::LambdaError;
pub use log_filter::log_filter;
#[cfg(feature = "steps")]
pub use setup::step_handler;
pub use setup::{init_tracing, load_sdk_config};
pub use steps::{MAX_INLINE_BYTES, StepHandler, check_inline};
#[cfg(feature = "comprehend")]
pub use text_detection::{DetectorConfig, TextDetection, engines};
pub use vault::{Vault, keyless_vault, with_keyring};
