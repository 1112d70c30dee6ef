//! Request and response bodies of the service (serde + OpenAPI schemas): what the HTTP API
//! takes and answers, and what the API function sends the reidentify function.

mod anonymize;
mod audit;
mod documents;
mod jobs;
mod reidentify;
mod uploads;

pub use anonymize::{AnonymizeRequest, AnonymizeResponse, WireEntity};
pub use audit::{AuditEntry, AuditPage, AuditQuery, MAX_AUDIT_PAGE};
pub use documents::{DocumentRequest, DocumentStarted, DocumentState, DocumentStatus};
pub use jobs::{JobCounts, JobRequest, JobSource, JobStarted, JobStatus};
pub use reidentify::{EraseResponse, ReidentifyRequest, ReidentifyResponse, TokenValue};
pub use uploads::{
    FILE_NAME_PATTERN, MAX_FILE_NAME_CHARS, PRESIGNED_TTL, PresignedRequest, UploadRequest,
    UploadTicket,
};
