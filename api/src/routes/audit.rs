//! `GET /v1/audit`: the re-identification trail, for holders of pii/reidentify.

use axum::Json;
use axum::extract::State;

use super::AppState;
use crate::backend::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::model::{AuditPage, AuditQuery};

/// Read the audit trail, newest first, one page at a time: follow `next_cursor` until it
/// is absent to read every record the filters select.
#[utoipa::path(
    get,
    path = "/v1/audit",
    tag = "reidentify",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of audit records", body = AuditPage),
        (status = 400, description = "Bad filter", body = ErrorBody),
        (status = 401, description = "No valid credentials"),
        (status = 403, description = "Missing scope pii/reidentify"),
    ),
    security(("bearer" = ["pii/reidentify"]), ("api_key" = []))
)]
pub async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    query.validate()?;
    state.backend.audit(query, &caller).await.map(Json)
}
