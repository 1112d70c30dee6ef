//! Handlers, one file per resource. They validate, call the backend and shape the answer;
//! authentication happens before them (see `auth::require_scope`).

pub(crate) mod anonymize;
pub(crate) mod audit;
pub(crate) mod documents;
pub(crate) mod fallback;
pub(crate) mod jobs;
pub(crate) mod objects;
pub(crate) mod reidentify;

use std::sync::Arc;

use crate::backend::PiiBackend;
use crate::config::ApiLimits;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub backend: Arc<dyn PiiBackend>,
    pub limits: ApiLimits,
}
