//! The happy paths against aws-smithy-mocks: offsets, chunking, retries.

use aws_sdk_comprehend::Client;
use aws_sdk_comprehend::operation::detect_pii_entities::DetectPiiEntitiesOutput;
use aws_sdk_comprehend::types::PiiEntityType;
use aws_smithy_mocks::mock;
use detect::comprehend::{ChunkLimits, split};
use detect::{Detector, EntityType, Source};

use crate::fake::{client, detector, emails, emails_rule, entity, error_code};

fn spans(report: &detect::DetectionReport) -> Vec<(EntityType, usize, usize)> {
    report
        .detections
        .iter()
        .map(|d| (d.entity_type, d.start, d.end))
        .collect()
}

#[tokio::test]
async fn ascii_entities_keep_their_offsets() {
    let text = "Contact Jane Doe at jane@example.com today";
    let rule = mock!(Client::detect_pii_entities).then_output(|| {
        DetectPiiEntitiesOutput::builder()
            .entities(entity(PiiEntityType::Name, 8, 16, 0.98))
            .entities(entity(PiiEntityType::Email, 20, 36, 0.99))
            .build()
    });
    let report = detector(client(&[&rule], 1)).detect(text).await.unwrap();
    assert_eq!(report.degraded, None);
    assert_eq!(
        spans(&report),
        vec![(EntityType::Name, 8, 16), (EntityType::Email, 20, 36)]
    );
    assert!(
        report
            .detections
            .iter()
            .all(|d| d.source == Source::Comprehend)
    );
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn code_point_offsets_after_emoji_and_cjk_become_byte_offsets() {
    // "😀 中文 email " is 11 code points but 18 bytes.
    let text = "😀 中文 email alice@example.com 名前 Bob";
    let rule = mock!(Client::detect_pii_entities).then_output(|| {
        DetectPiiEntitiesOutput::builder()
            .entities(entity(PiiEntityType::Email, 11, 28, 0.99))
            .entities(entity(PiiEntityType::Name, 32, 35, 0.9))
            .build()
    });
    let report = detector(client(&[&rule], 1)).detect(text).await.unwrap();
    let found: Vec<&str> = report
        .detections
        .iter()
        .map(|d| &text[d.start..d.end])
        .collect();
    assert_eq!(found, vec!["alice@example.com", "Bob"]);
    assert_eq!(spans(&report)[0], (EntityType::Email, 18, 35));
}

#[tokio::test]
async fn offsets_past_the_chunk_fall_back_instead_of_panicking() {
    let text = "short text with bob@example.com";
    let rule = mock!(Client::detect_pii_entities).then_output(|| {
        DetectPiiEntitiesOutput::builder()
            .entities(entity(PiiEntityType::Email, 16, 500, 0.99))
            .build()
    });
    let report = detector(client(&[&rule], 1)).detect(text).await.unwrap();
    assert!(report.degraded.as_deref().unwrap().contains("offsets"));
    assert_eq!(spans(&report), vec![(EntityType::Email, 16, 31)]);
    assert_eq!(report.detections[0].source, Source::Pattern);
}

/// Over 100 KB with multi-byte filler and an email every ~150 bytes, so every overlap
/// holds at least one whole email.
fn large_text() -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 260_000 {
        text.push_str(&format!(
            "filler 😀 中文 words and more words user{i}@example.com "
        ));
        text.push_str("lorem ipsum dolor sit amet, consectetur adipiscing elit ");
        i += 1;
    }
    text
}

#[tokio::test]
async fn a_large_text_is_split_shifted_back_and_overlaps_reported_once() {
    let text = large_text();
    let chunks = split(&text, ChunkLimits::default());
    assert!(chunks.len() >= 3);
    let expected: Vec<(EntityType, usize, usize)> = text
        .match_indices("user")
        .map(|(start, _)| {
            let end = start + text[start..].find(' ').unwrap();
            (EntityType::Email, start, end)
        })
        .collect();
    // The test means something only if some email sits in two chunks.
    let in_overlap = expected.iter().any(|&(_, s, e)| {
        chunks
            .windows(2)
            .any(|w| s >= w[1].offset && e <= w[0].end())
    });
    assert!(in_overlap);

    let rule = emails_rule();
    let report = detector(client(&[&rule], 1)).detect(&text).await.unwrap();
    assert_eq!(rule.num_calls(), chunks.len());
    assert_eq!(report.degraded, None);
    assert_eq!(spans(&report), expected);
}

#[tokio::test]
async fn concurrency_of_one_gives_the_same_answer() {
    let text = large_text();
    let rule = emails_rule();
    let one = detector(client(&[&rule], 1)).with_concurrency(1);
    let many = detector(client(&[&rule], 1)).with_concurrency(8);
    assert_eq!(
        one.detect(&text).await.unwrap(),
        many.detect(&text).await.unwrap()
    );
}

#[tokio::test]
async fn unknown_comprehend_types_are_skipped() {
    let text = "a b";
    let rule = mock!(Client::detect_pii_entities).then_output(|| {
        DetectPiiEntitiesOutput::builder()
            .entities(entity(PiiEntityType::from("NEW_KIND"), 0, 1, 0.9))
            .entities(entity(PiiEntityType::Name, 2, 3, 0.9))
            .build()
    });
    let report = detector(client(&[&rule], 1)).detect(text).await.unwrap();
    assert_eq!(spans(&report), vec![(EntityType::Name, 2, 3)]);
}

#[tokio::test(start_paused = true)]
async fn throttling_is_retried_by_the_client() {
    let text = "mail carol@example.com now";
    let rule = mock!(Client::detect_pii_entities)
        .sequence()
        .error(|| error_code("ThrottlingException"))
        .output(|| emails("mail carol@example.com now"))
        .build();
    let report = detector(client(&[&rule], 3)).detect(text).await.unwrap();
    assert_eq!(rule.num_calls(), 2);
    assert_eq!(report.degraded, None);
    assert_eq!(spans(&report), vec![(EntityType::Email, 5, 22)]);
    assert_eq!(report.detections[0].source, Source::Comprehend);
}

#[tokio::test(start_paused = true)]
async fn throttling_after_retries_falls_back_to_patterns() {
    let text = "mail carol@example.com now";
    let rule = mock!(Client::detect_pii_entities)
        .sequence()
        .error(|| error_code("ThrottlingException"))
        .times(2)
        .output(|| emails("mail carol@example.com now"))
        .build();
    let report = detector(client(&[&rule], 2)).detect(text).await.unwrap();
    assert_eq!(rule.num_calls(), 2);
    let degraded = report.degraded.clone().expect("degraded");
    assert!(degraded.contains("throttled"), "{degraded}");
    assert!(degraded.contains("1 of 1"), "{degraded}");
    assert_eq!(spans(&report), vec![(EntityType::Email, 5, 22)]);
    assert_eq!(report.detections[0].source, Source::Pattern);
}
