use detect::EntityType;
use serde::{Deserialize, Serialize};

use crate::KeyVersion;

/// One vault entry, keyed by its token. The original is only ever held as ciphertext
/// whose AAD binds it to `token` and `key_version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultItem {
    pub token: String,
    pub entity_type: EntityType,
    pub ciphertext: Vec<u8>,
    pub nonce: [u8; 12],
    pub key_version: KeyVersion,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds; after this the item may be purged (DynamoDB TTL).
    pub expires_at: Option<i64>,
}

/// What a put-if-absent did for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutOutcome {
    Inserted,
    /// An item already sat under that token; it is returned so the caller can check
    /// that it holds the same value (a different one is a token collision).
    Exists(VaultItem),
    /// An item already sits under that token, and this store may not read it (a
    /// write-only role: the internet-facing API must not be able to fetch ciphertexts
    /// it could decrypt). It is taken to hold the same value: the token is a 160-bit
    /// keyed hash of it, and the stores that can read still check.
    Present,
    /// The token was erased: a tombstone sits under it, which no put replaces. The value
    /// keeps its token, but the vault does not store it again, so the token never reveals.
    Erased,
}
