//! The vault on DynamoDB: one item per token, written put-if-absent.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::{
    KeysAndAttributes, ReturnValue, ReturnValuesOnConditionCheckFailure,
};
use futures::{StreamExt, TryStreamExt, stream};

use super::item_codec::{self, Attributes, ERASED_AT, EXPIRES_AT, Stored, TOKEN};
use super::sdk_error::vault_error;
use super::vault_table;
use crate::{PutOutcome, VaultError, VaultItem, VaultStore};

/// Conditional PutItems in flight at once for one `put_if_absent` call. DynamoDB has
/// no batched conditional put (BatchWriteItem takes no conditions, transactions cost
/// double and fail as a whole), so a batch is this many single puts at a time.
pub const DEFAULT_PUT_CONCURRENCY: usize = 16;

/// BatchGetItem takes at most 100 keys per request.
const BATCH_GET_LIMIT: usize = 100;
/// Rounds for keys DynamoDB left unprocessed (throttling or the 16 MB response cap),
/// with doubling backoff from `UNPROCESSED_BACKOFF_MS`; then the read is `Throttled`.
const UNPROCESSED_ROUNDS: u32 = 8;
const UNPROCESSED_BACKOFF_MS: u64 = 25;
/// A put that failed its condition but whose blocker vanished before we could read it
/// (erased or purged meanwhile) is tried again this many times.
const PUT_RACE_ROUNDS: usize = 3;

/// `attribute_not_exists(token) OR expires_at <= :now`, with `:now` the new item's
/// `created_at`: an expired item counts as absent (TTL purges are lazy), as in
/// `SqliteVault`. An item without `expires_at` never satisfies the second half, and an
/// erasure tombstone has none.
const PUT_CONDITION: &str = "attribute_not_exists(#t) OR #e <= :now";

#[derive(Clone)]
pub struct DynamoDbVault {
    client: Client,
    table: String,
    put_concurrency: usize,
    read_back: bool,
}

impl DynamoDbVault {
    /// A vault on `table`. Throttling retries come from the client's retry config
    /// (see [`crate::sdk::retry_config`]); what is left after them is `VaultError::Throttled`.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
            put_concurrency: DEFAULT_PUT_CONCURRENCY,
            read_back: true,
        }
    }

    /// For a role with PutItem only (the API function): a put that finds the token taken
    /// neither asks for the existing item nor reads it, and answers
    /// [`PutOutcome::Present`]. Reads (`get_many`) are refused by IAM anyway.
    pub fn write_only(mut self) -> Self {
        self.read_back = false;
        self
    }

    /// How many conditional puts one `put_if_absent` keeps in flight (at least 1).
    pub fn with_put_concurrency(mut self, n: usize) -> Self {
        self.put_concurrency = n.max(1);
        self
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Creates an on-demand vault table with TTL on `expires_at` and waits until it is
    /// ACTIVE. For tests and local setup; deployments get the table from CloudFormation.
    pub async fn create_table(client: &Client, table: &str) -> Result<(), VaultError> {
        vault_table::create(client, table).await
    }

    async fn put_one(&self, item: VaultItem) -> Result<PutOutcome, VaultError> {
        let attrs = item_codec::encode(&item);
        let old = if self.read_back {
            ReturnValuesOnConditionCheckFailure::AllOld
        } else {
            ReturnValuesOnConditionCheckFailure::None
        };
        for _ in 0..PUT_RACE_ROUNDS {
            let result = self
                .client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(attrs.clone()))
                .condition_expression(PUT_CONDITION)
                .expression_attribute_names("#t", TOKEN)
                .expression_attribute_names("#e", EXPIRES_AT)
                .expression_attribute_values(
                    ":now",
                    aws_sdk_dynamodb::types::AttributeValue::N(item.created_at.to_string()),
                )
                // Saves the read below where the service supports it.
                .return_values_on_condition_check_failure(old.clone())
                .send()
                .await;
            let err = match result {
                Ok(_) => return Ok(PutOutcome::Inserted),
                Err(err) => err,
            };
            let blocker = match err.as_service_error() {
                Some(PutItemError::ConditionalCheckFailedException(e)) => e.item().cloned(),
                _ => return Err(vault_error("PutItem", err)),
            };
            if !self.read_back {
                return Ok(PutOutcome::Present);
            }
            let existing = match blocker {
                Some(attrs) => Some(attrs),
                None => self.get_consistent(&item.token).await?,
            };
            if let Some(existing) = existing {
                return Ok(match item_codec::decode_stored(&existing)? {
                    Stored::Live(item) => PutOutcome::Exists(item),
                    Stored::Erased => PutOutcome::Erased,
                });
            }
        }
        Err(VaultError::Storage(format!(
            "PutItem {}: the existing item kept changing; try again",
            item.token
        )))
    }

    async fn get_consistent(&self, token: &str) -> Result<Option<Attributes>, VaultError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(item_codec::key(token)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| vault_error("GetItem", e))?;
        Ok(out.item)
    }

    /// One BatchGetItem of at most 100 distinct tokens, with its unprocessed keys
    /// retried until none are left.
    async fn get_chunk(&self, tokens: Vec<String>) -> Result<Vec<Attributes>, VaultError> {
        let mut pending: Vec<Attributes> = tokens.iter().map(|t| item_codec::key(t)).collect();
        let mut found = Vec::with_capacity(tokens.len());
        let mut backoff = Duration::from_millis(UNPROCESSED_BACKOFF_MS);
        for round in 0..=UNPROCESSED_ROUNDS {
            if round > 0 {
                tokio::time::sleep(backoff).await;
                backoff *= 2;
            }
            let request = KeysAndAttributes::builder()
                .set_keys(Some(std::mem::take(&mut pending)))
                .consistent_read(true)
                .build()
                .map_err(|e| VaultError::Storage(format!("BatchGetItem: {e}")))?;
            let out = self
                .client
                .batch_get_item()
                .request_items(&self.table, request)
                .send()
                .await
                .map_err(|e| vault_error("BatchGetItem", e))?;
            if let Some(mut responses) = out.responses {
                found.extend(responses.remove(&self.table).unwrap_or_default());
            }
            pending = out
                .unprocessed_keys
                .and_then(|mut u| u.remove(&self.table))
                .map(|k| k.keys)
                .unwrap_or_default();
            if pending.is_empty() {
                return Ok(found);
            }
        }
        Err(VaultError::Throttled(format!(
            "BatchGetItem: {} keys still unprocessed after {UNPROCESSED_ROUNDS} retries",
            pending.len()
        )))
    }
}

