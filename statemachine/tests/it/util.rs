use serde_json::Value;
use statemachine::{
    ExecutionContext, ExecutionOutcome, Executor, FakeClock, FixedRandom, StateMachine,
    Substitutions, TaskError, TaskHandler, TaskRegistry,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub fn load(def: Value) -> StateMachine {
    StateMachine::from_value(def, &Substitutions::new()).unwrap_or_else(|e| panic!("load: {e}"))
}

pub fn ctx() -> ExecutionContext {
    ExecutionContext {
        id: "arn:aws:states:local:000000000000:execution:conf:run-1".into(),
        name: "run-1".into(),
        state_machine_id: "arn:aws:states:local:000000000000:stateMachine:conf".into(),
        state_machine_name: "conf".into(),
    }
}

pub fn executor(registry: TaskRegistry, clock: Arc<FakeClock>) -> Executor {
    Executor::new(registry)
        .with_clock(clock)
        .with_random(Arc::new(FixedRandom(0.5)))
}

pub async fn run(def: Value, input: Value) -> ExecutionOutcome {
    run_with(
        def,
        input,
        TaskRegistry::new(),
        Arc::new(FakeClock::default()),
    )
    .await
}

pub async fn run_with(
    def: Value,
    input: Value,
    registry: TaskRegistry,
    clock: Arc<FakeClock>,
) -> ExecutionOutcome {
    executor(registry, clock)
        .execute(&load(def), &ctx(), input)
        .await
}

/// Answers from a script: each call takes the next entry; the last entry repeats.
/// Records every payload it receives.
pub struct Scripted {
    script: Vec<Result<Value, TaskError>>,
    pub calls: AtomicUsize,
    pub payloads: Mutex<Vec<Value>>,
}

impl Scripted {
    pub fn new(script: Vec<Result<Value, TaskError>>) -> Arc<Self> {
        Arc::new(Scripted {
            script,
            calls: AtomicUsize::new(0),
            payloads: Mutex::new(Vec::new()),
        })
    }

    pub fn ok(v: Value) -> Arc<Self> {
        Scripted::new(vec![Ok(v)])
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

pub fn err(name: &str, cause: &str) -> Result<Value, TaskError> {
    Err(TaskError::new(name, cause))
}

#[async_trait::async_trait]
impl TaskHandler for Scripted {
    async fn invoke(&self, payload: Value) -> Result<Value, TaskError> {
        self.payloads.lock().unwrap().push(payload);
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        self.script[n.min(self.script.len() - 1)].clone()
    }
}

/// Never answers: for TimeoutSeconds tests under paused tokio time.
pub struct Hang;

#[async_trait::async_trait]
impl TaskHandler for Hang {
    async fn invoke(&self, _payload: Value) -> Result<Value, TaskError> {
        std::future::pending().await
    }
}
