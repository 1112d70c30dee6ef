use std::borrow::Cow;

use detect::{Detection, Entity};
use detect::{RecordFinding, ValueKind};
use mask::Summary;
use serde::Serialize;
use serde_json::Value;

use crate::{Engine, EngineError, replace_spans};

/// A record after masking: the pending entities (to tokenize) per JSON Pointer, with byte
/// offsets into the masked string at that pointer.
#[derive(Debug, Clone, PartialEq)]
pub struct MaskedRecord {
    pub record: Value,
    pub pending: Vec<(String, Vec<Detection>)>,
    pub summary: Summary,
}

/// A record after the whole pipeline; `entities` point into the INPUT record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnonymizedRecord {
    pub record: Value,
    pub entities: Vec<Entity>,
    pub summary: Summary,
}

impl Engine {
    pub fn detect_record(&self, record: &Value) -> Result<Vec<RecordFinding>, EngineError> {
        Ok(self.scanner.scan(record)?)
    }

    /// Wire entities of the findings (char offsets, `path` set).
    pub fn record_entities(record: &Value, findings: &[RecordFinding]) -> Vec<Entity> {
        findings
            .iter()
            .filter_map(|f| value_text(record, &f.path, f.kind).map(|t| f.to_entities(&t)))
            .flatten()
            .collect()
    }

    pub fn mask_record(
        &self,
        record: &Value,
        findings: &[RecordFinding],
    ) -> Result<MaskedRecord, EngineError> {
        let mut out = record.clone();
        let mut pending = Vec::new();
        let mut summary = Summary::default();
        let masker = self.masker();
        for finding in findings {
            let text = value_text(record, &finding.path, finding.kind)
                .ok_or_else(|| mask::MaskError::BadPath(finding.path.clone()))?;
            let masked = masker.mask(&text, &finding.detections, Some(&finding.path))?;
            summary.merge(&masked.summary);
            let unchanged = masked.text == *text && masked.pending.is_empty();
            if !unchanged {
                let slot = out
                    .pointer_mut(&finding.path)
                    .ok_or_else(|| mask::MaskError::BadPath(finding.path.clone()))?;
                *slot = Value::String(masked.text);
            }
            if !masked.pending.is_empty() {
                pending.push((finding.path.clone(), masked.pending));
            }
        }
        self.stamp(&mut summary);
        Ok(MaskedRecord {
            record: out,
            pending,
            summary,
        })
    }

    /// Tokenizes the pending entities of every record in one vault batch.
    pub async fn tokenize_records(
        &self,
        items: Vec<MaskedRecord>,
    ) -> Result<Vec<Value>, EngineError> {
        let mut values = Vec::new();
        for item in &items {
            for (path, detections) in &item.pending {
                let Some(Value::String(s)) = item.record.pointer(path) else {
                    return Err(mask::MaskError::BadPath(path.clone()).into());
                };
                for d in detections {
                    let v = s.get(d.start..d.end).ok_or(mask::MaskError::BadSpan {
                        start: d.start,
                        end: d.end,
                    })?;
                    values.push((d.entity_type, v));
                }
            }
        }
        let tokens = self.deidentifier.tokenize(&values).await?;
        drop(values);
        let mut tokens = tokens.into_iter();
        let mut out = Vec::with_capacity(items.len());
        for mut item in items {
            for (path, detections) in &item.pending {
                let Some(Value::String(s)) = item.record.pointer_mut(path) else {
                    unreachable!("checked above");
                };
                let spans: Vec<_> = detections
                    .iter()
                    .map(|d| (d.start, d.end, tokens.next().expect("one token per value")))
                    .collect();
                *s = replace_spans(s, &spans)
                    .map_err(|e| EngineError::InvalidInput(e.to_string()))?;
            }
            out.push(item.record);
        }
        Ok(out)
    }

    /// The whole pipeline over a batch. A record that cannot be scanned fails alone; a
    /// vault failure fails the batch (outer error), since no token could be trusted.
    pub async fn anonymize_records(
        &self,
        records: &[Value],
    ) -> Result<Vec<Result<AnonymizedRecord, EngineError>>, EngineError> {
        let mut staged: Vec<Result<(MaskedRecord, Vec<Entity>), EngineError>> =
            Vec::with_capacity(records.len());
        for record in records {
            staged.push(self.detect_record(record).and_then(|findings| {
                let entities = Engine::record_entities(record, &findings);
                Ok((self.mask_record(record, &findings)?, entities))
            }));
        }
        let (ok, meta): (Vec<MaskedRecord>, Vec<(Summary, Vec<Entity>)>) = staged
            .iter_mut()
            .filter_map(|r| r.as_mut().ok())
            .map(|(m, e)| {
                let summary = m.summary.clone();
                (
                    MaskedRecord {
                        record: std::mem::take(&mut m.record),
                        pending: std::mem::take(&mut m.pending),
                        summary: Summary::default(),
                    },
                    (summary, std::mem::take(e)),
                )
            })
            .unzip();
        let mut tokenized = self.tokenize_records(ok).await?.into_iter().zip(meta);
        Ok(staged
            .into_iter()
            .map(|r| {
                r.map(|_| {
                    let (record, (summary, entities)) =
                        tokenized.next().expect("one output per staged record");
                    AnonymizedRecord {
                        record,
                        entities,
                        summary,
                    }
                })
            })
            .collect())
    }

    pub async fn anonymize_record(&self, record: &Value) -> Result<AnonymizedRecord, EngineError> {
        self.anonymize_records(std::slice::from_ref(record))
            .await?
            .pop()
            .expect("one result per record")
    }
}

/// The text a finding's offsets refer to: the string (borrowed: this runs once per value
/// on the records hot path), or a number's JSON text.
fn value_text<'a>(record: &'a Value, path: &str, kind: ValueKind) -> Option<Cow<'a, str>> {
    match (record.pointer(path)?, kind) {
        (Value::String(s), ValueKind::String) => Some(Cow::Borrowed(s.as_str())),
        (Value::Number(n), ValueKind::Number) => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}
