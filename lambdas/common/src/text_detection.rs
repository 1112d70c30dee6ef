//! How a function detects texts when not with patterns alone (`DETECTOR_MODE=comprehend|hybrid`,
//! feature `comprehend`): the detect function per event, the API function per request, with
//! the same budget, fallback and `degraded` rules.

use std::sync::Arc;
use std::time::Duration;

use detect::comprehend::{ComprehendDetector, DetectorMode, ModeDetector};
use detect::{DetectError, DetectionReport, Detector, PatternDetector};

use crate::config::Lookup;
use crate::{Engines, LambdaError, TextDetector, Vault};

/// How texts are detected, from the environment.
#[derive(Debug, Clone)]
pub struct DetectorConfig {
    /// `DETECTOR_MODE`: `patterns` (default), `comprehend` or `hybrid`.
    pub mode: DetectorMode,
    /// `DETECT_BUDGET_SECONDS`: how long one call (an event, a request) may wait for
    /// Comprehend before patterns answer for what is left; under the function's timeout.
    pub budget: Duration,
}

impl DetectorConfig {
    /// `default_budget` applies when `DETECT_BUDGET_SECONDS` is unset.
    pub fn from_lookup(env: Lookup, default_budget: Duration) -> Result<Self, LambdaError> {
        Ok(Self {
            mode: env("DETECTOR_MODE")
                .map(|m| m.parse::<DetectorMode>())
                .transpose()
                .map_err(|e| LambdaError::Config(format!("DETECTOR_MODE: {e}")))?
                .unwrap_or(DetectorMode::Patterns),
            budget: match env("DETECT_BUDGET_SECONDS") {
                None => default_budget,
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

    /// The text detection this configuration asks for; `None` in `patterns` mode.
    pub fn detection(&self, sdk: &aws_config::SdkConfig) -> Option<TextDetection> {
        (self.mode != DetectorMode::Patterns).then(|| TextDetection {
            mode: self.mode,
            comprehend: aws_sdk_comprehend::Client::new(sdk),
            budget: self.budget,
        })
    }
}

/// Comprehend (or the hybrid of Comprehend and patterns) with its client and budget.
#[derive(Clone)]
pub struct TextDetection {
    pub mode: DetectorMode,
    pub comprehend: aws_sdk_comprehend::Client,
    /// Per call; chunks Comprehend has not answered by then are detected with patterns.
    pub budget: Duration,
}

impl TextDetection {
    pub fn into_text_detector(self) -> Box<TextDetector> {
        Box::new(move |patterns: Arc<PatternDetector>| {
            let comprehend = ComprehendDetector::new(self.comprehend.clone(), patterns.clone())
                .with_deadline(self.budget);
            let mode = ModeDetector::new(self.mode, patterns, Some(Arc::new(comprehend)))?;
            Ok(Arc::new(LogsDegradation(Arc::new(mode))) as Arc<dyn Detector>)
        })
    }
}

/// Logs every fallback as one line with `degraded: true` and the reason (error codes,
/// never text). The stack's metric filter on that field counts Comprehend fallbacks for
/// their alarm.
pub struct LogsDegradation(pub Arc<dyn Detector>);

#[async_trait::async_trait]
impl Detector for LogsDegradation {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    async fn detect(&self, text: &str) -> Result<DetectionReport, DetectError> {
        let report = self.0.detect(text).await?;
        if let Some(reason) = &report.degraded {
            tracing::warn!(degraded = true, reason = %reason, "Comprehend did not answer; patterns did");
        }
        Ok(report)
    }
}

/// Engines whose texts go through `detection` when given.
pub fn engines(vault: Vault, default_policy: &str, detection: Option<TextDetection>) -> Engines {
    Engines::with_text_detector(
        vault,
        default_policy,
        detection.map(TextDetection::into_text_detector),
    )
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::Mutex;

    use crate::config::lookup_from as env;

    use super::*;

    /// Answers with nothing, degraded for `reason` when given.
    struct Fixed(Option<&'static str>);

    #[async_trait::async_trait]
    impl Detector for Fixed {
        fn name(&self) -> &'static str {
            "hybrid"
        }
        async fn detect(&self, _: &str) -> Result<DetectionReport, DetectError> {
            Ok(DetectionReport {
                detections: Vec::new(),
                degraded: self.0.map(str::to_string),
            })
        }
    }

    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);

    impl Write for Lines {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The lines `init_tracing`'s format writes while `detector` detects a text.
    async fn logged(detector: Fixed) -> Vec<serde_json::Value> {
        let lines = Lines::default();
        let sink = lines.clone();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .with_current_span(false)
            .with_target(false)
            .without_time()
            .with_writer(move || sink.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        LogsDegradation(Arc::new(detector))
            .detect("call jane@example.com")
            .await
            .unwrap();
        let text = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[tokio::test]
    async fn a_fallback_is_one_line_with_degraded_true_for_the_metric_filter() {
        let lines = logged(Fixed(Some("Comprehend error: ThrottlingException"))).await;
        assert_eq!(lines.len(), 1, "{lines:?}");
        // infra/template.yaml's DegradedMetricFilter: { $.fields.degraded IS TRUE }
        assert_eq!(lines[0]["fields"]["degraded"], true, "{lines:?}");
        assert_eq!(
            lines[0]["fields"]["reason"],
            "Comprehend error: ThrottlingException"
        );
        assert!(
            !lines[0].to_string().contains("jane"),
            "no text in the line"
        );
        assert!(
            logged(Fixed(None)).await.is_empty(),
            "an answer is not logged"
        );
    }

    #[test]
    fn detector_mode_and_budget_are_read_and_checked() {
        let default = Duration::from_secs(7);
        let c = DetectorConfig::from_lookup(
            &env(&[
                ("DETECTOR_MODE", "hybrid"),
                ("DETECT_BUDGET_SECONDS", "12.5"),
            ]),
            default,
        )
        .unwrap();
        assert_eq!(c.mode, DetectorMode::Hybrid);
        assert_eq!(c.budget, Duration::from_millis(12_500));
        let unset = DetectorConfig::from_lookup(&env(&[]), default).unwrap();
        assert_eq!(
            (unset.mode, unset.budget),
            (DetectorMode::Patterns, default)
        );
        for bad in [
            ("DETECTOR_MODE", "magic"),
            ("DETECT_BUDGET_SECONDS", "-1"),
            ("DETECT_BUDGET_SECONDS", "NaN"),
        ] {
            assert!(
                DetectorConfig::from_lookup(&env(&[bad]), default).is_err(),
                "{bad:?}"
            );
        }
    }
}
