use serde::{Deserialize, Serialize};

use super::Validator;
use crate::EntityType;

/// One custom recognizer, as a policy declares it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recognizer {
    /// Names the recognizer in errors.
    pub name: String,
    /// A Comprehend type (`PASSPORT_NUMBER`) or a custom one (`EMPLOYEE_ID`): upper-case
    /// words joined by `_`. Kept as written until [`Recognizer::entity_type`], so that a
    /// bad name is reported as this recognizer's `type`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// The value's regex. A group named `value` narrows the reported span to it
    /// (`EMP[- ](?P<value>[0-9]{6})`). `\b` is an ASCII word boundary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// More regexes for the same recognizer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validator: Option<Validator>,
    /// Words near a match (five before, a few after) that add 0.35 to its score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
    /// The score of a match without context words; a passed `validator` scores 1.0.
    #[serde(default = "default_score")]
    pub score: f32,
    /// Exact strings always reported as this type, wherever they occur.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<String>,
    /// Exact matches this recognizer never reports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
}

fn default_score() -> f32 {
    0.6
}

/// What is wrong with one field of one recognizer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("recognizer {recognizer:?}: {field}: {message}")]
pub struct RecognizerError {
    pub recognizer: String,
    /// The field, as written in a policy (`pattern`, `patterns[2]`, `type`, …).
    pub field: String,
    pub message: String,
}

impl Recognizer {
    /// Every regex of this recognizer with the field it came from.
    pub fn sources(&self) -> impl Iterator<Item = (String, &str)> {
        self.pattern
            .iter()
            .map(|p| ("pattern".to_string(), p.as_str()))
            .chain(
                self.patterns
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("patterns[{i}]"), p.as_str())),
            )
    }

    pub fn entity_type(&self) -> Result<EntityType, RecognizerError> {
        EntityType::custom(&self.type_name).map_err(|e| self.error("type", e.to_string()))
    }

    /// Checks every field; the detector compiles only recognizers that pass.
    pub fn check(&self) -> Result<(), RecognizerError> {
        if self.name.trim().is_empty() {
            return Err(self.error("name", "is empty".into()));
        }
        self.entity_type()?;
        if !(0.0..=1.0).contains(&self.score) {
            return Err(self.error("score", format!("{} is not between 0 and 1", self.score)));
        }
        if self.pattern.is_none() && self.patterns.is_empty() {
            return Err(self.error(
                "pattern",
                "a recognizer needs `pattern` or `patterns`".into(),
            ));
        }
        for (field, source) in self.sources() {
            let hir = regex_automata::util::syntax::parse(&ascii_boundaries(source))
                .map_err(|e| self.error(&field, format!("not a valid regex: {e}")))?;
            if hir.properties().minimum_len().unwrap_or(0) == 0 {
                return Err(self.error(&field, "matches the empty string".into()));
            }
        }
        if let Some(i) = self.deny.iter().position(|d| d.is_empty()) {
            return Err(self.error(&format!("deny[{i}]"), "is empty".into()));
        }
        Ok(())
    }

    fn error(&self, field: &str, message: String) -> RecognizerError {
        RecognizerError {
            recognizer: self.name.clone(),
            field: field.to_string(),
            message,
        }
    }
}

/// `\b` and `\B` become ASCII word boundaries, as in the built-in shapes: a Unicode
/// boundary would stop the combined lazy DFA on the first non-ASCII byte. An escaped
/// backslash (`\\b`) is left alone.
pub(crate) fn ascii_boundaries(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 16);
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(b @ ('b' | 'B')) => {
                out.push_str("(?-u:\\");
                out.push(b);
                out.push(')');
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recognizer(pattern: &str) -> Recognizer {
        Recognizer {
            name: "employee".into(),
            type_name: "EMPLOYEE_ID".into(),
            pattern: Some(pattern.into()),
            patterns: vec![],
            validator: None,
            context: vec![],
            score: 0.6,
            deny: vec![],
            allow: vec![],
        }
    }

    #[test]
    fn boundaries_become_ascii_and_escaped_backslashes_stay() {
        assert_eq!(ascii_boundaries(r"\bE\d+\B"), r"(?-u:\b)E\d+(?-u:\B)");
        assert_eq!(ascii_boundaries(r"a\\b"), r"a\\b");
    }

    #[test]
    fn each_bad_field_is_named() {
        let field = |r: Recognizer| r.check().unwrap_err().field;
        assert_eq!(field(recognizer("EMP(")), "pattern");
        assert_eq!(field(recognizer("x*")), "pattern");
        let mut r = recognizer(r"EMP\d{6}");
        r.patterns = vec![r"ok\d".into(), "[z-a]".into()];
        assert_eq!(field(r), "patterns[1]");
        let mut r = recognizer(r"EMP\d{6}");
        r.type_name = "Email".into();
        let e = r.check().unwrap_err();
        assert!(e.field == "type" && e.message.contains("EMAIL"), "{e}");
        let mut r = recognizer(r"EMP\d{6}");
        r.type_name = "employee-id".into();
        assert_eq!(field(r), "type");
        let mut r = recognizer(r"EMP\d{6}");
        r.score = 1.5;
        assert_eq!(field(r), "score");
        let mut r = recognizer(r"EMP\d{6}");
        r.pattern = None;
        assert_eq!(field(r), "pattern");
        assert!(recognizer(r"\bEMP\d{6}\b").check().is_ok());
    }
}
