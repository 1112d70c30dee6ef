//! The local Distributed Map against the ASL semantics: child executions with their own
//! `$$.Execution`, ItemReader (listObjectsV2 over a `file://` bucket, a JSON array from
//! getObject, MaxItems), MaxConcurrency, ToleratedFailureCount/Percentage and
//! `States.ExceedToleratedFailureThreshold`, ResultWriter's manifest and result files, and
//! the Map Run's item counts.

use crate::util::{ctx, executor, load};
use serde_json::{Value, json};
use statemachine::{
    ExecutionStatus, FakeClock, StateMachine, Substitutions, TaskError, TaskHandler, TaskRegistry,
};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Fails items whose `n` is negative; tracks how many run at once.
#[derive(Default)]
struct Worker {
    current: AtomicUsize,
    max: AtomicUsize,
}

#[async_trait::async_trait]
impl TaskHandler for Worker {
    async fn invoke(&self, payload: Value) -> Result<Value, TaskError> {
        let now = self.current.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        for _ in 0..5 {
            tokio::task::yield_now().await;
        }
        self.current.fetch_sub(1, Ordering::SeqCst);
        let n = payload["n"].as_i64().unwrap_or(0);
        if n < 0 {
            return Err(TaskError::new("Pii.InvalidInput", format!("item {n}")));
        }
        Ok(json!({"n": n, "exec": payload["exec"]}))
    }
}

fn distributed(extra: Value) -> Value {
    let mut m = json!({"Type": "Map", "Label": "Docs",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "W",
            "States": {"W": {"Type": "Task", "Resource": "worker",
                "Parameters": {"n.$": "$.n", "exec.$": "$$.Execution.Id"}, "End": true}}},
        "ResultPath": "$.results",
        "Catch": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "ResultPath": "$.err", "Next": "Caught"}],
        "End": true});
    for (k, v) in extra.as_object().unwrap() {
        m[k] = v.clone();
    }
    json!({"StartAt": "M", "States": {"M": m, "Caught": {"Type": "Pass", "End": true}}})
}

fn items(ns: &[i64]) -> Value {
    json!({"items": ns.iter().map(|n| json!({"n": n})).collect::<Vec<_>>()})
}

async fn run(
    def: Value,
    input: Value,
) -> (
    statemachine::ExecutionOutcome,
    Arc<Worker>,
    statemachine::Executor,
) {
    let worker = Arc::new(Worker::default());
    let ex = executor(
        TaskRegistry::new().with("worker", worker.clone()),
        Arc::new(FakeClock::default()),
    );
    let out = ex.execute(&load(def), &ctx(), input).await;
    (out, worker, ex)
}

fn event_types(out: &statemachine::ExecutionOutcome) -> Vec<&str> {
    out.events.iter().map(|e| e.event_type.as_str()).collect()
}

#[tokio::test]
async fn each_item_is_a_child_execution_with_its_own_context_and_history() {
    let (out, _, ex) = run(
        distributed(json!({"ItemsPath": "$.items"})),
        items(&[1, 2, 3]),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::Succeeded, "{:?}", out.cause);
    let results = out.output.clone().unwrap()["results"].clone();
    let ns: Vec<i64> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["n"].as_i64().unwrap())
        .collect();
    assert_eq!(ns, [1, 2, 3], "results keep item order");
    let execs: Vec<&str> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["exec"].as_str().unwrap())
        .collect();
    let parent = ctx().id;
    for e in &execs {
        assert_ne!(*e, parent);
        assert!(e.contains(":execution:conf/Docs:"), "{e}");
    }
    assert_eq!(
        execs
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        3
    );
    let types = event_types(&out);
    assert!(types.contains(&"MapRunStarted"), "{types:?}");
    assert!(types.contains(&"MapRunSucceeded"), "{types:?}");
    // The children's states are in their own histories, not the parent's.
    assert!(!types.contains(&"TaskStateEntered"), "{types:?}");
    assert!(!types.contains(&"MapIterationStarted"), "{types:?}");
    let runs = ex.map_runs(&parent);
    assert_eq!(runs.len(), 1);
    assert_eq!(
        (runs[0].total, runs[0].succeeded, runs[0].failed),
        (3, 3, 0)
    );
    assert!(runs[0].map_run_arn.contains(":mapRun:conf/Docs:"));
}

