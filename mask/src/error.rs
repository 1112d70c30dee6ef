/// Why a policy could not be loaded or applied. Never carries the text being masked.
#[derive(Debug, thiserror::Error)]
pub enum MaskError {
    #[error("unknown policy {name:?}: not built in ({builtin}) and not a readable file")]
    UnknownPolicy { name: String, builtin: String },
    #[error("policy {source_name}: {message}")]
    InvalidPolicy {
        source_name: String,
        message: String,
    },
    #[error("the policy uses `hash` but no hash key was provided")]
    MissingHashKey,
    #[error("entity span {start}..{end} is not inside the text or not on character boundaries")]
    BadSpan { start: usize, end: usize },
    #[error("no string at JSON Pointer {0}")]
    BadPath(String),
}
