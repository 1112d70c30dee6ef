//! Deterministic HMAC tokens, AES-256-GCM vault items, vault stores and keyrings.
//!
//! - [`Tokenizer`]: `<TYPE>_<32 base32 chars>` from HMAC-SHA256 over the type and the
//!   [`CanonicalForms`] spelling; [`find_tokens`] and [`parse_token`] read them back.
//! - [`seal`] / [`open`]: AES-256-GCM vault items bound to token, type and key version.
//! - [`VaultStore`]: put-if-absent, get, erase; [`SqliteVault`] locally, [`NoVault`] for
//!   engines that only detect or mask.
//! - [`Keyring`]: [`FileKeyring`] (0600 JSON file) locally, [`StaticKeyring`] in memory.
//! - [`Deidentifier`]: tokenize values into a vault, reveal tokens, erase them.

#[cfg(feature = "aws")]
pub mod aws;
mod batch_tokens;
mod canonical;
mod deidentifier;
mod error;
mod file_keyring;
mod find;
mod keys;
mod known_cache;
mod no_vault;
mod replace;
#[cfg(feature = "sdk")]
pub mod sdk;
mod seal;
mod sqlite_vault;
mod static_keyring;
mod static_statement;
mod token;
mod vault_item;
mod vault_store;
mod wal_checkpointer;
mod wrapped_keyring;

pub use canonical::{CanonicalForm, CanonicalForms};
pub use deidentifier::{DEFAULT_KNOWN_CACHE_CAPACITY, Deidentifier, PreparedTokens};
pub use error::{ErrorKind, VaultError};
pub use file_keyring::FileKeyring;
pub use find::{FoundToken, find_tokens, token_spans};
pub use keys::{KeyVersion, Keyring, SecretKey, hash_key};
pub use no_vault::NoVault;
pub use replace::{SpanError, replace_spans};
pub use seal::{open, seal};
pub use sqlite_vault::{SCHEMA_VERSION, SqliteVault};
pub use static_keyring::StaticKeyring;
pub use token::{TOKEN_DIGEST_BYTES, TOKEN_DIGEST_CHARS, Tokenizer, parse_token};
pub use vault_item::{PutOutcome, VaultItem};
pub use vault_store::VaultStore;
pub use wrapped_keyring::{WrappedKey, WrappedKeyring};
