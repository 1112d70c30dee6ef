use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::{AuditError, AuditFilter, AuditLog, AuditRecord, AuditRecords, AuditTime, cursor};

/// Where a page ends: the next one holds the records written before this sequence number.
#[derive(Serialize, Deserialize)]
struct Position {
    before_seq: i64,
}

/// SQLite's `julianday` reads only milliseconds, so its time bounds are widened by this
/// many days (about 9 ms) and the exact bound is applied to each row after.
const JULIAN_SLACK: f64 = 1e-7;

fn julian(t: time::OffsetDateTime) -> f64 {
    t.unix_timestamp_nanos() as f64 / 86_400e9 + 2_440_587.5
}

/// The embedded audit trail. Append-only is enforced by the database itself: triggers
/// abort any UPDATE or DELETE, so not even a bug in this process can rewrite history.
pub struct SqliteAuditLog {
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS audit (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    at         TEXT NOT NULL,
    sub        TEXT NOT NULL,
    record     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_token (
    audit_id   TEXT NOT NULL,
    token      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_token_by_token ON audit_token(token);
CREATE INDEX IF NOT EXISTS audit_by_sub ON audit(sub, seq);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_token_no_update BEFORE UPDATE ON audit_token
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_token_no_delete BEFORE DELETE ON audit_token
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
";

impl SqliteAuditLog {
    pub fn open(path: &Path) -> Result<Self, AuditError> {
        create_owner_only(path).map_err(|e| {
            AuditError::Unavailable(format!("cannot create {}: {e}", path.display()))
        })?;
        let conn = Connection::open(path).map_err(unavailable)?;
        Self::init(conn)
    }

    pub fn open_in_memory() -> Result<Self, AuditError> {
        Self::init(Connection::open_in_memory().map_err(unavailable)?)
    }

    fn init(conn: Connection) -> Result<Self, AuditError> {
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(corrupt)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(corrupt)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(unavailable)?;
        conn.execute_batch(SCHEMA).map_err(corrupt)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Connection>, AuditError> {
        self.conn
            .lock()
            .map_err(|_| AuditError::Unavailable("audit connection poisoned".into()))
    }
}

fn unavailable(e: rusqlite::Error) -> AuditError {
    AuditError::Unavailable(e.to_string())
}

fn corrupt(e: rusqlite::Error) -> AuditError {
    AuditError::Corrupt(e.to_string())
}

#[async_trait::async_trait]
impl AuditLog for SqliteAuditLog {
    async fn append(&self, record: &AuditRecord) -> Result<(), AuditError> {
        let json = serde_json::to_string(record).map_err(|e| AuditError::Corrupt(e.to_string()))?;
        let mut conn = self.lock()?;
        let tx = conn.transaction().map_err(unavailable)?;
        let exists: Option<i64> = tx
            .query_row("SELECT seq FROM audit WHERE id = ?1", [&record.id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(unavailable)?;
        if exists.is_some() {
            return Err(AuditError::Duplicate(record.id.clone()));
        }
        tx.execute(
            "INSERT INTO audit (id, at, sub, record) VALUES (?1, ?2, ?3, ?4)",
            params![record.id, record.at, record.principal.sub, json],
        )
        .map_err(unavailable)?;
        {
            let mut stmt = tx
                .prepare_cached("INSERT INTO audit_token (audit_id, token) VALUES (?1, ?2)")
                .map_err(unavailable)?;
            for token in &record.tokens {
                stmt.execute(params![record.id, token])
                    .map_err(unavailable)?;
            }
        }
        tx.commit().map_err(unavailable)
    }

    async fn query(&self, filter: &AuditFilter) -> Result<AuditRecords, AuditError> {
        let window = AuditTime::of(filter)?;
        let limit = filter.page_size();
        let before = filter
            .cursor
            .as_deref()
            .map(cursor::decode::<Position>)
            .transpose()?
            .map(|p| p.before_seq);
        if window.is_empty() {
            return Ok(AuditRecords::default());
        }
        let conn = self.lock()?;
        let mut stmt = conn
            .prepare(
                "SELECT seq, at, record FROM audit a
                 WHERE (?1 IS NULL OR a.sub = ?1)
                   AND (?2 IS NULL OR a.seq < ?2)
                   AND (?3 IS NULL OR EXISTS (SELECT 1 FROM audit_token t
                                              WHERE t.audit_id = a.id AND t.token = ?3))
                   AND (?4 IS NULL OR julianday(a.at) >= ?4)
                   AND (?5 IS NULL OR julianday(a.at) <= ?5)
                 ORDER BY a.seq DESC",
            )
            .map_err(unavailable)?;
        let since = window.since.map(|t| julian(t) - JULIAN_SLACK);
        let until = window.until.map(|t| julian(t) + JULIAN_SLACK);
        let mut rows = stmt
            .query(params![filter.sub, before, filter.token, since, until])
            .map_err(unavailable)?;
        let mut page = AuditRecords::default();
        let mut last_seq = None;
        // Rows are read one at a time and the statement is dropped at the first record past
        // the page: the next page starts after the last one returned.
        while let Some(row) = rows.next().map_err(unavailable)? {
            let seq: i64 = row.get(0).map_err(unavailable)?;
            let at: String = row.get(1).map_err(unavailable)?;
            if !window.contains(&at) {
                continue;
            }
            if page.records.len() == limit {
                page.next_cursor =
                    last_seq.map(|before_seq| cursor::encode(&Position { before_seq }));
                break;
            }
            let json: String = row.get(2).map_err(unavailable)?;
            page.records
                .push(serde_json::from_str(&json).map_err(|e| AuditError::Corrupt(e.to_string()))?);
            last_seq = Some(seq);
        }
        Ok(page)
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
    use crate::{AuditAction, CallContext, Principal};

    #[test]
    fn the_audit_file_and_its_wal_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.db");
        let _log = SqliteAuditLog::open(&path).unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let file = dir.path().join(format!("audit.db{suffix}"));
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }

    fn ctx() -> CallContext {
        CallContext {
            principal: Principal {
                sub: "auditor-1".into(),
                client_id: Some("c".into()),
                username: None,
            },
            reason: "case 42".into(),
            request_id: "req-1".into(),
            source: Some("127.0.0.1".into()),
            access_token: None,
        }
    }

    #[tokio::test]
    async fn records_round_trip_and_filter_by_token() {
        let log = SqliteAuditLog::open_in_memory().unwrap();
        let a = AuditRecord::new(AuditAction::Reidentify, &ctx(), vec!["EMAIL_A".into()]);
        let b = AuditRecord::new(AuditAction::Erase, &ctx(), vec!["SSN_B".into()]);
        log.append(&a).await.unwrap();
        log.append(&b).await.unwrap();
        let all = log.query(&AuditFilter::default()).await.unwrap().records;
        assert_eq!(all, vec![b.clone(), a.clone()]);
        let only = log
            .query(&AuditFilter {
                token: Some("EMAIL_A".into()),
                ..Default::default()
            })
            .await
            .unwrap()
            .records;
        assert_eq!(only, vec![a]);
    }

    #[tokio::test]
    async fn the_trail_cannot_be_rewritten() {
        let log = SqliteAuditLog::open_in_memory().unwrap();
        let a = AuditRecord::new(AuditAction::Reidentify, &ctx(), vec!["EMAIL_A".into()]);
        log.append(&a).await.unwrap();
        assert!(matches!(
            log.append(&a).await,
            Err(AuditError::Duplicate(_))
        ));
        let conn = log.lock().unwrap();
        let err = conn
            .execute("DELETE FROM audit", [])
            .unwrap_err()
            .to_string();
        assert!(err.contains("append-only"), "{err}");
        let err = conn
            .execute("UPDATE audit SET sub = 'x'", [])
            .unwrap_err()
            .to_string();
        assert!(err.contains("append-only"), "{err}");
    }
}
