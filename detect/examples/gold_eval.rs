//! `piiflow eval`'s scores for the default pattern detector, without building the CLI:
//!
//!     cargo run --release -p detect --example gold_eval -- fixtures/eval/dev.jsonl
//!
//! Prints exact F1 (precision / recall) per type, micro-averaged, and untyped recall.
//! With `PIIFLOW_EVAL_MISSES=1` it also lists the errors like `piiflow eval --show-errors`
//! (`-` missed, `+` false alarm, `~` when it overlaps a span on the other side); use it on
//! dev data only.

use std::io::BufReader;

use detect::PatternDetector;
use detect::eval::{Scoreboard, read_gold};
use detect::offsets::CharIndex;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fixtures/eval/dev.jsonl".into());
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let examples = read_gold(BufReader::new(file)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let detector = PatternDetector::default();
    let mut board = Scoreboard::default();
    let show_misses = std::env::var_os("PIIFLOW_EVAL_MISSES").is_some();
    for example in &examples {
        let mut chars = CharIndex::new(&example.text);
        let predicted: Vec<(String, usize, usize)> = detector
            .detect_text(&example.text)
            .into_iter()
            .map(|d| {
                let start = chars.char_offset(d.start);
                (d.entity_type.to_string(), start, chars.char_offset(d.end))
            })
            .collect();
        if show_misses {
            print_misses(example, &predicted);
        }
        board.add(&example.spans, &predicted);
    }
    println!(
        "{:<40} {:>5} {:>5} {:>6} {:>6} {:>6}",
        "type", "gold", "pred", "P", "R", "F1"
    );
    for (t, s) in &board.types {
        println!(
            "{t:<40} {:>5} {:>5} {:>6.3} {:>6.3} {:>6.3}",
            s.gold,
            s.predicted,
            s.exact.precision(),
            s.exact.recall(),
            s.exact.f1()
        );
    }
    let all = board.total();
    println!(
        "{:<40} {:>5} {:>5} {:>6.3} {:>6.3} {:>6.3}  untyped recall {:.4}, {} examples",
        "all",
        all.gold,
        all.predicted,
        all.exact.precision(),
        all.exact.recall(),
        all.exact.f1(),
        board.untyped_recall(),
        board.examples
    );
}

fn print_misses(example: &detect::eval::GoldExample, predicted: &[(String, usize, usize)]) {
    let id = example.id.as_deref().unwrap_or("-");
    for e in detect::eval::errors(example, predicted) {
        let kind = if e.touches { "~" } else { " " };
        println!("{}{kind} {id} {} {:?}", e.sign, e.entity_type, e.text);
    }
}
