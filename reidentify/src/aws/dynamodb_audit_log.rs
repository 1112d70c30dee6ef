//! The audit trail on DynamoDB: one item per record, keyed by its id, written once.
//!
//! `query` with a subject reads that subject's records from the `by-subject` index (`sub`,
//! `at`). The index is eventually consistent, so a record written a moment ago may be
//! missing for up to about a second. Without a subject, `query` scans the table (in 1 MB
//! pages). Either way the token filter runs server-side, then the records are sorted
//! newest first and truncated in the process: the stored times have varying fractional
//! digits, so their text order is not their time order.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::fmt;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::AttributeValue;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::audit_item::{self, ID, SUB, TOKENS};
use super::audit_table::{self, BY_SUBJECT};
use super::sdk_error::unavailable;
use crate::{AuditError, AuditFilter, AuditLog, AuditRecord};

/// Records returned when the query sets no limit, and the most it may ask for; the
/// same bounds as `SqliteAuditLog`.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 10_000;

#[derive(Clone)]
pub struct DynamoDbAuditLog {
    client: Client,
    table: String,
}

impl DynamoDbAuditLog {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Creates an on-demand audit table keyed by `id` and waits until it is ACTIVE.
    /// For tests and local setup; deployments get the table from CloudFormation.
    pub async fn create_table(client: &Client, table: &str) -> Result<(), AuditError> {
        audit_table::create(client, table).await
    }
}

/// `at` as a point in time for ordering and `since`. RFC 3339 strings with and without
/// fractional seconds do not sort as text ("…00Z" > "…00.5Z"), so they are parsed.
fn instant(at: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(at, &Rfc3339).ok()
}

#[async_trait::async_trait]
impl AuditLog for DynamoDbAuditLog {
    async fn append(&self, record: &AuditRecord) -> Result<(), AuditError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(audit_item::encode(record)?))
            // Append-only: never replace an existing record, even with itself.
            .condition_expression("attribute_not_exists(#id)")
            .expression_attribute_names("#id", ID)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(err) => match err.as_service_error() {
                Some(PutItemError::ConditionalCheckFailedException(_)) => {
                    Err(AuditError::Duplicate(record.id.clone()))
                }
                _ => Err(unavailable("PutItem", err)),
            },
        }
    }

    async fn query(&self, query: &AuditFilter) -> Result<Vec<AuditRecord>, AuditError> {
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
        let since = match &query.since {
            None => None,
            Some(s) => Some(instant(s).ok_or_else(|| {
                AuditError::Unavailable(format!("since {s:?} is not an RFC 3339 time"))
            })?),
        };

        let mut filters = Vec::new();
        let mut names = HashMap::new();
        let mut values = HashMap::new();
        if let Some(sub) = &query.sub {
            filters.push("#sub = :sub");
            names.insert("#sub".to_string(), SUB.to_string());
            values.insert(":sub".to_string(), AttributeValue::S(sub.clone()));
        }
        if let Some(token) = &query.token {
            filters.push("contains(#tokens, :token)");
            names.insert("#tokens".to_string(), TOKENS.to_string());
            values.insert(":token".to_string(), AttributeValue::S(token.clone()));
        }

        let mut found: Vec<(Option<OffsetDateTime>, AuditRecord)> = Vec::new();
        let mut start_key = None;
        // One subject's records come from its index (reads what that subject did, not the
        // table); without a subject, the table is scanned.
        let by_subject = query.sub.is_some();
        let key_condition = filters.first().copied().filter(|_| by_subject);
        let filter = if by_subject {
            &filters[1..]
        } else {
            &filters[..]
        };
        loop {
            let (items, last_key) = if let Some(condition) = key_condition {
                let mut q = self
                    .client
                    .query()
                    .table_name(&self.table)
                    .index_name(BY_SUBJECT)
                    .key_condition_expression(condition)
                    .set_expression_attribute_names(Some(names.clone()))
                    .set_expression_attribute_values(Some(values.clone()))
                    .set_exclusive_start_key(start_key.take());
                if !filter.is_empty() {
                    q = q.filter_expression(filter.join(" AND "));
                }
                let page = q.send().await.map_err(|e| unavailable("Query", e))?;
                (page.items.unwrap_or_default(), page.last_evaluated_key)
            } else {
                let mut scan = self
                    .client
                    .scan()
                    .table_name(&self.table)
                    .consistent_read(true)
                    .set_exclusive_start_key(start_key.take());
                if !filter.is_empty() {
                    scan = scan
                        .filter_expression(filter.join(" AND "))
                        .set_expression_attribute_names(Some(names.clone()))
                        .set_expression_attribute_values(Some(values.clone()));
                }
                let page = scan.send().await.map_err(|e| unavailable("Scan", e))?;
                (page.items.unwrap_or_default(), page.last_evaluated_key)
            };
            for attrs in &items {
                let record = audit_item::decode(attrs)?;
                let at = instant(&record.at);
                if since.is_some_and(|s| at.is_none_or(|at| at < s)) {
                    continue;
                }
                found.push((at, record));
            }
            match last_key {
                Some(key) if !key.is_empty() => start_key = Some(key),
                _ => break,
            }
        }
        // Newest first; the id breaks ties so the order is stable across calls.
        found.sort_by(|(a_at, a), (b_at, b)| {
            (Reverse(a_at), Reverse(&a.id)).cmp(&(Reverse(b_at), Reverse(&b.id)))
        });
        found.truncate(limit);
        Ok(found.into_iter().map(|(_, r)| r).collect())
    }
}

impl fmt::Debug for DynamoDbAuditLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynamoDbAuditLog")
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}
