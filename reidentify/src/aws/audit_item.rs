//! `AuditRecord` ↔ DynamoDB attributes: `id` (partition key, S), `record` (the record's
//! JSON, the source of truth), and copies used for filtering: `sub`, `action` (S), `at`
//! (S, the record's time in UTC with nine fractional digits, so its text order is its time
//! order), `trail` (S, the same on every item: the partition of the time-ordered index) and
//! `tokens` (SS, absent when the record names no token).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::{AuditError, AuditRecord, sortable_time};

/// `at` as index text; a time that does not parse is kept as written.
fn sortable_at(at: &str) -> String {
    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .ok()
        .filter(|t| (0..=9999).contains(&t.to_offset(time::UtcOffset::UTC).year()))
        .map_or_else(|| at.to_string(), sortable_time)
}

pub(crate) const ID: &str = "id";
pub(crate) const RECORD: &str = "record";
pub(crate) const SUB: &str = "sub";
pub(crate) const AT: &str = "at";
pub(crate) const ACTION: &str = "action";
pub(crate) const TOKENS: &str = "tokens";
pub(crate) const TRAIL: &str = "trail";
/// The one value of `trail`.
pub(crate) const TRAIL_VALUE: &str = "audit";

pub(crate) type Attributes = HashMap<String, AttributeValue>;

pub(crate) fn encode(record: &AuditRecord) -> Result<Attributes, AuditError> {
    let json = serde_json::to_string(record).map_err(|e| AuditError::Corrupt(e.to_string()))?;
    let action = serde_json::to_value(record.action)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut map = HashMap::from([
        (ID.to_string(), AttributeValue::S(record.id.clone())),
        (RECORD.to_string(), AttributeValue::S(json)),
        (
            SUB.to_string(),
            AttributeValue::S(record.principal.sub.clone()),
        ),
        (AT.to_string(), AttributeValue::S(sortable_at(&record.at))),
        (
            TRAIL.to_string(),
            AttributeValue::S(TRAIL_VALUE.to_string()),
        ),
        (ACTION.to_string(), AttributeValue::S(action)),
    ]);
    // A string set must not be empty (and holds each token once, which is all a
    // `contains` filter needs).
    if !record.tokens.is_empty() {
        let mut tokens = record.tokens.clone();
        tokens.sort();
        tokens.dedup();
        map.insert(TOKENS.to_string(), AttributeValue::Ss(tokens));
    }
    Ok(map)
}

pub(crate) fn decode(attrs: &Attributes) -> Result<AuditRecord, AuditError> {
    match attrs.get(RECORD) {
        Some(AttributeValue::S(json)) => {
            serde_json::from_str(json).map_err(|e| AuditError::Corrupt(e.to_string()))
        }
        _ => Err(AuditError::Corrupt(format!(
            "audit item {} has no record attribute",
            match attrs.get(ID) {
                Some(AttributeValue::S(id)) => id.as_str(),
                _ => "?",
            }
        ))),
    }
}
