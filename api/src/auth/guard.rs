//! Per-route scope enforcement, answering like API Gateway's JWT authorizer does.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{AuthErrorKind, Authenticator};

/// State of `require_scope`: who checks credentials and which scope the routes need.
#[derive(Clone, Debug)]
pub struct ScopeGuard {
    pub auth: Arc<Authenticator>,
    pub scope: &'static str,
}

impl ScopeGuard {
    pub fn new(auth: Arc<Authenticator>, scope: &'static str) -> Self {
        Self { auth, scope }
    }
}

/// Middleware: 401 without valid credentials, 403 without the scope, otherwise the
/// `Identity` is put into the request extensions for the handler.
pub async fn require_scope(
    State(guard): State<ScopeGuard>,
    mut req: Request,
    next: Next,
) -> Response {
    let outcome = guard
        .auth
        .authenticate(req.headers(), req.uri(), req.extensions())
        .await;
    match outcome {
        Err(err) => {
            // The reason is logged for operators; clients only learn "Unauthorized".
            if err.kind() == AuthErrorKind::Backend {
                tracing::warn!(reason = %err, "authentication backend failed");
            } else {
                tracing::info!(reason = %err, "unauthenticated request");
            }
            unauthorized_response()
        }
        Ok(principal) if !principal.has_scope(guard.scope) => {
            tracing::info!(sub = %principal.sub, scope = guard.scope, "insufficient scope");
            forbidden_response(guard.scope)
        }
        Ok(principal) => {
            tracing::debug!(sub = %principal.sub, via = ?principal.via, "authenticated");
            req.extensions_mut().insert(principal);
            next.run(req).await
        }
    }
}

/// 401 `{"message":"Unauthorized"}` with `WWW-Authenticate: Bearer`.
pub fn unauthorized_response() -> Response {
    let mut res = (
        StatusCode::UNAUTHORIZED,
        axum::Json(json!({"message": "Unauthorized"})),
    )
        .into_response();
    res.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    res
}

/// 403 `{"message":"Forbidden"}` with the RFC 6750 `insufficient_scope` challenge.
pub fn forbidden_response(scope: &str) -> Response {
    let mut res = (
        StatusCode::FORBIDDEN,
        axum::Json(json!({"message": "Forbidden"})),
    )
        .into_response();
    let challenge = format!(
        "Bearer scope=\"{scope}\" error=\"insufficient_scope\" \
         error_description=\"expected scopes: [{scope}]\""
    );
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_headers() {
        let r = unauthorized_response();
        assert_eq!(r.status(), 401);
        assert_eq!(r.headers()[header::WWW_AUTHENTICATE], "Bearer");
        let r = forbidden_response("pii/reidentify");
        assert_eq!(r.status(), 403);
        assert_eq!(
            r.headers()[header::WWW_AUTHENTICATE],
            "Bearer scope=\"pii/reidentify\" error=\"insufficient_scope\" \
             error_description=\"expected scopes: [pii/reidentify]\""
        );
    }
}
