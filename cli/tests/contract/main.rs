//! The contract of `fixtures/contract/contract.toml`: README sections rendered from it, and
//! every row run against the real binary and server.

mod cli_rows;
mod generative;
mod http_rows;
mod readme;
mod table;
