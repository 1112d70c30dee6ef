//! Creating the audit table: for tests and local setup.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType,
};

use super::audit_item::{AT, ID, SUB};
use super::sdk_error::unavailable;
use crate::AuditError;

/// The index of one subject's records by time (infra/template.yaml declares the same).
pub(crate) const BY_SUBJECT: &str = "by-subject";

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
    deidentify::aws::wait_active(client, table)
        .await
        .map_err(|e| AuditError::Unavailable(e.to_string()))
}

fn key(name: &str, kind: KeyType) -> Result<KeySchemaElement, aws_sdk_dynamodb::error::BuildError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
}
