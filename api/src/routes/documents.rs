//! `POST /v1/documents` and `GET /v1/documents/{id}`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::model::{DocumentRequest, DocumentStarted, DocumentStatus, UploadRequest, UploadTicket};

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
        (status = 200, description = "This document version already has a run (started by an \
         earlier POST or by the upload rule): that run, with `existing: true`; nothing started",
         body = DocumentStarted,
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
    let code = if started.existing {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    let mut res = (code, Json(&started)).into_response();
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

/// A presigned upload: `PUT` the document's bytes to `url` (with `headers`) before
/// `expires_at`, under `key` in the incoming prefix. On AWS the upload rule starts its run;
/// `POST /v1/documents {"source": source}` starts it (or finds it) anywhere.
#[utoipa::path(
    post,
    path = "/v1/documents/uploads",
    tag = "documents",
    request_body = UploadRequest,
    responses(
        (status = 201, description = "Upload URL issued", body = UploadTicket),
        (status = 400, description = "Invalid input", body = ErrorBody),
        (status = 401, description = "No valid credentials"),
        (status = 403, description = "Missing scope pii/anonymize"),
    ),
    security(("bearer" = ["pii/anonymize"]), ("api_key" = []))
)]
pub async fn upload_document(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<UploadRequest>,
) -> Result<Response, ApiError> {
    req.validate()?;
    let ticket = state.backend.upload_document(req).await?;
    Ok((StatusCode::CREATED, Json(ticket)).into_response())
}
