//! Fuzzing the strict ASL loader by property tests: arbitrary bytes, and the shipped
//! definitions with one JSON value replaced anywhere, load or fail with an error, never a
//! panic. Ignored in the normal run; `PIIFLOW_FUZZ_CASES` sets the case count (default
//! 100,000): `PIIFLOW_FUZZ_CASES=1000000 cargo test --release -p statemachine --test fuzz -- --ignored`.

use proptest::prelude::*;
use serde_json::Value;
use statemachine::{DOCUMENTS_ASL, StateMachine, local_substitutions};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PIIFLOW_FUZZ_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100_000),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every JSON Pointer of `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        _ => {}
    }
}

fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::from),
        prop_oneof![
            Just("$"),
            Just("$."),
            Just("$$"),
            Just("States.Format('{}', $.x)"),
            Just("$.a[0]")
        ]
        .prop_map(Value::from),
        Just(serde_json::json!({})),
        Just(serde_json::json!([])),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    #[ignore = "fuzzing: run with --ignored"]
    fn arbitrary_bytes_never_panic_the_loader(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = StateMachine::from_json(&text, &local_substitutions());
    }

    #[test]
    #[ignore = "fuzzing: run with --ignored"]
    fn mutated_definitions_never_panic_the_loader(pick in any::<prop::sample::Index>(), with in replacement()) {
        let mut doc: Value = serde_json::from_str(DOCUMENTS_ASL).unwrap();
        let mut all = Vec::new();
        pointers(&doc, String::new(), &mut all);
        let at = &all[pick.index(all.len())];
        *doc.pointer_mut(at).unwrap() = with;
        let _ = StateMachine::from_json(&doc.to_string(), &local_substitutions());
    }
}
