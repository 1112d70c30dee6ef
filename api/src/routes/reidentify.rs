//! `POST /v1/reidentify` and `DELETE /v1/tokens/{token}`: the auditors' routes.

use axum::Json;
use axum::extract::State;

use super::AppState;
use crate::backend::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::model::{EraseResponse, ReidentifyRequest, ReidentifyResponse};

const MAX_TOKEN_LEN: usize = 256;

/// Reverse tokens (a list, a text or a record) with a reason; audited before any original
/// is returned.
#[utoipa::path(
    post,
    path = "/v1/reidentify",
    tag = "reidentify",
    request_body = ReidentifyRequest,
    responses(
        (status = 200, description = "Originals", body = ReidentifyResponse),
        (status = 400, description = "Invalid input (e.g. no reason)", body = ErrorBody),
        (status = 401, description = "No valid credentials"),
        (status = 403, description = "Missing scope pii/reidentify"),
        (status = 503, description = "Audit trail unavailable: nothing returned", body = ErrorBody),
    ),
    security(("bearer" = ["pii/reidentify"]), ("api_key" = []))
)]
pub async fn reidentify(
    State(state): State<AppState>,
    ctx: Caller,
    ApiJson(req): ApiJson<ReidentifyRequest>,
) -> Result<Json<ReidentifyResponse>, ApiError> {
    req.validate(state.limits.max_reason_chars)?;
    state.backend.reidentify(req, &ctx).await.map(Json)
}

/// Erase a vault entry (crypto-shredding): the token can never be reversed again.
#[utoipa::path(
    delete,
    path = "/v1/tokens/{token}",
    tag = "reidentify",
    params(("token" = String, Path, description = "The token to erase")),
    responses(
        (status = 200, description = "Erased (or nothing to erase)", body = EraseResponse),
        (status = 400, description = "Malformed token", body = ErrorBody),
        (status = 401, description = "No valid credentials"),
        (status = 403, description = "Missing scope pii/reidentify"),
    ),
    security(("bearer" = ["pii/reidentify"]), ("api_key" = []))
)]
pub async fn erase_token(
    State(state): State<AppState>,
    ctx: Caller,
    ApiPath(token): ApiPath<String>,
) -> Result<Json<EraseResponse>, ApiError> {
    if token.is_empty() || token.len() > MAX_TOKEN_LEN {
        return Err(ApiError::InvalidInput("malformed token".into()));
    }
    state.backend.erase(&token, &ctx).await.map(Json)
}
