//! A Task state's invocation, its Retry policy and its Catch: what happens between a
//! task being scheduled and the state machine moving on.

use std::sync::atomic::AtomicU64;
use std::time::Duration;

use serde_json::{Value, json};

use super::{LAMBDA_NOT_FOUND, Run, Step};
use crate::error::{STATES_TIMEOUT, StatesError};
use crate::history::EventType;
use crate::io_paths::merge;
use crate::model::{LAMBDA_INVOKE, Resource, TaskState};
use crate::retry::{Catcher, Retrier};

impl Run<'_> {
    /// Runs `attempt` until it succeeds, no retrier matches, or the matching retrier is out
    /// of attempts. Each retrier counts its own attempts, as in Step Functions.
    pub(super) async fn retrying<F, Fut>(
        &self,
        retry: &[Retrier],
        mut attempt: F,
    ) -> Result<Value, StatesError>
    where
        F: FnMut(u32) -> Fut,
        Fut: std::future::Future<Output = Result<Value, StatesError>>,
    {
        let mut counts = vec![0u64; retry.len()];
        let mut retries = 0u32;
        loop {
            let err = match attempt(retries).await {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let Some(i) = retry.iter().position(|r| r.matches(&err.error)) else {
                return Err(err);
            };
            if counts[i] >= retry[i].max_attempts {
                return Err(err);
            }
            let delay = retry[i].delay(counts[i] as u32, self.exec.random.unit());
            counts[i] += 1;
            retries += 1;
            self.exec.clock.sleep(delay).await;
        }
    }

    pub(super) fn catch(
        &self,
        catchers: &[Catcher],
        raw_input: &Value,
        e: StatesError,
    ) -> Result<Step, StatesError> {
        match catchers.iter().find(|c| c.matches(&e.error)) {
            Some(c) => {
                let merged = merge(&c.result_path, raw_input, e.to_output())?;
                Ok(Step::Next(c.next.clone(), merged))
            }
            None => Err(e),
        }
    }

    pub(super) async fn invoke(
        &self,
        state: &str,
        task: &TaskState,
        params: Value,
        last: &AtomicU64,
    ) -> Result<Value, StatesError> {
        let (target, payload) = match &task.resource {
            Resource::Direct(r) => (r.clone(), params.clone()),
            Resource::LambdaInvoke => {
                let f = params
                    .get("FunctionName")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        StatesError::runtime(
                            "lambda:invoke Parameters.FunctionName is not a string",
                        )
                    })?;
                let payload = params.get("Payload").cloned().unwrap_or_else(|| json!({}));
                (f.to_owned(), payload)
            }
        };
        let resource = match &task.resource {
            Resource::Direct(r) => r.as_str(),
            Resource::LambdaInvoke => LAMBDA_INVOKE,
        };
        self.record(
            last,
            EventType::TaskScheduled,
            json!({"name": state, "resourceType": "lambda", "resource": resource, "target": target, "parameters": params}),
        );
        self.record(
            last,
            EventType::TaskStarted,
            json!({"name": state, "resource": resource}),
        );
        let result = match self.exec.registry.resolve(&target) {
            None => Err(StatesError::new(
                LAMBDA_NOT_FOUND,
                format!("Function not found: {target}"),
            )),
            Some(h) => {
                let call = h.invoke(payload);
                match task.timeout_seconds {
                    None => call.await.map_err(StatesError::from),
                    Some(secs) => tokio::select! {
                        r = call => r.map_err(StatesError::from),
                        _ = self.exec.clock.deadline(Duration::from_secs(secs)) => Err(StatesError::new(
                            STATES_TIMEOUT,
                            format!("Task timed out after {secs} seconds"),
                        )),
                    },
                }
            }
        };
        match result {
            Ok(out) => {
                self.record(
                    last,
                    EventType::TaskSucceeded,
                    json!({"name": state, "output": out}),
                );
                Ok(match task.resource {
                    // The optimized integration wraps the function's answer as the Lambda
                    // Invoke API does, so ResultSelector `$.Payload` behaves as on AWS.
                    Resource::LambdaInvoke => json!({
                        "ExecutedVersion": "$LATEST",
                        "Payload": out,
                        "SdkHttpMetadata": {"HttpStatusCode": 200},
                        "StatusCode": 200,
                    }),
                    Resource::Direct(_) => out,
                })
            }
            Err(e) => {
                let ty = if e.error == STATES_TIMEOUT {
                    EventType::TaskTimedOut
                } else {
                    EventType::TaskFailed
                };
                self.record(
                    last,
                    ty,
                    json!({"name": state, "error": e.error, "cause": e.cause}),
                );
                Err(e)
            }
        }
    }
}
