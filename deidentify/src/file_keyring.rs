//! The local keyring: a JSON file of versioned token and data keys (base64), readable
//! by its owner only.
//!
//! ```json
//! {"format":"piiflow-keyring","version":1,
//!  "token_keys":[{"version":1,"created_at":1700000000,"key":"<base64>"}],
//!  "data_keys":[{"version":1,"created_at":1700000000,"key":"<base64>"}]}
//! ```
//!
//! The highest version of each kind is current. Rotation appends a version and never
//! removes one, so every item ever sealed stays decryptable.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use data_encoding::BASE64;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use crate::static_keyring::random_key;
use crate::{KeyVersion, SecretKey, StaticKeyring, VaultError};

const FORMAT: &str = "piiflow-keyring";
const FORMAT_VERSION: u32 = 1;

/// The keys of a [`StaticKeyring`], read from (and rotated in) a file.
pub struct FileKeyring {
    path: PathBuf,
    keys: StaticKeyring,
}

#[derive(Serialize, Deserialize)]
struct KeyringFile {
    format: String,
    version: u32,
    token_keys: Vec<KeyEntry>,
    data_keys: Vec<KeyEntry>,
}

#[derive(Serialize, Deserialize)]
struct KeyEntry {
    version: KeyVersion,
    created_at: i64,
    key: String,
}

impl Drop for KeyEntry {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

/// Which key list a rotation appends to.
#[derive(Clone, Copy)]
enum Kind {
    Token,
    Data,
}

impl FileKeyring {
    /// Creates a new keyring with one fresh token key and one fresh data key. Fails if
    /// `path` exists. The file appears complete or not at all: it is written to a
    /// temporary 0600 file in the same directory and hard-linked into place, which, unlike
    /// a rename, refuses to replace an existing keyring.
    pub fn create(path: impl AsRef<Path>) -> Result<Self, VaultError> {
        let path = path.as_ref();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| io_error("cannot create the directory of", path, e))?;
        }
        let now = unix_now();
        let file = KeyringFile {
            format: FORMAT.into(),
            version: FORMAT_VERSION,
            token_keys: vec![new_entry(1, now)?],
            data_keys: vec![new_entry(1, now)?],
        };
        let exists = || {
            VaultError::Keyring(format!(
                "a keyring already exists at {}; refusing to overwrite it",
                path.display()
            ))
        };
        let tmp = write_temp(path, &file)?;
        let linked = fs::hard_link(&tmp, path);
        let _ = fs::remove_file(&tmp);
        match linked {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(exists()),
            // File systems without hard links: write in place, still create_new + 0600.
            Err(_) => match write_new(path, &file) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(exists()),
                Err(e) => return Err(io_error("cannot create keyring", path, e)),
            },
        }
        sync_dir(path);
        Self::from_file(path, &file)
    }

    /// Opens an existing keyring. Refuses a file that group or others may access.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, VaultError> {
        let path = path.as_ref();
        let file = read(path)?;
        Self::from_file(path, &file)
    }

    /// Opens the keyring, creating it first if there is none (the local default).
    /// Two processes racing here both end up with the same keyring.
    pub fn open_or_create(path: impl AsRef<Path>) -> Result<Self, VaultError> {
        let path = path.as_ref();
        match fs::symlink_metadata(path) {
            Ok(_) => Self::open(path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => match Self::create(path) {
                Err(VaultError::Keyring(_)) if path.exists() => Self::open(path),
                other => other,
            },
            Err(e) => Err(io_error("cannot read keyring", path, e)),
        }
    }

    /// Appends a fresh data key and makes it current. Items sealed before stay
    /// readable with their own version; reopen the keyring to use the new key.
    pub fn rotate_data_key(path: impl AsRef<Path>) -> Result<KeyVersion, VaultError> {
        rotate(path.as_ref(), Kind::Data)
    }

    /// Appends a fresh token key and makes it current. Every value gets a NEW token
    /// from then on (old tokens still reveal: vault items do not depend on the token
    /// key), so joins across the rotation break. The derived `hash_key` changes too.
    pub fn rotate_token_key(path: impl AsRef<Path>) -> Result<KeyVersion, VaultError> {
        rotate(path.as_ref(), Kind::Token)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Versions present: (token key versions, data key versions), ascending.
    pub fn versions(&self) -> (Vec<KeyVersion>, Vec<KeyVersion>) {
        self.keys.versions()
    }

    fn from_file(path: &Path, file: &KeyringFile) -> Result<Self, VaultError> {
        let token_keys = decode_keys(path, "token", &file.token_keys)?;
        let data_keys = decode_keys(path, "data", &file.data_keys)?;
        let keys = StaticKeyring::with_keys(token_keys, data_keys)
            .map_err(|e| VaultError::Keyring(format!("keyring {}: {e}", path.display())))?;
        Ok(Self {
            path: path.to_path_buf(),
            keys,
        })
    }
}

fn rotate(path: &Path, kind: Kind) -> Result<KeyVersion, VaultError> {
    // Held until the new keyring is renamed into place: two rotations at once would
    // otherwise both read version N and both write N+1, and the rename that lands last
    // drops the other's key, with every item it sealed.
    let _lock = lock(path)?;
    let mut file = read(path)?;
    // Validate before appending, so a damaged file is reported, not rewritten.
    FileKeyring::from_file(path, &file)?;
    let list = match kind {
        Kind::Token => &mut file.token_keys,
        Kind::Data => &mut file.data_keys,
    };
    let version = list.iter().map(|e| e.version).max().unwrap_or(0) + 1;
    list.push(new_entry(version, unix_now())?);
    let tmp = write_temp(path, &file)?;
    // rename is atomic: readers see the old keyring or the new one, never half of one.
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(io_error("cannot replace keyring", path, e));
    }
    sync_dir(path);
    Ok(version)
}

