//! SDK errors as `VaultError`s. Messages carry the operation, the service's error code
//! and message (which never hold vault plaintext: DynamoDB only ever sees ciphertext,
//! and KMS messages name keys, not key material).

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::VaultError;

/// Error codes AWS services use for "slow down"; kept after the SDK's own retries.
const THROTTLING_CODES: &[&str] = &[
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "Throttling",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "LimitExceededException",
];

pub(crate) fn is_throttling(code: Option<&str>) -> bool {
    code.is_some_and(|c| THROTTLING_CODES.contains(&c))
}

/// The code of a service error, if the call got that far.
pub(crate) fn code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<&str> {
    match err {
        SdkError::ServiceError(e) => e.err().code(),
        _ => None,
    }
}

/// Throttling → `Throttled`; everything else (5xx, network, validation) → `Storage`.
pub(crate) fn vault_error<E, R>(operation: &str, err: SdkError<E, R>) -> VaultError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let text = describe(operation, &err);
    if is_throttling(code(&err)) {
        VaultError::Throttled(text)
    } else {
        VaultError::Storage(text)
    }
}

pub(crate) fn describe<E, R>(operation: &str, err: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match err {
        SdkError::ServiceError(e) => {
            let e = e.err();
            format!(
                "{operation}: {} ({})",
                e.code().unwrap_or("unknown error"),
                e.message().unwrap_or("no message")
            )
        }
        other => format!("{operation}: {}", DisplayErrorContext(other)),
    }
}
