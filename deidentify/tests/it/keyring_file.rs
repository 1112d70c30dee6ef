use std::os::unix::fs::PermissionsExt;

use deidentify::{FileKeyring, VaultError};

#[test]
fn missing_keyring_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keyring.json");
    let err = FileKeyring::open(&path).unwrap_err();
    assert!(matches!(err, VaultError::Keyring(_)));
    let msg = err.to_string();
    assert!(
        msg.contains("no keyring at") && msg.contains("keyring.json"),
        "{msg}"
    );
    assert!(msg.contains("piiflow keys init"), "{msg}");
}

#[test]
fn keyring_file_is_created_0600_even_with_a_permissive_umask() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".piiflow/keyring.json");
    FileKeyring::open_or_create(&path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    let dir_mode = std::fs::metadata(path.parent().unwrap())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(dir_mode & 0o077, 0, "directory mode {dir_mode:o}");
}

#[test]
fn keys_never_show_in_debug_or_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keyring.json");
    let k = FileKeyring::create(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let key = json["data_keys"][0]["key"].as_str().unwrap().to_string();
    assert!(!format!("{k:?}").contains(&key));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let err = FileKeyring::open(&path).unwrap_err();
    assert!(!format!("{err} {err:?}").contains(&key));
    assert!(err.to_string().contains("0640"), "{err}");
}
