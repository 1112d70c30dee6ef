//! The shipped definitions on moto's Step Functions, calling the real binaries, against the
//! local executor calling the same handlers in-process: the final outputs must be equal.

use std::sync::Arc;
use std::time::Duration;

use lambda_common::config::Lookup;
use lambda_common::{LambdaError, StepHandler};
use serde_json::{Value, json};
use service::Step;
use statemachine::aws::{MachineKind, SfnOrchestrator, deploy_state_machine};
use statemachine::{
    DOCUMENTS, DOCUMENTS_ASL, ExecutionContext, ExecutionStatus, Executor, Orchestrator, RECORDS,
    RECORDS_ASL, StateMachine, Substitutions, TaskError, TaskHandler, TaskRegistry,
};

use crate::stack::{DEIDENTIFY, DETECT, MASK, Stack};

const TICKET: &str = include_str!("../../../fixtures/documents/support-ticket.txt");
const CUSTOMER: &str = include_str!("../../../fixtures/records/customer.json");
const ROLE: &str = "arn:aws:iam::123456789012:role/piiflow-states";

/// A step function in-process, failing the way a Lambda function error reaches Step
/// Functions: the error type as the error name.
struct InProcess(StepHandler);

#[async_trait::async_trait]
impl TaskHandler for InProcess {
    async fn invoke(&self, payload: Value) -> Result<Value, TaskError> {
        self.0.handle(&payload).await.map_err(|e: LambdaError| {
            TaskError::function_error(e.error_name(), &e.public_message())
        })
    }
}

/// `${DetectFunctionArn}` and the others → the bare function names (moto invokes them
/// by name on the Lambda emulator; the local registry resolves the same names).
pub fn substitutions(stack: &Stack) -> Substitutions {
    Substitutions::from([
        (
            "DetectFunctionArn".to_owned(),
            stack.functions[DETECT].clone(),
        ),
        ("MaskFunctionArn".to_owned(), stack.functions[MASK].clone()),
        (
            "DeidentifyFunctionArn".to_owned(),
            stack.functions[DEIDENTIFY].clone(),
        ),
    ])
}

async fn local_executor(stack: &Stack) -> Executor {
    local_executor_with_chunks(stack, None).await
}

/// With `chunk_bytes`, detect plans chunks at that size instead of the template's default.
async fn local_executor_with_chunks(stack: &Stack, chunk_bytes: Option<&str>) -> Executor {
    let mut registry = TaskRegistry::new();
    for (role, step) in [
        (DETECT, Step::Detect),
        (MASK, Step::Mask),
        (DEIDENTIFY, Step::Deidentify),
    ] {
        let env = stack.env(role);
        let chunk_bytes = chunk_bytes.map(str::to_string);
        let lookup = move |name: &str| match (name, &chunk_bytes) {
            ("CHUNK_BYTES", Some(c)) => Some(c.clone()),
            _ => env(name),
        };
        let handler = step_from_lookup(step, &lookup)
            .await
            .expect("in-process handler");
        registry.register(stack.functions[role].clone(), Arc::new(InProcess(handler)));
    }
    Executor::new(registry)
}

struct Outcome {
    status: ExecutionStatus,
    output: Option<Value>,
    error: Option<String>,
    cause: Option<String>,
}

