use std::fmt;

/// Why a definition was rejected. Always names the state and field when there is one, so a
/// typo in an ASL file points at the line to fix instead of failing at run time.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct LoadError {
    pub state: Option<String>,
    pub field: Option<String>,
    pub kind: LoadErrorKind,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadErrorKind {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("unknown field")]
    UnknownField,
    #[error("missing required field")]
    MissingField,
    #[error("wrong type: expected {0}")]
    WrongType(&'static str),
    #[error("invalid value: {0}")]
    InvalidValue(String),
    #[error("unsupported: {0}")]
    Unsupported(String),
    #[error("unknown state type {0:?}")]
    UnknownStateType(String),
    #[error("Next names unknown state {0:?}")]
    UnknownNext(String),
    #[error("state needs exactly one of Next or End: true")]
    NextOrEnd,
    #[error("invalid path {path:?}: {reason}")]
    BadPath { path: String, reason: String },
    #[error("invalid intrinsic function {expr:?}: {reason}")]
    BadIntrinsic { expr: String, reason: String },
    #[error("placeholder ${{{0}}} has no substitution")]
    UnresolvedPlaceholder(String),
    #[error("no task handler registered for {0:?}")]
    NoHandler(String),
}

impl LoadError {
    pub fn new(state: Option<&str>, field: Option<&str>, kind: LoadErrorKind) -> Self {
        LoadError {
            state: state.map(str::to_owned),
            field: field.map(str::to_owned),
            kind,
        }
    }

    pub fn top(kind: LoadErrorKind) -> Self {
        LoadError::new(None, None, kind)
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.state, &self.field) {
            (Some(s), Some(fl)) => write!(f, "state {s:?}, field {fl:?}: {}", self.kind),
            (Some(s), None) => write!(f, "state {s:?}: {}", self.kind),
            (None, Some(fl)) => write!(f, "field {fl:?}: {}", self.kind),
            (None, None) => write!(f, "{}", self.kind),
        }
    }
}

/// An error as Step Functions names it: what Retry/Catch match on and what a failed
/// execution reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct StatesError {
    pub error: String,
    pub cause: String,
}

pub const STATES_ALL: &str = "States.ALL";
pub const STATES_TASK_FAILED: &str = "States.TaskFailed";
pub const STATES_TIMEOUT: &str = "States.Timeout";
pub const STATES_RUNTIME: &str = "States.Runtime";
pub const STATES_NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
pub const STATES_INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
pub const STATES_RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";

impl StatesError {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        StatesError {
            error: error.into(),
            cause: cause.into(),
        }
    }

    pub fn runtime(cause: impl Into<String>) -> Self {
        StatesError::new(STATES_RUNTIME, cause)
    }

    pub fn intrinsic(cause: impl Into<String>) -> Self {
        StatesError::new(STATES_INTRINSIC_FAILURE, cause)
    }

    /// The `{"Error", "Cause"}` object a Catch hands to its ResultPath.
    pub fn to_output(&self) -> serde_json::Value {
        serde_json::json!({"Error": self.error, "Cause": self.cause})
    }
}

/// What a task handler reports on failure. `error` is the name Retry/Catch match
/// (`Pii.Throttled`, `Lambda.ServiceException`, ...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct TaskError {
    pub error: String,
    pub cause: String,
}

impl TaskError {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        TaskError {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// A Lambda function's error as Step Functions reports it for `lambda:invoke`: the
    /// function's `errorType` is the error, and the cause is the error document itself.
    pub fn function_error(error_type: &str, message: &str) -> Self {
        let document = serde_json::json!({"errorType": error_type, "errorMessage": message});
        TaskError::new(error_type, document.to_string())
    }
}

impl From<TaskError> for StatesError {
    fn from(e: TaskError) -> Self {
        StatesError::new(e.error, e.cause)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("execution {name:?} already exists with a different input")]
    ExecutionAlreadyExists { name: String },
}

#[derive(Debug, thiserror::Error)]
pub enum OrchestratorError {
    #[error("unknown state machine definition {0:?}")]
    UnknownDefinition(String),
    #[error("execution {0:?} does not exist")]
    ExecutionDoesNotExist(String),
    #[error("execution {name:?} already exists with a different input")]
    ExecutionAlreadyExists { name: String },
    #[error("invalid execution name {0:?}")]
    InvalidName(String),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Store(StoreError),
    #[error("backend: {0}")]
    Backend(String),
}

impl From<StoreError> for OrchestratorError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::ExecutionAlreadyExists { name } => {
                OrchestratorError::ExecutionAlreadyExists { name }
            }
            other => OrchestratorError::Store(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_error_names_state_and_field() {
        let e = LoadError::new(Some("Detect"), Some("Nxt"), LoadErrorKind::UnknownField);
        assert_eq!(
            e.to_string(),
            "state \"Detect\", field \"Nxt\": unknown field"
        );
    }

    #[test]
    fn already_exists_keeps_its_kind_through_conversion() {
        let e: OrchestratorError = StoreError::ExecutionAlreadyExists { name: "n".into() }.into();
        assert!(matches!(
            e,
            OrchestratorError::ExecutionAlreadyExists { .. }
        ));
    }
}
