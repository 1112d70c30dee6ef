//! Masking policies and the irreversible operators (keep, redact, replace, mask, hash).

mod action;
mod context_rule;
mod error;
mod field_override;
mod hash;
mod masker;
mod policy;
mod summary;

pub use action::{Action, ActionKind};
pub use context_rule::ContextRule;
pub use error::MaskError;
pub use field_override::{FieldOverride, key_of, normalize_key};
pub use hash::{HashKey, keyed_hash};
pub use masker::{MaskedText, Masker};
pub use policy::Policy;
pub use summary::Summary;
