use deidentify::{PutOutcome, SqliteVault, VaultError, VaultItem, VaultStore};
use detect::EntityType;

use crate::common::rt;

fn item(token: &str, byte: u8) -> VaultItem {
    VaultItem {
        token: token.into(),
        entity_type: EntityType::Name,
        ciphertext: vec![byte; 24],
        nonce: [byte; 12],
        key_version: 1,
        created_at: 7,
        expires_at: None,
    }
}

#[test]
fn put_if_absent_never_overwrites_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    rt().block_on(async {
        let v = SqliteVault::open(&path).unwrap();
        v.put_if_absent(vec![item("NAME_A", 1)]).await.unwrap();
        drop(v);
        let v = SqliteVault::open(&path).unwrap();
        let out = v
            .put_if_absent(vec![item("NAME_A", 2), item("NAME_B", 3)])
            .await
            .unwrap();
        assert_eq!(
            out,
            [PutOutcome::Exists(item("NAME_A", 1)), PutOutcome::Inserted]
        );
        let got = v
            .get_many(&["NAME_A".into(), "NAME_B".into()])
            .await
            .unwrap();
        assert_eq!(got, [Some(item("NAME_A", 1)), Some(item("NAME_B", 3))]);
    });
}

#[test]
fn a_random_bytes_file_is_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    // Deterministic junk (xorshift), 16 KiB.
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let junk: Vec<u8> = (0..16384)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(&path, &junk).unwrap();
    let err = SqliteVault::open(&path).unwrap_err();
    assert!(matches!(err, VaultError::Corrupt(_)), "{err}");
    assert!(err.to_string().contains("vault.db"), "{err}");
}

#[test]
fn a_damaged_sqlite_file_is_reported_not_panicked_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    rt().block_on(async {
        let v = SqliteVault::open(&path).unwrap();
        let items: Vec<_> = (0..200)
            .map(|i| item(&format!("NAME_{i}"), i as u8))
            .collect();
        v.put_if_absent(items).await.unwrap();
    });
    // Checkpointed into the main file on close; now overwrite everything past the header.
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 4096, "the vault was written to the main file");
    for b in &mut bytes[100..] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join("vault.db-wal"));
    let _ = std::fs::remove_file(dir.path().join("vault.db-shm"));
    let result = SqliteVault::open(&path);
    let err = result.expect_err("a damaged vault must not open cleanly");
    eprintln!("damaged vault: {err}");
    assert!(
        matches!(err, VaultError::Corrupt(_) | VaultError::Storage(_)),
        "{err}"
    );
}
