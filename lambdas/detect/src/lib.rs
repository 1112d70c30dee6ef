//! The detect function (a Step Functions task): patterns by default; Amazon Comprehend,
//! with patterns for what it does not answer in time, when `DETECTOR_MODE` asks for it.
//! No key and no vault: it only reads documents and writes entity lists under `work/`.

use std::sync::Arc;
use std::time::Duration;

use detect::PatternDetector;
use detect::comprehend::{ComprehendDetector, DetectorMode, ModeDetector};
use lambda_common::config::{Lookup, StepConfig, process_env};
use lambda_common::{
    Engines, LambdaError, StepHandler, TextDetector, Vault, keyless_vault, load_sdk_config,
    step_handler,
};
use service::Step;

/// How texts are detected, from the environment.
#[derive(Debug, Clone)]
pub struct DetectorConfig {
    /// `DETECTOR_MODE`: `patterns` (default), `comprehend` or `hybrid`.
    pub mode: DetectorMode,
    /// `DETECT_BUDGET_SECONDS` (default 50, under the function's 60 s timeout): how long
    /// one event may wait for Comprehend before patterns answer for what is left.
    pub budget: Duration,
}

impl DetectorConfig {
    pub fn from_lookup(env: Lookup) -> Result<Self, LambdaError> {
        Ok(Self {
            mode: env("DETECTOR_MODE")
                .map(|m| m.parse::<DetectorMode>())
                .transpose()
                .map_err(|e| LambdaError::Config(format!("DETECTOR_MODE: {e}")))?
                .unwrap_or(DetectorMode::Patterns),
            budget: match env("DETECT_BUDGET_SECONDS") {
                None => Duration::from_secs(50),
                Some(s) => s
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v > 0.0)
                    .map(Duration::from_secs_f64)
                    .ok_or_else(|| {
                        LambdaError::Config(
                            "DETECT_BUDGET_SECONDS must be a positive number".into(),
                        )
                    })?,
            },
        })
    }
}

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
    fn into_text_detector(self) -> Box<TextDetector> {
        Box::new(move |patterns: Arc<PatternDetector>| {
            let comprehend = ComprehendDetector::new(self.comprehend.clone(), patterns.clone())
                .with_deadline(self.budget);
            let mode = ModeDetector::new(self.mode, patterns, Some(Arc::new(comprehend)))?;
            Ok(Arc::new(mode) as Arc<dyn detect::Detector>)
        })
    }
}

/// The detect function's engines: texts through `detection` when given.
pub fn engines(vault: Vault, default_policy: &str, detection: Option<TextDetection>) -> Engines {
    Engines::with_text_detector(
        vault,
        default_policy,
        detection.map(TextDetection::into_text_detector),
    )
}

pub async fn handler_from_env() -> Result<StepHandler, LambdaError> {
    handler_from_lookup(&process_env).await
}

/// The handler as configured by `env` (the function's variables).
pub async fn handler_from_lookup(env: Lookup<'_>) -> Result<StepHandler, LambdaError> {
    let config = StepConfig::from_lookup(env, "work/", false)?;
    let detector = DetectorConfig::from_lookup(env)?;
    let sdk = load_sdk_config().await;
    let detection = (detector.mode != DetectorMode::Patterns).then(|| TextDetection {
        mode: detector.mode,
        comprehend: aws_sdk_comprehend::Client::new(&sdk),
        budget: detector.budget,
    });
    Ok(step_handler(
        Step::Detect,
        config,
        keyless_vault()?,
        detection.map(TextDetection::into_text_detector),
        &sdk,
    ))
}

#[cfg(test)]
mod tests {
    use lambda_common::config::lookup_from as env;

    use super::*;

    #[test]
    fn detector_mode_and_budget_are_read_and_checked() {
        let c = DetectorConfig::from_lookup(&env(&[
            ("DETECTOR_MODE", "hybrid"),
            ("DETECT_BUDGET_SECONDS", "12.5"),
        ]))
        .unwrap();
        assert_eq!(c.mode, DetectorMode::Hybrid);
        assert_eq!(c.budget, Duration::from_millis(12_500));
        for bad in [("DETECTOR_MODE", "magic"), ("DETECT_BUDGET_SECONDS", "-1")] {
            assert!(
                DetectorConfig::from_lookup(&env(&[bad])).is_err(),
                "{bad:?}"
            );
        }
    }
}
