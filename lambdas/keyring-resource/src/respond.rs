//! Answering CloudFormation: a PUT of the response to the presigned `ResponseURL`. Every
//! request gets an answer, failures included; without one the stack waits an hour.

use serde_json::json;

use crate::error::KeyringResourceError;
use crate::event::{CustomResourceEvent, CustomResourceResponse};
use crate::lifecycle::KeyringParameter;

pub async fn respond(
    http: &reqwest::Client,
    event: &CustomResourceEvent,
    response: &CustomResourceResponse,
) -> Result<(), reqwest::Error> {
    let body = serde_json::to_vec(response).expect("responses serialize");
    http.put(&event.response_url)
        // The presigned URL is signed without a content type.
        .header("content-type", "")
        .body(body)
        .send()
        .await?
        .error_for_status()
        .map(|_| ())
}

/// Applies the request and answers CloudFormation; the Lambda invocation fails only when
/// the answer could not be delivered.
pub async fn handle(
    resource: &KeyringParameter,
    http: &reqwest::Client,
    event: CustomResourceEvent,
) -> Result<CustomResourceResponse, lambda_runtime::Error> {
    let outcome = resource.apply(&event).await;
    let response = response_for(&event, &outcome);
    match &outcome {
        Ok(o) => tracing::info!(
            request = ?event.request_type,
            parameter = %o.physical_resource_id,
            created_keyring = o.created_keyring,
            "keyring resource done"
        ),
        Err(e) => {
            tracing::error!(request = ?event.request_type, kind = ?e.kind, "keyring resource failed: {e}")
        }
    }
    respond(http, &event, &response).await?;
    Ok(response)
}

fn response_for(
    event: &CustomResourceEvent,
    outcome: &Result<crate::lifecycle::Outcome, KeyringResourceError>,
) -> CustomResourceResponse {
    let (status, reason, physical) = match outcome {
        Ok(o) => ("SUCCESS", String::new(), o.physical_resource_id.clone()),
        Err(e) => (
            "FAILED",
            e.to_string(),
            event
                .physical_resource_id
                .clone()
                .unwrap_or_else(|| event.logical_resource_id.clone()),
        ),
    };
    CustomResourceResponse {
        status,
        reason,
        data: json!({"ParameterName": physical}),
        physical_resource_id: physical,
        stack_id: event.stack_id.clone(),
        request_id: event.request_id.clone(),
        logical_resource_id: event.logical_resource_id.clone(),
        no_echo: true,
    }
}
