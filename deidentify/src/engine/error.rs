use detect::DetectError;
use mask::MaskError;

use crate::VaultError;

/// Any failure of the anonymization pipeline. Messages never carry originals.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Detect(#[from] DetectError),
    #[error(transparent)]
    Mask(#[from] MaskError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A referenced document cannot be used (missing, too large, not UTF-8, outside the
    /// allowed bucket). The message is written by the document store and never quotes the
    /// document or its reference, so it may be shown to any caller.
    #[error("document: {0}")]
    Document(String),
}

/// Coarse classes that callers map to exit codes, HTTP statuses and Step Functions errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    InvalidInput,
    Throttled,
    Unavailable,
    Conflict,
    Internal,
}

impl EngineError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            EngineError::InvalidInput(_) | EngineError::Document(_) => ErrorKind::InvalidInput,
            EngineError::Detect(DetectError::Throttled(_)) => ErrorKind::Throttled,
            EngineError::Detect(DetectError::Unavailable(_)) => ErrorKind::Unavailable,
            EngineError::Detect(DetectError::Config(_)) => ErrorKind::Internal,
            EngineError::Detect(_) => ErrorKind::InvalidInput,
            EngineError::Mask(MaskError::BadSpan { .. } | MaskError::BadPath(_)) => {
                ErrorKind::InvalidInput
            }
            EngineError::Mask(
                MaskError::UnknownPolicy { .. } | MaskError::InvalidPolicy { .. },
            ) => ErrorKind::InvalidInput,
            EngineError::Mask(MaskError::MissingHashKey) => ErrorKind::Internal,
            EngineError::Vault(VaultError::Collision { .. }) => ErrorKind::Conflict,
            EngineError::Vault(VaultError::Throttled(_)) => ErrorKind::Throttled,
            EngineError::Vault(VaultError::MalformedToken(_)) => ErrorKind::InvalidInput,
            EngineError::Vault(VaultError::Storage(_)) => ErrorKind::Unavailable,
            EngineError::Vault(_) => ErrorKind::Internal,
        }
    }
}

impl EngineError {
    /// The error name Step Functions' Retry and Catch match on (`Lambda`'s `errorType`).
    pub fn error_name(&self) -> &'static str {
        match self.kind() {
            ErrorKind::InvalidInput => "Pii.InvalidInput",
            ErrorKind::Throttled => "Pii.Throttled",
            ErrorKind::Unavailable => "Pii.Unavailable",
            ErrorKind::Conflict => "Pii.VaultConflict",
            ErrorKind::Internal => "Pii.Internal",
        }
    }
}
