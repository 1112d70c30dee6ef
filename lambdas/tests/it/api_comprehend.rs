//! The API function with `DETECTOR_MODE` comprehend or hybrid, against a Comprehend stub
//! (aws-smithy-mocks): texts and the unhinted strings of records go to Comprehend in one
//! call per request, its findings come back to the right field, and when it fails the
//! patterns answer and the response says it degraded.

use std::time::Duration;

use aws_sdk_comprehend::Client as Comprehend;
use aws_sdk_comprehend::config::retry::RetryConfig;
use aws_sdk_comprehend::operation::detect_pii_entities::{
    DetectPiiEntitiesInput, DetectPiiEntitiesOutput,
};
use aws_sdk_comprehend::types::{PiiEntity, PiiEntityType};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use axum::body::Body;
use detect::comprehend::DetectorMode;
use lambda_common::TextDetection;
use lambda_common::config::{ApiConfig, lookup_from};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{event_text, vault};

/// Words this stand-in for Comprehend calls names; no pattern of ours finds them.
const NAMES: [&str; 2] = ["Zorblat", "Quimbleworth"];

/// NAME for every occurrence of `NAMES` in the request's text, in code point offsets as
/// Comprehend answers.
fn names(text: &str) -> DetectPiiEntitiesOutput {
    let mut out = DetectPiiEntitiesOutput::builder();
    for name in NAMES {
        for (at, _) in text.match_indices(name) {
            let begin = text[..at].chars().count();
            out = out.entities(
                PiiEntity::builder()
                    .r#type(PiiEntityType::Name)
                    .begin_offset(begin as i32)
                    .end_offset((begin + name.chars().count()) as i32)
                    .score(0.97)
                    .build(),
            );
        }
    }
    out.build()
}

fn names_rule() -> Rule {
    mock!(Comprehend::detect_pii_entities)
        .then_compute_output(|req: &DetectPiiEntitiesInput| names(req.text().unwrap_or("")))
}

fn failing_rule() -> Rule {
    mock!(Comprehend::detect_pii_entities)
        .sequence()
        .http_status(500, None)
        .build()
}

