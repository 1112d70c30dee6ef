//! Integration tests: one binary, real files in temporary directories.

mod common;
mod cross_process;
mod keyring_file;
mod properties;
mod rotation;
mod sqlite_file;
mod tokenize;
