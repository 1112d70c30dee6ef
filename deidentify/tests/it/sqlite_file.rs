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

/// The vault's files as they are on disk: the database, its WAL and shared memory.
fn raw_files(path: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        if let Ok(b) = std::fs::read(&name) {
            bytes.extend(b);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn erase_leaves_the_ciphertext_in_neither_the_file_nor_the_wal_and_lasts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    rt().block_on(async {
        let (d, vault) = crate::common::open_in(dir.path());
        // Enough values for a B-tree of many pages.
        let values: Vec<String> = (0..3000)
            .map(|i| format!("person-{i:05}@example.org"))
            .collect();
        let pairs: Vec<_> = values
            .iter()
            .map(|v| (EntityType::Email, v.as_str()))
            .collect();
        let tokens = d.tokenize(&pairs).await.unwrap();
        let erased: Vec<usize> = (0..3000).step_by(150).collect();
        let kept = 7;
        let items = vault.get_many(&tokens).await.unwrap();
        let ciphertext = |i: usize| items[i].as_ref().unwrap().ciphertext.clone();
        assert!(
            contains(&raw_files(&path), &ciphertext(kept)),
            "the scan sees stored ciphertexts"
        );
        for &i in &erased {
            assert!(d.erase(&tokens[i]).await.unwrap());
        }
        let raw = raw_files(&path);
        for &i in &erased {
            assert!(
                !contains(&raw, &ciphertext(i)),
                "ciphertext of value {i} survived"
            );
            assert!(
                !contains(&raw, values[i].as_bytes()),
                "value {i} in the clear"
            );
        }
        assert!(contains(&raw, &ciphertext(kept)), "the others stay");
        let wal = std::fs::metadata(dir.path().join("vault.db-wal")).map_or(0, |m| m.len());
        assert_eq!(wal, 0, "the WAL is truncated after an erasure");

        // The same values anonymized again keep their tokens and stay irreversible,
        // in this process and after a reopen.
        let again = d.tokenize(&pairs).await.unwrap();
        assert_eq!(again, tokens);
        drop((d, vault));
        let (d, _vault) = crate::common::open_in(dir.path());
        assert_eq!(d.tokenize(&pairs).await.unwrap(), tokens);
        let shown = d.reveal(&tokens).await.unwrap();
        for (i, shown) in shown.iter().enumerate() {
            if erased.contains(&i) {
                assert!(shown.is_none(), "erased value {i} revealed again");
            } else {
                assert_eq!(
                    shown.as_deref().map(String::as_str),
                    Some(values[i].as_str())
                );
            }
        }
    });
}

#[test]
fn a_version_1_vault_gains_tombstones_and_keeps_its_items() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE vault_items (
                token TEXT PRIMARY KEY NOT NULL, entity_type TEXT NOT NULL,
                ciphertext BLOB NOT NULL, nonce BLOB NOT NULL, key_version INTEGER NOT NULL,
                created_at INTEGER NOT NULL, expires_at INTEGER) WITHOUT ROWID;
             INSERT INTO vault_items VALUES ('NAME_A', 'NAME', zeroblob(24), zeroblob(12), 1, 7, NULL);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    rt().block_on(async {
        let v = SqliteVault::open(&path).unwrap();
        let a = v.get_many(&["NAME_A".into()]).await.unwrap();
        assert_eq!(a[0].as_ref().unwrap().ciphertext, vec![0; 24]);
        assert!(v.erase("NAME_A").await.unwrap());
        assert_eq!(
            v.put_if_absent(vec![item("NAME_A", 1)]).await.unwrap(),
            [PutOutcome::Erased]
        );
    });
    let version: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2, "its unique token index is version 2's");
}

