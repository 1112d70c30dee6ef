//! Retry counts and recorded backoff, Catch routing and ResultPath, timeouts.

use crate::util::{Hang, Scripted, err, run_with};
use serde_json::{Value, json};
use statemachine::{ExecutionStatus, FakeClock, TaskRegistry};
use std::sync::Arc;
use std::time::Duration;

/// A Task plus the catch targets its Catch list names (unreachable states are load errors).
fn task_machine(retry: Value, catch: Value) -> Value {
    let mut def = all_states(retry, catch.clone());
    for target in ["CaughtA", "CaughtB"] {
        if !catch.to_string().contains(target) {
            def["States"].as_object_mut().unwrap().remove(target);
        }
    }
    def
}

fn all_states(retry: Value, catch: Value) -> Value {
    json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "work", "Retry": retry, "Catch": catch, "Next": "Done"},
        "Done": {"Type": "Succeed"},
        "CaughtA": {"Type": "Pass", "Result": "A", "ResultPath": "$.branch", "End": true},
        "CaughtB": {"Type": "Pass", "Result": "B", "ResultPath": "$.branch", "End": true}}})
}

fn secs(clock: &FakeClock) -> Vec<f64> {
    clock.sleeps().iter().map(Duration::as_secs_f64).collect()
}

async fn run_task(
    def: Value,
    handler: Arc<Scripted>,
    clock: Arc<FakeClock>,
) -> statemachine::ExecutionOutcome {
    run_with(
        def,
        json!({"doc": 1}),
        TaskRegistry::new().with("work", handler),
        clock,
    )
    .await
}

