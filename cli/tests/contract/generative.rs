//! Random text, JSON and JSONL through `detect` and `anonymize` in each mode, against the
//! real binary: no panic, only the exit codes the contract documents for bad data, and no
//! original of a structured entity that `detect` reported survives `anonymize`.
//!
//! A seeded generator (the seed is printed with every failure): a short run in the test
//! suite, and an ignored long run for `PIIFLOW_GEN_MINUTES` minutes:
//! `PIIFLOW_GEN_MINUTES=10 cargo test -p cli --test contract generative -- --ignored`.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::Home;
use crate::table::load;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const FRAGMENTS: &[&str] = &[
    "jane.doe@example.com",
    "john.smith+tag@mail.example.org",
    "+1 415-555-0132",
    "(02) 9374 4000",
    "4111 1111 1111 1111",
    "5500-0000-0000-0004",
    "536-22-8726",
    "GB82 WEST 1234 5698 7654 32",
    "DE89 3704 0044 0532 0130 00",
    "192.168.10.20",
    "2001:db8::8a2e:370:7334",
    "https://example.com/a?b=c",
    "00:1A:2B:3C:4D:5E",
    "Mr John Smith",
    "12 Main Street, Springfield",
    "1985-04-12",
    "order 1234-5678",
    "10.0.0.1.2",
];

const FIELDS: &[&str] = &[
    "email",
    "mobileNumber",
    "notes",
    "firstName",
    "ssn",
    "iban",
    "x",
    "ip",
    "address",
];

fn char_from(rng: &mut Rng) -> char {
    let ranges: [(u32, u32); 7] = [
        (0x20, 0x7e),
        (0xa0, 0x17f),
        (0x391, 0x3c9),
        (0x4e00, 0x4e80),
        (0x1f600, 0x1f64f),
        (0x300, 0x36f),
        (0x9, 0xa),
    ];
    let (lo, hi) = ranges[rng.below(ranges.len())];
    char::from_u32(lo + rng.below((hi - lo + 1) as usize) as u32).unwrap_or('x')
}

fn text(rng: &mut Rng, max_pieces: usize) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(max_pieces) + 1 {
        if rng.chance(40) {
            s.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]);
        } else {
            for _ in 0..rng.below(12) {
                s.push(char_from(rng));
            }
        }
        s.push(if rng.chance(15) { '\n' } else { ' ' });
    }
    s
}

fn value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 5 { 4 } else { 7 }) {
        0 | 1 => Value::String(text(rng, 4)),
        2 => json!(rng.below(1_000_000_000) as u64),
        3 => [Value::Null, json!(true), json!(1.5)][rng.below(3)].clone(),
        4 | 5 => {
            let mut m = serde_json::Map::new();
            for _ in 0..rng.below(5) {
                m.insert(
                    FIELDS[rng.below(FIELDS.len())].to_string(),
                    value(rng, depth + 1),
                );
            }
            Value::Object(m)
        }
        _ => Value::Array((0..rng.below(4)).map(|_| value(rng, depth + 1)).collect()),
    }
}

/// Bytes in one of the three formats, now and then damaged: a flipped byte, a cut, a
/// nesting far too deep.
fn input(rng: &mut Rng, mode: &str) -> Vec<u8> {
    let mut bytes = match mode {
        "text" => text(rng, 30).into_bytes(),
        "json" => value(rng, 0).to_string().into_bytes(),
        _ => (0..rng.below(6))
            .map(|_| value(rng, 0).to_string() + "\n")
            .collect::<String>()
            .into_bytes(),
    };
    if mode != "text" && rng.chance(5) {
        let n = 200 + rng.below(300);
        bytes = format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes();
    }
    if !bytes.is_empty() && rng.chance(10) {
        let at = rng.below(bytes.len());
        bytes[at] ^= 1 << rng.below(8);
    }
    if !bytes.is_empty() && rng.chance(5) {
        bytes.truncate(rng.below(bytes.len()));
    }
    bytes
}

/// Types whose values have a fixed shape (not names, places or dates), checked for
/// survival.
const STRUCTURED: &[&str] = &[
    "EMAIL",
    "PHONE",
    "CREDIT_DEBIT_NUMBER",
    "SSN",
    "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
    "IP_ADDRESS",
    "URL",
    "MAC_ADDRESS",
];

/// The originals of the structured entities `detect` reported, from its output.
fn originals(mode: &str, input: &str, detected: &str) -> Vec<String> {
    let slice = |s: &str, e: &Value| -> Option<String> {
        let (b, en) = (e["begin"].as_u64()? as usize, e["end"].as_u64()? as usize);
        Some(s.chars().skip(b).take(en.saturating_sub(b)).collect())
    };
    let mut out = Vec::new();
    let mut take = |record: Option<&Value>, entities: &Value| {
        for e in entities.as_array().into_iter().flatten() {
            if !STRUCTURED.contains(&e["type"].as_str().unwrap_or_default()) {
                continue;
            }
            let original = match record {
                None => slice(input, e),
                Some(r) => e["path"]
                    .as_str()
                    .and_then(|p| r.pointer(p))
                    .and_then(Value::as_str)
                    .and_then(|s| slice(s, e)),
            };
            // A value of token characters only could be part of a token by chance.
            if let Some(o) = original.filter(|o| {
                o.chars().count() >= 6
                    && !o
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c) || c == '_')
            }) {
                out.push(o);
            }
        }
    };
    match mode {
        "text" => take(None, &serde_json::from_str(detected).unwrap()),
        "json" => {
            let record: Value = serde_json::from_str(input).unwrap();
            take(Some(&record), &serde_json::from_str(detected).unwrap());
        }
        _ => {
            let records = input.lines().filter(|l| !l.trim().is_empty());
            for (line, entities) in records.zip(detected.lines()) {
                let record: Value = serde_json::from_str(line).unwrap();
                take(Some(&record), &serde_json::from_str(entities).unwrap());
            }
        }
    }
    out
}

