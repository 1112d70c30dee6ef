//! Creating (or updating) a state machine from a definition: what CloudFormation does on
//! AWS, done directly for emulators and development accounts.

use aws_sdk_sfn::Client;
use aws_sdk_sfn::types::StateMachineType;
use serde_json::Value;

use crate::error::OrchestratorError;
use crate::substitute::{Substitutions, substitute};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineKind {
    Standard,
    Express,
}

/// Substitutes the `${...}` placeholders of `asl`, then creates the state machine `name`,
/// or points the existing one at the new definition. Returns its ARN.
pub async fn deploy_state_machine(
    client: &Client,
    name: &str,
    asl: &str,
    subs: &Substitutions,
    role_arn: &str,
    kind: MachineKind,
) -> Result<String, OrchestratorError> {
    let parsed: Value = serde_json::from_str(asl)
        .map_err(|e| OrchestratorError::Backend(format!("definition is not JSON: {e}")))?;
    let definition = substitute(parsed, subs)?.to_string();
    let kind = match kind {
        MachineKind::Standard => StateMachineType::Standard,
        MachineKind::Express => StateMachineType::Express,
    };
    let created = client
        .create_state_machine()
        .name(name)
        .definition(&definition)
        .role_arn(role_arn)
        .r#type(kind)
        .send()
        .await;
    match created {
        Ok(out) => Ok(out.state_machine_arn),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_state_machine_already_exists()) =>
        {
            let arn = existing_arn(client, name).await?;
            client
                .update_state_machine()
                .state_machine_arn(&arn)
                .definition(definition)
                .role_arn(role_arn)
                .send()
                .await
                .map_err(|e| backend("UpdateStateMachine", e))?;
            Ok(arn)
        }
        Err(e) => Err(backend("CreateStateMachine", e)),
    }
}

async fn existing_arn(client: &Client, name: &str) -> Result<String, OrchestratorError> {
    let mut pages = client.list_state_machines().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| backend("ListStateMachines", e))?;
        if let Some(m) = page.state_machines.into_iter().find(|m| m.name == name) {
            return Ok(m.state_machine_arn);
        }
    }
    Err(OrchestratorError::UnknownDefinition(name.to_owned()))
}

pub(crate) fn backend<E>(operation: &str, e: aws_sdk_sfn::error::SdkError<E>) -> OrchestratorError
where
    E: aws_sdk_sfn::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    let detail = match e.as_service_error() {
        Some(s) => format!(
            "{}: {}",
            s.code().unwrap_or("service error"),
            s.message().unwrap_or("")
        ),
        None => aws_sdk_sfn::error::DisplayErrorContext(&e).to_string(),
    };
    OrchestratorError::Backend(format!("{operation}: {detail}"))
}
