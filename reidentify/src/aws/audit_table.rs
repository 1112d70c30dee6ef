//! Creating the audit table: for tests and local setup.

use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, TableStatus,
};

use super::audit_item::ID;
use super::sdk_error::unavailable;
use crate::AuditError;

const ACTIVE_TIMEOUT_SECS: u64 = 60;

pub(crate) async fn create(client: &Client, table: &str) -> Result<(), AuditError> {
    let build_err = |e: aws_sdk_dynamodb::error::BuildError| {
        AuditError::Unavailable(format!("CreateTable: {e}"))
    };
    client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(ID)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(build_err)?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name(ID)
                .key_type(KeyType::Hash)
                .build()
                .map_err(build_err)?,
        )
        .send()
        .await
        .map_err(|e| unavailable("CreateTable", e))?;
    for _ in 0..ACTIVE_TIMEOUT_SECS * 5 {
        let out = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| unavailable("DescribeTable", e))?;
        if out.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(AuditError::Unavailable(format!(
        "table {table} did not become ACTIVE within {ACTIVE_TIMEOUT_SECS} s"
    )))
}
