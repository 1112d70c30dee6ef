//! Request ids: taken from `x-request-id` when it looks sane, generated otherwise; put into
//! the request extensions, the tracing span, the response header and every JSON error body.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::error::{ErrorBody, ErrorDetail};

pub const REQUEST_ID_HEADER: &str = "x-request-id";
const MAX_LEN: usize = 128;

/// The id of the current request (an extension set by `request_id_layer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// Middleware; install outermost so every response, errors included, carries the id.
pub async fn request_id_layer(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_acceptable(v))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        route = %req.uri().path(),
    );
    let mut res = next.run(req).instrument(span).await;
    if let Some(mut detail) = res.extensions_mut().remove::<ErrorDetail>() {
        detail.request_id = Some(id.clone());
        if let Ok(body) = serde_json::to_vec(&ErrorBody { error: detail }) {
            res.headers_mut().remove(header::CONTENT_LENGTH);
            *res.body_mut() = Body::from(body);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    res
}

/// Client ids are echoed into headers and logs, so only short plain tokens are taken.
fn is_acceptable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Outside the middleware (unit tests of a bare handler) an id is still produced.
        Ok(parts
            .extensions
            .get::<RequestId>()
            .cloned()
            .unwrap_or_else(|| RequestId(uuid::Uuid::new_v4().to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acceptable_ids() {
        assert!(is_acceptable("abc-123_x.y:z"));
        assert!(is_acceptable(&"a".repeat(128)));
        assert!(!is_acceptable(&"a".repeat(129)));
        assert!(!is_acceptable(""));
        assert!(!is_acceptable("a b"));
        assert!(!is_acceptable("x\u{7f}"));
        assert!(!is_acceptable("<script>"));
    }
}
