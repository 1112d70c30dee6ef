//! Detector modes from configuration, and the hybrid union.

use std::sync::Arc;

use aws_sdk_comprehend::Client;
use aws_sdk_comprehend::operation::detect_pii_entities::DetectPiiEntitiesOutput;
use aws_sdk_comprehend::types::PiiEntityType;
use aws_smithy_mocks::mock;
use detect::comprehend::{DetectorMode, ModeDetector};
use detect::{Detector, EntityType, PatternConfig, PatternDetector, Source};

use crate::fake::{client, detector, entity};

// "Jane Doe" is only Comprehend's to find; the SSN only the patterns'.
const TEXT: &str = "Jane Doe has SSN 123-45-6789";

/// Patterns without the names stage, so that the name in `TEXT` can only come from
/// Comprehend and each mode's answer shows which detectors it asked.
fn patterns_only() -> Arc<PatternDetector> {
    Arc::new(
        PatternDetector::new(PatternConfig {
            names_and_places: false,
            ..Default::default()
        })
        .unwrap(),
    )
}

fn comprehend() -> (Arc<dyn Detector>, aws_smithy_mocks::Rule) {
    let rule = mock!(Client::detect_pii_entities).then_output(|| {
        DetectPiiEntitiesOutput::builder()
            .entities(entity(PiiEntityType::Name, 0, 8, 0.97))
            .build()
    });
    (Arc::new(detector(client(&[&rule], 1))), rule)
}

fn found(report: &detect::DetectionReport) -> Vec<(EntityType, &'static str, Source)> {
    report
        .detections
        .iter()
        .map(|d| (d.entity_type, &TEXT[d.start..d.end], d.source))
        .collect()
}

#[test]
fn modes_parse_from_env_style_strings() {
    assert_eq!("patterns".parse(), Ok(DetectorMode::Patterns));
    assert_eq!(" Comprehend\n".parse(), Ok(DetectorMode::Comprehend));
    assert_eq!("HYBRID".parse(), Ok(DetectorMode::Hybrid));
    assert!("regex".parse::<DetectorMode>().is_err());
    for mode in [
        DetectorMode::Patterns,
        DetectorMode::Comprehend,
        DetectorMode::Hybrid,
    ] {
        assert_eq!(mode.to_string().parse(), Ok(mode));
    }
}

#[test]
fn comprehend_modes_need_a_comprehend_detector() {
    let patterns = Arc::new(PatternDetector::default());
    assert!(ModeDetector::new(DetectorMode::Hybrid, patterns.clone(), None).is_err());
    assert!(ModeDetector::new(DetectorMode::Comprehend, patterns.clone(), None).is_err());
    assert!(ModeDetector::new(DetectorMode::Patterns, patterns, None).is_ok());
}

#[tokio::test]
async fn each_mode_answers_with_its_detectors() {
    let patterns = patterns_only();

    let (c, rule) = comprehend();
    let only_patterns =
        ModeDetector::new(DetectorMode::Patterns, patterns.clone(), Some(c)).unwrap();
    let report = only_patterns.detect(TEXT).await.unwrap();
    assert_eq!(only_patterns.name(), "patterns");
    assert_eq!(
        found(&report),
        vec![(EntityType::Ssn, "123-45-6789", Source::Pattern)]
    );
    assert_eq!(rule.num_calls(), 0);

    let (c, _) = comprehend();
    let only_comprehend =
        ModeDetector::new(DetectorMode::Comprehend, patterns.clone(), Some(c)).unwrap();
    let report = only_comprehend.detect(TEXT).await.unwrap();
    assert_eq!(only_comprehend.name(), "comprehend");
    assert_eq!(
        found(&report),
        vec![(EntityType::Name, "Jane Doe", Source::Comprehend)]
    );

    let (c, _) = comprehend();
    let hybrid = ModeDetector::new(DetectorMode::Hybrid, patterns, Some(c)).unwrap();
    let report = hybrid.detect(TEXT).await.unwrap();
    assert_eq!(hybrid.name(), "hybrid");
    assert_eq!(report.degraded, None);
    assert_eq!(
        found(&report),
        vec![
            (EntityType::Name, "Jane Doe", Source::Comprehend),
            (EntityType::Ssn, "123-45-6789", Source::Pattern),
        ]
    );
}

#[tokio::test]
async fn hybrid_passes_on_comprehends_degradation() {
    let patterns = patterns_only();
    let rule = mock!(Client::detect_pii_entities)
        .sequence()
        .http_status(500, None)
        .build();
    let c: Arc<dyn Detector> = Arc::new(detector(client(&[&rule], 1)));
    let hybrid = ModeDetector::new(DetectorMode::Hybrid, patterns, Some(c)).unwrap();
    let report = hybrid.detect(TEXT).await.unwrap();
    assert!(report.degraded.is_some());
    assert_eq!(
        found(&report),
        vec![(EntityType::Ssn, "123-45-6789", Source::Pattern)]
    );
}
