//! Runs a loaded state machine against a task registry, recording history: the
//! interpreter walks states here; a Task's invocation, Retry and Catch are in
//! `task_retry`, Map and Parallel fan-out in `fan_out`.

mod distributed;
mod fan_out;
mod task_retry;

pub use distributed::STATES_EXCEED_TOLERATED_FAILURE_THRESHOLD;

use crate::clock::{Clock, OsRandom, Random, RealClock};
use crate::error::{STATES_NO_CHOICE_MATCHED, STATES_TIMEOUT, StatesError};
use crate::history::{EventType, History, HistoryEvent};
use crate::io_paths::{merge, select};
use crate::map_run::{MapRunCounts, MapRuns};
use crate::model::*;
use crate::objects::{DirectoryObjects, ObjectStore};
use crate::status::ExecutionStatus;
use crate::task::TaskRegistry;
use crate::template::Template;
use futures::future::BoxFuture;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Error name a Lambda invoke gets when the function does not exist.
pub const LAMBDA_NOT_FOUND: &str = "Lambda.ResourceNotFoundException";

#[derive(Clone)]
pub struct Executor {
    registry: TaskRegistry,
    clock: Arc<dyn Clock>,
    random: Arc<dyn Random>,
    objects: Arc<dyn ObjectStore>,
    map_runs: MapRuns,
}

/// Identity of one execution, exposed to definitions through the `$$` context object.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionContext {
    pub id: String,
    pub name: String,
    pub state_machine_id: String,
    pub state_machine_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionOutcome {
    pub status: ExecutionStatus,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub started: OffsetDateTime,
    pub stopped: OffsetDateTime,
    pub events: Vec<HistoryEvent>,
}

enum Step {
    Next(String, Value),
    End(Value),
}

impl Executor {
    pub fn new(registry: TaskRegistry) -> Self {
        Executor {
            registry,
            clock: Arc::new(RealClock),
            random: Arc::new(OsRandom),
            objects: Arc::new(DirectoryObjects),
            map_runs: MapRuns::default(),
        }
    }

    /// Where Distributed Maps read items and write results (`file://` directories by
    /// default).
    pub fn with_objects(mut self, objects: Arc<dyn ObjectStore>) -> Self {
        self.objects = objects;
        self
    }

