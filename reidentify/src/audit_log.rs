use crate::{AuditError, AuditFilter, AuditRecord, AuditRecords};

/// The audit port: SQLite locally, DynamoDB on AWS. Append-only: there is no update
/// or delete, and implementations refuse to overwrite an existing id.
#[async_trait::async_trait]
pub trait AuditLog: Send + Sync {
    async fn append(&self, record: &AuditRecord) -> Result<(), AuditError>;

    /// One page of the records the filter selects, newest first, and the cursor of the
    /// next page: following cursors yields every selected record exactly once.
    async fn query(&self, filter: &AuditFilter) -> Result<AuditRecords, AuditError>;
}
