//! An in-memory `ApiKeyStore` for tests and throwaway servers.

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::{ApiKeyRecord, ApiKeyStore, AuthError};

#[derive(Debug, Default)]
pub struct MemoryApiKeyStore {
    records: Mutex<BTreeMap<String, ApiKeyRecord>>,
}

impl MemoryApiKeyStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, ApiKeyRecord>> {
        // A panic while holding the lock cannot leave a half-written record: every write is a
        // single map operation. Keep serving.
        self.records.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[async_trait]
impl ApiKeyStore for MemoryApiKeyStore {
    async fn insert(&self, record: ApiKeyRecord) -> Result<(), AuthError> {
        let mut records = self.lock();
        if records.contains_key(&record.key_id) {
            return Err(AuthError::Store(format!("key {} exists", record.key_id)));
        }
        records.insert(record.key_id.clone(), record);
        Ok(())
    }

    async fn get(&self, key_id: &str) -> Result<Option<ApiKeyRecord>, AuthError> {
        Ok(self.lock().get(key_id).cloned())
    }

    async fn list(&self) -> Result<Vec<ApiKeyRecord>, AuthError> {
        Ok(self.lock().values().cloned().collect())
    }

    async fn revoke(&self, key_id: &str) -> Result<bool, AuthError> {
        Ok(self
            .lock()
            .get_mut(key_id)
            .map(|r| r.revoked = true)
            .is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    fn record(id: &str) -> ApiKeyRecord {
        ApiKeyRecord {
            key_id: id.into(),
            name: "n".into(),
            hash: [7; 32],
            scopes: vec![],
            created_at: OffsetDateTime::UNIX_EPOCH,
            revoked: false,
        }
    }

    #[tokio::test]
    async fn insert_never_overwrites() {
        let s = MemoryApiKeyStore::default();
        s.insert(record("a")).await.unwrap();
        assert!(s.insert(record("a")).await.is_err());
        assert_eq!(s.list().await.unwrap().len(), 1);
        assert!(!s.revoke("missing").await.unwrap());
    }
}