pub async fn definitions_give_the_same_results_on_moto_and_locally(stack: &Stack) {
    let subs = substitutions(stack);
    let sfn_client = aws_sdk_sfn::Client::new(&stack.sdk);
    enable_execution().await;
    let suffix = &stack.bucket["piiflow-e2e-".len()..];
    let documents_arn = deploy_state_machine(
        &sfn_client,
        &format!("piiflow-documents-{suffix}"),
        DOCUMENTS_ASL,
        &subs,
        ROLE,
        MachineKind::Standard,
    )
    .await
    .expect("documents machine");
    let records_arn = deploy_state_machine(
        &sfn_client,
        &format!("piiflow-records-{suffix}"),
        RECORDS_ASL,
        &subs,
        ROLE,
        MachineKind::Express,
    )
    .await
    .expect("records machine");
    let sfn = SfnOrchestrator::new(sfn_client)
        .with_machine(DOCUMENTS, documents_arn)
        .with_machine(RECORDS, records_arn);
    let local = local_executor(stack).await;

    let by_ref = stack.put_document("incoming/sfn-ticket.txt", TICKET).await;
    let customer: Value = serde_json::from_str(CUSTOMER).unwrap();
    let cases = [
        (
            "ticket",
            DOCUMENTS,
            json!({"document": {"text": TICKET}, "policy": "default"}),
        ),
        (
            "tokenized",
            DOCUMENTS,
            json!({"document": {"text": TICKET}, "policy": "tokenize-all"}),
        ),
        (
            "clean",
            DOCUMENTS,
            json!({"document": {"text": "Nothing personal in this sentence."}}),
        ),
        ("by-ref", DOCUMENTS, json!({"document": {"ref": by_ref}})),
        (
            "bad-policy",
            DOCUMENTS,
            json!({"document": {"text": TICKET}, "policy": "nope"}),
        ),
        (
            "customer",
            RECORDS,
            json!({"record": customer, "policy": "default"}),
        ),
        (
            "bad-record",
            RECORDS,
            json!({"record": customer, "policy": "nope"}),
        ),
    ];
    for (label, definition, input) in cases {
        let on_moto = run_on_moto(&sfn, label, definition, input.clone()).await;
        let locally = run_locally(&local, &subs, label, definition, input).await;
        assert_eq!(on_moto.status, locally.status, "{label}: status");
        assert_eq!(on_moto.output, locally.output, "{label}: output");
        assert_eq!(
            on_moto.error, locally.error,
            "{label}: error; causes {:?} / {:?}",
            on_moto.cause, locally.cause
        );
        assert_eq!(on_moto.cause, locally.cause, "{label}: cause");
        let expected = if label.starts_with("bad") {
            ExecutionStatus::Failed
        } else {
            ExecutionStatus::Succeeded
        };
        assert_eq!(on_moto.status, expected, "{label}: {:?}", on_moto.error);
    }
}