    /// The item counts of the Distributed Maps an execution started.
    pub fn map_runs(&self, execution_id: &str) -> Vec<MapRunCounts> {
        self.map_runs.for_execution(execution_id)
    }

    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn with_random(mut self, random: Arc<dyn Random>) -> Self {
        self.random = random;
        self
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub fn registry(&self) -> &TaskRegistry {
        &self.registry
    }

    pub async fn execute(
        &self,
        machine: &StateMachine,
        ctx: &ExecutionContext,
        input: Value,
    ) -> ExecutionOutcome {
        let started = self.clock.now();
        let history = History::new(self.clock.clone());
        let first = history.record(
            EventType::ExecutionStarted,
            0,
            json!({"input": input, "stateMachineArn": ctx.state_machine_id}),
        );
        let run = Run {
            exec: self,
            history: &history,
            base: json!({
                "Execution": {
                    "Id": ctx.id,
                    "Name": ctx.name,
                    "StartTime": rfc3339(started),
                    "Input": input,
                },
                "StateMachine": {"Id": ctx.state_machine_id, "Name": ctx.state_machine_name},
            }),
        };
        let fut = run.run_graph(&machine.graph, input, first);
        let (result, last, timed_out) = match machine.timeout_seconds {
            None => {
                let (r, last) = fut.await;
                (r, last, false)
            }
            Some(secs) => tokio::select! {
                (r, last) = fut => (r, last, false),
                _ = self.clock.deadline(Duration::from_secs(secs)) => (
                    Err(StatesError::new(STATES_TIMEOUT, format!("Execution timed out after {secs} seconds"))),
                    history.events().last().map_or(first, |e| e.id),
                    true,
                ),
            },
        };
        let (status, output, error, cause) = match result {
            Ok(out) => {
                history.record(EventType::ExecutionSucceeded, last, json!({"output": out}));
                (ExecutionStatus::Succeeded, Some(out), None, None)
            }
            Err(e) => {
                let (ty, status) = if timed_out {
                    (EventType::ExecutionTimedOut, ExecutionStatus::TimedOut)
                } else {
                    (EventType::ExecutionFailed, ExecutionStatus::Failed)
                };
                history.record(ty, last, json!({"error": e.error, "cause": e.cause}));
                let non_empty = |s: String| (!s.is_empty()).then_some(s);
                (status, None, non_empty(e.error), non_empty(e.cause))
            }
        };
        ExecutionOutcome {
            status,
            output,
            error,
            cause,
            started,
            stopped: self.clock.now(),
            events: history.events(),
        }
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

struct Run<'a> {
    exec: &'a Executor,
    history: &'a History,
    /// `$$.Execution` and `$$.StateMachine`; `State` and `Map` are added per state.
    base: Value,
}

type GraphResult = (Result<Value, StatesError>, u64);

impl Run<'_> {
    fn run_graph<'b>(
        &'b self,
        graph: &'b Graph,
        input: Value,
        prev: u64,
    ) -> BoxFuture<'b, GraphResult> {
        Box::pin(async move {
            let mut name = graph.start_at.as_str();
            let mut input = input;
            let mut prev = prev;
            loop {
                let state = &graph.states[name];
                let ty = state.kind.type_name();
                let entered_at = self.exec.clock.now();
                let entered = self.history.record(
                    EventType::entered(ty),
                    prev,
                    json!({"name": name, "input": input}),
                );
                let last = AtomicU64::new(entered);
                let ctx = self.context(name, entered_at, 0);
                let step = self.run_state(state, input, &ctx, &last).await;
                prev = last.load(Ordering::SeqCst);
                match step {
                    Err(e) => return (Err(e), prev),
                    Ok(step) => {
                        let output = match &step {
                            Step::Next(_, v) | Step::End(v) => v,
                        };
                        if let Some(exited) = EventType::exited(ty) {
                            prev = self.history.record(
                                exited,
                                prev,
                                json!({"name": name, "output": output}),
                            );
                        }
                        match step {
                            Step::End(v) => return (Ok(v), prev),
                            Step::Next(n, v) => {
                                name = graph
                                    .states
                                    .get_key_value(&n)
                                    .map(|(k, _)| k.as_str())
                                    .expect("transitions validated at load");
                                input = v;
                            }
                        }
                    }
                }
            }
        })
    }

    fn context(&self, state: &str, entered: OffsetDateTime, retry_count: u32) -> Value {
        let mut ctx = self.base.clone();
        ctx["State"] =
            json!({"Name": state, "EnteredTime": rfc3339(entered), "RetryCount": retry_count});
        ctx
    }

    fn record(&self, last: &AtomicU64, ty: EventType, details: Value) -> u64 {
        let id = self
            .history
            .record(ty, last.load(Ordering::SeqCst), details);
        last.store(id, Ordering::SeqCst);
        id
    }

    async fn run_state(
        &self,
        state: &State,
        input: Value,
        ctx: &Value,
        last: &AtomicU64,
    ) -> Result<Step, StatesError> {
        let eff = select(&state.input_path, &input, ctx, "InputPath")?;
        let output = |merged: &Value| select(&state.output_path, merged, ctx, "OutputPath");
        match &state.kind {
            StateKind::Pass(p) => {
                let mut result = match &p.parameters {
                    Some(t) => t.eval(&eff, ctx)?,
                    None => eff,
                };
                if let Some(r) = &p.result {
                    result = r.clone();
                }
                let merged = merge(&p.result_path, &input, result)?;
                next(state, output(&merged)?)
            }
            StateKind::Task(t) => {
                let attempt = |retry_count: u32| {
                    let eff = &eff;
                    async move {
                        let ctx = self.context(&state.name, self.exec.clock.now(), retry_count);
                        let params = match &t.parameters {
                            Some(p) => p.eval(eff, &ctx)?,
                            None => eff.clone(),
                        };
                        let result = self.invoke(&state.name, t, params, last).await?;
                        match &t.result_selector {
                            Some(s) => s.eval(&result, &ctx),
                            None => Ok(result),
                        }
                    }
                };
                match self.retrying(&t.retry, attempt).await {
                    Ok(result) => {
                        let merged = merge(&t.result_path, &input, result)?;
                        next(state, output(&merged)?)
                    }
                    Err(e) => self.catch(&t.catch, &input, e),
                }
            }
            StateKind::Choice(c) => {
                for choice in &c.choices {
                    if choice.rule.eval(&eff, ctx)? {
                        return Ok(Step::Next(choice.next.clone(), output(&eff)?));
                    }
                }
                match &c.default {
                    Some(d) => Ok(Step::Next(d.clone(), output(&eff)?)),
                    None => Err(StatesError::new(
                        STATES_NO_CHOICE_MATCHED,
                        format!("No Matches! in state {:?}", state.name),
                    )),
                }
            }
            StateKind::Wait(w) => {
                let delay = self.wait_duration(w, &eff, ctx)?;
                self.exec.clock.sleep(delay).await;
                next(state, output(&eff)?)
            }
            StateKind::Succeed => Ok(Step::End(output(&eff)?)),
            StateKind::Fail(f) => {
                let field = |v: &Option<FailField>, what: &str| -> Result<String, StatesError> {
                    Ok(match v {
                        None => String::new(),
                        Some(FailField::Literal(s)) => s.clone(),
                        Some(FailField::Dynamic(d)) => match d.eval(&input, ctx, what)? {
                            Value::String(s) => s,
                            other => other.to_string(),
                        },
                    })
                };
                Err(StatesError::new(
                    field(&f.error, "ErrorPath")?,
                    field(&f.cause, "CausePath")?,
                ))
            }
            StateKind::Map(m) => {
                let attempt = |_retry: u32| async {
                    match &m.distributed {
                        Some(d) => self.run_distributed(state, m, d, &eff, ctx, last).await,
                        None => self.run_map(state, m, &eff, ctx, last).await,
                    }
                };
                match self.retrying(&m.retry, attempt).await {
                    Ok(result) => {
                        let merged = merge(&m.result_path, &input, result)?;
                        next(state, output(&merged)?)
                    }
                    Err(e) => self.catch(&m.catch, &input, e),
                }
            }
            StateKind::Parallel(p) => {
                let attempt = |_retry: u32| self.run_parallel(state, p, &eff, ctx, last);
                match self.retrying(&p.retry, attempt).await {
                    Ok(result) => {
                        let merged = merge(&p.result_path, &input, result)?;
                        next(state, output(&merged)?)
                    }
                    Err(e) => self.catch(&p.catch, &input, e),
                }
            }
        }
    }

    fn wait_duration(
        &self,
        w: &WaitState,
        eff: &Value,
        ctx: &Value,
    ) -> Result<Duration, StatesError> {
        let until = |t: OffsetDateTime| {
            let d = t - self.exec.clock.now();
            Duration::try_from(d).unwrap_or(Duration::ZERO)
        };
        Ok(match w {
            WaitState::Seconds(s) => Duration::from_secs(*s),
            WaitState::SecondsPath(p) => match p.get(eff, ctx).and_then(Value::as_u64) {
                Some(s) => Duration::from_secs(s),
                None => {
                    return Err(StatesError::runtime(format!(
                        "SecondsPath '{p}' is not a non-negative integer in the input"
                    )));
                }
            },
            WaitState::Timestamp(t) => until(*t),
            WaitState::TimestampPath(p) => {
                match p
                    .get(eff, ctx)
                    .and_then(Value::as_str)
                    .and_then(crate::choice::timestamp)
                {
                    Some(t) => until(t),
                    None => {
                        return Err(StatesError::runtime(format!(
                            "TimestampPath '{p}' is not an RFC 3339 timestamp in the input"
                        )));
                    }
                }
            }
        })
    }
}

