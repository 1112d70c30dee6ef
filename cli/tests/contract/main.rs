//! The contract of `fixtures/contract/contract.toml`: README sections rendered from it, and
//! every row run against the real binary and server.

mod cli_rows;
// The CLI tests' home harness; this binary uses part of it.
#[path = "../cli/common.rs"]
#[allow(dead_code)]
mod common;
mod generative;
mod http_rows;
mod readme;
// The API tests' server harness; this binary uses part of it.
#[path = "../api/server.rs"]
#[allow(dead_code)]
mod server;
mod table;
