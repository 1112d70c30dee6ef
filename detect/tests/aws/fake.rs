//! A stand-in for Comprehend's answers: every whitespace-separated token with an `@` is an
//! EMAIL, reported with code point offsets like the real service.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_comprehend::Client;
use aws_sdk_comprehend::config::retry::RetryConfig;
use aws_sdk_comprehend::operation::detect_pii_entities::{
    DetectPiiEntitiesError, DetectPiiEntitiesInput, DetectPiiEntitiesOutput,
};
use aws_sdk_comprehend::types::{PiiEntity, PiiEntityType};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use detect::comprehend::ComprehendDetector;
use detect::{PatternConfig, PatternDetector};

pub fn entity(t: PiiEntityType, begin: usize, end: usize, score: f32) -> PiiEntity {
    PiiEntity::builder()
        .r#type(t)
        .begin_offset(begin as i32)
        .end_offset(end as i32)
        .score(score)
        .build()
}

/// EMAIL entities for the tokens of `text` that contain `@`, in code point offsets.
pub fn emails(text: &str) -> DetectPiiEntitiesOutput {
    let mut out = DetectPiiEntitiesOutput::builder();
    let mut token_start: Option<usize> = None;
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().chain(std::iter::once(&' ')).enumerate() {
        match (c.is_whitespace(), token_start) {
            (false, None) => token_start = Some(i),
            (true, Some(s)) => {
                if chars[s..i].contains(&'@') {
                    out = out.entities(entity(PiiEntityType::Email, s, i, 0.99));
                }
                token_start = None;
            }
            _ => {}
        }
    }
    out.build()
}

/// A rule answering every call like `emails`.
pub fn emails_rule() -> Rule {
    mock!(Client::detect_pii_entities)
        .then_compute_output(|req: &DetectPiiEntitiesInput| emails(req.text().unwrap_or("")))
}

pub fn error_code(code: &str) -> DetectPiiEntitiesError {
    DetectPiiEntitiesError::generic(
        aws_sdk_comprehend::error::ErrorMetadata::builder()
            .code(code)
            .message("test")
            .build(),
    )
}

/// A mocked client (first matching rule with answers left) with `max_attempts` (1 = no retries) and a 1 ms initial backoff.
pub fn client(rules: &[&Rule], max_attempts: u32) -> Client {
    let retry = if max_attempts <= 1 {
        RetryConfig::disabled()
    } else {
        RetryConfig::standard()
            .with_max_attempts(max_attempts)
            .with_initial_backoff(Duration::from_millis(1))
    };
    mock_client!(aws_sdk_comprehend, RuleMode::MatchAny, rules, |c| c
        .retry_config(retry.clone()))
}

/// Falls back to the patterns without the names stage, so that a name in a test's answer
/// can only have come from Comprehend.
pub fn detector(client: Client) -> ComprehendDetector {
    let patterns = PatternDetector::new(PatternConfig {
        names_and_places: false,
        ..Default::default()
    })
    .unwrap();
    ComprehendDetector::new(client, Arc::new(patterns))
}
