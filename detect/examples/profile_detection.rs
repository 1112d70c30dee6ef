//! Runs one benchmark workload a few times, for `valgrind --tool=callgrind`, whose
//! instruction counts are repeatable where wall-clock numbers on a shared machine are not:
//!
//!     cargo build --release -p detect --example profile_detection
//!     valgrind --tool=callgrind target/release/examples/profile_detection mixed
//!
//! Workloads: `mixed`, `prose`, `records` (the inputs of `benches/detection.rs`),
//! `custom200`: `mixed` with a policy's 200 custom recognizers, and `file PATH`: one text
//! file read as a whole (for example `scripts/bench`'s prose).

use std::hint::black_box;
use std::sync::Arc;

use detect::{PatternConfig, PatternDetector, RecordScanner};

#[path = "../tests/support/corpus.rs"]
mod corpus;

fn main() {
    let workload = std::env::args().nth(1).unwrap_or_else(|| "mixed".into());
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let detector = Arc::new(if workload == "custom200" {
        PatternDetector::new(PatternConfig {
            recognizers: corpus::custom_recognizers(200),
            ..Default::default()
        })
        .expect("the recognizers compile")
    } else {
        PatternDetector::default()
    });
    match workload.as_str() {
        "mixed" | "prose" | "custom200" => {
            let text = if workload != "prose" {
                corpus::mixed_text(7, 1 << 20)
            } else {
                corpus::prose(&mut corpus::Rng::new(3), 1 << 20)
            };
            let mut found = 0;
            for _ in 0..runs {
                found = black_box(detector.detect_text(black_box(&text))).len();
            }
            println!("{workload}: {} bytes, {found} detections", text.len());
        }
        "file" => {
            let path = std::env::args().nth(2).expect("file PATH");
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let all = black_box(detector.detect_text(black_box(&text)));
            if std::env::var_os("PRINT").is_some() {
                for d in &all {
                    println!("{} {:?}", d.entity_type, &text[d.start..d.end]);
                }
            }
            let found = all.len();
            println!("{path}: {} bytes, {found} detections", text.len());
        }
        "records" => {
            let scanner = RecordScanner::new(detector);
            let records = corpus::records(11, 2000);
            let mut found = 0;
            for _ in 0..runs {
                found = black_box(scanner.scan(black_box(&records)).unwrap()).len();
            }
            println!("records: {found} findings");
        }
        other => panic!("unknown workload {other:?}: mixed, prose, records, custom200 or file"),
    }
}
