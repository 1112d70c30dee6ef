//! The API's error type and its JSON shape.
//!
//! Every error leaves the server as `{"error": {"code", "message", "request_id"}}` with a stable
//! `code` per kind, so clients can branch on the code and never on the message. The request id
//! is filled in by the request-id middleware (see `request_id.rs`), which is the one place that
//! knows it; handlers only say what went wrong.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What went wrong, as a kind with a fixed HTTP status and wire code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiErrorKind {
    InvalidInput,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    Throttled,
    Unavailable,
    Internal,
}

impl ApiErrorKind {
    /// The HTTP status this kind is answered with.
    pub fn status(self) -> StatusCode {
        match self {
            Self::InvalidInput => StatusCode::BAD_REQUEST,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Throttled => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable wire code (`error.code`). Part of the API contract: never rename.
    pub fn code(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Throttled => "throttled",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }
}

/// Errors of the HTTP API, of its handlers and of the backend behind them.
///
/// The `String` is a message meant for the client, except for `Internal`, `Config` and `Io`
/// whose details are logged and replaced by a generic message on the wire: they may name
/// files, hosts or (from a careless backend) data.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("payload too large: {0}")]
    PayloadTooLarge(String),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// A dependency is busy (the vault locked by another writer, DynamoDB or KMS
    /// throttling): the same request may succeed later.
    #[error("throttled: {0}")]
    Throttled(String),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
    /// The server could not be set up (bad configuration, dev auth on a public address).
    #[error("configuration error: {0}")]
    Config(String),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

impl ApiError {
    pub fn kind(&self) -> ApiErrorKind {
        match self {
            Self::InvalidInput(_) => ApiErrorKind::InvalidInput,
            Self::NotFound(_) => ApiErrorKind::NotFound,
            Self::MethodNotAllowed => ApiErrorKind::MethodNotAllowed,
            Self::Conflict(_) => ApiErrorKind::Conflict,
            Self::PayloadTooLarge(_) => ApiErrorKind::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ApiErrorKind::UnsupportedMediaType,
            Self::Throttled(_) => ApiErrorKind::Throttled,
            Self::Unavailable(_) => ApiErrorKind::Unavailable,
            Self::Internal(_) | Self::Config(_) | Self::Io(_) => ApiErrorKind::Internal,
        }
    }

    /// The message a client may see. Internal details are not leaked.
    pub fn public_message(&self) -> String {
        match self {
            Self::InvalidInput(m)
            | Self::NotFound(m)
            | Self::Conflict(m)
            | Self::PayloadTooLarge(m)
            | Self::UnsupportedMediaType(m)
            | Self::Throttled(m)
            | Self::Unavailable(m) => m.clone(),
            Self::MethodNotAllowed => "method not allowed".to_string(),
            Self::Internal(_) | Self::Config(_) | Self::Io(_) => "internal error".to_string(),
        }
    }

    /// The `{code, message}` pair sent to clients (used for batch items too).
    pub fn to_detail(&self) -> ErrorDetail {
        ErrorDetail {
            code: self.kind().code().to_string(),
            message: self.public_message(),
            request_id: None,
        }
    }
}

impl From<service::ServiceError> for ApiError {
    fn from(e: service::ServiceError) -> Self {
        use service::ServiceError as S;
        match e {
            S::InvalidInput(m) => Self::InvalidInput(m),
            S::NotFound(m) => Self::NotFound(m),
            S::Conflict(m) => Self::Conflict(m),
            // 429 as API Gateway answers its own throttling, so a client backs off either way.
            S::Throttled(m) => Self::Throttled(m),
            S::Unavailable(m) => Self::Unavailable(m),
            S::Internal(m) => Self::Internal(m),
        }
    }
}

/// The body of every error response: `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// One error: a stable code, a human message and the request id to quote to operators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code: invalid_input, not_found, method_not_allowed, conflict, payload_too_large,
    /// unsupported_media_type, throttled, unavailable, internal.
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.kind() == ApiErrorKind::Internal {
            // The detail goes to the operator's log, never to the client.
            tracing::error!(error = %self, "internal error");
        }
        let detail = self.to_detail();
        let mut response = (
            self.kind().status(),
            Json(ErrorBody {
                error: detail.clone(),
            }),
        )
            .into_response();
        if self.kind() == ApiErrorKind::Throttled {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
        }
        // The request-id middleware finds this and re-renders the body with the id.
        response.extensions_mut().insert(detail);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_documented_statuses() {
        let cases = [
            (ApiError::InvalidInput("x".into()), 400, "invalid_input"),
            (ApiError::NotFound("x".into()), 404, "not_found"),
            (ApiError::Conflict("x".into()), 409, "conflict"),
            (
                ApiError::PayloadTooLarge("x".into()),
                413,
                "payload_too_large",
            ),
            (ApiError::Throttled("x".into()), 429, "throttled"),
            (ApiError::Unavailable("x".into()), 503, "unavailable"),
            (ApiError::Internal("x".into()), 500, "internal"),
        ];
        for (err, status, code) in cases {
            assert_eq!(err.kind().status().as_u16(), status, "{err}");
            assert_eq!(err.kind().code(), code);
        }
    }

    #[test]
    fn internal_details_are_not_public() {
        let err = ApiError::Internal("vault at /secret/path said alice@example.com".into());
        assert_eq!(err.public_message(), "internal error");
        let io = ApiError::Io(std::io::Error::other("/etc/piiflow/key"));
        assert_eq!(io.public_message(), "internal error");
        assert_eq!(io.kind(), ApiErrorKind::Internal);
    }

    #[test]
    fn client_errors_keep_their_message() {
        let err = ApiError::InvalidInput("`reason` is required".into());
        assert_eq!(err.to_detail().message, "`reason` is required");
    }
}
