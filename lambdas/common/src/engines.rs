//! One engine per built-in policy, built on first use: a state or request names its policy.

use std::sync::Arc;

use detect::{Detector, PatternDetector};
use service::{Engine, EngineCache, EngineError, builtin_policy};

use crate::Vault;

/// Makes the detector the detect step runs on texts from a policy's pattern detector.
pub type TextDetector =
    dyn Fn(Arc<PatternDetector>) -> Result<Arc<dyn Detector>, EngineError> + Send + Sync;

pub struct Engines {
    cache: Arc<EngineCache>,
}

impl Engines {
    /// Only built-in policy names (`builtin_policy`).
    pub fn new(vault: Vault, default_policy: impl Into<String>) -> Self {
        Self::with_text_detector(vault, default_policy, None)
    }

    /// With `text_detector`, texts are detected by what it makes (Comprehend, hybrid)
    /// instead of the patterns alone.
    pub fn with_text_detector(
        vault: Vault,
        default_policy: impl Into<String>,
        text_detector: Option<Box<TextDetector>>,
    ) -> Self {
        let cache = EngineCache::new(default_policy, move |name| {
            let policy = builtin_policy(name)?;
            let engine = Engine::new(policy, vault.deidentifier.clone(), vault.hash_key.clone())?;
            Ok(match &text_detector {
                None => engine,
                Some(make) => {
                    let detector = make(engine.detector().clone())?;
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
