//! Integration tests: one binary, real files in temporary directories.

mod chunked_steps;
mod raw_records;
