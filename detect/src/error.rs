/// Why detection could not run. Kinds, not strings, so callers can map them to
/// exit codes, HTTP statuses and Step Functions error names.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("JSON nesting deeper than {limit} levels at {path}")]
    TooDeep { limit: usize, path: String },
    #[error("detector unavailable: {0}")]
    Unavailable(String),
    #[error("throttled: {0}")]
    Throttled(String),
    #[error("invalid pattern configuration: {0}")]
    Config(String),
}
