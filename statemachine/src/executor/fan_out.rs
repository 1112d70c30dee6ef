//! Map and Parallel: one state running many sub-graphs, each with its own history branch.

use std::sync::atomic::AtomicU64;

use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};

use super::{Run, select_result};
use crate::error::StatesError;
use crate::history::EventType;
use crate::model::{MapState, ParallelState, State};

impl Run<'_> {
    pub(super) async fn run_map(
        &self,
        state: &State,
        m: &MapState,
        eff: &Value,
        ctx: &Value,
        last: &AtomicU64,
    ) -> Result<Value, StatesError> {
        let items = match m.items_path.get(eff, ctx) {
            Some(Value::Array(a)) => a.clone(),
            _ => {
                return Err(StatesError::runtime(format!(
                    "Map ItemsPath '{}' does not point at an array",
                    m.items_path
                )));
            }
        };
        let name = state.name.as_str();
        let started = self.record(
            last,
            EventType::MapStateStarted,
            json!({"name": name, "length": items.len()}),
        );
        let limit = if m.max_concurrency == 0 {
            items.len().max(1)
        } else {
            m.max_concurrency
        };
        let iterations = items
            .into_iter()
            .enumerate()
            .map(|(index, item)| self.map_iteration(name, m, eff, ctx, started, index, item));
        let result: Result<Vec<Value>, StatesError> = futures::stream::iter(iterations)
            .buffered(limit)
            .try_collect()
            .await;
        match result {
            Ok(values) => {
                self.record(last, EventType::MapStateSucceeded, json!({"name": name}));
                let v = Value::Array(values);
                select_result(&m.result_selector, v, ctx)
            }
            Err(e) => {
                self.record(
                    last,
                    EventType::MapStateFailed,
                    json!({"name": name, "error": e.error, "cause": e.cause}),
                );
                Err(e)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) async fn map_iteration(
        &self,
        name: &str,
        m: &MapState,
        eff: &Value,
        ctx: &Value,
        started: u64,
        index: usize,
        item: Value,
    ) -> Result<Value, StatesError> {
        let mut item_ctx = ctx.clone();
        item_ctx["Map"] = json!({"Item": {"Index": index, "Value": item}});
        let item_input = match &m.item_selector {
            Some(t) => t.eval(eff, &item_ctx)?,
            None => item,
        };
        let it = self.history.record(
            EventType::MapIterationStarted,
            started,
            json!({"name": name, "index": index}),
        );
        let (r, end) = self.run_graph(&m.processor, item_input, it).await;
        let ty = if r.is_ok() {
            EventType::MapIterationSucceeded
        } else {
            EventType::MapIterationFailed
        };
        self.history
            .record(ty, end, json!({"name": name, "index": index}));
        r
    }

    pub(super) async fn run_parallel(
        &self,
        state: &State,
        p: &ParallelState,
        eff: &Value,
        ctx: &Value,
        last: &AtomicU64,
    ) -> Result<Value, StatesError> {
        let name = state.name.as_str();
        let branch_input = match &p.parameters {
            Some(t) => t.eval(eff, ctx)?,
            None => eff.clone(),
        };
        let started = self.record(last, EventType::ParallelStateStarted, json!({"name": name}));
        let branches = p.branches.iter().map(|b| {
            let input = branch_input.clone();
            async move { self.run_graph(b, input, started).await.0 }
        });
        match futures::future::try_join_all(branches).await {
            Ok(values) => {
                self.record(
                    last,
                    EventType::ParallelStateSucceeded,
                    json!({"name": name}),
                );
                select_result(&p.result_selector, Value::Array(values), ctx)
            }
            Err(e) => {
                self.record(
                    last,
                    EventType::ParallelStateFailed,
                    json!({"name": name, "error": e.error, "cause": e.cause}),
                );
                Err(e)
            }
        }
    }
}
