//! `anonymize_batch`: one engine call per policy for the records and one for the texts, so
//! the vault sees one batched write per group instead of one per item.

use std::collections::BTreeMap;

use std::sync::Arc;

use deidentify::ErrorKind;
use serde_json::Value;

use crate::convert::{record_response, text_response};
use crate::{AnonymizeRequest, AnonymizeResponse, Engine, ServiceError};

type Outcome = Result<AnonymizeResponse, ServiceError>;

#[derive(Default)]
struct Group {
    texts: Vec<(usize, String)>,
    records: Vec<(usize, Value)>,
}

/// `engine` gives the engine of a policy name (the default when `None`).
pub async fn anonymize_batch(
    engine: impl Fn(Option<&str>) -> Result<Arc<Engine>, ServiceError>,
    items: Vec<AnonymizeRequest>,
) -> Vec<Outcome> {
    let mut out: Vec<Option<Outcome>> = (0..items.len()).map(|_| None).collect();
    let mut groups: BTreeMap<Option<String>, Group> = BTreeMap::new();
    for (index, item) in items.into_iter().enumerate() {
        let group = groups.entry(item.policy).or_default();
        match (item.text, item.record) {
            (Some(text), None) => group.texts.push((index, text)),
            (None, Some(record)) => group.records.push((index, record)),
            _ => {
                out[index] = Some(Err(ServiceError::InvalidInput(
                    "give either `text` or `record`".into(),
                )));
            }
        }
    }
    for (policy, group) in groups {
        let engine = match engine(policy.as_deref()) {
            Ok(engine) => engine,
            Err(e) => {
                let indexes = group
                    .texts
                    .iter()
                    .map(|t| t.0)
                    .chain(group.records.iter().map(|r| r.0));
                for index in indexes {
                    out[index] = Some(Err(e.clone()));
                }
                continue;
            }
        };
        for (index, outcome) in texts(&engine, group.texts).await {
            out[index] = Some(outcome);
        }
        for (index, outcome) in records(&engine, group.records).await {
            out[index] = Some(outcome);
        }
    }
    out.into_iter()
        .map(|o| {
            o.unwrap_or_else(|| Err(ServiceError::Internal("batch item left unanswered".into())))
        })
        .collect()
}

async fn texts(engine: &Engine, texts: Vec<(usize, String)>) -> Vec<(usize, Outcome)> {
    if texts.is_empty() {
        return Vec::new();
    }
    let refs: Vec<&str> = texts.iter().map(|(_, t)| t.as_str()).collect();
    match engine.anonymize_texts(&refs).await {
        Ok(results) => texts
            .iter()
            .zip(results)
            .map(|((index, _), r)| (*index, text_response(r)))
            .collect(),
        // One bad text fails the whole batched call; redo them one by one so only the bad
        // item fails (tokenizing is idempotent, so the good ones get the same tokens).
        Err(e) if e.kind() == ErrorKind::InvalidInput && texts.len() > 1 => {
            let mut out = Vec::with_capacity(texts.len());
            for (index, text) in &texts {
                let outcome = match engine.anonymize_text(text).await {
                    Ok(r) => text_response(r),
                    Err(e) => Err(e.into()),
                };
                out.push((*index, outcome));
            }
            out
        }
        Err(e) => texts
            .iter()
            .map(|(index, _)| (*index, Err(ServiceError::from(&e))))
            .collect(),
    }
}

async fn records(engine: &Engine, records: Vec<(usize, Value)>) -> Vec<(usize, Outcome)> {
    if records.is_empty() {
        return Vec::new();
    }
    let (indexes, values): (Vec<usize>, Vec<Value>) = records.into_iter().unzip();
    match engine.anonymize_records(&values).await {
        Ok(results) => indexes
            .into_iter()
            .zip(results)
            .map(|(index, r)| {
                (
                    index,
                    r.map_err(ServiceError::from).and_then(record_response),
                )
            })
            .collect(),
        Err(e) => indexes
            .into_iter()
            .map(|index| (index, Err(ServiceError::from(&e))))
            .collect(),
    }
}
