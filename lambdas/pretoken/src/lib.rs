//! The Cognito pre-token-generation trigger (V2_0 event): access tokens of users outside
//! the `auditors` group never carry `pii/reidentify`, whatever the app client allows.

mod error;
mod scopes;

pub use error::TriggerError;
pub use scopes::{AUDITORS_GROUP, REIDENTIFY_SCOPE, restrict_reidentify};
