//! API keys: `pfk_<id>_<secret>`. The store keeps only SHA-256 of the whole key, looked up by
//! the non-secret id and compared in constant time, so neither a leaked table nor response
//! timing gives the key away.

use async_trait::async_trait;
use data_encoding::{BASE32_NOPAD, HEXLOWER};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use super::{AuthError, AuthMethod, Identity};

const PREFIX: &str = "pfk_";
const ID_BYTES: usize = 8;
const SECRET_BYTES: usize = 32;

/// One stored key: everything except the key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRecord {
    /// Public identifier, also the key's prefix (`pfk_<key_id>_...`).
    pub key_id: String,
    pub name: String,
    /// SHA-256 of the full plaintext key.
    pub hash: [u8; 32],
    pub scopes: Vec<String>,
    pub created_at: OffsetDateTime,
    pub revoked: bool,
}

/// Where API key records live.
#[async_trait]
pub trait ApiKeyStore: Send + Sync {
    /// Adds a record; an existing `key_id` is an error (`Store`), never overwritten.
    async fn insert(&self, record: ApiKeyRecord) -> Result<(), AuthError>;
    async fn get(&self, key_id: &str) -> Result<Option<ApiKeyRecord>, AuthError>;
    async fn list(&self) -> Result<Vec<ApiKeyRecord>, AuthError>;
    /// Marks a key revoked; false when there is no such key.
    async fn revoke(&self, key_id: &str) -> Result<bool, AuthError>;
}

/// A plaintext key, shown once at creation. Debug does not print it; memory is wiped on drop.
#[derive(Clone, PartialEq, Eq, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
pub struct ApiKeySecret(String);

impl ApiKeySecret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKeySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKeySecret(<redacted>)")
    }
}

/// Result of `create_api_key`: the id to manage the key and the plaintext to hand over.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    pub key_id: String,
    pub plaintext: ApiKeySecret,
}

/// Creates a key with these scopes, stores its hash and returns the plaintext (once).
pub async fn create_api_key(
    store: &dyn ApiKeyStore,
    name: &str,
    scopes: &[String],
) -> Result<NewApiKey, AuthError> {
    let mut id = [0u8; ID_BYTES];
    let mut secret = [0u8; SECRET_BYTES];
    getrandom::fill(&mut id).map_err(|e| AuthError::Key(format!("OS RNG: {e}")))?;
    getrandom::fill(&mut secret).map_err(|e| AuthError::Key(format!("OS RNG: {e}")))?;
    let key_id = HEXLOWER.encode(&id);
    let plaintext = ApiKeySecret(format!(
        "{PREFIX}{key_id}_{}",
        BASE32_NOPAD.encode(&secret).to_ascii_lowercase()
    ));
    zeroize::Zeroize::zeroize(&mut secret);
    store
        .insert(ApiKeyRecord {
            key_id: key_id.clone(),
            name: name.to_string(),
            hash: hash_key(plaintext.expose()),
            scopes: scopes.to_vec(),
            created_at: OffsetDateTime::now_utc(),
            revoked: false,
        })
        .await?;
    Ok(NewApiKey { key_id, plaintext })
}

/// Checks a presented key and returns its principal.
pub async fn verify_api_key(
    store: &dyn ApiKeyStore,
    presented: &str,
) -> Result<Identity, AuthError> {
    let key_id = parse_key_id(presented).ok_or(AuthError::InvalidApiKey)?;
    let presented_hash = hash_key(presented);
    let record = store.get(key_id).await?.ok_or(AuthError::InvalidApiKey)?;
    let same: bool = record.hash.ct_eq(&presented_hash).into();
    if !same || record.revoked {
        return Err(AuthError::InvalidApiKey);
    }
    Ok(Identity {
        sub: format!("apikey:{}", record.key_id),
        client_id: format!("apikey:{}", record.key_id),
        username: Some(record.name),
        scopes: record.scopes,
        via: AuthMethod::ApiKey,
    })
}

pub(crate) fn hash_key(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

fn parse_key_id(key: &str) -> Option<&str> {
    let (id, secret) = key.strip_prefix(PREFIX)?.split_once('_')?;
    let id_ok = id.len() == ID_BYTES * 2 && id.bytes().all(|b| b.is_ascii_hexdigit());
    (id_ok && !secret.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::MemoryApiKeyStore;

    #[tokio::test]
    async fn created_key_verifies_with_its_scopes() {
        let store = MemoryApiKeyStore::default();
        let new = create_api_key(&store, "etl", &["pii/anonymize".into()])
            .await
            .unwrap();
        assert!(
            new.plaintext
                .expose()
                .starts_with(&format!("pfk_{}_", new.key_id))
        );
        let p = verify_api_key(&store, new.plaintext.expose())
            .await
            .unwrap();
        assert_eq!(p.scopes, vec!["pii/anonymize"]);
        assert_eq!(p.via, AuthMethod::ApiKey);
        assert_eq!(p.username.as_deref(), Some("etl"));
        // only the hash is stored
        let rec = store.get(&new.key_id).await.unwrap().unwrap();
        assert_eq!(rec.hash, hash_key(new.plaintext.expose()));
    }

    #[tokio::test]
    async fn wrong_secret_unknown_id_and_revoked_are_refused() {
        let store = MemoryApiKeyStore::default();
        let new = create_api_key(&store, "etl", &[]).await.unwrap();
        let mut wrong = new.plaintext.expose().to_string();
        let last = wrong.pop().unwrap();
        wrong.push(if last == 'a' { 'b' } else { 'a' });
        assert!(matches!(
            verify_api_key(&store, &wrong).await,
            Err(AuthError::InvalidApiKey)
        ));
        assert!(matches!(
            verify_api_key(&store, "pfk_0000000000000000_abc").await,
            Err(AuthError::InvalidApiKey)
        ));
        assert!(matches!(
            verify_api_key(&store, "garbage").await,
            Err(AuthError::InvalidApiKey)
        ));
        assert!(store.revoke(&new.key_id).await.unwrap());
        assert!(matches!(
            verify_api_key(&store, new.plaintext.expose()).await,
            Err(AuthError::InvalidApiKey)
        ));
    }

    #[test]
    fn secret_debug_is_redacted() {
        let s = ApiKeySecret("pfk_x_y".into());
        assert!(!format!("{s:?}").contains("pfk"));
    }
}
