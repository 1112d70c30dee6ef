//! `DynamoDbVault` against moto: the `VaultStore` contract on a real DynamoDB protocol.

use std::sync::Arc;

use deidentify::{Deidentifier, PutOutcome, VaultError, VaultStore, open};
use detect::EntityType;

use crate::common::{count, item, keyring, moto_vault};

#[tokio::test]
async fn put_if_absent_never_overwrites() {
    let Some((_, vault)) = moto_vault().await else {
        return;
    };
    let k = keyring();
    let first = item(&k, "EMAIL_A", "alice@example.com", 100, None);
    let second = item(&k, "EMAIL_A", "mallory@example.com", 200, None);
    assert_eq!(
        vault.put_if_absent(vec![first.clone()]).await.unwrap(),
        vec![PutOutcome::Inserted]
    );
    assert_eq!(
        vault.put_if_absent(vec![second]).await.unwrap(),
        vec![PutOutcome::Exists(first.clone())]
    );
    let stored = vault.get_many(&["EMAIL_A".into()]).await.unwrap();
    assert_eq!(stored, vec![Some(first.clone())]);
    assert_eq!(*open(&k, &first).unwrap(), "alice@example.com");
}

#[tokio::test]
async fn a_retried_batch_gives_no_duplicates_and_the_same_items() {
    let Some((client, vault)) = moto_vault().await else {
        return;
    };
    let k = keyring();
    let items: Vec<_> = (0..40)
        .map(|i| {
            item(
                &k,
                &format!("EMAIL_{i:03}"),
                &format!("u{i}@example.com"),
                100,
                None,
            )
        })
        .collect();
    let first = vault.put_if_absent(items.clone()).await.unwrap();
    assert_eq!(first, vec![PutOutcome::Inserted; 40]);
    // The retry re-seals (new nonces), as a retried Lambda would: what is stored wins.
    let retried: Vec<_> = (0..40)
        .map(|i| {
            item(
                &k,
                &format!("EMAIL_{i:03}"),
                &format!("u{i}@example.com"),
                150,
                None,
            )
        })
        .collect();
    let second = vault.put_if_absent(retried).await.unwrap();
    let expected: Vec<_> = items.iter().cloned().map(PutOutcome::Exists).collect();
    assert_eq!(
        second, expected,
        "outcomes in input order, holding the first items"
    );
    assert_eq!(count(&client, vault.table()).await, 40);
}

#[tokio::test]
async fn a_collision_is_reported_and_the_stored_item_is_unchanged() {
    let Some((_, vault)) = moto_vault().await else {
        return;
    };
    let vault = Arc::new(vault);
    let k = Arc::new(keyring());
    let d = Deidentifier::new(k.clone(), vault.clone()).with_cache_capacity(0);
    let token = d.token_for(EntityType::Email, "alice@example.com");
    // Someone else's value under alice's token (a forged or corrupted write).
    let planted = item(&k, &token, "mallory@example.com", 100, None);
    vault.put_if_absent(vec![planted.clone()]).await.unwrap();

    let err = d
        .tokenize(&[(EntityType::Email, "alice@example.com")])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, VaultError::Collision { token: t } if *t == token),
        "{err:?}"
    );
    assert!(!err.to_string().contains("alice"), "no plaintext in errors");
    assert_eq!(vault.get_many(&[token]).await.unwrap(), vec![Some(planted)]);
}

#[tokio::test]
async fn reveal_after_tokenize_returns_the_originals() {
    let Some((_, vault)) = moto_vault().await else {
        return;
    };
    let d = Deidentifier::new(Arc::new(keyring()), Arc::new(vault)).with_cache_capacity(0);
    let values = [
        (EntityType::Email, "Alice@Example.com"),
        (EntityType::Phone, "+1 (555) 010-9999"),
        (EntityType::Email, "alice@example.com"),
        (EntityType::Ssn, "123-45-6789"),
    ];
    let tokens = d.tokenize(&values).await.unwrap();
    assert_eq!(tokens[0], tokens[2], "same canonical form, same token");
    let revealed = d.reveal(&tokens).await.unwrap();
    let revealed: Vec<&str> = revealed
        .iter()
        .map(|v| v.as_deref().unwrap().as_str())
        .collect();
    // The first spelling seen is the one stored.
    assert_eq!(
        revealed,
        [
            "Alice@Example.com",
            "+1 (555) 010-9999",
            "Alice@Example.com",
            "123-45-6789"
        ]
    );
}

#[tokio::test]
async fn erase_removes_the_item_for_good() {
    let Some((_, vault)) = moto_vault().await else {
        return;
    };
    let d = Deidentifier::new(Arc::new(keyring()), Arc::new(vault.clone()));
    let token = d
        .tokenize_one(EntityType::Email, "bob@example.com")
        .await
        .unwrap();
    assert!(d.erase(&token).await.unwrap());
    assert!(!d.erase(&token).await.unwrap(), "already gone");
    assert_eq!(
        d.reveal(std::slice::from_ref(&token)).await.unwrap()[0],
        None
    );
    assert_eq!(vault.get_many(&[token]).await.unwrap(), vec![None]);
}

