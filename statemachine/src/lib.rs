//! Amazon States Language for piiflow: a strict loader, a local executor with Step
//! Functions semantics, SQLite-backed execution records, and the `Orchestrator` seam the
//! API and CLI start executions through.
//!
//! Supported (JSONPath query language only): Pass, Task, Choice, Wait, Succeed, Fail, Map
//! (inline, and distributed: child executions, an ItemReader over `s3:listObjectsV2` or a
//! JSON array from `s3:getObject`, a ResultWriter, tolerated failures; the local executor's
//! buckets are `file://` directories), Parallel; InputPath, Parameters/ItemSelector with `.$` keys, ResultSelector,
//! ResultPath, OutputPath; `$$` context paths; the intrinsics in [`SUPPORTED_INTRINSICS`];
//! the Choice operators in [`SUPPORTED_OPERATORS`] plus `…Path` variants and And/Or/Not;
//! Retry (backoff, MaxDelaySeconds, FULL jitter) and Catch; Task and execution
//! TimeoutSeconds. Tasks are `arn:aws:states:::lambda:invoke` or a plain Resource, both
//! resolved through a [`TaskRegistry`]. Anything else is a [`LoadError`] at load time.

#[cfg(feature = "aws")]
pub mod aws;
mod choice;
mod clock;
mod definitions;
mod error;
mod executor;
mod fields;
mod history;
mod intrinsic;
mod io_paths;
mod load;
mod local;
mod map_run;
mod model;
mod objects;
mod orchestrator;
mod path;
mod retry;
mod status;
mod store;
mod substitute;
mod task;
mod template;

pub use choice::{Choice, Rule, SUPPORTED_OPERATORS};
pub use clock::{Clock, FakeClock, FixedRandom, OsRandom, Random, RealClock};
pub use definitions::{
    DEIDENTIFY_FUNCTION, DETECT_FUNCTION, DOCUMENTS_ASL, JOBS_ASL, MASK_FUNCTION, RECORDS_ASL,
    documents_machine, jobs_machine, local_substitutions, records_machine,
};
pub use error::{
    LoadError, LoadErrorKind, OrchestratorError, STATES_ALL, STATES_INTRINSIC_FAILURE,
    STATES_NO_CHOICE_MATCHED, STATES_RESULT_PATH_MATCH_FAILURE, STATES_RUNTIME, STATES_TASK_FAILED,
    STATES_TIMEOUT, StatesError, StoreError, TaskError,
};
pub use executor::{
    ExecutionContext, ExecutionOutcome, Executor, LAMBDA_NOT_FOUND,
    STATES_EXCEED_TOLERATED_FAILURE_THRESHOLD,
};
pub use fields::PathField;
pub use history::{EventType, History, HistoryEvent, render_json, render_text};
pub use intrinsic::SUPPORTED_INTRINSICS;
pub use local::LocalOrchestrator;
pub use map_run::{MapRunCounts, MapRuns};
pub use model::*;
pub use objects::{
    DirectoryObjects, ObjectStore, STATES_ITEM_READER_FAILED, STATES_RESULT_WRITER_FAILED,
};
pub use orchestrator::{
    DOCUMENTS, ExecutionDescription, ExecutionHandle, JOBS, Orchestrator, RECORDS,
    validate_execution_name,
};
pub use path::JsonPath;
pub use retry::{Catcher, Jitter, Retrier, error_matches};
pub use status::ExecutionStatus;
pub use store::{Created, ExecutionStore};
pub use substitute::{Substitutions, substitute};
pub use task::{FnHandler, TaskHandler, TaskRegistry};
pub use template::{Dynamic, Template};
