//! The local composition root for orchestrated runs: the step handlers of the state
//! machine definitions, bound to the embedded keyring, vault and document store.

use std::sync::Arc;

use anyhow::{Context, Result};
use deidentify::Deidentifier;
use serde_json::Value;
use service::{
    DEFAULT_CHUNK_BYTES, DocumentRoots, DocumentStore, EngineCache, EngineError, FileDocumentStore,
    PolicyNames, Step, StepRunner,
};
use statemachine::{
    DEIDENTIFY_FUNCTION, DETECT_FUNCTION, ExecutionStore, Executor, LocalOrchestrator,
    MASK_FUNCTION, TaskError, TaskHandler, TaskRegistry, documents_machine, jobs_machine,
    local_substitutions, records_machine,
};

use crate::local::Local;
use service::Home;

/// Engines by policy name (built on first use: a state names its policy), the vault they
/// share, and where orchestrated runs keep documents.
pub struct Pipeline {
    engines: Arc<EngineCache>,
    deidentifier: Arc<Deidentifier>,
    docs: Arc<dyn DocumentStore>,
}

impl Pipeline {
    pub fn new(local: Local, docs: Arc<dyn DocumentStore>) -> Self {
        let deidentifier = local.deidentifier.clone();
        let engines = EngineCache::new("default", move |policy| {
            local
                .engine(policy)
                .map_err(|e| EngineError::InvalidInput(format!("{e:#}")))
        });
        Self {
            engines: Arc::new(engines),
            deidentifier,
            docs,
        }
    }

    pub fn engines(&self) -> Arc<EngineCache> {
        self.engines.clone()
    }

    pub fn deidentifier(&self) -> &Arc<Deidentifier> {
        &self.deidentifier
    }
}

/// A state machine task run in process by the one step runner.
struct StepTask {
    step: Step,
    runner: Arc<StepRunner>,
}

#[async_trait::async_trait]
impl TaskHandler for StepTask {
    async fn invoke(&self, state: Value) -> Result<Value, TaskError> {
        self.runner
            .run(self.step, &state)
            .await
            .map_err(|e| TaskError::function_error(e.error_name(), &e.to_string()))
    }
}

pub fn registry(pipeline: Arc<Pipeline>) -> TaskRegistry {
    // The local CLI may name policy files, not only built-in policies.
    let runner = Arc::new(StepRunner::new(
        pipeline.engines(),
        PolicyNames::Any,
        pipeline.docs.clone(),
    ));
    let handler = |step| {
        Arc::new(StepTask {
            step,
            runner: runner.clone(),
        }) as Arc<dyn TaskHandler>
    };
    TaskRegistry::new()
        .with(DETECT_FUNCTION, handler(Step::Detect))
        .with(MASK_FUNCTION, handler(Step::Mask))
        .with(DEIDENTIFY_FUNCTION, handler(Step::Deidentify))
}

/// The local orchestrator over the shipped definitions (plus an optional custom one),
/// persisting executions in the home directory.
pub fn orchestrator(
    home: &Home,
    pipeline: Arc<Pipeline>,
    custom: Option<(String, String)>,
) -> Result<LocalOrchestrator> {
    let subs = local_substitutions();
    let mut definitions = vec![
        ("documents".to_string(), documents_machine(&subs)?),
        ("records".to_string(), records_machine(&subs)?),
        ("jobs".to_string(), jobs_machine(&subs)?),
    ];
    if let Some((name, text)) = custom {
        let machine = statemachine::StateMachine::from_json(&text, &subs)
            .with_context(|| format!("loading definition {name}"))?;
        definitions.push((name, machine));
    }
    let store = ExecutionStore::open(home.executions())?;
    let executor = Executor::new(registry(pipeline));
    Ok(LocalOrchestrator::new(executor, store, definitions)?)
}

pub fn open(home: &Home) -> Result<Arc<Pipeline>> {
    open_with_chunks(home, DEFAULT_CHUNK_BYTES)
}

/// Documents above `chunk_bytes` run as a Map over chunks of about that size.
pub fn open_with_chunks(home: &Home, chunk_bytes: u64) -> Result<Arc<Pipeline>> {
    let local = Local::open_or_init(home)?;
    Ok(Arc::new(Pipeline::new(
        local,
        Arc::new(store(home, chunk_bytes)),
    )))
}

/// For a server: the steps read only documents that really lie in `roots`.
pub fn open_confined(home: &Home, roots: DocumentRoots) -> Result<Arc<Pipeline>> {
    let local = Local::open_or_init(home)?;
    let docs = store(home, DEFAULT_CHUNK_BYTES).with_read_roots(roots);
    Ok(Arc::new(Pipeline::new(local, Arc::new(docs))))
}

fn store(home: &Home, chunk_bytes: u64) -> FileDocumentStore {
    FileDocumentStore::new(home.root().join("objects")).with_chunk_bytes(Some(chunk_bytes))
}
