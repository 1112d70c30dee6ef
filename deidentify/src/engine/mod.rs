//! The pipeline: detect → mask → tokenize, for texts and JSON records.

#[allow(clippy::module_inception)]
mod engine;
mod error;
mod record;
mod text;

pub use engine::Engine;
pub use error::{EngineError, ErrorKind};
pub use record::{AnonymizedRecord, MaskedRecord};
pub use text::AnonymizedText;
