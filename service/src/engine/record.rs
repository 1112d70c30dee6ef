use std::borrow::Cow;

use detect::{Detection, Entity};
use detect::{RecordFinding, ValueKind};
use mask::{MaskError, MaskedText, Masker, Summary};
use serde::Serialize;
use serde_json::Value;

use super::json_pointer::{lookup, lookup_mut};
use super::{Engine, EngineError};
use deidentify::{PreparedTokens, replace_spans};
use detect::EntityType;

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

/// A record between masking and tokenizing. The masked texts that still hold entities to
/// tokenize wait beside the record rather than in it, so each is written into the record
/// once, with its tokens, instead of written, looked up again and rewritten. Until then the
/// record holds the input's values at those paths: it only leaves `tokenize_staged`, which
/// writes every one of them or fails the whole batch.
struct Staged {
    record: Value,
    pending: Vec<PendingField>,
}

/// A masked string and the entities in it left to tokenize (byte offsets into `text`).
struct PendingField {
    path: String,
    text: String,
    detections: Vec<Detection>,
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
            let text = finding_text(record, finding)?;
            let masked = self.mask_finding(&masker, &text, finding)?;
            summary.merge(&masked.summary);
            let unchanged = masked.text == *text && masked.pending.is_empty();
            if !unchanged {
                *finding_slot(&mut out, &finding.path)? = Value::String(masked.text);
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
        let mut staged = Vec::with_capacity(items.len());
        for item in items {
            let mut record = item.record;
            let mut pending = Vec::with_capacity(item.pending.len());
            for (path, detections) in item.pending {
                let Some(Value::String(s)) = lookup_mut(&mut record, &path) else {
                    return Err(MaskError::BadPath(path).into());
                };
                let text = std::mem::take(s);
                pending.push(PendingField {
                    path,
                    text,
                    detections,
                });
            }
            staged.push(Staged { record, pending });
        }
        self.tokenize_staged(&mut staged).await?;
        Ok(staged.into_iter().map(|s| s.record).collect())
    }

    /// The whole pipeline over a batch. A record that cannot be scanned fails alone; a
    /// vault failure fails the batch (outer error), since no token could be trusted.
    pub async fn anonymize_records(
        &self,
        records: &[Value],
    ) -> Result<Vec<Result<AnonymizedRecord, EngineError>>, EngineError> {
        let batch = self
            .stage_records(records.to_vec(), Entities::Report)
            .await?;
        let batch = self.store_records(batch).await?;
        self.finish_records(batch)
    }

    pub async fn anonymize_record(&self, record: &Value) -> Result<AnonymizedRecord, EngineError> {
        self.anonymize_records(std::slice::from_ref(record))
            .await?
            .pop()
            .expect("one result per record")
    }

    /// The first step of [`anonymize_records`](Self::anonymize_records): detect and mask
    /// every record, compute the tokens and seal the new values. Touches no vault, so
    /// batches may be staged on many threads at once; [`store_records`](Self::store_records)
    /// then writes each batch (in input order, one at a time, for a vault that ends up as
    /// a sequential run leaves it) and [`finish_records`](Self::finish_records) writes the
    /// tokens into the records.
    pub async fn stage_records(
        &self,
        records: Vec<Value>,
        entities: Entities,
    ) -> Result<StagedRecords, EngineError> {
        let (scanned, degraded) = self.scan_records(&records).await?;
        let mut staged = Vec::with_capacity(records.len());
        let mut reports = Vec::with_capacity(records.len());
        for (record, findings) in records.into_iter().zip(scanned) {
            match findings.and_then(|f| self.stage_record(record, f, entities, &degraded)) {
                Ok((s, entities, summary)) => {
                    staged.push(s);
                    reports.push(Ok((entities, summary)));
                }
                Err(e) => reports.push(Err(e)),
            }
        }
        let prepared = self.deidentifier.prepare(&pending_values(&staged)?)?;
        Ok(StagedRecords {
            staged,
            reports,
            prepared,
        })
    }

    /// Writes a staged batch's new values into the vault (one transaction).
    pub async fn store_records(&self, batch: StagedRecords) -> Result<StoredRecords, EngineError> {
        let values = pending_values(&batch.staged)?;
        let tokens = self.deidentifier.store(batch.prepared, &values).await?;
        drop(values);
        Ok(StoredRecords {
            staged: batch.staged,
            reports: batch.reports,
            tokens,
        })
    }

    /// The records of a stored batch with their tokens, in input order; a record that
    /// could not be scanned is its error.
    pub fn finish_records(
        &self,
        batch: StoredRecords,
    ) -> Result<Vec<Result<AnonymizedRecord, EngineError>>, EngineError> {
        let StoredRecords {
            mut staged,
            reports,
            tokens,
        } = batch;
        write_tokens(&mut staged, tokens)?;
        let mut outputs = staged.into_iter().map(|s| s.record);
        Ok(reports
            .into_iter()
            .map(|r| {
                r.map(|(entities, summary)| AnonymizedRecord {
                    record: outputs.next().expect("one output per staged record"),
                    entities,
                    summary,
                })
            })
            .collect())
    }

