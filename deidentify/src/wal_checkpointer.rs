//! Checkpoints a vault file's write-ahead log on a thread of its own.
//!
//! A checkpoint copies the pages logged in the WAL back into the database file and fsyncs
//! both files. Run inline by SQLite's auto-checkpoint, it stalled the writer for the whole
//! copy and both fsyncs every few batches: with fresh values landing on random B-tree
//! pages that was most of the wall-clock time of a vault write (the writer's CPU sat idle
//! about two thirds of the time). Here the writer only appends to the WAL and nudges this
//! thread, which checkpoints through its own connection while the writer goes on.
//!
//! A checkpoint that runs alongside the writer never ends with the whole log copied back
//! (the writer keeps appending), and SQLite only rewinds the log when a write starts on a
//! fully copied one. So a round copies alongside the writer until what it appended
//! meanwhile is little, then copies that with the writer's lock held, after which the next
//! commit writes from the start of the WAL file again. When the disk cannot keep up with
//! the writer, that last pass is where the writer waits for it.
//!
//! Nothing about durability changes: commits are exactly as durable as before (the WAL is
//! the same, `synchronous` the same), and a checkpoint is the same SQLite operation, run
//! from another connection.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags};

/// Frames (pages) not yet copied back that start a round: about 40 MB with 4 KiB pages, as
/// the inline auto-checkpoint had it. Longer rounds copy a page written by every batch (the
/// B-tree's upper levels) back fewer times; the WAL file is as long as a round.
const CHECKPOINT_AFTER_FRAMES: i64 = 10_000;

/// Frames left for the pass that holds the writer off: it waits for their copy and the two
/// fsyncs, so the fewer the better, but waiting for fewer could take many passes.
const FINAL_PASS_FRAMES: i64 = 2_000;

/// Passes alongside the writer before the final one, whatever is left by then.
const MAX_PASSES_ALONGSIDE_WRITER: usize = 4;

/// The writer's own auto-checkpoint stays on as a backstop, should this thread fail to
/// open its connection or keep losing the checkpoint lock to another process.
pub(crate) const WRITER_AUTOCHECKPOINT_FRAMES: i64 = 8 * CHECKPOINT_AFTER_FRAMES;

pub(crate) struct WalCheckpointer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Default)]
struct State {
    /// Commits since the thread last looked at the WAL.
    commits: u64,
    stop: bool,
}

impl WalCheckpointer {
    /// Starts the thread with its own connection to the vault at `path`, which must exist
    /// and be in WAL mode already; `writer` is the connection that writes to it, locked
    /// (not used) to hold writes off for the end of a round. `None` if the connection or
    /// the thread cannot be had: the writer's auto-checkpoint then does the work inline.
    pub(crate) fn start(path: &Path, writer: Arc<Mutex<Connection>>) -> Option<Self> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .ok()?;
        // As the writer: fsync the WAL before copying it back, the database file after.
        conn.pragma_update(None, "synchronous", "NORMAL").ok()?;
        let shared = Arc::new(Shared::default());
        let thread = std::thread::Builder::new()
            .name("vault-checkpoint".into())
            .spawn({
                let shared = shared.clone();
                move || run(&conn, &writer, &shared)
            })
            .ok()?;
        Some(Self {
            shared,
            thread: Some(thread),
        })
    }

    /// Tells the thread that the WAL grew.
    pub(crate) fn committed(&self) {
        self.shared.lock().commits += 1;
        self.shared.wake.notify_one();
    }
}

impl Drop for WalCheckpointer {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            // A checkpoint in progress finishes first; a panic in the thread has already
            // been reported and left nothing half-done in the files.
            let _ = thread.join();
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn run(conn: &Connection, writer: &Mutex<Connection>, shared: &Shared) {
    loop {
        {
            let mut state = shared.lock();
            while state.commits == 0 && !state.stop {
                state = shared.wake.wait(state).unwrap_or_else(|p| p.into_inner());
            }
            if state.stop {
                return;
            }
            state.commits = 0;
        }
        // Errors (another process holding the checkpoint lock, a full disk) are not fatal:
        // the WAL keeps every commit, and the next commit brings another try.
        let _ = checkpoint_if_due(conn, writer);
    }
}

fn checkpoint_if_due(conn: &Connection, writer: &Mutex<Connection>) -> rusqlite::Result<()> {
    // Frames not yet copied back. A fully copied log is rewound by the writer's next
    // commit, whatever its length.
    let (frames, backfilled) = checkpoint(conn, "NOOP")?;
    let mut backlog = frames - backfilled;
    if backlog < CHECKPOINT_AFTER_FRAMES {
        return Ok(());
    }
    // Each pass copies what the writer appended during the one before, so passes shorten
    // while the disk is faster than the writer. When it is not, the backlog grows instead:
    // then the writer is held off at once, rather than after a WAL grown ever longer.
    for _ in 0..MAX_PASSES_ALONGSIDE_WRITER {
        if backlog <= FINAL_PASS_FRAMES {
            break;
        }
        checkpoint(conn, "PASSIVE")?;
        let (frames, backfilled) = checkpoint(conn, "NOOP")?;
        let left = frames - backfilled;
        if left >= backlog {
            break;
        }
        backlog = left;
    }
    // A panic while the writer held its lock left no transaction open (see SqliteVault).
    let _writes_held_off = writer.lock().unwrap_or_else(|p| p.into_inner());
    checkpoint(conn, "PASSIVE")?;
    Ok(())
}

/// Runs `PRAGMA wal_checkpoint(mode)`: the frames in the WAL and how many of them are in the
/// database file now.
fn checkpoint(conn: &Connection, mode: &str) -> rusqlite::Result<(i64, i64)> {
    conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
        Ok((r.get(1)?, r.get(2)?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wal_frames(conn: &Connection) -> i64 {
        checkpoint(conn, "NOOP").unwrap().0
    }

    #[test]
    fn checkpoints_and_rewinds_the_log_behind_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let conn = Connection::open(&path).unwrap();
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .unwrap();
        conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
        conn.execute_batch("CREATE TABLE t (x BLOB)").unwrap();
        let writer = Arc::new(Mutex::new(conn));
        let checkpointer = WalCheckpointer::start(&path, writer.clone()).unwrap();

        let page = vec![7u8; 3_000];
        let mut rewound = 0;
        for _ in 0..3 * CHECKPOINT_AFTER_FRAMES {
            let w = writer.lock().unwrap();
            let before = wal_frames(&w);
            w.execute("INSERT INTO t VALUES (?1)", [&page]).unwrap();
            let after = wal_frames(&w);
            drop(w);
            checkpointer.committed();
            rewound += usize::from(after < before);
        }
        drop(checkpointer);
        // Every round ends with the log rewound: it does not grow without end.
        assert!(rewound >= 2, "the log was rewound {rewound} times");
    }

    #[test]
    fn a_missing_file_is_refused_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let writer = Arc::new(Mutex::new(Connection::open_in_memory().unwrap()));
        assert!(WalCheckpointer::start(&dir.path().join("nope"), writer).is_none());
        assert!(!dir.path().join("nope").exists());
    }
}
