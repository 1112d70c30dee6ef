//! AWS adapter for the audit port (feature `aws`): [`DynamoDbAuditLog`].

mod audit_item;
mod audit_table;
mod dynamodb_audit_log;
mod sdk_error;

pub use dynamodb_audit_log::DynamoDbAuditLog;
