//! Records: detection inside any JSON value, with field names as hints.
//!
//! Every string (and number) is addressed by an RFC 6901 JSON Pointer. A field whose key is
//! a known hint (`email`, `firstName`, `dob`, ...) or matches a caller's [`FieldRules`]
//! becomes one whole-value detection (source `field`, score 1.0); other strings go through
//! the text detector. The walk is iterative with an explicit stack and a depth limit, so a
//! hostile document cannot overflow the stack.

mod finding;
mod hints;
mod pointer;
mod raw;
mod rules;
mod scanner;
mod walk;

pub use finding::{RecordFinding, ValueKind};
pub use hints::{builtin_hint, normalize_key};
pub use pointer::escape_token;
pub use raw::{RawScalar, RawValue};
pub use rules::{FieldRule, FieldRules};
pub use scanner::RawFinding;
pub use scanner::{DEFAULT_MAX_DEPTH, RecordScanner, TextDetect};
pub use walk::{Leaf, walk, walk_raw};
