use crate::{DetectError, Detection};

/// The result of running a detector on one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DetectionReport {
    /// Byte offsets into the text, sorted by start, non-overlapping.
    pub detections: Vec<Detection>,
    /// Set when the preferred detector failed and a fallback answered instead.
    pub degraded: Option<String>,
}

/// The detection port: patterns locally, Amazon Comprehend on AWS.
#[async_trait::async_trait]
pub trait Detector: Send + Sync {
    /// Short name reported in summaries (`patterns`, `comprehend`, `hybrid`).
    fn name(&self) -> &'static str;

    async fn detect(&self, text: &str) -> Result<DetectionReport, DetectError>;
}
