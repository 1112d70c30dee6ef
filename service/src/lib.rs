//! piiflow's service layer, between the domain crates (detect, mask, deidentify,
//! reidentify, statemachine) and the edges (the HTTP API, the CLI, the Lambda functions).
//!
//! - [`Engine`]: one policy's pipeline (detect → mask → tokenize); [`EngineCache`] builds
//!   one per policy on first use.
//! - [`StepRunner`]: the three Step Functions steps on a JSON state, for the local executor
//!   and the Lambda functions alike; [`DocumentStore`] is where documents by reference live:
//!   [`FileDocumentStore`], and `S3DocumentStore` with feature `aws`.
//! - [`Service`]: what a server does for a caller — anonymize, batches, document runs,
//!   re-identification, erasure, the audit listing — over the ports [`DocumentSources`] and
//!   [`Reidentification`].
//! - The request and response bodies, and [`ServiceError`], which the edges map to HTTP
//!   statuses and to Step Functions error names.

mod audit_page;
mod batch;
mod convert;
mod document_runs;
mod documents;
mod engine;
mod error;
mod home;
mod job_runs;
mod model;
mod policies;
mod reidentification;
mod remote;
mod service;
mod steps;

pub use audit_page::audit_page;
pub use document_runs::{DocumentSources, etag_version, run_name};
pub use documents::{
    DEFAULT_CHUNK_BYTES, DocRef, DocumentRoots, DocumentStore, FileDocumentStore, MAX_CHUNKS,
    S3StoreConfig, file_path, plan_chunks, read_doc,
};
#[cfg(feature = "aws")]
pub use documents::{MAX_DOCUMENT_BYTES, S3DocumentStore};
pub use engine::{
    AnonymizedRecord, AnonymizedText, Detected, Engine, EngineCache, EngineError, Entities,
    InvalidRecord, MaskedRecord, RecordOutput, ScannedRecords, StagedRecords, StagedTexts,
    StoredRecords, StoredTexts,
};
pub use error::{ServiceError, error_name, error_names};
pub use home::Home;
pub use job_runs::{JobLocation, JobRuns, job_input};
pub use model::{
    AnonymizeRequest, AnonymizeResponse, AuditEntry, AuditPage, AuditQuery, DocumentRequest,
    DocumentStarted, DocumentState, DocumentStatus, EraseResponse, FILE_NAME_PATTERN, JobCounts,
    JobRequest, JobSource, JobStarted, JobStatus, MAX_AUDIT_PAGE, MAX_FILE_NAME_CHARS,
    PRESIGNED_TTL, PresignedRequest, ReidentifyRequest, ReidentifyResponse, TokenValue,
    UploadRequest, UploadTicket, WireEntity,
};
pub use policies::{builtin_engine, builtin_policy};
pub use reidentification::{LocalReidentification, Reidentification, Revelation, token_type};
pub use remote::{Action, ReidentifyEvent, RemoteCall};
pub use service::Service;
pub use steps::{PolicyNames, Step, StepRunner, detections_in};
