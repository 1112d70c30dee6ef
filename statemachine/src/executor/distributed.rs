//! A Distributed Map: items from the input or an ItemReader, each run as a child
//! execution with its own context and history, a tolerated failure threshold, and the
//! children's results written as a ResultWriter's manifest and result files.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use futures::StreamExt;
use serde_json::{Value, json};

use super::{Run, rfc3339, select_result};
use crate::error::StatesError;
use crate::history::{EventType, History};
use crate::model::{DistributedMap, ItemReader, ItemSource, MapState, ResultWriter, State};
use crate::objects::STATES_ITEM_READER_FAILED;

pub const STATES_EXCEED_TOLERATED_FAILURE_THRESHOLD: &str =
    "States.ExceedToleratedFailureThreshold";

/// Step Functions runs up to 10,000 children at once when MaxConcurrency is 0.
const DEFAULT_CHILD_CONCURRENCY: usize = 10_000;

/// Result file entries per file; Step Functions splits by size, this by count.
const RESULTS_PER_FILE: usize = 10_000;

/// One child execution as the ResultWriter reports it.
struct Child {
    index: usize,
    name: String,
    arn: String,
    input: Value,
    result: Result<Value, StatesError>,
    started: String,
    stopped: String,
}

impl Run<'_> {
    pub(super) async fn run_distributed(
        &self,
        state: &State,
        m: &MapState,
        d: &DistributedMap,
        eff: &Value,
        ctx: &Value,
        last: &AtomicU64,
    ) -> Result<Value, StatesError> {
        let items = match &d.item_reader {
            Some(reader) => self.read_items(reader, eff, ctx).await?,
            None => match m.items_path.get(eff, ctx) {
                Some(Value::Array(a)) => a.clone(),
                _ => {
                    return Err(StatesError::runtime(format!(
                        "Map ItemsPath '{}' does not point at an array",
                        m.items_path
                    )));
                }
            },
        };
        let writer = match &d.result_writer {
            Some(w) => Some(s3_location(w, eff, ctx)?),
            None => None,
        };
        let run_id = uuid::Uuid::new_v4().to_string();
        let label = d.label.as_deref().unwrap_or(&state.name);
        let sm_id = self.base["StateMachine"]["Id"].as_str().unwrap_or_default();
        let map_run_arn = format!(
            "{}/{label}:{run_id}",
            sm_id.replacen(":stateMachine:", ":mapRun:", 1)
        );
        let child_prefix = format!(
            "{}/{label}:{run_id}",
            sm_id.replacen(":stateMachine:", ":execution:", 1)
        );
        let execution_id = self.base["Execution"]["Id"].as_str().unwrap_or_default();
        let progress =
            self.exec
                .map_runs
                .start(execution_id, map_run_arn.clone(), items.len() as u64);
        self.record(
            last,
            EventType::MapRunStarted,
            json!({"name": state.name, "mapRunArn": map_run_arn}),
        );

        let total = items.len();
        let limit = match m.max_concurrency {
            0 => DEFAULT_CHILD_CONCURRENCY,
            n => n,
        };
        let failed = AtomicU64::new(0);
        let exceeded = AtomicBool::new(false);
        let children = futures::stream::iter(items.into_iter().enumerate())
            .take_while(|_| std::future::ready(!exceeded.load(Ordering::SeqCst)))
            .map(|(index, item)| {
                let progress = &progress;
                let child_prefix = &child_prefix;
                async move {
                    progress.started();
                    let child = self
                        .child_execution(m, eff, ctx, child_prefix, index, item)
                        .await;
                    progress.finished(child.result.is_ok());
                    child
                }
            })
            .buffer_unordered(limit)
            .inspect(|child| {
                if child.result.is_err() {
                    let n = failed.fetch_add(1, Ordering::SeqCst) + 1;
                    if exceeds_threshold(d, n, total as u64) {
                        exceeded.store(true, Ordering::SeqCst);
                    }
                }
            })
            .collect::<Vec<Child>>()
            .await;
        let mut children = children;
        children.sort_by_key(|c| c.index);

        let exceeded = exceeded.load(Ordering::SeqCst);
        let output = match &writer {
            Some((bucket, prefix)) => {
                let written = self
                    .write_results(bucket, prefix, &run_id, &map_run_arn, &children, total)
                    .await;
                match written {
                    Ok(key) => {
                        progress.results_written(children.len() as u64);
                        Ok(json!({
                            "MapRunArn": map_run_arn,
                            "ResultWriterDetails": {"Bucket": bucket, "Key": key},
                        }))
                    }
                    Err(e) => Err(e),
                }
            }
            None => Ok(Value::Array(
                children
                    .into_iter()
                    .map(|c| c.result.unwrap_or_else(|e| e.to_output()))
                    .collect(),
            )),
        };
        let output = output.and_then(|v| {
            if exceeded {
                Err(StatesError::new(
                    STATES_EXCEED_TOLERATED_FAILURE_THRESHOLD,
                    format!(
                        "The specified tolerated failure threshold was exceeded: {} of {total} items failed",
                        failed.load(Ordering::SeqCst)
                    ),
                ))
            } else {
                Ok(v)
            }
        });
        match output {
            Ok(v) => {
                self.record(
                    last,
                    EventType::MapRunSucceeded,
                    json!({"name": state.name, "mapRunArn": map_run_arn}),
                );
                select_result(&m.result_selector, v, ctx)
            }
            Err(e) => {
                self.record(
                    last,
                    EventType::MapRunFailed,
                    json!({"name": state.name, "mapRunArn": map_run_arn, "error": e.error, "cause": e.cause}),
                );
                Err(e)
            }
        }
    }

    async fn read_items(
        &self,
        reader: &ItemReader,
        eff: &Value,
        ctx: &Value,
    ) -> Result<Vec<Value>, StatesError> {
        let params = reader.parameters.eval(eff, ctx)?;
        let field = |name: &str| -> Result<String, StatesError> {
            match params.get(name) {
                Some(Value::String(s)) => Ok(s.clone()),
                None if name == "Prefix" => Ok(String::new()),
                _ => Err(StatesError::new(
                    STATES_ITEM_READER_FAILED,
                    format!("ItemReader Parameters.{name} must be a string"),
                )),
            }
        };
        let bucket = field("Bucket")?;
        let mut items = match reader.source {
            ItemSource::ListObjects => self.exec.objects.list(&bucket, &field("Prefix")?).await?,
            ItemSource::JsonArray => {
                let key = field("Key")?;
                let body = self.exec.objects.get(&bucket, &key).await?;
                match serde_json::from_slice::<Value>(&body) {
                    Ok(Value::Array(items)) => items,
                    Ok(_) => {
                        return Err(StatesError::new(
                            STATES_ITEM_READER_FAILED,
                            format!("{key:?} is not a JSON array"),
                        ));
                    }
                    Err(e) => {
                        return Err(StatesError::new(
                            STATES_ITEM_READER_FAILED,
                            format!(
                                "{key:?} is not JSON: line {}, column {}",
                                e.line(),
                                e.column()
                            ),
                        ));
                    }
                }
            }
        };
        if let Some(max) = reader.max_items {
            items.truncate(max as usize);
        }
        Ok(items)
    }

    async fn child_execution(
        &self,
        m: &MapState,
        eff: &Value,
        ctx: &Value,
        child_prefix: &str,
        index: usize,
        item: Value,
    ) -> Child {
        let name = format!("{index:08}");
        let arn = format!("{child_prefix}:{name}");
        let started_at = self.exec.clock.now();
        let mut item_ctx = ctx.clone();
        item_ctx["Map"] = json!({"Item": {"Index": index, "Value": item}});
        let input = match &m.item_selector {
            Some(t) => t.eval(eff, &item_ctx),
            None => Ok(item),
        };
        let (input, result) = match input {
            Err(e) => (Value::Null, Err(e)),
            Ok(input) => {
                // A child execution has its own history and `$$.Execution`, as on AWS.
                let history = History::new(self.exec.clock.clone());
                let child = Run {
                    exec: self.exec,
                    history: &history,
                    base: json!({
                        "Execution": {
                            "Id": arn,
                            "Name": name,
                            "StartTime": rfc3339(started_at),
                            "Input": input,
                        },
                        "StateMachine": self.base["StateMachine"],
                    }),
                };
                let first = history.record(EventType::ExecutionStarted, 0, json!({"input": input}));
                let (r, _) = child.run_graph(&m.processor, input.clone(), first).await;
                (input, r)
            }
        };
        Child {
            index,
            name,
            arn,
            input,
            result,
            started: rfc3339(started_at),
            stopped: rfc3339(self.exec.clock.now()),
        }
    }

    /// Writes `<Prefix>/<map run id>/manifest.json` and the SUCCEEDED_n, FAILED_n and
    /// PENDING_n files it lists; answers the manifest's key.
    async fn write_results(
        &self,
        bucket: &str,
        prefix: &str,
        run_id: &str,
        map_run_arn: &str,
        children: &[Child],
        total: usize,
    ) -> Result<String, StatesError> {
        let sm_id = self.base["StateMachine"]["Id"].clone();
        let dir = if prefix.is_empty() {
            run_id.to_owned()
        } else {
            format!("{}/{run_id}", prefix.trim_end_matches('/'))
        };
        let entry = |c: &Child| {
            let mut e = json!({
                "ExecutionArn": c.arn,
                "Name": c.name,
                "Input": c.input.to_string(),
                "InputDetails": {"Included": true},
                "StartDate": c.started,
                "StopDate": c.stopped,
                "StateMachineArn": sm_id,
            });
            match &c.result {
                Ok(out) => {
                    e["Status"] = json!("SUCCEEDED");
                    e["Output"] = json!(out.to_string());
                    e["OutputDetails"] = json!({"Included": true});
                }
                Err(err) => {
                    e["Status"] = json!("FAILED");
                    e["Error"] = json!(err.error);
                    e["Cause"] = json!(err.cause);
                }
            }
            e
        };
        let succeeded: Vec<Value> = children
            .iter()
            .filter(|c| c.result.is_ok())
            .map(entry)
            .collect();
        let failed: Vec<Value> = children
            .iter()
            .filter(|c| c.result.is_err())
            .map(entry)
            .collect();
        let pending: Vec<Value> = (children.len()..total)
            .map(|index| json!({"Index": index, "Status": "PENDING"}))
            .collect();
        let mut files = serde_json::Map::new();
        for (status, entries) in [
            ("SUCCEEDED", succeeded),
            ("FAILED", failed),
            ("PENDING", pending),
        ] {
            let mut listed = Vec::new();
            for (n, chunk) in entries.chunks(RESULTS_PER_FILE).enumerate() {
                let key = format!("{dir}/{status}_{n}.json");
                let body = serde_json::to_vec(chunk).expect("JSON values serialize");
                listed.push(json!({"Key": key, "Size": body.len()}));
                self.exec.objects.put(bucket, &key, body).await?;
            }
            files.insert(status.to_owned(), Value::Array(listed));
        }
        let manifest = json!({
            "DestinationBucket": bucket,
            "MapRunArn": map_run_arn,
            "ResultFiles": files,
        });
        let key = format!("{dir}/manifest.json");
        let body = serde_json::to_vec_pretty(&manifest).expect("JSON values serialize");
        self.exec.objects.put(bucket, &key, body).await?;
        Ok(key)
    }
}

