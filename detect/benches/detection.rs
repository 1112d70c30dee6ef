//! Throughput of the pattern detector on realistic mixed text and on JSON records.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use detect::{PatternConfig, PatternDetector, RecordScanner, detect_names_and_places};

#[path = "../tests/support/corpus.rs"]
mod corpus;

/// Best-of-N throughput, printed next to criterion's statistics: on a shared machine the
/// fastest run is the least disturbed estimate of single-core speed.
fn best_of(label: &str, bytes: usize, mut f: impl FnMut()) {
    let best = (0..20)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap();
    eprintln!(
        "{label}: best of 20 runs {:.0} MB/s",
        bytes as f64 / best.as_secs_f64() / 1e6
    );
}

fn text(c: &mut Criterion) {
    let detector = PatternDetector::default();
    let text = corpus::mixed_text(7, 1 << 20);
    let found = detector.detect_text(&text).len();
    eprintln!("mixed text: {} bytes, {found} detections", text.len());
    best_of("detect_text/mixed_1mb", text.len(), || {
        black_box(detector.detect_text(&text));
    });
    let mut group = c.benchmark_group("detect_text");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("mixed_1mb", |b| {
        b.iter(|| black_box(detector.detect_text(black_box(&text))))
    });
    let plain = corpus::prose(&mut corpus::Rng::new(3), 1 << 20);
    group.throughput(Throughput::Bytes(plain.len() as u64));
    group.bench_function("prose_only_1mb", |b| {
        b.iter(|| black_box(detector.detect_text(black_box(&plain))))
    });
    group.finish();
}

fn records(c: &mut Criterion) {
    let scanner = RecordScanner::new(Arc::new(PatternDetector::default()));
    let records = corpus::records(11, 2000);
    let bytes = serde_json::to_vec(&records).unwrap().len();
    eprintln!(
        "records: {bytes} bytes of JSON, {} findings",
        scanner.scan(&records).unwrap().len()
    );
    best_of("scan_records/2000_records", bytes, || {
        black_box(scanner.scan(&records).unwrap());
    });
    let mut group = c.benchmark_group("scan_records");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("2000_records", |b| {
        b.iter(|| black_box(scanner.scan(black_box(&records)).unwrap()))
    });
    group.finish();
}

/// The names-and-places stage alone, and the default detector with and without it.
fn names_and_places(c: &mut Criterion) {
    let text = corpus::mixed_text(7, 1 << 20);
    let with = PatternDetector::default();
    let without = PatternDetector::new(PatternConfig {
        names_and_places: false,
        ..Default::default()
    })
    .unwrap();
    eprintln!(
        "mixed text: {} detections with the stage, {} without",
        with.detect_text(&text).len(),
        without.detect_text(&text).len()
    );
    best_of("names_and_places/stage_alone", text.len(), || {
        black_box(detect_names_and_places(&text));
    });
    best_of("names_and_places/default_detector", text.len(), || {
        black_box(with.detect_text(&text));
    });
    best_of("names_and_places/patterns_only", text.len(), || {
        black_box(without.detect_text(&text));
    });
    let mut group = c.benchmark_group("names_and_places");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("stage_alone_mixed_1mb", |b| {
        b.iter(|| black_box(detect_names_and_places(black_box(&text))))
    });
    group.bench_function("default_detector_mixed_1mb", |b| {
        b.iter(|| black_box(with.detect_text(black_box(&text))))
    });
    group.bench_function("patterns_only_mixed_1mb", |b| {
        b.iter(|| black_box(without.detect_text(black_box(&text))))
    });
    group.finish();
}

/// A policy's 200 custom recognizers (each its own type, with a context word) compiled
/// into the same pass, against the default detector, both without the names stage.
fn custom_recognizers(c: &mut Criterion) {
    let text = corpus::mixed_text(7, 1 << 20);
    let recognizers = corpus::custom_recognizers(200);
    let plain = PatternDetector::new(PatternConfig {
        names_and_places: false,
        ..Default::default()
    })
    .unwrap();
    let custom = PatternDetector::new(PatternConfig {
        names_and_places: false,
        recognizers,
        ..Default::default()
    })
    .unwrap();
    best_of("custom_recognizers/none", text.len(), || {
        black_box(plain.detect_text(&text));
    });
    best_of("custom_recognizers/200", text.len(), || {
        black_box(custom.detect_text(&text));
    });
    let mut group = c.benchmark_group("custom_recognizers");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("200_mixed_1mb", |b| {
        b.iter(|| black_box(custom.detect_text(black_box(&text))))
    });
    group.finish();
}

criterion_group!(benches, text, records, names_and_places, custom_recognizers);
criterion_main!(benches);