#[tokio::test]
async fn max_concurrency_bounds_children_in_flight() {
    let (out, worker, _) = run(
        distributed(json!({"ItemsPath": "$.items", "MaxConcurrency": 3})),
        items(&[1, 2, 3, 4, 5, 6, 7, 8, 9]),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    assert_eq!(worker.max.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn without_a_threshold_one_failed_child_fails_the_map_run() {
    let (out, _, _) = run(
        distributed(json!({"ItemsPath": "$.items"})),
        items(&[1, -2, 3]),
    )
    .await;
    let o = out.output.unwrap();
    assert_eq!(o["err"]["Error"], "States.ExceedToleratedFailureThreshold");
    assert!(o.get("results").is_none());
    assert!(event_types_contain(&out.events, "MapRunFailed"));
}

fn event_types_contain(events: &[statemachine::HistoryEvent], ty: &str) -> bool {
    events.iter().any(|e| e.event_type.as_str() == ty)
}

#[tokio::test]
async fn tolerated_failure_count_is_an_inclusive_limit() {
    let ns = [1, -1, 2, -2, 3, -3, 4, 5, 6, 7];
    let (ok, _, ex) = run(
        distributed(json!({"ItemsPath": "$.items", "ToleratedFailureCount": 3})),
        items(&ns),
    )
    .await;
    let o = ok.output.unwrap();
    assert!(o.get("err").is_none(), "{o}");
    let results = o["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    assert_eq!(results[1]["Error"], "Pii.InvalidInput");
    let runs = ex.map_runs(&ctx().id);
    assert_eq!((runs[0].succeeded, runs[0].failed), (7, 3));

    let (over, _, _) = run(
        distributed(json!({"ItemsPath": "$.items", "ToleratedFailureCount": 2})),
        items(&ns),
    )
    .await;
    assert_eq!(
        over.output.unwrap()["err"]["Error"],
        "States.ExceedToleratedFailureThreshold"
    );
}

#[tokio::test]
async fn tolerated_failure_percentage_is_of_all_items() {
    let ns = [1, -1, 2, -2, 3, 4, 5, 6, 7, 8];
    let (ok, _, _) = run(
        distributed(json!({"ItemsPath": "$.items", "ToleratedFailurePercentage": 20})),
        items(&ns),
    )
    .await;
    assert!(ok.output.unwrap().get("err").is_none());
    let (over, _, _) = run(
        distributed(json!({"ItemsPath": "$.items", "ToleratedFailurePercentage": 10})),
        items(&ns),
    )
    .await;
    assert_eq!(
        over.output.unwrap()["err"]["Error"],
        "States.ExceedToleratedFailureThreshold"
    );
    // Either limit exceeded fails the run.
    let (either, _, _) = run(
        distributed(json!({"ItemsPath": "$.items", "ToleratedFailurePercentage": 50, "ToleratedFailureCount": 1})),
        items(&ns),
    )
    .await;
    assert_eq!(
        either.output.unwrap()["err"]["Error"],
        "States.ExceedToleratedFailureThreshold"
    );
}

fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (k, body) in files {
        let p = dir.join(k);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
}

fn bucket(dir: &Path) -> String {
    format!("file://{}", dir.display())
}

#[tokio::test]
async fn item_reader_lists_objects_under_the_prefix_of_a_file_bucket() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("in/a.txt", "x"),
            ("in/sub/b.txt", "yy"),
            ("in/c.txt", "zzz"),
            ("other/d.txt", "w"),
        ],
    );
    let def = distributed(json!({
        "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
            "Parameters": {"Bucket.$": "$.bucket", "Prefix": "in/"}},
        "ItemSelector": {"n.$": "$$.Map.Item.Value.Size", "key.$": "$$.Map.Item.Value.Key"},
    }));
    let (out, _, _) = run(def, json!({"bucket": bucket(dir.path())})).await;
    assert_eq!(out.status, ExecutionStatus::Succeeded, "{:?}", out.cause);
    let sizes: Vec<i64> = out.output.unwrap()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["n"].as_i64().unwrap())
        .collect();
    // Key order: in/a.txt, in/c.txt, in/sub/b.txt.
    assert_eq!(sizes, [1, 3, 2]);
}

