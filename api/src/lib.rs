//! piiflow's HTTP API: one axum router, served locally by `serve` and on Lambda through
//! lambda_http, with JWT / API key authentication, per-route scopes, JSON errors and an
//! OpenAPI document. The service plugs in behind the `PiiBackend` trait.

pub mod auth;
mod backend;
mod config;
mod error;
mod extract;
mod gateway;
pub mod model;
mod object;
mod openapi;
mod openapi_constraints;
mod request_id;
mod router;
mod routes;
mod serve;
mod signed_urls;

pub use backend::{Caller, ERASE_REASON, PiiBackend, audit_context};
pub use config::{ApiLimits, AuthConfig, ServeConfig};
pub use error::{ApiError, ApiErrorKind, ErrorBody, ErrorDetail};
pub use extract::{ApiJson, ApiPath, ApiQuery};
pub use gateway::GatewayContext;
pub use model::{
    AnonymizeRequest, AnonymizeResponse, AuditEntry, AuditPage, AuditQuery, BatchItemResult,
    BatchRequest, BatchResponse, DocumentRequest, DocumentStarted, DocumentState, DocumentStatus,
    EraseResponse, JobCounts, JobRequest, JobSource, JobStarted, JobStatus, PresignedRequest,
    ReidentifyRequest, ReidentifyResponse, TokenValue, UploadRequest, UploadTicket, WireEntity,
};
pub use object::{Object, objects};
pub use openapi::{ApiDoc, openapi_document, openapi_json};
pub use openapi_constraints::token_pattern;
pub use request_id::{REQUEST_ID_HEADER, RequestId};
pub use router::{build_router, router};
pub use routes::objects::{MAX_UPLOAD_BYTES, signed_objects_router};
pub use serve::{Server, serve};
pub use signed_urls::{Area, SignedQuery, SignedUrlError, SignedUrls};
