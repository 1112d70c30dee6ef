//! Faults moto cannot produce, injected with aws-smithy-mocks: the SDK really
//! serializes, retries and deserializes; only the HTTP exchange is scripted.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::operation::put_item::PutItemOutput;
use aws_sdk_kms::operation::decrypt::DecryptOutput;
use aws_sdk_kms::primitives::Blob;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use deidentify::aws::{DynamoDbVault, KmsKeyring};
use deidentify::{Deidentifier, PutOutcome, VaultError, VaultStore};
use deidentify::{WrappedKey, WrappedKeyring};
use detect::EntityType;

use crate::common::{item, keyring};

const THROTTLED: &str = r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded."}"#;
const KMS_DISABLED: &str = r#"{"__type":"DisabledException","message":"arn:aws:kms:us-east-1:123456789012:key/k is disabled."}"#;

/// Three attempts with millisecond backoff: the policy's shape without its waiting.
fn fast_retries() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn one_item() -> Vec<deidentify::VaultItem> {
    vec![item(&keyring(), "EMAIL_F", "erin@example.com", 100, None)]
}

#[tokio::test]
async fn throttling_twice_then_success_puts_via_sdk_retries() {
    let put = mock!(aws_sdk_dynamodb::Client::put_item)
        .sequence()
        .http_status(400, Some(THROTTLED.into()))
        .times(2)
        .output(|| PutItemOutput::builder().build())
        .build();
    let client = mock_client!(aws_sdk_dynamodb, RuleMode::Sequential, [&put], |b| b
        .retry_config(fast_retries()));
    let vault = DynamoDbVault::new(client, "vault");
    assert_eq!(
        vault.put_if_absent(one_item()).await.unwrap(),
        vec![PutOutcome::Inserted]
    );
    assert_eq!(put.num_calls(), 3);
}

/// A put the SDK keeps failing: (status, body, the error's kind, a name its message
/// carries, the attempts made when that is asserted).
type PutFault = (
    u16,
    Option<&'static str>,
    fn(&VaultError) -> bool,
    &'static str,
    Option<usize>,
);

#[tokio::test]
async fn persistent_put_failures_keep_their_kind_and_name() {
    let faults: [PutFault; 2] = [
        // Throttling: the SDK spends its attempts, then it is Throttled.
        (
            400,
            Some(THROTTLED),
            |e| matches!(e, VaultError::Throttled(_)),
            "ProvisionedThroughputExceededException",
            Some(3),
        ),
        // A server error is a storage error.
        (
            500,
            None,
            |e| matches!(e, VaultError::Storage(_)),
            "PutItem",
            None,
        ),
    ];
    for (status, body, is_kind, name, attempts) in faults {
        let put = mock!(aws_sdk_dynamodb::Client::put_item)
            .sequence()
            .http_status(status, body.map(str::to_string))
            .repeatedly()
            .build();
        let client = mock_client!(aws_sdk_dynamodb, RuleMode::Sequential, [&put], |b| b
            .retry_config(fast_retries()));
        let err = DynamoDbVault::new(client, "vault")
            .put_if_absent(one_item())
            .await
            .unwrap_err();
        assert!(is_kind(&err), "{err:?}");
        assert!(err.to_string().contains(name), "{err}");
        if let Some(attempts) = attempts {
            assert_eq!(put.num_calls(), attempts, "the SDK spent its attempts");
        }
    }
}

fn wrapped() -> WrappedKeyring {
    let blob = |b: u8| WrappedKey {
        version: 1,
        ciphertext_b64: data_encoding::BASE64.encode(&[b; 48]),
    };
    WrappedKeyring {
        kms_key_id: "alias/piiflow".into(),
        token_keys: vec![blob(1)],
        data_keys: vec![blob(2)],
    }
}

/// A cold start: unwrap the keyring, then tokenize one value into the vault.
async fn cold_start_tokenize(
    kms: &aws_sdk_kms::Client,
    vault: DynamoDbVault,
) -> Result<String, VaultError> {
    let keys = KmsKeyring::unwrap(kms, &wrapped()).await?;
    Deidentifier::new(Arc::new(keys), Arc::new(vault))
        .tokenize_one(EntityType::Email, "frank@example.com")
        .await
}

