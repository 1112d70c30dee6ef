//! Map concurrency bounds, failure propagation, and Parallel running branches together.

use crate::util::{ctx, executor, load};
use serde_json::{Value, json};
use statemachine::{ExecutionStatus, FakeClock, TaskError, TaskHandler, TaskRegistry};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Tracks how many invocations are in flight at once; each one yields a few times so
/// others get polled while it is "working".
#[derive(Default)]
struct Gauge {
    current: AtomicUsize,
    max: AtomicUsize,
}

#[async_trait::async_trait]
impl TaskHandler for Gauge {
    async fn invoke(&self, payload: Value) -> Result<Value, TaskError> {
        let now = self.current.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        for _ in 0..5 {
            tokio::task::yield_now().await;
        }
        self.current.fetch_sub(1, Ordering::SeqCst);
        if payload == json!(-1) {
            return Err(TaskError::new("Pii.InvalidInput", "negative"));
        }
        Ok(json!({"double": payload.as_i64().unwrap_or(0) * 2}))
    }
}

fn map_def(max_concurrency: u64) -> Value {
    json!({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": max_concurrency,
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Task", "Resource": "gauge", "End": true}}},
        "Catch": [{"ErrorEquals": ["Pii.InvalidInput"], "ResultPath": "$.err", "Next": "Caught"}],
        "ResultPath": "$.results", "End": true},
        "Caught": {"Type": "Pass", "End": true}}})
}

async fn run_map(
    max_concurrency: u64,
    items: Value,
) -> (statemachine::ExecutionOutcome, Arc<Gauge>) {
    let gauge = Arc::new(Gauge::default());
    let def = map_def(max_concurrency);
    let mut def = def;
    def["States"]["M"]["ItemsPath"] = json!("$.items");
    let ex = executor(
        TaskRegistry::new().with("gauge", gauge.clone()),
        Arc::new(FakeClock::default()),
    );
    let out = ex
        .execute(&load(def), &ctx(), json!({"items": items}))
        .await;
    (out, gauge)
}

#[tokio::test]
async fn max_concurrency_bounds_in_flight_iterations_and_keeps_order() {
    let (out, gauge) = run_map(2, json!([1, 2, 3, 4, 5, 6])).await;
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    assert_eq!(gauge.max.load(Ordering::SeqCst), 2);
    let results = &out.output.unwrap()["results"];
    assert_eq!(
        *results,
        json!([{"double": 2}, {"double": 4}, {"double": 6}, {"double": 8}, {"double": 10}, {"double": 12}])
    );
}

#[tokio::test]
async fn max_concurrency_zero_runs_all_iterations_at_once() {
    let (_, gauge) = run_map(0, json!([1, 2, 3, 4, 5, 6])).await;
    assert_eq!(gauge.max.load(Ordering::SeqCst), 6);
}

#[tokio::test]
async fn a_failed_iteration_fails_the_map_and_its_catch_runs() {
    let (out, _) = run_map(3, json!([1, -1, 3])).await;
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    let o = out.output.unwrap();
    assert_eq!(
        o["err"],
        json!({"Error": "Pii.InvalidInput", "Cause": "negative"})
    );
    assert!(o.get("results").is_none());
    let types: Vec<&str> = out.events.iter().map(|e| e.event_type.as_str()).collect();
    assert!(types.contains(&"MapIterationFailed"), "{types:?}");
    assert!(types.contains(&"MapStateFailed"), "{types:?}");
}

#[tokio::test]
async fn map_iteration_events_chain_to_the_map_start() {
    let (out, _) = run_map(1, json!([1, 2])).await;
    let started = out
        .events
        .iter()
        .find(|e| e.event_type.as_str() == "MapStateStarted")
        .unwrap();
    let iterations: Vec<_> = out
        .events
        .iter()
        .filter(|e| e.event_type.as_str() == "MapIterationStarted")
        .collect();
    assert_eq!(iterations.len(), 2);
    assert!(iterations.iter().all(|e| e.previous_event_id == started.id));
}

#[tokio::test]
async fn parallel_branches_run_concurrently() {
    let gauge = Arc::new(Gauge::default());
    let branch = json!({"StartAt": "W", "States": {"W": {"Type": "Task", "Resource": "gauge", "InputPath": "$.n", "End": true}}});
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel",
        "Branches": [branch.clone(), branch.clone(), branch], "End": true}}});
    let ex = executor(
        TaskRegistry::new().with("gauge", gauge.clone()),
        Arc::new(FakeClock::default()),
    );
    let out = ex.execute(&load(def), &ctx(), json!({"n": 4})).await;
    assert_eq!(
        out.output,
        Some(json!([{"double": 8}, {"double": 8}, {"double": 8}]))
    );
    assert_eq!(gauge.max.load(Ordering::SeqCst), 3);
}
