//! `Orchestrator` over the local executor, with executions recorded in SQLite.

use crate::error::{LoadError, LoadErrorKind, OrchestratorError};
use crate::executor::{ExecutionContext, ExecutionOutcome, Executor};
use crate::history::HistoryEvent;
use crate::map_run::MapRunCounts;
use crate::model::StateMachine;
use crate::orchestrator::{
    ExecutionDescription, ExecutionHandle, Orchestrator, validate_execution_name,
};
use crate::store::{Created, ExecutionStore};
use async_trait::async_trait;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

#[derive(Clone)]
pub struct LocalOrchestrator {
    inner: Arc<Inner>,
}

struct Inner {
    definitions: HashMap<String, Arc<StateMachine>>,
    executor: Executor,
    store: ExecutionStore,
    /// Executions this process is running; the channel turns `Some` when one ends.
    running: Mutex<HashMap<String, watch::Receiver<Option<ExecutionDescription>>>>,
}

fn state_machine_id(definition: &str) -> String {
    format!("arn:aws:states:local:000000000000:stateMachine:{definition}")
}

fn execution_id(definition: &str, name: &str) -> String {
    format!("arn:aws:states:local:000000000000:execution:{definition}:{name}")
}

fn describe_outcome(
    id: String,
    name: String,
    definition: &str,
    input: Value,
    o: ExecutionOutcome,
) -> ExecutionDescription {
    ExecutionDescription {
        id,
        name,
        definition: definition.to_owned(),
        status: o.status,
        input,
        output: o.output,
        error: o.error,
        cause: o.cause,
        started: o.started,
        stopped: Some(o.stopped),
    }
}

impl LocalOrchestrator {
    /// Every statically named task target of every definition must have a handler, so a
    /// missing mapping fails at start-up rather than in the middle of an execution.
    pub fn new(
        executor: Executor,
        store: ExecutionStore,
        definitions: impl IntoIterator<Item = (String, StateMachine)>,
    ) -> Result<Self, OrchestratorError> {
        let definitions: HashMap<String, Arc<StateMachine>> = definitions
            .into_iter()
            .map(|(n, m)| (n, Arc::new(m)))
            .collect();
        for m in definitions.values() {
            for target in m.task_targets() {
                if executor.registry().resolve(&target).is_none() {
                    return Err(LoadError::top(LoadErrorKind::NoHandler(target)).into());
                }
            }
        }
        Ok(LocalOrchestrator {
            inner: Arc::new(Inner {
                definitions,
                executor,
                store,
                running: Mutex::new(HashMap::new()),
            }),
        })
    }

    fn machine(&self, definition: &str) -> Result<Arc<StateMachine>, OrchestratorError> {
        self.inner
            .definitions
            .get(definition)
            .cloned()
            .ok_or_else(|| OrchestratorError::UnknownDefinition(definition.to_owned()))
    }

    /// Waits until an execution started by this process ends; for any other id, returns
    /// what the store says.
    pub async fn wait_execution(
        &self,
        id: &str,
    ) -> Result<ExecutionDescription, OrchestratorError> {
        let rx = self
            .inner
            .running
            .lock()
            .expect("running lock")
            .get(id)
            .cloned();
        if let Some(mut rx) = rx
            && let Ok(done) = rx.wait_for(Option::is_some).await
        {
            return Ok(done.clone().expect("waited for Some"));
        }
        self.describe_execution(id).await
    }

    pub fn history(&self, id: &str) -> Result<Vec<HistoryEvent>, OrchestratorError> {
        if self.inner.store.get(id)?.is_none() {
            return Err(OrchestratorError::ExecutionDoesNotExist(id.to_owned()));
        }
        Ok(self.inner.store.history(id)?)
    }

    pub fn store(&self) -> &ExecutionStore {
        &self.inner.store
    }
}

#[async_trait]
impl Orchestrator for LocalOrchestrator {
    async fn start_execution(
        &self,
        definition: &str,
        name: Option<String>,
        input: Value,
    ) -> Result<ExecutionHandle, OrchestratorError> {
        let machine = self.machine(definition)?;
        let name = name.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        validate_execution_name(&name)?;
        let id = execution_id(definition, &name);
        let started = self.inner.executor.clock().now();
        let rec = match self
            .inner
            .store
            .create(&id, definition, &name, &input, started)?
        {
            Created::Existing(rec) => {
                return Ok(ExecutionHandle {
                    id: rec.id,
                    name: rec.name,
                    definition: rec.definition,
                    started: rec.started,
                });
            }
            Created::New(rec) => rec,
        };
        let (tx, rx) = watch::channel(None);
        self.inner
            .running
            .lock()
            .expect("running lock")
            .insert(id.clone(), rx);
        let inner = self.inner.clone();
        let ctx = ExecutionContext {
            id: id.clone(),
            name: name.clone(),
            state_machine_id: state_machine_id(definition),
            state_machine_name: definition.to_owned(),
        };
        let definition_name = definition.to_owned();
        tokio::spawn(async move {
            let outcome = inner.executor.execute(&machine, &ctx, input.clone()).await;
            // If the store cannot record the end, the record stays RUNNING; waiters still get
            // the real outcome from memory.
            let _ = inner.store.finish(
                &ctx.id,
                outcome.status,
                outcome.output.as_ref(),
                outcome.error.as_deref(),
                outcome.cause.as_deref(),
                outcome.stopped,
                &outcome.events,
            );
            let desc = describe_outcome(ctx.id.clone(), ctx.name, &definition_name, input, outcome);
            let _ = tx.send(Some(desc));
            inner.running.lock().expect("running lock").remove(&ctx.id);
        });
        Ok(ExecutionHandle {
            id,
            name,
            definition: definition.to_owned(),
            started: rec.started,
        })
    }

    fn execution_id(&self, definition: &str, name: &str) -> Result<String, OrchestratorError> {
        self.machine(definition)?;
        validate_execution_name(name)?;
        Ok(execution_id(definition, name))
    }

    async fn describe_execution(
        &self,
        id: &str,
    ) -> Result<ExecutionDescription, OrchestratorError> {
        self.inner
            .store
            .get(id)?
            .ok_or_else(|| OrchestratorError::ExecutionDoesNotExist(id.to_owned()))
    }

    /// Express executions are not persisted, as on AWS: the caller gets the whole outcome.
    async fn start_sync_execution(
        &self,
        definition: &str,
        input: Value,
    ) -> Result<ExecutionDescription, OrchestratorError> {
        let machine = self.machine(definition)?;
        let name = uuid::Uuid::new_v4().to_string();
        let id = format!("arn:aws:states:local:000000000000:express:{definition}:{name}");
        let ctx = ExecutionContext {
            id: id.clone(),
            name: name.clone(),
            state_machine_id: state_machine_id(definition),
            state_machine_name: definition.to_owned(),
        };
        let outcome = self
            .inner
            .executor
            .execute(&machine, &ctx, input.clone())
            .await;
        Ok(describe_outcome(id, name, definition, input, outcome))
    }

    /// Counts of the Map Runs executions of this process started; an execution from an
    /// earlier process has none here (its ResultWriter manifest lists what it did).
    async fn map_runs(&self, id: &str) -> Result<Vec<MapRunCounts>, OrchestratorError> {
        if self.inner.store.get(id)?.is_none() {
            return Err(OrchestratorError::ExecutionDoesNotExist(id.to_owned()));
        }
        Ok(self.inner.executor.map_runs(id))
    }
}