#[tokio::test]
async fn a_kms_decrypt_failure_is_a_keyring_error_and_nothing_is_written() {
    let decrypt = mock!(aws_sdk_kms::Client::decrypt)
        .sequence()
        .http_status(400, Some(KMS_DISABLED.into()))
        .repeatedly()
        .build();
    let put =
        mock!(aws_sdk_dynamodb::Client::put_item).then_output(|| PutItemOutput::builder().build());
    let kms = mock_client!(aws_sdk_kms, [&decrypt]);
    let dynamo = mock_client!(aws_sdk_dynamodb, [&put]);
    let err = cold_start_tokenize(&kms, DynamoDbVault::new(dynamo, "vault"))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, VaultError::Keyring(_)), "{err:?}");
    assert!(
        text.contains("DisabledException") && text.contains("Decrypt"),
        "{text}"
    );
    assert_eq!(put.num_calls(), 0, "no vault write without keys");
}

#[tokio::test]
async fn with_kms_answering_the_same_cold_start_writes_one_item() {
    // The control for the test above: the same flow does write when KMS answers.
    let decrypt = mock!(aws_sdk_kms::Client::decrypt)
        .sequence()
        .output(|| {
            DecryptOutput::builder()
                .plaintext(Blob::new(vec![9; 32]))
                .build()
        })
        .times(2)
        .build();
    let put =
        mock!(aws_sdk_dynamodb::Client::put_item).then_output(|| PutItemOutput::builder().build());
    let kms = mock_client!(aws_sdk_kms, [&decrypt]);
    let dynamo = mock_client!(aws_sdk_dynamodb, [&put]);
    let token = cold_start_tokenize(&kms, DynamoDbVault::new(dynamo, "vault"))
        .await
        .unwrap();
    assert!(token.starts_with("EMAIL_"), "{token}");
    assert_eq!(decrypt.num_calls(), 2, "token key and data key");
    assert_eq!(put.num_calls(), 1);
}

#[tokio::test]
async fn kms_plaintext_of_the_wrong_size_is_refused() {
    let decrypt = mock!(aws_sdk_kms::Client::decrypt)
        .sequence()
        .output(|| {
            DecryptOutput::builder()
                .plaintext(Blob::new(vec![9; 16]))
                .build()
        })
        .repeatedly()
        .build();
    let kms = mock_client!(aws_sdk_kms, [&decrypt]);
    let err = KmsKeyring::unwrap(&kms, &wrapped()).await.unwrap_err();
    assert!(err.to_string().contains("not 32 bytes"), "{err}");
}

#[tokio::test]
async fn a_write_only_vault_neither_asks_for_nor_reads_the_existing_item() {
    use aws_sdk_dynamodb::operation::put_item::PutItemError;
    use aws_sdk_dynamodb::types::ReturnValuesOnConditionCheckFailure;
    use aws_sdk_dynamodb::types::error::ConditionalCheckFailedException;

    let put = mock!(aws_sdk_dynamodb::Client::put_item)
        .match_requests(|r| {
            r.return_values_on_condition_check_failure()
                != Some(&ReturnValuesOnConditionCheckFailure::AllOld)
        })
        .then_error(|| {
            PutItemError::ConditionalCheckFailedException(
                ConditionalCheckFailedException::builder().build(),
            )
        });
    // No rule for GetItem: a read would fail the test.
    let client = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&put]);
    let vault = DynamoDbVault::new(client.clone(), "vault").write_only();
    assert_eq!(
        vault.put_if_absent(one_item()).await.unwrap(),
        vec![PutOutcome::Present]
    );
    assert_eq!(put.num_calls(), 1);

    // The deidentifier takes a present token as stored.
    let deidentifier = Deidentifier::new(
        Arc::new(keyring()),
        Arc::new(DynamoDbVault::new(client, "vault").write_only()),
    );
    let token = deidentifier
        .tokenize_one(EntityType::Email, "erin@example.com")
        .await
        .unwrap();
    assert!(token.starts_with("EMAIL_"), "{token}");
}
