//! The embedded vault: one SQLite file (WAL mode) keyed by token.
//!
//! The async methods run their SQLite work inline rather than on a blocking thread.
//! Each call is one short transaction (a 1,000-item batch is a few milliseconds, a
//! single lookup is microseconds), so handing it to `spawn_blocking` would cost about as
//! much as it saves, and `block_in_place` panics on the current-thread runtimes that
//! tests and the CLI use. No lock is held across an `.await`.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use detect::EntityType;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, TransactionBehavior, params};

use crate::static_statement::{Param, StaticStatement};
use crate::wal_checkpointer::{WRITER_AUTOCHECKPOINT_FRAMES, WalCheckpointer};
use crate::{PutOutcome, VaultError, VaultItem, VaultStore};

/// Stored in `PRAGMA user_version`; bumped on every incompatible schema change. A piiflow
/// that knows only an older version refuses the file, so none can bypass the tombstones.
/// Version 3 indexes 64 bits of each token rather than the token (see [`SCHEMA`]); files
/// of version 2 keep their unique token index and are read and written as before.
pub const SCHEMA_VERSION: i64 = 3;

/// Erased tokens: a put finds its token here and stores nothing. Kept apart from
/// `vault_items` so a tombstone holds no ciphertext column at all.
const ERASED_TOKENS: &str = "
CREATE TABLE erased_tokens (
    token     TEXT    PRIMARY KEY NOT NULL,
    erased_at INTEGER NOT NULL
) WITHOUT ROWID;
";

/// Rows in insertion order (a rowid table) and a unique index of their tokens' keys
/// ([`token_key`]: 64 bits of the token's digest). Tokens are HMAC outputs, so fresh values
/// land at random places in any B-tree keyed by token; here that is only the narrow index,
/// while the rows, with their ciphertext, are appended to the table's last page. A commit
/// of fresh values rewrites nearly every leaf of that index (a piece of 8,192 records puts
/// ~35,000 values into it), so its size is most of what a commit writes to the WAL and
/// what the checkpoint copies back: an index of whole tokens (version 2, 40-odd bytes an
/// entry) was three quarters of the WAL's frames, one of keys takes ~17 bytes an entry.
///
/// Two tokens may share a key, however rarely (one pair in a vault of billions): the key
/// goes to the first, and the other is stored without one (`token_key` NULL) and found
/// by the small partial index of such rows. Every token has one row at most: a put looks
/// among the keyless rows first whenever there are any.
const SCHEMA: &str = "
CREATE TABLE vault_items (
    token       TEXT    NOT NULL,
    entity_type TEXT    NOT NULL,
    ciphertext  BLOB    NOT NULL,
    nonce       BLOB    NOT NULL,
    key_version INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER,
    token_key   INTEGER
);
CREATE UNIQUE INDEX vault_items_token_key ON vault_items (token_key);
CREATE INDEX vault_items_keyless ON vault_items (token) WHERE token_key IS NULL;
CREATE INDEX vault_items_expires_at ON vault_items (expires_at) WHERE expires_at IS NOT NULL;
";

/// The statements of one layout.
struct Statements {
    /// Put-if-absent of `?1` (with the key `?8` in version 3): changes no row if one
    /// holds the token, unless that row has expired, which it then replaces. An item whose
    /// `expires_at` has passed (by the new item's clock) counts as absent, as in DynamoDB
    /// with `attribute_not_exists(token) OR expires_at < :now`: TTL purges are lazy, and
    /// an expired original must not block a fresh one.
    put: &'static str,
    /// The row of `?1` (and key `?2` in version 3).
    select: &'static str,
    delete: &'static str,
    /// Version 3's keyless rows: whether there are any, and the statements above for them.
    keyless: Option<Keyless>,
}

struct Keyless {
    any: &'static str,
    /// `put` for a keyless row, which only this token's row can block.
    replace_expired: &'static str,
    select: &'static str,
    delete: &'static str,
}

/// A version 3 put's head, before its rows of values.
macro_rules! insert_by_key {
    () => {
        "
INSERT INTO vault_items
    (token, entity_type, ciphertext, nonce, key_version, created_at, expires_at, token_key)
VALUES "
    };
}

