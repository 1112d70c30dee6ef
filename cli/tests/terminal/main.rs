//! The terminal's way into a deployed piiflow: `piiflow login`/`logout` against a stand-in
//! for the hosted UI, and remote mode (`--api`) against a real `piiflow serve --dev-auth`.

mod cli;
mod flaky;
mod idp;
mod login;
mod remote;
#[allow(dead_code)]
#[path = "../api/server.rs"]
mod server;
#[cfg(feature = "aws")]
mod stack;
