//! Re-identification of vault tokens with an append-only audit trail, and erasure.

mod audit_log;
mod audit_record;
mod audit_time;
#[cfg(feature = "aws")]
pub mod aws;
mod cursor;
mod error;
mod reidentifier;
mod sqlite_audit_log;

pub use audit_log::AuditLog;
pub use audit_record::{
    AccessToken, AuditAction, AuditFilter, AuditRecord, AuditRecords, CallContext, DEFAULT_PAGE,
    MAX_PAGE, Principal,
};
pub use audit_time::{AuditTime, sortable_time};
pub use error::{AuditError, ReidentifyError};
pub use reidentifier::{Audited, MAX_TOKENS_PER_CALL, Reidentifier, Revealed};
pub use sqlite_audit_log::SqliteAuditLog;