#[async_trait::async_trait]
impl VaultStore for DynamoDbVault {
    async fn put_if_absent(&self, items: Vec<VaultItem>) -> Result<Vec<PutOutcome>, VaultError> {
        // `buffered` (not `buffer_unordered`) keeps outcomes in input order.
        let puts: Vec<_> = items.into_iter().map(|item| self.put_one(item)).collect();
        stream::iter(puts)
            .buffered(self.put_concurrency)
            .try_collect()
            .await
    }

    async fn get_many(&self, tokens: &[String]) -> Result<Vec<Option<VaultItem>>, VaultError> {
        // BatchGetItem refuses duplicate keys in one request.
        let mut seen = HashSet::with_capacity(tokens.len());
        let distinct: Vec<&str> = tokens
            .iter()
            .map(String::as_str)
            .filter(|t| seen.insert(*t))
            .collect();
        // Futures built up front: a closure inside the stream would make the future
        // higher-ranked over the chunk lifetime, which `async_trait`'s `Send` bound rejects.
        let requests: Vec<_> = distinct
            .chunks(BATCH_GET_LIMIT)
            .map(|chunk| self.get_chunk(chunk.iter().map(|t| t.to_string()).collect()))
            .collect();
        let chunks: Vec<Vec<Attributes>> = stream::iter(requests)
            .buffer_unordered(4)
            .try_collect()
            .await?;
        let mut by_token = HashMap::with_capacity(distinct.len());
        for attrs in chunks.iter().flatten() {
            if let Stored::Live(item) = item_codec::decode_stored(attrs)? {
                by_token.insert(item.token.clone(), item);
            }
        }
        Ok(tokens.iter().map(|t| by_token.get(t).cloned()).collect())
    }

    /// One unconditional PutItem of the tombstone over whatever is there: the item and
    /// its ciphertext are gone from the table at once. (Backups and point-in-time recovery
    /// still hold them for their retention; see the README's security model.)
    async fn erase(&self, token: &str) -> Result<bool, VaultError> {
        let erased_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let out = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item_codec::tombstone(token, erased_at)))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(|e| vault_error("PutItem", e))?;
        Ok(out
            .attributes
            .is_some_and(|old| !old.is_empty() && !old.contains_key(ERASED_AT)))
    }
}

impl fmt::Debug for DynamoDbVault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynamoDbVault")
            .field("table", &self.table)
            .field("put_concurrency", &self.put_concurrency)
            .finish_non_exhaustive()
    }
}
