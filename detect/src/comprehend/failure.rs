//! Why one chunk could not be answered by Comprehend. Every kind falls back to patterns;
//! the kinds exist so the `degraded` note says what went wrong.

use aws_sdk_comprehend::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_comprehend::operation::detect_pii_entities::DetectPiiEntitiesError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChunkFailure {
    #[error("throttled by Comprehend ({0})")]
    Throttled(String),
    #[error("Comprehend unreachable ({0})")]
    Unreachable(String),
    #[error("language {0:?} is not supported by Comprehend PII detection")]
    UnsupportedLanguage(String),
    #[error("request not sent, e.g. no credentials ({0})")]
    NotSent(String),
    #[error("Comprehend error ({0})")]
    Service(String),
    #[error("Comprehend returned offsets outside the text")]
    BadOffsets,
    #[error("Comprehend did not answer within the time budget")]
    Deadline,
}

/// Error codes Comprehend and the AWS front end use for throttling; the SDK retries them,
/// so seeing one here means the retries were used up.
const THROTTLING_CODES: &[&str] = &[
    "ThrottlingException",
    "TooManyRequestsException",
    "Throttling",
    "RequestLimitExceeded",
];

impl ChunkFailure {
    pub(crate) fn from_sdk<R>(err: SdkError<DetectPiiEntitiesError, R>, language: &str) -> Self
    where
        R: std::fmt::Debug,
    {
        match &err {
            SdkError::ServiceError(service) => {
                let e = service.err();
                if e.is_unsupported_language_exception() {
                    return Self::UnsupportedLanguage(language.to_string());
                }
                let code = error_name(e);
                if THROTTLING_CODES.contains(&code) {
                    Self::Throttled(code.to_string())
                } else {
                    Self::Service(code.to_string())
                }
            }
            // The orchestrator reports failures before the wire (no credentials, no auth
            // scheme) as dispatch failures too; only IO and timeouts mean the network.
            SdkError::DispatchFailure(d) if !(d.is_io() || d.is_timeout()) => {
                Self::NotSent(DisplayErrorContext(&err).to_string())
            }
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
                Self::Unreachable(DisplayErrorContext(&err).to_string())
            }
            SdkError::ConstructionFailure(_) => {
                Self::NotSent(DisplayErrorContext(&err).to_string())
            }
            // A response that could not be read, e.g. a 5xx with a body that is not JSON.
            _ => Self::Service(DisplayErrorContext(&err).to_string()),
        }
    }
}

/// The error code from the response, else the modeled variant's name (errors built in
/// code carry no code), so the note always names the kind.
fn error_name(e: &DetectPiiEntitiesError) -> &str {
    if let Some(code) = e.code() {
        return code;
    }
    match e {
        DetectPiiEntitiesError::InternalServerException(_) => "InternalServerException",
        DetectPiiEntitiesError::InvalidRequestException(_) => "InvalidRequestException",
        DetectPiiEntitiesError::TextSizeLimitExceededException(_) => {
            "TextSizeLimitExceededException"
        }
        DetectPiiEntitiesError::UnsupportedLanguageException(_) => "UnsupportedLanguageException",
        _ => "unknown",
    }
}
