//! Bodies of `POST /v1/anonymize/batch`: the items are `AnonymizeRequest`s, the outcomes
//! carry the error body each failed item would have got alone.

use serde::{Deserialize, Serialize};
use service::{AnonymizeRequest, AnonymizeResponse};
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorDetail};

/// Up to the configured maximum of items, each anonymized on its own.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    #[serde(deserialize_with = "crate::object::objects")]
    pub items: Vec<AnonymizeRequest>,
}

/// One result per request item, in request order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BatchResponse {
    pub items: Vec<BatchItemResult>,
}

/// The outcome of one batch item: `result` when `ok`, `error` otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BatchItemResult {
    pub index: usize,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<AnonymizeResponse>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

impl BatchItemResult {
    pub fn from_outcome(index: usize, outcome: Result<AnonymizeResponse, ApiError>) -> Self {
        match outcome {
            Ok(result) => Self {
                index,
                ok: true,
                result: Some(result),
                error: None,
            },
            Err(err) => Self {
                index,
                ok: false,
                result: None,
                error: Some(err.to_detail()),
            },
        }
    }
}
