//! Amazon Comprehend detector (feature `comprehend`): chunking under the 100 KB limit,
//! code point to byte offsets, bounded concurrency, and a per-chunk pattern fallback.

mod chunk;
mod detector;
mod failure;
mod merge;
mod mode;
mod offsets;

pub use chunk::{COMPREHEND_MAX_BYTES, Chunk, ChunkLimits, DEFAULT_BUDGET, DEFAULT_OVERLAP, split};
pub use detector::{ComprehendDetector, DEFAULT_CONCURRENCY};
pub use failure::ChunkFailure;
pub use merge::merge_duplicates;
pub use mode::{DetectorMode, ModeDetector, UnknownDetectorMode};
