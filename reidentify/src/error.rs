use deidentify::VaultError;

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("audit trail unavailable: {0}")]
    Unavailable(String),
    #[error("audit record {0} already exists (the trail is append-only)")]
    Duplicate(String),
    #[error("audit trail corrupt: {0}")]
    Corrupt(String),
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
    #[error("not a piiflow token: {0}")]
    MalformedToken(String),
    #[error("audit write failed, nothing was revealed: {0}")]
    AuditFailed(#[source] AuditError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("JSON nesting deeper than {0} levels")]
    TooDeep(usize),
}
