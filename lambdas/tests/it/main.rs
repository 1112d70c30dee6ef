//! The Lambda handlers called directly with JSON events from tests/events, over in-memory
//! vaults, keyrings and audit trails. One binary, one module per function.

mod api;
mod api_comprehend;
mod api_moto;
#[path = "../callers.rs"]
mod callers;
mod reidentify;
mod steps;
mod support;
