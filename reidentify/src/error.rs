use deidentify::{ErrorKind, VaultError};

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("audit trail unavailable: {0}")]
    Unavailable(String),
    #[error("audit record {0} already exists (the trail is append-only)")]
    Duplicate(String),
    #[error("audit trail corrupt: {0}")]
    Corrupt(String),
    /// A reader's mistake (a cursor that is not one, a time that does not parse): the
    /// trail itself is fine.
    #[error("invalid audit query: {0}")]
    InvalidQuery(String),
}

/// Why a re-identification or erasure returned nothing.
#[derive(Debug, thiserror::Error)]
pub enum ReidentifyError {
    #[error("a non-empty reason is required to re-identify or erase")]
    MissingReason,
    #[error("reason is longer than {max} characters")]
    ReasonTooLong { max: usize },
    #[error("too many tokens in one call ({count}, at most {max})")]
    TooManyTokens { count: usize, max: usize },
    /// The `String` describes the value's shape (its length), never the value.
    #[error("not a piiflow token: {0}")]
    MalformedToken(String),
    #[error("audit write failed, nothing was revealed: {0}")]
    AuditFailed(#[source] AuditError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("JSON nesting deeper than {0} levels")]
    TooDeep(usize),
}

impl ReidentifyError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::MissingReason
            | Self::ReasonTooLong { .. }
            | Self::TooManyTokens { .. }
            | Self::TooDeep(_)
            | Self::MalformedToken(_) => ErrorKind::InvalidInput,
            Self::AuditFailed(_) => ErrorKind::Unavailable,
            Self::Vault(e) => e.kind(),
        }
    }

    /// A message any caller may see: the `Display` text can quote a value a caller pasted
    /// by mistake (a malformed token may be an original), this never does.
    pub fn public_message(&self) -> String {
        match self {
            // Fixed texts with numbers only.
            Self::MissingReason
            | Self::ReasonTooLong { .. }
            | Self::TooManyTokens { .. }
            | Self::TooDeep(_) => self.to_string(),
            Self::MalformedToken(_) | Self::Vault(VaultError::MalformedToken(_)) => {
                "a value is not a piiflow token".to_string()
            }
            Self::AuditFailed(_) => {
                "the audit trail could not be written; nothing was revealed".to_string()
            }
            Self::Vault(VaultError::Storage(_)) => "the vault is unavailable".to_string(),
            Self::Vault(VaultError::Throttled(_)) => {
                "the vault throttled the request; retry later".to_string()
            }
            Self::Vault(_) => "internal vault or keyring error".to_string(),
        }
    }
}
