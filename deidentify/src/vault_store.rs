use crate::{PutOutcome, VaultError, VaultItem};

/// The vault port: SQLite locally, DynamoDB on AWS.
#[async_trait::async_trait]
pub trait VaultStore: Send + Sync {
    /// Writes every item that is not there yet, in as few round trips as the store
    /// allows; never overwrites a live item or an erasure tombstone (the outcome is then
    /// [`PutOutcome::Erased`]). An item whose `expires_at` is at or before
    /// the new item's `created_at` counts as absent (TTL purges are lazy, in DynamoDB
    /// too: condition `attribute_not_exists(token) OR expires_at <= :created_at`).
    /// Outcomes are in the order of `items`.
    async fn put_if_absent(&self, items: Vec<VaultItem>) -> Result<Vec<PutOutcome>, VaultError>;

    /// Strongly consistent reads; results are in the order of `tokens`. An erased token
    /// reads as `None`, as one never stored.
    async fn get_many(&self, tokens: &[String]) -> Result<Vec<Option<VaultItem>>, VaultError>;

    /// Crypto-shredding: replaces whatever sits under `token` with a tombstone that no
    /// later put replaces, so the token can never be reversed again, even when the same
    /// value is tokenized anew. The tombstone is written whether or not an item was there.
    /// `true` if a live (not yet erased) item was there.
    async fn erase(&self, token: &str) -> Result<bool, VaultError>;
}
