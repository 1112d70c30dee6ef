//! The embedded vault: one SQLite file (WAL mode) keyed by token.
//!
//! The async methods run their SQLite work inline rather than on a blocking thread.
//! Each call is one short transaction (a 1,000-item batch is a few milliseconds, a
//! single lookup is microseconds), so handing it to `spawn_blocking` would cost about as
//! much as it saves, and `block_in_place` panics on the current-thread runtimes that
//! tests and the CLI use. No lock is held across an `.await`.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use detect::EntityType;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, TransactionBehavior, params};

use crate::wal_checkpointer::{WRITER_AUTOCHECKPOINT_FRAMES, WalCheckpointer};
use crate::{PutOutcome, VaultError, VaultItem, VaultStore};

/// Stored in `PRAGMA user_version`; bumped on every incompatible schema change. A piiflow
/// that knows only an older version refuses the file, so none can bypass the tombstones.
pub const SCHEMA_VERSION: i64 = 2;

/// Erased tokens: a put finds its token here and stores nothing. Kept apart from
/// `vault_items` so a tombstone holds no ciphertext column at all.
const ERASED_TOKENS: &str = "
CREATE TABLE erased_tokens (
    token     TEXT    PRIMARY KEY NOT NULL,
    erased_at INTEGER NOT NULL
) WITHOUT ROWID;
";

/// Rows in insertion order (a rowid table) and an index of their tokens. Tokens are HMAC
/// outputs, so fresh values land at random places in any B-tree keyed by token; here that
/// is only the narrow index (~80 entries a page), while the rows, with their ciphertext,
/// are appended to the table's last page. Keyed by token itself (`WITHOUT ROWID`, as vaults
/// made before this layout are), every fresh value rewrote a random page of whole rows.
/// Both layouts answer the same statements, so either opens as the same schema version.
const SCHEMA: &str = "
CREATE TABLE vault_items (
    token       TEXT    NOT NULL UNIQUE,
    entity_type TEXT    NOT NULL,
    ciphertext  BLOB    NOT NULL,
    nonce       BLOB    NOT NULL,
    key_version INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER
);
CREATE INDEX vault_items_expires_at ON vault_items (expires_at) WHERE expires_at IS NOT NULL;
";