#[tokio::test]
async fn throttled_twice_then_success_retries_with_backoff() {
    let h = Scripted::new(vec![
        err("Pii.Throttled", "slow"),
        err("Pii.Throttled", "slow"),
        Ok(json!({"r": 1})),
    ]);
    let clock = Arc::new(FakeClock::default());
    let out = run_task(
        task_machine(
            json!([{"ErrorEquals": ["Pii.Throttled"], "IntervalSeconds": 1, "BackoffRate": 2, "MaxAttempts": 3}]),
            json!([]),
        ),
        h.clone(),
        clock.clone(),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    assert_eq!(out.output, Some(json!({"r": 1})));
    assert_eq!(h.calls(), 3);
    assert_eq!(secs(&clock), vec![1.0, 2.0]);
    let failed = out
        .events
        .iter()
        .filter(|e| e.event_type.as_str() == "TaskFailed")
        .count();
    assert_eq!(failed, 2);
}

#[tokio::test]
async fn max_delay_caps_the_backoff_and_attempts_run_out() {
    let h = Scripted::new(vec![err("Pii.Throttled", "slow")]);
    let clock = Arc::new(FakeClock::default());
    let out = run_task(
        task_machine(
            json!([{"ErrorEquals": ["Pii.Throttled"], "IntervalSeconds": 3, "BackoffRate": 3,
                "MaxAttempts": 4, "MaxDelaySeconds": 5}]),
            json!([]),
        ),
        h.clone(),
        clock.clone(),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::Failed);
    assert_eq!(out.error.as_deref(), Some("Pii.Throttled"));
    assert_eq!(h.calls(), 5);
    assert_eq!(secs(&clock), vec![3.0, 5.0, 5.0, 5.0]);
}

#[tokio::test]
async fn max_attempts_zero_never_retries() {
    let h = Scripted::new(vec![err("Pii.Throttled", "slow"), Ok(json!(1))]);
    let clock = Arc::new(FakeClock::default());
    let out = run_task(
        task_machine(
            json!([{"ErrorEquals": ["Pii.Throttled"], "MaxAttempts": 0}]),
            json!([]),
        ),
        h.clone(),
        clock.clone(),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::Failed);
    assert_eq!(h.calls(), 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn defaults_are_one_second_backoff_two_three_attempts() {
    let h = Scripted::new(vec![err("X", "x")]);
    let clock = Arc::new(FakeClock::default());
    run_task(
        task_machine(json!([{"ErrorEquals": ["States.ALL"]}]), json!([])),
        h.clone(),
        clock.clone(),
    )
    .await;
    assert_eq!(h.calls(), 4);
    assert_eq!(secs(&clock), vec![1.0, 2.0, 4.0]);
}

#[tokio::test]
async fn full_jitter_scales_delays_by_the_injected_random() {
    // util::executor injects FixedRandom(0.5).
    let h = Scripted::new(vec![err("X", "x"), err("X", "x"), Ok(json!(1))]);
    let clock = Arc::new(FakeClock::default());
    run_task(
        task_machine(
            json!([{"ErrorEquals": ["X"], "IntervalSeconds": 2, "BackoffRate": 2, "JitterStrategy": "FULL"}]),
            json!([]),
        ),
        h,
        clock.clone(),
    )
    .await;
    assert_eq!(secs(&clock), vec![1.0, 2.0]);
}

#[tokio::test]
async fn each_retrier_counts_its_own_attempts_and_the_first_match_decides() {
    // "A" matches the first retrier (1 attempt); once exhausted it does not fall through
    // to States.ALL.
    let h = Scripted::new(vec![err("A", "a")]);
    let clock = Arc::new(FakeClock::default());
    let out = run_task(
        task_machine(
            json!([
                {"ErrorEquals": ["A"], "MaxAttempts": 1, "IntervalSeconds": 7},
                {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}
            ]),
            json!([]),
        ),
        h.clone(),
        clock.clone(),
    )
    .await;
    assert_eq!(out.error.as_deref(), Some("A"));
    assert_eq!(h.calls(), 2);
    assert_eq!(secs(&clock), vec![7.0]);
}

#[tokio::test]
async fn catch_with_result_path_keeps_the_input_and_adds_the_error() {
    let h = Scripted::new(vec![err("Pii.InvalidInput", "bad doc")]);
    let out = run_task(
        task_machine(json!([]), json!([{"ErrorEquals": ["Pii.InvalidInput"], "ResultPath": "$.err", "Next": "CaughtA"}])),
        h,
        Arc::new(FakeClock::default()),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    assert_eq!(
        out.output,
        Some(
            json!({"doc": 1, "err": {"Error": "Pii.InvalidInput", "Cause": "bad doc"}, "branch": "A"})
        )
    );
}

#[tokio::test]
async fn catch_without_result_path_replaces_the_input_with_the_error() {
    let h = Scripted::new(vec![err("E", "c")]);
    let out = run_task(
        task_machine(
            json!([]),
            json!([{"ErrorEquals": ["States.ALL"], "Next": "CaughtA"}]),
        ),
        h,
        Arc::new(FakeClock::default()),
    )
    .await;
    assert_eq!(
        out.output,
        Some(json!({"Error": "E", "Cause": "c", "branch": "A"}))
    );
}

#[tokio::test]
async fn specific_catchers_are_tried_in_order_before_states_all() {
    let catch = json!([
        {"ErrorEquals": ["Other"], "ResultPath": null, "Next": "CaughtA"},
        {"ErrorEquals": ["States.ALL"], "ResultPath": null, "Next": "CaughtB"}
    ]);
    let out = run_task(
        task_machine(json!([]), catch.clone()),
        Scripted::new(vec![err("X", "")]),
        Arc::new(FakeClock::default()),
    )
    .await;
    assert_eq!(out.output, Some(json!({"doc": 1, "branch": "B"})));
    let out = run_task(
        task_machine(json!([]), catch),
        Scripted::new(vec![err("Other", "")]),
        Arc::new(FakeClock::default()),
    )
    .await;
    assert_eq!(out.output, Some(json!({"doc": 1, "branch": "A"})));
}

#[tokio::test]
async fn retries_run_out_before_catch_takes_over() {
    let h = Scripted::new(vec![err("Lambda.ServiceException", "")]);
    let clock = Arc::new(FakeClock::default());
    let out = run_task(
        task_machine(
            json!([{"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 2}]),
            json!([{"ErrorEquals": ["States.TaskFailed"], "ResultPath": null, "Next": "CaughtA"}]),
        ),
        h.clone(),
        clock.clone(),
    )
    .await;
    assert_eq!(h.calls(), 3);
    assert_eq!(clock.sleeps().len(), 2);
    assert_eq!(out.output, Some(json!({"doc": 1, "branch": "A"})));
}

#[tokio::test]
async fn runtime_errors_are_not_caught_by_states_all() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "work", "Parameters": {"x.$": "$.missing"},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": true},
        "C": {"Type": "Succeed"}}});
    let h = Scripted::ok(json!(1));
    let out = run_task(def, h.clone(), Arc::new(FakeClock::default())).await;
    assert_eq!(out.status, ExecutionStatus::Failed);
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    assert_eq!(h.calls(), 0);
}

#[tokio::test(start_paused = true)]
async fn task_timeout_is_states_timeout_which_task_failed_does_not_match() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "slow", "TimeoutSeconds": 30,
            "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 3}],
            "Catch": [
                {"ErrorEquals": ["States.TaskFailed"], "Next": "A"},
                {"ErrorEquals": ["States.Timeout"], "ResultPath": "$.err", "Next": "B"}],
            "End": true},
        "A": {"Type": "Pass", "Result": "task-failed", "End": true},
        "B": {"Type": "Pass", "End": true}}});
    let clock = Arc::new(FakeClock::default());
    let out = run_with(
        def,
        json!({}),
        TaskRegistry::new().with("slow", Arc::new(Hang)),
        clock.clone(),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    assert_eq!(
        out.output.as_ref().unwrap()["err"]["Error"],
        json!("States.Timeout")
    );
    assert!(
        clock.sleeps().is_empty(),
        "a timeout must not be retried by States.TaskFailed"
    );
    assert!(
        out.events
            .iter()
            .any(|e| e.event_type.as_str() == "TaskTimedOut")
    );
}

