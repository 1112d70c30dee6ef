//! The backend at the library boundary: what the HTTP tests cannot provoke.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use api::auth::{AuthMethod, Identity};
use api::{AnonymizeRequest, ApiErrorKind, Caller, PiiBackend, ReidentifyRequest};
use reidentify::{AuditError, AuditFilter, AuditLog, AuditRecord, AuditRecords};

use crate::pipeline;
use service::Home;

/// An audit trail that cannot be written.
struct BrokenAudit;

#[async_trait::async_trait]
impl AuditLog for BrokenAudit {
    async fn append(&self, _: &AuditRecord) -> Result<(), AuditError> {
        Err(AuditError::Unavailable("disk full".into()))
    }
    async fn query(&self, _: &AuditFilter) -> Result<AuditRecords, AuditError> {
        Err(AuditError::Unavailable("disk full".into()))
    }
}

/// The service as the HTTP layer sees it.
fn backend(dir: &std::path::Path, audit: Arc<dyn AuditLog>) -> Arc<dyn PiiBackend> {
    let home = Home::locate(Some(dir.to_path_buf()));
    let pipeline = pipeline::open(&home).unwrap();
    let orchestrator = pipeline::orchestrator(&home, pipeline.clone(), None).unwrap();
    let roots = service::DocumentRoots::new([dir.to_path_buf()]).unwrap();
    let urls = Arc::new(super::signed_urls(&home, &roots).unwrap());
    Arc::new(super::backend(
        &pipeline,
        orchestrator,
        audit,
        roots,
        home.jobs(),
        urls,
    ))
}

fn ctx() -> Caller {
    Caller {
        principal: Identity {
            sub: "auditor".into(),
            client_id: "client".into(),
            username: None,
            scopes: vec!["pii/reidentify".into()],
            via: AuthMethod::Jwt,
        },
        request_id: "req-1".into(),
        source_ip: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        access_token: None,
    }
}

const EMAIL: &str = "olivia.nguyen@example.com.au";

async fn anonymized(b: &dyn PiiBackend) -> String {
    let out = b
        .anonymize(AnonymizeRequest {
            text: Some(format!("mail {EMAIL}")),
            ..Default::default()
        })
        .await
        .unwrap();
    let text = out.text.unwrap();
    assert!(!text.contains(EMAIL), "the email was not tokenized: {text}");
    text
}

#[tokio::test]
async fn a_failed_audit_write_reveals_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let b = backend(dir.path(), Arc::new(BrokenAudit));
    let text = anonymized(b.as_ref()).await;
    let req = ReidentifyRequest {
        text: Some(text),
        reason: "case 1".into(),
        ..Default::default()
    };
    let err = b.reidentify(req, &ctx()).await.unwrap_err();
    assert_eq!(err.kind(), ApiErrorKind::Unavailable);
    let shown = format!("{err} {err:?} {}", err.public_message());
    assert!(!shown.contains(EMAIL), "original in the error: {shown}");
}

#[tokio::test]
async fn a_written_audit_record_is_named_in_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let home = Home::locate(Some(dir.path().to_path_buf()));
    let log = Arc::new(reidentify::SqliteAuditLog::open(&home.audit()).unwrap());
    let b = backend(dir.path(), log.clone());
    let text = anonymized(b.as_ref()).await;
    let req = ReidentifyRequest {
        text: Some(text),
        reason: "case 2".into(),
        ..Default::default()
    };
    let out = b.reidentify(req, &ctx()).await.unwrap();
    assert_eq!(out.text.as_deref(), Some(format!("mail {EMAIL}").as_str()));
    let records = log.query(&AuditFilter::default()).await.unwrap().records;
    assert_eq!(records.len(), 1);
    assert_eq!(out.audit_id, records[0].id);
    assert_eq!(records[0].request_id, "req-1");
    assert_eq!(records[0].principal.client_id.as_deref(), Some("client"));
}

#[tokio::test]
async fn policies_are_built_in_names_only() {
    let dir = tempfile::tempdir().unwrap();
    let policy_file = dir.path().join("p.json");
    std::fs::write(&policy_file, "{}").unwrap();
    let b = backend(dir.path(), Arc::new(BrokenAudit));
    for policy in ["nope", policy_file.to_str().unwrap()] {
        let req = AnonymizeRequest {
            text: Some("x".into()),
            policy: Some(policy.into()),
            ..Default::default()
        };
        let err = b.anonymize(req).await.unwrap_err();
        assert_eq!(err.kind(), ApiErrorKind::InvalidInput, "{policy}");
    }
}
