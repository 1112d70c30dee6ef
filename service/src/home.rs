//! Where the embedded default keeps its state: `PIIFLOW_HOME`, else `.piiflow/` here. The
//! CLI and the Lambda functions' local mode (`PIIFLOW_HOME`) read the same layout.
//!
//! The home holds the keyring and the vault, so it must be the user's alone: it is created
//! 0700, and every open checks that it is owned by the user running piiflow and that
//! neither group nor others can write it (which would let them swap the keyring or the
//! vault for their own). Its state files are created 0600 by the stores that write them;
//! database files left looser by an older piiflow are tightened to 0600 when the home is
//! checked.

use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The SQLite state files, each with the `-wal` and `-shm` files beside it. The keyring
/// and the dev-auth key are not tightened but refused when loose, by their loaders: a key
/// that others could read may have been read.
const STATE_FILES: [&str; 4] = ["vault.db", "audit.db", "executions.db", "api-keys.db"];

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

    /// Creates the directory owner-only if it is missing, then [`Home::check`]s it.
    pub fn ensure(&self) -> io::Result<()> {
        if !self.root.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&self.root)?;
        }
        self.check()
    }

    /// Refuses a home owned by another user, or one that group or others can write
    /// (`PermissionDenied`, with what to do in the message); a home not there yet passes.
    /// State files readable by group or others are tightened to 0600.
    pub fn check(&self) -> io::Result<()> {
        let meta = match std::fs::metadata(&self.root) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let shown = self.root.display();
        if !meta.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("piiflow home {shown} is not a directory"),
            ));
        }
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(denied(format!(
                "piiflow home {shown} is owned by uid {}, not by you (uid {me}); refusing to \
                 use another user's keyring and vault. Give --home (or PIIFLOW_HOME) a \
                 directory of your own",
                meta.uid()
            )));
        }
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o022 != 0 {
            return Err(denied(format!(
                "piiflow home {shown} has permissions {mode:04o}: group or others can write \
                 it, and so replace its keyring or vault; refusing to use it. Run `chmod 700 \
                 {shown}`"
            )));
        }
        for name in STATE_FILES {
            for suffix in ["", "-wal", "-shm"] {
                tighten(&self.root.join(format!("{name}{suffix}")))?;
            }
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

/// Sets an existing regular file to 0600 when group or others have any access to it. A
/// symlink is left alone: its target is not the home's to change.
fn tighten(path: &Path) -> io::Result<()> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

fn denied(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn ensure_creates_the_home_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let home = Home::at(dir.path().join("a/b/home"));
        home.ensure().unwrap();
        assert_eq!(mode(home.root()), 0o700);
    }

    #[test]
    fn a_home_others_can_write_is_refused_on_every_open_not_only_on_creation() {
        let dir = tempfile::tempdir().unwrap();
        let home = Home::at(dir.path().join("home"));
        home.ensure().unwrap();
        for loose in [0o777, 0o770, 0o702, 0o1777] {
            std::fs::set_permissions(home.root(), std::fs::Permissions::from_mode(loose)).unwrap();
            for attempt in [home.check(), home.ensure()] {
                let err = attempt.unwrap_err();
                assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
                let msg = err.to_string();
                assert!(msg.contains(&format!("{loose:04o}")), "{msg}");
                assert!(msg.contains("chmod 700"), "{msg}");
            }
        }
        // Readable (not writable) by the group is allowed; the files in it stay 0600.
        std::fs::set_permissions(home.root(), std::fs::Permissions::from_mode(0o750)).unwrap();
        home.check().unwrap();
    }

    #[test]
    fn a_home_owned_by_another_user_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        // As root, give a fresh home away; as anyone else, `/` is another user's (root's).
        let home = if unsafe { libc::geteuid() } == 0 {
            let root = dir.path().join("theirs");
            std::fs::DirBuilder::new()
                .mode(0o700)
                .create(&root)
                .unwrap();
            std::os::unix::fs::chown(&root, Some(65534), Some(65534)).unwrap();
            Home::at(root)
        } else {
            Home::at("/")
        };
        let err = home.check().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        assert!(err.to_string().contains("not by you"), "{err}");
    }

    #[test]
    fn loose_state_files_are_tightened_and_others_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let home = Home::at(dir.path().join("home"));
        home.ensure().unwrap();
        let loose = [
            home.vault(),
            home.root().join("audit.db-wal"),
            home.api_keys(),
        ];
        for path in &loose {
            std::fs::write(path, b"x").unwrap();
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let other = home.root().join("notes.txt");
        std::fs::write(&other, b"x").unwrap();
        std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o644)).unwrap();
        home.check().unwrap();
        for path in &loose {
            assert_eq!(mode(path), 0o600, "{}", path.display());
        }
        assert_eq!(mode(&other), 0o644);
    }

    #[test]
    fn a_missing_home_passes_and_a_file_is_not_a_home() {
        let dir = tempfile::tempdir().unwrap();
        Home::at(dir.path().join("nope")).check().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, b"").unwrap();
        let err = Home::at(&file).check().unwrap_err();
        assert!(err.to_string().contains("not a directory"), "{err}");
    }
}
