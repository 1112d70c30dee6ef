use lambda_common::{LambdaError, MAX_INLINE_BYTES};
use lambda_runtime::Diagnostic;
use serde_json::{Value, json};

use crate::support::{Stack, event};

const ORIGINALS: [&str; 3] = [
    "jane.doe@example.com",
    "415-555-0132",
    "4111 1111 1111 1111",
];

fn assert_no_originals(v: &Value) {
    let text = v.to_string();
    for o in ORIGINALS {
        assert!(!text.contains(o), "{o} leaked into {text}");
    }
}

#[tokio::test]
async fn text_runs_through_all_three_steps() {
    let stack = Stack::new();
    let state = stack.run(event("detect-text.json", &[])).await;
    assert!(
        state["detection"]["entity_count"].as_u64().unwrap() >= 3,
        "{}",
        state["detection"]
    );
    let out = &state["deidentified"]["output"]["text"];
    let out = out.as_str().expect("inline text stays inline");
    assert!(out.contains("EMAIL_"), "{out}");
    assert!(out.contains("1111"), "cards keep their last 4: {out}");
    assert_no_originals(&state["deidentified"]);
    // The token reverses to the original through the same vault.
    let token = out
        .split_whitespace()
        .find(|w| w.starts_with("EMAIL_"))
        .unwrap();
    let revealed = stack
        .deidentifier
        .reveal(&[token.to_string()])
        .await
        .unwrap();
    assert_eq!(
        revealed[0].as_deref().map(String::as_str),
        Some("jane.doe@example.com")
    );
}

