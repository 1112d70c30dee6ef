//! Detection through the engine's text detector (Comprehend or hybrid on AWS) when it has
//! one. All the texts of one call (the texts of a batch, the unhinted strings of records)
//! go to it as one text, so one budget bounds the whole call, as the detect function's
//! budget bounds one event, and Comprehend bills one request rather than one per field
//! (each request costs at least 3 units of 100 characters).

use std::collections::HashMap;
use std::ops::Range;

use detect::records::{DEFAULT_MAX_DEPTH, Leaf, walk};
use detect::{Detection, DetectionReport, FieldRule, RecordFinding, ValueKind};
use serde_json::Value;

use super::{Engine, EngineError};

/// A blank line: no entity a detector reports spans one, and the name rules end a
/// sentence there.
const SEPARATOR: &str = "\n\n";

/// Detections per text (byte offsets into that text), and why the preferred detector did
/// not answer, when it did not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detected {
    pub detections: Vec<Vec<Detection>>,
    pub degraded: Option<String>,
}

/// Per record its findings (or why it could not be scanned), in document order.
pub type ScannedRecords = Vec<Result<Vec<RecordFinding>, EngineError>>;

impl Engine {
    /// `patterns`, or the text detector's name (`comprehend`, `hybrid`).
    pub fn detector_name(&self) -> &'static str {
        self.text_detector.as_ref().map_or("patterns", |d| d.name())
    }

    /// The detections of each text: the patterns, or one call of the text detector over
    /// all of them.
    pub async fn detect_texts(&self, texts: &[&str]) -> Result<Detected, EngineError> {
        let Some(detector) = &self.text_detector else {
            return Ok(Detected {
                detections: texts.iter().map(|t| self.detect_text(t)).collect(),
                degraded: None,
            });
        };
        let mut joined = String::with_capacity(
            texts
                .iter()
                .map(|t| t.len() + SEPARATOR.len())
                .sum::<usize>(),
        );
        let mut bounds: Vec<Range<usize>> = Vec::with_capacity(texts.len());
        for (i, text) in texts.iter().enumerate() {
            if i > 0 {
                joined.push_str(SEPARATOR);
            }
            let start = joined.len();
            joined.push_str(text);
            bounds.push(start..joined.len());
        }
        let report = if joined.trim().is_empty() {
            DetectionReport::default()
        } else {
            detector.detect(&joined).await?
        };
        Ok(Detected {
            detections: split_detections(&bounds, report.detections),
            degraded: report.degraded,
        })
    }

    /// The findings of each record: field rules and hints as `detect_record`; with a text
    /// detector, the strings no rule or hint claims go through it (all of them in one call,
    /// `detect_texts`) instead of the patterns alone.
    pub async fn scan_records(
        &self,
        records: &[Value],
    ) -> Result<(ScannedRecords, Option<String>), EngineError> {
        let mut scanned: ScannedRecords = records.iter().map(|r| self.detect_record(r)).collect();
        if self.text_detector.is_none() {
            return Ok((scanned, None));
        }
        // (record, pointer, text) of every string the text detector answers for, and the
        // document order of every value, to keep findings in it.
        let mut fields: Vec<(usize, String, &str)> = Vec::new();
        let mut order: Vec<HashMap<String, usize>> = vec![HashMap::new(); records.len()];
        for (i, record) in records.iter().enumerate() {
            if scanned[i].is_err() {
                continue;
            }
            walk(
                record,
                &self.field_rules,
                true,
                DEFAULT_MAX_DEPTH,
                |path, leaf, rule| {
                    let n = order[i].len();
                    order[i].insert(path.to_string(), n);
                    if let (Leaf::String(s), None | Some(FieldRule::Patterns)) = (leaf, rule)
                        && !s.trim().is_empty()
                    {
                        fields.push((i, path.to_string(), s));
                    }
                },
            )?;
        }
        let texts: Vec<&str> = fields.iter().map(|(_, _, s)| *s).collect();
        let detected = self.detect_texts(&texts).await?;
        let mut answered: Vec<HashMap<String, Vec<Detection>>> =
            vec![HashMap::new(); records.len()];
        for ((i, path, _), detections) in fields.into_iter().zip(detected.detections) {
            answered[i].insert(path, detections);
        }
        for ((findings, mut by_path), order) in scanned.iter_mut().zip(answered).zip(&order) {
            let Ok(findings) = findings else { continue };
            findings.retain(|f| !by_path.contains_key(&f.path));
            findings.extend(by_path.drain().filter(|(_, d)| !d.is_empty()).map(
                |(path, detections)| RecordFinding {
                    path,
                    kind: ValueKind::String,
                    detections,
                },
            ));
            findings.sort_by_key(|f| order.get(&f.path).copied().unwrap_or(usize::MAX));
        }
        Ok((scanned, detected.degraded))
    }
}

