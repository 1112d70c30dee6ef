//! Real HTTP clients against loopback: a closed port and a server that never answers.

use std::time::Duration;

use aws_sdk_comprehend::Client;
use aws_sdk_comprehend::config::retry::RetryConfig;
use aws_sdk_comprehend::config::timeout::TimeoutConfig;
use aws_sdk_comprehend::config::{Credentials, Region};
use detect::{Detector, EntityType, Source};

use crate::fake::detector;

const TEXT: &str = "SSN 123-45-6789 and erin@example.com";

fn client_for(endpoint: String) -> Client {
    Client::from_conf(
        config(endpoint)
            .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
            .build(),
    )
}

fn config(endpoint: String) -> aws_sdk_comprehend::config::Builder {
    aws_sdk_comprehend::Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_timeout(Duration::from_secs(10))
                .build(),
        )
}

/// A loopback port nothing listens on: bound, then released.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn assert_patterns_answered(report: &detect::DetectionReport, reason: &str) {
    let degraded = report.degraded.as_deref().expect("degraded must be set");
    assert!(degraded.contains(reason), "{degraded:?} lacks {reason:?}");
    let found: Vec<(EntityType, &str)> = report
        .detections
        .iter()
        .map(|d| (d.entity_type, &TEXT[d.start..d.end]))
        .collect();
    assert_eq!(
        found,
        vec![
            (EntityType::Ssn, "123-45-6789"),
            (EntityType::Email, "erin@example.com")
        ]
    );
    assert!(
        report
            .detections
            .iter()
            .all(|d| d.source == Source::Pattern)
    );
}

#[tokio::test]
async fn a_closed_port_falls_back_to_patterns() {
    let client = client_for(format!("http://127.0.0.1:{}", closed_port()));
    let report = detector(client).detect(TEXT).await.unwrap();
    assert_patterns_answered(&report, "unreachable");
}

#[tokio::test(start_paused = true)]
async fn a_silent_server_is_cut_off_by_the_time_budget() {
    // Accepts connections and never answers; the deadline, not the SDK, must end the wait.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let client = client_for(format!("http://127.0.0.1:{port}"));
    let report = detector(client)
        .with_deadline(Duration::from_secs(1))
        .detect(TEXT)
        .await
        .unwrap();
    server.abort();
    assert_patterns_answered(&report, "time budget");
}

#[tokio::test]
async fn no_credentials_falls_back_before_sending() {
    let conf = config(format!("http://127.0.0.1:{}", closed_port())).build();
    let report = detector(Client::from_conf(conf))
        .detect(TEXT)
        .await
        .unwrap();
    assert_patterns_answered(&report, "request not sent");
}
