//! Fuzzing policy parsing by property tests: arbitrary bytes as TOML and as JSON, and
//! policy-shaped TOML with arbitrary values, load or fail with an error, never a panic.
//! Ignored in the normal run; `PIIFLOW_FUZZ_CASES` sets the case count (default 100,000):
//! `PIIFLOW_FUZZ_CASES=1000000 cargo test --release -p mask --test fuzz -- --ignored`.

use mask::Policy;
use proptest::prelude::*;

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

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "\"[a-z_]{0,10}\"",
        "-?[0-9]{1,6}(\\.[0-9]{1,4})?",
        Just("true".to_string()),
        "\\[(\"[A-Z_]{0,8}\", ){0,3}\\]",
        "\".{0,20}\"",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("name".to_string()),
        Just("version".to_string()),
        Just("threshold".to_string()),
        Just("default_action".to_string()),
        Just("allow".to_string()),
        Just("deny".to_string()),
        Just("action".to_string()),
        Just("mask_char".to_string()),
        Just("keep_last".to_string()),
        "[a-z_]{1,12}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    #[ignore = "fuzzing: run with --ignored"]
    fn arbitrary_bytes_never_panic_the_policy_parsers(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Policy::from_toml(&text, "fuzz");
        let _ = Policy::from_json(&text, "fuzz");
    }

    #[test]
    #[ignore = "fuzzing: run with --ignored"]
    fn policy_shaped_toml_never_panics(
        top in proptest::collection::vec((key(), value()), 0..6),
        tables in proptest::collection::vec(("(entities|fields)\\.[A-Za-z_/~0-9]{1,12}", proptest::collection::vec((key(), value()), 0..4)), 0..4),
    ) {
        let mut text = String::new();
        for (k, v) in top {
            text.push_str(&format!("{k} = {v}\n"));
        }
        for (name, entries) in tables {
            text.push_str(&format!("[{name}]\n"));
            for (k, v) in entries {
                text.push_str(&format!("{k} = {v}\n"));
            }
        }
        let _ = Policy::from_toml(&text, "fuzz");
    }
}