/// A version 3 put's tail, after its rows of values: see [`Statements::put`].
macro_rules! upsert_by_key {
    () => {
        "
ON CONFLICT (token_key) DO UPDATE SET
    entity_type = excluded.entity_type,
    ciphertext  = excluded.ciphertext,
    nonce       = excluded.nonce,
    key_version = excluded.key_version,
    created_at  = excluded.created_at,
    expires_at  = excluded.expires_at
WHERE vault_items.token = excluded.token
    AND vault_items.expires_at IS NOT NULL AND vault_items.expires_at <= excluded.created_at
"
    };
}

/// Version 3.
const BY_KEY: Statements = Statements {
    put: concat!(
        insert_by_key!(),
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        upsert_by_key!()
    ),
    select: "
SELECT token, entity_type, ciphertext, nonce, key_version, created_at, expires_at
FROM vault_items WHERE token_key = ?2 AND token = ?1
",
    delete: "DELETE FROM vault_items WHERE token_key = ?2 AND token = ?1",
    keyless: Some(Keyless {
        any: "SELECT EXISTS (SELECT 1 FROM vault_items WHERE token_key IS NULL)",
        replace_expired: "
UPDATE vault_items SET
    entity_type = ?2, ciphertext = ?3, nonce = ?4, key_version = ?5, created_at = ?6,
    expires_at = ?7
WHERE token_key IS NULL AND token = ?1 AND expires_at IS NOT NULL AND expires_at <= ?6
",
        select: "
SELECT token, entity_type, ciphertext, nonce, key_version, created_at, expires_at
FROM vault_items WHERE token_key IS NULL AND token = ?1
",
        delete: "DELETE FROM vault_items WHERE token_key IS NULL AND token = ?1",
    }),
};

/// Versions 1 and 2: a unique index of tokens (or a table keyed by token).
const BY_TOKEN: Statements = Statements {
    put: "
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
",
    select: "
SELECT token, entity_type, ciphertext, nonce, key_version, created_at, expires_at
FROM vault_items WHERE token = ?1
",
    delete: "DELETE FROM vault_items WHERE token = ?1",
    keyless: None,
};

/// A token's key in version 3: the value of its last 13 characters as base32 digits,
/// the first one's top bit dropped, so for a token 64 of its digest's 160 random bits.
/// Any other string gets a key too (a character outside the alphabet counts as its low
/// five bits), so that every token stored has a row like any other.
fn token_key(token: &str) -> i64 {
    let bytes = token.as_bytes();
    let tail = &bytes[bytes.len().saturating_sub(13)..];
    let key = tail.iter().fold(0u64, |key, &c| {
        let digit = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => c & 31,
        };
        (key << 5) | u64::from(digit)
    });
    key as i64
}

/// Items a version 3 put writes with one statement while the vault holds neither
/// tombstones nor keyless rows. Running a statement (cursors opened on the table and its
/// three indexes, walked down from their roots, closed again) is a third of the
/// instructions of putting fresh items one statement each; a statement of 32 rows does it
/// once for all of them, and the rows still go in key order.
const PUT_ROWS: usize = 32;

/// [`BY_KEY`]'s put of [`PUT_ROWS`] items, each of the eight parameters of one after another.
fn put_rows() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; PUT_ROWS].join(", ");
        format!("{}{rows}{}", insert_by_key!(), upsert_by_key!())
    })
}

const IS_ERASED: &str = "SELECT 1 FROM erased_tokens WHERE token = ?1";
const ANY_ERASED: &str = "SELECT EXISTS (SELECT 1 FROM erased_tokens)";

/// Rounds of `wal_checkpoint(TRUNCATE)` after an erasure while the background checkpointer
/// (or another process) holds the checkpoint lock, `CHECKPOINT_RETRY` apart.
const ERASE_CHECKPOINT_ROUNDS: u32 = 200;
const ERASE_CHECKPOINT_RETRY: Duration = Duration::from_millis(50);

