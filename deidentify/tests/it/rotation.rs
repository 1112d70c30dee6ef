use std::sync::Arc;

use deidentify::{Deidentifier, FileKeyring, Keyring, SqliteVault, VaultStore};
use detect::EntityType;

use crate::common::rt;

#[test]
fn data_key_rotation_keeps_old_items_readable_and_seals_new_ones_with_the_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let kpath = dir.path().join("keyring.json");
    let vault = Arc::new(SqliteVault::open(dir.path().join("vault.db")).unwrap());
    rt().block_on(async {
        let before = Deidentifier::new(
            Arc::new(FileKeyring::create(&kpath).unwrap()),
            vault.clone(),
        );
        let old = before
            .tokenize_one(EntityType::Name, "Old Name")
            .await
            .unwrap();

        assert_eq!(FileKeyring::rotate_data_key(&kpath).unwrap(), 2);
        let keyring = FileKeyring::open(&kpath).unwrap();
        assert_eq!(keyring.current_data_key().0, 2);
        let after = Deidentifier::new(Arc::new(keyring), vault.clone());
        let new = after
            .tokenize_one(EntityType::Name, "New Name")
            .await
            .unwrap();

        let items = vault.get_many(&[old.clone(), new.clone()]).await.unwrap();
        assert_eq!(items[0].as_ref().unwrap().key_version, 1);
        assert_eq!(items[1].as_ref().unwrap().key_version, 2);
        // Data keys do not enter tokens: the same value keeps its token.
        assert_eq!(after.token_for(EntityType::Name, "Old Name"), old);

        let shown = after.reveal(&[old, new]).await.unwrap();
        assert_eq!(shown[0].as_deref().unwrap().as_str(), "Old Name");
        assert_eq!(shown[1].as_deref().unwrap().as_str(), "New Name");
    });
}

#[test]
fn token_key_rotation_changes_future_tokens_but_old_tokens_still_reveal() {
    let dir = tempfile::tempdir().unwrap();
    let kpath = dir.path().join("keyring.json");
    let vault = Arc::new(SqliteVault::open(dir.path().join("vault.db")).unwrap());
    rt().block_on(async {
        let before = Deidentifier::new(
            Arc::new(FileKeyring::create(&kpath).unwrap()),
            vault.clone(),
        );
        let old = before
            .tokenize_one(EntityType::Email, "a@b.c")
            .await
            .unwrap();
        assert_eq!(FileKeyring::rotate_token_key(&kpath).unwrap(), 2);
        let after = Deidentifier::new(Arc::new(FileKeyring::open(&kpath).unwrap()), vault.clone());
        let new = after
            .tokenize_one(EntityType::Email, "a@b.c")
            .await
            .unwrap();
        assert_ne!(old, new);
        let shown = after.reveal(&[old, new]).await.unwrap();
        assert!(
            shown
                .iter()
                .all(|s| s.as_deref().map(|s| s.as_str()) == Some("a@b.c"))
        );
    });
}
