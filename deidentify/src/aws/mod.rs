//! AWS adapters for the vault and keyring ports (feature `aws`).
//!
//! - [`DynamoDbVault`]: [`crate::VaultStore`] on a DynamoDB table keyed by token.
//! - [`KmsKeyring`]: [`crate::Keyring`] whose keys are stored KMS-encrypted in a
//!   [`crate::WrappedKeyring`] (envelope encryption) and decrypted once per cold start.
//!
//! They rely on the SDK retry policy of [`crate::sdk`] for throttling (they do not retry
//! throttled calls themselves).

mod dynamodb_vault;
mod item_codec;
mod kms_keyring;
mod sdk_error;
mod vault_table;

pub use dynamodb_vault::{DEFAULT_PUT_CONCURRENCY, DynamoDbVault};
pub use kms_keyring::KmsKeyring;
pub use vault_table::wait_active;
