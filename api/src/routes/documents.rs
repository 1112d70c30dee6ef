//! `POST /v1/documents` and `GET /v1/documents/{id}`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::model::{DocumentRequest, DocumentStarted, DocumentStatus};

const MAX_ID_LEN: usize = 256;

/// Start anonymizing a document held in object storage; poll the returned id.
#[utoipa::path(
    post,
    path = "/v1/documents",
    tag = "documents",
    request_body = DocumentRequest,
    responses(
        (status = 202, description = "Started", body = DocumentStarted,
         headers(("location" = String, description = "URL of the status resource"))),
        (status = 400, description = "Invalid input", body = ErrorBody),
        (status = 401, description = "No valid credentials"),
        (status = 403, description = "Missing scope pii/anonymize"),
    ),
    security(("bearer" = ["pii/anonymize"]), ("api_key" = []))
)]
pub async fn start_document(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<DocumentRequest>,
) -> Result<Response, ApiError> {
    req.validate()?;
    let started = state.backend.start_document(req).await?;
    let mut res = (StatusCode::ACCEPTED, Json(&started)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/documents/{}", started.id)) {
        res.headers_mut().insert(header::LOCATION, location);
    }
    Ok(res)
}

/// Status, result location and summary of a document run.
#[utoipa::path(
    get,
    path = "/v1/documents/{id}",
    tag = "documents",
    params(("id" = String, Path, description = "Id returned by POST /v1/documents")),
    responses(
        (status = 200, description = "Status", body = DocumentStatus),
        (status = 404, description = "No such document run", body = ErrorBody),
        (status = 401, description = "No valid credentials"),
        (status = 403, description = "Missing scope pii/anonymize"),
    ),
    security(("bearer" = ["pii/anonymize"]), ("api_key" = []))
)]
pub async fn get_document(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<DocumentStatus>, ApiError> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(ApiError::InvalidInput("bad document id".into()));
    }
    state.backend.get_document(&id).await.map(Json)
}