/// The Map Run fails once failures exceed either threshold; with neither set, the first
/// failure does.
fn exceeds_threshold(d: &DistributedMap, failed: u64, total: u64) -> bool {
    let by_count = d.tolerated_failure_count.map(|c| failed > c);
    let by_percentage = d
        .tolerated_failure_percentage
        .map(|p| (failed as f64) * 100.0 > p * total as f64);
    match (by_count, by_percentage) {
        (None, None) => failed > 0,
        (c, p) => c.unwrap_or(false) || p.unwrap_or(false),
    }
}

fn s3_location(
    w: &ResultWriter,
    eff: &Value,
    ctx: &Value,
) -> Result<(String, String), StatesError> {
    let params = w.parameters.eval(eff, ctx)?;
    let bucket = params.get("Bucket").and_then(Value::as_str);
    let prefix = params.get("Prefix").and_then(Value::as_str).unwrap_or("");
    match bucket {
        Some(b) => Ok((b.to_owned(), prefix.to_owned())),
        None => Err(StatesError::new(
            crate::objects::STATES_RESULT_WRITER_FAILED,
            "ResultWriter Parameters.Bucket must be a string",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChildExecutionType;

    fn limits(count: Option<u64>, percentage: Option<f64>) -> DistributedMap {
        DistributedMap {
            label: None,
            execution_type: ChildExecutionType::Standard,
            item_reader: None,
            result_writer: None,
            tolerated_failure_count: count,
            tolerated_failure_percentage: percentage,
        }
    }

    #[test]
    fn thresholds_are_exceeded_strictly_above_either_limit() {
        assert!(!exceeds_threshold(&limits(None, None), 0, 10));
        assert!(exceeds_threshold(&limits(None, None), 1, 10));
        assert!(!exceeds_threshold(&limits(Some(2), None), 2, 10));
        assert!(exceeds_threshold(&limits(Some(2), None), 3, 10));
        assert!(!exceeds_threshold(&limits(None, Some(20.0)), 2, 10));
        assert!(exceeds_threshold(&limits(None, Some(20.0)), 3, 10));
        // Either limit exceeded is enough.
        assert!(exceeds_threshold(&limits(Some(5), Some(20.0)), 3, 10));
        assert!(exceeds_threshold(&limits(Some(2), Some(50.0)), 3, 10));
        assert!(!exceeds_threshold(&limits(Some(0), Some(0.0)), 0, 0));
    }
}
