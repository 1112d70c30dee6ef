//! The trigger over V2_0 events shaped like the ones Cognito sends (hosted UI sign-in,
//! API authentication, refresh), and over malformed ones.

use std::path::Path;

use lambda_pretoken::{REIDENTIFY_SCOPE, TriggerError, restrict_reidentify};
use serde_json::{Value, json};

fn event(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/events")
        .join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

fn suppressed(answer: &Value) -> Vec<String> {
    answer["response"]["claimsAndScopeOverrideDetails"]["accessTokenGeneration"]["scopesToSuppress"]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn only_auditors_keep_the_reidentify_scope() {
    let cases = [
        ("hosted-auth-auditor.json", false),
        ("hosted-auth-no-group.json", true),
        ("refresh-other-group.json", true),
        ("authentication-null-groups.json", true),
    ];
    for (name, expect_suppressed) in cases {
        let given = event(name);
        let answer = restrict_reidentify(given.clone()).unwrap();
        assert_eq!(
            suppressed(&answer).iter().any(|s| s == REIDENTIFY_SCOPE),
            expect_suppressed,
            "{name}"
        );
        // The request half goes back untouched: Cognito reads only the response.
        assert_eq!(answer["request"], given["request"], "{name}");
        assert_eq!(answer["userName"], given["userName"], "{name}");
        if !expect_suppressed {
            assert_eq!(
                answer, given,
                "{name}: an auditor's event is returned as it came"
            );
        }
    }
}

#[test]
fn what_the_response_already_held_is_kept_but_cannot_re_add_the_scope() {
    let answer = restrict_reidentify(event("refresh-other-group.json")).unwrap();
    let access = &answer["response"]["claimsAndScopeOverrideDetails"]["accessTokenGeneration"];
    assert_eq!(suppressed(&answer), vec!["email", REIDENTIFY_SCOPE]);
    assert_eq!(
        access["claimsToAddOrOverride"],
        json!({"department": "risk"})
    );
    assert_eq!(access["scopesToAdd"], json!([]));
}

#[test]
fn suppressing_twice_lists_the_scope_once() {
    let once = restrict_reidentify(event("hosted-auth-no-group.json")).unwrap();
    let twice = restrict_reidentify(once.clone()).unwrap();
    assert_eq!(once, twice);
}

#[test]
fn malformed_events_fail_closed() {
    let mut bad_groups = event("hosted-auth-no-group.json");
    bad_groups["request"]["groupConfiguration"]["groupsToOverride"] = json!("auditors");
    let mut bad_group_item = event("hosted-auth-no-group.json");
    bad_group_item["request"]["groupConfiguration"]["groupsToOverride"] = json!([7]);
    let mut bad_details = event("hosted-auth-no-group.json");
    bad_details["response"]["claimsAndScopeOverrideDetails"] = json!("x");
    let mut bad_suppress = event("hosted-auth-no-group.json");
    bad_suppress["response"]["claimsAndScopeOverrideDetails"] =
        json!({"accessTokenGeneration": {"scopesToSuppress": "pii/reidentify"}});
    let mut no_response = event("hosted-auth-no-group.json");
    no_response.as_object_mut().unwrap().remove("response");
    type Expected = fn(&TriggerError) -> bool;
    let cases: [(Value, Expected); 6] = [
        (json!("not an event"), |e| {
            matches!(e, TriggerError::NotAnEvent)
        }),
        (no_response, |e| matches!(e, TriggerError::NotAnEvent)),
        (bad_groups, |e| matches!(e, TriggerError::BadGroups)),
        (bad_group_item, |e| matches!(e, TriggerError::BadGroups)),
        (bad_details, |e| matches!(e, TriggerError::BadResponse)),
        (bad_suppress, |e| matches!(e, TriggerError::BadResponse)),
    ];
    for (i, (given, expected)) in cases.into_iter().enumerate() {
        let err = restrict_reidentify(given).unwrap_err();
        assert!(expected(&err), "case {i}: {err}");
    }
}
