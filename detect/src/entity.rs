use serde::{Deserialize, Serialize};

use crate::EntityType;

/// Which detector produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Pattern,
    Comprehend,
    Field,
}

/// A finding inside Rust: byte offsets into the text it was found in (end exclusive),
/// always on char boundaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    pub entity_type: EntityType,
    pub start: usize,
    pub end: usize,
    pub score: f32,
    pub source: Source,
}

impl Detection {
    /// A finding of the embedded detector's own rules.
    pub fn from_pattern(entity_type: EntityType, start: usize, end: usize, score: f32) -> Self {
        Self {
            entity_type,
            start,
            end,
            score,
            source: Source::Pattern,
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// A finding on the wire (ARCHITECTURE.md, data contracts): Unicode character offsets like
/// Comprehend and Presidio, and a JSON Pointer when it sits inside a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub begin: usize,
    pub end: usize,
    pub score: f32,
    pub source: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}
