//! `POST /v1/anonymize` and `POST /v1/anonymize/batch`.

use axum::Json;
use axum::extract::State;

use super::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::model::{
    AnonymizeRequest, AnonymizeResponse, BatchItemResult, BatchRequest, BatchResponse,
};

/// Anonymize one text or one JSON record.
#[utoipa::path(
    post,
    path = "/v1/anonymize",
    tag = "anonymize",
    request_body = AnonymizeRequest,
    responses(
        (status = 200, description = "Anonymized", body = AnonymizeResponse),
        (status = 400, description = "Invalid input", body = ErrorBody),
        (status = 401, description = "No valid credentials"),
        (status = 403, description = "Missing scope pii/anonymize"),
        (status = 413, description = "Body too large", body = ErrorBody),
    ),
    security(("bearer" = ["pii/anonymize"]), ("api_key" = []))
)]
pub async fn anonymize(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<AnonymizeRequest>,
) -> Result<Json<AnonymizeResponse>, ApiError> {
    req.validate()?;
    state.backend.anonymize(req).await.map(Json)
}

/// Anonymize up to the configured number of items; each item succeeds or fails on its own.
#[utoipa::path(
    post,
    path = "/v1/anonymize/batch",
    tag = "anonymize",
    request_body = BatchRequest,
    responses(
        (status = 200, description = "One result per item, in order", body = BatchResponse),
        (status = 400, description = "Not a batch, or too many items", body = ErrorBody),
        (status = 401, description = "No valid credentials"),
        (status = 403, description = "Missing scope pii/anonymize"),
        (status = 413, description = "Body too large", body = ErrorBody),
    ),
    security(("bearer" = ["pii/anonymize"]), ("api_key" = []))
)]
pub async fn anonymize_batch(
    State(state): State<AppState>,
    ApiJson(batch): ApiJson<BatchRequest>,
) -> Result<Json<BatchResponse>, ApiError> {
    let max = state.limits.max_batch_items;
    if batch.items.is_empty() {
        return Err(ApiError::InvalidInput("`items` must not be empty".into()));
    }
    if batch.items.len() > max {
        return Err(ApiError::InvalidInput(format!(
            "at most {max} items per batch, got {}",
            batch.items.len()
        )));
    }
    let total = batch.items.len();
    // Invalid items are answered here; only valid ones reach the backend, which then sees
    // them in order and answers each.
    let mut results: Vec<Option<BatchItemResult>> = (0..total).map(|_| None).collect();
    let mut valid = Vec::with_capacity(total);
    let mut valid_index = Vec::with_capacity(total);
    for (index, item) in batch.items.into_iter().enumerate() {
        match item.validate() {
            Ok(()) => {
                valid_index.push(index);
                valid.push(item);
            }
            Err(err) => {
                results[index] = Some(BatchItemResult::from_outcome(index, Err(err.into())))
            }
        }
    }
    if !valid.is_empty() {
        let expected = valid.len();
        let outcomes = state.backend.anonymize_batch(valid).await?;
        if outcomes.len() != expected {
            return Err(ApiError::Internal(format!(
                "backend answered {} of {expected} batch items",
                outcomes.len()
            )));
        }
        for (index, outcome) in valid_index.into_iter().zip(outcomes) {
            results[index] = Some(BatchItemResult::from_outcome(index, outcome));
        }
    }
    Ok(Json(BatchResponse {
        items: results.into_iter().flatten().collect(),
    }))
}
