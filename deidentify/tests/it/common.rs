use std::path::Path;
use std::sync::Arc;

use deidentify::{Deidentifier, FileKeyring, SqliteVault};

pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// A deidentifier over the keyring and vault files in `dir`, as a process would open them.
pub fn open_in(dir: &Path) -> (Deidentifier, Arc<SqliteVault>) {
    let keyring = Arc::new(FileKeyring::open_or_create(dir.join("keyring.json")).unwrap());
    let vault = Arc::new(SqliteVault::open(dir.join("vault.db")).unwrap());
    (Deidentifier::new(keyring, vault.clone()), vault)
}