/// A document above CHUNK_BYTES goes through the Map on moto as through the local
/// executor, and the joined result is the text one pass over the whole document gives.
pub async fn a_chunked_document_runs_the_same_on_moto_and_locally(stack: &mut Stack) {
    const CHUNK: &str = "2048";
    stack.restart(DETECT, &[("CHUNK_BYTES", CHUNK)]).await;
    stack
        .invoke_after_restart(DETECT, &json!({"document": {"text": "warm up"}}))
        .await
        .expect("detect answers after its restart");

    let subs = substitutions(stack);
    let sfn_client = aws_sdk_sfn::Client::new(&stack.sdk);
    let suffix = &stack.bucket["piiflow-e2e-".len()..];
    let arn = deploy_state_machine(
        &sfn_client,
        &format!("piiflow-documents-chunked-{suffix}"),
        DOCUMENTS_ASL,
        &subs,
        ROLE,
        MachineKind::Standard,
    )
    .await
    .expect("documents machine");
    let sfn = SfnOrchestrator::new(sfn_client).with_machine(DOCUMENTS, arn);

    let mut text = String::new();
    for part in 0..8 {
        text.push_str(TICKET);
        text.push_str(&format!("\n\nPart {part} ends here.\n\n"));
    }
    let reference = stack.put_document("incoming/big-ticket.txt", &text).await;
    let input = json!({"document": {"ref": reference}, "policy": "tokenize-all"});
    let plan = stack.invoke(DETECT, &input).await.expect("detect plans");
    let chunks = plan["chunks"].as_array().expect("a chunk list");
    assert!(chunks.len() >= text.len() / 2048, "{plan}");
    assert_eq!(plan["entity_count"], json!(0), "a plan detects nothing yet");

    let on_moto = run_on_moto(&sfn, "chunked", DOCUMENTS, input.clone()).await;
    assert_eq!(
        on_moto.status,
        ExecutionStatus::Succeeded,
        "{:?} {:?}",
        on_moto.error,
        on_moto.cause
    );
    let output = on_moto.output.clone().expect("output");
    let result_ref = output["output"]["ref"]
        .as_str()
        .expect("a result reference");
    let moto_text = stack
        .read_document(result_ref)
        .await
        .expect("result object");

    let chunked = local_executor_with_chunks(stack, Some(CHUNK)).await;
    let locally = run_locally(&chunked, &subs, "chunked", DOCUMENTS, input.clone()).await;
    assert_eq!(locally.status, ExecutionStatus::Succeeded);
    assert_eq!(
        locally.output, on_moto.output,
        "same result reference and summary"
    );
    let local_text = stack
        .read_document(result_ref)
        .await
        .expect("result object");
    assert_eq!(local_text, moto_text);

    let whole = local_executor_with_chunks(stack, Some("0")).await;
    let one_pass = run_locally(&whole, &subs, "one-pass", DOCUMENTS, input).await;
    assert_eq!(one_pass.status, ExecutionStatus::Succeeded);
    let one_pass_text = stack
        .read_document(result_ref)
        .await
        .expect("result object");
    assert_eq!(
        moto_text, one_pass_text,
        "chunking changes nothing in the result"
    );
    assert_eq!(
        output["summary"]["entity_count"],
        one_pass.output.unwrap()["summary"]["entity_count"]
    );
    assert!(
        !moto_text.contains('@'),
        "every e-mail address was tokenized"
    );

    // The chunks' masked stages and parts are gone once joined.
    let leftovers: Vec<String> = stack
        .keys_under("work/")
        .await
        .into_iter()
        .filter(|k| k.contains("big-ticket.txt"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    stack.restart(DETECT, &[]).await;
    stack
        .invoke_after_restart(DETECT, &json!({"document": {"text": "warm up"}}))
        .await
        .expect("detect answers after its restart");
}

async fn run_on_moto(
    sfn: &SfnOrchestrator,
    label: &str,
    definition: &str,
    input: Value,
) -> Outcome {
    let name = format!("{label}-{}", uuid::Uuid::new_v4().simple());
    let handle = sfn
        .start_execution(definition, Some(name), input)
        .await
        .expect("StartExecution");
    let d = sfn
        .wait(
            &handle.id,
            Duration::from_secs(120),
            Duration::from_millis(100),
        )
        .await
        .expect("DescribeExecution");
    Outcome {
        status: d.status,
        output: d.output,
        error: d.error,
        cause: d.cause,
    }
}

async fn run_locally(
    executor: &Executor,
    subs: &Substitutions,
    label: &str,
    definition: &str,
    input: Value,
) -> Outcome {
    let asl = if definition == DOCUMENTS {
        DOCUMENTS_ASL
    } else {
        RECORDS_ASL
    };
    let machine = StateMachine::from_json(asl, subs).expect("definition loads");
    let ctx = ExecutionContext {
        id: format!("local:{label}"),
        name: label.to_string(),
        state_machine_id: format!("local:{definition}"),
        state_machine_name: definition.to_string(),
    };
    let o = executor.execute(&machine, &ctx, input).await;
    Outcome {
        status: o.status,
        output: o.output,
        error: o.error,
        cause: o.cause,
    }
}

/// Switches moto's Step Functions from recording executions to running them.
async fn enable_execution() {
    let url = std::env::var("PIIFLOW_MOTO_URL").expect("moto");
    let response = reqwest::Client::new()
        .post(format!("{url}/moto-api/config"))
        .json(&json!({"stepfunctions": {"execute_state_machine": true}, "lambda": {"use_docker": false}}))
        .send()
        .await
        .expect("moto config");
    assert!(response.status().is_success());
}

/// A step function's handler as its crate builds it from the environment.
async fn step_from_lookup(step: Step, env: Lookup<'_>) -> Result<StepHandler, LambdaError> {
    match step {
        Step::Detect => lambda_detect::handler_from_lookup(env).await,
        Step::Mask => lambda_mask::handler_from_lookup(env).await,
        Step::Deidentify => lambda_deidentify::handler_from_lookup(env).await,
    }
}
