//! Exact-span precision and recall on a generated corpus whose labels come from the
//! generator (independent check-digit code), not from the detector.

use std::collections::HashSet;

use detect::PatternDetector;

use crate::corpus;

#[test]
fn exact_span_f1_on_checksum_validated_types() {
    let corpus = corpus::labeled_corpus(42, 400);
    let detector = PatternDetector::default();
    let gold: HashSet<_> = corpus.labels.iter().copied().collect();
    // The prose between items mentions weekdays and years, which are dates but unlabelled
    // here: only the labelled types are scored.
    let labelled: HashSet<_> = gold.iter().map(|g| g.0).collect();
    let predicted: HashSet<_> = detector
        .detect_text(&corpus.text)
        .into_iter()
        .filter(|d| labelled.contains(&d.entity_type))
        .map(|d| (d.entity_type, d.start, d.end))
        .collect();
    let tp = predicted.intersection(&gold).count() as f64;
    let precision = tp / predicted.len() as f64;
    let recall = tp / gold.len() as f64;
    let f1 = 2.0 * precision * recall / (precision + recall);
    let missed: Vec<_> = gold
        .difference(&predicted)
        .take(5)
        .map(|&(t, s, e)| (t, &corpus.text[s..e]))
        .collect();
    let spurious: Vec<_> = predicted
        .difference(&gold)
        .take(5)
        .map(|&(t, s, e)| (t, &corpus.text[s..e]))
        .collect();
    assert!(
        f1 > 0.9,
        "P={precision:.3} R={recall:.3} F1={f1:.3}; missed {missed:?}; spurious {spurious:?}"
    );
}

#[test]
fn generator_check_digits_agree_with_published_examples() {
    // The generator's own check-digit code, tested against known values.
    assert_eq!(
        corpus::luhn_check_digit(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
        1
    );
    assert_eq!(corpus::verhoeff_check_digit(&[2, 3, 6]), 3);
}
