//! The three pipeline steps as Step Functions task handlers see them: JSON state in,
//! JSON result out (ARCHITECTURE.md, data contracts). The same functions serve the local
//! executor and the Lambda functions.
//!
//! State: `{"document": {"text"|"ref"}, "policy"}` or `{"record": any, "policy"}`;
//! Detect adds `detection`, Mask adds `masked`, Deidentify returns `{output, summary}`.
//! A document by reference above the store's chunk size is not detected in one pass:
//! Detect returns `chunks` (one state per byte range) for the state machine's Map, and
//! Deidentify with `"action": "join"` puts the chunks' results together.

use std::collections::BTreeMap;

use detect::{Detection, Entity, RecordFinding, ValueKind, offsets};
use mask::Summary;
use serde_json::{Value, json};

mod char_to_byte;
mod runner;

use crate::documents::{DocRef, DocumentStore, plan_chunks, read_doc};
use crate::engine::{Engine, EngineError, MaskedRecord};
use char_to_byte::byte_offsets;
pub use runner::{PolicyNames, Step, StepRunner};

/// What a step works on, read from the state.
enum Subject {
    Text {
        text: String,
        reference: Option<String>,
        /// Set on one chunk of a large document.
        range: Option<[u64; 2]>,
    },
    Record(Value),
}

fn doc_ref(state: &Value, key_doc: &str) -> Result<Option<DocRef>, EngineError> {
    state
        .get(key_doc)
        .filter(|v| !v.is_null())
        .map(|doc| {
            serde_json::from_value(doc.clone()).map_err(|_| {
                EngineError::InvalidInput(format!(
                    "`{key_doc}` must be {{\"text\": ...}} or {{\"ref\": ..., \"range\"?: [begin, end]}}"
                ))
            })
        })
        .transpose()
}

async fn subject(
    state: &Value,
    key_doc: &str,
    docs: &dyn DocumentStore,
) -> Result<Subject, EngineError> {
    let Some(doc) = doc_ref(state, key_doc)? else {
        return Err(EngineError::InvalidInput(format!(
            "the state has no `{key_doc}`"
        )));
    };
    let text = read_doc(docs, &doc).await?;
    Ok(match doc {
        DocRef::Inline { .. } => Subject::Text {
            text,
            reference: None,
            range: None,
        },
        DocRef::Reference { reference, range } => Subject::Text {
            text,
            reference: Some(reference),
            range,
        },
    })
}

/// A document too large for one pass, as the Map's items: each the state of one chunk.
async fn chunk_plan(state: &Value, docs: &dyn DocumentStore) -> Result<Vec<Value>, EngineError> {
    let Some(chunk_bytes) = docs.chunk_bytes() else {
        return Ok(Vec::new());
    };
    // Read in place: deserializing the document would copy an inline text only to find
    // it has no reference.
    let whole_reference = state
        .get("document")
        .filter(|doc| doc.get("range").is_none_or(Value::is_null))
        .and_then(|doc| doc.get("ref"))
        .and_then(Value::as_str);
    let Some(reference) = whole_reference else {
        return Ok(Vec::new());
    };
    let ranges = plan_chunks(docs, reference, chunk_bytes).await?;
    Ok(ranges
        .into_iter()
        .map(|range| {
            let mut item = json!({ "document": { "ref": reference, "range": range } });
            if let Some(policy) = state.get("policy").filter(|p| !p.is_null()) {
                item["policy"] = policy.clone();
            }
            item
        })
        .collect())
}

async fn input_subject(state: &Value, docs: &dyn DocumentStore) -> Result<Subject, EngineError> {
    match state.get("record") {
        Some(record) if state.get("document").is_none() => Ok(Subject::Record(record.clone())),
        Some(_) => Err(EngineError::InvalidInput(
            "give either `document` or `record`, not both".into(),
        )),
        None => subject(state, "document", docs).await,
    }
}

/// Entity lists above this size travel as a scratch object beside the document, named in
/// the state by `entities_ref` / `pending_ref`: Step Functions caps a state at 256 KB, and
/// every history event copies it. They hold types and offsets, never text.
const INLINE_ENTITIES_BYTES: usize = 32 * 1024;

