//! SDK errors as `AuditError`s. The audit port has no throttled kind: a throttled or
//! failed write is `Unavailable`, and re-identification then fails closed.

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::AuditError;

pub(crate) fn unavailable<E, R>(operation: &str, err: SdkError<E, R>) -> AuditError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    AuditError::Unavailable(match &err {
        SdkError::ServiceError(e) => format!(
            "{operation}: {} ({})",
            e.err().code().unwrap_or("unknown error"),
            e.err().message().unwrap_or("no message")
        ),
        other => format!("{operation}: {}", DisplayErrorContext(other)),
    })
}
