//! piiflow's Lambda functions. Each binary in `src/bin` is a few lines: tracing, one of
//! the `*_from_env` builders here, `lambda_runtime::run`.
//!
//! - [`StepHandler`]: detect, mask, deidentify (Step Functions task handlers).
//! - [`ReidentifyHandler`]: tokens/text/record back to originals, audited, fail closed.
//! - [`api_lambda::app`]: the HTTP API router behind API Gateway's JWT authorizer.
//! - [`S3DocumentStore`]: documents by `s3://` (and optionally `file://`) reference.
//! - [`LambdaError`]: every failure, as a `Diagnostic` with a `Pii.*` error type.

pub mod api_backend;
pub mod api_lambda;
pub mod config;
pub mod documents;
pub mod engines;
pub mod errors;
pub mod handlers;
pub mod keyring_admin;
pub mod reidentify;
mod setup;
pub mod stores;

pub use api_backend::{InvokeReidentify, S3Sources};
pub use documents::S3DocumentStore;
pub use engines::{Engines, TextDetection};
pub use errors::LambdaError;
pub use handlers::{MAX_INLINE_BYTES, StepHandler};
pub use reidentify::ReidentifyHandler;
pub use service::Step;
pub use setup::{
    api_backend, api_backend_from_lookup, api_from_env, init_tracing, reidentify_from_env,
    reidentify_from_lookup, step_from_env, step_from_lookup,
};
