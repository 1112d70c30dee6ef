//! Small definitions with expected outputs worked out from the States Language spec.

use crate::util::{run, run_with};
use serde_json::{Value, json};
use statemachine::{ExecutionStatus, FakeClock, TaskRegistry};
use std::sync::Arc;
use std::time::Duration;

enum Expect {
    Output(Value),
    Fail(&'static str, &'static str),
}

struct Case {
    name: &'static str,
    def: Value,
    input: Value,
    expect: Expect,
}

fn single(state: Value) -> Value {
    json!({"StartAt": "S", "States": {"S": state}})
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "Pass Result replaces the input by default",
            def: single(json!({"Type": "Pass", "Result": {"x": 2}, "End": true})),
            input: json!({"a": 1}),
            expect: Expect::Output(json!({"x": 2})),
        },
        Case {
            name: "Pass Result with ResultPath nests into the input",
            def: single(
                json!({"Type": "Pass", "Result": {"x": 2}, "ResultPath": "$.r.s", "End": true}),
            ),
            input: json!({"a": 1}),
            expect: Expect::Output(json!({"a": 1, "r": {"s": {"x": 2}}})),
        },
        Case {
            name: "ResultPath null discards the result",
            def: single(json!({"Type": "Pass", "Result": 5, "ResultPath": null, "End": true})),
            input: json!({"a": 1}),
            expect: Expect::Output(json!({"a": 1})),
        },
        Case {
            name: "ResultPath $ replaces; overwriting an existing field",
            def: json!({"StartAt": "A", "States": {
                "A": {"Type": "Pass", "Result": "new", "ResultPath": "$.a", "Next": "B"},
                "B": {"Type": "Pass", "Result": [1], "ResultPath": "$", "End": true}}}),
            input: json!({"a": "old"}),
            expect: Expect::Output(json!([1])),
        },
        Case {
            name: "InputPath selects, ResultPath merges into the raw input, OutputPath filters",
            def: single(
                json!({"Type": "Pass", "InputPath": "$.a", "ResultPath": "$.copy",
                "OutputPath": "$.copy", "End": true}),
            ),
            input: json!({"a": {"b": 1}, "c": 2}),
            expect: Expect::Output(json!({"b": 1})),
        },
        Case {
            name: "InputPath null gives an empty object",
            def: single(json!({"Type": "Pass", "InputPath": null, "End": true})),
            input: json!({"a": 1}),
            expect: Expect::Output(json!({})),
        },
        Case {
            name: "OutputPath null gives an empty object",
            def: single(json!({"Type": "Pass", "OutputPath": null, "End": true})),
            input: json!({"a": 1}),
            expect: Expect::Output(json!({})),
        },
        Case {
            name: "Parameters with .$ keys, nesting, indices and quoted names",
            def: single(json!({"Type": "Pass", "Parameters": {
                "who.$": "$.user.name", "static": "s", "nested": {"id.$": "$.user.id"},
                "first.$": "$.items[0]", "odd.$": "$['odd key']"}, "End": true})),
            input: json!({"user": {"name": "Ann", "id": 7}, "items": ["x", "y"], "odd key": true}),
            expect: Expect::Output(json!({"who": "Ann", "static": "s", "nested": {"id": 7},
                "first": "x", "odd": true})),
        },
        Case {
            name: "Parameters apply after InputPath",
            def: single(json!({"Type": "Pass", "InputPath": "$.inner",
                "Parameters": {"v.$": "$.v"}, "End": true})),
            input: json!({"inner": {"v": 3}, "v": 99}),
            expect: Expect::Output(json!({"v": 3})),
        },
        Case {
            name: "Context object: execution, state machine and state",
            def: single(json!({"Type": "Pass", "Parameters": {
                "exec.$": "$$.Execution.Name", "id.$": "$$.Execution.Id",
                "sm.$": "$$.StateMachine.Name", "state.$": "$$.State.Name",
                "orig.$": "$$.Execution.Input.k", "retries.$": "$$.State.RetryCount"}, "End": true})),
            input: json!({"k": "v"}),
            expect: Expect::Output(json!({"exec": "run-1",
                "id": "arn:aws:states:local:000000000000:execution:conf:run-1",
                "sm": "conf", "state": "S", "orig": "v", "retries": 0})),
        },
        Case {
            name: "Intrinsics: Format, JsonToString, StringToJson, Array, ArrayLength, MathAdd, JsonMerge",
            def: single(json!({"Type": "Pass", "Parameters": {
                "greeting.$": "States.Format('Hello, {}! You are {}.', $.name, $.age)",
                "str.$": "States.JsonToString($.obj)",
                "json.$": "States.StringToJson($.encoded)",
                "arr.$": "States.Array('a', $.age, true)",
                "len.$": "States.ArrayLength($.list)",
                "sum.$": "States.MathAdd($.age, -2)",
                "merged.$": "States.JsonMerge($.obj, $.more, false)"}, "End": true})),
            input: json!({"name": "Ann", "age": 30, "obj": {"a": 1, "b": 2},
                "encoded": "{\"z\":[1]}", "list": [1, 2, 3], "more": {"b": 3, "c": 4}}),
            expect: Expect::Output(json!({"greeting": "Hello, Ann! You are 30.",
                "str": "{\"a\":1,\"b\":2}", "json": {"z": [1]}, "arr": ["a", 30, true],
                "len": 3, "sum": 28, "merged": {"a": 1, "b": 3, "c": 4}})),
        },
        Case {
            name: "Intrinsic failure is a catchable States.IntrinsicFailure",
            def: single(
                json!({"Type": "Pass", "Parameters": {"x.$": "States.StringToJson($.s)"}, "End": true}),
            ),
            input: json!({"s": "not json"}),
            expect: Expect::Fail("States.IntrinsicFailure", ""),
        },
        Case {
            name: "Succeed applies InputPath and OutputPath",
            def: single(json!({"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"})),
            input: json!({"a": {"b": 4}}),
            expect: Expect::Output(json!(4)),
        },
        Case {
            name: "Fail with literal Error and Cause",
            def: single(json!({"Type": "Fail", "Error": "Pii.Custom", "Cause": "because"})),
            input: json!({}),
            expect: Expect::Fail("Pii.Custom", "because"),
        },
        Case {
            name: "Fail with ErrorPath and an intrinsic CausePath",
            def: single(json!({"Type": "Fail", "ErrorPath": "$.e",
                "CausePath": "States.Format('code {}', $.code)"})),
            input: json!({"e": "Pii.Dynamic", "code": 42}),
            expect: Expect::Fail("Pii.Dynamic", "code 42"),
        },
        Case {
            name: "Choice without a match and without Default fails",
            def: json!({"StartAt": "C", "States": {
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Y"}]},
                "Y": {"Type": "Succeed"}}}),
            input: json!({"n": 2}),
            expect: Expect::Fail("States.NoChoiceMatched", ""),
        },
        Case {
            name: "Choice output is its input after InputPath and OutputPath",
            def: json!({"StartAt": "C", "States": {
                "C": {"Type": "Choice", "InputPath": "$.x", "OutputPath": "$.y",
                    "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Y"}]},
                "Y": {"Type": "Succeed"}}}),
            input: json!({"x": {"n": 1, "y": "kept"}}),
            expect: Expect::Output(json!("kept")),
        },
        Case {
            name: "InputPath to a missing field is States.Runtime",
            def: single(json!({"Type": "Pass", "InputPath": "$.missing", "End": true})),
            input: json!({}),
            expect: Expect::Fail("States.Runtime", ""),
        },
        Case {
            name: "ResultPath into a non-object fails",
            def: single(json!({"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": true})),
            input: json!({"a": "string"}),
            expect: Expect::Fail("States.ResultPathMatchFailure", ""),
        },
        Case {
            name: "Parallel runs branches on the same input and returns an ordered array",
            def: single(json!({"Type": "Parallel", "End": true,
                "Parameters": {"v.$": "$.v"},
                "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": true}}},
                    {"StartAt": "B", "States": {"B": {"Type": "Pass", "InputPath": "$.v", "End": true}}}
                ],
                "ResultSelector": {"first.$": "$[0]", "all.$": "$"},
                "ResultPath": "$.par"})),
            input: json!({"v": 9}),
            expect: Expect::Output(json!({"v": 9, "par": {"first": "a", "all": ["a", 9]}})),
        },
        Case {
            name: "Parallel branch failure fails the state and Catch handles it",
            def: json!({"StartAt": "P", "States": {
                "P": {"Type": "Parallel", "Next": "Ok",
                    "Branches": [
                        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "b"}}}
                    ],
                    "Catch": [{"ErrorEquals": ["Boom"], "ResultPath": "$.err", "Next": "Caught"}]},
                "Ok": {"Type": "Succeed"},
                "Caught": {"Type": "Pass", "End": true}}}),
            input: json!({"k": 1}),
            expect: Expect::Output(json!({"k": 1, "err": {"Error": "Boom", "Cause": "b"}})),
        },
        Case {
            name: "Map with ItemsPath, ItemSelector and the Map context",
            def: single(json!({"Type": "Map", "ItemsPath": "$.items", "End": true,
                "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "k.$": "$.k"},
                "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": true}}},
                "ResultPath": "$.out"})),
            input: json!({"items": [10, 20], "k": "x"}),
            expect: Expect::Output(json!({"items": [10, 20], "k": "x",
                "out": [{"i": 0, "v": 10, "k": "x"}, {"i": 1, "v": 20, "k": "x"}]})),
        },
        Case {
            name: "Map with legacy Iterator and Parameters",
            def: single(json!({"Type": "Map", "End": true, "ItemsPath": "$.xs",
                "Parameters": {"n.$": "$$.Map.Item.Value"},
                "Iterator": {"StartAt": "Q", "States": {"Q": {"Type": "Pass",
                    "Parameters": {"s.$": "States.Format('#{}', $.n)"}, "End": true}}}})),
            input: json!({"xs": [1, 2, 3]}),
            expect: Expect::Output(json!([{"s": "#1"}, {"s": "#2"}, {"s": "#3"}])),
        },
        Case {
            name: "Map over an empty array gives an empty array",
            def: single(json!({"Type": "Map", "End": true,
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Fail", "Error": "X"}}}})),
            input: json!([]),
            expect: Expect::Output(json!([])),
        },
        Case {
            name: "Map ItemsPath to a non-array is States.Runtime",
            def: single(json!({"Type": "Map", "End": true, "ItemsPath": "$.a",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}})),
            input: json!({"a": {"not": "array"}}),
            expect: Expect::Fail("States.Runtime", ""),
        },
    ]
}

