//! Tests of the Comprehend detector (feature `comprehend`), built as one binary:
//! `cargo test -p detect --features comprehend --test aws`.
#![cfg(feature = "comprehend")]

mod chunking;
mod fake;
mod fallback;
mod mocked;
mod modes;
mod network;
