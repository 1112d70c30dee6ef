//! Exact-span precision, recall and F1 of the structured types on a hand-labelled file:
//!
//!     cargo run -p detect --example structured_eval -- fixtures/structured/dev.txt [-v]
//!
//! `-v` also lists every miss and false alarm.

use detect::PatternDetector;

#[path = "../tests/support/labelled.rs"]
mod labelled;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "fixtures/structured/dev.txt".into());
    let verbose = args.any(|a| a == "-v");
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let examples = labelled::parse(&source);
    let score = labelled::score(&PatternDetector::default(), &examples);
    println!(
        "{:<36} {:>4} {:>4} {:>4} {:>6}",
        "type", "tp", "fp", "fn", "F1"
    );
    for (t, c) in &score.per_type {
        println!(
            "{:<36} {:>4} {:>4} {:>4} {:>6.3}",
            t.as_str(),
            c.tp,
            c.fp,
            c.fn_,
            c.f1()
        );
    }
    let total = score.total();
    let precision = total.tp as f64 / (total.tp + total.fp).max(1) as f64;
    let recall = total.tp as f64 / (total.tp + total.fn_).max(1) as f64;
    println!(
        "{:<36} {:>4} {:>4} {:>4} {:>6.3}  (P {precision:.3}, R {recall:.3}, {} examples)",
        "all structured",
        total.tp,
        total.fp,
        total.fn_,
        total.f1(),
        examples.len()
    );
    if verbose {
        for e in &score.errors {
            println!("{e}");
        }
    }
}
