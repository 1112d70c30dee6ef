use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::config::Credentials;
use reidentify::aws::DynamoDbAuditLog;
use reidentify::{
    AuditAction, AuditError, AuditFilter, AuditLog, AuditRecord, CallContext, Principal,
};

/// A log on a fresh table in moto, or `None` (after saying so) without moto.
async fn moto_log() -> Option<DynamoDbAuditLog> {
    let Ok(url) = std::env::var("PIIFLOW_MOTO_URL") else {
        println!("skipped: PIIFLOW_MOTO_URL not set");
        return None;
    };
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .region("us-east-1")
        .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
        .load()
        .await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    let table = format!("piiflow-audit-{}", uuid::Uuid::new_v4());
    DynamoDbAuditLog::create_table(&client, &table)
        .await
        .unwrap();
    Some(DynamoDbAuditLog::new(client, table))
}

fn record(sub: &str, at: &str, tokens: &[&str]) -> AuditRecord {
    let ctx = CallContext {
        principal: Principal {
            sub: sub.into(),
            client_id: Some("client".into()),
            username: None,
        },
        reason: "case 42".into(),
        request_id: "req-1".into(),
        source: None,
        access_token: None,
    };
    let mut r = AuditRecord::new(
        AuditAction::Reidentify,
        &ctx,
        tokens.iter().map(|t| t.to_string()).collect(),
    );
    r.at = at.into();
    r
}

#[tokio::test]
async fn append_refuses_duplicates_and_keeps_the_first() {
    let Some(log) = moto_log().await else { return };
    let a = record("auditor-1", "2026-11-23T10:00:00Z", &["EMAIL_A"]);
    log.append(&a).await.unwrap();
    let mut forged = a.clone();
    forged.reason = "rewritten".into();
    let err = log.append(&forged).await.unwrap_err();
    assert!(
        matches!(&err, AuditError::Duplicate(id) if *id == a.id),
        "{err:?}"
    );
    assert_eq!(
        log.query(&AuditFilter::default()).await.unwrap().records,
        vec![a]
    );
}

#[tokio::test]
async fn query_filters_sorts_newest_first_and_limits() {
    let Some(log) = moto_log().await else { return };
    // `at` with and without fractional seconds: ordered as times, not as text.
    let a = record("auditor-1", "2026-11-23T10:00:00Z", &["EMAIL_A", "SSN_B"]);
    let b = record("auditor-2", "2026-11-23T10:00:00.5Z", &["EMAIL_A"]);
    let c = record("auditor-1", "2026-11-23T11:00:00Z", &[]);
    let d = record("auditor-1", "2026-11-23T09:00:00.25Z", &["SSN_B"]);
    for r in [&a, &b, &c, &d] {
        log.append(r).await.unwrap();
    }
    let q = |query: AuditFilter| {
        let log = log.clone();
        async move { log.query(&query).await.unwrap().records }
    };
    assert_eq!(
        q(AuditFilter::default()).await,
        vec![c.clone(), b.clone(), a.clone(), d.clone()]
    );
    assert_eq!(
        q(AuditFilter {
            token: Some("EMAIL_A".into()),
            ..Default::default()
        })
        .await,
        vec![b.clone(), a.clone()]
    );
    // A subject's records come from the by-subject index.
    assert_eq!(
        q(AuditFilter {
            sub: Some("auditor-1".into()),
            ..Default::default()
        })
        .await,
        vec![c.clone(), a.clone(), d.clone()]
    );
    assert_eq!(
        q(AuditFilter {
            sub: Some("auditor-1".into()),
            token: Some("SSN_B".into()),
            ..Default::default()
        })
        .await,
        vec![a.clone(), d.clone()]
    );
    assert_eq!(
        q(AuditFilter {
            since: Some("2026-11-23T10:00:00.1Z".into()),
            ..Default::default()
        })
        .await,
        vec![c.clone(), b.clone()]
    );
    assert_eq!(
        q(AuditFilter {
            limit: Some(2),
            ..Default::default()
        })
        .await,
        vec![c, b]
    );
}

#[tokio::test]
async fn pages_yield_every_record_once() {
    let Some(log) = moto_log().await else { return };
    crate::paging::every_record_once(&log).await;
}

#[tokio::test]
async fn forged_cursors_are_refused() {
    let Some(log) = moto_log().await else { return };
    crate::paging::forged_cursors_are_refused(&log).await;
    // A real cursor of the time index does not fit the subject index.
    for r in crate::paging::trail().iter().take(3) {
        log.append(r).await.unwrap();
    }
    let first = log
        .query(&AuditFilter {
            limit: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    let err = log
        .query(&AuditFilter {
            sub: Some("auditor-1".into()),
            cursor: first.next_cursor,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(matches!(err, AuditError::InvalidQuery(_)), "{err:?}");
}
