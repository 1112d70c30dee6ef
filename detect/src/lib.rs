//! Entity model, pattern recognizers with checksum validators, and record scanning.

mod coarse_shapes;
#[cfg(feature = "comprehend")]
pub mod comprehend;
mod config;
mod context;
mod date_parts;
mod detector;
mod entity;
mod entity_json;
mod entity_type;
mod error;
mod escapes;
pub mod eval;
mod lower_case_lines;
mod match_start;
mod names;
pub mod offsets;
mod overlap;
mod pattern_detector;
mod patterns;
mod recognizers;
pub mod records;
mod shape_regex;
mod spoken;
pub mod validators;

pub use config::{DenyTerm, PatternConfig};
pub use context::{CONTEXT_BOOST, ContextPhrases, context_words, has_context};
pub use detector::{DetectionReport, Detector};
pub use entity::{Detection, Entity, Source};
pub use entity_json::{PrettyEntities, write_entities_compact, write_entities_pretty};
pub use entity_type::{
    CustomType, CustomTypeError, EntityType, MAX_CUSTOM_NAME, MAX_CUSTOM_TYPES, UnknownEntityType,
    is_custom_name,
};
pub use error::DetectError;
pub use names::detect_names_and_places;
pub use overlap::{preference, resolve_overlaps, type_priority};
pub use pattern_detector::PatternDetector;
pub use recognizers::{Recognizer, RecognizerError, Validator};
pub use records::{FieldRule, FieldRules, RecordFinding, RecordScanner, TextDetect, ValueKind};
