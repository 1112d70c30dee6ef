//! Which detector a deployment uses, chosen by configuration (`PIIFLOW_DETECTOR`-style env).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use super::merge::merge_duplicates;
use crate::{DetectError, DetectionReport, Detector, PatternDetector, resolve_overlaps};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DetectorMode {
    /// Local regexes and validators only: no AWS calls, no cost.
    Patterns,
    /// Comprehend, with patterns only for chunks Comprehend could not answer.
    Comprehend,
    /// Both on every text, union of the findings: Comprehend finds names and addresses,
    /// patterns find checksum-validated numbers Comprehend scores lower.
    Hybrid,
}

impl DetectorMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patterns => "patterns",
            Self::Comprehend => "comprehend",
            Self::Hybrid => "hybrid",
        }
    }
}

impl fmt::Display for DetectorMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown detector mode {0:?} (expected patterns, comprehend or hybrid)")]
pub struct UnknownDetectorMode(pub String);

impl FromStr for DetectorMode {
    type Err = UnknownDetectorMode;

    /// Case-insensitive and trimmed, since the value usually comes from an env variable.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "patterns" => Ok(Self::Patterns),
            "comprehend" => Ok(Self::Comprehend),
            "hybrid" => Ok(Self::Hybrid),
            _ => Err(UnknownDetectorMode(s.to_string())),
        }
    }
}

/// The configured detector. The Comprehend side is any `Detector` (normally a
/// `ComprehendDetector`), so callers and tests can substitute it.
#[derive(Clone)]
pub struct ModeDetector {
    mode: DetectorMode,
    patterns: Arc<PatternDetector>,
    comprehend: Option<Arc<dyn Detector>>,
}

impl fmt::Debug for ModeDetector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModeDetector")
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

impl ModeDetector {
    /// `comprehend` may be `None` only in `Patterns` mode.
    pub fn new(
        mode: DetectorMode,
        patterns: Arc<PatternDetector>,
        comprehend: Option<Arc<dyn Detector>>,
    ) -> Result<Self, DetectError> {
        if mode != DetectorMode::Patterns && comprehend.is_none() {
            return Err(DetectError::Config(format!(
                "detector mode {mode} needs a Comprehend client"
            )));
        }
        Ok(Self {
            mode,
            patterns,
            comprehend,
        })
    }

    pub fn mode(&self) -> DetectorMode {
        self.mode
    }
}

#[async_trait::async_trait]
impl Detector for ModeDetector {
    fn name(&self) -> &'static str {
        self.mode.as_str()
    }

    async fn detect(&self, text: &str) -> Result<DetectionReport, DetectError> {
        let comprehend = match (self.mode, &self.comprehend) {
            (DetectorMode::Comprehend, Some(c)) => return c.detect(text).await,
            (DetectorMode::Hybrid, Some(c)) => c,
            _ => return self.patterns.detect(text).await,
        };
        let (theirs, ours) = futures::join!(comprehend.detect(text), self.patterns.detect(text));
        let ours = ours?;
        // In hybrid mode the pattern half still answers when Comprehend errors outright.
        let (mut detections, degraded) = match theirs {
            Ok(report) => (report.detections, report.degraded),
            Err(e) => (
                Vec::new(),
                Some(format!("comprehend failed, patterns only: {e}")),
            ),
        };
        detections.extend(ours.detections);
        Ok(DetectionReport {
            detections: resolve_overlaps(merge_duplicates(detections)),
            degraded,
        })
    }
}
