use std::borrow::Cow;
use std::ops::Range;

use detect::{Detection, Entity};
use detect::{RecordFinding, ValueKind};
use mask::{MaskError, MaskedText, Masker, Summary};
use serde::Serialize;
use serde_json::Value;

use super::json_pointer::{lookup, lookup_mut};
use super::{Engine, EngineError};
use deidentify::{PreparedTokens, VaultError, replace_spans};
use detect::EntityType;
use detect::records::RawValue;

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
    record: Body,
    pending: Vec<PendingField>,
}

/// A staged record: a parsed value, or a record read in place from the batch's text.
enum Body {
    Value(Value),
    /// `line` is the record's span in the batch's text; `edits` the new JSON values to
    /// splice into it (spans into the batch's text, text not yet escaped).
    Raw {
        line: Range<usize>,
        edits: Vec<(Range<usize>, String)>,
    },
}

/// A masked string and the entities in it left to tokenize (byte offsets into `text`).
struct PendingField {
    path: String,
    text: String,
    detections: Vec<Detection>,
    /// For a record read in place: the span of the value in the batch's text.
    span: Option<Range<usize>>,
}

/// A record of a batch given as text ([`Engine::stage_record_texts`]) that is not JSON:
/// which one, and serde_json's error.
#[derive(Debug)]
pub struct InvalidRecord {
    pub index: usize,
    pub error: serde_json::Error,
}

/// A record's output: its anonymized value, or the edits that make it from its text.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordOutput {
    Value(Value),
    Raw {
        line: Range<usize>,
        edits: Vec<(Range<usize>, String)>,
    },
}

impl RecordOutput {
    /// Writes the record as compact JSON: for a record read in place, its text (`text` is
    /// the batch's) with the edits spliced in, which is what serializing the anonymized
    /// value gives, since the text was compact canonical JSON.
    pub fn write_json(&self, text: &str, out: &mut Vec<u8>) -> Result<(), EngineError> {
        let invalid = |e: serde_json::Error| EngineError::InvalidInput(e.to_string());
        match self {
            RecordOutput::Value(v) => serde_json::to_writer(&mut *out, v).map_err(invalid),
            RecordOutput::Raw { line, edits } => {
                let record = &text[line.clone()];
                let mut at = line.end - record.trim_start_matches(JSON_WHITESPACE).len();
                let end = line.start + record.trim_end_matches(JSON_WHITESPACE).len();
                for (span, new) in edits {
                    out.extend_from_slice(&text.as_bytes()[at..span.start]);
                    serde_json::to_writer(&mut *out, new.as_str()).map_err(invalid)?;
                    at = span.end;
                }
                out.extend_from_slice(&text.as_bytes()[at..end]);
                Ok(())
            }
        }
    }
}

