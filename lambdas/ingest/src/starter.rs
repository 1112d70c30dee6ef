//! Starts one documents run per upload message. A message fails alone: its id goes back in
//! the batch response, SQS redelivers it, and after the queue's `maxReceiveCount` it stays
//! in the dead-letter queue for `infra/replay`.

use std::sync::Arc;

use statemachine::{DOCUMENTS, Orchestrator};

use crate::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use crate::{IngestError, Upload, UploadRules};

pub struct Starter {
    pub orchestrator: Arc<dyn Orchestrator>,
    pub rules: UploadRules,
}

impl Starter {
    pub async fn handle(&self, event: SqsEvent) -> SqsBatchResponse {
        let mut failures = Vec::new();
        for message in event.records {
            match self.start(&message.body).await {
                Ok(execution) => tracing::info!(
                    message = %message.message_id,
                    execution = %execution,
                    "document run started (or found)"
                ),
                Err(e) => {
                    tracing::warn!(message = %message.message_id, "message not started: {e}");
                    failures.push(BatchItemFailure {
                        item_identifier: message.message_id,
                    });
                }
            }
        }
        SqsBatchResponse {
            batch_item_failures: failures,
        }
    }

    /// The run's execution id; an existing run of the same object version is found, not
    /// started again.
    pub async fn start(&self, body: &str) -> Result<String, IngestError> {
        let (name, input) = Upload::from_event(body)?.run(&self.rules)?;
        self.orchestrator
            .start_execution(DOCUMENTS, Some(name), input)
            .await
            .map(|handle| handle.id)
            .map_err(|e| IngestError::Start(e.to_string()))
    }
}
