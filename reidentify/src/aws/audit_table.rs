//! Creating the audit table: for tests and local setup.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType,
};

use super::audit_item::{AT, ID, SUB, TRAIL};
use super::sdk_error::unavailable;
use crate::AuditError;

/// The index of one subject's records by time (infra/template.yaml declares the same).
pub(crate) const BY_SUBJECT: &str = "by-subject";
/// The index of all records by time: one partition (`trail`), sorted by `at`.
pub(crate) const BY_TIME: &str = "by-time";

pub(crate) async fn create(client: &Client, table: &str) -> Result<(), AuditError> {
    let build_err = |e: aws_sdk_dynamodb::error::BuildError| {
        AuditError::Unavailable(format!("CreateTable: {e}"))
    };
    client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .set_attribute_definitions(Some(
            [ID, SUB, AT, TRAIL]
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
        .global_secondary_indexes(by_time(BY_SUBJECT, SUB).map_err(build_err)?)
        .global_secondary_indexes(by_time(BY_TIME, TRAIL).map_err(build_err)?)
        .send()
        .await
        .map_err(|e| unavailable("CreateTable", e))?;
    deidentify::aws::wait_active(client, table)
        .await
        .map_err(|e| AuditError::Unavailable(e.to_string()))
}

/// An index partitioned by `partition`, sorted by `at`, holding whole items.
fn by_time(
    name: &str,
    partition: &str,
) -> Result<GlobalSecondaryIndex, aws_sdk_dynamodb::error::BuildError> {
    GlobalSecondaryIndex::builder()
        .index_name(name)
        .key_schema(key(partition, KeyType::Hash)?)
        .key_schema(key(AT, KeyType::Range)?)
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
}

fn key(name: &str, kind: KeyType) -> Result<KeySchemaElement, aws_sdk_dynamodb::error::BuildError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
}
