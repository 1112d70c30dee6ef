//! The pipeline: detect → mask → tokenize, for texts and JSON records.

mod cache;
mod chunks;
mod document;
mod error;
mod field_overrides;
mod json_pointer;
mod pipeline;
mod record;
mod steps;
mod text;

pub use cache::EngineCache;
pub use chunks::{DEFAULT_CHUNK_BYTES, MAX_CHUNKS, plan_chunks};
pub use document::{DocRef, DocumentStore, FileDocumentStore, file_path, read_doc};
pub use error::{EngineError, ErrorKind};
pub use pipeline::Engine;
pub use record::{AnonymizedRecord, MaskedRecord};
pub use steps::detections_in;
pub use text::AnonymizedText;
