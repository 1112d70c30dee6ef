//! detect → mask → deidentify → reidentify by direct invocation of the real binaries,
//! building each event from the previous answers as the state machine does.

use serde_json::{Value, json};

use crate::stack::{DEIDENTIFY, DETECT, MASK, REIDENTIFY, Stack};

const TICKET: &str = include_str!("../../../fixtures/documents/support-ticket.txt");

/// Runs the three pipeline functions on `input` and returns the final state.
async fn run_pipeline(stack: &Stack, input: Value) -> Value {
    let mut state = input;
    state["detection"] = stack.invoke(DETECT, &state).await.expect("detect");
    state["masked"] = stack.invoke(MASK, &state).await.expect("mask");
    state["deidentified"] = stack.invoke(DEIDENTIFY, &state).await.expect("deidentify");
    state
}

/// The detected originals, cut out of `text` by the entities' character offsets.
fn originals(text: &str, detection: &Value) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    detection["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .map(|e| {
            let begin = e["begin"].as_u64().unwrap() as usize;
            let end = e["end"].as_u64().unwrap() as usize;
            chars[begin..end].iter().collect()
        })
        .collect()
}

/// Originals found in `output`, not counting those that also occur in the parts of `text`
/// that are not entities ("123" is a CVV here but also part of an order number).
fn leaked(text: &str, detection: &Value, output: &str) -> Vec<String> {
    leaked_longer_than(0, text, detection, output)
}

