//! The engine: one policy's pipeline, detect → mask → tokenize, for texts and JSON records.

mod cache;
mod detection;
mod error;
mod field_overrides;
mod json_pointer;
mod pipeline;
mod record;
mod text;

pub use cache::EngineCache;
pub use detection::{Detected, ScannedRecords};
pub use error::EngineError;
pub use pipeline::Engine;
pub use record::{
    AnonymizedRecord, Entities, InvalidRecord, MaskedRecord, RecordOutput, StagedRecords,
    StoredRecords,
};
pub use text::{AnonymizedText, StagedTexts, StoredTexts};
