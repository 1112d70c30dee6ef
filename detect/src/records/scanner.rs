use std::fmt::Write;
use std::sync::Arc;

use serde_json::Value;

use super::{FieldRule, FieldRules, Leaf, RawValue, RecordFinding, ValueKind, walk, walk_raw};
use crate::offsets::to_entities;
use crate::{DetectError, Detection, Entity, PatternDetector, Source};

/// Nesting levels accepted by default; deeper records are rejected, not truncated.
pub const DEFAULT_MAX_DEPTH: usize = 64;

/// A synchronous text detector the scanner can drive.
pub trait TextDetect: Send + Sync {
    /// Byte-offset detections, sorted and non-overlapping.
    fn detect_text(&self, text: &str) -> Vec<Detection>;
}

impl TextDetect for PatternDetector {
    fn detect_text(&self, text: &str) -> Vec<Detection> {
        PatternDetector::detect_text(self, text)
    }
}

/// Finds PII in JSON records: field hints and rules first, the text detector for the rest.
#[derive(Debug, Clone)]
pub struct RecordScanner<D = PatternDetector> {
    detector: Arc<D>,
    rules: FieldRules,
    builtin_hints: bool,
    max_depth: usize,
}

impl<D: TextDetect> RecordScanner<D> {
    pub fn new(detector: Arc<D>) -> Self {
        Self {
            detector,
            rules: FieldRules::new(),
            builtin_hints: true,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    pub fn with_rules(mut self, rules: FieldRules) -> Self {
        self.rules = rules;
        self
    }

    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// The nesting limit: deeper records are an error.
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// Turns the built-in field-name hints on or off (caller rules always apply).
    pub fn with_builtin_hints(mut self, on: bool) -> Self {
        self.builtin_hints = on;
        self
    }

    /// One finding per string or number that holds PII, in document order.
    ///
    /// A hinted field yields one whole-value detection (source `field`, score 1.0); a
    /// hinted number too, with kind [`ValueKind::Number`]. Strings without a hint, and
    /// numbers without one (as their JSON text), go through the text detector.
    pub fn scan(&self, record: &Value) -> Result<Vec<RecordFinding>, DetectError> {
        let mut findings = Vec::new();
        self.visit(record, |path, kind, _, detections| {
            findings.push(RecordFinding {
                path: path.to_string(),
                kind,
                detections,
            });
        })?;
        Ok(findings)
    }

    /// The same findings as wire entities: char offsets with `path` set.
    pub fn scan_entities(&self, record: &Value) -> Result<Vec<Entity>, DetectError> {
        let mut entities = Vec::new();
        self.visit(record, |path, _, text, detections| {
            entities.extend(to_entities(text, &detections, Some(path)));
        })?;
        Ok(entities)
    }

    fn visit(
        &self,
        record: &Value,
        mut emit: impl FnMut(&str, ValueKind, &str, Vec<Detection>),
    ) -> Result<(), DetectError> {
        let mut number_text = String::new();
        walk(
            record,
            &self.rules,
            self.builtin_hints,
            self.max_depth,
            |path, leaf, rule| {
                let (text, kind) = match leaf {
                    Leaf::String(s) => (s, ValueKind::String),
                    Leaf::Number(n) => {
                        number_text.clear();
                        let _ = write!(number_text, "{n}");
                        (number_text.as_str(), ValueKind::Number)
                    }
                };
                if let Some(detections) = self.leaf_detections(text, rule) {
                    emit(path, kind, text, detections);
                }
            },
        )
    }

    /// [`scan`](Self::scan) of a record read in place: the same findings, each with the
    /// value it is about (for its text and its span in the record's text).
    pub fn scan_raw<'v, 'a>(&self, record: &'v RawValue<'a>) -> Vec<RawFinding<'v, 'a>> {
        let mut findings = Vec::new();
        walk_raw(
            record,
            &self.rules,
            self.builtin_hints,
            |path, value, rule| {
                let (text, kind) = match value {
                    RawValue::String(s) => (s.text.as_ref(), ValueKind::String),
                    RawValue::Number(n) => (n.text, ValueKind::Number),
                    _ => return,
                };
                if let Some(detections) = self.leaf_detections(text, rule) {
                    findings.push(RawFinding {
                        finding: RecordFinding {
                            path: path.to_string(),
                            kind,
                            detections,
                        },
                        value,
                    });
                }
            },
        );
        findings
    }

    /// The detections of one string or number under its rule; `None` when there are none.
    fn leaf_detections(&self, text: &str, rule: Option<FieldRule>) -> Option<Vec<Detection>> {
        let detections = match rule {
            Some(FieldRule::NotPii) => return None,
            Some(FieldRule::Entity(entity_type)) => {
                if is_blank(text) {
                    return None;
                }
                vec![Detection {
                    entity_type,
                    start: 0,
                    end: text.len(),
                    score: 1.0,
                    source: Source::Field,
                }]
            }
            Some(FieldRule::Patterns) | None => self.detector.detect_text(text),
        };
        (!detections.is_empty()).then_some(detections)
    }
}

/// A finding of [`RecordScanner::scan_raw`] and the string or number it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFinding<'v, 'a> {
    pub finding: RecordFinding,
    pub value: &'v RawValue<'a>,
}

impl RawFinding<'_, '_> {
    /// The value's text: the string, or the number's JSON text.
    pub fn text(&self) -> &str {
        match self.value {
            RawValue::String(s) => &s.text,
            RawValue::Number(n) => n.text,
            _ => "",
        }
    }
}

/// `text.trim().is_empty()`, answered from the first byte for the usual non-blank value.
fn is_blank(text: &str) -> bool {
    match text.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => text.trim().is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EntityType;
    use serde_json::json;

    fn scanner() -> RecordScanner {
        RecordScanner::new(Arc::new(PatternDetector::default()))
    }

    #[test]
    fn hinted_fields_are_whole_values_and_others_are_scanned() {
        let v = json!({"firstName": "Zoë", "note": "call 555-123-4567", "orderId": "A-1"});
        let f = scanner().scan(&v).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].path, "/firstName");
        assert_eq!(f[0].detections[0].source, Source::Field);
        assert_eq!(
            (f[0].detections[0].start, f[0].detections[0].end),
            (0, "Zoë".len())
        );
        assert_eq!(f[1].path, "/note");
        assert_eq!(f[1].detections[0].entity_type, EntityType::Phone);
    }

    #[test]
    fn hinted_numbers_are_reported_as_numbers() {
        let v = json!({"phone": 4155550100u64, "count": 3, "card": 4111111111111111u64});
        let f = scanner().scan(&v).unwrap();
        let mut paths: Vec<(&str, ValueKind, EntityType)> = f
            .iter()
            .map(|x| (x.path.as_str(), x.kind, x.detections[0].entity_type))
            .collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        assert_eq!(
            paths,
            vec![
                ("/card", ValueKind::Number, EntityType::CreditDebitNumber),
                ("/phone", ValueKind::Number, EntityType::Phone)
            ]
        );
        let phone = f.iter().find(|x| x.path == "/phone").unwrap();
        assert_eq!(phone.detections[0].end, "4155550100".len());
    }

    #[test]
    fn entities_carry_char_offsets_and_paths() {
        let v = json!({"msg": "é😀 mail me at zoë@example.com"});
        let e = scanner().scan_entities(&v).unwrap();
        let prefix = "é😀 mail me at ";
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].path.as_deref(), Some("/msg"));
        assert_eq!(e[0].entity_type, EntityType::Email);
        assert_eq!(e[0].begin, prefix.chars().count());
        assert_eq!(e[0].end, "é😀 mail me at zoë@example.com".chars().count());
    }
}
