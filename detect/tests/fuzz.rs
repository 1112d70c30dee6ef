//! Fuzzing by property tests over arbitrary bytes: text detection and the record walker
//! never panic, and every span lies on character boundaries inside its text. Ignored in the
//! normal run; `PIIFLOW_FUZZ_CASES` sets the case count (default 200,000):
//! `PIIFLOW_FUZZ_CASES=1000000 cargo test --release -p detect --test fuzz -- --ignored`.

use std::sync::{Arc, OnceLock};

use detect::{Detection, PatternDetector, RecordScanner};
use proptest::prelude::*;
use serde_json::Value;

fn detector() -> &'static Arc<PatternDetector> {
    static D: OnceLock<Arc<PatternDetector>> = OnceLock::new();
    D.get_or_init(|| Arc::new(PatternDetector::default()))
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PIIFLOW_FUZZ_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(200_000),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn check_spans(text: &str, detections: &[Detection]) {
    let mut last_end = 0;
    for d in detections {
        assert!(
            d.start < d.end && d.end <= text.len(),
            "{d:?} in {} bytes",
            text.len()
        );
        assert!(
            text.is_char_boundary(d.start) && text.is_char_boundary(d.end),
            "{d:?}"
        );
        assert!(d.start >= last_end, "overlapping spans: {detections:?}");
        last_end = d.end;
    }
}

/// Text shaped like what detection looks for: digits, separators, @, dots, letters,
/// non-ASCII and control characters, more often than uniform bytes would give them.
fn texty() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            any::<char>(),
            proptest::char::range('0', '9'),
            Just('@'),
            Just('.'),
            Just('-'),
            Just(' '),
            Just('+'),
            proptest::char::range('a', 'z'),
            proptest::char::range('A', 'Z'),
        ],
        0..400,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

/// JSON values whose strings are arbitrary text, nested a few levels.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        texty().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::from),
            proptest::collection::btree_map(texty(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    #[ignore = "fuzzing: run with --ignored"]
    fn text_detection_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let text = String::from_utf8_lossy(&bytes);
        check_spans(&text, &detector().detect_text(&text));
    }

    #[test]
    #[ignore = "fuzzing: run with --ignored"]
    fn text_detection_on_text_shaped_input(text in texty()) {
        check_spans(&text, &detector().detect_text(&text));
    }

    #[test]
    #[ignore = "fuzzing: run with --ignored"]
    fn the_record_walker_on_arbitrary_records(record in json()) {
        let scanner = RecordScanner::new(detector().clone());
        for finding in scanner.scan(&record).unwrap() {
            let value = record.pointer(&finding.path).unwrap_or_else(|| panic!("{} not in the record", finding.path));
            // Numbers are scanned in their own rendering; strings must match exactly.
            if let Value::String(text) = value {
                check_spans(text, &finding.detections);
            }
        }
    }

    #[test]
    #[ignore = "fuzzing: run with --ignored"]
    fn the_record_walker_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        if let Ok(record) = serde_json::from_slice::<Value>(&bytes) {
            let scanner = RecordScanner::new(detector().clone());
            let _ = scanner.scan(&record);
        }
    }
}
