//! Execution records on SQLite, so `describe` works after the process that ran them exits.

use crate::error::StoreError;
use crate::history::{EventType, HistoryEvent};
use crate::status::ExecutionStatus;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use std::path::Path;
use std::sync::Mutex;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::orchestrator::ExecutionDescription;

/// What `create` did: made a new RUNNING record, or found the same name with the same input.
#[derive(Debug, Clone, PartialEq)]
pub enum Created {
    New(ExecutionDescription),
    Existing(ExecutionDescription),
}

pub struct ExecutionStore {
    // rusqlite connections are not Sync; every call is short, so one lock is enough.
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS executions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    status TEXT NOT NULL,
    input TEXT NOT NULL,
    output TEXT,
    error TEXT,
    cause TEXT,
    started TEXT NOT NULL,
    stopped TEXT,
    UNIQUE (definition, name)
);
CREATE TABLE IF NOT EXISTS history (
    execution_id TEXT NOT NULL REFERENCES executions(id),
    event_id INTEGER NOT NULL,
    previous_event_id INTEGER NOT NULL,
    timestamp TEXT NOT NULL,
    type TEXT NOT NULL,
    details TEXT NOT NULL,
    PRIMARY KEY (execution_id, event_id)
);
";

fn ts(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).expect("UTC timestamps format")
}

fn parse_ts(s: &str) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map_err(|e| StoreError::Corrupt(format!("timestamp {s:?}: {e}")))
}

fn parse_json(s: &str) -> Result<Value, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("json: {e}")))
}