/// [`leaked`] for outputs full of base64 and ids, where a two-digit original turns up by
/// chance: only originals longer than `min` characters count.
fn leaked_longer_than(min: usize, text: &str, detection: &Value, output: &str) -> Vec<String> {
    let mut chars: Vec<char> = text.chars().collect();
    for e in detection["entities"].as_array().expect("entities") {
        let (b, e) = (
            e["begin"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        chars[b..e].iter_mut().for_each(|c| *c = '\u{0}');
    }
    let rest: String = chars.into_iter().collect();
    // Tokens are base32 and may spell a short original ("42") by chance.
    let mut output = output.to_string();
    for found in deidentify::find_tokens(&output.clone()).iter().rev() {
        output.replace_range(found.start..found.end, " ");
    }
    originals(text, detection)
        .into_iter()
        .filter(|o| o.chars().count() > min)
        .filter(|o| output.contains(o.as_str()) && !rest.contains(o.as_str()))
        .collect()
}

fn reidentify_event(text: &str) -> Value {
    json!({
        "text": text,
        "reason": "e2e: verify round trip",
        "access_token": crate::callers::auditor_token("auditor-e2e"),
        "request_id": uuid::Uuid::new_v4().to_string(),
    })
}

async fn item_count(stack: &Stack, table: &str) -> (i32, String) {
    let out = aws_sdk_dynamodb::Client::new(&stack.sdk)
        .scan()
        .table_name(table)
        .send()
        .await
        .expect("Scan");
    (out.count, format!("{:?}", out.items()))
}

pub async fn inline_document_round_trips_through_the_four_functions(stack: &Stack) {
    let (audits_before, _) = item_count(stack, &stack.audit_table).await;
    let state = run_pipeline(
        stack,
        json!({"document": {"text": TICKET}, "policy": "tokenize-all"}),
    )
    .await;

    let found = originals(TICKET, &state["detection"]);
    assert!(found.len() >= 5, "{found:?}");
    assert_eq!(state["detection"]["entity_count"], json!(found.len()));
    let anonymized = state["deidentified"]["output"]["text"]
        .as_str()
        .expect("inline output text");
    assert_eq!(
        leaked(TICKET, &state["detection"], anonymized),
        Vec::<String>::new()
    );

    // Deterministic tokens: the same document again gives the same text and no new items.
    let (items, stored) = item_count(stack, &stack.vault_table).await;
    assert!(items > 0);
    assert_eq!(
        leaked_longer_than(5, TICKET, &state["detection"], &stored),
        Vec::<String>::new(),
        "the vault holds originals in clear"
    );
    let again = run_pipeline(
        stack,
        json!({"document": {"text": TICKET}, "policy": "tokenize-all"}),
    )
    .await;
    assert_eq!(again["deidentified"], state["deidentified"]);
    assert_eq!(item_count(stack, &stack.vault_table).await.0, items);

    let revealed = stack
        .invoke(REIDENTIFY, &reidentify_event(anonymized))
        .await
        .expect("reidentify");
    assert_eq!(revealed["text"], json!(TICKET));
    assert!(
        revealed["audit_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    let (audits, trail) = item_count(stack, &stack.audit_table).await;
    assert_eq!(audits, audits_before + 1);
    assert!(trail.contains("auditor-e2e"), "{trail}");

    assert_eq!(
        leaked_longer_than(5, TICKET, &state["detection"], &stack.logs()),
        Vec::<String>::new(),
        "a log line holds originals"
    );
}

pub async fn document_by_reference_writes_the_result_and_removes_the_intermediate(stack: &Stack) {
    let source = stack.put_document("incoming/ticket.txt", TICKET).await;
    let state = run_pipeline(
        stack,
        json!({"document": {"ref": source}, "policy": "tokenize-all"}),
    )
    .await;

    let result = state["deidentified"]["output"]["ref"]
        .as_str()
        .expect("a result reference");
    assert!(
        result.starts_with(&format!("s3://{}/results/", stack.bucket)),
        "{result}"
    );
    let anonymized = stack.read_document(result).await.expect("result object");
    assert_eq!(
        leaked(TICKET, &state["detection"], &anonymized),
        Vec::<String>::new()
    );
    assert_eq!(
        stack.keys_under("work/").await,
        Vec::<String>::new(),
        "the masked intermediate is deleted"
    );
    assert_eq!(
        stack.read_document(&source).await.as_deref(),
        Some(TICKET),
        "the source is left alone"
    );

    let revealed = stack
        .invoke(REIDENTIFY, &reidentify_event(&anonymized))
        .await
        .expect("reidentify");
    assert_eq!(revealed["text"], json!(TICKET));
}

pub async fn bad_events_fail_with_pii_error_names_and_quote_nothing(stack: &Stack) {
    let not_utf8 = {
        stack
            .s3()
            .put_object()
            .bucket(&stack.bucket)
            .key("incoming/latin1.txt")
            .body(b"caf\xe9 john.smith@example.com".to_vec().into())
            .send()
            .await
            .unwrap();
        format!("s3://{}/incoming/latin1.txt", stack.bucket)
    };
    let huge = format!("{} ", TICKET).repeat(300_000 / TICKET.len() + 1);
    let cases: Vec<(&str, Value, &str)> = vec![
        (DETECT, json!("just a string"), "JSON object"),
        (DETECT, json!({"document": {}}), "document"),
        (DETECT, json!({"document": {"text": huge}}), "ref"),
        (
            DETECT,
            json!({"document": {"text": TICKET}, "policy": "nope"}),
            "unknown policy",
        ),
        (DETECT, json!({"document": {"ref": not_utf8}}), "UTF-8"),
        (
            DETECT,
            json!({"document": {"ref": "s3://some-other-bucket/x.txt"}}),
            "bucket",
        ),
        (MASK, json!({"document": {"text": TICKET}}), "detect"),
        (
            DEIDENTIFY,
            json!({"document": {"text": TICKET}, "detection": {"entities": []}}),
            "mask",
        ),
        (
            REIDENTIFY,
            json!({"text": "x", "access_token": crate::callers::auditor_token("a")}),
            "reason",
        ),
        (
            DEIDENTIFY,
            json!({"action": "join", "document": {"text": TICKET}, "parts": []}),
            "join needs",
        ),
        (
            DEIDENTIFY,
            json!({"action": "join", "document": {"ref": format!("s3://{}/incoming/x.txt", stack.bucket)}}),
            "parts",
        ),
        (
            MASK,
            json!({"action": "join", "document": {"text": TICKET}}),
            "action",
        ),
        (
            DETECT,
            json!({"document": {"ref": not_utf8, "range": [0, 4]}}),
            "UTF-8",
        ),
        (
            DETECT,
            json!({"document": {"ref": not_utf8, "range": [0, 4096]}}),
            "outside",
        ),
    ];
    for (role, event, hint) in cases {
        let err = stack.invoke(role, &event).await.expect_err(hint);
        assert_eq!(err.error_type, "Pii.InvalidInput", "{role} {hint}: {err:?}");
        assert!(
            err.message.to_lowercase().contains(&hint.to_lowercase()),
            "{role}: {:?} does not mention {hint:?}",
            err.message
        );
        for secret in ["john.smith@example.com", "536-22-8726"] {
            assert!(!err.message.contains(secret), "{role} quoted {secret}");
        }
    }
    // The real binary refuses an event whose token it cannot verify, whoever it names.
    let forged = json!({"text": "x", "reason": "r", "request_id": "1",
                        "principal": {"sub": "auditor-e2e"}, "access_token": "forged"});
    let err = stack
        .invoke(REIDENTIFY, &forged)
        .await
        .expect_err("forged token");
    assert_eq!(err.error_type, "Pii.Unauthorized", "{err:?}");
}
