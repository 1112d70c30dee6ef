//! A SQLite `ApiKeyStore` (the local default, next to the vault under `.piiflow/`).

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{ApiKeyRecord, ApiKeyStore, AuthError};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS api_keys (
    key_id     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    hash       BLOB NOT NULL,
    scopes     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);";

#[derive(Clone)]
pub struct SqliteApiKeyStore {
    conn: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for SqliteApiKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteApiKeyStore")
    }
}

impl SqliteApiKeyStore {
    pub fn open(path: impl AsRef<Path>) -> Result<Self, AuthError> {
        let path = path.as_ref();
        create_owner_only(path)
            .map_err(|e| AuthError::Store(format!("cannot create {}: {e}", path.display())))?;
        Self::init(Connection::open(path).map_err(store_err)?)
    }

    pub fn open_in_memory() -> Result<Self, AuthError> {
        Self::init(Connection::open_in_memory().map_err(store_err)?)
    }

    fn init(conn: Connection) -> Result<Self, AuthError> {
        conn.execute_batch(SCHEMA).map_err(store_err)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs a blocking SQLite call off the async workers.
    async fn with_conn<T, F>(&self, f: F) -> Result<T, AuthError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, AuthError> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&guard)
        })
        .await
        .map_err(|e| AuthError::Store(format!("task failed: {e}")))?
    }
}

fn store_err(e: rusqlite::Error) -> AuthError {
    AuthError::Store(e.to_string())
}

fn row_to_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<ApiKeyRecord> {
    let hash: Vec<u8> = row.get(2)?;
    let scopes: String = row.get(3)?;
    let created: String = row.get(4)?;
    let bad = |i, msg: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            msg.to_string().into(),
        )
    };
    Ok(ApiKeyRecord {
        key_id: row.get(0)?,
        name: row.get(1)?,
        hash: hash
            .try_into()
            .map_err(|_| bad(2, "hash is not 32 bytes"))?,
        scopes: scopes.split_whitespace().map(str::to_string).collect(),
        created_at: OffsetDateTime::parse(&created, &Rfc3339)
            .map_err(|_| bad(4, "created_at is not RFC 3339"))?,
        revoked: row.get::<_, i64>(5)? != 0,
    })
}

#[async_trait]
impl ApiKeyStore for SqliteApiKeyStore {
    async fn insert(&self, record: ApiKeyRecord) -> Result<(), AuthError> {
        if record
            .scopes
            .iter()
            .any(|s| s.contains(char::is_whitespace))
        {
            return Err(AuthError::Store("scopes must not contain spaces".into()));
        }
        let created = record
            .created_at
            .format(&Rfc3339)
            .map_err(|e| AuthError::Store(e.to_string()))?;
        self.with_conn(move |c| {
            c.execute(
                "INSERT INTO api_keys (key_id, name, hash, scopes, created_at, revoked)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    record.key_id,
                    record.name,
                    record.hash.as_slice(),
                    record.scopes.join(" "),
                    created,
                    record.revoked as i64
                ],
            )
            .map(|_| ())
            .map_err(store_err)
        })
        .await
    }

    async fn get(&self, key_id: &str) -> Result<Option<ApiKeyRecord>, AuthError> {
        let key_id = key_id.to_string();
        self.with_conn(move |c| {
            c.query_row(
                "SELECT key_id, name, hash, scopes, created_at, revoked
                 FROM api_keys WHERE key_id = ?1",
                [key_id],
                row_to_record,
            )
            .optional()
            .map_err(store_err)
        })
        .await
    }

    async fn list(&self) -> Result<Vec<ApiKeyRecord>, AuthError> {
        self.with_conn(|c| {
            let mut stmt = c
                .prepare(
                    "SELECT key_id, name, hash, scopes, created_at, revoked
                     FROM api_keys ORDER BY created_at, key_id",
                )
                .map_err(store_err)?;
            let rows = stmt.query_map([], row_to_record).map_err(store_err)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(store_err)
        })
        .await
    }

    async fn revoke(&self, key_id: &str) -> Result<bool, AuthError> {
        let key_id = key_id.to_string();
        self.with_conn(move |c| {
            c.execute(
                "UPDATE api_keys SET revoked = 1 WHERE key_id = ?1",
                [key_id],
            )
            .map(|n| n > 0)
            .map_err(store_err)
        })
        .await
    }
}

/// Creates the database file owner-only (0600) if it is not there yet. SQLite creates the
/// `-wal` and `-shm` files with the mode of the database file, so they are 0600 too;
/// left to SQLite, all three would get the umask's mode (0644 as a rule).
fn create_owner_only(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{create_api_key, verify_api_key};

    #[tokio::test]
    async fn the_key_file_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("api-keys.db");
        let store = SqliteApiKeyStore::open(&path).unwrap();
        create_api_key(&store, "auditor", &["pii/reidentify".into()])
            .await
            .unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[tokio::test]
    async fn keys_survive_reopening_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.sqlite");
        let new = {
            let store = SqliteApiKeyStore::open(&path).unwrap();
            create_api_key(&store, "auditor", &["pii/reidentify".into()])
                .await
                .unwrap()
        };
        let store = SqliteApiKeyStore::open(&path).unwrap();
        let p = verify_api_key(&store, new.plaintext.expose())
            .await
            .unwrap();
        assert_eq!(p.scopes, vec!["pii/reidentify"]);
        let listed = store.list().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].name, "auditor");
        // The plaintext is nowhere in the file.
        let bytes = std::fs::read(&path).unwrap();
        let secret = new.plaintext.expose().as_bytes();
        assert!(!bytes.windows(secret.len()).any(|w| w == secret));
    }

    #[tokio::test]
    async fn duplicate_ids_and_revocation() {
        let store = SqliteApiKeyStore::open_in_memory().unwrap();
        let rec = ApiKeyRecord {
            key_id: "0011223344556677".into(),
            name: "x".into(),
            hash: [1; 32],
            scopes: vec!["a".into(), "b".into()],
            created_at: OffsetDateTime::UNIX_EPOCH,
            revoked: false,
        };
        store.insert(rec.clone()).await.unwrap();
        assert!(store.insert(rec.clone()).await.is_err());
        assert_eq!(store.get(&rec.key_id).await.unwrap(), Some(rec.clone()));
        assert!(store.revoke(&rec.key_id).await.unwrap());
        assert!(store.get(&rec.key_id).await.unwrap().unwrap().revoked);
        assert!(!store.revoke("nope").await.unwrap());
    }
}
