//! The composition root: configuration → vault, keyring, audit trail. The handlers only
//! see the ports (`Deidentifier`, `AuditLog`), so tests hand them in-memory stores.

use std::sync::Arc;

use deidentify::aws::{DynamoDbVault, KmsKeyring, load_sdk_config};
use deidentify::{
    Deidentifier, FileKeyring, Keyring, PutOutcome, SqliteVault, StaticKeyring, VaultError,
    VaultItem, VaultStore, hash_key,
};
use mask::HashKey;
use reidentify::aws::DynamoDbAuditLog;
use reidentify::{AuditLog, SqliteAuditLog};

use crate::LambdaError;
use crate::config::{AuditConfig, VaultConfig};

/// A deidentifier and the keyed-hash key derived from the same keyring.
pub struct Vault {
    pub deidentifier: Arc<Deidentifier>,
    pub hash_key: Option<HashKey>,
}

/// Opens the vault: on AWS this decrypts the keyring with KMS, once per cold start.
pub async fn open_vault(config: &VaultConfig) -> Result<Vault, LambdaError> {
    open(config, false).await
}

/// The vault of the API function, whose role may put items but not read them back.
pub async fn open_put_only_vault(config: &VaultConfig) -> Result<Vault, LambdaError> {
    open(config, true).await
}

async fn open(config: &VaultConfig, put_only: bool) -> Result<Vault, LambdaError> {
    let (keyring, store): (Arc<dyn Keyring>, Arc<dyn VaultStore>) = match config {
        VaultConfig::Aws { table, keyring } => {
            let sdk = load_sdk_config().await;
            let kms = aws_sdk_kms::Client::new(&sdk);
            let keys = KmsKeyring::unwrap(&kms, keyring)
                .await
                .map_err(|e| LambdaError::Config(format!("unwrapping the keyring: {e}")))?;
            let dynamodb = aws_sdk_dynamodb::Client::new(&sdk);
            let mut vault = DynamoDbVault::new(dynamodb, table.clone());
            if put_only {
                vault = vault.write_only();
            }
            (Arc::new(keys), Arc::new(vault))
        }
        VaultConfig::Local { home } => {
            let keyring = FileKeyring::open_or_create(home.join("keyring.json")).map_err(|e| {
                LambdaError::Config(format!("keyring under {}: {e}", home.display()))
            })?;
            let vault = SqliteVault::open(home.join("vault.db"))
                .map_err(|e| LambdaError::Config(format!("vault under {}: {e}", home.display())))?;
            (Arc::new(keyring), Arc::new(vault))
        }
    };
    Ok(with_keyring(keyring, store))
}

pub fn with_keyring(keyring: Arc<dyn Keyring>, store: Arc<dyn VaultStore>) -> Vault {
    let hash_key = HashKey::from_bytes(*hash_key(keyring.as_ref()).expose());
    Vault {
        deidentifier: Arc::new(Deidentifier::new(keyring, store)),
        hash_key: Some(hash_key),
    }
}

/// For detect and mask, which hold no key and no table (least privilege): the engine
/// wants a deidentifier, so it gets one over a throwaway key and a vault that refuses
/// every call. No hash key: a policy with `hash` fails at engine construction, clearly.
pub fn keyless_vault() -> Result<Vault, LambdaError> {
    let keyring = StaticKeyring::generate()
        .map_err(|e| LambdaError::Config(format!("generating a throwaway key: {e}")))?;
    Ok(Vault {
        deidentifier: Arc::new(Deidentifier::new(Arc::new(keyring), Arc::new(NoVault))),
        hash_key: None,
    })
}

pub async fn open_audit_log(config: &AuditConfig) -> Result<Arc<dyn AuditLog>, LambdaError> {
    Ok(match config {
        AuditConfig::Aws { table } => {
            let sdk = load_sdk_config().await;
            Arc::new(DynamoDbAuditLog::new(
                aws_sdk_dynamodb::Client::new(&sdk),
                table.clone(),
            ))
        }
        AuditConfig::Local { home } => {
            Arc::new(SqliteAuditLog::open(&home.join("audit.db")).map_err(|e| {
                LambdaError::Config(format!("audit trail under {}: {e}", home.display()))
            })?)
        }
    })
}

/// The vault of functions that must never touch one.
struct NoVault;

const NO_VAULT: &str = "this function has no vault (only deidentify and reidentify do)";

#[async_trait::async_trait]
impl VaultStore for NoVault {
    async fn put_if_absent(&self, _: Vec<VaultItem>) -> Result<Vec<PutOutcome>, VaultError> {
        Err(VaultError::Storage(NO_VAULT.into()))
    }

    async fn get_many(&self, _: &[String]) -> Result<Vec<Option<VaultItem>>, VaultError> {
        Err(VaultError::Storage(NO_VAULT.into()))
    }

    async fn erase(&self, _: &str) -> Result<bool, VaultError> {
        Err(VaultError::Storage(NO_VAULT.into()))
    }
}
