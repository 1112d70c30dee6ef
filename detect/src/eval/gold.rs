use std::io::BufRead;

use serde::Deserialize;

/// One labeled example.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GoldExample {
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
    #[serde(default)]
    pub spans: Vec<GoldSpan>,
}

/// A labeled span in Unicode code points, end exclusive. The type is kept as written, so
/// gold files may use types no detector here produces (they count as misses).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GoldSpan {
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub entity_type: String,
}

#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    #[error("line {line}: {source}")]
    Read { line: usize, source: std::io::Error },
    #[error("line {line}: invalid gold example: {source}")]
    Json {
        line: usize,
        source: serde_json::Error,
    },
    #[error("line {line}: span {start}..{end} is outside the text ({chars} characters)")]
    SpanOutOfRange {
        line: usize,
        start: usize,
        end: usize,
        chars: usize,
    },
    #[error("no examples in the gold file")]
    Empty,
}

/// Reads a gold JSONL stream, checking that every span lies inside its text. Blank lines
/// are skipped.
pub fn read_gold(reader: impl BufRead) -> Result<Vec<GoldExample>, GoldError> {
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line_no = i + 1;
        let line = line.map_err(|source| GoldError::Read {
            line: line_no,
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let example: GoldExample =
            serde_json::from_str(&line).map_err(|source| GoldError::Json {
                line: line_no,
                source,
            })?;
        let chars = example.text.chars().count();
        if let Some(s) = example
            .spans
            .iter()
            .find(|s| s.start >= s.end || s.end > chars)
        {
            return Err(GoldError::SpanOutOfRange {
                line: line_no,
                start: s.start,
                end: s.end,
                chars,
            });
        }
        out.push(example);
    }
    if out.is_empty() {
        return Err(GoldError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_examples_and_skips_blank_lines() {
        let src = "{\"id\":\"a\",\"text\":\"Hi Ann\",\"spans\":[{\"start\":3,\"end\":6,\"type\":\"NAME\"}]}\n\n{\"text\":\"none\"}\n";
        let gold = read_gold(src.as_bytes()).unwrap();
        assert_eq!(gold.len(), 2);
        assert_eq!(gold[0].spans[0].entity_type, "NAME");
        assert!(gold[1].spans.is_empty());
    }

    #[test]
    fn rejects_spans_past_the_text_with_the_line() {
        let src = "{\"text\":\"héllo\",\"spans\":[{\"start\":0,\"end\":6,\"type\":\"NAME\"}]}";
        let err = read_gold(src.as_bytes()).unwrap_err();
        assert!(
            matches!(
                err,
                GoldError::SpanOutOfRange {
                    line: 1,
                    chars: 5,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn malformed_lines_and_empty_files_are_errors() {
        assert!(matches!(
            read_gold("{\"text\":1}".as_bytes()),
            Err(GoldError::Json { line: 1, .. })
        ));
        assert!(matches!(read_gold("\n".as_bytes()), Err(GoldError::Empty)));
    }
}
