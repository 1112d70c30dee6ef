//! One engine per built-in policy, built on first use: a state or request names its policy.

use std::sync::Arc;
use std::time::Duration;

use detect::comprehend::{ComprehendDetector, DetectorMode, ModeDetector};
use detect::{Detector, PatternDetector};
use service::{Engine, EngineCache, EngineError, builtin_policy};

use crate::stores::Vault;

/// How the detect function finds PII in texts when not with patterns alone
/// (`DETECTOR_MODE=comprehend|hybrid`).
#[derive(Clone)]
pub struct TextDetection {
    pub mode: DetectorMode,
    pub comprehend: aws_sdk_comprehend::Client,
    /// Per call; chunks Comprehend has not answered by then are detected with patterns.
    pub budget: Duration,
}

impl TextDetection {
    fn detector(&self, patterns: Arc<PatternDetector>) -> Result<Arc<dyn Detector>, EngineError> {
        let comprehend = ComprehendDetector::new(self.comprehend.clone(), patterns.clone())
            .with_deadline(self.budget);
        let mode = ModeDetector::new(self.mode, patterns, Some(Arc::new(comprehend)))?;
        Ok(Arc::new(mode))
    }
}

pub struct Engines {
    cache: Arc<EngineCache>,
}

impl Engines {
    /// Only built-in policy names (`builtin_policy`).
    pub fn new(vault: Vault, default_policy: impl Into<String>) -> Self {
        Self::with_detection(vault, default_policy, None)
    }

    pub fn with_detection(
        vault: Vault,
        default_policy: impl Into<String>,
        detection: Option<TextDetection>,
    ) -> Self {
        let cache = EngineCache::new(default_policy, move |name| {
            let policy = builtin_policy(name)?;
            let engine = Engine::new(policy, vault.deidentifier.clone(), vault.hash_key.clone())?;
            Ok(match &detection {
                None => engine,
                Some(d) => {
                    let detector = d.detector(engine.detector().clone())?;
                    engine.with_text_detector(|_| detector)
                }
            })
        });
        Self {
            cache: Arc::new(cache),
        }
    }

    pub fn cache(&self) -> Arc<EngineCache> {
        self.cache.clone()
    }
}
