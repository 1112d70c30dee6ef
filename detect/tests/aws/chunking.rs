//! Properties of `split` for arbitrary Unicode, with and without whitespace.

use detect::comprehend::{Chunk, ChunkLimits, DEFAULT_BUDGET, split};
use proptest::prelude::*;

fn limits() -> impl Strategy<Value = ChunkLimits> {
    (4usize..300).prop_flat_map(|budget| {
        (0..=budget / 8).prop_map(move |overlap| ChunkLimits::new(budget, overlap).unwrap())
    })
}

fn texts() -> impl Strategy<Value = String> {
    prop_oneof![
        // Arbitrary code points, whitespace included now and then.
        any::<String>(),
        // No whitespace at all: cuts must still land on char boundaries.
        "[^\\s]{0,400}",
        // Multi-byte heavy, with some spaces.
        "[a😀中é \n]{0,600}",
    ]
}

fn check(text: &str, limits: ChunkLimits, chunks: &[Chunk<'_>]) -> Result<(), TestCaseError> {
    if text.is_empty() {
        prop_assert!(chunks.is_empty());
        return Ok(());
    }
    prop_assert_eq!(chunks[0].offset, 0);
    prop_assert_eq!(chunks.last().unwrap().end(), text.len());
    for c in chunks {
        prop_assert!(!c.text.is_empty());
        prop_assert!(
            c.text.len() <= limits.budget(),
            "{} > {}",
            c.text.len(),
            limits.budget()
        );
        prop_assert!(text.is_char_boundary(c.offset) && text.is_char_boundary(c.end()));
        prop_assert_eq!(&text[c.offset..c.end()], c.text);
    }
    for pair in chunks.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        // Progress, and no gap between chunks.
        prop_assert!(a.offset < b.offset && b.offset <= a.end());
        // The overlap: the next chunk starts at least `overlap - 3` bytes (a char's
        // rounding) before the cut and reaches `overlap` bytes past it, so a span of up to
        // `overlap - 3` bytes across the cut lies whole in the next chunk.
        let overlap = limits.overlap();
        prop_assert!(b.offset + overlap <= a.end() + 3, "{a:?} {b:?}");
        prop_assert!(
            b.end() >= (a.end() + overlap).min(text.len()),
            "{a:?} {b:?}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn chunks_cover_the_text_within_budget_on_char_boundaries(
        text in texts(),
        limits in limits(),
    ) {
        let chunks = split(&text, limits);
        check(&text, limits, &chunks)?;
    }
}

#[test]
fn a_large_text_splits_under_the_default_budget_at_whitespace() {
    let text = "lorem 😀 ipsum 中文 dolor sit amet ".repeat(10_000);
    let limits = ChunkLimits::default();
    let chunks = split(&text, limits);
    assert!(chunks.len() >= 4, "{} chunks", chunks.len());
    check(&text, limits, &chunks).unwrap();
    for c in &chunks[..chunks.len() - 1] {
        assert!(c.text.len() > DEFAULT_BUDGET / 2);
        assert!(c.text.ends_with(' '), "cut inside a word at {}", c.end());
    }
    for c in &chunks[1..] {
        assert!(
            text[..c.offset].ends_with(' '),
            "chunk starts inside a word at {}",
            c.offset
        );
    }
}
