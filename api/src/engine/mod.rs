//! `EngineBackend`: the API's `PiiBackend` over the engine and the ports around it. The
//! local server (`piiflow serve`) and the API Lambda build the same backend from different
//! adapters: where documents may come from, which orchestrator runs them, and where
//! re-identification happens (in process, or in the reidentify function).

mod audit;
mod backend;
mod batch;
mod convert;
mod documents;
mod errors;
mod reidentification;

pub use audit::audit_page;
pub use backend::EngineBackend;
pub use convert::call_context;
pub use documents::{DocumentSources, run_name};
pub use errors::{engine_error, orchestrator_error, reidentify_error};
pub use reidentification::{ERASE_REASON, LocalReidentification, Reidentification, token_type};
