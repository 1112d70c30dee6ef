/// Why detection could not run. Kinds, not strings, so callers can map them to
/// exit codes, HTTP statuses and Step Functions error names.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// `path` is for the caller's own use: record keys can be personal data, so the
    /// message leaves it out.
    #[error("JSON nesting deeper than {limit} levels")]
    TooDeep { limit: usize, path: String },
    #[error("detector unavailable: {0}")]
    Unavailable(String),
    #[error("throttled: {0}")]
    Throttled(String),
    #[error("invalid pattern configuration: {0}")]
    Config(String),
}
