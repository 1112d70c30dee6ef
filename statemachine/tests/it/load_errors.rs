//! Definitions that must be rejected at load time, naming the state and field.

use serde_json::{Value, json};
use statemachine::{LoadError, LoadErrorKind, StateMachine, Substitutions};

fn load(v: Value) -> Result<StateMachine, LoadError> {
    StateMachine::from_value(v, &Substitutions::new())
}

fn single(state: Value) -> Value {
    json!({"StartAt": "S", "States": {"S": state}})
}

/// (definition, expected state, expected field, kind check)
type Check = fn(&LoadErrorKind) -> bool;

type Row = (
    &'static str,
    Value,
    Option<&'static str>,
    Option<&'static str>,
    Check,
);

fn table() -> Vec<Row> {
    vec![
        (
            "unknown field",
            single(json!({"Type": "Pass", "Reslt": 1, "End": true})),
            Some("S"),
            Some("Reslt"),
            |k| *k == LoadErrorKind::UnknownField,
        ),
        (
            "unknown top-level field",
            json!({"StartAt": "S", "Stats": {}, "States": {"S": {"Type": "Succeed"}}}),
            None,
            Some("Stats"),
            |k| *k == LoadErrorKind::UnknownField,
        ),
        (
            "unknown state type",
            single(json!({"Type": "Parrallel", "End": true})),
            Some("S"),
            Some("Type"),
            |k| matches!(k, LoadErrorKind::UnknownStateType(_)),
        ),
        (
            "Next to an unknown state",
            single(json!({"Type": "Pass", "Next": "Nowhere"})),
            Some("S"),
            Some("Next"),
            |k| matches!(k, LoadErrorKind::UnknownNext(_)),
        ),
        (
            "Catch Next to an unknown state",
            single(json!({"Type": "Task", "Resource": "f", "End": true,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Gone"}]})),
            Some("S"),
            Some("Catch[0].Next"),
            |k| matches!(k, LoadErrorKind::UnknownNext(_)),
        ),
        (
            "Choice Default to an unknown state",
            single(json!({"Type": "Choice", "Default": "Gone",
            "Choices": [{"Variable": "$.a", "IsNull": true, "Next": "S"}]})),
            Some("S"),
            Some("Default"),
            |k| matches!(k, LoadErrorKind::UnknownNext(_)),
        ),
        (
            "StartAt to an unknown state",
            json!({"StartAt": "X", "States": {"S": {"Type": "Succeed"}}}),
            None,
            Some("StartAt"),
            |k| matches!(k, LoadErrorKind::UnknownNext(_)),
        ),
        (
            "missing Next and End",
            single(json!({"Type": "Pass"})),
            Some("S"),
            Some("Next"),
            |k| *k == LoadErrorKind::NextOrEnd,
        ),
        (
            "End on a Succeed",
            single(json!({"Type": "Succeed", "End": true})),
            Some("S"),
            Some("End"),
            |k| matches!(k, LoadErrorKind::InvalidValue(_)),
        ),
        (
            "JSONata at the top",
            json!({"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Succeed"}}}),
            None,
            Some("QueryLanguage"),
            |k| matches!(k, LoadErrorKind::Unsupported(_)),
        ),
        (
            "JSONata on a state",
            single(json!({"Type": "Pass", "QueryLanguage": "JSONata", "End": true})),
            Some("S"),
            Some("QueryLanguage"),
            |k| matches!(k, LoadErrorKind::Unsupported(_)),
        ),
        (
            "JSONata Arguments",
            single(json!({"Type": "Task", "Resource": "f", "Arguments": {}, "End": true})),
            Some("S"),
            Some("Arguments"),
            |k| matches!(k, LoadErrorKind::Unsupported(_)),
        ),
        (
            "variables (Assign)",
            single(json!({"Type": "Pass", "Assign": {"x": 1}, "End": true})),
            Some("S"),
            Some("Assign"),
            |k| matches!(k, LoadErrorKind::Unsupported(_)),
        ),
        (
            "unsupported intrinsic",
            single(
                json!({"Type": "Pass", "Parameters": {"h.$": "States.Hash($.a, 'SHA-1')"}, "End": true}),
            ),
            Some("S"),
            Some("Parameters.h.$"),
            |k| matches!(k, LoadErrorKind::InvalidValue(_)),
        ),
        (
            "unsupported choice operator",
            single(json!({"Type": "Choice",
            "Choices": [{"Variable": "$.a", "StringContains": "x", "Next": "S"}]})),
            Some("S"),
            Some("Choices[0].StringContains"),
            |k| {
                matches!(
                    k,
                    LoadErrorKind::InvalidValue(_) | LoadErrorKind::Unsupported(_)
                )
            },
        ),
        (
            "States.ALL not last",
            single(json!({"Type": "Task", "Resource": "f", "End": true,
            "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["X"]}]})),
            Some("S"),
            Some("Retry[0].ErrorEquals"),
            |k| matches!(k, LoadErrorKind::InvalidValue(_)),
        ),
        (
            "unknown Retry field",
            single(json!({"Type": "Task", "Resource": "f", "End": true,
            "Retry": [{"ErrorEquals": ["X"], "MaxAttempt": 2}]})),
            Some("S"),
            Some("Retry[0].MaxAttempt"),
            |k| *k == LoadErrorKind::UnknownField,
        ),
        (
            "bad JitterStrategy",
            single(json!({"Type": "Task", "Resource": "f", "End": true,
            "Retry": [{"ErrorEquals": ["X"], "JitterStrategy": "HALF"}]})),
            Some("S"),
            Some("Retry[0].JitterStrategy"),
            |k| matches!(k, LoadErrorKind::InvalidValue(_)),
        ),
        (
            "wildcard path",
            single(json!({"Type": "Pass", "InputPath": "$.a[*]", "End": true})),
            Some("S"),
            Some("InputPath"),
            |k| matches!(k, LoadErrorKind::BadPath { .. }),
        ),
        (
            "context path as ResultPath",
            single(json!({"Type": "Pass", "ResultPath": "$$.x", "End": true})),
            Some("S"),
            Some("ResultPath"),
            |k| matches!(k, LoadErrorKind::BadPath { .. }),
        ),
        (
            "missing StartAt",
            json!({"States": {"S": {"Type": "Succeed"}}}),
            None,
            Some("StartAt"),
            |k| *k == LoadErrorKind::MissingField,
        ),
        (
            "distributed Map",
            single(json!({"Type": "Map", "End": true, "ItemReader": {},
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}})),
            Some("S"),
            Some("ItemReader"),
            |k| matches!(k, LoadErrorKind::Unsupported(_)),
        ),
        (
            "other service integration",
            single(
                json!({"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}),
            ),
            Some("S"),
            Some("Resource"),
            |k| matches!(k, LoadErrorKind::Unsupported(_)),
        ),
        (
            "lambda:invoke without FunctionName",
            single(json!({"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"Payload.$": "$"}, "End": true})),
            Some("S"),
            Some("Parameters.FunctionName"),
            |k| *k == LoadErrorKind::MissingField,
        ),
        (
            "Wait with two durations",
            single(json!({"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": true})),
            Some("S"),
            Some("Seconds"),
            |k| matches!(k, LoadErrorKind::InvalidValue(_)),
        ),
        (
            "Wait with a bad timestamp",
            single(json!({"Type": "Wait", "Timestamp": "tomorrow", "End": true})),
            Some("S"),
            Some("Timestamp"),
            |k| matches!(k, LoadErrorKind::InvalidValue(_)),
        ),
        (
            "Fail with Error and ErrorPath",
            single(json!({"Type": "Fail", "Error": "a", "ErrorPath": "$.e"})),
            Some("S"),
            Some("ErrorPath"),
            |k| matches!(k, LoadErrorKind::InvalidValue(_)),
        ),
        (
            "HeartbeatSeconds",
            single(json!({"Type": "Task", "Resource": "f", "HeartbeatSeconds": 5, "End": true})),
            Some("S"),
            Some("HeartbeatSeconds"),
            |k| matches!(k, LoadErrorKind::Unsupported(_)),
        ),
        (
            "Choice operand of the wrong type",
            single(json!({"Type": "Choice",
            "Choices": [{"Variable": "$.a", "NumericEquals": "1", "Next": "S"}]})),
            Some("S"),
            Some("Choices[0].NumericEquals"),
            |k| matches!(k, LoadErrorKind::WrongType(_)),
        ),
    ]
}

#[test]
fn load_errors_name_state_and_field() {
    let mut failures = Vec::new();
    for (name, def, state, field, check) in table() {
        match load(def) {
            Ok(_) => failures.push(format!("{name}: loaded")),
            Err(e) => {
                if e.state.as_deref() != state || e.field.as_deref() != field || !check(&e.kind) {
                    failures.push(format!("{name}: got {e:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_json_and_unresolved_placeholders_are_load_errors() {
    let e = StateMachine::from_json("{not json", &Substitutions::new()).unwrap_err();
    assert!(matches!(e.kind, LoadErrorKind::Json(_)));
    let e = load(single(
        json!({"Type": "Task", "Resource": "${Fn}", "End": true}),
    ))
    .unwrap_err();
    assert_eq!(e.kind, LoadErrorKind::UnresolvedPlaceholder("Fn".into()));
}

#[test]
fn error_messages_are_readable() {
    let e = load(single(json!({"Type": "Pass", "Reslt": 1, "End": true}))).unwrap_err();
    assert_eq!(e.to_string(), "state \"S\", field \"Reslt\": unknown field");
}
