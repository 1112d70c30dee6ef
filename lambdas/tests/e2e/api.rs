//! The API Lambda's backend in-process, with its real adapters: the vault on moto's
//! DynamoDB, documents through moto's Step Functions, and re-identification, erasure and
//! the audit listing through the real reidentify binary (Lambda Invoke API).

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use api::auth::{AuthMethod, Identity};
use api::{
    AnonymizeRequest, ApiErrorKind, AuditQuery, Caller, DocumentRequest, DocumentState,
    ReidentifyRequest,
};
use deidentify::find_tokens;
use lambda_common::config::ApiConfig;
use statemachine::DOCUMENTS_ASL;
use statemachine::aws::{MachineKind, deploy_state_machine};

use crate::stack::{DEIDENTIFY, REIDENTIFY, Stack};

const TICKET: &str = include_str!("../../../fixtures/documents/support-ticket.txt");

fn auditor() -> Caller {
    Caller {
        principal: Identity {
            sub: "auditor-api-e2e".into(),
            client_id: crate::callers::AUDITOR_CLIENT.into(),
            username: None,
            scopes: vec!["pii/reidentify".into()],
            via: AuthMethod::Jwt,
        },
        request_id: uuid::Uuid::new_v4().to_string(),
        source_ip: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        access_token: Some(reidentify::AccessToken::new(crate::callers::auditor_token(
            "auditor-api-e2e",
        ))),
    }
}

pub async fn api_backend_runs_everything_through_the_stack(stack: &Stack) {
    let Ok(invoke_url) = std::env::var("PIIFLOW_LAMBDA_INVOKE_URL") else {
        println!("skipped the API scenario: PIIFLOW_LAMBDA_INVOKE_URL not set");
        return;
    };
    let sfn = aws_sdk_sfn::Client::new(&stack.sdk);
    let subs = crate::state_machines::substitutions(stack);
    let documents = deploy_state_machine(
        &sfn,
        &format!(
            "piiflow-api-documents-{}",
            &stack.bucket["piiflow-e2e-".len()..]
        ),
        DOCUMENTS_ASL,
        &subs,
        "arn:aws:iam::123456789012:role/piiflow-states",
        MachineKind::Standard,
    )
    .await
    .expect("documents machine");

    // The API function's environment, as infra/template.yaml sets it.
    let deidentify_env = stack.env(DEIDENTIFY);
    let bucket = stack.bucket.clone();
    let reidentify = stack.functions[REIDENTIFY].clone();
    let env = move |name: &str| match name {
        "DOCUMENTS_STATE_MACHINE_ARN" => Some(documents.clone()),
        "REIDENTIFY_FUNCTION" => Some(reidentify.clone()),
        "DOCUMENT_BUCKET" => Some(bucket.clone()),
        "VAULT_TABLE" | "KEYRING_CIPHERTEXT" | "DATA_KEY_ID" => deidentify_env(name),
        _ => None,
    };
    let config = ApiConfig::from_lookup(&env).expect("API configuration");
    let vault = lambda_vault::open_vault(&config.vault)
        .await
        .expect("vault");
    let lambda_sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(invoke_url)
        .region("us-east-1")
        .credentials_provider(aws_sdk_lambda::config::Credentials::new(
            "testing", "testing", None, None, "e2e",
        ))
        .load()
        .await;
    let backend = lambda_api::api_backend(
        config,
        vault,
        lambda_api::ApiClients {
            sfn: sfn.clone(),
            lambda: aws_sdk_lambda::Client::new(&lambda_sdk),
            s3: stack.s3(),
        },
    );

    // Anonymize in the API function, re-identify in the reidentify function.
    let anonymized = backend
        .anonymize(AnonymizeRequest {
            text: Some(TICKET.into()),
            policy: Some("tokenize-all".into()),
            ..Default::default()
        })
        .await
        .expect("anonymize")
        .text
        .expect("text");
    let tokens: Vec<String> = find_tokens(&anonymized)
        .iter()
        .map(|t| t.token.to_string())
        .collect();
    assert!(tokens.len() >= 5, "{anonymized}");
    let ctx = auditor();
    let revealed = backend
        .reidentify(
            ReidentifyRequest {
                text: Some(anonymized.clone()),
                reason: "e2e: API round trip".into(),
                ..Default::default()
            },
            &ctx,
        )
        .await
        .expect("reidentify");
    assert_eq!(revealed.text.as_deref(), Some(TICKET));

    let page = backend
        .audit(
            AuditQuery {
                subject: Some("auditor-api-e2e".into()),
                ..Default::default()
            },
            &auditor(),
        )
        .await
        .expect("audit listing");
    assert!(
        page.items.iter().any(|r| r.id == revealed.audit_id),
        "the call's audit record is listed: {page:?}"
    );

    // Erasure: the token stops revealing anything.
    let erased = backend.erase(&tokens[0], &ctx).await.expect("erase");
    assert!(erased.erased);
    let after = backend
        .reidentify(
            ReidentifyRequest {
                tokens: Some(vec![tokens[0].clone()]),
                reason: "e2e: after erasure".into(),
                ..Default::default()
            },
            &ctx,
        )
        .await;
    match after {
        Ok(r) => assert!(
            r.tokens
                .unwrap_or_default()
                .iter()
                .all(|t| t.value.is_none()),
            "an erased token still reveals"
        ),
        Err(e) => assert_ne!(e.kind(), ApiErrorKind::Internal, "{e}"),
    }

    // A malformed token is the caller's error, reported by the function and kept as such.
    let err = backend
        .reidentify(
            ReidentifyRequest {
                tokens: Some(vec!["not-a-token".into()]),
                reason: "e2e".into(),
                ..Default::default()
            },
            &ctx,
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ApiErrorKind::InvalidInput, "{err}");

    // Documents: started through Step Functions, once per document and policy.
    let source = stack.put_document("incoming/api-ticket.txt", TICKET).await;
    let request = || DocumentRequest {
        source: source.clone(),
        destination: None,
        policy: None,
    };
    let started = backend.start_document(request()).await.expect("start");
    let again = backend
        .start_document(request())
        .await
        .expect("start again");
    assert_eq!(started.id, again.id, "the same document is the same run");
    assert!(!started.existing && again.existing, "{started:?} {again:?}");
    let mut status = backend.get_document(&started.id).await.expect("status");
    for _ in 0..600 {
        if status.status != DocumentState::Running {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        status = backend.get_document(&started.id).await.expect("status");
    }
    assert_eq!(status.status, DocumentState::Succeeded, "{status:?}");
    let result = status.result.expect("a result reference");
    let text = stack.read_document(&result).await.expect("result object");
    // The status's presigned GET reads the same result.
    let url = status.result_url.expect("a presigned result URL");
    let fetched = reqwest::get(&url).await.expect("presigned GET");
    assert!(fetched.status().is_success(), "{fetched:?}");
    assert_eq!(fetched.text().await.unwrap(), text);
    assert!(!text.contains("john.smith@example.com") && !text.contains("536-22-8726"));
    assert!(
        backend
            .get_document("arn:aws:states:us-east-1:123456789012:execution:x:y")
            .await
            .is_err()
    );
}
