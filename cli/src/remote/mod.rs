//! Remote mode (`--api URL`): the data commands sent to a deployed piiflow API with the
//! stored login or `PIIFLOW_TOKEN`, with the outputs and exit codes of local mode.

mod anonymize;
mod client;
mod documents;
mod error;
mod reidentify;

pub use anonymize::anonymize;
pub use client::ApiClient;
pub use documents::{DocumentsArgs, documents};
pub use error::RemoteError;
pub use reidentify::{audit, erase, reidentify};
