//! Runs one benchmark workload a few times, for `valgrind --tool=callgrind`, whose
//! instruction counts are repeatable where wall-clock numbers on a shared machine are not:
//!
//!     cargo build --release -p detect --example profile_detection
//!     valgrind --tool=callgrind target/release/examples/profile_detection mixed
//!
//! Workloads: `mixed`, `prose`, `records` (the inputs of `benches/detection.rs`).

use std::hint::black_box;
use std::sync::Arc;

use detect::{PatternDetector, RecordScanner};

#[path = "../tests/support/corpus.rs"]
mod corpus;

fn main() {
    let workload = std::env::args().nth(1).unwrap_or_else(|| "mixed".into());
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let detector = Arc::new(PatternDetector::default());
    match workload.as_str() {
        "mixed" | "prose" => {
            let text = if workload == "mixed" {
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
        "records" => {
            let scanner = RecordScanner::new(detector);
            let records = corpus::records(11, 2000);
            let mut found = 0;
            for _ in 0..runs {
                found = black_box(scanner.scan(black_box(&records)).unwrap()).len();
            }
            println!("records: {found} findings");
        }
        other => panic!("unknown workload {other:?}: mixed, prose or records"),
    }
}