pub struct SqliteVault {
    /// Declared first so that it stops (and closes its connection) before the writer's
    /// connection closes: the last connection to close runs the final checkpoint.
    checkpointer: Option<WalCheckpointer>,
    /// Shared with the checkpointer, which holds it (without using the connection) to keep
    /// writes off while it finishes a round.
    conn: Arc<Mutex<Connection>>,
    /// Version 3's index of token keys, or the unique token index of versions 1 and 2.
    statements: &'static Statements,
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
        let by_key = match version {
            0 if objects == 0 => {
                tx.execute_batch(SCHEMA).map_err(err)?;
                tx.execute_batch(ERASED_TOKENS).map_err(err)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                    .map_err(err)?;
                true
            }
            // Version 1 had no tombstones; its erasures were plain deletes. Its token
            // index is unique, as version 2's is.
            1 => {
                check_tables(&tx, name, &["vault_items"])?;
                tx.execute_batch(ERASED_TOKENS).map_err(err)?;
                tx.pragma_update(None, "user_version", 2).map_err(err)?;
                false
            }
            0 => {
                return Err(VaultError::Corrupt(format!(
                    "{name} is an SQLite database but not a piiflow vault"
                )));
            }
            2 | SCHEMA_VERSION => {
                check_tables(&tx, name, &["vault_items", "erased_tokens"])?;
                version == SCHEMA_VERSION
            }
            v => {
                return Err(VaultError::Storage(format!(
                    "{name} has vault schema version {v}; this piiflow understands versions \
                     up to {SCHEMA_VERSION} (upgrade piiflow)"
                )));
            }
        };
        tx.commit().map_err(err)?;
        Ok(Self {
            checkpointer: None,
            conn: Arc::new(Mutex::new(conn)),
            statements: if by_key { &BY_KEY } else { &BY_TOKEN },
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
        // The outcomes other than `Inserted`, by item. Most puts insert, and the items are
        // visited in key order: an outcome written per item would land all over a vector
        // of the batch's size.
        let mut others: Vec<(usize, PutOutcome)> = Vec::new();
        let statements = self.statements;
        let by_key = statements.keyless.is_some();
        // In index order: tokens are HMAC outputs, so a batch's inserts land all over the
        // index; sorted, each leaf page is found once from its neighbour's path and
        // written while still in the page cache. The order is sorted rather than the
        // items: an item is a hundred bytes or more.
        let mut order: Vec<(i64, usize)> = items
            .iter()
            .enumerate()
            .map(|(at, item)| (if by_key { token_key(&item.token) } else { 0 }, at))
            .collect();
        if by_key {
            order.sort_unstable();
        } else {
            order.sort_unstable_by(|&(_, a), &(_, b)| items[a].token.cmp(&items[b].token));
        }
        {
            let mut put = StaticStatement::prepare(&tx, statements.put).map_err(err)?;
            let mut is_erased = tx.prepare_cached(IS_ERASED).map_err(err)?;
            // Most vaults have erased nothing: one look at the table then spares a lookup
            // per item (the write lock is held, so no tombstone appears meanwhile).
            let any_erased = tx
                .query_row(ANY_ERASED, [], |r| r.get::<_, bool>(0))
                .map_err(err)?;
            // Likewise for keyless rows, which no vault may ever have.
            let mut any_keyless = match &statements.keyless {
                Some(keyless) => tx
                    .query_row(keyless.any, [], |r| r.get::<_, bool>(0))
                    .map_err(err)?,
                None => false,
            };
            let mut from = 0;
            if by_key && !any_erased && !any_keyless {
                let mut rows = StaticStatement::prepare(&tx, put_rows()).map_err(err)?;
                let mut params = Vec::with_capacity(8 * PUT_ROWS);
                // Until the vault gets a keyless row, or two items share a key (a token
                // twice, or two tokens with one key): those are put one at a time below,
                // where the order of the puts of a key decides their outcomes.
                while let Some(group) = order.get(from..from + PUT_ROWS)
                    && !any_keyless
                    && group.windows(2).all(|pair| pair[0].0 != pair[1].0)
                {
                    params.clear();
                    for &(key, at) in group {
                        params.extend(put_params(&items[at], Some(Some(key))).0);
                    }
                    if rows.execute(&params).map_err(err)? != PUT_ROWS as u64 {
                        for &(key, at) in group {
                            let item = &items[at];
                            match self.select(&tx, &item.token, Some(key))? {
                                // Written by this statement (or an identical item was
                                // there): stored as asked.
                                Some(stored) if stored == *item => {}
                                Some(existing) => {
                                    others.push((at, PutOutcome::Exists(existing)));
                                }
                                // Another token holds the key: stored without one.
                                None => {
                                    let (values, len) = put_params(item, Some(None));
                                    put.execute(&values[..len]).map_err(err)?;
                                    any_keyless = true;
                                }
                            }
                        }
                    }
                    from += PUT_ROWS;
                }
            }
            for &(key, at) in &order[from..] {
                let item = &items[at];
                if any_erased && is_erased.exists([&item.token]).map_err(err)? {
                    others.push((at, PutOutcome::Erased));
                    continue;
                }
                // `column`: the statement's `?8`, a version 3 put's key column (NULL: none).
                let execute = |statement: &mut StaticStatement<'_>, column: Option<Option<i64>>| {
                    let (values, len) = put_params(item, column);
                    statement.execute(&values[..len]).map_err(err)
                };
                let keyless = statements.keyless.as_ref().filter(|_| any_keyless);
                if let Some(keyless) = keyless {
                    let found = tx
                        .prepare_cached(keyless.select)
                        .and_then(|mut select| {
                            select.query_row([&item.token], row_to_item).optional()
                        })
                        .map_err(err)?
                        .transpose()?;
                    if let Some(existing) = found {
                        let mut replace =
                            StaticStatement::prepare(&tx, keyless.replace_expired).map_err(err)?;
                        if execute(&mut replace, None)? != 1 {
                            others.push((at, PutOutcome::Exists(existing)));
                        }
                        continue;
                    }
                }
                let changed = execute(&mut put, by_key.then_some(Some(key)))?;
                if changed == 1 {
                    continue;
                }
                match self.select(&tx, &item.token, by_key.then_some(key))? {
                    Some(existing) => others.push((at, PutOutcome::Exists(existing))),
                    // Another token holds the key (so there was no keyless row of this
                    // one): stored without a key.
                    None => {
                        execute(&mut put, Some(None))?;
                        any_keyless = true;
                    }
                }
            }
        }
        tx.commit().map_err(err)?;
        drop(conn);
        self.committed();
        others.sort_unstable_by_key(|&(at, _)| at);
        let mut others = others.into_iter().peekable();
        Ok((0..items.len())
            .map(|at| match others.next_if(|&(other, _)| other == at) {
                Some((_, outcome)) => outcome,
                None => PutOutcome::Inserted,
            })
            .collect())
    }