/// Put-if-absent. An item whose `expires_at` has passed (by the new item's clock)
/// counts as absent, as in DynamoDB with `attribute_not_exists(token) OR expires_at <
/// :now`: TTL purges are lazy, and an expired original must not block a fresh one.
const INSERT: &str = "
INSERT INTO vault_items (token, entity_type, ciphertext, nonce, key_version, created_at, expires_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (token) DO UPDATE SET
    entity_type = excluded.entity_type,
    ciphertext  = excluded.ciphertext,
    nonce       = excluded.nonce,
    key_version = excluded.key_version,
    created_at  = excluded.created_at,
    expires_at  = excluded.expires_at
WHERE vault_items.expires_at IS NOT NULL AND vault_items.expires_at <= excluded.created_at
";

const IS_ERASED: &str = "SELECT 1 FROM erased_tokens WHERE token = ?1";
const ANY_ERASED: &str = "SELECT EXISTS (SELECT 1 FROM erased_tokens)";

/// Rounds of `wal_checkpoint(TRUNCATE)` after an erasure while the background checkpointer
/// (or another process) holds the checkpoint lock, `CHECKPOINT_RETRY` apart.
const ERASE_CHECKPOINT_ROUNDS: u32 = 200;
const ERASE_CHECKPOINT_RETRY: Duration = Duration::from_millis(50);

const SELECT: &str = "
SELECT token, entity_type, ciphertext, nonce, key_version, created_at, expires_at
FROM vault_items WHERE token = ?1
";

pub struct SqliteVault {
    /// Declared first so that it stops (and closes its connection) before the writer's
    /// connection closes: the last connection to close runs the final checkpoint.
    checkpointer: Option<WalCheckpointer>,
    /// Shared with the checkpointer, which holds it (without using the connection) to keep
    /// writes off while it finishes a round.
    conn: Arc<Mutex<Connection>>,
}

impl SqliteVault {
    /// Opens the vault at `path`, creating the file and schema if needed.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, VaultError> {
        let path = path.as_ref();
        let shown = path.display();
        create_owner_only(path).map_err(|e| VaultError::Storage(format!("{shown}: {e}")))?;
        let conn = Connection::open(path).map_err(|e| storage_error(&e, &shown))?;
        // Another process may hold the write lock for a moment (WAL allows one writer).
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| storage_error(&e, &shown))?;
        // The first real read of the file: a non-SQLite file fails here, as Corrupt.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| storage_error(&e, &shown))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(VaultError::Storage(format!(
                "{}: cannot switch to WAL journal mode (got {mode})",
                path.display()
            )));
        }
        // NORMAL in WAL mode: a power loss can drop the last commits but never corrupts;
        // a retry re-puts them idempotently.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| storage_error(&e, &shown))?;
        // Tokens are HMAC outputs, so inserts land on random B-tree pages: a batch of
        // 1,000 dirties ~1,000 pages once the vault is large. Checkpointing every 1,000
        // pages (the default) meant an fsync'd checkpoint after nearly every batch;
        // every 10,000 pages (~40 MB of WAL) writes each hot page back once per ten
        // batches. That is now the checkpointer thread's job (see `wal_checkpointer`);
        // this auto-checkpoint only runs when the thread cannot be started.
        for (pragma, value) in [
            ("wal_autocheckpoint", 10_000),
            // Checkpointing alongside a steady stream of fresh values, a round's WAL grows
            // to 100-150 MB. Truncating it back to 64 MB after every round (the former
            // limit) took a quarter of the writer's time: ext4 with `discard` discards
            // the freed blocks synchronously, and the next round allocates them again.
            ("journal_size_limit", 256 << 20),
            // 32 MiB of page cache (negative = KiB): the token index of a few million
            // items stays in memory.
            ("cache_size", -32_768),
            // Deleted rows (erasure, expiry) are overwritten with zeros rather than left
            // in the page's free space or on the free list.
            ("secure_delete", 1),
        ] {
            conn.pragma_update(None, pragma, value)
                .map_err(|e| storage_error(&e, &shown))?;
        }
        let mut vault = Self::init(conn, &shown.to_string())?;
        vault.checkpointer = WalCheckpointer::start(path, vault.conn.clone());
        if vault.checkpointer.is_some() {
            vault
                .lock()
                .pragma_update(None, "wal_autocheckpoint", WRITER_AUTOCHECKPOINT_FRAMES)
                .map_err(|e| storage_error(&e, &shown))?;
        }
        Ok(vault)
    }

    /// A private vault that lives as long as the value (tests, one-shot runs).
    pub fn open_in_memory() -> Result<Self, VaultError> {
        let conn = Connection::open_in_memory().map_err(|e| storage_error(&e, ":memory:"))?;
        conn.pragma_update(None, "secure_delete", 1)
            .map_err(|e| storage_error(&e, ":memory:"))?;
        Self::init(conn, ":memory:")
    }

    fn init(mut conn: Connection, name: &str) -> Result<Self, VaultError> {
        let err = |e: rusqlite::Error| storage_error(&e, name);
        let tx = conn.transaction().map_err(err)?;
        let version: i64 = tx
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(err)?;
        let objects: i64 = tx
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(err)?;
        match version {
            0 if objects == 0 => {
                tx.execute_batch(SCHEMA).map_err(err)?;
                tx.execute_batch(ERASED_TOKENS).map_err(err)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                    .map_err(err)?;
            }
            // Version 1 had no tombstones; its erasures were plain deletes.
            1 => {
                check_tables(&tx, name, &["vault_items"])?;
                tx.execute_batch(ERASED_TOKENS).map_err(err)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                    .map_err(err)?;
            }
            0 => {
                return Err(VaultError::Corrupt(format!(
                    "{name} is an SQLite database but not a piiflow vault"
                )));
            }
            SCHEMA_VERSION => check_tables(&tx, name, &["vault_items", "erased_tokens"])?,
            v => {
                return Err(VaultError::Storage(format!(
                    "{name} has vault schema version {v}; this piiflow understands version \
                     {SCHEMA_VERSION} (upgrade piiflow)"
                )));
            }
        }
        tx.commit().map_err(err)?;
        Ok(Self {
            checkpointer: None,
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Deletes items whose `expires_at` is at or before `now`; returns how many.
    pub fn purge_expired(&self, now: i64) -> Result<usize, VaultError> {
        let purged = self
            .lock()
            .execute(
                "DELETE FROM vault_items WHERE expires_at IS NOT NULL AND expires_at <= ?1",
                [now],
            )
            .map_err(|e| storage_error(&e, "vault"))?;
        self.committed();
        Ok(purged)
    }

    /// Number of items stored (expired ones included).
    pub fn len(&self) -> Result<usize, VaultError> {
        self.lock()
            .query_row("SELECT count(*) FROM vault_items", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as usize)
            .map_err(|e| storage_error(&e, "vault"))
    }

    pub fn is_empty(&self) -> Result<bool, VaultError> {
        Ok(self.len()? == 0)
    }

    /// A panic while the lock was held cannot leave a half-done write behind (the open
    /// transaction rolls back as it is dropped), so a poisoned lock is safe to reuse.
    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// After every write: the checkpointer decides whether the WAL needs copying back.
    fn committed(&self) {
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.committed();
        }
    }

    fn put_blocking(&self, items: Vec<VaultItem>) -> Result<Vec<PutOutcome>, VaultError> {
        let err = |e: rusqlite::Error| storage_error(&e, "vault");
        let mut conn = self.lock();
        // IMMEDIATE: the tombstone lookup reads first, and a read transaction that then
        // writes fails at once (no busy wait) when another process committed meanwhile.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut outcomes: Vec<Option<PutOutcome>> = vec![None; items.len()];
        // In key order: tokens are HMAC outputs, so a batch's inserts land all over the
        // B-tree; sorted, each leaf page is found once from its neighbour's path and
        // written while still in the page cache.
        // The order is sorted rather than the items: an item is a hundred bytes or more.
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_unstable_by(|&a, &b| items[a].token.cmp(&items[b].token));
        {
            let mut insert = tx.prepare_cached(INSERT).map_err(err)?;
            let mut select = tx.prepare_cached(SELECT).map_err(err)?;
            let mut is_erased = tx.prepare_cached(IS_ERASED).map_err(err)?;
            // Most vaults have erased nothing: one look at the table then spares a lookup
            // per item (the write lock is held, so no tombstone appears meanwhile).
            let any_erased = tx
                .query_row(ANY_ERASED, [], |r| r.get::<_, bool>(0))
                .map_err(err)?;
            for at in order {
                let item = &items[at];
                let outcome = &mut outcomes[at];
                if any_erased && is_erased.exists([&item.token]).map_err(err)? {
                    *outcome = Some(PutOutcome::Erased);
                    continue;
                }
                let changed = insert
                    .execute(params![
                        item.token,
                        item.entity_type.as_str(),
                        item.ciphertext,
                        &item.nonce[..],
                        item.key_version,
                        item.created_at,
                        item.expires_at,
                    ])
                    .map_err(err)?;
                if changed == 1 {
                    *outcome = Some(PutOutcome::Inserted);
                } else {
                    let existing = select
                        .query_row([&item.token], row_to_item)
                        .map_err(err)??;
                    *outcome = Some(PutOutcome::Exists(existing));
                }
            }
        }
        tx.commit().map_err(err)?;
        drop(conn);
        self.committed();
        Ok(outcomes
            .into_iter()
            .map(|o| o.expect("every item has an outcome"))
            .collect())
    }

    fn get_blocking(&self, tokens: &[String]) -> Result<Vec<Option<VaultItem>>, VaultError> {
        let err = |e: rusqlite::Error| storage_error(&e, "vault");
        let mut conn = self.lock();
        // One read transaction: the whole answer comes from one snapshot.
        let tx = conn.transaction().map_err(err)?;
        let mut out = Vec::with_capacity(tokens.len());
        {
            let mut select = tx.prepare_cached(SELECT).map_err(err)?;
            for token in tokens {
                let item = select
                    .query_row([token], row_to_item)
                    .optional()
                    .map_err(err)?
                    .transpose()?;
                out.push(item);
            }
        }
        tx.commit().map_err(err)?;
        Ok(out)
    }

    /// Deletes the item and writes its tombstone in one transaction, then checkpoints.
    fn erase_blocking(&self, token: &str) -> Result<bool, VaultError> {
        let err = |e: rusqlite::Error| storage_error(&e, "vault");
        let erased_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let deleted = tx
            .execute("DELETE FROM vault_items WHERE token = ?1", [token])
            .map_err(err)?;
        tx.execute(
            "INSERT INTO erased_tokens (token, erased_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![token, erased_at],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        truncate_wal(&conn)?;
        Ok(deleted > 0)
    }
}

/// Copies the WAL back into the database file and truncates it to zero bytes, so that no
/// frame of it holds a page as it was before an erasure (`secure_delete` has zeroed the
/// row in the page's newest version, which the checkpoint writes over the old one). The
/// writer's lock is held, so nothing is appended meanwhile; the background checkpointer
/// or another process may hold the checkpoint lock for a while, hence the retries.
fn truncate_wal(conn: &Connection) -> Result<(), VaultError> {
    for _ in 0..ERASE_CHECKPOINT_ROUNDS {
        let busy: i64 = conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .or_else(|e| match e.sqlite_error_code() {
                Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Ok(1),
                _ => Err(e),
            })
            .map_err(|e| storage_error(&e, "vault"))?;
        if busy == 0 {
            return Ok(());
        }
        std::thread::sleep(ERASE_CHECKPOINT_RETRY);
    }
    Err(VaultError::Throttled(
        "the token is erased, but the write-ahead log could not be truncated while other \
         connections use the vault, so its old pages may still hold the ciphertext; run \
         erase again when the vault is idle"
            .into(),
    ))
}

fn check_tables(
    tx: &rusqlite::Transaction<'_>,
    name: &str,
    tables: &[&str],
) -> Result<(), VaultError> {
    for table in tables {
        let present: bool = tx
            .query_row(
                "SELECT count(*) = 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .map_err(|e| storage_error(&e, name))?;
        if !present {
            return Err(VaultError::Corrupt(format!(
                "{name}: the {table} table is missing"
            )));
        }
    }
    Ok(())
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

/// Reads a row; a value that cannot be a vault item is `Corrupt`, not a panic.
fn row_to_item(r: &Row<'_>) -> rusqlite::Result<Result<VaultItem, VaultError>> {
    let token: String = r.get(0)?;
    let entity_type: String = r.get(1)?;
    let ciphertext: Vec<u8> = r.get(2)?;
    let nonce: Vec<u8> = r.get(3)?;
    let key_version: i64 = r.get(4)?;
    let created_at: i64 = r.get(5)?;
    let expires_at: Option<i64> = r.get(6)?;
    let corrupt = |what: &str| VaultError::Corrupt(format!("item {token}: {what}"));
    let item = (|| {
        Ok(VaultItem {
            entity_type: entity_type
                .parse::<EntityType>()
                .map_err(|_| corrupt("unknown entity type"))?,
            nonce: nonce
                .as_slice()
                .try_into()
                .map_err(|_| corrupt("nonce is not 12 bytes"))?,
            key_version: key_version
                .try_into()
                .map_err(|_| corrupt("key version out of range"))?,
            ciphertext,
            created_at,
            expires_at,
            token: token.clone(),
        })
    })();
    Ok(item)
}

/// Maps SQLite failures to kinds. SQLite messages name tables and columns, never
/// bound values, and only ciphertext is ever bound anyway.
fn storage_error(e: &rusqlite::Error, what: impl std::fmt::Display) -> VaultError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => {
            VaultError::Corrupt(format!("{what} is not a readable piiflow vault: {e}"))
        }
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            VaultError::Throttled(format!("{what} is locked by another writer: {e}"))
        }
        _ => VaultError::Storage(format!("{what}: {e}")),
    }
}

#[async_trait::async_trait]
impl VaultStore for SqliteVault {
    async fn put_if_absent(&self, items: Vec<VaultItem>) -> Result<Vec<PutOutcome>, VaultError> {
        self.put_blocking(items)
    }

    async fn get_many(&self, tokens: &[String]) -> Result<Vec<Option<VaultItem>>, VaultError> {
        self.get_blocking(tokens)
    }

    async fn erase(&self, token: &str) -> Result<bool, VaultError> {
        self.erase_blocking(token)
    }
}

impl std::fmt::Debug for SqliteVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteVault").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vault_file_and_its_wal_and_shm_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let v = SqliteVault::open(dir.path().join("vault.db")).unwrap();
        rt().block_on(v.put_if_absent(vec![item("A", 1, None)]))
            .unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let file = dir.path().join(format!("vault.db{suffix}"));
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }

    fn item(token: &str, byte: u8, expires_at: Option<i64>) -> VaultItem {
        VaultItem {
            token: token.into(),
            entity_type: EntityType::Email,
            ciphertext: vec![byte; 20],
            nonce: [byte; 12],
            key_version: 1,
            created_at: 100,
            expires_at,
        }
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    #[test]
    fn put_if_absent_inserts_once_and_returns_the_existing_item() {
        rt().block_on(async {
            let v = SqliteVault::open_in_memory().unwrap();
            let out = v
                .put_if_absent(vec![item("A", 1, None), item("B", 2, None)])
                .await
                .unwrap();
            assert_eq!(out, [PutOutcome::Inserted, PutOutcome::Inserted]);
            let out = v
                .put_if_absent(vec![item("A", 9, None), item("C", 3, None)])
                .await
                .unwrap();
            assert_eq!(
                out,
                [PutOutcome::Exists(item("A", 1, None)), PutOutcome::Inserted]
            );
            let got = v
                .get_many(&["A".into(), "Z".into(), "C".into()])
                .await
                .unwrap();
            assert_eq!(
                got,
                [Some(item("A", 1, None)), None, Some(item("C", 3, None))]
            );
            assert_eq!(v.len().unwrap(), 3);
        });
    }

    /// The store works in key order; the answers must still follow the request's order.
    #[test]
    fn outcomes_follow_the_order_of_the_items_not_of_their_keys() {
        rt().block_on(async {
            let v = SqliteVault::open_in_memory().unwrap();
            v.put_if_absent(vec![item("M", 1, None), item("E", 5, None)])
                .await
                .unwrap();
            assert!(v.erase("E").await.unwrap());
            let out = v
                .put_if_absent(vec![
                    item("Z", 2, None),
                    item("M", 3, None),
                    item("A", 4, None),
                    item("E", 6, None),
                ])
                .await
                .unwrap();
            assert_eq!(
                out,
                [
                    PutOutcome::Inserted,
                    PutOutcome::Exists(item("M", 1, None)),
                    PutOutcome::Inserted,
                    PutOutcome::Erased,
                ]
            );
            let got = v
                .get_many(&["A".into(), "Z".into(), "M".into()])
                .await
                .unwrap();
            assert_eq!(
                got,
                [
                    Some(item("A", 4, None)),
                    Some(item("Z", 2, None)),
                    Some(item("M", 1, None))
                ]
            );
        });
    }

    #[test]
    fn an_expired_item_counts_as_absent() {
        rt().block_on(async {
            let v = SqliteVault::open_in_memory().unwrap();
            v.put_if_absent(vec![item("A", 1, Some(100)), item("B", 1, Some(101))])
                .await
                .unwrap();
            // New items carry created_at = 100: A has expired by then, B has not.
            let out = v
                .put_if_absent(vec![item("A", 2, None), item("B", 2, None)])
                .await
                .unwrap();
            assert_eq!(out[0], PutOutcome::Inserted);
            assert_eq!(out[1], PutOutcome::Exists(item("B", 1, Some(101))));
            assert_eq!(
                v.get_many(&["A".into()]).await.unwrap()[0],
                Some(item("A", 2, None))
            );
            assert_eq!(v.purge_expired(101).unwrap(), 1);
            assert!(v.get_many(&["B".into()]).await.unwrap()[0].is_none());
        });
    }

    #[test]
    fn erase_deletes_and_leaves_a_tombstone_no_put_replaces() {
        rt().block_on(async {
            let v = SqliteVault::open_in_memory().unwrap();
            v.put_if_absent(vec![item("A", 1, None)]).await.unwrap();
            assert!(v.erase("A").await.unwrap());
            assert!(!v.erase("A").await.unwrap());
            assert!(v.get_many(&["A".into()]).await.unwrap()[0].is_none());
            assert!(v.is_empty().unwrap());
            let out = v
                .put_if_absent(vec![item("A", 2, None), item("B", 2, None)])
                .await
                .unwrap();
            assert_eq!(out, [PutOutcome::Erased, PutOutcome::Inserted]);
            assert!(v.get_many(&["A".into()]).await.unwrap()[0].is_none());
            // Not even once expired-and-absent semantics would let it in, nor before
            // anything was stored under the token.
            assert!(!v.erase("C").await.unwrap());
            let out = v.put_if_absent(vec![item("C", 3, None)]).await.unwrap();
            assert_eq!(out, [PutOutcome::Erased]);
        });
    }

    #[test]
    fn bad_rows_are_corrupt_not_panics() {
        rt().block_on(async {
            let v = SqliteVault::open_in_memory().unwrap();
            v.lock()
                .execute(
                    "INSERT INTO vault_items VALUES ('A', 'no such type', x'00', x'0102', 1, 0, NULL)",
                    [],
                )
                .unwrap();
            let err = v.get_many(&["A".into()]).await.unwrap_err();
            assert!(matches!(err, VaultError::Corrupt(_)), "{err}");
        });
    }

    #[test]
    fn file_vault_sets_wal_and_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.db");
        drop(SqliteVault::open(&path).unwrap());
        let v = SqliteVault::open(&path).unwrap();
        let conn = v.lock();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let ver: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ver, SCHEMA_VERSION);
    }

    #[test]
    fn foreign_databases_and_newer_schemas_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        assert!(matches!(
            SqliteVault::open(&other),
            Err(VaultError::Corrupt(_))
        ));

        let newer = dir.path().join("newer.db");
        drop(SqliteVault::open(&newer).unwrap());
        Connection::open(&newer)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = SqliteVault::open(&newer).unwrap_err();
        assert!(err.to_string().contains("schema version 99"), "{err}");
    }
}
