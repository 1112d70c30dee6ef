//! The embedded default: file keyring, SQLite vault and audit trail under the home dir.

use std::sync::Arc;

use anyhow::{Context, Result};
use deidentify::{Deidentifier, FileKeyring, Keyring, NoVault, SqliteVault, hash_key};
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
        home.ensure()
            .with_context(|| format!("creating {}", home.root().display()))?;
        let keyring = FileKeyring::open_or_create(home.keyring())?;
        Self::with_keyring(home, keyring)
    }

    /// For detecting: the keyring for a policy's keyed hashes, and no vault, whose
    /// database and checkpoint thread cost more to open than a short text takes to scan.
    pub fn for_detection(home: &Home) -> Result<Self> {
        home.ensure()
            .with_context(|| format!("creating {}", home.root().display()))?;
        let keyring = Arc::new(FileKeyring::open_or_create(home.keyring())?);
        let vault = Arc::new(NoVault::new("piiflow detect"));
        Ok(Self {
            deidentifier: Arc::new(Deidentifier::new(keyring.clone(), vault)),
            keyring,
        })
    }

    /// For re-identifying: without the keyring nothing can be opened, and creating a new
    /// one would only hide that.
    pub fn open_existing(home: &Home) -> Result<Self> {
        let keyring = FileKeyring::open(home.keyring())?;
        Self::with_keyring(home, keyring)
    }

    fn with_keyring(home: &Home, keyring: FileKeyring) -> Result<Self> {
        let keyring = Arc::new(keyring);
        let vault = SqliteVault::open(home.vault())?;
        let deidentifier = Arc::new(Deidentifier::new(keyring.clone(), Arc::new(vault)));
        Ok(Self {
            keyring,
            deidentifier,
        })
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
