//! [`Orchestrator`] over AWS Step Functions: StartExecution, DescribeExecution,
//! StartSyncExecution, ListMapRuns/DescribeMapRun, with the same idempotency and error kinds as the local one.

use std::collections::HashMap;
use std::time::Duration;

use crate::map_run::MapRunCounts;
use async_trait::async_trait;
use aws_sdk_sfn::Client;
use aws_sdk_sfn::primitives::DateTime;
use serde_json::Value;
use time::OffsetDateTime;

use super::machines::backend;
use crate::error::OrchestratorError;
use crate::orchestrator::{
    ExecutionDescription, ExecutionHandle, Orchestrator, validate_execution_name,
};
use crate::status::ExecutionStatus;

/// Definition names (`documents`, `records`) mapped to deployed state machine ARNs.
#[derive(Clone)]
pub struct SfnOrchestrator {
    client: Client,
    machines: HashMap<String, String>,
}

impl SfnOrchestrator {
    pub fn new(client: Client) -> Self {
        Self {
            client,
            machines: HashMap::new(),
        }
    }

    pub fn with_machine(mut self, definition: &str, state_machine_arn: impl Into<String>) -> Self {
        self.machines
            .insert(definition.to_owned(), state_machine_arn.into());
        self
    }

    fn machine_arn(&self, definition: &str) -> Result<&str, OrchestratorError> {
        self.machines
            .get(definition)
            .map(String::as_str)
            .ok_or_else(|| OrchestratorError::UnknownDefinition(definition.to_owned()))
    }

    /// The definition name a state machine ARN was registered under, else the machine's
    /// own name (the last ARN field).
    fn definition_of(&self, state_machine_arn: &str) -> String {
        self.machines
            .iter()
            .find(|(_, arn)| arn.as_str() == state_machine_arn)
            .map(|(name, _)| name.clone())
            .unwrap_or_else(|| {
                state_machine_arn
                    .rsplit(':')
                    .next()
                    .unwrap_or(state_machine_arn)
                    .to_owned()
            })
    }

    /// Polls DescribeExecution until the execution stops or `timeout` passes (then the
    /// last, still RUNNING, description is returned).
    pub async fn wait(
        &self,
        id: &str,
        timeout: Duration,
        every: Duration,
    ) -> Result<ExecutionDescription, OrchestratorError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let d = self.describe_execution(id).await?;
            if d.status.is_terminal() || tokio::time::Instant::now() >= deadline {
                return Ok(d);
            }
            tokio::time::sleep(every).await;
        }
    }
}

/// `arn:aws:states:R:A:stateMachine:M` + `N` → `arn:aws:states:R:A:execution:M:N`.
pub(crate) fn execution_arn(state_machine_arn: &str, name: &str) -> Option<String> {
    let (prefix, machine) = state_machine_arn.split_once(":stateMachine:")?;
    Some(format!("{prefix}:execution:{machine}:{name}"))
}

fn to_time(t: &DateTime) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(
        i128::from(t.secs()) * 1_000_000_000 + i128::from(t.subsec_nanos()),
    )
    .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn parse_json(what: &str, text: Option<&str>) -> Result<Option<Value>, OrchestratorError> {
    text.map(|t| {
        serde_json::from_str(t)
            .map_err(|e| OrchestratorError::Backend(format!("execution {what} is not JSON: {e}")))
    })
    .transpose()
}

fn status(s: &aws_sdk_sfn::types::ExecutionStatus) -> ExecutionStatus {
    // PENDING_REDRIVE means it will run again: still in progress for a caller.
    ExecutionStatus::parse(s.as_str()).unwrap_or(ExecutionStatus::Running)
}

#[async_trait]
impl Orchestrator for SfnOrchestrator {
    async fn start_execution(
        &self,
        definition: &str,
        name: Option<String>,
        input: Value,
    ) -> Result<ExecutionHandle, OrchestratorError> {
        let machine = self.machine_arn(definition)?;
        let name = name.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        validate_execution_name(&name)?;
        let started = self
            .client
            .start_execution()
            .state_machine_arn(machine)
            .name(&name)
            .input(input.to_string())
            .send()
            .await;
        match started {
            Ok(out) => Ok(ExecutionHandle {
                id: out.execution_arn,
                name,
                definition: definition.to_owned(),
                started: to_time(&out.start_date),
            }),
            Err(e) => {
                let Some(service) = e.as_service_error() else {
                    return Err(backend("StartExecution", e));
                };
                if service.is_execution_already_exists() {
                    // Step Functions only answers idempotently while the first run is
                    // going; a finished run with the same input is the same request too.
                    let id = execution_arn(machine, &name).ok_or_else(|| {
                        OrchestratorError::Backend("bad state machine ARN".into())
                    })?;
                    let first = self.describe_execution(&id).await?;
                    if first.input == input {
                        return Ok(ExecutionHandle {
                            id: first.id,
                            name: first.name,
                            definition: definition.to_owned(),
                            started: first.started,
                        });
                    }
                    return Err(OrchestratorError::ExecutionAlreadyExists { name });
                }
                if service.is_invalid_name() {
                    return Err(OrchestratorError::InvalidName(name));
                }
                if service.is_state_machine_does_not_exist() {
                    return Err(OrchestratorError::UnknownDefinition(definition.to_owned()));
                }
                Err(backend("StartExecution", e))
            }
        }
    }

