//! Records per second through the whole pipeline (scan, mask, tokenize into a SQLite
//! vault file). Run: `cargo bench -p service --bench anonymize`.
//!
//! Two workloads: "fresh" records whose every identifier is new (worst case: one vault
//! write per entity), and "mixed" records as a customer table looks (a population of
//! 10,000 people seen again and again, so most tokens are already in the vault).

use std::sync::Arc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use deidentify::{Deidentifier, SqliteVault, StaticKeyring};
use mask::Policy;
use serde_json::{Value, json};
use service::Engine;

const BATCH: usize = 1_024;
const FIRST: &[&str] = &[
    "Olivia", "James", "Sofia", "Wei", "Priya", "Lucas", "Amara", "Noah",
];
const LAST: &[&str] = &[
    "Nguyen", "Wilson", "Garcia", "Zhang", "Sharma", "Müller", "Okafor", "Smith",
];

fn record(i: usize) -> Value {
    let f = FIRST[i % FIRST.len()];
    let l = LAST[(i / 8) % LAST.len()];
    json!({
        "userId": format!("u-{i}"),
        "title": "Ms",
        "firstName": f,
        "lastName": format!("{l}{i}"),
        "email": format!("{}.{}{}@example.com", f.to_lowercase(), l.to_lowercase(), i),
        "mobileNumber": format!("04{:02} {:03} {:03}", i % 100, (i / 100) % 1000, i % 997),
        "address": {
            "postcode": format!("{}", 2000 + i % 800),
            "suburb": "Sydney",
            "state": "NSW",
            "fullAddress": format!("{} George Street, Sydney NSW 2000", 1 + i % 400)
        },
        "notes": "Customer asked about delivery times; no further action needed."
    })
}

fn engine(dir: &std::path::Path) -> Engine {
    let vault = Arc::new(SqliteVault::open(dir.join("vault.db")).unwrap());
    let keyring = Arc::new(StaticKeyring::generate().unwrap());
    let deidentifier = Arc::new(Deidentifier::new(keyring, vault));
    Engine::new(Policy::builtin("default").unwrap(), deidentifier, None).unwrap()
}

fn anonymize(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut g = c.benchmark_group("anonymize_records");
    g.throughput(Throughput::Elements(BATCH as u64));

    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path());
    let population: Vec<Value> = (0..10_000).map(record).collect();
    let mut next = 0usize;
    g.bench_function("mixed_1024_records_population_10k", |b| {
        b.iter_batched(
            || {
                let batch: Vec<Value> = (0..BATCH)
                    .map(|k| population[(next + k * 7919) % population.len()].clone())
                    .collect();
                next += BATCH;
                batch
            },
            |batch| rt.block_on(e.anonymize_records(&batch)).unwrap(),
            BatchSize::SmallInput,
        )
    });

    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path());
    let mut fresh = 1_000_000usize;
    g.bench_function("fresh_1024_records", |b| {
        b.iter_batched(
            || {
                let batch: Vec<Value> = (fresh..fresh + BATCH).map(record).collect();
                fresh += BATCH;
                batch
            },
            |batch| rt.block_on(e.anonymize_records(&batch)).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, anonymize);
criterion_main!(benches);
