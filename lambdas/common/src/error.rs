//! The one error type of the handlers, and how it reaches Step Functions.
//!
//! Step Functions matches Retry/Catch on `errorType` and records `errorMessage` in the
//! execution history, where anyone with `states:GetExecutionHistory` can read it. So the
//! message is written here, per kind, and never copies an engine or serde message: those can
//! quote span text, JSON Pointers into a record (keys can be personal data) or values.

use deidentify::ErrorKind;
use lambda_runtime::Diagnostic;
use service::error_names::{INTERNAL, INVALID_INPUT, UNAUTHORIZED, UNAVAILABLE};
use service::{EngineError, ServiceError};

#[derive(Debug, thiserror::Error)]
pub enum LambdaError {
    /// A problem with the event itself, described by this crate (no caller data inside).
    #[error("{0}")]
    InvalidInput(String),
    /// A dependency (the audit trail, the vault) cannot be reached; the message is ours.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The event's access token does not prove a caller allowed here; the message names the
    /// reason, never the token.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// The function's environment is incomplete or wrong.
    #[error("configuration: {0}")]
    Config(String),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl LambdaError {
    /// The Step Functions error name (`Pii.*`).
    pub fn error_name(&self) -> &'static str {
        match self {
            LambdaError::InvalidInput(_) => INVALID_INPUT,
            LambdaError::Unavailable(_) => UNAVAILABLE,
            LambdaError::Unauthorized(_) => UNAUTHORIZED,
            LambdaError::Config(_) => INTERNAL,
            LambdaError::Engine(e) => e.error_name(),
            LambdaError::Service(e) => e.error_name(),
        }
    }

    /// A message safe to put in an execution history or a log line.
    pub fn public_message(&self) -> String {
        match self {
            LambdaError::InvalidInput(m) | LambdaError::Unavailable(m) => m.clone(),
            LambdaError::Unauthorized(m) => format!("unauthorized: {m}"),
            // Variable names and parse failures of our own environment: no caller data.
            LambdaError::Config(m) => format!("function misconfigured: {m}"),
            LambdaError::Engine(EngineError::Document(m)) => m.clone(),
            // Names only the built-in policies.
            LambdaError::Engine(e @ EngineError::UnknownPolicy { .. }) => e.to_string(),
            LambdaError::Engine(e) => engine_message(e).to_string(),
            LambdaError::Service(ServiceError::Internal(_)) => {
                "internal error in the anonymization service".to_string()
            }
            LambdaError::Service(e) => e.public_message().to_string(),
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
        let e = LambdaError::from(ServiceError::from(
            reidentify::ReidentifyError::MalformedToken("4111111111111111".into()),
        ));
        let d = Diagnostic::from(e);
        assert_eq!(d.error_type, INVALID_INPUT);
        assert!(!d.error_message.contains("4111"));
    }

    #[test]
    fn audit_failure_is_unavailable() {
        let e = LambdaError::from(ServiceError::from(
            reidentify::ReidentifyError::AuditFailed(reidentify::AuditError::Unavailable(
                "down".into(),
            )),
        ));
        assert_eq!(e.error_name(), UNAVAILABLE);
        assert!(e.public_message().contains("nothing was revealed"));
    }
}