#[tokio::test]
async fn records_run_through_all_three_steps() {
    let stack = Stack::new();
    let state = stack.run(event("detect-record.json", &[])).await;
    let record = &state["deidentified"]["output"];
    assert!(
        record["email"].as_str().unwrap().starts_with("EMAIL_"),
        "{record}"
    );
    assert_eq!(record["id"], 42);
    assert_eq!(record["plan"], "gold");
    assert_no_originals(record);
    let paths: Vec<_> = state["detection"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect();
    assert!(paths.contains(&"/email".to_string()), "{paths:?}");
}

#[tokio::test]
async fn documents_by_reference_write_stages_and_drop_the_masked_one() {
    let stack = Stack::new();
    let dir = stack.dir.path().to_str().unwrap().to_string();
    std::fs::write(
        stack.dir.path().join("letter.txt"),
        "Write to jane.doe@example.com today.",
    )
    .unwrap();
    let state = stack
        .run(event("detect-file-ref.json", &[("DIR", &dir)]))
        .await;
    let masked_ref = state["masked"]["output"]["ref"].as_str().unwrap();
    let result_ref = state["deidentified"]["output"]["ref"].as_str().unwrap();
    let result = std::fs::read_to_string(result_ref.strip_prefix("file://").unwrap()).unwrap();
    assert!(
        result.starts_with("Write to EMAIL_") && !result.contains("jane"),
        "{result}"
    );
    assert!(
        !std::path::Path::new(masked_ref.strip_prefix("file://").unwrap()).exists(),
        "the masked stage still holds originals and must be deleted"
    );
}

async fn detect_error(state: Value) -> Diagnostic {
    Stack::new()
        .detect
        .handle(&state)
        .await
        .map(|v| panic!("expected an error, got {v}"))
        .unwrap_err()
        .into()
}

#[tokio::test]
async fn malformed_events_are_invalid_input() {
    for (name, needle) in [
        ("malformed-both.json", "not both"),
        ("malformed-document.json", "\"ref\""),
        ("malformed-unknown-policy.json", "unknown policy"),
    ] {
        let d = detect_error(event(name, &[])).await;
        assert_eq!(d.error_type, "Pii.InvalidInput", "{name}");
        assert!(
            d.error_message.contains(needle),
            "{name}: {}",
            d.error_message
        );
    }
    for state in [
        json!([1, 2]),
        json!("text"),
        json!({}),
        json!({"document": {"text": "x"}, "policy": 7}),
    ] {
        assert_eq!(detect_error(state).await.error_type, "Pii.InvalidInput");
    }
}

#[tokio::test]
async fn mask_needs_detection_and_offsets_that_fit() {
    let stack = Stack::new();
    let e = stack
        .mask
        .handle(&event("mask-missing-detection.json", &[]))
        .await
        .unwrap_err();
    assert!(e.public_message().contains("detection.entities"), "{e}");
    let d: Diagnostic = stack
        .mask
        .handle(&event("mask-bad-offsets.json", &[]))
        .await
        .unwrap_err()
        .into();
    assert_eq!(d.error_type, "Pii.InvalidInput");
    // Deidentify without the mask step's output.
    let mut state = event("detect-text.json", &[]);
    state["detection"] = json!({"entities": []});
    let e = stack.deidentify.handle(&state).await.unwrap_err();
    assert!(e.public_message().contains("masked.output"), "{e}");
}

#[tokio::test]
async fn oversized_inline_payloads_ask_for_a_reference() {
    let stack = Stack::new();
    let big = "a".repeat(MAX_INLINE_BYTES + 1);
    for state in [
        json!({"document": {"text": big}}),
        json!({"record": {"note": big}}),
    ] {
        let e = stack.detect.handle(&state).await.unwrap_err();
        assert!(matches!(e, LambdaError::InvalidInput(_)));
        assert!(e.public_message().contains("s3://"), "{e}");
    }
    // Exactly at the limit is still fine.
    let ok = json!({"document": {"text": "a".repeat(MAX_INLINE_BYTES)}});
    let r = stack.detect.handle(&ok).await;
    assert!(r.is_ok(), "{:?}", r.err());
}

#[tokio::test]
async fn non_utf8_documents_are_reported_without_content() {
    let stack = Stack::new();
    let path = stack.dir.path().join("binary.bin");
    std::fs::write(&path, [b'o', b'k', 0xff, 0xfe]).unwrap();
    let state = json!({"document": {"ref": format!("file://{}", path.display())}});
    let d: Diagnostic = stack.detect.handle(&state).await.unwrap_err().into();
    assert_eq!(d.error_type, "Pii.InvalidInput");
    assert!(d.error_message.contains("UTF-8"), "{}", d.error_message);
}

#[tokio::test]
async fn detect_and_mask_hold_no_vault() {
    // Deidentify on the keyless vault of detect/mask must fail, not tokenize somewhere.
    let stack = Stack::new();
    let mut state = event("detect-text.json", &[]);
    state["detection"] = stack.detect.handle(&state).await.unwrap();
    state["masked"] = stack.mask.handle(&state).await.unwrap();
    let d: Diagnostic = stack.detect_as_deidentify(&state).await.unwrap_err().into();
    assert_eq!(d.error_type, "Pii.Unavailable");
}

/// Detect configured for Comprehend whose endpoint is a closed port: every chunk falls
/// back to patterns, the answer says so, and nothing is lost.
async fn detect_with_unreachable_comprehend(mode: detect::comprehend::DetectorMode) -> Value {
    use std::sync::Arc;
    use std::time::Duration;

    use lambda_common::{StepHandler, keyless_vault};
    use lambda_detect::TextDetection;
    use service::Step;
    use service::{S3DocumentStore, S3StoreConfig};

    let config = aws_sdk_comprehend::Config::builder()
        .endpoint_url("http://127.0.0.1:1")
        .region(aws_sdk_comprehend::config::Region::new("us-east-1"))
        .behavior_version(aws_sdk_comprehend::config::BehaviorVersion::latest())
        .credentials_provider(aws_sdk_comprehend::config::Credentials::new(
            "a", "b", None, None, "test",
        ))
        .retry_config(aws_sdk_comprehend::config::retry::RetryConfig::disabled())
        .build();
    let detection = TextDetection {
        mode,
        comprehend: aws_sdk_comprehend::Client::from_conf(config),
        budget: Duration::from_secs(5),
    };
    let engines = lambda_detect::engines(keyless_vault().unwrap(), "default", Some(detection));
    let docs = Arc::new(S3DocumentStore::new(None, S3StoreConfig::default()));
    StepHandler::new(Step::Detect, Arc::new(engines), docs)
        .handle(&event("detect-text.json", &[]))
        .await
        .expect("detect answers with patterns")
}

#[tokio::test]
async fn comprehend_and_hybrid_modes_fall_back_to_patterns_and_say_so() {
    use detect::comprehend::DetectorMode;
    let patterns_only = Stack::new()
        .detect
        .handle(&event("detect-text.json", &[]))
        .await
        .unwrap();
    for (mode, name) in [
        (DetectorMode::Comprehend, "comprehend"),
        (DetectorMode::Hybrid, "hybrid"),
    ] {
        let out = detect_with_unreachable_comprehend(mode).await;
        assert_eq!(out["detector"], name);
        assert_eq!(out["degraded"], true, "{out}");
        assert!(
            out["degraded_reason"]
                .as_str()
                .is_some_and(|r| !r.is_empty())
        );
        assert_eq!(
            out["entities"], patterns_only["entities"],
            "{name}: nothing lost"
        );
        assert_no_originals(&json!({"reason": out["degraded_reason"]}));
    }
    assert_eq!(patterns_only["detector"], "patterns");
    assert_eq!(patterns_only["degraded"], false);
}
