//! The deterministic corpora of `scripts/bench`, written to stdout:
//!
//! cargo run --release -p cli --example bench_corpus -- prose BYTES [SEED]
//! cargo run --release -p cli --example bench_corpus -- records COUNT [SEED]
//!
//! `prose` is support prose with about one PII item per 200 bytes, of many types (the
//! detect crate's benchmark text). `records` are customer records of about 690 bytes as
//! JSONL, each a new customer: its email, phone numbers, card, date of birth and account
//! id appear in no other record, so every one of them is a fresh vault write.

#[path = "../../detect/tests/support/corpus.rs"]
mod corpus;

use std::io::{BufWriter, Write};

use corpus::Rng;

const FIRST: &[&str] = &[
    "Olivia", "James", "Sofia", "Wei", "Priya", "Lucas", "Amara", "Noah", "Chloe", "Mateo",
    "Aisha", "Oliver", "Mia", "Hiroshi", "Fatima", "Liam",
];
const LAST: &[&str] = &[
    "Nguyen", "Wilson", "Garcia", "Zhang", "Sharma", "Okafor", "Smith", "Brown", "Taylor",
    "Kowalski", "Rossi", "Martin", "Kelly", "Singh", "Murphy", "Walker",
];
const STREETS: &[&str] = &[
    "George Street",
    "High Street",
    "Elizabeth Street",
    "Queen Street",
    "Station Road",
    "Church Lane",
];
const SUBURBS: &[(&str, &str, u32)] = &[
    ("Sydney", "NSW", 2000),
    ("Melbourne", "VIC", 3000),
    ("Brisbane", "QLD", 4000),
    ("Perth", "WA", 6000),
    ("Adelaide", "SA", 5000),
    ("Hobart", "TAS", 7000),
];
const ISSUES: &[&str] = &[
    "asked why the last delivery arrived two days late and wants the fee refunded",
    "reported that the invoice total does not match the order confirmation",
    "wants to change the delivery address for all future orders",
    "could not log in after the password reset and asked for a call back",
    "disputed a duplicate charge on the monthly statement",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: bench_corpus (prose BYTES | records COUNT) [SEED]";
    let (Some(kind), Some(size)) = (args.first(), args.get(1).and_then(|s| s.parse().ok())) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(14);
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = match kind.as_str() {
        "prose" => out.write_all(corpus::mixed_text(seed, size).as_bytes()),
        "records" => (|| {
            let mut rng = Rng::new(seed);
            for i in 0..size {
                serde_json::to_writer(&mut out, &record(&mut rng, i))?;
                out.write_all(b"\n")?;
            }
            Ok(())
        })(),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        eprintln!("bench_corpus: {e}");
        std::process::exit(1);
    }
}

/// Customer `i`: identifiers derived from `i` (unique), the rest from `rng`.
fn record(rng: &mut Rng, i: usize) -> serde_json::Value {
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    let (suburb, state, postcode) = rng.pick(SUBURBS);
    // A bijection of i on 8 digits, so mobile numbers do not repeat (below 10^8 records).
    let mobile = (i as u64).wrapping_mul(48_271) % 100_000_000;
    let landline = (i as u64).wrapping_mul(69_621) % 100_000_000;
    let mobile = format!(
        "04{:02} {:03} {:03}",
        mobile / 1_000_000,
        mobile / 1000 % 1000,
        mobile % 1000
    );
    let email = format!(
        "{}.{}{}@example.com",
        first.to_lowercase(),
        last.to_lowercase(),
        i
    );
    let notes = format!(
        "{first} {last} called on {:02}/{:02}/2024 and {}. Paid with card {}; call back on \
         (02) {:04} {:04} or write to {}. {}",
        1 + rng.below(28),
        1 + rng.below(12),
        rng.pick(ISSUES),
        corpus::card(rng),
        landline / 10_000,
        landline % 10_000,
        corpus::email(rng),
        corpus::prose(rng, 130).trim_end(),
    );
    serde_json::json!({
        "customerId": format!("C-{i:08}"),
        "title": if rng.below(2) == 0 { "Ms" } else { "Mr" },
        "firstName": first,
        "lastName": last,
        "email": email,
        "mobileNumber": mobile,
        "dateOfBirth": format!("{}-{:02}-{:02}", 1950 + rng.below(55), 1 + rng.below(12), 1 + rng.below(28)),
        "address": {
            "street": format!("{} {}", 1 + rng.below(400), rng.pick(STREETS)),
            "suburb": suburb,
            "state": state,
            "postcode": postcode.to_string(),
        },
        "account": {"plan": "standard", "createdAt": "2021-05-03", "balance": (rng.below(100_000) as f64) / 100.0},
        "notes": notes,
    })
}
