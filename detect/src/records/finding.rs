use serde::{Deserialize, Serialize};

use crate::offsets::to_entities;
use crate::{Detection, Entity};

/// What kind of JSON value a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    /// Offsets are bytes into the string.
    String,
    /// A number: offsets are bytes into its JSON text (`serde_json::Number`'s `Display`).
    /// A masker should replace the whole value (usually with a string) rather than splice.
    Number,
}

/// Detections inside one string or number of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordFinding {
    /// RFC 6901 JSON Pointer to the value.
    pub path: String,
    pub kind: ValueKind,
    /// Byte offsets into the value's text, sorted and non-overlapping.
    pub detections: Vec<Detection>,
}

impl RecordFinding {
    /// Wire entities (char offsets, `path` set). `text` is the value's text: the string, or
    /// the number's JSON text.
    pub fn to_entities(&self, text: &str) -> Vec<Entity> {
        to_entities(text, &self.detections, Some(&self.path))
    }
}
