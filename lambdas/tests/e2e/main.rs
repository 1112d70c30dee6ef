//! End to end on loopback: the real function binaries (`piiflow-detect`, `-mask`,
//! `-deidentify`, `-reidentify`, `-pretoken`) served by `cargo lambda watch --only-lambda-apis`, against
//! moto's DynamoDB, KMS, S3 and Step Functions. `scripts/with-moto` starts both emulators;
//! without them (`PIIFLOW_MOTO_URL`/`PIIFLOW_LAMBDA_URL` unset) the test says "skipped".
//!
//! One test runs the scenarios in turn: the emulator routes by function name, so two sets of
//! function processes (two stacks) cannot be served side by side.

mod api;
#[path = "../callers.rs"]
mod callers;
mod comprehend;
mod pipeline;
mod pretoken;
mod stack;
mod state_machines;

use stack::Stack;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn functions_and_state_machines_on_the_emulators() {
    let Some(mut stack) = Stack::start().await else {
        return;
    };
    pipeline::inline_document_round_trips_through_the_four_functions(&stack).await;
    pipeline::document_by_reference_writes_the_result_and_removes_the_intermediate(&stack).await;
    pipeline::bad_events_fail_with_pii_error_names_and_quote_nothing(&stack).await;
    state_machines::definitions_give_the_same_results_on_moto_and_locally(&stack).await;
    api::api_backend_runs_everything_through_the_stack(&stack).await;
    state_machines::a_chunked_document_runs_the_same_on_moto_and_locally(&mut stack).await;
    comprehend::detect_uses_comprehend_when_configured(&mut stack).await;
    pretoken::the_trigger_suppresses_reidentify_for_non_auditors(&stack).await;
}

#[tokio::test]
async fn keyring_tool_makes_keyrings_the_functions_open_and_rotation_keeps_old_versions() {
    let Some(sdk) = stack::moto_sdk().await else {
        return;
    };
    let kms = aws_sdk_kms::Client::new(&sdk);
    let key = kms
        .create_key()
        .send()
        .await
        .unwrap()
        .key_metadata
        .unwrap()
        .key_id;
    let first = lambda_vault::keyring_admin::init_keyring(&kms, &key)
        .await
        .unwrap();
    let (second, version) = lambda_vault::keyring_admin::rotate_keyring(&kms, &first, None)
        .await
        .unwrap();
    assert_eq!(version, 2);
    let wrapped = lambda_common::config::parse_keyring(&second).unwrap();
    assert_eq!(wrapped.data_keys.len(), 2);
    assert_eq!(wrapped.kms_key_id, key);
    // What the functions do at cold start.
    let keys = deidentify::aws::KmsKeyring::unwrap(&kms, &wrapped)
        .await
        .unwrap();
    use deidentify::Keyring;
    assert_eq!(keys.current_data_key().0, 2);
    assert!(keys.data_key(1).is_some(), "version 1 still opens");
    assert!(
        lambda_vault::keyring_admin::rotate_keyring(&kms, "{not json", None)
            .await
            .is_err()
    );
}
