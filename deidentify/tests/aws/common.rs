//! Shared helpers: SDK clients for moto, unique table names, sample items.

use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::config::Credentials;
use deidentify::aws::DynamoDbVault;
use deidentify::{SecretKey, StaticKeyring, VaultItem, seal};
use detect::EntityType;

/// SDK config for the moto server at `PIIFLOW_MOTO_URL`, or `None` (after saying so)
/// when it is not set, so a plain `cargo test` passes without moto.
pub async fn moto() -> Option<aws_config::SdkConfig> {
    let Ok(url) = std::env::var("PIIFLOW_MOTO_URL") else {
        println!("skipped: PIIFLOW_MOTO_URL not set");
        return None;
    };
    Some(
        aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(url)
            .region("us-east-1")
            .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
            .load()
            .await,
    )
}

/// Tables are never reset between tests: each test gets its own.
pub fn table_name(what: &str) -> String {
    format!("piiflow-{what}-{}", uuid::Uuid::new_v4())
}

pub async fn moto_vault() -> Option<(aws_sdk_dynamodb::Client, DynamoDbVault)> {
    let config = moto().await?;
    let client = aws_sdk_dynamodb::Client::new(&config);
    let table = table_name("vault");
    DynamoDbVault::create_table(&client, &table).await.unwrap();
    Some((client.clone(), DynamoDbVault::new(client, table)))
}

pub fn keyring() -> StaticKeyring {
    StaticKeyring::new(
        SecretKey::from_bytes([0x11; 32]),
        SecretKey::from_bytes([0x22; 32]),
    )
}

/// A sealed item for `token` holding `value`.
pub fn item(
    keyring: &StaticKeyring,
    token: &str,
    value: &str,
    created_at: i64,
    ttl: Option<i64>,
) -> VaultItem {
    seal(keyring, token, EntityType::Email, value, created_at, ttl).unwrap()
}

/// Items stored in `table`, counted by the service (expired ones included).
pub async fn count(client: &aws_sdk_dynamodb::Client, table: &str) -> i32 {
    let mut total = 0;
    let mut start = None;
    loop {
        let out = client
            .scan()
            .table_name(table)
            .select(aws_sdk_dynamodb::types::Select::Count)
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .unwrap();
        total += out.count;
        match out.last_evaluated_key {
            Some(k) if !k.is_empty() => start = Some(k),
            _ => return total,
        }
    }
}
