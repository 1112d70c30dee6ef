//! The pre-token-generation trigger's real binary, invoked with V2_0 events as Cognito
//! sends them.

use std::path::Path;

use serde_json::Value;

use crate::stack::{PRETOKEN, Stack};

fn event(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("pretoken/tests/events")
        .join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

pub async fn the_trigger_suppresses_reidentify_for_non_auditors(stack: &Stack) {
    let auditor = event("hosted-auth-auditor.json");
    let answer = stack.invoke(PRETOKEN, &auditor).await.unwrap();
    assert_eq!(answer, auditor, "an auditor's event comes back unchanged");

    let other = event("hosted-auth-no-group.json");
    let answer = stack.invoke(PRETOKEN, &other).await.unwrap();
    let suppressed = &answer["response"]["claimsAndScopeOverrideDetails"]["accessTokenGeneration"]
        ["scopesToSuppress"];
    assert_eq!(
        suppressed,
        &serde_json::json!(["pii/reidentify"]),
        "{answer}"
    );

    let err = stack
        .invoke(PRETOKEN, &serde_json::json!({"request": {}}))
        .await
        .unwrap_err();
    assert_eq!(err.error_type, "Pii.InvalidEvent", "{err:?}");
}
