use std::time::Duration;

use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use reidentify::aws::DynamoDbAuditLog;
use reidentify::{AuditAction, AuditError, AuditLog, AuditRecord, CallContext, Principal};

const THROTTLED: &str = r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"Rate exceeded"}"#;

fn record() -> AuditRecord {
    let ctx = CallContext {
        principal: Principal::default(),
        reason: "r".into(),
        request_id: "q".into(),
        source: None,
        access_token: None,
    };
    AuditRecord::new(AuditAction::Erase, &ctx, vec!["EMAIL_A".into()])
}

#[tokio::test]
async fn a_throttled_or_failing_append_is_unavailable() {
    for (status, body) in [(400, Some(THROTTLED.to_string())), (500, None)] {
        let put = mock!(aws_sdk_dynamodb::Client::put_item)
            .sequence()
            .http_status(status, body)
            .repeatedly()
            .build();
        let client = mock_client!(aws_sdk_dynamodb, RuleMode::Sequential, [&put], |b| b
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(2)
                    .with_initial_backoff(Duration::from_millis(1))
            ));
        let err = DynamoDbAuditLog::new(client, "audit")
            .append(&record())
            .await
            .unwrap_err();
        assert!(
            matches!(err, AuditError::Unavailable(_)),
            "{status}: {err:?}"
        );
        assert_eq!(put.num_calls(), 2, "{status}: retried by the SDK");
    }
}