impl ExecutionStore {
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        create_owner_only(path).map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display()))
        })?;
        let conn = Connection::open(path)?;
        // WAL lets a `describe` from another process read while an execution writes.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Self::init(conn)
    }

    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Self, StoreError> {
        conn.execute_batch(SCHEMA)?;
        Ok(ExecutionStore {
            conn: Mutex::new(conn),
        })
    }

    /// Inserts a RUNNING execution, or returns the existing one when the name was used
    /// before with an equal input. A different input is `ExecutionAlreadyExists`.
    pub fn create(
        &self,
        id: &str,
        definition: &str,
        name: &str,
        input: &Value,
        started: OffsetDateTime,
    ) -> Result<Created, StoreError> {
        let mut conn = self.conn.lock().expect("store lock");
        let tx = conn.transaction()?;
        let existing: Option<String> = tx
            .query_row(
                "SELECT id FROM executions WHERE definition = ?1 AND name = ?2",
                params![definition, name],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(existing_id) = existing {
            let rec =
                get_in(&tx, &existing_id)?.ok_or_else(|| StoreError::Corrupt("vanished".into()))?;
            return if rec.input == *input {
                Ok(Created::Existing(rec))
            } else {
                Err(StoreError::ExecutionAlreadyExists {
                    name: name.to_owned(),
                })
            };
        }
        tx.execute(
            "INSERT INTO executions (id, name, definition, status, input, started)
             VALUES (?1, ?2, ?3, 'RUNNING', ?4, ?5)",
            params![id, name, definition, input.to_string(), ts(started)],
        )?;
        let rec = get_in(&tx, id)?.ok_or_else(|| StoreError::Corrupt("insert lost".into()))?;
        tx.commit()?;
        Ok(Created::New(rec))
    }

    /// Records the end of an execution and its whole history in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub fn finish(
        &self,
        id: &str,
        status: ExecutionStatus,
        output: Option<&Value>,
        error: Option<&str>,
        cause: Option<&str>,
        stopped: OffsetDateTime,
        events: &[HistoryEvent],
    ) -> Result<(), StoreError> {
        let mut conn = self.conn.lock().expect("store lock");
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE executions SET status = ?2, output = ?3, error = ?4, cause = ?5, stopped = ?6 WHERE id = ?1",
            params![
                id,
                status.as_str(),
                output.map(Value::to_string),
                error,
                cause,
                ts(stopped)
            ],
        )?;
        tx.execute("DELETE FROM history WHERE execution_id = ?1", params![id])?;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO history (execution_id, event_id, previous_event_id, timestamp, type, details)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for e in events {
                stmt.execute(params![
                    id,
                    e.id as i64,
                    e.previous_event_id as i64,
                    ts(e.timestamp),
                    e.event_type.as_str(),
                    e.details.to_string()
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn get(&self, id: &str) -> Result<Option<ExecutionDescription>, StoreError> {
        let conn = self.conn.lock().expect("store lock");
        get_in(&conn, id)
    }

    pub fn list(&self, definition: Option<&str>) -> Result<Vec<ExecutionDescription>, StoreError> {
        let conn = self.conn.lock().expect("store lock");
        let mut stmt = conn.prepare(
            "SELECT id FROM executions WHERE ?1 IS NULL OR definition = ?1 ORDER BY started, id",
        )?;
        let ids: Vec<String> = stmt
            .query_map(params![definition], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.iter()
            .map(|id| get_in(&conn, id)?.ok_or_else(|| StoreError::Corrupt("vanished".into())))
            .collect()
    }

    pub fn history(&self, id: &str) -> Result<Vec<HistoryEvent>, StoreError> {
        let conn = self.conn.lock().expect("store lock");
        let mut stmt = conn.prepare(
            "SELECT event_id, previous_event_id, timestamp, type, details FROM history
             WHERE execution_id = ?1 ORDER BY event_id",
        )?;
        let rows: Vec<(i64, i64, String, String, String)> = stmt
            .query_map(params![id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(eid, prev, t, ty, details)| {
                Ok(HistoryEvent {
                    id: eid as u64,
                    previous_event_id: prev as u64,
                    timestamp: parse_ts(&t)?,
                    event_type: EventType::parse(&ty)
                        .ok_or_else(|| StoreError::Corrupt(format!("event type {ty:?}")))?,
                    details: parse_json(&details)?,
                })
            })
            .collect()
    }
}

fn get_in(conn: &Connection, id: &str) -> Result<Option<ExecutionDescription>, StoreError> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
    );
    let row: Option<Row> = conn
        .query_row(
            "SELECT id, name, definition, status, input, output, error, cause, started, stopped
             FROM executions WHERE id = ?1",
            params![id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            },
        )
        .optional()?;
    let Some((id, name, definition, status, input, output, error, cause, started, stopped)) = row
    else {
        return Ok(None);
    };
    Ok(Some(ExecutionDescription {
        id,
        name,
        definition,
        status: ExecutionStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("status {status:?}")))?,
        input: parse_json(&input)?,
        output: output.as_deref().map(parse_json).transpose()?,
        error,
        cause,
        started: parse_ts(&started)?,
        stopped: stopped.as_deref().map(parse_ts).transpose()?,
    }))
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
    use serde_json::json;

    #[test]
    fn the_executions_file_and_its_wal_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let _store = ExecutionStore::open(dir.path().join("executions.db")).unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let file = dir.path().join(format!("executions.db{suffix}"));
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }

    fn t0() -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH
    }

    #[test]
    fn same_name_same_input_is_idempotent_and_different_input_conflicts() {
        let s = ExecutionStore::open_in_memory().unwrap();
        let a = s
            .create("id1", "documents", "n", &json!({"a": 1}), t0())
            .unwrap();
        assert!(matches!(a, Created::New(_)));
        let b = s
            .create("id2", "documents", "n", &json!({"a": 1}), t0())
            .unwrap();
        match b {
            Created::Existing(r) => assert_eq!(r.id, "id1"),
            other => panic!("expected existing, got {other:?}"),
        }
        let e = s
            .create("id3", "documents", "n", &json!({"a": 2}), t0())
            .unwrap_err();
        assert!(matches!(e, StoreError::ExecutionAlreadyExists { .. }));
        // The same name under another state machine is a different execution.
        assert!(matches!(
            s.create("id4", "records", "n", &json!({"a": 2}), t0())
                .unwrap(),
            Created::New(_)
        ));
    }

    #[test]
    fn finish_stores_outcome_and_history() {
        let s = ExecutionStore::open_in_memory().unwrap();
        s.create("id1", "documents", "n", &json!({}), t0()).unwrap();
        let ev = HistoryEvent {
            id: 1,
            previous_event_id: 0,
            timestamp: t0(),
            event_type: EventType::ExecutionStarted,
            details: json!({"input": {}}),
        };
        s.finish(
            "id1",
            ExecutionStatus::Failed,
            None,
            Some("E"),
            Some("C"),
            t0(),
            std::slice::from_ref(&ev),
        )
        .unwrap();
        let r = s.get("id1").unwrap().unwrap();
        assert_eq!(r.status, ExecutionStatus::Failed);
        assert_eq!(
            (r.error.as_deref(), r.cause.as_deref()),
            (Some("E"), Some("C"))
        );
        assert_eq!(s.history("id1").unwrap(), vec![ev]);
        assert_eq!(s.list(Some("documents")).unwrap().len(), 1);
        assert!(s.get("nope").unwrap().is_none());
    }
}