/// The list at `list`, or read from the object `reference` names.
async fn entities_from(
    state: &Value,
    list: &str,
    reference: &str,
    docs: &dyn DocumentStore,
) -> Result<Vec<Entity>, EngineError> {
    match state.pointer(reference) {
        None | Some(Value::Null) => entities_at(state, list),
        Some(Value::String(r)) => serde_json::from_str(&docs.read(r).await?).map_err(|e| {
            EngineError::InvalidInput(format!("{reference} is not a list of entities: {e}"))
        }),
        Some(_) => Err(EngineError::InvalidInput(format!(
            "{reference} must be a document reference"
        ))),
    }
}

/// `(list, reference)` for the state: the list inline, or (when large and the document is
/// a reference) `[]` and the scratch object holding it.
async fn entities_to(
    entities: &[Entity],
    document: Option<(&str, Option<[u64; 2]>)>,
    name: &str,
    docs: &dyn DocumentStore,
) -> Result<(Value, Value), EngineError> {
    let list = serde_json::to_value(entities)
        .map_err(|e| EngineError::InvalidInput(format!("entities: {e}")))?;
    // Only a document by reference has somewhere to put a long list; the rest skip the
    // measuring serialization.
    let Some((reference, range)) = document else {
        return Ok((list, Value::Null));
    };
    let text = list.to_string();
    if text.len() <= INLINE_ENTITIES_BYTES {
        return Ok((list, Value::Null));
    }
    let stage = match range {
        None => format!("{name}.json"),
        Some([begin, end]) => format!("{begin}-{end}.{name}.json"),
    };
    let written = docs.write_part(reference, &stage, &text).await?;
    Ok((json!([]), Value::String(written)))
}

fn entities_at(state: &Value, pointer: &str) -> Result<Vec<Entity>, EngineError> {
    let v = state
        .pointer(pointer)
        .cloned()
        .unwrap_or(Value::Array(Vec::new()));
    serde_json::from_value(v)
        .map_err(|e| EngineError::InvalidInput(format!("{pointer} is not a list of entities: {e}")))
}

/// Wire entities (char offsets) into byte-offset detections of `text`, refusing offsets
/// that do not fit it.
pub fn detections_in(text: &str, entities: &[Entity]) -> Result<Vec<Detection>, EngineError> {
    let offsets: Vec<usize> = entities.iter().flat_map(|e| [e.begin, e.end]).collect();
    let bytes = byte_offsets(text, &offsets);
    entities
        .iter()
        .zip(bytes.chunks_exact(2))
        .map(|(e, span)| match (span[0], span[1]) {
            (Some(start), Some(end)) if start <= end => Ok(Detection {
                entity_type: e.entity_type,
                start,
                end,
                score: e.score,
                source: e.source,
            }),
            _ => Err(EngineError::InvalidInput(format!(
                "entity {}..{} does not fit its text",
                e.begin, e.end
            ))),
        })
        .collect()
}

fn findings_in(record: &Value, entities: &[Entity]) -> Result<Vec<RecordFinding>, EngineError> {
    let mut by_path: BTreeMap<&str, Vec<Entity>> = BTreeMap::new();
    for e in entities {
        let path = e.path.as_deref().ok_or_else(|| {
            EngineError::InvalidInput("entities of a record need a `path`".into())
        })?;
        by_path.entry(path).or_default().push(e.clone());
    }
    by_path
        .into_iter()
        .map(|(path, entities)| {
            let (text, kind) = match record.pointer(path) {
                Some(Value::String(s)) => (s.clone(), ValueKind::String),
                Some(Value::Number(n)) => (n.to_string(), ValueKind::Number),
                _ => {
                    return Err(EngineError::InvalidInput(format!(
                        "no string or number at {path}"
                    )));
                }
            };
            Ok(RecordFinding {
                path: path.to_string(),
                kind,
                detections: detections_in(&text, &entities)?,
            })
        })
        .collect()
}

fn to_wire(text: &str, detections: &[Detection], path: Option<&str>) -> Vec<Entity> {
    offsets::to_entities(text, detections, path)
}

