use std::io::{BufReader, Read, Write};

use anyhow::Result;
use detect::eval::{GoldExample, Scoreboard, TypeScore, errors, read_gold};
use detect::{PatternDetector, offsets};
use mask::Policy;

use crate::args::EvalArgs;
use crate::exit::DataError;
use crate::input::{open, utf8};

/// Scores the policy's detector on a gold file; reads nothing from the home, writes nothing.
pub fn run(args: EvalArgs) -> Result<()> {
    let (mut reader, _) = open(&args.gold)?;
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    let gold_error = |e: &dyn std::fmt::Display| DataError(format!("{}: {e}", args.gold.display()));
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        utf8(line, Some(i + 1)).map_err(|e| gold_error(&e))?;
    }
    let gold = read_gold(BufReader::new(bytes.as_slice())).map_err(|e| gold_error(&e))?;
    let mut policy = Policy::resolve(&args.policy)?;
    if let Some(t) = args.threshold {
        policy.threshold = Some(t);
    }
    let detector = PatternDetector::new(policy.pattern_config())?;
    let mut board = Scoreboard::default();
    for example in &gold {
        let detections = detector.detect_text(&example.text);
        let predicted: Vec<_> = offsets::to_entities(&example.text, &detections, None)
            .into_iter()
            .map(|e| (e.entity_type.as_str().to_string(), e.begin, e.end))
            .collect();
        if args.show_errors {
            print_errors(example, &predicted);
        }
        board.add(&example.spans, &predicted);
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let report = serde_json::json!({
            "examples": board.examples,
            "policy": policy.name,
            "threshold": detector.config().threshold,
            "types": board.types,
            "total": board.total(),
            "untyped_recall": board.untyped_recall(),
        });
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write_table(&mut out, &board)?;
    }
    Ok(())
}

/// Misses (`-`) and false alarms (`+`) of one example on stderr, gold type first.
fn print_errors(example: &GoldExample, predicted: &[(String, usize, usize)]) {
    let id = example.id.as_deref().unwrap_or("-");
    for e in errors(example, predicted) {
        eprintln!("{id}\t{}\t{}\t{:?}", e.sign, e.entity_type, e.text);
    }
}

fn write_table(out: &mut impl Write, board: &Scoreboard) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<34} {:>5} {:>5}   {:>5} {:>5} {:>5}   {:>5} {:>5} {:>5}",
        "type", "gold", "pred", "P", "R", "F1", "oP", "oR", "oF1"
    )?;
    let row = |out: &mut dyn Write, name: &str, t: &TypeScore| {
        writeln!(
            out,
            "{:<34} {:>5} {:>5}   {:>5.3} {:>5.3} {:>5.3}   {:>5.3} {:>5.3} {:>5.3}",
            name,
            t.gold,
            t.predicted,
            t.exact.precision(),
            t.exact.recall(),
            t.exact.f1(),
            t.overlap.precision(),
            t.overlap.recall(),
            t.overlap.f1()
        )
    };
    for (name, t) in &board.types {
        row(out, name, t)?;
    }
    row(out, "ALL (micro)", &board.total())?;
    writeln!(
        out,
        "untyped recall {:.3} ({} of {} gold spans overlapped by some detection), {} examples",
        board.untyped_recall(),
        board.covered_spans,
        board.gold_spans,
        board.examples
    )
}
