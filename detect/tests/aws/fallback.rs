//! When Comprehend cannot answer a chunk, patterns answer it and the report says so.

use std::time::Duration;

use aws_sdk_comprehend::Client;
use aws_sdk_comprehend::operation::detect_pii_entities::DetectPiiEntitiesError;
use aws_sdk_comprehend::types::error::{InternalServerException, UnsupportedLanguageException};
use aws_smithy_mocks::mock;
use detect::comprehend::{ChunkLimits, split};
use detect::{Detector, EntityType, Source};

use crate::fake::{client, detector, emails, emails_rule};

const TEXT: &str = "write to dave@example.com or call";

fn assert_pattern_fallback(report: &detect::DetectionReport, reason: &str) {
    let degraded = report.degraded.as_deref().expect("degraded must be set");
    assert!(degraded.contains(reason), "{degraded:?} lacks {reason:?}");
    let found: Vec<(EntityType, &str, Source)> = report
        .detections
        .iter()
        .map(|d| (d.entity_type, &TEXT[d.start..d.end], d.source))
        .collect();
    assert_eq!(
        found,
        vec![(EntityType::Email, "dave@example.com", Source::Pattern)]
    );
}

#[tokio::test]
async fn http_500_falls_back() {
    let rule = mock!(Client::detect_pii_entities)
        .sequence()
        .http_status(500, None)
        .build();
    let report = detector(client(&[&rule], 1)).detect(TEXT).await.unwrap();
    assert_eq!(rule.num_calls(), 1);
    assert_pattern_fallback(&report, "Comprehend error");
}

#[tokio::test(start_paused = true)]
async fn http_500_is_retried_by_the_client() {
    let rule = mock!(Client::detect_pii_entities)
        .sequence()
        .http_status(500, None)
        .times(2)
        .output(|| emails(TEXT))
        .build();
    let report = detector(client(&[&rule], 3)).detect(TEXT).await.unwrap();
    assert_eq!(rule.num_calls(), 3);
    assert_eq!(report.degraded, None);
    assert_eq!(report.detections[0].source, Source::Comprehend);
}

#[tokio::test]
async fn internal_server_exception_falls_back() {
    let rule = mock!(Client::detect_pii_entities).then_error(|| {
        DetectPiiEntitiesError::InternalServerException(
            InternalServerException::builder().message("boom").build(),
        )
    });
    let report = detector(client(&[&rule], 1)).detect(TEXT).await.unwrap();
    assert_pattern_fallback(&report, "InternalServerException");
}

#[tokio::test]
async fn unsupported_language_is_not_sent() {
    let rule = emails_rule();
    let report = detector(client(&[&rule], 1))
        .with_language("fr")
        .detect(TEXT)
        .await
        .unwrap();
    assert_eq!(rule.num_calls(), 0);
    assert_pattern_fallback(&report, "\"fr\" is not supported");
}

#[tokio::test]
async fn unsupported_language_from_the_service_falls_back() {
    let rule = mock!(Client::detect_pii_entities).then_error(|| {
        DetectPiiEntitiesError::UnsupportedLanguageException(
            UnsupportedLanguageException::builder().build(),
        )
    });
    let report = detector(client(&[&rule], 1))
        .with_language("es")
        .detect(TEXT)
        .await
        .unwrap();
    assert_pattern_fallback(&report, "\"es\" is not supported");
}

#[tokio::test]
async fn a_spent_time_budget_sends_nothing() {
    let rule = emails_rule();
    let report = detector(client(&[&rule], 1))
        .with_deadline(Duration::ZERO)
        .detect(TEXT)
        .await
        .unwrap();
    assert_eq!(rule.num_calls(), 0);
    assert_pattern_fallback(&report, "time budget");
}

#[tokio::test]
async fn only_the_failing_chunk_falls_back() {
    // Small chunks so the text needs several calls; the second call fails.
    let text = "aa x1@example.com bb x2@example.com cc x3@example.com dd x4@example.com ee";
    let limits = ChunkLimits::new(24, 3).unwrap();
    let chunks = split(text, limits).len();
    assert!(chunks >= 3);
    let rule = mock!(Client::detect_pii_entities)
        .match_requests(|req| !req.text().unwrap_or("").contains("x2@"))
        .then_compute_output(|req| emails(req.text().unwrap_or("")));
    let failing = mock!(Client::detect_pii_entities).then_error(|| {
        DetectPiiEntitiesError::InternalServerException(InternalServerException::builder().build())
    });
    let client = aws_smithy_mocks::mock_client!(
        aws_sdk_comprehend,
        aws_smithy_mocks::RuleMode::MatchAny,
        &[&rule, &failing],
        |c| c.retry_config(aws_sdk_comprehend::config::retry::RetryConfig::disabled())
    );
    let report = detector(client)
        .with_chunk_limits(limits)
        .with_concurrency(1)
        .detect(text)
        .await
        .unwrap();
    let degraded = report.degraded.clone().expect("degraded");
    assert!(
        degraded.starts_with(&format!("comprehend: 1 of {chunks} chunks")),
        "{degraded}"
    );
    let found: Vec<(&str, Source)> = report
        .detections
        .iter()
        .map(|d| (&text[d.start..d.end], d.source))
        .collect();
    assert_eq!(
        found,
        vec![
            ("x1@example.com", Source::Comprehend),
            ("x2@example.com", Source::Pattern),
            ("x3@example.com", Source::Comprehend),
            ("x4@example.com", Source::Comprehend),
        ]
    );
}
