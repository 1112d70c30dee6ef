//! `KmsKeyring` against moto's KMS: envelope encryption with encryption contexts.

use deidentify::WrappedKeyring;
use deidentify::aws::KmsKeyring;
use deidentify::{Keyring, VaultError, open, seal};
use detect::EntityType;

use crate::common::moto;

async fn kms_with_key() -> Option<(aws_sdk_kms::Client, String)> {
    let config = moto().await?;
    let client = aws_sdk_kms::Client::new(&config);
    let key = client
        .create_key()
        .description("piiflow test")
        .send()
        .await
        .unwrap();
    let id = key.key_metadata.unwrap().key_id;
    Some((client, id))
}

#[tokio::test]
async fn generate_unwrap_and_seal_open_round_trip() {
    let Some((kms, key_id)) = kms_with_key().await else {
        return;
    };
    let wrapped = KmsKeyring::generate(&kms, &key_id).await.unwrap();
    assert_eq!(wrapped.kms_key_id, key_id);
    // What is stored survives JSON, and unwrapping it twice (two cold starts) agrees.
    let wrapped = WrappedKeyring::from_json(&wrapped.to_json()).unwrap();
    let a = KmsKeyring::unwrap(&kms, &wrapped).await.unwrap();
    let b = KmsKeyring::unwrap(&kms, &wrapped).await.unwrap();
    assert_eq!(a.current_token_key(), b.current_token_key());
    assert_eq!(a.current_data_key().0, 1);
    assert_ne!(
        a.current_token_key().1,
        a.current_data_key().1,
        "separate token and data keys"
    );
    let it = seal(
        &a,
        "EMAIL_T",
        EntityType::Email,
        "carol@example.com",
        1,
        None,
    )
    .unwrap();
    assert_eq!(*open(&b, &it).unwrap(), "carol@example.com");
    assert!(format!("{a:?}").contains("KmsKeyring"));
}

#[tokio::test]
async fn rotation_keeps_old_versions_decryptable() {
    let Some((kms, key_id)) = kms_with_key().await else {
        return;
    };
    let mut wrapped = KmsKeyring::generate(&kms, &key_id).await.unwrap();
    let before = KmsKeyring::unwrap(&kms, &wrapped).await.unwrap();
    let old = seal(
        &before,
        "EMAIL_R",
        EntityType::Email,
        "dan@example.com",
        1,
        None,
    )
    .unwrap();

    assert_eq!(
        KmsKeyring::rotate_data_key(&kms, &mut wrapped)
            .await
            .unwrap(),
        2
    );
    let after = KmsKeyring::unwrap(&kms, &wrapped).await.unwrap();
    assert_eq!(after.current_data_key().0, 2);
    assert_eq!(
        after.current_token_key(),
        before.current_token_key(),
        "tokens do not change with the data key"
    );
    let new = seal(
        &after,
        "EMAIL_R",
        EntityType::Email,
        "dan@example.com",
        2,
        None,
    )
    .unwrap();
    assert_eq!((old.key_version, new.key_version), (1, 2));
    assert_eq!(*open(&after, &old).unwrap(), "dan@example.com");
    assert_eq!(*open(&after, &new).unwrap(), "dan@example.com");
}

fn assert_clear_keyring_error(err: VaultError, wrapped: &WrappedKeyring) {
    let text = err.to_string();
    assert!(matches!(err, VaultError::Keyring(_)), "{err:?}");
    assert!(text.contains("Decrypt"), "{text}");
    for k in wrapped.token_keys.iter().chain(&wrapped.data_keys) {
        assert!(
            !text.contains(&k.ciphertext_b64),
            "no key blobs in errors: {text}"
        );
    }
}

#[tokio::test]
async fn tampered_ciphertext_fails_clearly() {
    let Some((kms, key_id)) = kms_with_key().await else {
        return;
    };
    let mut wrapped = KmsKeyring::generate(&kms, &key_id).await.unwrap();
    let blob = &mut wrapped.data_keys[0].ciphertext_b64;
    let mut bytes = data_encoding::BASE64.decode(blob.as_bytes()).unwrap();
    *bytes.last_mut().unwrap() ^= 0x01;
    *blob = data_encoding::BASE64.encode(&bytes);
    let err = KmsKeyring::unwrap(&kms, &wrapped).await.unwrap_err();
    assert_clear_keyring_error(err, &wrapped);
}

#[tokio::test]
async fn a_blob_under_the_wrong_context_fails_clearly() {
    let Some((kms, key_id)) = kms_with_key().await else {
        return;
    };
    let mut wrapped = KmsKeyring::generate(&kms, &key_id).await.unwrap();
    // The token key's blob presented as the data key: purpose differs.
    wrapped.data_keys[0].ciphertext_b64 = wrapped.token_keys[0].ciphertext_b64.clone();
    let err = KmsKeyring::unwrap(&kms, &wrapped).await.unwrap_err();
    assert!(err.to_string().contains("piiflow-data key v1"), "{err}");
    assert_clear_keyring_error(err, &wrapped);

    // A data key claimed to be another version: version differs.
    let mut wrapped = KmsKeyring::generate(&kms, &key_id).await.unwrap();
    wrapped.data_keys[0].version = 2;
    let err = KmsKeyring::unwrap(&kms, &wrapped).await.unwrap_err();
    assert_clear_keyring_error(err, &wrapped);
}
