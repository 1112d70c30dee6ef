use std::time::Instant;
use regex_automata::{meta::Regex, Input};
#[path = "../tests/support/corpus.rs"]
mod corpus;

fn best<F: FnMut() -> usize>(mut f: F) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..15 {
        let t = Instant::now();
        n = f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, n)
}

fn time(name: &str, re: &Regex, text: &str) {
    let (el, n) = best(|| re.find_iter(Input::new(text)).count());
    println!("{name:30} {:8.1} MB/s  matches {}", text.len() as f64 / el / 1e6, n);
}

fn main() {
    let srcs = detect::shape_sources();
    let text = corpus::mixed_text(7, 1 << 20);
    let prose = corpus::prose(&mut corpus::Rng::new(3), 1 << 20);
    let all: Vec<&str> = srcs.iter().map(|(_, s)| s.as_str()).collect();
    let re = Regex::new_many(&all).unwrap();
    time("all mixed", &re, &text);
    time("all prose", &re, &prose);
    let det = detect::PatternDetector::default();
    let (el, n) = best(|| det.detect_text(&text).len());
    println!("detect_text mixed {:8.1} MB/s  detections {}", text.len() as f64 / el / 1e6, n);
    let (el, n) = best(|| det.detect_text(&prose).len());
    println!("detect_text prose {:8.1} MB/s  detections {}", prose.len() as f64 / el / 1e6, n);
    if std::env::args().nth(1).as_deref() == Some("-v") {
        for (i, (name, _)) in srcs.iter().enumerate() {
            let without: Vec<&str> = srcs.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, (_, s))| s.as_str()).collect();
            let re = Regex::new_many(&without).unwrap();
            time(&format!("without {name}"), &re, &text);
        }
    }
}