#[tokio::test]
async fn an_erased_token_stays_irreversible_when_its_value_comes_again() {
    let Some((client, vault)) = moto_vault().await else {
        return;
    };
    let d = Deidentifier::new(Arc::new(keyring()), Arc::new(vault.clone()));
    let token = d
        .tokenize_one(EntityType::Email, "carol@example.com")
        .await
        .unwrap();
    assert!(d.erase(&token).await.unwrap());
    // Anonymizing the same value again: through this deidentifier and a fresh one.
    let fresh = Deidentifier::new(Arc::new(keyring()), Arc::new(vault.clone()));
    for again in [&d, &fresh] {
        let same = again
            .tokenize_one(EntityType::Email, "carol@example.com")
            .await
            .unwrap();
        assert_eq!(same, token, "the token stays stable");
        assert_eq!(
            again.reveal(std::slice::from_ref(&token)).await.unwrap()[0],
            None
        );
    }
    // At the store: a put finds the tombstone (also when it may not read it back).
    let k = keyring();
    let item_again = item(&k, &token, "carol@example.com", 300, None);
    assert_eq!(
        vault.put_if_absent(vec![item_again.clone()]).await.unwrap(),
        vec![PutOutcome::Erased]
    );
    assert_eq!(
        vault
            .clone()
            .write_only()
            .put_if_absent(vec![item_again])
            .await
            .unwrap(),
        vec![PutOutcome::Present]
    );
    assert_eq!(
        vault.get_many(std::slice::from_ref(&token)).await.unwrap(),
        vec![None]
    );
    // The table holds the tombstone only: no ciphertext, no nonce, no TTL attribute.
    let raw = client
        .get_item()
        .table_name(vault.table())
        .key(
            "token",
            aws_sdk_dynamodb::types::AttributeValue::S(token.clone()),
        )
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    let mut names: Vec<_> = raw.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["erased_at", "token"]);
}

#[tokio::test]
async fn erasing_an_expired_item_keeps_it_from_coming_back() {
    let Some((_, vault)) = moto_vault().await else {
        return;
    };
    let k = keyring();
    let old = item(&k, "EMAIL_Y", "old@example.com", 100, Some(100)); // expires at 200
    vault.put_if_absent(vec![old]).await.unwrap();
    assert!(vault.erase("EMAIL_Y").await.unwrap());
    let later = item(&k, "EMAIL_Y", "old@example.com", 500, None);
    assert_eq!(
        vault.put_if_absent(vec![later]).await.unwrap(),
        vec![PutOutcome::Erased],
        "an expired item counts as absent, a tombstone never does"
    );
    // Erasing a token never stored still leaves a tombstone.
    assert!(!vault.erase("EMAIL_Z").await.unwrap());
    let z = item(&k, "EMAIL_Z", "z@example.com", 500, None);
    assert_eq!(
        vault.put_if_absent(vec![z]).await.unwrap(),
        vec![PutOutcome::Erased]
    );
}

#[tokio::test]
async fn an_expired_item_counts_as_absent() {
    let Some((_, vault)) = moto_vault().await else {
        return;
    };
    let k = keyring();
    let old = item(&k, "EMAIL_X", "old@example.com", 100, Some(100)); // expires at 200
    vault.put_if_absent(vec![old.clone()]).await.unwrap();
    let early = item(&k, "EMAIL_X", "early@example.com", 199, None);
    assert_eq!(
        vault.put_if_absent(vec![early]).await.unwrap(),
        vec![PutOutcome::Exists(old)],
        "still live one second before it expires"
    );
    let fresh = item(&k, "EMAIL_X", "fresh@example.com", 200, None);
    assert_eq!(
        vault.put_if_absent(vec![fresh.clone()]).await.unwrap(),
        vec![PutOutcome::Inserted],
        "expires_at <= created_at: absent"
    );
    assert_eq!(
        vault.get_many(&["EMAIL_X".into()]).await.unwrap(),
        vec![Some(fresh)]
    );
}

#[tokio::test]
async fn get_many_spans_batches_keeps_order_and_repeats() {
    let Some((_, vault)) = moto_vault().await else {
        return;
    };
    let k = keyring();
    let items: Vec<_> = (0..250)
        .map(|i| {
            item(
                &k,
                &format!("EMAIL_{i:04}"),
                &format!("u{i}@example.com"),
                100,
                None,
            )
        })
        .collect();
    vault.put_if_absent(items.clone()).await.unwrap();
    // Reverse order, a missing token in the middle and repeats across chunk borders.
    let mut asked: Vec<String> = (0..250).rev().map(|i| format!("EMAIL_{i:04}")).collect();
    asked.insert(120, "EMAIL_MISSING".into());
    asked.push("EMAIL_0000".into());
    asked.push("EMAIL_0249".into());
    let got = vault.get_many(&asked).await.unwrap();
    assert_eq!(got.len(), asked.len());
    for (token, got) in asked.iter().zip(&got) {
        match got {
            None => assert_eq!(token, "EMAIL_MISSING"),
            Some(it) => {
                assert_eq!(&it.token, token);
                let i: usize = token[6..].parse().unwrap();
                assert_eq!(it, &items[i]);
            }
        }
    }
    assert_eq!(got.iter().filter(|g| g.is_none()).count(), 1);
}
