use crate::EntityType;
use crate::context::IdLabel;

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
    /// Whether context words may raise `base`. Readings that the words right next to them
    /// already decided (a year after "in") skip the context lookup.
    pub boostable: bool,
    pub deferred: Deferred,
}

/// A check too costly for every candidate: it runs only once threshold and context say
/// the reading would otherwise be reported, and drops the reading when it fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deferred {
    Nothing,
    /// A phone number without a country code: valid in one of the configured regions.
    NationalPhone,
    /// A national identity number whose checksum is too weak on its own: reported only
    /// with one of its scheme's labels nearby.
    Label(IdLabel),
    /// A number in its scheme's written form whose check failed: reported only with one
    /// of its scheme's labels right next to it.
    LabelNext(IdLabel),
}

impl Candidate {
    pub(crate) fn scored(entity_type: EntityType, start: usize, end: usize, base: f32) -> Self {
        Self {
            entity_type,
            start,
            end,
            base,
            validated: false,
            boostable: true,
            deferred: Deferred::Nothing,
        }
    }

    /// A reading whose score is `base` whatever the context words around it.
    pub(crate) fn settled(entity_type: EntityType, start: usize, end: usize, base: f32) -> Self {
        Self {
            boostable: false,
            ..Self::scored(entity_type, start, end, base)
        }
    }

    /// A national-format phone number, pending its per-region validation.
    pub(crate) fn national_phone(start: usize, end: usize, base: f32) -> Self {
        Self {
            deferred: Deferred::NationalPhone,
            ..Self::scored(EntityType::Phone, start, end, base)
        }
    }

    /// A national identity number that counts only next to its label, at `base` then.
    pub(crate) fn labelled(
        entity_type: EntityType,
        start: usize,
        end: usize,
        base: f32,
        label: IdLabel,
    ) -> Self {
        Self {
            deferred: Deferred::Label(label),
            ..Self::settled(entity_type, start, end, base)
        }
    }

    /// A number in its scheme's form whose check failed, which counts only right next to
    /// its label, at `base` then.
    pub(crate) fn labelled_next(
        entity_type: EntityType,
        start: usize,
        end: usize,
        base: f32,
        label: IdLabel,
    ) -> Self {
        Self {
            deferred: Deferred::LabelNext(label),
            ..Self::settled(entity_type, start, end, base)
        }
    }

    pub(crate) fn validated(entity_type: EntityType, start: usize, end: usize) -> Self {
        Self {
            entity_type,
            start,
            end,
            base: 1.0,
            validated: true,
            boostable: false,
            deferred: Deferred::Nothing,
        }
    }
}