/// What JSON allows around a value.
const JSON_WHITESPACE: &[char] = &[' ', '\t', '\n', '\r'];

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
            let masked = self.mask_finding(&masker, &text, finding, &mut summary)?;
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
                    span: None,
                });
            }
            staged.push(Staged {
                record: Body::Value(record),
                pending,
            });
        }
        self.tokenize_staged(&mut staged).await?;
        Ok(staged.into_iter().map(|s| s.record.into_value()).collect())
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
            text: String::new(),
        })
    }

    /// [`stage_records`](Self::stage_records) for records given as spans of one text (a
    /// batch of JSONL lines): a record in compact canonical JSON (what serde_json writes) is
    /// read in place ([`RawValue`]), without a `serde_json::Value`, and its output made by
    /// splicing its new values into its text; any other is parsed. A span that is not JSON
    /// fails the batch (the inner error). Finish the batch with
    /// [`finish_record_outputs`](Self::finish_record_outputs). With a text detector, every
    /// record is parsed and goes the way of `stage_records`.
    pub async fn stage_record_texts(
        &self,
        text: String,
        lines: &[Range<usize>],
        entities: Entities,
    ) -> Result<Result<StagedRecords, InvalidRecord>, EngineError> {
        let parse = |index: usize, line: &Range<usize>| {
            serde_json::from_str::<Value>(&text[line.clone()])
                .map_err(|error| InvalidRecord { index, error })
        };
        if self.text_detector.is_some() {
            let mut values = Vec::with_capacity(lines.len());
            for (index, line) in lines.iter().enumerate() {
                match parse(index, line) {
                    Ok(v) => values.push(v),
                    Err(e) => return Ok(Err(e)),
                }
            }
            let mut batch = self.stage_records(values, entities).await?;
            batch.text = text;
            return Ok(Ok(batch));
        }
        let mut staged = Vec::with_capacity(lines.len());
        let mut reports = Vec::with_capacity(lines.len());
        // The records of a batch tend to have one shape: each record's list of fields to
        // tokenize starts at the size of the one before rather than growing step by step.
        let mut fields = 0;
        for (index, line) in lines.iter().enumerate() {
            let result = match RawValue::parse(&text[line.clone()], self.max_depth()) {
                Some(record) => self.stage_raw_record(line.clone(), &record, entities, fields),
                None => match parse(index, line) {
                    Ok(value) => self
                        .detect_record(&value)
                        .and_then(|f| self.stage_record(value, f, entities, &None)),
                    Err(e) => return Ok(Err(e)),
                },
            };
            match result {
                Ok((s, entities, summary)) => {
                    fields = s.pending.len();
                    staged.push(s);
                    reports.push(Ok((entities, summary)));
                }
                Err(e) => reports.push(Err(e)),
            }
        }
        let prepared = self.deidentifier.prepare(&pending_values(&staged)?)?;
        Ok(Ok(StagedRecords {
            staged,
            reports,
            prepared,
            text,
        }))
    }

    /// The scanner's nesting limit.
    pub fn max_depth(&self) -> usize {
        self.scanner.max_depth()
    }

    /// Writes a staged batch's new values into the vault (one transaction).
    pub async fn store_records(&self, batch: StagedRecords) -> Result<StoredRecords, EngineError> {
        // The values are walked again only if the vault already holds one of the tokens.
        let staged = &batch.staged;
        let values = || pending_values(staged).map_err(|e| VaultError::Storage(e.to_string()));
        let tokens = self.deidentifier.store_with(batch.prepared, values).await?;
        Ok(StoredRecords {
            staged: batch.staged,
            reports: batch.reports,
            tokens,
            text: batch.text,
        })
    }

    /// The records of a stored batch with their tokens, in input order; a record that
    /// could not be scanned is its error.
    pub fn finish_records(
        &self,
        batch: StoredRecords,
    ) -> Result<Vec<Result<AnonymizedRecord, EngineError>>, EngineError> {
        let text = batch.text.clone();
        let finished = self.finish_record_outputs(batch)?;
        let mut json = Vec::new();
        let mut records = Vec::with_capacity(finished.len());
        for r in finished {
            let (output, entities, summary) = match r {
                Ok(r) => r,
                Err(e) => {
                    records.push(Err(e));
                    continue;
                }
            };
            let record = match output {
                RecordOutput::Value(v) => v,
                raw => {
                    json.clear();
                    raw.write_json(&text, &mut json)?;
                    serde_json::from_slice(&json)
                        .map_err(|e| EngineError::InvalidInput(e.to_string()))?
                }
            };
            records.push(Ok(AnonymizedRecord {
                record,
                entities,
                summary,
            }));
        }
        Ok(records)
    }

    /// [`finish_records`](Self::finish_records) without building values for the records
    /// read in place: per record its output (write it with
    /// [`RecordOutput::write_json`] over [`StoredRecords::text`]), entities and summary.
    #[allow(clippy::type_complexity)]
    pub fn finish_record_outputs(
        &self,
        batch: StoredRecords,
    ) -> Result<Vec<Result<(RecordOutput, Vec<Entity>, Summary), EngineError>>, EngineError> {
        let StoredRecords {
            mut staged,
            reports,
            tokens,
            text: _,
        } = batch;
        write_tokens(&mut staged, tokens)?;
        let mut outputs = staged.into_iter().map(|s| s.record.into_output());
        Ok(reports
            .into_iter()
            .map(|r| {
                r.map(|(entities, summary)| {
                    let output = outputs.next().expect("one output per staged record");
                    (output, entities, summary)
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
            let masked = self.mask_finding(&masker, &text, &finding, &mut summary)?;
            let changed = masked.text != *text;
            drop(text);
            if !masked.pending.is_empty() {
                pending.push(PendingField {
                    path: finding.path,
                    text: masked.text,
                    detections: masked.pending,
                    span: None,
                });
            } else if changed {
                *finding_slot(&mut record, &finding.path)? = Value::String(masked.text);
            }
        }
        self.stamp(&mut summary);
        super::text::mark_degraded(&mut summary, degraded);
        Ok((
            Staged {
                record: Body::Value(record),
                pending,
            },
            entities,
            summary,
        ))
    }

    /// `stage_record` of a record read in place from the batch's text at `line`: masked
    /// values become edits of the text; values with entities left to tokenize wait with
    /// their spans (room for `fields` of them is made up front).
    fn stage_raw_record(
        &self,
        line: Range<usize>,
        record: &RawValue<'_>,
        report: Entities,
        fields: usize,
    ) -> Result<(Staged, Vec<Entity>, Summary), EngineError> {
        let mut pending = Vec::with_capacity(fields);
        let mut edits = Vec::new();
        let mut entities = Vec::new();
        let mut summary = Summary::default();
        let masker = self.masker();
        for found in self.scanner.scan_raw(record) {
            let value = found.text();
            if report == Entities::Report {
                entities.extend(found.finding.to_entities(value));
            }
            let masked = self.mask_finding(&masker, value, &found.finding, &mut summary)?;
            let span = found.value.span().expect("findings are strings or numbers");
            let span = line.start + span.start..line.start + span.end;
            if !masked.pending.is_empty() {
                pending.push(PendingField {
                    path: found.finding.path,
                    text: masked.text,
                    detections: masked.pending,
                    span: Some(span),
                });
            } else if masked.text != value {
                edits.push((span, masked.text));
            }
        }
        self.stamp(&mut summary);
        Ok((
            Staged {
                record: Body::Raw { line, edits },
                pending,
            },
            entities,
            summary,
        ))
    }

    fn mask_finding(
        &self,
        masker: &Masker<'_>,
        text: &str,
        finding: &RecordFinding,
        summary: &mut Summary,
    ) -> Result<MaskedText, MaskError> {
        let pointer = self.field_overrides.pointer_for_masking(
            &self.policy,
            &finding.path,
            &finding.detections,
        );
        masker.mask_counting(text, &finding.detections, pointer, summary)
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
    /// The text of records staged from text; empty otherwise.
    text: String,
}

/// A batch whose new values are in the vault: one token per pending value.
pub struct StoredRecords {
    staged: Vec<Staged>,
    reports: Vec<Result<(Vec<Entity>, Summary), EngineError>>,
    tokens: Vec<String>,
    text: String,
}

impl StoredRecords {
    /// The text the records of [`Engine::stage_record_texts`] were read from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Takes that text out (to write the outputs over it without a copy).
    pub fn take_text(&mut self) -> String {
        std::mem::take(&mut self.text)
    }
}

impl Body {
    fn into_output(self) -> RecordOutput {
        match self {
            Body::Value(v) => RecordOutput::Value(v),
            Body::Raw { line, mut edits } => {
                edits.sort_unstable_by_key(|(span, _)| span.start);
                RecordOutput::Raw { line, edits }
            }
        }
    }

    /// Only batches of values are tokenized in one go (`tokenize_records`).
    fn into_value(self) -> Value {
        match self {
            Body::Value(v) => v,
            Body::Raw { .. } => unreachable!("tokenize_records stages values only"),
        }
    }
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
        if let Body::Raw { edits, .. } = &mut s.record {
            edits.reserve_exact(s.pending.len());
        }
        for field in std::mem::take(&mut s.pending) {
            let text = with_tokens(&field, &mut tokens)?;
            match (&mut s.record, field.span) {
                (Body::Value(record), _) => {
                    *finding_slot(record, &field.path)? = Value::String(text);
                }
                (Body::Raw { edits, .. }, Some(span)) => edits.push((span, text)),
                (Body::Raw { .. }, None) => return Err(MaskError::BadPath(field.path).into()),
            }
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