    fn execution_id(&self, definition: &str, name: &str) -> Result<String, OrchestratorError> {
        validate_execution_name(name)?;
        execution_arn(self.machine_arn(definition)?, name)
            .ok_or_else(|| OrchestratorError::Backend("bad state machine ARN".into()))
    }

    async fn describe_execution(
        &self,
        id: &str,
    ) -> Result<ExecutionDescription, OrchestratorError> {
        let out = match self
            .client
            .describe_execution()
            .execution_arn(id)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                let missing = e
                    .as_service_error()
                    .is_some_and(|s| s.is_execution_does_not_exist() || s.is_invalid_arn());
                return Err(if missing {
                    OrchestratorError::ExecutionDoesNotExist(id.to_owned())
                } else {
                    backend("DescribeExecution", e)
                });
            }
        };
        Ok(ExecutionDescription {
            definition: self.definition_of(&out.state_machine_arn),
            name: out.name.unwrap_or_default(),
            status: status(&out.status),
            input: parse_json("input", out.input.as_deref())?.unwrap_or(Value::Null),
            output: parse_json("output", out.output.as_deref())?,
            error: out.error,
            cause: out.cause,
            started: to_time(&out.start_date),
            stopped: out.stop_date.as_ref().map(to_time),
            id: out.execution_arn,
        })
    }

    async fn start_sync_execution(
        &self,
        definition: &str,
        input: Value,
    ) -> Result<ExecutionDescription, OrchestratorError> {
        let machine = self.machine_arn(definition)?;
        let out = self
            .client
            .start_sync_execution()
            .state_machine_arn(machine)
            .input(input.to_string())
            .send()
            .await
            .map_err(|e| {
                if e.as_service_error()
                    .is_some_and(|s| s.is_state_machine_does_not_exist())
                {
                    OrchestratorError::UnknownDefinition(definition.to_owned())
                } else {
                    backend("StartSyncExecution", e)
                }
            })?;
        let status = match out.status.as_str() {
            "SUCCEEDED" => ExecutionStatus::Succeeded,
            "TIMED_OUT" => ExecutionStatus::TimedOut,
            _ => ExecutionStatus::Failed,
        };
        Ok(ExecutionDescription {
            definition: definition.to_owned(),
            name: out.name.unwrap_or_default(),
            status,
            input,
            output: parse_json("output", out.output.as_deref())?,
            error: out.error,
            cause: out.cause,
            started: to_time(&out.start_date),
            stopped: Some(to_time(&out.stop_date)),
            id: out.execution_arn,
        })
    }

    async fn map_runs(&self, id: &str) -> Result<Vec<MapRunCounts>, OrchestratorError> {
        let listed = self
            .client
            .list_map_runs()
            .execution_arn(id)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| {
                if e.as_service_error()
                    .is_some_and(|s| s.is_execution_does_not_exist() || s.is_invalid_arn())
                {
                    OrchestratorError::ExecutionDoesNotExist(id.to_owned())
                } else {
                    backend("ListMapRuns", e)
                }
            })?;
        let mut runs = Vec::with_capacity(listed.len());
        // ListMapRuns answers newest first.
        for run in listed.into_iter().rev() {
            let out = self
                .client
                .describe_map_run()
                .map_run_arn(&run.map_run_arn)
                .send()
                .await
                .map_err(|e| backend("DescribeMapRun", e))?;
            let c = out.item_counts;
            let n = |v: i64| v.max(0) as u64;
            runs.push(MapRunCounts {
                map_run_arn: out.map_run_arn,
                total: c.as_ref().map_or(0, |c| n(c.total)),
                pending: c.as_ref().map_or(0, |c| n(c.pending)),
                running: c.as_ref().map_or(0, |c| n(c.running)),
                succeeded: c.as_ref().map_or(0, |c| n(c.succeeded)),
                failed: c
                    .as_ref()
                    .map_or(0, |c| n(c.failed + c.timed_out + c.aborted)),
                results_written: c.as_ref().map_or(0, |c| n(c.results_written)),
            });
        }
        Ok(runs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn execution_arns_follow_from_the_machine() {
        assert_eq!(
            execution_arn("arn:aws:states:eu-west-1:123:stateMachine:docs", "run-1").as_deref(),
            Some("arn:aws:states:eu-west-1:123:execution:docs:run-1")
        );
        assert_eq!(execution_arn("arn:aws:lambda:x", "n"), None);
    }

    #[test]
    fn times_keep_subseconds() {
        let t = to_time(&DateTime::from_secs_and_nanos(1_700_000_000, 250_000_000));
        assert_eq!(t.unix_timestamp(), 1_700_000_000);
        assert_eq!(t.millisecond(), 250);
    }
}