/// Each detection of the joined text back to the text it lies in, offsets made relative to
/// it. One that reaches into a separator or another text belongs to none and is dropped.
fn split_detections(bounds: &[Range<usize>], detections: Vec<Detection>) -> Vec<Vec<Detection>> {
    let mut out = vec![Vec::new(); bounds.len()];
    for d in detections {
        let i = bounds.partition_point(|b| b.end <= d.start);
        if let Some(b) = bounds.get(i)
            && d.start >= b.start
            && d.end <= b.end
        {
            out[i].push(Detection {
                start: d.start - b.start,
                end: d.end - b.start,
                ..d
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use deidentify::{Deidentifier, SqliteVault, StaticKeyring};
    use detect::{DetectError, DetectionReport, Detector, EntityType, Source};
    use mask::Policy;
    use serde_json::json;

    use super::*;

    /// Calls every "Zorblat" a NAME, counts its calls, and degrades when told to.
    struct Stand {
        calls: AtomicUsize,
        degraded: Option<&'static str>,
    }

    #[async_trait::async_trait]
    impl Detector for Stand {
        fn name(&self) -> &'static str {
            "hybrid"
        }
        async fn detect(&self, text: &str) -> Result<DetectionReport, DetectError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            Ok(DetectionReport {
                detections: text
                    .match_indices("Zorblat")
                    .map(|(at, w)| Detection {
                        entity_type: EntityType::Name,
                        start: at,
                        end: at + w.len(),
                        score: 0.9,
                        source: Source::Comprehend,
                    })
                    .collect(),
                degraded: self.degraded.map(str::to_string),
            })
        }
    }

    fn engine(stand: Arc<Stand>) -> Engine {
        let vault = Arc::new(SqliteVault::open_in_memory().unwrap());
        let keyring = Arc::new(StaticKeyring::generate().unwrap());
        Engine::new(
            Policy::builtin("default").unwrap(),
            Arc::new(Deidentifier::new(keyring, vault)),
            None,
        )
        .unwrap()
        .with_text_detector(|_| stand as Arc<dyn Detector>)
    }

    #[tokio::test]
    async fn unhinted_strings_of_all_records_go_to_the_text_detector_in_one_call() {
        let stand = Arc::new(Stand {
            calls: AtomicUsize::new(0),
            degraded: None,
        });
        let e = engine(stand.clone());
        let records = [
            json!({"email": "Zorblat@example.com", "notes": ["hi Zorblat", "x"]}),
            json!({"comment": "Zorblat and Zorblat", "n": 4}),
        ];
        let (scanned, degraded) = e.scan_records(&records).await.unwrap();
        assert_eq!(stand.calls.load(Ordering::SeqCst), 1);
        assert_eq!(degraded, None);
        let spans = |i: usize| -> Vec<(String, EntityType, usize, usize)> {
            scanned[i]
                .as_ref()
                .unwrap()
                .iter()
                .flat_map(|f| {
                    f.detections
                        .iter()
                        .map(|d| (f.path.clone(), d.entity_type, d.start, d.end))
                })
                .collect()
        };
        // The hinted email stays one whole-value entity; the names come back to their fields.
        assert_eq!(
            spans(0),
            vec![
                ("/email".to_string(), EntityType::Email, 0, 19),
                ("/notes/0".to_string(), EntityType::Name, 3, 10),
            ]
        );
        assert_eq!(
            spans(1),
            vec![
                ("/comment".to_string(), EntityType::Name, 0, 7),
                ("/comment".to_string(), EntityType::Name, 12, 19),
            ]
        );
    }

    #[tokio::test]
    async fn a_degraded_answer_marks_every_record_of_the_call() {
        let stand = Arc::new(Stand {
            calls: AtomicUsize::new(0),
            degraded: Some("Comprehend error: ThrottlingException"),
        });
        let e = engine(stand);
        let out = e
            .anonymize_records(&[json!({"a": "Zorblat"}), json!({"b": "nobody"})])
            .await
            .unwrap();
        for r in out {
            let summary = r.unwrap().summary;
            assert!(summary.degraded);
            assert_eq!(
                summary.degraded_reason.as_deref(),
                Some("Comprehend error: ThrottlingException")
            );
            assert_eq!(summary.detector.as_deref(), Some("hybrid"));
        }
    }

    fn at(start: usize, end: usize) -> Detection {
        Detection {
            entity_type: EntityType::Email,
            start,
            end,
            score: 0.9,
            source: Source::Comprehend,
        }
    }

    #[test]
    fn detections_go_back_to_their_text_and_crossing_ones_are_dropped() {
        // "ab" + "\n\n" + "" + "\n\n" + "cdef": texts at 0..2, 4..4, 6..10.
        let bounds = [0..2, 4..4, 6..10];
        let out = split_detections(
            &bounds,
            vec![at(0, 2), at(1, 5), at(3, 4), at(6, 8), at(7, 10), at(9, 11)],
        );
        let spans: Vec<Vec<(usize, usize)>> = out
            .iter()
            .map(|ds| ds.iter().map(|d| (d.start, d.end)).collect())
            .collect();
        assert_eq!(spans, vec![vec![(0, 2)], vec![], vec![(0, 2), (1, 4)]]);
    }
}