    fn get_blocking(&self, tokens: &[String]) -> Result<Vec<Option<VaultItem>>, VaultError> {
        let err = |e: rusqlite::Error| storage_error(&e, "vault");
        let mut conn = self.lock();
        // One read transaction: the whole answer comes from one snapshot.
        let tx = conn.transaction().map_err(err)?;
        let mut out = Vec::with_capacity(tokens.len());
        for token in tokens {
            let key = self.statements.keyless.as_ref().map(|_| token_key(token));
            let mut item = self.select(&tx, token, key)?;
            if let (None, Some(keyless)) = (&item, &self.statements.keyless) {
                item = tx
                    .prepare_cached(keyless.select)
                    .and_then(|mut select| select.query_row([token], row_to_item).optional())
                    .map_err(err)?
                    .transpose()?;
            }
            out.push(item);
        }
        tx.commit().map_err(err)?;
        Ok(out)
    }

    /// The row of `token` with the key `key` (version 3) or of `token` (versions 1, 2).
    fn select(
        &self,
        conn: &Connection,
        token: &str,
        key: Option<i64>,
    ) -> Result<Option<VaultItem>, VaultError> {
        let mut select = conn
            .prepare_cached(self.statements.select)
            .map_err(|e| storage_error(&e, "vault"))?;
        match key {
            Some(key) => select.query_row(params![token, key], row_to_item),
            None => select.query_row([token], row_to_item),
        }
        .optional()
        .map_err(|e| storage_error(&e, "vault"))?
        .transpose()
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
        let statements = self.statements;
        let mut deleted = match &statements.keyless {
            Some(_) => tx.execute(statements.delete, params![token, token_key(token)]),
            None => tx.execute(statements.delete, [token]),
        }
        .map_err(err)?;
        if let (0, Some(keyless)) = (deleted, &statements.keyless) {
            deleted = tx.execute(keyless.delete, [token]).map_err(err)?;
        }
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

/// A put's parameters `?1` to `?7`, and `?8` (the key column; NULL for none) when `key`
/// is given; the length to bind.
fn put_params(item: &VaultItem, key: Option<Option<i64>>) -> ([Param<'_>; 8], usize) {
    let values = [
        Param::Text(&item.token),
        Param::Text(item.entity_type.as_str()),
        Param::Blob(&item.ciphertext),
        Param::Blob(&item.nonce),
        Param::Int(i64::from(item.key_version)),
        Param::Int(item.created_at),
        item.expires_at.map_or(Param::Null, Param::Int),
        key.flatten().map_or(Param::Null, Param::Int),
    ];
    (values, if key.is_some() { 8 } else { 7 })
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

    /// One item of the batch properties below: a token of 400 (some pairs sharing a key),
    /// its ciphertext's byte, and whether it expires (0: never, 1: already at its creation,
    /// 2: after it).
    fn picked(n: u16, shared_key: bool, byte: u8, expiry: u8) -> VaultItem {
        let token = format!("T{n}{}", if shared_key { '@' } else { 'A' });
        item(
            &token,
            byte,
            [None, Some(100), Some(101)][usize::from(expiry % 3)],
        )
    }

    /// Puts `batch` whole into one vault and one item at a time, in order, into another,
    /// both holding `before` and the tombstones of `erased`: the outcomes, and what each
    /// vault then holds, must be the same.
    fn same_as_one_at_a_time(before: &[VaultItem], erased: &[String], batch: Vec<VaultItem>) {
        rt().block_on(async {
            let (whole, alone) = (
                SqliteVault::open_in_memory().unwrap(),
                SqliteVault::open_in_memory().unwrap(),
            );
            for v in [&whole, &alone] {
                for i in before {
                    v.put_if_absent(vec![i.clone()]).await.unwrap();
                }
                for token in erased {
                    v.erase(token).await.unwrap();
                }
            }
            let outcomes = whole.put_if_absent(batch.clone()).await.unwrap();
            let mut expected = Vec::new();
            for i in &batch {
                expected.extend(alone.put_if_absent(vec![i.clone()]).await.unwrap());
            }
            assert_eq!(outcomes, expected);
            let tokens: Vec<String> = (0..400)
                .flat_map(|n| [format!("T{n}A"), format!("T{n}@")])
                .collect();
            assert_eq!(
                whole.get_many(&tokens).await.unwrap(),
                alone.get_many(&tokens).await.unwrap()
            );
            assert_eq!(whole.len().unwrap(), alone.len().unwrap());
        });
    }

    proptest::proptest! {
        /// Over vaults holding some of a batch's tokens (expired or not), with tokens that
        /// share a key, a token twice, and tombstones.
        #[test]
        fn a_batch_puts_what_its_items_put_one_at_a_time(
            before in proptest::collection::vec((0u16..200, 0u8..10, 0u8..3), 0..150),
            batch in proptest::collection::vec((0u16..400, 0u8..10, 1u8..9, 0u8..3), 0..130),
            once_each in proptest::bool::ANY,
            erased in proptest::collection::vec(0u16..400, 0..2),
        ) {
            let before: Vec<VaultItem> = before
                .into_iter()
                .map(|(n, k, expiry)| picked(n, k == 0, 0, expiry))
                .collect();
            let mut batch: Vec<VaultItem> = batch
                .into_iter()
                .map(|(n, k, byte, expiry)| picked(n, k == 0, byte, expiry))
                .collect();
            if once_each {
                let mut seen = std::collections::HashSet::new();
                batch.retain(|i| seen.insert(token_key(&i.token)));
            }
            let erased: Vec<String> = erased.iter().map(|n| format!("T{n}A")).collect();
            same_as_one_at_a_time(&before, &erased, batch);
        }
    }

    /// A token whose key another token holds is stored without one, and comes again as the
    /// first row of the next statement: it must be found there, not stored twice.
    #[test]
    fn a_token_stored_without_a_key_is_found_by_the_rows_after_it() {
        let key_of = |n: u16| token_key(&format!("T{n}@"));
        let shared = (0..400)
            .find(|&n| (0..400).filter(|&m| key_of(m) < key_of(n)).count() > PUT_ROWS)
            .expect("a token with enough keys below it");
        let mut others: Vec<u16> = (0..400).filter(|&m| m != shared).collect();
        others.sort_by_key(|&m| key_of(m));
        let below = others.iter().filter(|&&m| key_of(m) < key_of(shared));
        let above = others.iter().filter(|&&m| key_of(m) > key_of(shared));
        // In key order: PUT_ROWS - 1 tokens, the shared one twice, PUT_ROWS - 1 more.
        let mut batch: Vec<VaultItem> = below
            .rev()
            .take(PUT_ROWS - 1)
            .chain(above.take(PUT_ROWS - 1))
            .map(|&m| picked(m, true, 1, 0))
            .collect();
        batch.push(picked(shared, true, 2, 0));
        batch.push(picked(shared, true, 3, 0));
        same_as_one_at_a_time(&[picked(shared, false, 1, 0)], &[], batch);
    }

    /// Two tokens with one key: the second is stored without a key, found, replaced when
    /// expired, and never stored twice, also once the first one is gone.
    #[test]
    fn tokens_that_share_a_key_are_each_stored_once() {
        assert_eq!(token_key("NAME_A"), token_key("NAME_@"));
        assert_ne!(token_key("NAME_A"), token_key("NAME_B"));
        rt().block_on(async {
            let v = SqliteVault::open_in_memory().unwrap();
            let out = v
                .put_if_absent(vec![item("NAME_A", 1, None), item("NAME_@", 2, Some(100))])
                .await
                .unwrap();
            assert_eq!(out, [PutOutcome::Inserted, PutOutcome::Inserted]);
            let got = v
                .get_many(&["NAME_@".into(), "NAME_A".into()])
                .await
                .unwrap();
            assert_eq!(
                got,
                [
                    Some(item("NAME_@", 2, Some(100))),
                    Some(item("NAME_A", 1, None))
                ]
            );
            // NAME_@ has expired by the new items' clock; NAME_A has not.
            let out = v
                .put_if_absent(vec![item("NAME_@", 3, None), item("NAME_A", 4, None)])
                .await
                .unwrap();
            assert_eq!(
                out,
                [
                    PutOutcome::Inserted,
                    PutOutcome::Exists(item("NAME_A", 1, None))
                ]
            );
            assert!(v.erase("NAME_A").await.unwrap());
            let out = v
                .put_if_absent(vec![item("NAME_@", 5, None), item("NAME_A", 6, None)])
                .await
                .unwrap();
            assert_eq!(
                out,
                [
                    PutOutcome::Exists(item("NAME_@", 3, None)),
                    PutOutcome::Erased
                ]
            );
            assert_eq!(v.len().unwrap(), 1);
            assert!(v.erase("NAME_@").await.unwrap());
            assert!(v.is_empty().unwrap());
            assert_eq!(v.get_many(&["NAME_@".into()]).await.unwrap(), [None]);
        });
    }

    /// Every lookup of a version 3 vault goes through an index, not a scan of the table.
    #[test]
    fn version_3_lookups_use_an_index() {
        let v = SqliteVault::open_in_memory().unwrap();
        let conn = v.lock();
        let keyless = BY_KEY.keyless.as_ref().unwrap();
        for sql in [
            BY_KEY.select,
            BY_KEY.delete,
            keyless.any,
            keyless.select,
            keyless.delete,
            keyless.replace_expired,
        ] {
            let mut plan = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let mut rows = plan.raw_query();
            let mut steps: Vec<String> = Vec::new();
            while let Some(row) = rows.next().unwrap() {
                steps.push(row.get(3).unwrap());
            }
            assert!(
                steps.iter().all(|s| !s.starts_with("SCAN vault_items")),
                "{sql}: {steps:?}"
            );
        }
    }

    #[test]
    fn bad_rows_are_corrupt_not_panics() {
        rt().block_on(async {
            let v = SqliteVault::open_in_memory().unwrap();
            v.lock()
                .execute(
                    "INSERT INTO vault_items VALUES ('A', 'no such type', x'00', x'0102', 1, 0, NULL, 0)",
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
