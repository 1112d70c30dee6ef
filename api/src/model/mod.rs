//! Request and response bodies of the HTTP API: the service's, and the batch envelope that
//! only HTTP has.

mod batch;

pub use batch::{BatchItemResult, BatchRequest, BatchResponse};
pub use service::{
    AnonymizeRequest, AnonymizeResponse, AuditEntry, AuditPage, AuditQuery, DocumentRequest,
    DocumentStarted, DocumentState, DocumentStatus, EraseResponse, JobCounts, JobRequest,
    JobSource, JobStarted, JobStatus, PresignedRequest, ReidentifyRequest, ReidentifyResponse,
    TokenValue, UploadRequest, UploadTicket, WireEntity,
};
