use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::LoginError;

/// The file under the piiflow home that holds the tokens of the last login.
pub const CREDENTIALS_FILE: &str = "credentials.json";

/// How the tokens were obtained, which decides how they are renewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    /// A person in the browser; renewed with the refresh token.
    AuthorizationCode,
    /// A machine; renewed by asking again with the secret from `client_secret_env`.
    ClientCredentials,
}

/// The stored login. Never logged: there is deliberately no `Debug`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// The hosted UI's base URL, e.g. https://PREFIX.auth.REGION.amazoncognito.com.
    pub domain: String,
    pub client_id: String,
    pub grant: Grant,
    /// The environment variable that holds the client secret (client credentials only);
    /// the secret itself is never written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_env: Option<String>,
    /// The scopes asked for, to ask for the same ones on renewal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Unix seconds after which the access token is no longer accepted.
    pub expires_at: i64,
    /// The API of the stack logged in to with `--stack`, used when no `--api` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
}

impl Credentials {
    /// True when the access token expires within `margin_secs` of `now`.
    pub fn expires_within(&self, now: i64, margin_secs: i64) -> bool {
        self.expires_at - margin_secs <= now
    }
}

/// `<home>/credentials.json`: written 0600 through a temporary file and a rename, refused
/// when others can read it.
pub struct CredentialsFile {
    path: PathBuf,
}

impl CredentialsFile {
    pub fn in_home(root: &Path) -> Self {
        Self {
            path: root.join(CREDENTIALS_FILE),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    pub fn load(&self) -> Result<Credentials, LoginError> {
        let io = |source| LoginError::Io {
            path: self.path.clone(),
            source,
        };
        let meta = match std::fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(LoginError::NotLoggedIn {
                    path: self.path.clone(),
                });
            }
            Err(e) => return Err(io(e)),
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(LoginError::LoosePermissions {
                path: self.path.clone(),
                mode,
            });
        }
        let bytes = std::fs::read(&self.path).map_err(io)?;
        serde_json::from_slice(&bytes).map_err(|e| LoginError::CorruptCredentials {
            path: self.path.clone(),
            // serde's message names the field and position, never the value.
            reason: e.to_string(),
        })
    }

    pub fn save(&self, creds: &Credentials) -> Result<(), LoginError> {
        let io = |source| LoginError::Io {
            path: self.path.clone(),
            source,
        };
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io)?;
        let tmp = dir.join(format!(".{CREDENTIALS_FILE}.{}.tmp", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let write = || -> std::io::Result<()> {
            let mut f = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&tmp)?;
            f.write_all(&serde_json::to_vec_pretty(creds).expect("credentials serialize"))?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(e)
        })
    }

    /// Removes the file; true if there was one.
    pub fn delete(&self) -> Result<bool, LoginError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(LoginError::Io {
                path: self.path.clone(),
                source,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Credentials {
        Credentials {
            domain: "https://example.auth.eu-west-1.amazoncognito.com".into(),
            client_id: "web".into(),
            grant: Grant::AuthorizationCode,
            client_secret_env: None,
            scope: None,
            access_token: "a.b.c".into(),
            id_token: None,
            refresh_token: Some("r".into()),
            expires_at: 100,
            api: None,
        }
    }

    #[test]
    fn saved_file_is_private_and_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = CredentialsFile::in_home(dir.path());
        file.save(&sample()).unwrap();
        let mode = std::fs::metadata(file.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let back = file.load().unwrap();
        assert_eq!(back.refresh_token.as_deref(), Some("r"));
        assert!(back.expires_within(90, 10));
        assert!(!back.expires_within(80, 10));
    }

    #[test]
    fn loose_permissions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = CredentialsFile::in_home(dir.path());
        file.save(&sample()).unwrap();
        std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            file.load(),
            Err(LoginError::LoosePermissions { mode: 0o644, .. })
        ));
    }

    #[test]
    fn corrupt_and_missing_files_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let file = CredentialsFile::in_home(dir.path());
        assert!(matches!(file.load(), Err(LoginError::NotLoggedIn { .. })));
        std::fs::write(file.path(), b"{\"domain\": ").unwrap();
        std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(matches!(
            file.load(),
            Err(LoginError::CorruptCredentials { .. })
        ));
        assert!(file.delete().unwrap());
        assert!(!file.delete().unwrap());
    }
}
