//! Where the embedded default keeps its state: `PIIFLOW_HOME`, else `.piiflow/` here. The
//! CLI and the Lambda functions' local mode (`PIIFLOW_HOME`) read the same layout.

use std::path::{Path, PathBuf};

pub struct Home {
    root: PathBuf,
}

impl Home {
    /// The home at `root`.
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn locate(explicit: Option<PathBuf>) -> Self {
        let root = explicit
            .or_else(|| std::env::var_os("PIIFLOW_HOME").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(".piiflow"));
        Self { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Creates the directory owner-only, since it holds the keyring and the vault.
    pub fn ensure(&self) -> std::io::Result<()> {
        use std::os::unix::fs::DirBuilderExt;
        if !self.root.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&self.root)?;
        }
        Ok(())
    }

    pub fn keyring(&self) -> PathBuf {
        self.root.join("keyring.json")
    }

    pub fn vault(&self) -> PathBuf {
        self.root.join("vault.db")
    }

    pub fn audit(&self) -> PathBuf {
        self.root.join("audit.db")
    }

    pub fn executions(&self) -> PathBuf {
        self.root.join("executions.db")
    }

    pub fn api_keys(&self) -> PathBuf {
        self.root.join("api-keys.db")
    }

    pub fn dev_auth_key(&self) -> PathBuf {
        self.root.join("dev-auth-key.pem")
    }

    /// Where bulk jobs' result manifests go, one directory per job.
    pub fn jobs(&self) -> PathBuf {
        self.root.join("jobs")
    }
}
