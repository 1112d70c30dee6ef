//! Creating the audit table: for tests and local setup.

use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TableStatus,
};

use super::audit_item::{AT, ID, SUB};

/// The index of one subject's records by time (infra/template.yaml declares the same).
pub(crate) const BY_SUBJECT: &str = "by-subject";
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
        .set_attribute_definitions(Some(
            [ID, SUB, AT]
                .into_iter()
                .map(|name| {
                    AttributeDefinition::builder()
                        .attribute_name(name)
                        .attribute_type(ScalarAttributeType::S)
                        .build()
                })
                .collect::<Result<_, _>>()
                .map_err(build_err)?,
        ))
        .key_schema(key(ID, KeyType::Hash).map_err(build_err)?)
        .global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(BY_SUBJECT)
                .key_schema(key(SUB, KeyType::Hash).map_err(build_err)?)
                .key_schema(key(AT, KeyType::Range).map_err(build_err)?)
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
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

fn key(name: &str, kind: KeyType) -> Result<KeySchemaElement, aws_sdk_dynamodb::error::BuildError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
}
