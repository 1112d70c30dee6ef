//! A statement whose text and blob parameters SQLite reads where they lie.
//!
//! rusqlite binds every text and blob with `SQLITE_TRANSIENT`: SQLite copies the value
//! into memory of its own before the statement runs and frees it at the next bind. A vault
//! put binds a token, a type, a ciphertext and a nonce per item, so those copies and frees
//! were about a sixth of writing fresh values. Here they are bound with `SQLITE_STATIC`,
//! which is sound because [`StaticStatement::execute`] binds, steps, resets and clears
//! the bindings before it returns: SQLite never holds a pointer into the parameters past
//! the call that borrowed them.

use std::ffi::{CStr, c_int};
use std::marker::PhantomData;

use rusqlite::{Connection, ffi};

/// A parameter borrowed for one [`StaticStatement::execute`].
pub(crate) enum Param<'a> {
    Text(&'a str),
    Blob(&'a [u8]),
    Int(i64),
    Null,
}

/// One prepared statement of a connection, finalized when dropped.
pub(crate) struct StaticStatement<'conn> {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
    /// The statement must not outlive its connection.
    _conn: PhantomData<&'conn Connection>,
}

impl<'conn> StaticStatement<'conn> {
    pub(crate) fn prepare(conn: &'conn Connection, sql: &str) -> rusqlite::Result<Self> {
        let len = c_int::try_from(sql.len()).expect("statement text is short");
        let mut stmt = std::ptr::null_mut();
        // SAFETY: the handle is valid while `conn` is borrowed, which `'conn` ties the
        // statement to; `sql` is read for `len` bytes during the call only.
        let (db, rc) = unsafe {
            let db = conn.handle();
            let rc = ffi::sqlite3_prepare_v2(
                db,
                sql.as_ptr().cast(),
                len,
                &mut stmt,
                std::ptr::null_mut(),
            );
            (db, rc)
        };
        if rc != ffi::SQLITE_OK {
            // SAFETY: `db` is the live connection the call failed on.
            return Err(unsafe { error(db, rc) });
        }
        Ok(Self {
            db,
            stmt,
            _conn: PhantomData,
        })
    }

    /// Binds `params` to `?1`, `?2`, … (all of the statement's parameters), runs the
    /// statement to its end and answers how many rows it changed.
    pub(crate) fn execute(&mut self, params: &[Param<'_>]) -> rusqlite::Result<u64> {
        // SAFETY: `stmt` is a live statement of `db`. Each pointer bound is valid for the
        // length given until the bindings are cleared below, before `params` can go.
        unsafe {
            let expected = ffi::sqlite3_bind_parameter_count(self.stmt);
            if usize::try_from(expected).ok() != Some(params.len()) {
                return Err(rusqlite::Error::InvalidParameterCount(
                    params.len(),
                    expected as usize,
                ));
            }
            let mut rc = ffi::SQLITE_OK;
            for (i, param) in (1..).zip(params) {
                rc = match param {
                    Param::Text(s) => ffi::sqlite3_bind_text64(
                        self.stmt,
                        i,
                        s.as_ptr().cast(),
                        s.len() as u64,
                        ffi::SQLITE_STATIC(),
                        ffi::SQLITE_UTF8 as u8,
                    ),
                    Param::Blob(b) => ffi::sqlite3_bind_blob64(
                        self.stmt,
                        i,
                        b.as_ptr().cast(),
                        b.len() as u64,
                        ffi::SQLITE_STATIC(),
                    ),
                    Param::Int(n) => ffi::sqlite3_bind_int64(self.stmt, i, *n),
                    Param::Null => ffi::sqlite3_bind_null(self.stmt, i),
                };
                if rc != ffi::SQLITE_OK {
                    break;
                }
            }
            let outcome = if rc != ffi::SQLITE_OK {
                Err(error(self.db, rc))
            } else {
                match ffi::sqlite3_step(self.stmt) {
                    ffi::SQLITE_DONE => Ok(ffi::sqlite3_changes64(self.db) as u64),
                    ffi::SQLITE_ROW => Err(rusqlite::Error::ExecuteReturnedResults),
                    rc => Err(error(self.db, rc)),
                }
            };
            ffi::sqlite3_reset(self.stmt);
            ffi::sqlite3_clear_bindings(self.stmt);
            outcome
        }
    }
}

impl Drop for StaticStatement<'_> {
    fn drop(&mut self) {
        // SAFETY: `stmt` is live and finalized once, here.
        unsafe {
            ffi::sqlite3_finalize(self.stmt);
        }
    }
}

/// The error `rc` of a call on `db`, with SQLite's message when it is about that call.
///
/// # Safety
/// `db` must be a live connection.
unsafe fn error(db: *mut ffi::sqlite3, rc: c_int) -> rusqlite::Error {
    // SAFETY: per the contract; the messages are NUL-terminated strings SQLite owns.
    let message = unsafe {
        let text = if ffi::sqlite3_errcode(db) == rc {
            ffi::sqlite3_errmsg(db)
        } else {
            ffi::sqlite3_errstr(rc)
        };
        (!text.is_null()).then(|| CStr::from_ptr(text).to_string_lossy().into_owned())
    };
    rusqlite::Error::SqliteFailure(ffi::Error::new(rc), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a TEXT, b BLOB, c INTEGER UNIQUE, d)")
            .unwrap();
        conn
    }

    #[test]
    fn binds_every_kind_and_counts_changes() {
        let conn = conn();
        let mut insert =
            StaticStatement::prepare(&conn, "INSERT INTO t VALUES (?1, ?2, ?3, ?4)").unwrap();
        for n in 0..3 {
            // Values that go away right after the call: SQLite must have copied nothing
            // it reads later.
            let text = format!("text {n}");
            let blob = vec![n as u8; 5];
            let changed = insert
                .execute(&[
                    Param::Text(&text),
                    Param::Blob(&blob),
                    Param::Int(n),
                    Param::Null,
                ])
                .unwrap();
            assert_eq!(changed, 1);
        }
        drop(insert);
        let rows: Vec<(String, Vec<u8>, i64, Option<i64>)> = conn
            .prepare("SELECT a, b, c, d FROM t ORDER BY c")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2], ("text 2".into(), vec![2; 5], 2, None));
    }

    #[test]
    fn failures_are_sqlite_errors_and_the_statement_stays_usable() {
        let conn = conn();
        let mut insert = StaticStatement::prepare(
            &conn,
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4) ON CONFLICT (c) DO NOTHING",
        )
        .unwrap();
        let row = [
            Param::Text("a"),
            Param::Blob(b"b"),
            Param::Int(1),
            Param::Null,
        ];
        assert_eq!(insert.execute(&row).unwrap(), 1);
        assert_eq!(
            insert.execute(&row).unwrap(),
            0,
            "the conflict changes nothing"
        );
        let mut strict =
            StaticStatement::prepare(&conn, "INSERT INTO t VALUES (?1, ?2, ?3, ?4)").unwrap();
        let err = strict.execute(&row).unwrap_err();
        assert_eq!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::ConstraintViolation),
            "{err}"
        );
        assert!(err.to_string().contains("UNIQUE"), "{err}");
        assert!(matches!(
            strict.execute(&row[..3]),
            Err(rusqlite::Error::InvalidParameterCount(3, 4))
        ));
        assert!(StaticStatement::prepare(&conn, "INSERT INTO nowhere VALUES (1)").is_err());
    }
}
