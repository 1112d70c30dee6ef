//! Creating the vault table: for tests and local setup (production tables come from
//! the CloudFormation template).

use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, TableStatus,
    TimeToLiveSpecification,
};

use super::item_codec::{EXPIRES_AT, TOKEN};
use super::sdk_error::vault_error;
use crate::VaultError;

/// How long to wait for a new table to become ACTIVE (seconds, polled every 200 ms).
const ACTIVE_TIMEOUT_SECS: u64 = 60;

/// On-demand table keyed by `token`, with DynamoDB TTL on `expires_at` so expired
/// originals are eventually purged (reads and put-if-absent already treat them as gone).
pub(crate) async fn create(client: &Client, table: &str) -> Result<(), VaultError> {
    client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(TOKEN)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(|e| VaultError::Storage(format!("CreateTable: {e}")))?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name(TOKEN)
                .key_type(KeyType::Hash)
                .build()
                .map_err(|e| VaultError::Storage(format!("CreateTable: {e}")))?,
        )
        .send()
        .await
        .map_err(|e| vault_error("CreateTable", e))?;
    wait_active(client, table).await?;
    client
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name(EXPIRES_AT)
                .build()
                .map_err(|e| VaultError::Storage(format!("UpdateTimeToLive: {e}")))?,
        )
        .send()
        .await
        .map_err(|e| vault_error("UpdateTimeToLive", e))?;
    Ok(())
}

/// Waits until a just-created table (any table: the audit trail's too) is ACTIVE.
pub async fn wait_active(client: &Client, table: &str) -> Result<(), VaultError> {
    for _ in 0..ACTIVE_TIMEOUT_SECS * 5 {
        let out = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| vault_error("DescribeTable", e))?;
        if out.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(VaultError::Storage(format!(
        "table {table} did not become ACTIVE within {ACTIVE_TIMEOUT_SECS} s"
    )))
}
