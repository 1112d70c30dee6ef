//! Deterministic HMAC tokens, AES-256-GCM vault items, vault stores and keyrings.

mod error;
mod keys;
mod vault_item;
mod vault_store;

pub use error::VaultError;
pub use keys::{KeyVersion, Keyring, SecretKey};
pub use vault_item::{PutOutcome, VaultItem};
pub use vault_store::VaultStore;
