//! Vault writes per second (batches of 1,000 fresh values into a SQLite file) and pure
//! HMAC tokens per second. Run: `cargo bench -p deidentify --bench vault`.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deidentify::{CanonicalForms, Deidentifier, SqliteVault, StaticKeyring, Tokenizer};
use detect::EntityType;

const BATCH: usize = 1_000;

fn tokens(c: &mut Criterion) {
    let keyring = StaticKeyring::generate().unwrap();
    let tokenizer = Tokenizer::from_keyring(&keyring, CanonicalForms::default());
    let values: Vec<String> = (0..BATCH)
        .map(|i| format!("user.{i}@example.com"))
        .collect();
    let mut g = c.benchmark_group("hmac");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("tokens_1000_emails", |b| {
        b.iter(|| {
            for v in &values {
                black_box(tokenizer.token(EntityType::Email, black_box(v)));
            }
        })
    });
    g.finish();
}

fn vault_writes(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(SqliteVault::open(dir.path().join("vault.db")).unwrap());
    let keyring = Arc::new(StaticKeyring::generate().unwrap());
    let d = Deidentifier::new(keyring, vault.clone());
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();

    let mut g = c.benchmark_group("vault");
    g.throughput(Throughput::Elements(BATCH as u64));
    let mut next = 0u64;
    g.bench_function("tokenize_1000_fresh_values_sqlite_file", |b| {
        b.iter(|| {
            let values: Vec<String> = (0..BATCH)
                .map(|_| {
                    next += 1;
                    format!("person{next}@example.com")
                })
                .collect();
            let batch: Vec<(EntityType, &str)> = values
                .iter()
                .map(|v| (EntityType::Email, v.as_str()))
                .collect();
            black_box(rt.block_on(d.tokenize(&batch)).unwrap());
        })
    });
    let known: Vec<String> = (1..=BATCH)
        .map(|i| format!("person{i}@example.com"))
        .collect();
    let known_batch: Vec<(EntityType, &str)> = known
        .iter()
        .map(|v| (EntityType::Email, v.as_str()))
        .collect();
    g.bench_function("tokenize_1000_known_values_cached", |b| {
        b.iter(|| black_box(rt.block_on(d.tokenize(&known_batch)).unwrap()))
    });
    let known_tokens = rt.block_on(d.tokenize(&known_batch)).unwrap();
    g.bench_function("reveal_1000_tokens", |b| {
        b.iter(|| black_box(rt.block_on(d.reveal(&known_tokens)).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, tokens, vault_writes);
criterion_main!(benches);
