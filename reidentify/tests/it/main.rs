//! The SQLite audit trail through the `AuditLog` port.

#[path = "../support/paging.rs"]
mod paging;

use reidentify::SqliteAuditLog;

#[tokio::test]
async fn sqlite_pages_yield_every_record_once() {
    let dir = tempfile::tempdir().unwrap();
    let log = SqliteAuditLog::open(&dir.path().join("audit.db")).unwrap();
    paging::every_record_once(&log).await;
}

#[tokio::test]
async fn sqlite_refuses_forged_cursors() {
    let log = SqliteAuditLog::open_in_memory().unwrap();
    paging::forged_cursors_are_refused(&log).await;
}
