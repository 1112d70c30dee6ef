//! The one error type of the handlers, and how it reaches Step Functions.
//!
//! Step Functions matches Retry/Catch on `errorType` and records `errorMessage` in the
//! execution history, where anyone with `states:GetExecutionHistory` can read it. So the
//! message is written here, per kind, and never copies an engine or serde message: those can
//! quote span text, JSON Pointers into a record (keys can be personal data) or values.

use deidentify::{EngineError, ErrorKind, VaultError};
use lambda_runtime::Diagnostic;
use reidentify::ReidentifyError;

pub const INVALID_INPUT: &str = "Pii.InvalidInput";
pub const THROTTLED: &str = "Pii.Throttled";
pub const UNAVAILABLE: &str = "Pii.Unavailable";
pub const CONFLICT: &str = "Pii.VaultConflict";
pub const INTERNAL: &str = "Pii.Internal";

#[derive(Debug, thiserror::Error)]
pub enum LambdaError {
    /// A problem with the event itself, described by this crate (no caller data inside).
    #[error("{0}")]
    InvalidInput(String),
    /// A dependency (the audit trail, the vault) cannot be reached; the message is ours.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The function's environment is incomplete or wrong.
    #[error("configuration: {0}")]
    Config(String),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Reidentify(#[from] ReidentifyError),
}

impl LambdaError {
    /// The Step Functions error name (`Pii.*`).
    pub fn error_name(&self) -> &'static str {
        match self {
            LambdaError::InvalidInput(_) => INVALID_INPUT,
            LambdaError::Unavailable(_) => UNAVAILABLE,
            LambdaError::Config(_) => INTERNAL,
            LambdaError::Engine(e) => e.error_name(),
            LambdaError::Reidentify(e) => reidentify_name(e),
        }
    }

    /// A message safe to put in an execution history or a log line.
    pub fn public_message(&self) -> String {
        match self {
            LambdaError::InvalidInput(m) | LambdaError::Unavailable(m) => m.clone(),
            // Variable names and parse failures of our own environment: no caller data.
            LambdaError::Config(m) => format!("function misconfigured: {m}"),
            LambdaError::Engine(EngineError::Document(m)) => m.clone(),
            LambdaError::Engine(e) => engine_message(e).to_string(),
            LambdaError::Reidentify(e) => reidentify_message(e),
        }
    }
}

impl From<LambdaError> for Diagnostic {
    fn from(e: LambdaError) -> Self {
        Diagnostic {
            error_type: e.error_name().to_string(),
            error_message: e.public_message(),
        }
    }
}

fn engine_message(e: &EngineError) -> &'static str {
    match e.kind() {
        ErrorKind::InvalidInput => {
            "the input could not be processed: check the state shape, the entity offsets, \
             the policy name and that referenced documents exist and are UTF-8"
        }
        ErrorKind::Throttled => "a dependency throttled the request; retry later",
        ErrorKind::Unavailable => "a dependency (vault, keyring or detector) is unavailable",
        ErrorKind::Conflict => "two different values produced the same vault token",
        ErrorKind::Internal => "internal error in the anonymization engine",
    }
}

fn reidentify_name(e: &ReidentifyError) -> &'static str {
    match e {
        ReidentifyError::MissingReason
        | ReidentifyError::ReasonTooLong { .. }
        | ReidentifyError::TooManyTokens { .. }
        | ReidentifyError::TooDeep(_)
        | ReidentifyError::MalformedToken(_)
        | ReidentifyError::Vault(VaultError::MalformedToken(_)) => INVALID_INPUT,
        ReidentifyError::AuditFailed(_) | ReidentifyError::Vault(VaultError::Storage(_)) => {
            UNAVAILABLE
        }
        ReidentifyError::Vault(VaultError::Throttled(_)) => THROTTLED,
        ReidentifyError::Vault(_) => INTERNAL,
    }
}

fn reidentify_message(e: &ReidentifyError) -> String {
    match e {
        // These messages are fixed texts with numbers only.
        ReidentifyError::MissingReason
        | ReidentifyError::ReasonTooLong { .. }
        | ReidentifyError::TooManyTokens { .. }
        | ReidentifyError::TooDeep(_) => e.to_string(),
        // Not echoed: a caller who pastes an original by mistake must not find it in logs.
        ReidentifyError::MalformedToken(_)
        | ReidentifyError::Vault(VaultError::MalformedToken(_)) => {
            "a value is not a piiflow token".to_string()
        }
        ReidentifyError::AuditFailed(_) => {
            "the audit trail could not be written; nothing was revealed".to_string()
        }
        ReidentifyError::Vault(VaultError::Storage(_)) => "the vault is unavailable".to_string(),
        ReidentifyError::Vault(VaultError::Throttled(_)) => {
            "the vault throttled the request; retry later".to_string()
        }
        ReidentifyError::Vault(_) => "internal vault or keyring error".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_keep_their_name_but_not_their_text() {
        let e = LambdaError::from(EngineError::InvalidInput(
            "no string or number at /alice@example.com".into(),
        ));
        let d = Diagnostic::from(e);
        assert_eq!(d.error_type, INVALID_INPUT);
        assert!(!d.error_message.contains("alice"), "{}", d.error_message);
    }

    #[test]
    fn malformed_tokens_are_not_echoed() {
        let e = LambdaError::from(ReidentifyError::MalformedToken("4111111111111111".into()));
        let d = Diagnostic::from(e);
        assert_eq!(d.error_type, INVALID_INPUT);
        assert!(!d.error_message.contains("4111"));
    }

    #[test]
    fn audit_failure_is_unavailable() {
        let e = LambdaError::from(ReidentifyError::AuditFailed(
            reidentify::AuditError::Unavailable("down".into()),
        ));
        assert_eq!(e.error_name(), UNAVAILABLE);
        assert!(e.public_message().contains("nothing was revealed"));
    }
}