#[tokio::test]
async fn lambda_invoke_wraps_the_payload_and_surfaces_handler_error_names() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:work", "Payload.$": "$.doc"},
            "ResultPath": "$.raw", "Next": "U"},
        "U": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "work", "Payload": {"fixed": true}},
            "ResultSelector": {"p.$": "$.Payload", "code.$": "$.StatusCode"},
            "ResultPath": "$.sel", "OutputPath": "$.sel", "End": true}}});
    let h = Scripted::ok(json!({"answer": 42}));
    let out = run_task(def.clone(), h.clone(), Arc::new(FakeClock::default())).await;
    assert_eq!(out.output, Some(json!({"p": {"answer": 42}, "code": 200})));
    assert_eq!(
        *h.payloads.lock().unwrap(),
        vec![json!(1), json!({"fixed": true})]
    );
    let exited_t = out
        .events
        .iter()
        .find(|e| e.event_type.as_str() == "TaskStateExited")
        .unwrap();
    assert_eq!(
        exited_t.details["output"]["raw"]["Payload"],
        json!({"answer": 42})
    );
    assert_eq!(exited_t.details["output"]["raw"]["StatusCode"], json!(200));

    let h = Scripted::new(vec![err("Pii.InvalidInput", "nope")]);
    let out = run_task(def, h, Arc::new(FakeClock::default())).await;
    assert_eq!(out.error.as_deref(), Some("Pii.InvalidInput"));
    assert_eq!(out.cause.as_deref(), Some("nope"));
}

#[tokio::test(start_paused = true)]
async fn execution_timeout_seconds_times_the_whole_execution_out() {
    let def = json!({"StartAt": "T", "TimeoutSeconds": 10, "States": {
        "T": {"Type": "Task", "Resource": "slow", "End": true}}});
    let out = run_with(
        def,
        json!({}),
        TaskRegistry::new().with("slow", Arc::new(Hang)),
        Arc::new(FakeClock::default()),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::TimedOut);
    assert_eq!(out.error.as_deref(), Some("States.Timeout"));
    assert_eq!(
        out.events.last().unwrap().event_type.as_str(),
        "ExecutionTimedOut"
    );
}
