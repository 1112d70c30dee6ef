use std::sync::Arc;

use deidentify::Deidentifier;
use detect::EntityType;
use lambda_reidentify::ReidentifyHandler;
use lambda_runtime::Diagnostic;
use reidentify::{AuditError, AuditFilter, AuditLog, AuditRecord, AuditRecords, SqliteAuditLog};
use serde_json::json;

use crate::callers::{Callers, KEY_1, KEY_2, auditor_token, claims, sign};
use crate::support::{event, vault};

/// The handler over `vault` and `audit`, verifying callers against a loopback JWKS.
async fn handler(vault: &lambda_common::Vault, audit: Arc<dyn AuditLog>) -> ReidentifyHandler {
    let callers = Callers::start().await;
    ReidentifyHandler::new(
        vault.deidentifier.clone(),
        audit,
        lambda_reidentify::caller_verifier(&callers.config).unwrap(),
    )
}

/// `name` with the token and a valid access token of auditor-1.
fn reveal_event(name: &str, token: &str) -> serde_json::Value {
    event(
        name,
        &[
            ("TOKEN", token),
            ("ACCESS_TOKEN", &auditor_token("auditor-1")),
        ],
    )
}

async fn tokenized(deid: &Deidentifier) -> String {
    deid.tokenize_one(EntityType::Email, "jane.doe@example.com")
        .await
        .unwrap()
}

#[tokio::test]
async fn tokens_text_and_records_are_revealed_and_audited() {
    let vault = vault();
    let audit = Arc::new(SqliteAuditLog::open_in_memory().unwrap());
    let handler = handler(&vault, audit.clone()).await;
    let token = tokenized(&vault.deidentifier).await;

    let out = handler
        .handle(reveal_event("reidentify-tokens.json", &token))
        .await
        .unwrap();
    assert_eq!(out["tokens"][0]["value"], "jane.doe@example.com");
    assert_eq!(out["tokens"][0]["type"], "EMAIL");
    let audit_id = out["audit_id"].as_str().unwrap().to_string();

    let mut text_event = reveal_event("reidentify-tokens.json", &token);
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
    let handler = handler(&vault, Arc::new(FailingAudit)).await;
    let token = tokenized(&vault.deidentifier).await;
    let err = handler
        .handle(reveal_event("reidentify-tokens.json", &token))
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
    let handler = handler(&vault, Arc::new(SqliteAuditLog::open_in_memory().unwrap())).await;
    for name in ["reidentify-no-reason.json", "reidentify-two-inputs.json"] {
        let d: Diagnostic = handler
            .handle(reveal_event(name, ""))
            .await
            .unwrap_err()
            .into();
        assert_eq!(
            d.error_type, "Pii.InvalidInput",
            "{name}: {}",
            d.error_message
        );
    }
    // A pasted original is neither a token nor echoed back.
    let d: Diagnostic = handler
        .handle(reveal_event("reidentify-tokens.json", "4111111111111111"))
        .await
        .unwrap_err()
        .into();
    assert_eq!(d.error_type, "Pii.InvalidInput");
    assert!(!d.error_message.contains("4111"), "{}", d.error_message);
    // No access token at all.
    let d: Diagnostic = handler
        .handle(json!({"tokens": [], "reason": "r", "request_id": "x"}))
        .await
        .unwrap_err()
        .into();
    assert_eq!(d.error_type, "Pii.Unauthorized");
}

