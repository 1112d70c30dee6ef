//! The shipped documents.asl.json and records.asl.json, run with fake handlers that follow
//! the handler data contract.

use crate::util::{ctx, executor};
use serde_json::{Value, json};
use statemachine::{
    ExecutionStatus, FakeClock, FnHandler, StateMachine, Substitutions, TaskError, TaskHandler,
    TaskRegistry, documents_machine, local_substitutions, records_machine,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub type CallLog = Arc<Mutex<Vec<(&'static str, Value)>>>;

const EMAIL: &str = "alice@example.com";

fn subject(payload: &Value) -> String {
    match (payload.get("document"), payload.get("record")) {
        (Some(doc), _) => doc["text"].as_str().unwrap_or_default().to_owned(),
        (None, Some(rec)) => rec.to_string(),
        _ => String::new(),
    }
}

fn masked(payload: &Value) -> Value {
    let replace = |s: &str| s.replace(EMAIL, "<EMAIL_1>");
    match (payload.get("document"), payload.get("record")) {
        (Some(_), _) => json!({"text": replace(&subject(payload))}),
        (None, Some(rec)) => serde_json::from_str(&replace(&rec.to_string())).unwrap(),
        _ => Value::Null,
    }
}

/// detect/mask/deidentify fakes; `detect` may be replaced to inject failures.
pub fn contract_registry(log: CallLog, detect: Option<Arc<dyn TaskHandler>>) -> TaskRegistry {
    let l = log.clone();
    let default_detect: Arc<dyn TaskHandler> = Arc::new(FnHandler(move |p: Value| {
        let l = l.clone();
        async move {
            l.lock().unwrap().push(("detect", p.clone()));
            let doc = &p["document"];
            let big = doc["ref"].as_str().is_some_and(|r| r.ends_with("big.txt"));
            if big && doc.get("range").is_none() {
                let chunks: Vec<Value> = [[0, 10], [10, 20], [20, 25]]
                    .iter()
                    .map(|r| json!({"document": {"ref": doc["ref"], "range": r}, "policy": p["policy"]}))
                    .collect();
                return Ok(
                    json!({"entities": [], "entity_count": 0, "detector": "patterns",
                    "degraded": false, "chunks": chunks, "entities_ref": null}),
                );
            }
            // In the big document, only the middle chunk holds an entity.
            let n = if big {
                usize::from(doc["range"][0] == json!(10))
            } else {
                subject(&p).matches(EMAIL).count()
            };
            let entities: Vec<Value> = (0..n).map(|_| json!({"type": "EMAIL"})).collect();
            Ok(
                json!({"entities": entities, "entity_count": n, "detector": "patterns", "degraded": false, "chunks": [], "entities_ref": null}),
            )
        }
    }));
    let l = log.clone();
    let mask = FnHandler(move |p: Value| {
        let l = l.clone();
        async move {
            l.lock().unwrap().push(("mask", p.clone()));
            if p.get("detection").is_none() {
                return Err(TaskError::new("Pii.InvalidInput", "no detection"));
            }
            Ok(
                json!({"output": masked(&p), "pending": [], "pending_ref": null, "summary": {"masked": p["detection"]["entity_count"]}}),
            )
        }
    });
    let l = log;
    let deidentify = FnHandler(move |p: Value| {
        let l = l.clone();
        async move {
            if p["action"] == json!("join") {
                l.lock().unwrap().push(("join", p.clone()));
                return Ok(json!({"output": {"ref": "file:///tmp/big.txt.anonymized"},
                    "summary": {"parts": p["parts"].as_array().map_or(0, Vec::len)}}));
            }
            l.lock().unwrap().push(("deidentify", p.clone()));
            Ok(json!({"output": p["masked"]["output"],
                "summary": {"entity_count": p["detection"]["entity_count"], "tokens": 1}}))
        }
    });
    TaskRegistry::new()
        .with("detect", detect.unwrap_or(default_detect))
        .with("mask", Arc::new(mask))
        .with("deidentify", Arc::new(deidentify))
}

fn names(log: &CallLog) -> Vec<&'static str> {
    log.lock().unwrap().iter().map(|(n, _)| *n).collect()
}

async fn run_documents(
    input: Value,
    detect: Option<Arc<dyn TaskHandler>>,
    clock: Arc<FakeClock>,
) -> (statemachine::ExecutionOutcome, CallLog) {
    let log: CallLog = Arc::default();
    let m = documents_machine(&local_substitutions()).unwrap();
    let out = executor(contract_registry(log.clone(), detect), clock)
        .execute(&m, &ctx(), input)
        .await;
    (out, log)
}

#[tokio::test]
async fn document_with_entities_is_detected_masked_and_deidentified() {
    let input =
        json!({"document": {"text": format!("Contact {EMAIL} today")}, "policy": "default"});
    let (out, log) = run_documents(input.clone(), None, Arc::new(FakeClock::default())).await;
    assert_eq!(
        out.status,
        ExecutionStatus::Succeeded,
        "{:?} {:?}",
        out.error,
        out.cause
    );
    assert_eq!(
        out.output,
        Some(
            json!({"output": {"text": "Contact <EMAIL_1> today"}, "summary": {"entity_count": 1, "tokens": 1}})
        )
    );
    assert_eq!(names(&log), vec!["detect", "mask", "deidentify"]);
    let calls = log.lock().unwrap().clone();
    // Each task gets the whole state: the input plus what earlier tasks added.
    assert_eq!(calls[0].1, input);
    assert_eq!(calls[1].1["detection"]["entity_count"], json!(1));
    assert_eq!(calls[1].1["policy"], json!("default"));
    assert_eq!(calls[2].1["masked"]["pending"], json!([]));
    assert_eq!(calls[2].1["document"], input["document"]);
}

#[tokio::test]
async fn document_without_entities_comes_back_unchanged() {
    let input = json!({"document": {"ref": "file:///tmp/clean.txt"}, "policy": "default"});
    let (out, log) = run_documents(input, None, Arc::new(FakeClock::default())).await;
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    assert_eq!(
        out.output,
        Some(json!({"output": {"ref": "file:///tmp/clean.txt"},
            "summary": {"entity_count": 0, "detector": "patterns", "degraded": false}}))
    );
    assert_eq!(names(&log), vec!["detect"]);
}

#[tokio::test]
async fn a_chunked_document_maps_over_its_chunks_and_joins_the_results_in_order() {
    let input = json!({"document": {"ref": "file:///tmp/big.txt"}, "policy": "strict"});
    let (out, log) = run_documents(input, None, Arc::new(FakeClock::default())).await;
    assert_eq!(
        out.status,
        ExecutionStatus::Succeeded,
        "{:?} {:?}",
        out.error,
        out.cause
    );
    assert_eq!(
        out.output,
        Some(json!({"output": {"ref": "file:///tmp/big.txt.anonymized"}, "summary": {"parts": 3}}))
    );
    let mut called = names(&log);
    called.sort_unstable();
    assert_eq!(
        called,
        vec![
            "deidentify",
            "detect",
            "detect",
            "detect",
            "detect",
            "join",
            "mask"
        ]
    );
    let calls = log.lock().unwrap().clone();
    let chunk_states: Vec<&Value> = calls
        .iter()
        .filter(|(n, p)| *n == "detect" && p["document"].get("range").is_some())
        .map(|(_, p)| p)
        .collect();
    assert!(chunk_states.iter().all(|p| p["policy"] == json!("strict")));
    let join = &calls.iter().find(|(n, _)| *n == "join").unwrap().1;
    assert_eq!(join["document"], json!({"ref": "file:///tmp/big.txt"}));
    let parts = join["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 3);
    // Chunks without entities join as their byte range; the middle one went through
    // mask and deidentify.
    assert_eq!(
        parts[0]["output"],
        json!({"ref": "file:///tmp/big.txt", "range": [0, 10]})
    );
    assert_eq!(parts[1]["output"], json!({"text": ""}));
    assert_eq!(
        parts[2]["output"],
        json!({"ref": "file:///tmp/big.txt", "range": [20, 25]})
    );
}

/// Fails with `error` for the first `failures` calls, then delegates.
struct Flaky {
    error: &'static str,
    failures: usize,
    calls: AtomicUsize,
    inner: Arc<dyn TaskHandler>,
}

#[async_trait::async_trait]
impl TaskHandler for Flaky {
    async fn invoke(&self, payload: Value) -> Result<Value, TaskError> {
        if self.calls.fetch_add(1, Ordering::SeqCst) < self.failures {
            return Err(TaskError::new(self.error, "try again"));
        }
        self.inner.invoke(payload).await
    }
}

fn plain_detect(n: usize) -> Arc<dyn TaskHandler> {
    Arc::new(FnHandler(move |_p: Value| async move {
        Ok(
            json!({"entities": [], "entity_count": n, "detector": "patterns", "degraded": false, "chunks": [], "entities_ref": null}),
        )
    }))
}

#[tokio::test]
async fn throttled_twice_then_succeeds_after_jittered_backoff() {
    let flaky = Arc::new(Flaky {
        error: "Pii.Throttled",
        failures: 2,
        calls: AtomicUsize::new(0),
        inner: plain_detect(0),
    });
    let clock = Arc::new(FakeClock::default());
    let input = json!({"document": {"text": "nothing"}, "policy": "default"});
    let (out, _) = run_documents(input, Some(flaky.clone()), clock.clone()).await;
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    assert_eq!(flaky.calls.load(Ordering::SeqCst), 3);
    // IntervalSeconds 2, BackoffRate 2, FULL jitter with the fixed random 0.5.
    assert_eq!(
        clock.sleeps(),
        vec![Duration::from_secs(1), Duration::from_secs(2)]
    );
}

#[tokio::test]
async fn lambda_throttling_that_never_ends_fails_the_execution_after_the_retries() {
    let flaky = Arc::new(Flaky {
        error: "Lambda.TooManyRequestsException",
        failures: usize::MAX,
        calls: AtomicUsize::new(0),
        inner: plain_detect(0),
    });
    let clock = Arc::new(FakeClock::default());
    let (out, _) = run_documents(
        json!({"document": {"text": "x"}, "policy": "default"}),
        Some(flaky.clone()),
        clock.clone(),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::Failed);
    assert_eq!(
        out.error.as_deref(),
        Some("Lambda.TooManyRequestsException")
    );
    let m = documents_machine(&local_substitutions()).unwrap();
    let statemachine::StateKind::Task(t) = &m.graph.states["Detect"].kind else {
        panic!()
    };
    let attempts = t.retry[0].max_attempts as usize;
    assert_eq!(flaky.calls.load(Ordering::SeqCst), attempts + 1);
    assert_eq!(clock.sleeps().len(), attempts);
}

#[tokio::test]
async fn permanent_failure_is_caught_recorded_and_fails_the_execution() {
    let bad = Arc::new(FnHandler(|_p: Value| async {
        Err(TaskError::new("Pii.InvalidInput", "document is not UTF-8"))
    }));
    let (out, _) = run_documents(
        json!({"document": {"text": "x"}, "policy": "default"}),
        Some(bad),
        Arc::new(FakeClock::default()),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::Failed);
    assert_eq!(out.error.as_deref(), Some("Pii.InvalidInput"));
    assert_eq!(out.cause.as_deref(), Some("document is not UTF-8"));
    let types: Vec<&str> = out.events.iter().map(|e| e.event_type.as_str()).collect();
    let tail = &types[types.len() - 4..];
    assert_eq!(
        tail,
        [
            "PassStateEntered",
            "PassStateExited",
            "FailStateEntered",
            "ExecutionFailed"
        ]
    );
    let record = out
        .events
        .iter()
        .rev()
        .find(|e| e.event_type.as_str() == "PassStateExited")
        .unwrap();
    assert_eq!(record.details["name"], json!("RecordFailure"));
    assert_eq!(record.details["output"]["document"], json!({"text": "x"}));
}

#[tokio::test(start_paused = true)]
async fn a_hung_task_times_out_and_fails_the_execution() {
    let (out, _) = run_documents(
        json!({"document": {"text": "x"}, "policy": "default"}),
        Some(Arc::new(crate::util::Hang)),
        Arc::new(FakeClock::default()),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::Failed);
    assert_eq!(out.error.as_deref(), Some("States.Timeout"));
}

#[tokio::test]
async fn records_definition_runs_a_json_record() {
    let log: CallLog = Arc::default();
    let m = records_machine(&local_substitutions()).unwrap();
    let ex = executor(
        contract_registry(log.clone(), None),
        Arc::new(FakeClock::default()),
    );
    let out = ex
        .execute(
            &m,
            &ctx(),
            json!({"record": {"name": "Alice", "email": EMAIL, "n": 3}, "policy": "default"}),
        )
        .await;
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    assert_eq!(
        out.output.as_ref().unwrap()["output"],
        json!({"name": "Alice", "email": "<EMAIL_1>", "n": 3})
    );
    let out = ex
        .execute(&m, &ctx(), json!({"record": [1, 2], "policy": "default"}))
        .await;
    assert_eq!(out.output.unwrap()["output"], json!([1, 2]));
}

#[tokio::test]
async fn definitions_substituted_with_lambda_arns_resolve_to_registered_names() {
    let subs = Substitutions::from([
        (
            "DetectFunctionArn".to_owned(),
            "arn:aws:lambda:eu-west-1:123456789012:function:detect".to_owned(),
        ),
        (
            "MaskFunctionArn".to_owned(),
            "arn:aws:lambda:eu-west-1:123456789012:function:mask".to_owned(),
        ),
        (
            "DeidentifyFunctionArn".to_owned(),
            "arn:aws:lambda:eu-west-1:123456789012:function:deidentify".to_owned(),
        ),
    ]);
    let m = StateMachine::from_json(statemachine::DOCUMENTS_ASL, &subs).unwrap();
    let log: CallLog = Arc::default();
    let ex = executor(
        contract_registry(log.clone(), None),
        Arc::new(FakeClock::default()),
    );
    let out = ex
        .execute(
            &m,
            &ctx(),
            json!({"document": {"text": EMAIL}, "policy": "default"}),
        )
        .await;
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    assert_eq!(names(&log), vec!["detect", "mask", "deidentify"]);
}
