/// Vault and key failures. Messages name tokens and key versions, never originals or keys.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("token collision: {token} already holds a different value")]
    Collision { token: String },
    #[error("vault item for {token} failed to decrypt (tampered, moved or wrong key)")]
    Decrypt { token: String },
    #[error("no key of version {version} in the keyring")]
    MissingKey { version: u32 },
    #[error("keyring: {0}")]
    Keyring(String),
    #[error("vault storage: {0}")]
    Storage(String),
    #[error("vault corrupt: {0}")]
    Corrupt(String),
    #[error("vault throttled: {0}")]
    Throttled(String),
    #[error("malformed token: {0}")]
    MalformedToken(String),
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

impl VaultError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            VaultError::Collision { .. } => ErrorKind::Conflict,
            VaultError::Throttled(_) => ErrorKind::Throttled,
            VaultError::MalformedToken(_) => ErrorKind::InvalidInput,
            VaultError::Storage(_) => ErrorKind::Unavailable,
            VaultError::Decrypt { .. }
            | VaultError::MissingKey { .. }
            | VaultError::Keyring(_)
            | VaultError::Corrupt(_) => ErrorKind::Internal,
        }
    }
}
