//! AWS adapters for the vault and keyring ports (feature `aws`).
//!
//! - [`DynamoDbVault`]: [`crate::VaultStore`] on a DynamoDB table keyed by token.
//! - [`KmsKeyring`]: [`crate::Keyring`] whose keys are stored KMS-encrypted in a
//!   [`WrappedKeyring`] (envelope encryption) and decrypted once per cold start.
//! - [`retry_config`] / [`load_sdk_config`]: the SDK retry policy these adapters rely on
//!   for throttling (they do not retry throttled calls themselves).

mod dynamodb_vault;
mod item_codec;
mod kms_keyring;
mod sdk_error;
mod sdk_setup;
mod vault_table;
mod wrapped_keyring;

pub use dynamodb_vault::{DEFAULT_PUT_CONCURRENCY, DynamoDbVault};
pub use kms_keyring::KmsKeyring;
pub use sdk_setup::{load_sdk_config, retry_config};
pub use vault_table::wait_active;
pub use wrapped_keyring::{WrappedKey, WrappedKeyring};