#[tokio::test]
async fn erase_and_audit_actions_serve_the_api() {
    let vault = vault();
    let audit = Arc::new(SqliteAuditLog::open_in_memory().unwrap());
    let handler = handler(&vault, audit.clone()).await;
    let token = tokenized(&vault.deidentifier).await;
    let access = auditor_token("auditor-1");

    let mut erase = reveal_event("reidentify-tokens.json", &token);
    let obj = erase.as_object_mut().unwrap();
    obj.remove("tokens");
    obj.insert("action".into(), json!("erase"));
    obj.insert("token".into(), json!(token));
    let out = handler.handle(erase.clone()).await.unwrap();
    assert_eq!(out["erased"], true);
    assert!(out["audit_id"].as_str().is_some());
    assert_eq!(handler.handle(erase).await.unwrap()["erased"], false);

    let page = handler
        .handle(
            json!({"action": "audit", "query": {"subject": "auditor-1"}, "access_token": access}),
        )
        .await
        .unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{page}");
    assert!(items.iter().all(|r| r["action"] == "erase"));

    for bad in [
        json!({"action": "audit", "tokens": [token], "access_token": access}),
        json!({"action": "erase", "reason": "r", "access_token": access, "request_id": "1"}),
        json!({"action": "shred", "token": token, "access_token": access}),
    ] {
        let e = handler.handle(bad.clone()).await.unwrap_err();
        assert_eq!(Diagnostic::from(e).error_type, "Pii.InvalidInput", "{bad}");
    }
}

#[tokio::test]
async fn forged_expired_and_unscoped_tokens_reveal_nothing() {
    let vault = vault();
    let audit = Arc::new(SqliteAuditLog::open_in_memory().unwrap());
    let handler = handler(&vault, audit.clone()).await;
    let token = tokenized(&vault.deidentifier).await;
    let now = claims("auditor-1", "pii/reidentify")["iat"]
        .as_u64()
        .unwrap();
    let with = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut c = claims("auditor-1", "pii/reidentify");
        edit(&mut c);
        sign(&c, KEY_1)
    };
    let cases = [
        (
            "signed with a key the JWKS lacks",
            sign(&claims("auditor-1", "pii/reidentify"), KEY_2),
        ),
        (
            "expired",
            with(&|c| {
                c["iat"] = json!(now - 7200);
                c["exp"] = json!(now - 3600);
            }),
        ),
        (
            "without pii/reidentify",
            with(&|c| c["scope"] = json!("pii/anonymize")),
        ),
        (
            "of another issuer",
            with(&|c| c["iss"] = json!("https://evil.example/pool")),
        ),
        (
            "of a client not allowed to reveal",
            with(&|c| c["client_id"] = json!("pipeline")),
        ),
        ("an ID token", with(&|c| c["token_use"] = json!("id"))),
        ("not a token", "forged".to_string()),
    ];
    for (what, access) in cases {
        for action in [
            json!({"tokens": [token], "reason": "r", "request_id": "1", "access_token": access}),
            json!({"action": "erase", "token": token, "reason": "r", "request_id": "1", "access_token": access}),
            json!({"action": "audit", "query": {}, "access_token": access}),
        ] {
            let d: Diagnostic = handler.handle(action.clone()).await.unwrap_err().into();
            assert_eq!(
                d.error_type, "Pii.Unauthorized",
                "{what}: {}",
                d.error_message
            );
            assert!(!d.error_message.contains("jane"), "{}", d.error_message);
        }
    }
    assert!(
        audit
            .query(&AuditFilter::default())
            .await
            .unwrap()
            .records
            .is_empty(),
        "a refused call was audited"
    );
    let still = vault
        .deidentifier
        .reveal(std::slice::from_ref(&token))
        .await
        .unwrap();
    assert!(still[0].is_some(), "a refused erase erased");
}

#[tokio::test]
async fn the_identity_written_in_the_event_is_ignored() {
    let vault = vault();
    let audit = Arc::new(SqliteAuditLog::open_in_memory().unwrap());
    let handler = handler(&vault, audit.clone()).await;
    let token = tokenized(&vault.deidentifier).await;
    let mut e = event(
        "reidentify-tokens.json",
        &[
            ("TOKEN", &token),
            ("ACCESS_TOKEN", &auditor_token("real-auditor")),
        ],
    );
    e["principal"] = json!({"sub": "someone-else", "client_id": "forged-client"});
    let out = handler.handle(e).await.unwrap();
    assert_eq!(out["tokens"][0]["value"], "jane.doe@example.com");
    let trail = audit.query(&AuditFilter::default()).await.unwrap().records;
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].principal.sub, "real-auditor");
    assert_eq!(
        trail[0].principal.client_id.as_deref(),
        Some(crate::callers::AUDITOR_CLIENT)
    );
}
