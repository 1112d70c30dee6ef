//! The SDK settings the AWS adapters are built for (feature `sdk`, part of `aws`): every
//! piiflow AWS client, vault or not, loads its configuration here.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, SdkConfig};

/// Attempts per call, first one included. Throttling (DynamoDB's
/// ProvisionedThroughputExceeded, KMS's ThrottlingException) is retried by the SDK
/// with backoff; the adapters only see the error once these attempts are spent, and
/// then report it as `VaultError::Throttled` so Step Functions can retry the state.
pub const MAX_ATTEMPTS: u32 = 5;

/// Adaptive retries: besides backing off, the client rate-limits itself after a
/// throttle, which is what a burst of put-if-absent calls on one table needs.
pub fn retry_config() -> RetryConfig {
    RetryConfig::adaptive().with_max_attempts(MAX_ATTEMPTS)
}

/// Region, credentials and endpoint from the environment (Lambda sets them; locally
/// `AWS_ENDPOINT_URL` points at an emulator) with [`retry_config`].
pub async fn load_sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry_config())
        .load()
        .await
}
