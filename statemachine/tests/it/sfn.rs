//! `SfnOrchestrator`: error mapping and StartSyncExecution with aws-smithy-mocks (moto has
//! no StartSyncExecution), and real executions on moto's Step Functions when
//! `PIIFLOW_MOTO_URL` is set.

use std::time::Duration;

use aws_sdk_sfn::operation::describe_execution::{DescribeExecutionError, DescribeExecutionOutput};
use aws_sdk_sfn::operation::start_execution::StartExecutionError;
use aws_sdk_sfn::operation::start_sync_execution::StartSyncExecutionOutput;
use aws_sdk_sfn::primitives::DateTime;
use aws_sdk_sfn::types::error::{ExecutionAlreadyExists, ExecutionDoesNotExist};
use aws_sdk_sfn::types::{ExecutionStatus as SdkStatus, SyncExecutionStatus};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use serde_json::json;
use statemachine::aws::{MachineKind, SfnOrchestrator, deploy_state_machine};
use statemachine::{ExecutionStatus, Orchestrator, OrchestratorError, Substitutions};

const MACHINE: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:docs";

fn described(input: &str) -> DescribeExecutionOutput {
    DescribeExecutionOutput::builder()
        .execution_arn("arn:aws:states:us-east-1:123456789012:execution:docs:run-1")
        .state_machine_arn(MACHINE)
        .name("run-1")
        .status(SdkStatus::Succeeded)
        .input(input)
        .output(r#"{"ok":true}"#)
        .start_date(DateTime::from_secs(1_700_000_000))
        .stop_date(DateTime::from_secs(1_700_000_003))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_finished_run_started_again_with_the_same_input_is_the_same_run() {
    let start = mock!(aws_sdk_sfn::Client::start_execution).then_error(|| {
        StartExecutionError::ExecutionAlreadyExists(ExecutionAlreadyExists::builder().build())
    });
    let describe =
        mock!(aws_sdk_sfn::Client::describe_execution).then_output(|| described(r#"{"a":1}"#));
    let client = mock_client!(aws_sdk_sfn, RuleMode::MatchAny, [&start, &describe]);
    let sfn = SfnOrchestrator::new(client).with_machine("documents", MACHINE);

    let handle = sfn
        .start_execution("documents", Some("run-1".into()), json!({"a": 1}))
        .await
        .unwrap();
    assert_eq!(handle.name, "run-1");
    assert!(
        handle.id.ends_with(":execution:docs:run-1"),
        "{}",
        handle.id
    );
    assert_eq!(handle.started.unix_timestamp(), 1_700_000_000);

    let err = sfn
        .start_execution("documents", Some("run-1".into()), json!({"a": 2}))
        .await
        .unwrap_err();
    assert!(
        matches!(err, OrchestratorError::ExecutionAlreadyExists { ref name } if name == "run-1"),
        "{err:?}"
    );
}

#[tokio::test]
async fn description_maps_status_dates_and_json() {
    let describe =
        mock!(aws_sdk_sfn::Client::describe_execution).then_output(|| described(r#"{"a":1}"#));
    let client = mock_client!(aws_sdk_sfn, [&describe]);
    let sfn = SfnOrchestrator::new(client).with_machine("documents", MACHINE);
    let d = sfn.describe_execution("anything").await.unwrap();
    assert_eq!(d.definition, "documents");
    assert_eq!(d.status, ExecutionStatus::Succeeded);
    assert_eq!(d.input, json!({"a": 1}));
    assert_eq!(d.output, Some(json!({"ok": true})));
    assert_eq!(d.stopped.unwrap().unix_timestamp(), 1_700_000_003);
}

#[tokio::test]
async fn unknown_executions_and_definitions_have_their_own_kinds() {
    let describe = mock!(aws_sdk_sfn::Client::describe_execution).then_error(|| {
        DescribeExecutionError::ExecutionDoesNotExist(ExecutionDoesNotExist::builder().build())
    });
    let client = mock_client!(aws_sdk_sfn, [&describe]);
    let sfn = SfnOrchestrator::new(client).with_machine("documents", MACHINE);
    assert!(matches!(
        sfn.describe_execution("arn:nope").await.unwrap_err(),
        OrchestratorError::ExecutionDoesNotExist(_)
    ));
    assert!(matches!(
        sfn.start_execution("records", None, json!({}))
            .await
            .unwrap_err(),
        OrchestratorError::UnknownDefinition(_)
    ));
    assert!(matches!(
        sfn.start_execution("documents", Some("a b".into()), json!({}))
            .await
            .unwrap_err(),
        OrchestratorError::InvalidName(_)
    ));
}

#[tokio::test]
async fn sync_executions_report_failure_as_a_description() {
    let sync = mock!(aws_sdk_sfn::Client::start_sync_execution).then_output(|| {
        StartSyncExecutionOutput::builder()
            .execution_arn("arn:aws:states:us-east-1:1:express:records:x:y")
            .status(SyncExecutionStatus::Failed)
            .error("Pii.InvalidInput")
            .cause("unknown policy")
            .start_date(DateTime::from_secs(10))
            .stop_date(DateTime::from_secs(11))
            .build()
            .unwrap()
    });
    let client = mock_client!(aws_sdk_sfn, [&sync]);
    let sfn = SfnOrchestrator::new(client).with_machine("records", MACHINE);
    let d = sfn
        .start_sync_execution("records", json!({"records": []}))
        .await
        .unwrap();
    assert_eq!(d.status, ExecutionStatus::Failed);
    assert_eq!(d.error.as_deref(), Some("Pii.InvalidInput"));
    assert_eq!(d.output, None);
    assert_eq!(d.input, json!({"records": []}));
}

// ---------------------------------------------------------------------- moto

/// A Step Functions client for moto with execution switched on, or `None` without moto.
pub async fn moto_sfn() -> Option<aws_sdk_sfn::Client> {
    let Ok(url) = std::env::var("PIIFLOW_MOTO_URL") else {
        println!("skipped: PIIFLOW_MOTO_URL not set");
        return None;
    };
    enable_execution(&url).await;
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(url)
        .region("us-east-1")
        .credentials_provider(aws_sdk_sfn::config::Credentials::new(
            "testing", "testing", None, None, "moto",
        ))
        .load()
        .await;
    Some(aws_sdk_sfn::Client::new(&config))
}

/// Switches moto's Step Functions from recording executions to running them.
async fn enable_execution(url: &str) {
    let body =
        json!({"stepfunctions": {"execute_state_machine": true}, "lambda": {"use_docker": false}});
    let response = reqwest::Client::new()
        .post(format!("{url}/moto-api/config"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{response:?}");
}

const PASS_MACHINE: &str = r#"{
  "StartAt": "Shape",
  "States": {
    "Shape": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('hello {}', $.who)", "from": "${Origin}"}, "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.from", "StringEquals": "moto", "Next": "Done"}], "Default": "Bad"},
    "Bad": {"Type": "Fail", "Error": "Test.Wrong", "Cause": "substitution missing"},
    "Done": {"Type": "Succeed"}
  }
}"#;

#[tokio::test]
async fn executions_run_on_moto_and_starting_twice_is_idempotent() {
    let Some(client) = moto_sfn().await else {
        return;
    };
    let subs = Substitutions::from([("Origin".to_owned(), "moto".to_owned())]);
    let name = format!("piiflow-pass-{}", uuid::Uuid::new_v4());
    let arn = deploy_state_machine(
        &client,
        &name,
        PASS_MACHINE,
        &subs,
        "arn:aws:iam::123456789012:role/sfn",
        MachineKind::Standard,
    )
    .await
    .unwrap();
    // Deploying again updates in place and keeps the ARN.
    let again = deploy_state_machine(
        &client,
        &name,
        PASS_MACHINE,
        &subs,
        "arn:aws:iam::123456789012:role/sfn",
        MachineKind::Standard,
    )
    .await
    .unwrap();
    assert_eq!(arn, again);

    let sfn = SfnOrchestrator::new(client).with_machine("pass", &arn);
    let first = sfn
        .start_execution("pass", Some("run-1".into()), json!({"who": "ada"}))
        .await
        .unwrap();
    let d = sfn
        .wait(
            &first.id,
            Duration::from_secs(30),
            Duration::from_millis(50),
        )
        .await
        .unwrap();
    assert_eq!(d.status, ExecutionStatus::Succeeded, "{d:?}");
    assert_eq!(
        d.output,
        Some(json!({"greeting": "hello ada", "from": "moto"}))
    );
    assert_eq!(d.definition, "pass");

    let second = sfn
        .start_execution("pass", Some("run-1".into()), json!({"who": "ada"}))
        .await
        .unwrap();
    assert_eq!(second.id, first.id);
    let err = sfn
        .start_execution("pass", Some("run-1".into()), json!({"who": "bob"}))
        .await
        .unwrap_err();
    assert!(
        matches!(err, OrchestratorError::ExecutionAlreadyExists { .. }),
        "{err:?}"
    );
    let missing = format!("{}-missing", first.id);
    assert!(matches!(
        sfn.describe_execution(&missing).await.unwrap_err(),
        OrchestratorError::ExecutionDoesNotExist(_)
    ));
}
