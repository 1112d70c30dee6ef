//! Integration tests, one binary: conformance table, load errors, retry/catch, Map/Parallel,
//! the shipped definitions and persistence.

mod choice_table;
mod conformance;
mod definitions;
mod distributed_map;
mod load_errors;
mod map_parallel;
mod persistence;
mod retry_catch;
#[cfg(feature = "aws")]
mod sfn;
mod util;
