//! Entity model, pattern recognizers with checksum validators, and record scanning.

mod detector;
mod entity;
mod entity_type;
mod error;
pub mod offsets;

pub use detector::{DetectionReport, Detector};
pub use entity::{Detection, Entity, Source};
pub use entity_type::{EntityType, UnknownEntityType};
pub use error::DetectError;
