//! Exit codes a shell user (or a pipeline) can branch on, after sysexits.h.

use std::process::ExitCode;

use deidentify::{ErrorKind, VaultError};
use reidentify::{AuditError, ReidentifyError};
use service::EngineError;

use crate::chunked_reader::ChunkError;

pub const DATA_ERROR: u8 = 65;
pub const NO_INPUT: u8 = 66;
pub const UNAVAILABLE: u8 = 69;
pub const SOFTWARE: u8 = 70;
pub const IO_ERROR: u8 = 74;
pub const TEMP_FAIL: u8 = 75;
pub const PROTOCOL: u8 = 76;
pub const NO_PERMISSION: u8 = 77;
pub const CONFIG: u8 = 78;

/// Input that cannot be processed as given: the user must fix the data.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DataError(pub String);

/// An input file that is missing or cannot be read as a file (permissions, a symlink
/// loop, a directory).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NoInput(pub String);

/// A local execution that ended failed, with the Step Functions error name it failed on.
#[derive(Debug, thiserror::Error)]
#[error("execution {id} {status}: {error} ({cause})")]
pub struct ExecutionFailed {
    pub id: String,
    pub status: String,
    pub error: String,
    pub cause: String,
}

/// The audit trail could not be opened for a reveal or an erasure: nothing happened.
#[derive(Debug, thiserror::Error)]
#[error("audit write failed, nothing was revealed or erased")]
pub struct AuditUnwritable;

fn kind_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::InvalidInput | ErrorKind::Conflict => DATA_ERROR,
        ErrorKind::Throttled => TEMP_FAIL,
        ErrorKind::Unavailable => UNAVAILABLE,
        ErrorKind::Internal => SOFTWARE,
    }
}

/// Picks the code from the first error in the chain that says what went wrong.
pub fn code_for(err: &anyhow::Error) -> ExitCode {
    // A context, so anyhow's own downcast (which sees contexts) finds it, not the chain.
    if err.downcast_ref::<AuditUnwritable>().is_some() {
        return ExitCode::from(NO_PERMISSION);
    }
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<crate::login::LoginError>() {
            return ExitCode::from(e.exit_code());
        }
        if let Some(e) = cause.downcast_ref::<crate::remote::RemoteError>() {
            return ExitCode::from(e.exit_code());
        }
        if let Some(e) = cause.downcast_ref::<EngineError>() {
            return ExitCode::from(kind_code(e.kind()));
        }
        if let Some(e) = cause.downcast_ref::<ExecutionFailed>() {
            use service::error_names as name;
            let error = e.error.as_str();
            return ExitCode::from(if error == name::INVALID_INPUT || error == name::CONFLICT {
                DATA_ERROR
            } else if error == name::THROTTLED {
                TEMP_FAIL
            } else if error == name::UNAVAILABLE {
                UNAVAILABLE
            } else {
                SOFTWARE
            });
        }
        if let Some(e) = cause.downcast_ref::<AuditError>() {
            return ExitCode::from(match e {
                AuditError::InvalidQuery(_) => DATA_ERROR,
                _ => UNAVAILABLE,
            });
        }
        if let Some(e) = cause.downcast_ref::<VaultError>() {
            return ExitCode::from(match e {
                VaultError::Keyring(_) | VaultError::MissingKey { .. } => CONFIG,
                VaultError::MalformedToken(_) => DATA_ERROR,
                VaultError::Throttled(_) => TEMP_FAIL,
                _ => UNAVAILABLE,
            });
        }
        if let Some(e) = cause.downcast_ref::<ReidentifyError>() {
            return ExitCode::from(match e {
                ReidentifyError::AuditFailed(_) => NO_PERMISSION,
                ReidentifyError::Vault(VaultError::Keyring(_) | VaultError::MissingKey { .. }) => {
                    CONFIG
                }
                ReidentifyError::Vault(v) => match v.kind() {
                    ErrorKind::InvalidInput => DATA_ERROR,
                    ErrorKind::Throttled => TEMP_FAIL,
                    _ => UNAVAILABLE,
                },
                _ => DATA_ERROR,
            });
        }
        if cause.downcast_ref::<NoInput>().is_some() {
            return ExitCode::from(NO_INPUT);
        }
        if cause.downcast_ref::<DataError>().is_some()
            || cause.downcast_ref::<ChunkError>().is_some()
            || cause.downcast_ref::<serde_json::Error>().is_some()
        {
            return ExitCode::from(DATA_ERROR);
        }
        if let Some(e) = cause.downcast_ref::<mask::MaskError>() {
            return ExitCode::from(match e {
                mask::MaskError::UnknownPolicy { .. } | mask::MaskError::InvalidPolicy { .. } => {
                    CONFIG
                }
                _ => DATA_ERROR,
            });
        }
        if let Some(e) = cause.downcast_ref::<std::io::Error>() {
            return ExitCode::from(match e.kind() {
                std::io::ErrorKind::NotFound => NO_INPUT,
                std::io::ErrorKind::PermissionDenied => NO_PERMISSION,
                _ => IO_ERROR,
            });
        }
    }
    ExitCode::FAILURE
}
