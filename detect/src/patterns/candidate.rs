use crate::EntityType;

/// A typed reading of one shape match, before context, threshold and allow list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    pub entity_type: EntityType,
    pub start: usize,
    pub end: usize,
    /// Score without context; ignored when `validated`.
    pub base: f32,
    /// A checksum or equally strong structure confirmed it: score 1.0, no context needed.
    pub validated: bool,
}

impl Candidate {
    pub(crate) fn scored(entity_type: EntityType, start: usize, end: usize, base: f32) -> Self {
        Self {
            entity_type,
            start,
            end,
            base,
            validated: false,
        }
    }

    pub(crate) fn validated(entity_type: EntityType, start: usize, end: usize) -> Self {
        Self {
            entity_type,
            start,
            end,
            base: 1.0,
            validated: true,
        }
    }
}
