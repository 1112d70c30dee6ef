//! The local composition root for orchestrated runs: the step handlers of the state
//! machine definitions, bound to the embedded keyring, vault and document store.

use std::sync::Arc;

use anyhow::{Context, Result};
use deidentify::{
    DEFAULT_CHUNK_BYTES, Deidentifier, DocumentStore, Engine, EngineCache, EngineError,
    FileDocumentStore,
};
use serde_json::Value;
use statemachine::{
    DEIDENTIFY_FUNCTION, DETECT_FUNCTION, ExecutionStore, Executor, LocalOrchestrator,
    MASK_FUNCTION, TaskError, TaskHandler, TaskRegistry, documents_machine, local_substitutions,
    records_machine,
};

use crate::home::Home;
use crate::local::Local;

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

    pub fn engine(&self, policy: &str) -> Result<Arc<Engine>, EngineError> {
        self.engines.get(Some(policy))
    }

    pub fn engines(&self) -> Arc<EngineCache> {
        self.engines.clone()
    }

    pub fn deidentifier(&self) -> &Arc<Deidentifier> {
        &self.deidentifier
    }
}

#[derive(Clone, Copy)]
enum Step {
    Detect,
    Mask,
    Deidentify,
}

struct StepHandler {
    step: Step,
    pipeline: Arc<Pipeline>,
}

#[async_trait::async_trait]
impl TaskHandler for StepHandler {
    async fn invoke(&self, state: Value) -> Result<Value, TaskError> {
        let policy = state
            .get("policy")
            .and_then(Value::as_str)
            .unwrap_or("default")
            .to_string();
        let run = async {
            let engine = self.pipeline.engine(&policy)?;
            let docs = self.pipeline.docs.as_ref();
            match self.step {
                Step::Detect => engine.detect_step(&state, docs).await,
                Step::Mask => engine.mask_step(&state, docs).await,
                Step::Deidentify => engine.deidentify_step(&state, docs).await,
            }
        };
        run.await
            .map_err(|e| TaskError::function_error(e.error_name(), &e.to_string()))
    }
}

pub fn registry(pipeline: Arc<Pipeline>) -> TaskRegistry {
    let handler = |step| {
        Arc::new(StepHandler {
            step,
            pipeline: pipeline.clone(),
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
    let docs = Arc::new(
        FileDocumentStore::new(home.root().join("objects")).with_chunk_bytes(Some(chunk_bytes)),
    );
    Ok(Arc::new(Pipeline::new(local, docs)))
}
