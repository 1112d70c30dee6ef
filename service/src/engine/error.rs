use detect::DetectError;
use mask::MaskError;

use deidentify::{ErrorKind, VaultError};

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
    /// A remote caller named a policy that is not built in.
    #[error("unknown policy; available: {available}")]
    UnknownPolicy { available: String },
}

impl EngineError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            EngineError::InvalidInput(_)
            | EngineError::Document(_)
            | EngineError::UnknownPolicy { .. } => ErrorKind::InvalidInput,
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
            EngineError::Vault(e) => e.kind(),
        }
    }
}

impl EngineError {
    /// The error name Step Functions' Retry and Catch match on (`Lambda`'s `errorType`).
    pub fn error_name(&self) -> &'static str {
        crate::error_name(self.kind())
    }
}
