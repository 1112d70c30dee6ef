//! Deterministic HMAC tokens, AES-256-GCM vault items, vault stores and keyrings.

mod canonical;
mod deidentifier;
mod engine;
mod error;
mod file_keyring;
mod find;
mod keys;
mod known_cache;
mod replace;
mod seal;
mod sqlite_vault;
mod static_keyring;
mod token;
mod vault_item;
mod vault_store;

pub use canonical::{CanonicalForm, CanonicalForms};
pub use deidentifier::{DEFAULT_KNOWN_CACHE_CAPACITY, Deidentifier};
pub use engine::{AnonymizedRecord, AnonymizedText, Engine, EngineError, ErrorKind, MaskedRecord};
pub use error::VaultError;
pub use file_keyring::FileKeyring;
pub use find::{FoundToken, find_tokens};
pub use keys::{KeyVersion, Keyring, SecretKey, hash_key};
pub use replace::{SpanError, replace_spans};
pub use seal::{open, seal};
pub use sqlite_vault::{SCHEMA_VERSION, SqliteVault};
pub use static_keyring::StaticKeyring;
pub use token::{TOKEN_DIGEST_BYTES, TOKEN_DIGEST_CHARS, Tokenizer, parse_token};
pub use vault_item::{PutOutcome, VaultItem};
pub use vault_store::VaultStore;