    /// Mask one record's findings: `record_entities` and `mask_record` in one pass, each
    /// value looked up once. Masked values are written into the record itself (it is
    /// ours); values with entities left to tokenize keep the input until their tokens are
    /// known.
    fn stage_record(
        &self,
        mut record: Value,
        findings: Vec<RecordFinding>,
        report: Entities,
        degraded: &Option<String>,
    ) -> Result<(Staged, Vec<Entity>, Summary), EngineError> {
        let mut pending = Vec::with_capacity(findings.len());
        let mut entities = Vec::new();
        let mut summary = Summary::default();
        let masker = self.masker();
        for finding in findings {
            let text = finding_text(&record, &finding)?;
            if report == Entities::Report {
                entities.extend(finding.to_entities(&text));
            }
            let masked = self.mask_finding(&masker, &text, &finding)?;
            summary.merge(&masked.summary);
            let changed = masked.text != *text;
            drop(text);
            if !masked.pending.is_empty() {
                pending.push(PendingField {
                    path: finding.path,
                    text: masked.text,
                    detections: masked.pending,
                });
            } else if changed {
                *finding_slot(&mut record, &finding.path)? = Value::String(masked.text);
            }
        }
        self.stamp(&mut summary);
        super::text::mark_degraded(&mut summary, degraded);
        Ok((Staged { record, pending }, entities, summary))
    }

    fn mask_finding(
        &self,
        masker: &Masker<'_>,
        text: &str,
        finding: &RecordFinding,
    ) -> Result<MaskedText, MaskError> {
        let pointer = self.field_overrides.pointer_for_masking(
            &self.policy,
            &finding.path,
            &finding.detections,
        );
        masker.mask(text, &finding.detections, pointer)
    }

    /// Replaces every pending entity with its token (all new vault items in one batch) and
    /// writes each field's final text into its record.
    async fn tokenize_staged(&self, staged: &mut [Staged]) -> Result<(), EngineError> {
        let values = pending_values(staged)?;
        let tokens = self.deidentifier.tokenize(&values).await?;
        drop(values);
        write_tokens(staged, tokens)
    }
}

/// Whether a staged batch works out its entities (character offsets into the input) for
/// the answer, or only the anonymized records (the CLI writes no entities).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entities {
    Report,
    Skip,
}

/// A batch of records detected and masked, its tokens prepared: the vault is next.
pub struct StagedRecords {
    staged: Vec<Staged>,
    reports: Vec<Result<(Vec<Entity>, Summary), EngineError>>,
    prepared: PreparedTokens,
}

/// A batch whose new values are in the vault: one token per pending value.
pub struct StoredRecords {
    staged: Vec<Staged>,
    reports: Vec<Result<(Vec<Entity>, Summary), EngineError>>,
    tokens: Vec<String>,
}

impl StagedRecords {
    /// How many records the batch holds (failed ones included).
    pub fn len(&self) -> usize {
        self.reports.len()
    }

    pub fn is_empty(&self) -> bool {
        self.reports.is_empty()
    }
}

/// The values to tokenize, in the order their tokens are written back.
fn pending_values(staged: &[Staged]) -> Result<Vec<(EntityType, &str)>, EngineError> {
    let fields = || staged.iter().flat_map(|s| &s.pending);
    let mut values = Vec::with_capacity(fields().map(|f| f.detections.len()).sum());
    for field in fields() {
        for d in &field.detections {
            let v = field.text.get(d.start..d.end).ok_or(MaskError::BadSpan {
                start: d.start,
                end: d.end,
            })?;
            values.push((d.entity_type, v));
        }
    }
    Ok(values)
}

fn write_tokens(staged: &mut [Staged], tokens: Vec<String>) -> Result<(), EngineError> {
    let mut tokens = tokens.into_iter();
    for s in staged {
        for field in std::mem::take(&mut s.pending) {
            let text = with_tokens(&field, &mut tokens)?;
            *finding_slot(&mut s.record, &field.path)? = Value::String(text);
        }
    }
    Ok(())
}

/// The field's text with each entity replaced by the next token. A token that stands for
/// the whole text (a field rule such as `email`: most entities of a record) is the text.
fn with_tokens(
    field: &PendingField,
    tokens: &mut impl Iterator<Item = String>,
) -> Result<String, EngineError> {
    let mut next = || tokens.next().expect("one token per value");
    if let [d] = &field.detections[..]
        && d.start == 0
        && d.end == field.text.len()
    {
        return Ok(next());
    }
    let spans: Vec<_> = field
        .detections
        .iter()
        .map(|d| (d.start, d.end, next()))
        .collect();
    replace_spans(&field.text, &spans).map_err(|e| EngineError::InvalidInput(e.to_string()))
}

