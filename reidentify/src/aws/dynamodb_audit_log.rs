//! The audit trail on DynamoDB: one item per record, keyed by its id, written once.
//!
//! `query` reads one index newest first: a subject's records from `by-subject` (`sub`,
//! `at`), all records from `by-time` (`trail`, `at`). `since` and `until` are key
//! conditions on `at`, the token a filter, and the page ends where DynamoDB's
//! `LastEvaluatedKey` says, which the cursor carries. The indexes are eventually
//! consistent, so a record written a moment ago may be missing for up to about a second.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::AttributeValue;

use super::audit_item::{self, AT, ID, SUB, TOKENS, TRAIL, TRAIL_VALUE};
use super::audit_table::{self, BY_SUBJECT, BY_TIME};
use super::sdk_error::unavailable;
use crate::{
    AuditError, AuditFilter, AuditLog, AuditRecord, AuditRecords, AuditTime, cursor, sortable_time,
};

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

/// A `LastEvaluatedKey` of `index` as a cursor position, and back: the key attributes of
/// the table and the index, all strings, and nothing else.
fn key_names(partition: &str) -> BTreeSet<&str> {
    BTreeSet::from([ID, AT, partition])
}

fn cursor_of(key: HashMap<String, AttributeValue>) -> Result<String, AuditError> {
    let mut position = BTreeMap::new();
    for (name, value) in key {
        match value {
            AttributeValue::S(s) => position.insert(name, s),
            _ => {
                return Err(AuditError::Corrupt(format!(
                    "non-string key attribute {name}"
                )));
            }
        };
    }
    Ok(cursor::encode(&position))
}

fn start_key(cursor: &str, partition: &str) -> Result<HashMap<String, AttributeValue>, AuditError> {
    let position: BTreeMap<String, String> = cursor::decode(cursor)?;
    if position.keys().map(String::as_str).collect::<BTreeSet<_>>() != key_names(partition) {
        return Err(AuditError::InvalidQuery("invalid `cursor`".into()));
    }
    Ok(position
        .into_iter()
        .map(|(k, v)| (k, AttributeValue::S(v)))
        .collect())
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

    async fn query(&self, filter: &AuditFilter) -> Result<AuditRecords, AuditError> {
        let window = AuditTime::of(filter)?;
        let limit = filter.page_size();
        let (index, partition, value) = match &filter.sub {
            Some(sub) => (BY_SUBJECT, SUB, sub.as_str()),
            None => (BY_TIME, TRAIL, TRAIL_VALUE),
        };
        let mut start = filter
            .cursor
            .as_deref()
            .map(|c| start_key(c, partition))
            .transpose()?;
        if window.is_empty() {
            return Ok(AuditRecords::default());
        }

        let mut names = HashMap::from([("#p".to_string(), partition.to_string())]);
        let mut values = HashMap::from([(":p".to_string(), AttributeValue::S(value.into()))]);
        // `until` is exclusive and `at` has nanoseconds: the last included instant is one
        // nanosecond before it.
        let lo = window.since.map(sortable_time);
        let hi = window
            .until
            .map(|u| sortable_time(u - time::Duration::nanoseconds(1)));
        let time_condition = match (&lo, &hi) {
            (Some(_), Some(_)) => " AND #at BETWEEN :lo AND :hi",
            (Some(_), None) => " AND #at >= :lo",
            (None, Some(_)) => " AND #at <= :hi",
            (None, None) => "",
        };
        if !time_condition.is_empty() {
            names.insert("#at".to_string(), AT.to_string());
        }
        for (name, bound) in [(":lo", lo), (":hi", hi)] {
            if let Some(bound) = bound {
                values.insert(name.to_string(), AttributeValue::S(bound));
            }
        }
        if let Some(token) = &filter.token {
            names.insert("#tokens".to_string(), TOKENS.to_string());
            values.insert(":token".to_string(), AttributeValue::S(token.clone()));
        }

        let mut page = AuditRecords::default();
        loop {
            // At most as many items as the page still holds are evaluated, so every item
            // up to `LastEvaluatedKey` is either returned or filtered out: the next page
            // starts exactly after this one.
            let want = (limit - page.records.len()) as i32;
            let mut q = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(index)
                .key_condition_expression(format!("#p = :p{time_condition}"))
                .set_expression_attribute_names(Some(names.clone()))
                .set_expression_attribute_values(Some(values.clone()))
                .scan_index_forward(false)
                .limit(want)
                .set_exclusive_start_key(start.take());
            if filter.token.is_some() {
                q = q.filter_expression("contains(#tokens, :token)");
            }
            let out = q.send().await.map_err(|e| unavailable("Query", e))?;
            for attrs in out.items() {
                page.records.push(audit_item::decode(attrs)?);
            }
            match out.last_evaluated_key {
                Some(key) if !key.is_empty() => {
                    if page.records.len() < limit {
                        start = Some(key);
                    } else {
                        page.next_cursor = Some(cursor_of(key)?);
                        break;
                    }
                }
                _ => break,
            }
        }
        Ok(page)
    }
}

impl fmt::Debug for DynamoDbAuditLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynamoDbAuditLog")
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}
