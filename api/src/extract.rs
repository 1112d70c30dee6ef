//! Extractors whose rejections are `ApiError`s, so malformed input gets the same JSON error
//! shape as everything else (axum's own answer plain text).

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::auth::Identity;
use crate::backend::Caller;
use crate::error::ApiError;
use crate::gateway::GatewayContext;
use crate::object::Object;
use crate::request_id::RequestId;

/// `Json<T>` with JSON errors: 400 for bad JSON, 413 over the body limit, 415 without a JSON
/// content type.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<Object<T>>::from_request(req, state).await {
            Ok(Json(Object(value))) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::UnsupportedMediaType("expected Content-Type: application/json".into())
        }
        JsonRejection::JsonSyntaxError(_) => ApiError::InvalidInput("malformed JSON".into()),
        JsonRejection::JsonDataError(e) => ApiError::InvalidInput(e.body_text()),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::PayloadTooLarge("request body is larger than the limit".into())
        }
        other => ApiError::InvalidInput(other.body_text()),
    }
}

/// `Query<T>` with JSON errors.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Self(v))
            .map_err(|e: QueryRejection| ApiError::InvalidInput(e.body_text()))
    }
}

/// `Path<T>` with JSON errors.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| Self(v))
            .map_err(|e: PathRejection| ApiError::InvalidInput(e.body_text()))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // The scope guard puts the principal there; its absence is a wiring bug, not a
        // client error, and must never fall through to an anonymous call.
        let principal = parts
            .extensions
            .get::<Identity>()
            .cloned()
            .ok_or_else(|| ApiError::Internal("route without a scope guard".into()))?;
        // Behind a gateway its id and the client address it saw are what the audit trail
        // records; a client's `x-request-id` is only echoed back.
        let (request_id, source_ip) = match parts.extensions.get::<GatewayContext>() {
            Some(gateway) => (gateway.request_id.clone(), gateway.source_ip),
            None => {
                let RequestId(id) = RequestId::from_request_parts(parts, state)
                    .await
                    .unwrap_or_else(|never| match never {});
                let peer = parts
                    .extensions
                    .get::<ConnectInfo<std::net::SocketAddr>>()
                    .map(|ConnectInfo(addr)| addr.ip());
                (id, peer)
            }
        };
        // Only a caller who proved itself with a bearer token has one to forward.
        let access_token = matches!(
            principal.via,
            crate::auth::AuthMethod::Jwt | crate::auth::AuthMethod::LambdaAuthorizer
        )
        .then(|| bearer(parts))
        .flatten()
        .map(reidentify::AccessToken::new);
        Ok(Caller {
            principal,
            request_id,
            source_ip,
            access_token,
        })
    }
}

/// The token of an `Authorization: Bearer ...` header.
fn bearer(parts: &Parts) -> Option<String> {
    let value = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}