#[tokio::test]
async fn item_reader_reads_a_json_array_and_honours_max_items() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("manifest.json", r#"[{"n": 5}, {"n": 6}, {"n": 7}]"#)],
    );
    let def = distributed(json!({
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON", "MaxItems": 2},
            "Parameters": {"Bucket.$": "$.bucket", "Key": "manifest.json"}},
    }));
    let (out, _, _) = run(def, json!({"bucket": bucket(dir.path())})).await;
    let ns: Vec<i64> = out.output.unwrap()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["n"].as_i64().unwrap())
        .collect();
    assert_eq!(ns, [5, 6]);
}

#[tokio::test]
async fn an_unreadable_source_is_an_item_reader_failure_the_catch_sees() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("manifest.json", r#"{"not": "an array"}"#)]);
    let mut def = distributed(json!({
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON"},
            "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.key"}},
    }));
    def["States"]["M"]["Catch"] = json!([{"ErrorEquals": ["States.ItemReaderFailed"], "ResultPath": "$.err", "Next": "Caught"}]);
    for (key, why) in [
        ("manifest.json", "not a JSON array"),
        ("missing.json", "not found"),
    ] {
        let (out, _, _) = run(
            def.clone(),
            json!({"bucket": bucket(dir.path()), "key": key}),
        )
        .await;
        let err = &out.output.unwrap()["err"];
        assert_eq!(err["Error"], "States.ItemReaderFailed", "{key}");
        assert!(err["Cause"].as_str().unwrap().contains(why), "{err}");
    }
}