/// Every string of every JSON document in `json` (one, or one per line), each on its own.
fn decoded(json: &str) -> String {
    fn walk(v: &Value, out: &mut String) {
        match v {
            Value::String(s) => {
                out.push_str(s);
                out.push('\u{0}');
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    let documents = serde_json::Deserializer::from_str(json).into_iter::<Value>();
    for v in documents.map_while(Result::ok) {
        walk(&v, &mut out);
    }
    out
}

/// One input through detect and anonymize; `Err` says what broke.
fn check(home: &Home, mode: &str, bytes: &[u8], documented: &[i32]) -> Result<(), String> {
    let detect = home.run_stdin(
        &["detect", "--policy", "tokenize-all", "--format", mode, "-"],
        bytes,
    );
    let anonymize = home.run_stdin(
        &[
            "anonymize",
            "--policy",
            "tokenize-all",
            "--format",
            mode,
            "-",
        ],
        bytes,
    );
    for (name, out) in [("detect", &detect), ("anonymize", &anonymize)] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        if code.is_none_or(|c| !documented.contains(&c)) || stderr.contains("panicked") {
            return Err(format!("{name} --format {mode}: exit {code:?}: {stderr}"));
        }
        // Bad data is the only failure these inputs can cause.
        if code != Some(0) && code != Some(65) {
            return Err(format!("{name} --format {mode}: exit {code:?}: {stderr}"));
        }
    }
    if detect.status.code() != anonymize.status.code() {
        return Err(format!(
            "--format {mode}: detect exits {:?}, anonymize {:?}: {} / {}",
            detect.status.code(),
            anonymize.status.code(),
            String::from_utf8_lossy(&detect.stderr),
            String::from_utf8_lossy(&anonymize.stderr)
        ));
    }
    if anonymize.status.success() {
        let input =
            std::str::from_utf8(bytes).map_err(|e| format!("accepted invalid UTF-8: {e}"))?;
        let output = String::from_utf8_lossy(&anonymize.stdout);
        let found = originals(mode, input, &String::from_utf8_lossy(&detect.stdout));
        // Records are compared by their decoded strings, not their escaped JSON.
        let (input, output) = match mode {
            "text" => (input.to_string(), output.into_owned()),
            _ => (decoded(input), decoded(&output)),
        };
        // Each detected occurrence must be gone; the same value may also stand where it was
        // not detected, and those occurrences may stay.
        for original in &found {
            let detected = found.iter().filter(|o| *o == original).count();
            let before = input.matches(original.as_str()).count();
            let after = output.matches(original.as_str()).count();
            if after + detected > before {
                return Err(format!(
                    "--format {mode}: a detected value of {} bytes survived anonymize \
                     ({before} in the input, {detected} detected, {after} in the output)",
                    original.len()
                ));
            }
        }
    }
    Ok(())
}

fn run_for(seed: u64, cases: Option<usize>, budget: Duration) {
    let documented: Vec<i32> = load().exit_code.iter().map(|e| e.code).collect();
    let home = Home::with_test_keys();
    let start = Instant::now();
    let mut rng = Rng(seed | 1);
    let mut done = 0;
    while cases.is_none_or(|n| done < n) && start.elapsed() < budget {
        for mode in ["text", "json", "jsonl"] {
            let case_seed = rng.next();
            let bytes = input(&mut Rng(case_seed | 1), mode);
            if let Err(e) = check(&home, mode, &bytes, &documented) {
                panic!(
                    "case seed {case_seed:#x} (run seed {seed:#x}): {e}\ninput: {:?}",
                    String::from_utf8_lossy(&bytes)
                );
            }
        }
        done += 1;
    }
    assert!(done > 0);
    eprintln!("generative: {done} cases per mode in {:?}", start.elapsed());
}

fn seed() -> u64 {
    std::env::var("PIIFLOW_GEN_SEED")
        .ok()
        .and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok())
        .unwrap_or(0x5eed_0017)
}

#[test]
fn generative_short() {
    run_for(seed(), Some(60), Duration::from_secs(600));
}

#[test]
#[ignore = "long run: PIIFLOW_GEN_MINUTES (default 10)"]
fn generative_long() {
    let minutes: u64 = std::env::var("PIIFLOW_GEN_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(10);
    let seed = std::env::var("PIIFLOW_GEN_SEED").map_or_else(
        |_| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        },
        |_| seed(),
    );
    run_for(seed, None, Duration::from_secs(minutes * 60));
}