fn finding_text<'a>(record: &'a Value, finding: &RecordFinding) -> Result<Cow<'a, str>, MaskError> {
    value_text(record, &finding.path, finding.kind)
        .ok_or_else(|| MaskError::BadPath(finding.path.clone()))
}

fn finding_slot<'a>(record: &'a mut Value, path: &str) -> Result<&'a mut Value, MaskError> {
    lookup_mut(record, path).ok_or_else(|| MaskError::BadPath(path.to_string()))
}

/// The text a finding's offsets refer to: the string (borrowed: this runs once per value
/// on the records hot path), or a number's JSON text.
fn value_text<'a>(record: &'a Value, path: &str, kind: ValueKind) -> Option<Cow<'a, str>> {
    match (lookup(record, path)?, kind) {
        (Value::String(s), ValueKind::String) => Some(Cow::Borrowed(s.as_str())),
        (Value::Number(n), ValueKind::Number) => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use mask::Policy;
    use serde_json::json;

    use super::*;
    use deidentify::{Deidentifier, SqliteVault, StaticKeyring};

    fn engine(policy: Policy) -> Engine {
        let vault = Arc::new(SqliteVault::open_in_memory().unwrap());
        let keyring = Arc::new(StaticKeyring::generate().unwrap());
        Engine::new(policy, Arc::new(Deidentifier::new(keyring, vault)), None).unwrap()
    }

    /// The batch path (one pass per record, texts kept beside the record) must give what
    /// the public steps give one after the other.
    #[test]
    fn anonymize_records_matches_detect_mask_and_tokenize_in_turn() {
        let policy = Policy::from_json(
            r#"{"name":"t","default":{"action":"replace"},
                "types":{"EMAIL":{"action":"tokenize"},"NAME":{"action":"tokenize"},
                         "PHONE":{"action":"tokenize"},"CREDIT_DEBIT_NUMBER":{"action":"mask","keep_last":4}},
                "fields":[{"field":"notes","action":{"action":"redact"}},
                          {"field":"/contact/a~1b","type":"NAME"}]}"#,
            "t",
        )
        .unwrap();
        let e = engine(policy);
        let records = [
            json!({"firstName": "Ann", "email": "ann@example.com", "mobileNumber": 61412345678u64,
                   "notes": "mail ann@example.com or call 0412 345 678",
                   "card": "4111 1111 1111 1111",
                   "contact": {"a/b": "Bo", "phones": ["0412 345 678", "+61 2 9999 9999"]},
                   "text": "Ann (ann@example.com) paid with 4111 1111 1111 1111."}),
            json!({"firstName": "Ann", "email": "ANN@example.com ", "nothing": [1, true, null]}),
            json!("just a string with ann@example.com in it"),
            json!([{"email": "bo@example.com"}, {"email": "bo@example.com"}]),
        ];

        let batch = e.rt().block_on(e.anonymize_records(&records)).unwrap();

        let mut entities = Vec::new();
        let mut masked = Vec::new();
        for r in &records {
            let findings = e.detect_record(r).unwrap();
            entities.push(Engine::record_entities(r, &findings));
            masked.push(e.mask_record(r, &findings).unwrap());
        }
        let summaries: Vec<_> = masked.iter().map(|m| m.summary.clone()).collect();
        let outputs = e.rt().block_on(e.tokenize_records(masked)).unwrap();

        let first = &batch[0].as_ref().unwrap().record;
        assert_eq!(first["notes"], "mail  or call ", "the field rule redacts");
        assert!(
            first["mobileNumber"]
                .as_str()
                .unwrap()
                .starts_with("PHONE_")
        );
        assert_eq!(first["card"], "**** **** **** 1111");
        for (i, got) in batch.into_iter().enumerate() {
            let got = got.unwrap();
            assert_eq!(got.record, outputs[i], "record {i}");
            assert_eq!(got.entities, entities[i], "entities {i}");
            assert_eq!(got.summary, summaries[i], "summary {i}");
        }
    }

    #[test]
    fn pending_paths_that_are_not_strings_are_bad_paths() {
        let e = engine(Policy::builtin("default").unwrap());
        let masked = MaskedRecord {
            record: json!({"n": 5}),
            pending: vec![("/n".into(), vec![])],
            summary: Summary::default(),
        };
        let err = e
            .rt()
            .block_on(e.tokenize_records(vec![masked]))
            .unwrap_err();
        assert!(
            matches!(err, EngineError::Mask(MaskError::BadPath(_))),
            "{err}"
        );
    }

    impl Engine {
        fn rt(&self) -> tokio::runtime::Runtime {
            tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap()
        }
    }
}
