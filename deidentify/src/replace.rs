//! Splicing tokens into a text in place of the spans they stand for.

/// Why spans could not be applied. Offsets only: the text may hold originals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("span {start}..{end} is out of bounds or not on character boundaries")]
    OutOfBounds { start: usize, end: usize },
    #[error("span {start}..{end} overlaps the span before it")]
    Overlap { start: usize, end: usize },
}

/// Replaces each byte span `start..end` of `text` with its replacement. Spans may come
/// in any order but must not overlap. Note that a token is only findable again by
/// `find_tokens` where it is not glued to ASCII letters, digits or `_`.
pub fn replace_spans<S: AsRef<str>>(
    text: &str,
    spans: &[(usize, usize, S)],
) -> Result<String, SpanError> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].0, spans[i].1));
    let extra: usize = spans.iter().map(|s| s.2.as_ref().len()).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut at = 0;
    for i in order {
        let (start, end, ref with) = spans[i];
        if start > end || text.get(start..end).is_none() {
            return Err(SpanError::OutOfBounds { start, end });
        }
        if start < at {
            return Err(SpanError::Overlap { start, end });
        }
        out.push_str(&text[at..start]);
        out.push_str(with.as_ref());
        at = end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_spans_in_any_order() {
        let text = "mail jane@x.io or call 555-0100 ✓";
        let spans = [(23, 31, "PHONE_T"), (5, 14, "EMAIL_T")];
        assert_eq!(
            replace_spans(text, &spans).unwrap(),
            "mail EMAIL_T or call PHONE_T ✓"
        );
        assert_eq!(replace_spans::<&str>(text, &[]).unwrap(), text);
    }

    #[test]
    fn rejects_overlaps_and_bad_offsets() {
        let text = "héllo";
        assert_eq!(
            replace_spans(text, &[(0, 3, "x"), (1, 4, "y")]),
            Err(SpanError::Overlap { start: 1, end: 4 })
        );
        assert!(matches!(
            replace_spans(text, &[(0, 2, "x")]),
            Err(SpanError::OutOfBounds { .. })
        ));
        assert!(matches!(
            replace_spans(text, &[(3, 99, "x")]),
            Err(SpanError::OutOfBounds { .. })
        ));
        assert!(matches!(
            replace_spans(text, &[(4, 3, "x")]),
            Err(SpanError::OutOfBounds { .. })
        ));
    }
}
