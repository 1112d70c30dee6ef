use std::sync::Arc;

use deidentify::Deidentifier;
use detect::EntityType;
use lambda_reidentify::ReidentifyHandler;
use lambda_runtime::Diagnostic;
use reidentify::{AuditError, AuditFilter, AuditLog, AuditRecord, AuditRecords, SqliteAuditLog};
use serde_json::json;

use crate::support::{event, vault};

async fn tokenized(deid: &Deidentifier) -> String {
    deid.tokenize_one(EntityType::Email, "jane.doe@example.com")
        .await
        .unwrap()
}

#[tokio::test]
async fn tokens_text_and_records_are_revealed_and_audited() {
    let vault = vault();
    let audit = Arc::new(SqliteAuditLog::open_in_memory().unwrap());
    let handler = ReidentifyHandler::new(vault.deidentifier.clone(), audit.clone());
    let token = tokenized(&vault.deidentifier).await;

    let out = handler
        .handle(event("reidentify-tokens.json", &[("TOKEN", &token)]))
        .await
        .unwrap();
    assert_eq!(out["tokens"][0]["value"], "jane.doe@example.com");
    assert_eq!(out["tokens"][0]["type"], "EMAIL");
    let audit_id = out["audit_id"].as_str().unwrap().to_string();

    let mut text_event = event("reidentify-tokens.json", &[("TOKEN", &token)]);
    let obj = text_event.as_object_mut().unwrap();
    obj.remove("tokens");
    obj.insert("text".into(), json!(format!("mail {token} now")));
    let out = handler.handle(text_event.clone()).await.unwrap();
    assert_eq!(out["text"], "mail jane.doe@example.com now");
    assert_eq!(out["replaced"], 1);

    let obj = text_event.as_object_mut().unwrap();
    obj.remove("text");
    obj.insert("record".into(), json!({"contact": {"email": token}}));
    let out = handler.handle(text_event).await.unwrap();
    assert_eq!(out["record"]["contact"]["email"], "jane.doe@example.com");

    let trail = audit.query(&AuditFilter::default()).await.unwrap().records;
    assert_eq!(trail.len(), 3);
    assert!(trail.iter().any(|r| r.id == audit_id));
    assert!(
        trail
            .iter()
            .all(|r| r.principal.sub == "auditor-1" && r.request_id == "req-1")
    );
}

/// An audit trail that is down.
struct FailingAudit;

#[async_trait::async_trait]
impl AuditLog for FailingAudit {
    async fn append(&self, _: &AuditRecord) -> Result<(), AuditError> {
        Err(AuditError::Unavailable("table gone".into()))
    }
    async fn query(&self, _: &AuditFilter) -> Result<AuditRecords, AuditError> {
        Err(AuditError::Unavailable("table gone".into()))
    }
}

#[tokio::test]
async fn a_failing_audit_trail_reveals_nothing() {
    let vault = vault();
    let handler = ReidentifyHandler::new(vault.deidentifier.clone(), Arc::new(FailingAudit));
    let token = tokenized(&vault.deidentifier).await;
    let err = handler
        .handle(event("reidentify-tokens.json", &[("TOKEN", &token)]))
        .await
        .unwrap_err();
    let d: Diagnostic = err.into();
    assert_eq!(d.error_type, "Pii.Unavailable");
    assert!(
        d.error_message.contains("nothing was revealed"),
        "{}",
        d.error_message
    );
    assert!(!d.error_message.contains("jane"));
}

#[tokio::test]
async fn malformed_reidentify_events_are_invalid_input() {
    let vault = vault();
    let handler = ReidentifyHandler::new(
        vault.deidentifier.clone(),
        Arc::new(SqliteAuditLog::open_in_memory().unwrap()),
    );
    for name in ["reidentify-no-reason.json", "reidentify-two-inputs.json"] {
        let d: Diagnostic = handler.handle(event(name, &[])).await.unwrap_err().into();
        assert_eq!(
            d.error_type, "Pii.InvalidInput",
            "{name}: {}",
            d.error_message
        );
    }
    // A pasted original is neither a token nor echoed back.
    let d: Diagnostic = handler
        .handle(event(
            "reidentify-tokens.json",
            &[("TOKEN", "4111111111111111")],
        ))
        .await
        .unwrap_err()
        .into();
    assert_eq!(d.error_type, "Pii.InvalidInput");
    assert!(!d.error_message.contains("4111"), "{}", d.error_message);
    // No principal at all.
    let d: Diagnostic = handler
        .handle(json!({"tokens": [], "reason": "r", "request_id": "x"}))
        .await
        .unwrap_err()
        .into();
    assert_eq!(d.error_type, "Pii.InvalidInput");
}

#[tokio::test]
async fn erase_and_audit_actions_serve_the_api() {
    let vault = vault();
    let audit = Arc::new(SqliteAuditLog::open_in_memory().unwrap());
    let handler = ReidentifyHandler::new(vault.deidentifier.clone(), audit.clone());
    let token = tokenized(&vault.deidentifier).await;

    let mut erase = event("reidentify-tokens.json", &[("TOKEN", &token)]);
    let obj = erase.as_object_mut().unwrap();
    obj.remove("tokens");
    obj.insert("action".into(), json!("erase"));
    obj.insert("token".into(), json!(token));
    let out = handler.handle(erase.clone()).await.unwrap();
    assert_eq!(out["erased"], true);
    assert!(out["audit_id"].as_str().is_some());
    assert_eq!(handler.handle(erase).await.unwrap()["erased"], false);

    let page = handler
        .handle(json!({"action": "audit", "query": {"subject": "auditor-1"}}))
        .await
        .unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{page}");
    assert!(items.iter().all(|r| r["action"] == "erase"));

    for bad in [
        json!({"action": "audit", "tokens": [token]}),
        json!({"action": "erase", "reason": "r", "principal": {"sub": "a"}, "request_id": "1"}),
        json!({"action": "shred", "token": token}),
    ] {
        let e = handler.handle(bad.clone()).await.unwrap_err();
        assert_eq!(Diagnostic::from(e).error_type, "Pii.InvalidInput", "{bad}");
    }
}