#[tokio::test]
async fn conformance_table() {
    let mut failures = Vec::new();
    for case in cases() {
        let out = run(case.def, case.input).await;
        let ok = match &case.expect {
            Expect::Output(v) => {
                out.status == ExecutionStatus::Succeeded && out.output.as_ref() == Some(v)
            }
            Expect::Fail(error, cause) => {
                out.status == ExecutionStatus::Failed
                    && out.error.as_deref() == Some(*error)
                    && (cause.is_empty() || out.cause.as_deref() == Some(*cause))
            }
        };
        if !ok {
            failures.push(format!(
                "{}: got {:?} output={:?} error={:?} cause={:?}",
                case.name, out.status, out.output, out.error, out.cause
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn uuid_intrinsic_gives_fresh_v4_ids() {
    let out = run(
        single(json!({"Type": "Pass", "Parameters": {"a.$": "States.UUID()", "b.$": "States.UUID()"}, "End": true})),
        json!({}),
    )
    .await;
    let o = out.output.unwrap();
    let (a, b) = (o["a"].as_str().unwrap(), o["b"].as_str().unwrap());
    assert_eq!(a.len(), 36);
    assert_eq!(&a[14..15], "4");
    assert_ne!(a, b);
}

#[tokio::test]
async fn wait_states_sleep_on_the_injected_clock() {
    let clock = Arc::new(FakeClock::default()); // starts 2026-01-01T00:00:00Z
    let out = run_with(
        json!({"StartAt": "W1", "States": {
            "W1": {"Type": "Wait", "Seconds": 10, "Next": "W2"},
            "W2": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "W3"},
            "W3": {"Type": "Wait", "Timestamp": "2026-01-01T00:01:00Z", "Next": "W4"},
            "W4": {"Type": "Wait", "TimestampPath": "$.at", "OutputPath": "$.delay", "End": true}}}),
        json!({"delay": 5, "at": "2026-01-01T00:01:30+00:00"}),
        TaskRegistry::new(),
        clock.clone(),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    assert_eq!(out.output, Some(json!(5)));
    // 10 s, 5 s, then until 00:01:00 (45 s left), then until 00:01:30 (30 s left).
    let secs: Vec<u64> = clock.sleeps().iter().map(Duration::as_secs).collect();
    assert_eq!(secs, vec![10, 5, 45, 30]);
    let types: Vec<&str> = out.events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types.iter().filter(|t| **t == "WaitStateEntered").count(),
        4
    );
}

#[tokio::test]
async fn timestamp_in_the_past_does_not_wait() {
    let clock = Arc::new(FakeClock::default());
    let out = run_with(
        single(json!({"Type": "Wait", "Timestamp": "2020-01-01T00:00:00Z", "End": true})),
        json!({}),
        TaskRegistry::new(),
        clock.clone(),
    )
    .await;
    assert_eq!(out.status, ExecutionStatus::Succeeded);
    assert_eq!(clock.sleeps(), vec![Duration::ZERO]);
}
