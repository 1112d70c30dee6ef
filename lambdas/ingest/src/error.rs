//! Why a message did not start a run. Messages name what was wrong, never a key or a value
//! of the event (object keys can be personal data).

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The message is not an S3 `Object Created` event of the stack's bucket under its
    /// prefix; it is retried and then kept in the dead-letter queue.
    #[error("not an upload of this stack: {0}")]
    NotAnUpload(&'static str),
    /// Step Functions did not start (or find) the run; retried, then dead-lettered.
    #[error("starting the run failed: {0}")]
    Start(String),
}
