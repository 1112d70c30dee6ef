use crate::{AuditError, AuditFilter, AuditRecord};

/// The audit port: SQLite locally, DynamoDB on AWS. Append-only: there is no update
/// or delete, and implementations refuse to overwrite an existing id.
#[async_trait::async_trait]
pub trait AuditLog: Send + Sync {
    async fn append(&self, record: &AuditRecord) -> Result<(), AuditError>;

    /// Newest first.
    async fn query(&self, query: &AuditFilter) -> Result<Vec<AuditRecord>, AuditError>;
}