impl Engine {
    /// Detect: `{"entities", "entity_count", "detector", "degraded"}`.
    pub async fn detect_step(
        &self,
        state: &Value,
        docs: &dyn DocumentStore,
    ) -> Result<Value, EngineError> {
        let mut detector = "patterns";
        let mut degraded = None;
        let chunks = chunk_plan(state, docs).await?;
        if !chunks.is_empty() {
            return Ok(json!({
                "entity_count": 0,
                "entities": [],
                "entities_ref": null,
                "detector": self.text_detector.as_ref().map_or(detector, |d| d.name()),
                "degraded": false,
                "chunks": chunks,
            }));
        }
        let mut document = None;
        let entities = match input_subject(state, docs).await? {
            Subject::Text {
                text,
                reference,
                range,
            } => {
                document = reference.map(|r| (r, range));
                match &self.text_detector {
                    Some(d) => {
                        let report = d.detect(&text).await?;
                        detector = d.name();
                        degraded = report.degraded;
                        to_wire(&text, &report.detections, None)
                    }
                    None => to_wire(&text, &self.detect_text(&text), None),
                }
            }
            Subject::Record(record) => {
                let (mut scanned, record_degraded) =
                    self.scan_records(std::slice::from_ref(&record)).await?;
                let findings = scanned.pop().expect("one result per record")?;
                detector = self.detector_name();
                degraded = record_degraded;
                Engine::record_entities(&record, &findings)
            }
        };
        let document = document.as_ref().map(|(r, range)| (r.as_str(), *range));
        let (list, list_ref) = entities_to(&entities, document, "entities", docs).await?;
        let mut out = json!({
            "entity_count": entities.len(),
            "entities": list,
            "entities_ref": list_ref,
            "detector": detector,
            "degraded": degraded.is_some(),
            "chunks": [],
        });
        // Why the preferred detector did not answer (error codes, never text).
        if let Some(reason) = degraded {
            out["degraded_reason"] = Value::String(reason);
        }
        Ok(out)
    }

    /// Mask: `{"output", "pending", "summary"}`; `pending` are the entities left to
    /// tokenize, with offsets into `output`.
    pub async fn mask_step(
        &self,
        state: &Value,
        docs: &dyn DocumentStore,
    ) -> Result<Value, EngineError> {
        let entities = entities_from(
            state,
            "/detection/entities",
            "/detection/entities_ref",
            docs,
        )
        .await?;
        match input_subject(state, docs).await? {
            Subject::Text {
                text,
                reference,
                range,
            } => {
                let masked = self.mask_text(&text, &detections_in(&text, &entities)?)?;
                let pending = to_wire(&masked.text, &masked.pending, None);
                let stage = match range {
                    None => "masked".to_string(),
                    Some([begin, end]) => format!("{begin}-{end}.masked"),
                };
                let output = match &reference {
                    None => json!({ "text": masked.text }),
                    Some(r) => {
                        json!({ "ref": docs.write_stage(r, &stage, &masked.text).await? })
                    }
                };
                let document = reference.as_deref().map(|r| (r, range));
                let (pending, pending_ref) =
                    entities_to(&pending, document, "pending", docs).await?;
                Ok(json!({
                    "output": output,
                    "pending": pending,
                    "pending_ref": pending_ref,
                    "summary": masked.summary,
                }))
            }
            Subject::Record(record) => {
                let masked = self.mask_record(&record, &findings_in(&record, &entities)?)?;
                let mut pending = Vec::new();
                for (path, detections) in &masked.pending {
                    if let Some(Value::String(s)) = masked.record.pointer(path) {
                        pending.extend(to_wire(s, detections, Some(path)));
                    }
                }
                Ok(json!({
                    "output": masked.record,
                    "pending": pending,
                    "pending_ref": null,
                    "summary": masked.summary,
                }))
            }
        }
    }

