//! The errors behind the scores, for reading on test data: what was missed and what was
//! found that is not there.

use super::GoldExample;

/// One disagreement between the gold spans and the predictions of one example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    /// `-` a gold span no prediction matches exactly, `+` a prediction no gold span does.
    pub sign: char,
    pub entity_type: String,
    pub text: String,
    /// Whether the span shares a character with one on the other side (a boundary or
    /// type error rather than a clean miss or false alarm).
    pub touches: bool,
}

/// The exact-match errors of `predicted` (type, start, end in chars) against `example`,
/// misses first.
pub fn errors(example: &GoldExample, predicted: &[(String, usize, usize)]) -> Vec<EvalError> {
    let chars: Vec<char> = example.text.chars().collect();
    let span = |s: usize, e: usize| {
        chars[s.min(chars.len())..e.min(chars.len())]
            .iter()
            .collect()
    };
    let mut out = Vec::new();
    for g in &example.spans {
        if !predicted
            .iter()
            .any(|(t, s, e)| *t == g.entity_type && *s == g.start && *e == g.end)
        {
            out.push(EvalError {
                sign: '-',
                entity_type: g.entity_type.clone(),
                text: span(g.start, g.end),
                touches: predicted.iter().any(|(_, s, e)| *s < g.end && g.start < *e),
            });
        }
    }
    for (t, s, e) in predicted {
        if !example
            .spans
            .iter()
            .any(|g| g.entity_type == *t && g.start == *s && g.end == *e)
        {
            out.push(EvalError {
                sign: '+',
                entity_type: t.clone(),
                text: span(*s, *e),
                touches: example.spans.iter().any(|g| g.start < *e && *s < g.end),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::GoldSpan;

    #[test]
    fn misses_false_alarms_and_boundary_errors() {
        let example = GoldExample {
            id: None,
            text: "Ana met Bo Li in Oslo".into(),
            spans: vec![
                GoldSpan {
                    start: 0,
                    end: 3,
                    entity_type: "NAME".into(),
                },
                GoldSpan {
                    start: 8,
                    end: 13,
                    entity_type: "NAME".into(),
                },
            ],
        };
        let predicted = vec![
            ("NAME".to_string(), 0, 3),
            ("NAME".to_string(), 8, 10),
            ("ADDRESS".to_string(), 17, 21),
        ];
        let got: Vec<(char, String, bool)> = errors(&example, &predicted)
            .into_iter()
            .map(|e| (e.sign, e.text, e.touches))
            .collect();
        assert_eq!(
            got,
            [
                ('-', "Bo Li".to_string(), true),
                ('+', "Bo".to_string(), true),
                ('+', "Oslo".to_string(), false),
            ]
        );
    }
}