#[tokio::test]
async fn result_writer_writes_a_manifest_and_result_files_and_answers_where() {
    let dir = tempfile::tempdir().unwrap();
    let def = distributed(json!({"ItemsPath": "$.items", "ToleratedFailureCount": 5,
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket.$": "$.out", "Prefix": "results/job-1"}}}));
    let mut input = items(&[1, -1, 2, 3]);
    input["out"] = json!(bucket(dir.path()));
    let (out, _, ex) = run(def, input).await;
    assert_eq!(out.status, ExecutionStatus::Succeeded, "{:?}", out.cause);
    let o = out.output.unwrap();
    let details = &o["results"]["ResultWriterDetails"];
    assert_eq!(details["Bucket"], json!(bucket(dir.path())));
    let key = details["Key"].as_str().unwrap();
    assert!(
        key.starts_with("results/job-1/") && key.ends_with("/manifest.json"),
        "{key}"
    );
    let read = |k: &str| -> Value {
        serde_json::from_slice(&std::fs::read(dir.path().join(k)).unwrap()).unwrap()
    };
    let manifest = read(key);
    assert_eq!(manifest["MapRunArn"], o["results"]["MapRunArn"]);
    let files = &manifest["ResultFiles"];
    let entries = |status: &str| -> Vec<Value> {
        files[status]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| read(f["Key"].as_str().unwrap()).as_array().unwrap().clone())
            .collect()
    };
    let ok = entries("SUCCEEDED");
    let failed = entries("FAILED");
    assert_eq!((ok.len(), failed.len()), (3, 1));
    assert_eq!(failed[0]["Status"], "FAILED");
    assert_eq!(failed[0]["Error"], "Pii.InvalidInput");
    assert_eq!(failed[0]["Input"], json!(json!({"n": -1}).to_string()));
    let output: Value = serde_json::from_str(ok[0]["Output"].as_str().unwrap()).unwrap();
    assert_eq!(output["n"], 1);
    assert!(files["PENDING"].as_array().unwrap().is_empty());
    let runs = ex.map_runs(&ctx().id);
    assert_eq!(runs[0].results_written, 4);
}

#[tokio::test]
async fn a_map_run_over_its_threshold_still_writes_what_it_did() {
    let dir = tempfile::tempdir().unwrap();
    let def = distributed(json!({"ItemsPath": "$.items", "MaxConcurrency": 1,
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket.$": "$.out", "Prefix": "r"}}}));
    let mut input = items(&[1, -1, 2, 3]);
    input["out"] = json!(bucket(dir.path()));
    let (out, _, ex) = run(def, input).await;
    assert_eq!(
        out.output.unwrap()["err"]["Error"],
        "States.ExceedToleratedFailureThreshold"
    );
    let runs = ex.map_runs(&ctx().id);
    // One at a time: the run stops starting children after the first failure.
    assert_eq!(
        (runs[0].succeeded, runs[0].failed, runs[0].pending),
        (1, 1, 2)
    );
    let found: Vec<_> = walk(dir.path());
    assert!(
        found.iter().any(|p| p.ends_with("manifest.json")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|p| p.ends_with("PENDING_0.json")),
        "{found:?}"
    );
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}

#[test]
fn distributed_fields_need_distributed_mode_and_valid_values() {
    let base = json!({"Type": "Map", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}});
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut m = base.clone();
        edit(&mut m);
        StateMachine::from_value(
            json!({"StartAt": "M", "States": {"M": m}}),
            &Substitutions::new(),
        )
    };
    assert!(with(&|_| {}).is_ok());
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Edit)> = vec![
        (
            "ItemReader",
            Box::new(|m| {
                m["ItemProcessor"]["ProcessorConfig"] = json!({"Mode": "INLINE"});
                m["ItemReader"] = json!({"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}});
            }),
        ),
        (
            "ProcessorConfig",
            Box::new(|m| {
                m["ItemProcessor"]["ProcessorConfig"] = json!({"Mode": "DISTRIBUTED"});
            }),
        ),
        (
            "ToleratedFailurePercentage",
            Box::new(|m| m["ToleratedFailurePercentage"] = json!(101)),
        ),
        (
            "ItemReader.Resource",
            Box::new(|m| {
                m["ItemReader"] = json!({"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV"}, "Parameters": {"Bucket": "b", "Key": "k"}});
            }),
        ),
        (
            "ItemReader.Parameters.Bucket",
            Box::new(|m| {
                m["ItemReader"] = json!({"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Prefix": "p"}});
            }),
        ),
        (
            "ResultWriter.WriterConfig",
            Box::new(|m| {
                m["ResultWriter"] = json!({"WriterConfig": {"Transformation": "COMPACT"}});
            }),
        ),
        (
            "ItemBatcher",
            Box::new(|m| m["ItemBatcher"] = json!({"MaxItemsPerBatch": 10})),
        ),
        ("Label", Box::new(|m| m["Label"] = json!("has space"))),
    ];
    for (field, edit) in cases {
        let e = with(&*edit).expect_err(field);
        assert!(e.to_string().contains(field), "{field}: {e}");
    }
}

/// The simulated scale test behind the numbers in infra/README.md: `PIIFLOW_SCALE_ITEMS`
/// small files (100,000 by default) listed from a `file://` bucket, each a child execution
/// of a one-task processor, results written by the ResultWriter. Run with
/// `cargo test --release -p statemachine --test it scale -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes and lists 100,000 files; run by hand for the numbers"]
async fn scale_many_small_files_through_a_distributed_map() {
    let n: usize = std::env::var("PIIFLOW_SCALE_ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let t = std::time::Instant::now();
    for i in 0..n {
        let sub = dir.path().join(format!("in/{:03}", i % 1000));
        if i < 1000 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        std::fs::write(sub.join(format!("{i}.txt")), format!("doc {i}")).unwrap();
    }
    let wrote = t.elapsed();
    let def = distributed(json!({
        "MaxConcurrency": 1000,
        "ToleratedFailurePercentage": 1,
        "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
            "Parameters": {"Bucket.$": "$.bucket", "Prefix": "in/"}},
        "ItemSelector": {"n.$": "$$.Map.Item.Value.Size"},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket.$": "$.bucket", "Prefix": "results"}}}));
    let t = std::time::Instant::now();
    let (out, worker, ex) = run(def, json!({"bucket": bucket(dir.path())})).await;
    let ran = t.elapsed();
    assert_eq!(out.status, ExecutionStatus::Succeeded, "{:?}", out.cause);
    let runs = ex.map_runs(&ctx().id);
    assert_eq!(runs[0].total, n as u64);
    assert_eq!(runs[0].succeeded, n as u64);
    assert_eq!(runs[0].results_written, n as u64);
    println!(
        "{n} files: written in {wrote:?}; listed, run as {n} child executions (at most {} at once) and results written in {ran:?} ({:.0} items/s); parent history {} events",
        worker.max.load(Ordering::SeqCst),
        n as f64 / ran.as_secs_f64(),
        out.events.len()
    );
}
