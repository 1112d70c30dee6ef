use deidentify::{Keyring, PutOutcome, VaultError, VaultStore, seal};
use detect::EntityType;

use crate::common::{open_in, rt};

#[test]
fn retrying_a_batch_gives_the_same_tokens_and_no_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let batch = [
        (EntityType::Email, "jane@example.com"),
        (EntityType::Phone, "+1 555 0100"),
        (EntityType::Email, "JANE@example.com"),
        (EntityType::Name, "Jane Doe"),
    ];
    rt().block_on(async {
        let (d1, vault) = open_in(dir.path());
        let first = d1.tokenize(&batch).await.unwrap();
        // A second instance has an empty cache, so the retry really goes to the vault.
        let (d2, _) = open_in(dir.path());
        let second = d2.tokenize(&batch).await.unwrap();
        assert_eq!(first, second);
        assert_eq!(first[0], first[2]);
        assert_eq!(vault.len().unwrap(), 3);
    });
}

#[test]
fn a_token_holding_another_value_is_a_collision_and_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let (d, vault) = open_in(dir.path());
        let keyring = deidentify::FileKeyring::open(dir.path().join("keyring.json")).unwrap();
        let token = d.token_for(EntityType::Email, "victim@example.com");
        // Simulate a collision: the vault already maps that token to something else.
        let planted = seal(
            &keyring,
            &token,
            EntityType::Email,
            "other@example.com",
            1,
            None,
        )
        .unwrap();
        assert_eq!(
            vault.put_if_absent(vec![planted.clone()]).await.unwrap(),
            [PutOutcome::Inserted]
        );

        let err = d
            .tokenize(&[
                (EntityType::Name, "Fine"),
                (EntityType::Email, "victim@example.com"),
            ])
            .await
            .unwrap_err();
        assert!(
            matches!(&err, VaultError::Collision { token: t } if *t == token),
            "{err}"
        );
        assert!(
            !format!("{err} {err:?}").contains("victim"),
            "no original in the error"
        );

        assert_eq!(
            vault.get_many(std::slice::from_ref(&token)).await.unwrap()[0],
            Some(planted)
        );
        let shown = d.reveal(&[token]).await.unwrap();
        assert_eq!(shown[0].as_deref().unwrap().as_str(), "other@example.com");
        // The other value of the batch was stored all the same.
        let fine = d.token_for(EntityType::Name, "Fine");
        assert!(d.reveal(&[fine]).await.unwrap()[0].is_some());
        let _ = keyring.current_data_key();
    });
}

#[test]
fn same_canonical_value_under_a_token_is_not_a_collision() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let (d, _) = open_in(dir.path());
        let a = d
            .tokenize_one(EntityType::CreditDebitNumber, "4111 1111 1111 1111")
            .await
            .unwrap();
        let (d2, _) = open_in(dir.path());
        let b = d2
            .tokenize_one(EntityType::CreditDebitNumber, "4111-1111-1111-1111")
            .await
            .unwrap();
        assert_eq!(a, b);
        let shown = d2.reveal(&[a]).await.unwrap();
        assert_eq!(shown[0].as_deref().unwrap().as_str(), "4111 1111 1111 1111");
    });
}

#[test]
fn a_ciphertext_moved_to_another_token_fails_to_decrypt() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let (d, vault) = open_in(dir.path());
        let a = d
            .tokenize_one(EntityType::Ssn, "123-45-6789")
            .await
            .unwrap();
        let b = d.token_for(EntityType::Ssn, "987-65-4321");
        let mut moved = vault.get_many(&[a]).await.unwrap().pop().unwrap().unwrap();
        moved.token = b.clone();
        vault.put_if_absent(vec![moved]).await.unwrap();
        let err = d.reveal(&[b]).await.unwrap_err();
        assert!(matches!(err, VaultError::Decrypt { .. }), "{err}");
    });
}

#[test]
fn different_keyrings_give_different_tokens() {
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, _) = open_in(one.path());
    let (b, _) = open_in(two.path());
    for &t in EntityType::ALL {
        assert_ne!(a.token_for(t, "same value"), b.token_for(t, "same value"));
    }
}

#[test]
fn two_writers_on_one_file_agree() {
    let dir = tempfile::tempdir().unwrap();
    open_in(dir.path());
    let values: Vec<String> = (0..300).map(|i| format!("user{i}@example.com")).collect();
    let results: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let (d, _) = open_in(dir.path());
                    let batch: Vec<_> = values
                        .iter()
                        .map(|v| (EntityType::Email, v.as_str()))
                        .collect();
                    rt().block_on(async {
                        let mut all = Vec::new();
                        for chunk in batch.chunks(50) {
                            all.extend(d.tokenize(chunk).await.unwrap());
                        }
                        all
                    })
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results[0], results[1]);
    let (_, vault) = open_in(dir.path());
    assert_eq!(vault.len().unwrap(), 300);
}
