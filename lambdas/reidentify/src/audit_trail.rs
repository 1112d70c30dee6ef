//! Configuration → the audit trail: DynamoDB on AWS, the embedded SQLite trail locally.

use std::sync::Arc;

use deidentify::sdk::load_sdk_config;
use lambda_common::LambdaError;
use lambda_common::config::AuditConfig;
use reidentify::aws::DynamoDbAuditLog;
use reidentify::{AuditLog, SqliteAuditLog};
use service::Home;

pub async fn open_audit_log(config: &AuditConfig) -> Result<Arc<dyn AuditLog>, LambdaError> {
    Ok(match config {
        AuditConfig::Aws { table } => {
            let sdk = load_sdk_config().await;
            Arc::new(DynamoDbAuditLog::new(
                aws_sdk_dynamodb::Client::new(&sdk),
                table.clone(),
            ))
        }
        AuditConfig::Local { home } => {
            let layout = Home::at(home);
            layout
                .check()
                .map_err(|e| LambdaError::Config(e.to_string()))?;
            Arc::new(SqliteAuditLog::open(&layout.audit()).map_err(|e| {
                LambdaError::Config(format!("audit trail under {}: {e}", home.display()))
            })?)
        }
    })
}