    /// Deidentify: `{"output", "summary"}` with every pending entity replaced by its token;
    /// a state with `"action": "join"` joins a chunked document's parts instead (the
    /// deidentify function is the one allowed to write results).
    pub async fn deidentify_step(
        &self,
        state: &Value,
        docs: &dyn DocumentStore,
    ) -> Result<Value, EngineError> {
        if state.get("action").and_then(Value::as_str) == Some("join") {
            return self.join_step(state, docs).await;
        }
        let pending = entities_from(state, "/masked/pending", "/masked/pending_ref", docs).await?;
        let summary: Summary = state
            .pointer("/masked/summary")
            .cloned()
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| EngineError::InvalidInput(format!("/masked/summary: {e}")))?
            .unwrap_or_default();
        let masked_output = state
            .pointer("/masked/output")
            .cloned()
            .ok_or_else(|| EngineError::InvalidInput("the state has no /masked/output".into()))?;
        let is_record = state.get("record").is_some() && state.get("document").is_none();
        let output = if is_record {
            let findings = findings_in(&masked_output, &pending)?;
            let masked = MaskedRecord {
                record: masked_output,
                pending: findings
                    .into_iter()
                    .map(|f| (f.path, f.detections))
                    .collect(),
                summary: Summary::default(),
            };
            self.tokenize_records(vec![masked])
                .await?
                .pop()
                .expect("one record")
        } else {
            let wrapper = json!({ "doc": masked_output });
            let Subject::Text {
                text, reference, ..
            } = subject(&wrapper, "doc", docs).await?
            else {
                unreachable!("subject() of a document is text");
            };
            let is_chunk = state
                .pointer("/document/range")
                .is_some_and(|r| !r.is_null());
            let masked = mask::MaskedText {
                pending: detections_in(&text, &pending)?,
                text,
                summary: Summary::default(),
            };
            let out = self
                .tokenize_texts(std::slice::from_ref(&masked))
                .await?
                .pop()
                .expect("one text");
            match reference {
                None => json!({ "text": out }),
                Some(r) => {
                    let result = if is_chunk {
                        docs.write_part(&r, "anonymized", &out).await?
                    } else {
                        docs.write_stage(&r, "anonymized", &out).await?
                    };
                    // The masked stage still holds the originals that were just tokenized.
                    docs.delete(&r).await?;
                    for list in ["/detection/entities_ref", "/masked/pending_ref"] {
                        if let Some(Value::String(list)) = state.pointer(list) {
                            docs.delete(list).await?;
                        }
                    }
                    json!({ "ref": result })
                }
            }
        };
        Ok(json!({ "output": output, "summary": summary }))
    }

    /// Join: the results of a document's chunks (`parts`, the Map's output, in order) as
    /// one result, `{"output", "summary"}` like Deidentify's. The chunks' scratch objects are
    /// deleted once the result is written.
    pub async fn join_step(
        &self,
        state: &Value,
        docs: &dyn DocumentStore,
    ) -> Result<Value, EngineError> {
        let Some(DocRef::Reference {
            reference,
            range: None,
        }) = doc_ref(state, "document")?
        else {
            return Err(EngineError::InvalidInput(
                "join needs the whole document's `{\"ref\": ...}`".into(),
            ));
        };
        let parts = state
            .get("parts")
            .and_then(Value::as_array)
            .ok_or_else(|| EngineError::InvalidInput("join needs a `parts` list".into()))?;
        let mut outputs = Vec::with_capacity(parts.len());
        let mut summary = Summary::default();
        for (i, part) in parts.iter().enumerate() {
            let output: DocRef = part
                .get("output")
                .cloned()
                .map(serde_json::from_value)
                .transpose()
                .ok()
                .flatten()
                .ok_or_else(|| {
                    EngineError::InvalidInput(format!("parts[{i}] has no document `output`"))
                })?;
            if let Some(s) = part.get("summary") {
                let s: Summary = serde_json::from_value(s.clone())
                    .map_err(|e| EngineError::InvalidInput(format!("parts[{i}].summary: {e}")))?;
                summary.merge(&s);
            }
            outputs.push(output);
        }
        let result = docs
            .concat_stage(&reference, "anonymized", &outputs)
            .await?;
        for output in &outputs {
            // Chunks without entities point into the input itself, which stays.
            if let DocRef::Reference {
                reference: part,
                range: None,
            } = output
                && *part != reference
            {
                docs.delete(part).await?;
            }
        }
        Ok(json!({ "output": { "ref": result }, "summary": summary }))
    }
}
