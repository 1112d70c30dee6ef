//! Scoring a detector against labeled data: the library behind `piiflow eval`.
//!
//! Gold files are JSONL, one `{"id", "text", "spans": [{"start", "end", "type"}]}` per
//! line, offsets in Unicode code points (end exclusive) like Comprehend's. Scores per type
//! are exact (same start, end and type) and overlap (at least one shared character with a
//! span of the same type); untyped recall is the share of gold spans that any prediction
//! overlaps, whatever its type, which is what decides whether personal data leaks.

mod errors;
mod gold;
mod score;

pub use errors::{EvalError, errors};
pub use gold::{GoldError, GoldExample, GoldSpan, read_gold};
pub use score::{Counts, Overlap, Scoreboard, TypeScore};