fn select_result(
    selector: &Option<Template>,
    result: Value,
    ctx: &Value,
) -> Result<Value, StatesError> {
    match selector {
        Some(s) => s.eval(&result, ctx),
        None => Ok(result),
    }
}

fn next(state: &State, output: Value) -> Result<Step, StatesError> {
    Ok(match &state.transition {
        Transition::Next(n) => Step::Next(n.clone(), output),
        Transition::End | Transition::None => Step::End(output),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FakeClock;
    use crate::substitute::Substitutions;

    fn ctx() -> ExecutionContext {
        ExecutionContext {
            id: "exec-1".into(),
            name: "n".into(),
            state_machine_id: "sm".into(),
            state_machine_name: "sm".into(),
        }
    }

    #[tokio::test]
    async fn pass_chain_records_entered_and_exited_events_in_order() {
        let m = StateMachine::from_value(
            json!({"StartAt": "A", "States": {
                "A": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.a", "Next": "B"},
                "B": {"Type": "Succeed"}}}),
            &Substitutions::new(),
        )
        .unwrap();
        let ex = Executor::new(TaskRegistry::new()).with_clock(Arc::new(FakeClock::default()));
        let out = ex.execute(&m, &ctx(), json!({"in": true})).await;
        assert_eq!(out.status, ExecutionStatus::Succeeded);
        assert_eq!(out.output, Some(json!({"in": true, "a": {"x": 1}})));
        let types: Vec<&str> = out.events.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(
            types,
            [
                "ExecutionStarted",
                "PassStateEntered",
                "PassStateExited",
                "SucceedStateEntered",
                "SucceedStateExited",
                "ExecutionSucceeded"
            ]
        );
        for w in out.events.windows(2) {
            assert_eq!(w[1].previous_event_id, w[0].id);
        }
    }

    #[tokio::test]
    async fn missing_handler_fails_with_lambda_not_found() {
        let m = StateMachine::from_value(
            json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "nope", "End": true}}}),
            &Substitutions::new(),
        )
        .unwrap();
        let ex = Executor::new(TaskRegistry::new()).with_clock(Arc::new(FakeClock::default()));
        let out = ex.execute(&m, &ctx(), json!({})).await;
        assert_eq!(out.status, ExecutionStatus::Failed);
        assert_eq!(out.error.as_deref(), Some(LAMBDA_NOT_FOUND));
    }
}
