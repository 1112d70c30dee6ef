//! The one router, for the socket server, the Lambda adapter and tests alike.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::middleware::{from_fn, from_fn_with_state, map_response};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use jsonwebtoken::jwk::JwkSet;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::{Authenticator, SCOPE_ANONYMIZE, SCOPE_REIDENTIFY, ScopeGuard, require_scope};
use crate::backend::PiiBackend;
use crate::config::{ApiLimits, ServeConfig};
use crate::error::ApiError;
use crate::openapi::openapi_document;
use crate::request_id::request_id_layer;
use crate::routes::{AppState, anonymize, audit, documents, fallback, jobs, reidentify};

/// The API's routes with their scopes, JSON errors, body limit and request ids.
pub fn router(backend: Arc<dyn PiiBackend>, auth: Arc<Authenticator>, limits: ApiLimits) -> Router {
    let body_limit = limits.max_body_bytes;
    let state = AppState {
        backend,
        limits: limits.clone(),
    };

    let anonymize_routes = Router::new()
        .route("/v1/anonymize", post(anonymize::anonymize))
        .route("/v1/anonymize/batch", post(anonymize::anonymize_batch))
        .route("/v1/documents", post(documents::start_document))
        .route("/v1/documents/uploads", post(documents::upload_document))
        .route("/v1/documents/{id}", get(documents::get_document))
        .route("/v1/jobs", post(jobs::start_job))
        .route("/v1/jobs/{id}", get(jobs::get_job))
        .route_layer(from_fn_with_state(
            ScopeGuard::new(auth.clone(), SCOPE_ANONYMIZE),
            require_scope,
        ));
    let reidentify_routes = Router::new()
        .route("/v1/reidentify", post(reidentify::reidentify))
        .route("/v1/tokens/{token}", delete(reidentify::erase_token))
        .route("/v1/audit", get(audit::audit))
        .route_layer(from_fn_with_state(
            ScopeGuard::new(auth, SCOPE_REIDENTIFY),
            require_scope,
        ));
    let protected = anonymize_routes
        .merge(reidentify_routes)
        .layer(map_response(no_store))
        .with_state(state);

    Router::new()
        .merge(protected)
        .merge(
            SwaggerUi::new("/docs")
                .external_url_unchecked("/openapi.json", openapi_document(&limits)),
        )
        .fallback(fallback::not_found)
        .method_not_allowed_fallback(fallback::method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(CatchPanicLayer::custom(|_panic| {
            ApiError::Internal("handler panicked".into()).into_response()
        }))
        // Outermost, so that every answer above (errors, panics, 401s) carries the id.
        .layer(from_fn(request_id_layer))
}

/// The router for a `ServeConfig`: builds the authenticator, and in dev-auth mode trusts the
/// dev issuer and serves its JWKS at `/.well-known/jwks.json`.
pub fn build_router(
    config: &ServeConfig,
    backend: Arc<dyn PiiBackend>,
) -> Result<Router, ApiError> {
    let mut auth_config = config.auth.clone();
    let mut dev_jwks: Option<JwkSet> = None;
    if let Some(dev) = &config.dev_auth {
        if auth_config.jwt.is_some() {
            return Err(ApiError::Config(
                "dev auth replaces JWT verification: configure one or the other".into(),
            ));
        }
        auth_config.jwt = Some(dev.jwt_config());
        dev_jwks = Some(dev.jwks());
    }
    let auth = Authenticator::new(&auth_config).map_err(|e| ApiError::Config(e.to_string()))?;
    let mut app = router(backend, Arc::new(auth), config.limits.clone());
    if let Some(jwks) = dev_jwks {
        app = app.route(
            "/.well-known/jwks.json",
            get(move || async move { axum::Json(jwks) }),
        );
    }
    Ok(app)
}

/// Answers about PII (anonymized or, worse, re-identified) must not sit in shared caches.
async fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
