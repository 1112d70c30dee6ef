//! The service's one error, and the engine's, re-identification's and the orchestrator's
//! errors mapped into it. The edges map it once more: to HTTP statuses (api) and to Step
//! Functions error names (the Lambda functions).
//!
//! The engine's messages may quote spans, JSON Pointers (record keys can be personal data)
//! or policy file contents, so callers get a fixed message per kind plus the Step Functions
//! style error name, and nothing the caller's data could have shaped.

use deidentify::ErrorKind;
use reidentify::ReidentifyError;
use statemachine::OrchestratorError;

use crate::EngineError;

/// Step Functions error names (a Lambda's `errorType`), which Retry and Catch match on.
pub mod error_names {
    pub const INVALID_INPUT: &str = "Pii.InvalidInput";
    pub const THROTTLED: &str = "Pii.Throttled";
    pub const UNAVAILABLE: &str = "Pii.Unavailable";
    pub const CONFLICT: &str = "Pii.VaultConflict";
    pub const INTERNAL: &str = "Pii.Internal";
    /// The reidentify function refused the caller's access token.
    pub const UNAUTHORIZED: &str = "Pii.Unauthorized";
}

/// The Step Functions error name of a kind of failure.
pub fn error_name(kind: ErrorKind) -> &'static str {
    use error_names::*;
    match kind {
        ErrorKind::InvalidInput => INVALID_INPUT,
        ErrorKind::Throttled => THROTTLED,
        ErrorKind::Unavailable => UNAVAILABLE,
        ErrorKind::Conflict => CONFLICT,
        ErrorKind::Internal => INTERNAL,
    }
}

/// What went wrong in a service call. Every message but `Internal`'s is written to be shown
/// to the caller; `Internal`'s goes to the operator's log, and callers get a fixed text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("throttled: {0}")]
    Throttled(String),
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    pub fn public_message(&self) -> &str {
        match self {
            Self::InvalidInput(m)
            | Self::NotFound(m)
            | Self::Conflict(m)
            | Self::Throttled(m)
            | Self::Unavailable(m) => m,
            Self::Internal(_) => "internal error",
        }
    }

    /// The Step Functions error name; a missing execution is the caller's mistake.
    pub fn error_name(&self) -> &'static str {
        error_name(match self {
            Self::InvalidInput(_) | Self::NotFound(_) => ErrorKind::InvalidInput,
            Self::Conflict(_) => ErrorKind::Conflict,
            Self::Throttled(_) => ErrorKind::Throttled,
            Self::Unavailable(_) => ErrorKind::Unavailable,
            Self::Internal(_) => ErrorKind::Internal,
        })
    }

    fn of_kind(kind: ErrorKind, message: String) -> Self {
        match kind {
            ErrorKind::InvalidInput => Self::InvalidInput(message),
            ErrorKind::Throttled => Self::Throttled(message),
            ErrorKind::Unavailable => Self::Unavailable(message),
            ErrorKind::Conflict => Self::Conflict(message),
            ErrorKind::Internal => Self::Internal(message),
        }
    }
}

impl From<&EngineError> for ServiceError {
    fn from(e: &EngineError) -> Self {
        let name = e.error_name();
        if let EngineError::UnknownPolicy { .. } = e {
            // Names only the built-in policies, never what the caller sent.
            return Self::InvalidInput(e.to_string());
        }
        let message = match e.kind() {
            ErrorKind::InvalidInput => format!("the input could not be anonymized ({name})"),
            ErrorKind::Throttled => format!("throttled, retry later ({name})"),
            ErrorKind::Unavailable => format!("a dependency is unavailable ({name})"),
            ErrorKind::Conflict => format!("vault token collision ({name})"),
            ErrorKind::Internal => name.to_string(),
        };
        Self::of_kind(e.kind(), message)
    }
}

impl From<EngineError> for ServiceError {
    fn from(e: EngineError) -> Self {
        Self::from(&e)
    }
}

impl From<ReidentifyError> for ServiceError {
    fn from(e: ReidentifyError) -> Self {
        Self::of_kind(e.kind(), e.public_message())
    }
}

impl From<OrchestratorError> for ServiceError {
    fn from(e: OrchestratorError) -> Self {
        match e {
            OrchestratorError::ExecutionDoesNotExist(_) => {
                Self::NotFound("no such document run".into())
            }
            OrchestratorError::ExecutionAlreadyExists { .. } => {
                Self::Conflict("a run with this name already exists".into())
            }
            OrchestratorError::InvalidName(_) => Self::InvalidInput("invalid run id".into()),
            other => Self::Internal(other.to_string()),
        }
    }
}
