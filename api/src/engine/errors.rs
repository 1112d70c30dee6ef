//! Engine, re-identification and orchestrator errors as API errors.
//!
//! The engine's messages may quote spans, JSON Pointers (record keys can be personal data)
//! or policy file contents, so clients get a fixed message per kind plus the Step Functions
//! style error name, and nothing the caller's data could have shaped.

use crate::ApiError;
use deidentify::{EngineError, ErrorKind, VaultError};
use reidentify::ReidentifyError;
use statemachine::OrchestratorError;

pub fn engine_error(e: &EngineError) -> ApiError {
    let name = e.error_name();
    match e.kind() {
        ErrorKind::InvalidInput => {
            ApiError::InvalidInput(format!("the input could not be anonymized ({name})"))
        }
        ErrorKind::Throttled => ApiError::Unavailable(format!("throttled, retry later ({name})")),
        ErrorKind::Unavailable => {
            ApiError::Unavailable(format!("a dependency is unavailable ({name})"))
        }
        ErrorKind::Conflict => ApiError::Conflict(format!("vault token collision ({name})")),
        // Internal messages are logged by the API layer; keep them free of data too.
        ErrorKind::Internal => ApiError::Internal(name.to_string()),
    }
}

pub fn reidentify_error(e: ReidentifyError) -> ApiError {
    match e {
        ReidentifyError::MissingReason
        | ReidentifyError::ReasonTooLong { .. }
        | ReidentifyError::TooManyTokens { .. }
        | ReidentifyError::TooDeep(_) => ApiError::InvalidInput(e.to_string()),
        // Not echoed: a caller who pastes an original by mistake must not see it in logs.
        ReidentifyError::MalformedToken(_)
        | ReidentifyError::Vault(VaultError::MalformedToken(_)) => {
            ApiError::InvalidInput("a value is not a piiflow token".into())
        }
        ReidentifyError::AuditFailed(_) => ApiError::Unavailable(
            "the audit trail could not be written; nothing was revealed".into(),
        ),
        ReidentifyError::Vault(VaultError::Storage(_) | VaultError::Throttled(_)) => {
            ApiError::Unavailable("the vault is unavailable".into())
        }
        ReidentifyError::Vault(v) => ApiError::Internal(vault_error_name(&v).into()),
    }
}

fn vault_error_name(e: &VaultError) -> &'static str {
    match e {
        VaultError::Collision { .. } => "vault collision",
        VaultError::Decrypt { .. } => "vault item failed to decrypt",
        VaultError::MissingKey { .. } => "vault key version missing from the keyring",
        VaultError::Keyring(_) => "keyring error",
        VaultError::Corrupt(_) => "vault corrupt",
        _ => "vault error",
    }
}

pub fn orchestrator_error(e: OrchestratorError) -> ApiError {
    match e {
        OrchestratorError::ExecutionDoesNotExist(_) => {
            ApiError::NotFound("no such document run".into())
        }
        OrchestratorError::ExecutionAlreadyExists { .. } => {
            ApiError::Conflict("a run with this name already exists".into())
        }
        OrchestratorError::InvalidName(_) => ApiError::InvalidInput("invalid run id".into()),
        other => ApiError::Internal(other.to_string()),
    }
}

/// A copy of `e` as clients see it, for answering several batch items with one failure
/// (`ApiError` is not `Clone`; internal details are dropped, as on the wire).
pub fn same_error(e: &ApiError) -> ApiError {
    use crate::ApiErrorKind as K;
    let message = e.public_message();
    match e.kind() {
        K::InvalidInput => ApiError::InvalidInput(message),
        K::NotFound => ApiError::NotFound(message),
        K::Conflict => ApiError::Conflict(message),
        K::Unavailable => ApiError::Unavailable(message),
        _ => ApiError::Internal(message),
    }
}