/// A version 2 vault of rows in insertion order with a unique index of tokens (what new
/// vaults were before version 3) stays version 2 and answers every operation.
#[test]
fn a_version_2_vault_with_a_token_index_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE vault_items (
                token TEXT NOT NULL UNIQUE, entity_type TEXT NOT NULL,
                ciphertext BLOB NOT NULL, nonce BLOB NOT NULL, key_version INTEGER NOT NULL,
                created_at INTEGER NOT NULL, expires_at INTEGER);
             CREATE INDEX vault_items_expires_at ON vault_items (expires_at)
                WHERE expires_at IS NOT NULL;
             CREATE TABLE erased_tokens (
                token TEXT PRIMARY KEY NOT NULL, erased_at INTEGER NOT NULL) WITHOUT ROWID;
             INSERT INTO vault_items VALUES ('NAME_A', 'NAME', zeroblob(24), zeroblob(12), 1, 7, NULL);
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    rt().block_on(async {
        let v = SqliteVault::open(&path).unwrap();
        let out = v
            .put_if_absent(vec![item("NAME_B", 6), item("NAME_A", 5)])
            .await
            .unwrap();
        assert_eq!(out[0], PutOutcome::Inserted);
        assert!(matches!(&out[1], PutOutcome::Exists(a) if a.ciphertext == vec![0; 24]));
        assert_eq!(
            v.get_many(&["NAME_B".into(), "NAME_C".into()])
                .await
                .unwrap(),
            [Some(item("NAME_B", 6)), None]
        );
        assert!(v.erase("NAME_B").await.unwrap());
        assert_eq!(
            v.put_if_absent(vec![item("NAME_B", 7)]).await.unwrap(),
            [PutOutcome::Erased]
        );
        assert_eq!(v.len().unwrap(), 1);
    });
    let version: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2);
}

/// New vaults append rows in insertion order (fresh tokens are random, so only the token
/// index takes random writes); version 2 vaults keyed by token (`WITHOUT ROWID`) answer
/// every operation alike.
#[test]
fn a_new_vault_keeps_rows_in_insertion_order_and_a_token_keyed_vault_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.db");
    rt().block_on(async {
        let v = SqliteVault::open(&fresh).unwrap();
        v.put_if_absent(vec![item("NAME_Z", 1), item("NAME_A", 2)])
            .await
            .unwrap();
        v.put_if_absent(vec![item("NAME_M", 3)]).await.unwrap();
    });
    let order: Vec<String> = {
        let conn = rusqlite::Connection::open(&fresh).unwrap();
        let mut rows = conn
            .prepare("SELECT token FROM vault_items ORDER BY rowid")
            .unwrap();
        rows.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    // One batch is written in token order; batches follow one another.
    assert_eq!(order, ["NAME_A", "NAME_Z", "NAME_M"]);

    let keyed = dir.path().join("keyed.db");
    {
        let conn = rusqlite::Connection::open(&keyed).unwrap();
        conn.execute_batch(
            "CREATE TABLE vault_items (
                token TEXT PRIMARY KEY NOT NULL, entity_type TEXT NOT NULL,
                ciphertext BLOB NOT NULL, nonce BLOB NOT NULL, key_version INTEGER NOT NULL,
                created_at INTEGER NOT NULL, expires_at INTEGER) WITHOUT ROWID;
             CREATE INDEX vault_items_expires_at ON vault_items (expires_at)
                WHERE expires_at IS NOT NULL;
             CREATE TABLE erased_tokens (
                token TEXT PRIMARY KEY NOT NULL, erased_at INTEGER NOT NULL) WITHOUT ROWID;
             INSERT INTO vault_items VALUES ('NAME_A', 'NAME', zeroblob(24), zeroblob(12), 1, 7, NULL);",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
    }
    rt().block_on(async {
        let v = SqliteVault::open(&keyed).unwrap();
        let out = v
            .put_if_absent(vec![item("NAME_A", 5), item("NAME_B", 6)])
            .await
            .unwrap();
        assert_eq!(out[1], PutOutcome::Inserted);
        let PutOutcome::Exists(a) = &out[0] else {
            panic!("{:?}", out[0]);
        };
        assert_eq!(a.ciphertext, vec![0; 24]);
        assert_eq!(
            v.get_many(&["NAME_B".into()]).await.unwrap(),
            [Some(item("NAME_B", 6))]
        );
        assert!(v.erase("NAME_B").await.unwrap());
        assert_eq!(
            v.put_if_absent(vec![item("NAME_B", 7)]).await.unwrap(),
            [PutOutcome::Erased]
        );
        assert_eq!(v.len().unwrap(), 1);
    });
}
