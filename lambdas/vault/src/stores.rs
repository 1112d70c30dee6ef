//! Configuration → vault and keyring: DynamoDB with a KMS-wrapped keyring (decrypted once
//! per cold start), or the embedded SQLite vault and file keyring of `piiflow`.

use std::sync::Arc;

use deidentify::aws::{DynamoDbVault, KmsKeyring};
use deidentify::sdk::load_sdk_config;
use deidentify::{FileKeyring, Keyring, SqliteVault, VaultStore};
use lambda_common::config::{VaultConfig, parse_keyring};
use lambda_common::{LambdaError, Vault, with_keyring};
use service::Home;

/// Opens the vault: on AWS this decrypts the keyring with KMS, once per cold start.
pub async fn open_vault(config: &VaultConfig) -> Result<Vault, LambdaError> {
    open(config, false).await
}

/// The vault of the API function, whose role may put items but not read them back.
pub async fn open_put_only_vault(config: &VaultConfig) -> Result<Vault, LambdaError> {
    open(config, true).await
}

async fn open(config: &VaultConfig, put_only: bool) -> Result<Vault, LambdaError> {
    let resolved;
    let config = match config {
        VaultConfig::AwsParameter {
            table,
            parameter,
            data_key_id,
        } => {
            resolved = keyring_from_parameter(table, parameter, data_key_id.as_deref()).await?;
            &resolved
        }
        other => other,
    };
    let (keyring, store): (Arc<dyn Keyring>, Arc<dyn VaultStore>) = match config {
        VaultConfig::AwsParameter { .. } => unreachable!("resolved above"),
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
            let layout = Home::at(home);
            layout
                .check()
                .map_err(|e| LambdaError::Config(e.to_string()))?;
            let keyring = FileKeyring::open_or_create(layout.keyring()).map_err(|e| {
                LambdaError::Config(format!("keyring under {}: {e}", home.display()))
            })?;
            let vault = SqliteVault::open(layout.vault())
                .map_err(|e| LambdaError::Config(format!("vault under {}: {e}", home.display())))?;
            (Arc::new(keyring), Arc::new(vault))
        }
    };
    Ok(with_keyring(keyring, store))
}

/// Reads the wrapped keyring from its SSM SecureString parameter (`KEYRING_PARAMETER`).
pub async fn keyring_from_parameter(
    table: &str,
    parameter: &str,
    data_key_id: Option<&str>,
) -> Result<VaultConfig, LambdaError> {
    let sdk = load_sdk_config().await;
    let ssm = aws_sdk_ssm::Client::new(&sdk);
    let out = ssm
        .get_parameter()
        .name(parameter)
        .with_decryption(true)
        .send()
        .await
        .map_err(|e| {
            LambdaError::Config(format!(
                "reading the keyring parameter {parameter}: {}",
                aws_sdk_ssm::error::DisplayErrorContext(&e)
            ))
        })?;
    let text = out.parameter.and_then(|p| p.value).unwrap_or_default();
    let mut keyring = parse_keyring(&text)?;
    // As with KEYRING_CIPHERTEXT: the stack's key is authoritative.
    if let Some(id) = data_key_id {
        keyring.kms_key_id = id.to_owned();
    }
    Ok(VaultConfig::Aws {
        table: table.to_owned(),
        keyring,
    })
}
