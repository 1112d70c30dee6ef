//! LocalOrchestrator over SQLite: idempotent names, describe after reopening, sync runs.

use crate::definitions::{CallLog, contract_registry};
use crate::util::executor;
use serde_json::json;
use statemachine::{
    DOCUMENTS, ExecutionStatus, ExecutionStore, FakeClock, LocalOrchestrator, Orchestrator,
    OrchestratorError, RECORDS, TaskRegistry, documents_machine, local_substitutions,
    records_machine,
};
use std::path::Path;
use std::sync::Arc;

fn orchestrator(db: &Path, log: CallLog) -> LocalOrchestrator {
    let subs = local_substitutions();
    LocalOrchestrator::new(
        executor(contract_registry(log, None), Arc::new(FakeClock::default())),
        ExecutionStore::open(db).unwrap(),
        [
            (DOCUMENTS.to_owned(), documents_machine(&subs).unwrap()),
            (RECORDS.to_owned(), records_machine(&subs).unwrap()),
        ],
    )
    .unwrap()
}

#[tokio::test]
async fn executions_survive_reopening_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("executions.sqlite");
    let input = json!({"document": {"text": "mail alice@example.com"}, "policy": "default"});
    let id = {
        let orch = orchestrator(&db, CallLog::default());
        let h = orch
            .start_execution(DOCUMENTS, Some("doc-1".into()), input.clone())
            .await
            .unwrap();
        let done = orch.wait_execution(&h.id).await.unwrap();
        assert_eq!(done.status, ExecutionStatus::Succeeded);
        h.id
    };
    let orch = orchestrator(&db, CallLog::default());
    let d = orch.describe_execution(&id).await.unwrap();
    assert_eq!(d.status, ExecutionStatus::Succeeded);
    assert_eq!(d.name, "doc-1");
    assert_eq!(d.input, input);
    assert_eq!(
        d.output.unwrap()["output"],
        json!({"text": "mail <EMAIL_1>"})
    );
    assert!(d.stopped.is_some());
    let history = orch.history(&id).unwrap();
    assert_eq!(
        history.first().unwrap().event_type.as_str(),
        "ExecutionStarted"
    );
    assert_eq!(
        history.last().unwrap().event_type.as_str(),
        "ExecutionSucceeded"
    );
    assert!(statemachine::render_text(&history).contains("TaskScheduled"));
}

#[tokio::test]
async fn failed_executions_keep_error_and_cause() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.sqlite");
    let id = {
        let orch = orchestrator(&db, CallLog::default());
        // No `document`: the NoEntities Pass cannot select `$.document`, a States.Runtime
        // failure no Catch may handle.
        let h = orch
            .start_execution(DOCUMENTS, None, json!({"policy": "default"}))
            .await
            .unwrap();
        orch.wait_execution(&h.id).await.unwrap();
        h.id
    };
    let d = orchestrator(&db, CallLog::default())
        .describe_execution(&id)
        .await
        .unwrap();
    assert_eq!(d.status, ExecutionStatus::Failed);
    assert!(d.error.is_some());
    assert!(d.cause.is_some());
}

#[tokio::test]
async fn same_name_same_input_is_idempotent_different_input_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let log = CallLog::default();
    let orch = orchestrator(&dir.path().join("i.sqlite"), log.clone());
    let input = json!({"document": {"text": "x"}, "policy": "default"});
    let a = orch
        .start_execution(DOCUMENTS, Some("same".into()), input.clone())
        .await
        .unwrap();
    orch.wait_execution(&a.id).await.unwrap();
    let b = orch
        .start_execution(DOCUMENTS, Some("same".into()), input)
        .await
        .unwrap();
    assert_eq!(a.id, b.id);
    orch.wait_execution(&b.id).await.unwrap();
    assert_eq!(
        log.lock().unwrap().len(),
        1,
        "the second start must not run again"
    );
    let e = orch
        .start_execution(
            DOCUMENTS,
            Some("same".into()),
            json!({"document": {"text": "y"}, "policy": "default"}),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, OrchestratorError::ExecutionAlreadyExists { .. }),
        "{e:?}"
    );
}

#[tokio::test]
async fn bad_requests_are_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let orch = orchestrator(&dir.path().join("b.sqlite"), CallLog::default());
    assert!(matches!(
        orch.start_execution("nope", None, json!({}))
            .await
            .unwrap_err(),
        OrchestratorError::UnknownDefinition(_)
    ));
    assert!(matches!(
        orch.start_execution(DOCUMENTS, Some("has space".into()), json!({}))
            .await
            .unwrap_err(),
        OrchestratorError::InvalidName(_)
    ));
    assert!(matches!(
        orch.describe_execution("arn:missing").await.unwrap_err(),
        OrchestratorError::ExecutionDoesNotExist(_)
    ));
}

#[tokio::test]
async fn sync_execution_returns_the_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let orch = orchestrator(&dir.path().join("s.sqlite"), CallLog::default());
    let d = orch
        .start_sync_execution(
            RECORDS,
            json!({"record": {"e": "alice@example.com"}, "policy": "default"}),
        )
        .await
        .unwrap();
    assert_eq!(d.status, ExecutionStatus::Succeeded);
    assert_eq!(d.output.unwrap()["output"], json!({"e": "<EMAIL_1>"}));
}

#[test]
fn missing_handlers_are_reported_at_construction() {
    let subs = local_substitutions();
    let e = LocalOrchestrator::new(
        executor(TaskRegistry::new(), Arc::new(FakeClock::default())),
        ExecutionStore::open_in_memory().unwrap(),
        [(DOCUMENTS.to_owned(), documents_machine(&subs).unwrap())],
    )
    .err()
    .unwrap();
    assert!(e.to_string().contains("no task handler"), "{e}");
}