async fn call(mode: DetectorMode, rule: &Rule, body: Value) -> (u16, Value) {
    let comprehend = mock_client!(aws_sdk_comprehend, RuleMode::MatchAny, [rule], |b| b
        .retry_config(RetryConfig::disabled()));
    let sdk = aws_config::SdkConfig::builder()
        .endpoint_url("http://127.0.0.1:1")
        .region(aws_config::Region::new("us-east-1"))
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build();
    let config = ApiConfig::from_lookup(&lookup_from(&[
        (
            "DOCUMENTS_STATE_MACHINE_ARN",
            "arn:aws:states:us-east-1:1:stateMachine:d",
        ),
        ("REIDENTIFY_FUNCTION", "piiflow-reidentify"),
        ("PIIFLOW_HOME", "/nonexistent"),
    ]))
    .unwrap();
    let backend = lambda_api::api_backend_with_detection(
        config,
        vault(),
        lambda_api::clients(&sdk),
        Some(TextDetection {
            mode,
            comprehend,
            budget: Duration::from_secs(5),
        }),
    );
    let path = if body.get("items").is_some() {
        "/v1/anonymize/batch"
    } else {
        "/v1/anonymize"
    };
    let mut event: Value = serde_json::from_str(
        &event_text("apigw-anonymize.json")
            .replace("{PATH}", path)
            .replace(
                "\"{BODY}\"",
                &serde_json::to_string(&body.to_string()).unwrap(),
            ),
    )
    .unwrap();
    event["requestContext"]["authorizer"]["jwt"]["scopes"] = json!(["pii/anonymize"]);
    event["requestContext"]["authorizer"]["jwt"]["claims"]["scope"] = json!("pii/anonymize");
    let req = lambda_http::request::from_str(&event.to_string()).unwrap();
    let resp = lambda_api::app(backend)
        .unwrap()
        .oneshot(req.map(Body::new))
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn sources(body: &Value, entity_type: &str) -> Vec<String> {
    body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == entity_type)
        .map(|e| e["source"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn hybrid_text_gets_comprehends_names_and_the_patterns_email() {
    let rule = names_rule();
    let text = "Ticket from Zorblat, reply to zorblat@example.com";
    let (status, body) = call(DetectorMode::Hybrid, &rule, json!({ "text": text })).await;
    assert_eq!(status, 200, "{body}");
    let out = body["text"].as_str().unwrap();
    assert!(
        !out.contains("Zorblat") && !out.contains("zorblat@"),
        "{out}"
    );
    assert_eq!(sources(&body, "NAME"), ["comprehend"], "{body}");
    assert_eq!(sources(&body, "EMAIL"), ["pattern"], "{body}");
    assert_eq!(body["summary"]["detector"], "hybrid");
    assert_eq!(body["summary"]["degraded"], false);
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn unhinted_record_strings_go_to_comprehend_in_one_call_hinted_fields_do_not() {
    let rule = names_rule();
    let record = json!({
        "email": "Quimbleworth@example.com",
        "notes": ["met Zorblat today", "nothing else"],
        "comment": "Quimbleworth called back",
        "count": 3
    });
    let (status, body) = call(DetectorMode::Hybrid, &rule, json!({ "record": record })).await;
    assert_eq!(status, 200, "{body}");
    let out = &body["record"];
    assert!(
        out["email"].as_str().unwrap().starts_with("EMAIL_"),
        "the hinted field is one entity: {out}"
    );
    let notes = out["notes"][0].as_str().unwrap();
    let comment = out["comment"].as_str().unwrap();
    assert!(
        notes.starts_with("met ") && !notes.contains("Zorblat"),
        "{out}"
    );
    assert!(
        !comment.contains("Quimbleworth") && comment.ends_with(" called back"),
        "{out}"
    );
    assert_eq!(out["notes"][1], "nothing else");
    assert_eq!(out["count"], 3);
    let paths: Vec<&str> = body["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["source"] == "comprehend")
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/notes/0", "/comment"], "{body}");
    assert_eq!(
        rule.num_calls(),
        1,
        "one Comprehend call for the whole record"
    );
    assert_eq!(body["summary"]["detector"], "hybrid");
}

#[tokio::test]
async fn a_batch_is_one_comprehend_call_and_each_item_gets_its_own_names() {
    let rule = names_rule();
    let (status, body) = call(
        DetectorMode::Comprehend,
        &rule,
        json!({"items": [{"text": "Zorblat"}, {"text": "no one"}, {"text": "hi Quimbleworth"}]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let items = body["items"].as_array().expect("items");
    let texts: Vec<&str> = items
        .iter()
        .map(|r| r["result"]["text"].as_str().unwrap_or_default())
        .collect();
    assert!(
        !texts[0].is_empty() && !texts[0].contains("Zorblat"),
        "{body}"
    );
    assert_eq!(texts[1], "no one");
    assert!(
        texts[2].starts_with("hi ") && !texts[2].contains("Quimbleworth"),
        "{body}"
    );
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn when_comprehend_fails_patterns_answer_and_the_response_says_degraded() {
    for mode in [DetectorMode::Comprehend, DetectorMode::Hybrid] {
        let rule = failing_rule();
        let (status, body) = call(
            mode,
            &rule,
            json!({"record": {"notes": "Zorblat at zorblat@example.com"}}),
        )
        .await;
        assert_eq!(status, 200, "{mode:?}: {body}");
        let notes = body["record"]["notes"].as_str().unwrap();
        assert!(
            !notes.contains("zorblat@example.com"),
            "{mode:?}: nothing lost: {notes}"
        );
        assert_eq!(body["summary"]["degraded"], true, "{mode:?}: {body}");
        let reason = body["summary"]["degraded_reason"].as_str().unwrap();
        assert!(
            !reason.is_empty() && !reason.contains("Zorblat"),
            "{reason}"
        );
        assert!(rule.num_calls() >= 1);
    }
}
