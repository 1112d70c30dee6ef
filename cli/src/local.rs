//! The embedded default: file keyring, SQLite vault and audit trail under the home dir.

use std::sync::Arc;

use anyhow::{Context, Result};
use deidentify::{Deidentifier, FileKeyring, Keyring, NoVault, SqliteVault, VaultStore, hash_key};
use mask::{HashKey, Policy};
use reidentify::{Reidentifier, SqliteAuditLog};
use service::Engine;

use service::Home;

pub struct Local {
    pub keyring: Arc<FileKeyring>,
    pub deidentifier: Arc<Deidentifier>,
}

impl Local {
    /// For anonymizing: a fresh clone works with no setup, so a missing keyring is created.
    pub fn open_or_init(home: &Home) -> Result<Self> {
        let keyring = created_keyring(home)?;
        Ok(Self::new(
            keyring,
            Arc::new(SqliteVault::open(home.vault())?),
        ))
    }

    /// For detecting: the keyring for a policy's keyed hashes, and no vault, whose
    /// database and checkpoint thread cost more to open than a short text takes to scan.
    pub fn for_detection(home: &Home) -> Result<Self> {
        let keyring = created_keyring(home)?;
        Ok(Self::new(keyring, Arc::new(NoVault::new("piiflow detect"))))
    }

    /// For re-identifying: without the keyring nothing can be opened, and creating a new
    /// one would only hide that.
    pub fn open_existing(home: &Home) -> Result<Self> {
        let keyring = FileKeyring::open(home.keyring())?;
        Ok(Self::new(
            keyring,
            Arc::new(SqliteVault::open(home.vault())?),
        ))
    }

    fn new(keyring: FileKeyring, vault: Arc<dyn VaultStore>) -> Self {
        let keyring = Arc::new(keyring);
        Self {
            deidentifier: Arc::new(Deidentifier::new(keyring.clone(), vault)),
            keyring,
        }
    }

    pub fn engine(&self, policy: &str) -> Result<Engine> {
        let policy = Policy::resolve(policy)?;
        let hash_key =
            HashKey::from_bytes(*hash_key(self.keyring.as_ref() as &dyn Keyring).expose());
        Ok(Engine::new(
            policy,
            self.deidentifier.clone(),
            Some(hash_key),
        )?)
    }

    pub fn reidentifier(&self, home: &Home) -> Result<Reidentifier> {
        let audit = SqliteAuditLog::open(&home.audit())?;
        Ok(Reidentifier::new(
            self.deidentifier.clone(),
            Arc::new(audit),
        ))
    }
}

/// The home's keyring, created with the home on a fresh clone.
fn created_keyring(home: &Home) -> Result<FileKeyring> {
    home.ensure()
        .with_context(|| format!("creating {}", home.root().display()))?;
    Ok(FileKeyring::open_or_create(home.keyring())?)
}
