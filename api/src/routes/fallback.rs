//! JSON answers for unknown routes and wrong methods.

use crate::error::ApiError;

pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such route".into())
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