/// An exclusive lock on `<keyring>.lock` beside the keyring, released when the file is
/// dropped. The keyring itself cannot carry the lock: rotation replaces it by a rename, and
/// a lock taken on the old file would not exclude a process that opened the new one.
fn lock(path: &Path) -> Result<File, VaultError> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    let lock_path = path.with_file_name(name);
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&lock_path)
        .map_err(|e| io_error("cannot open the lock file of keyring", path, e))?;
    file.lock()
        .map_err(|e| io_error("cannot lock keyring", path, e))?;
    Ok(file)
}

fn read(path: &Path) -> Result<KeyringFile, VaultError> {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(VaultError::Keyring(format!(
                "no keyring at {}; run `piiflow keys init`",
                path.display()
            )));
        }
        Err(e) => return Err(io_error("cannot open keyring", path, e)),
    };
    let meta = f
        .metadata()
        .map_err(|e| io_error("cannot read keyring", path, e))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(VaultError::Keyring(format!(
            "keyring {} has permissions {mode:04o}, readable by others; refusing to use it. \
             Run `chmod 600 {}` (and consider rotating its keys)",
            path.display(),
            path.display()
        )));
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(meta.len() as usize));
    f.read_to_end(&mut bytes)
        .map_err(|e| io_error("cannot read keyring", path, e))?;
    // serde_json messages can quote input; only the position is reported.
    let file: KeyringFile = serde_json::from_slice(&bytes).map_err(|e| {
        VaultError::Keyring(format!(
            "keyring {} is damaged (invalid JSON at line {}, column {})",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    if file.format != FORMAT || file.version != FORMAT_VERSION {
        return Err(VaultError::Keyring(format!(
            "{} is not a piiflow keyring of format version {FORMAT_VERSION}",
            path.display()
        )));
    }
    Ok(file)
}

/// Writes `file` to a fresh 0600 temporary file next to `path` and syncs it.
fn write_temp(path: &Path, file: &KeyringFile) -> Result<PathBuf, VaultError> {
    let mut suffix = [0u8; 8];
    getrandom::fill(&mut suffix)
        .map_err(|e| VaultError::Keyring(format!("OS random number generator failed: {e}")))?;
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", data_encoding::HEXLOWER.encode(&suffix)));
    let tmp = path.with_file_name(name);
    if let Err(e) = write_new(&tmp, file) {
        let _ = fs::remove_file(&tmp);
        return Err(io_error("cannot write keyring", path, e));
    }
    Ok(tmp)
}

/// Creates `target` (never replacing a file) with mode 0600, writes `file`, syncs.
fn write_new(target: &Path, file: &KeyringFile) -> io::Result<()> {
    let json =
        Zeroizing::new(serde_json::to_vec_pretty(file).expect("keyring serialization cannot fail"));
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(target)?;
    // The umask can only remove bits; set the mode explicitly anyway, in case the file
    // system ignored it at creation.
    f.set_permissions(fs::Permissions::from_mode(0o600))?;
    f.write_all(&json)?;
    f.write_all(b"\n")?;
    f.sync_all()
}

/// Makes the new directory entry durable; best effort (not every file system allows it).
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
}

fn new_entry(version: KeyVersion, now: i64) -> Result<KeyEntry, VaultError> {
    let key = random_key()?;
    Ok(KeyEntry {
        version,
        created_at: now,
        key: BASE64.encode(key.expose()),
    })
}

fn decode_keys(
    path: &Path,
    kind: &str,
    entries: &[KeyEntry],
) -> Result<Vec<(KeyVersion, SecretKey)>, VaultError> {
    let mut keys = Vec::with_capacity(entries.len());
    for e in entries {
        let bytes = Zeroizing::new(
            BASE64
                .decode(e.key.as_bytes())
                .map_err(|_| bad_key(path, kind, e))?,
        );
        let mut arr: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| bad_key(path, kind, e))?;
        keys.push((e.version, SecretKey::from_bytes(arr)));
        arr.zeroize();
    }
    Ok(keys)
}

fn bad_key(path: &Path, kind: &str, e: &KeyEntry) -> VaultError {
    VaultError::Keyring(format!(
        "keyring {}: {kind} key version {} is not 32 bytes of base64",
        path.display(),
        e.version
    ))
}

fn io_error(what: &str, path: &Path, e: io::Error) -> VaultError {
    VaultError::Keyring(format!("{what} {}: {e}", path.display()))
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

crate::static_keyring::keyring_over_static_keys!(FileKeyring);

impl fmt::Debug for FileKeyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (token, data) = self.versions();
        f.debug_struct("FileKeyring")
            .field("path", &self.path)
            .field("token_key_versions", &token)
            .field("data_key_versions", &data)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Keyring;

    #[test]
    fn create_writes_a_0600_file_that_reopens_to_the_same_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/keyring.json");
        let a = FileKeyring::create(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let b = FileKeyring::open(&path).unwrap();
        assert_eq!(a.current_token_key().1, b.current_token_key().1);
        assert_eq!(a.current_data_key().1, b.current_data_key().1);
        assert_ne!(a.current_token_key().1, a.current_data_key().1);
        assert_eq!(a.versions(), (vec![1], vec![1]));
        // No temporary files are left behind.
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn create_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.json");
        let a = FileKeyring::create(&path).unwrap();
        let err = FileKeyring::create(&path).unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        let b = FileKeyring::open_or_create(&path).unwrap();
        assert_eq!(a.current_data_key().1, b.current_data_key().1);
    }

    #[test]
    fn missing_keyring_says_how_to_make_one() {
        let dir = tempfile::tempdir().unwrap();
        let err = FileKeyring::open(dir.path().join("nope.json")).unwrap_err();
        assert!(err.to_string().contains("piiflow keys init"), "{err}");
    }

    #[test]
    fn loose_permissions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.json");
        FileKeyring::create(&path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let err = FileKeyring::open(&path).unwrap_err();
        assert!(err.to_string().contains("chmod 600"), "{err}");
        assert!(FileKeyring::rotate_data_key(&path).is_err());
    }

    #[test]
    fn damaged_files_give_errors_without_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.json");
        let write = |s: &str| {
            let _ = fs::remove_file(&path);
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .unwrap()
                .write_all(s.as_bytes())
                .unwrap();
        };
        write("{\"format\": \"piiflow-keyring\", \"version\": \"SECRETSTUFF\"");
        let err = FileKeyring::open(&path).unwrap_err().to_string();
        assert!(
            err.contains("damaged") && !err.contains("SECRETSTUFF"),
            "{err}"
        );

        write(
            r#"{"format":"piiflow-keyring","version":1,"token_keys":[{"version":1,"created_at":0,"key":"c2hvcnQ="}],"data_keys":[]}"#,
        );
        let err = FileKeyring::open(&path).unwrap_err().to_string();
        assert!(
            err.contains("not 32 bytes") && !err.contains("c2hvcnQ"),
            "{err}"
        );
    }

    #[test]
    fn rotation_appends_versions_and_keeps_old_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.json");
        let before = FileKeyring::create(&path).unwrap();
        assert_eq!(FileKeyring::rotate_data_key(&path).unwrap(), 2);
        assert_eq!(FileKeyring::rotate_data_key(&path).unwrap(), 3);
        assert_eq!(FileKeyring::rotate_token_key(&path).unwrap(), 2);
        let after = FileKeyring::open(&path).unwrap();
        assert_eq!(after.versions(), (vec![1, 2], vec![1, 2, 3]));
        assert_eq!(after.data_key(1), Some(before.current_data_key().1));
        assert_ne!(after.current_data_key().1, before.current_data_key().1);
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        // No temporary files are left behind; the lock file stays (0600) for the next one.
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["k.json", "k.json.lock"]);
        assert_eq!(
            fs::metadata(dir.path().join("k.json.lock"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
    }

    #[test]
    fn concurrent_rotations_keep_every_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.json");
        FileKeyring::create(&path).unwrap();
        const THREADS: usize = 8;
        const ROUNDS: usize = 5;
        let barrier = std::sync::Barrier::new(THREADS);
        let got: Vec<KeyVersion> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    s.spawn(|| {
                        barrier.wait();
                        (0..ROUNDS)
                            .map(|_| FileKeyring::rotate_data_key(&path).unwrap())
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        let mut got = got;
        got.sort_unstable();
        let expected: Vec<KeyVersion> = (2..=(1 + THREADS * ROUNDS) as KeyVersion).collect();
        assert_eq!(got, expected, "each rotation got a version of its own");
        let (_, data) = FileKeyring::open(&path).unwrap().versions();
        let mut all = vec![1];
        all.extend(expected);
        assert_eq!(data, all, "every rotated version is in the file");
    }

    #[test]
    fn debug_shows_path_and_versions_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.json");
        let k = FileKeyring::create(&path).unwrap();
        let dbg = format!("{k:?}");
        let text = fs::read_to_string(&path).unwrap();
        let file: KeyringFile = serde_json::from_str(&text).unwrap();
        assert!(!dbg.contains(&file.data_keys[0].key));
        assert!(dbg.contains("data_key_versions: [1]"), "{dbg}");
    }
}
