//! Request and response bodies of the HTTP API (serde + OpenAPI schemas).
//!
//! They do not depend on the engine crates on purpose: the wire format is the contract, and
//! whoever plugs the engine in converts at the `PiiBackend` boundary.

mod anonymize;
mod audit;
mod documents;
mod reidentify;

pub use anonymize::{
    AnonymizeRequest, AnonymizeResponse, BatchItemResult, BatchRequest, BatchResponse, WireEntity,
};
pub use audit::{AuditPage, AuditQuery, AuditRecord};
pub use documents::{DocumentRequest, DocumentStarted, DocumentState, DocumentStatus};
pub use reidentify::{EraseResponse, ReidentifyRequest, ReidentifyResponse, TokenValue};
