//! Every Choice operator, each with a matching and a non-matching input.

use crate::util::run;
use serde_json::{Value, json};

fn machine(rule: Value) -> Value {
    let mut rule = rule;
    rule["Next"] = json!("Yes");
    json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [rule], "Default": "No"},
        "Yes": {"Type": "Pass", "Result": "yes", "End": true},
        "No": {"Type": "Pass", "Result": "no", "End": true}}})
}

/// (rule, input, expected branch)
fn table() -> Vec<(Value, Value, &'static str)> {
    let v = |op: &str, operand: Value| {
        let mut r = json!({"Variable": "$.v"});
        r[op] = operand;
        r
    };
    vec![
        (v("StringEquals", json!("a")), json!({"v": "a"}), "yes"),
        (v("StringEquals", json!("a")), json!({"v": "b"}), "no"),
        (v("StringEquals", json!("1")), json!({"v": 1}), "no"),
        (v("StringLessThan", json!("b")), json!({"v": "a"}), "yes"),
        (v("StringLessThan", json!("b")), json!({"v": "b"}), "no"),
        (v("StringGreaterThan", json!("b")), json!({"v": "c"}), "yes"),
        (
            v("StringLessThanEquals", json!("b")),
            json!({"v": "b"}),
            "yes",
        ),
        (
            v("StringGreaterThanEquals", json!("b")),
            json!({"v": "a"}),
            "no",
        ),
        (
            v("StringMatches", json!("*.pdf")),
            json!({"v": "doc.pdf"}),
            "yes",
        ),
        (
            v("StringMatches", json!("*.pdf")),
            json!({"v": "doc.txt"}),
            "no",
        ),
        (
            v("StringEqualsPath", json!("$.w")),
            json!({"v": "a", "w": "a"}),
            "yes",
        ),
        (v("NumericEquals", json!(2)), json!({"v": 2.0}), "yes"),
        (v("NumericEquals", json!(2)), json!({"v": "2"}), "no"),
        (v("NumericLessThan", json!(2)), json!({"v": 1.5}), "yes"),
        (v("NumericGreaterThan", json!(0)), json!({"v": 0}), "no"),
        (v("NumericGreaterThan", json!(0)), json!({"v": 3}), "yes"),
        (v("NumericLessThanEquals", json!(2)), json!({"v": 2}), "yes"),
        (
            v("NumericGreaterThanEquals", json!(2)),
            json!({"v": 1}),
            "no",
        ),
        (
            v("NumericLessThanPath", json!("$.w")),
            json!({"v": 1, "w": 2}),
            "yes",
        ),
        (
            v("NumericGreaterThanEqualsPath", json!("$.w")),
            json!({"v": 1, "w": 2}),
            "no",
        ),
        (v("BooleanEquals", json!(true)), json!({"v": true}), "yes"),
        (v("BooleanEquals", json!(true)), json!({"v": "true"}), "no"),
        (
            v("BooleanEqualsPath", json!("$.w")),
            json!({"v": false, "w": false}),
            "yes",
        ),
        (
            v("TimestampLessThan", json!("2026-01-01T00:00:00Z")),
            json!({"v": "2025-12-31T23:59:59Z"}),
            "yes",
        ),
        (
            v("TimestampEquals", json!("2026-01-01T00:00:00Z")),
            json!({"v": "2026-01-01T01:00:00+01:00"}),
            "yes",
        ),
        (v("IsNull", json!(true)), json!({"v": null}), "yes"),
        (v("IsNull", json!(true)), json!({"v": 0}), "no"),
        (v("IsPresent", json!(true)), json!({"v": null}), "yes"),
        (v("IsPresent", json!(true)), json!({}), "no"),
        (v("IsPresent", json!(false)), json!({}), "yes"),
        (v("IsString", json!(true)), json!({"v": "s"}), "yes"),
        (v("IsString", json!(false)), json!({"v": "s"}), "no"),
        (v("IsNumeric", json!(true)), json!({"v": 1}), "yes"),
        (v("IsBoolean", json!(true)), json!({"v": 1}), "no"),
        (
            v("IsTimestamp", json!(true)),
            json!({"v": "2026-01-01T00:00:00Z"}),
            "yes",
        ),
        (
            json!({"And": [{"Variable": "$.a", "NumericGreaterThan": 1}, {"Variable": "$.b", "StringEquals": "x"}]}),
            json!({"a": 2, "b": "x"}),
            "yes",
        ),
        (
            json!({"And": [{"Variable": "$.a", "NumericGreaterThan": 1}, {"Variable": "$.b", "StringEquals": "x"}]}),
            json!({"a": 2, "b": "y"}),
            "no",
        ),
        (
            json!({"Or": [{"Variable": "$.a", "NumericGreaterThan": 1}, {"Variable": "$.b", "StringEquals": "x"}]}),
            json!({"a": 0, "b": "x"}),
            "yes",
        ),
        (
            json!({"Not": {"Variable": "$.a", "IsNull": true}}),
            json!({"a": 1}),
            "yes",
        ),
        (
            json!({"Not": {"Or": [{"Variable": "$.a", "IsPresent": false}, {"Variable": "$.a", "IsNull": true}]}}),
            json!({"a": null}),
            "no",
        ),
    ]
}

#[tokio::test]
async fn choice_operators() {
    let mut failures = Vec::new();
    for (rule, input, expected) in table() {
        let out = run(machine(rule.clone()), input.clone()).await;
        if out.output != Some(json!(expected)) {
            failures.push(format!(
                "{rule} on {input}: expected {expected}, got {:?} {:?}",
                out.output, out.error
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn first_matching_choice_wins() {
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
            {"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Small"}]},
        "Big": {"Type": "Pass", "Result": "big", "End": true},
        "Small": {"Type": "Pass", "Result": "small", "End": true}}});
    assert_eq!(
        run(def.clone(), json!({"n": 50})).await.output,
        Some(json!("big"))
    );
    assert_eq!(run(def, json!({"n": 5})).await.output, Some(json!("small")));
}
