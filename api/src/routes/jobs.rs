//! `POST /v1/jobs` and `GET /v1/jobs/{id}`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::model::{JobRequest, JobStarted, JobStatus};

const MAX_ID_LEN: usize = 256;

/// Start a bulk job: anonymize every object under a prefix, or every key a manifest lists,
/// each as a child execution of the documents flow; poll the returned id.
#[utoipa::path(
    post,
    path = "/v1/jobs",
    tag = "jobs",
    request_body = JobRequest,
    responses(
        (status = 202, description = "Started", body = JobStarted,
         headers(("location" = String, description = "URL of the status resource"))),
        (status = 400, description = "Invalid input", body = ErrorBody),
        (status = 401, description = "No valid credentials"),
        (status = 403, description = "Missing scope pii/anonymize"),
    ),
    security(("bearer" = ["pii/anonymize"]), ("api_key" = []))
)]
pub async fn start_job(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<JobRequest>,
) -> Result<Response, ApiError> {
    let started = state.backend.start_job(req).await?;
    let mut res = (StatusCode::ACCEPTED, Json(&started)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/jobs/{}", started.id)) {
        res.headers_mut().insert(header::LOCATION, location);
    }
    Ok(res)
}

/// Status of a job: how many documents are pending, running, succeeded and failed, and
/// once it ended the manifest of every document's outcome.
#[utoipa::path(
    get,
    path = "/v1/jobs/{id}",
    tag = "jobs",
    params(("id" = String, Path, description = "Id returned by POST /v1/jobs")),
    responses(
        (status = 200, description = "Status", body = JobStatus),
        (status = 404, description = "No such job", body = ErrorBody),
        (status = 401, description = "No valid credentials"),
        (status = 403, description = "Missing scope pii/anonymize"),
    ),
    security(("bearer" = ["pii/anonymize"]), ("api_key" = []))
)]
pub async fn get_job(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<JobStatus>, ApiError> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(ApiError::InvalidInput("bad job id".into()));
    }
    state.backend.get_job(&id).await.map(Json)
}
