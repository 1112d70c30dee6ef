//! The keyring custom resource against moto's KMS and SSM (`scripts/with-moto`): create
//! makes one keyring, update keeps it, delete leaves it; every request gets its answer
//! PUT to the ResponseURL, failures included.

use aws_config::{BehaviorVersion, SdkConfig};
use deidentify::aws::KmsKeyring;
use lambda_keyring_resource::{
    CustomResourceEvent, KeyringParameter, KeyringResourceErrorKind, handle,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn moto() -> Option<SdkConfig> {
    let Ok(url) = std::env::var("PIIFLOW_MOTO_URL") else {
        println!("skipped: PIIFLOW_MOTO_URL not set (scripts/with-moto)");
        return None;
    };
    Some(
        aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(url)
            .region("us-east-1")
            .credentials_provider(aws_sdk_kms::config::Credentials::new(
                "testing", "testing", None, None, "moto",
            ))
            .load()
            .await,
    )
}

struct Fixture {
    resource: KeyringParameter,
    ssm: aws_sdk_ssm::Client,
    kms: aws_sdk_kms::Client,
    key: String,
    name: String,
}

async fn fixture() -> Option<Fixture> {
    let sdk = moto().await?;
    let kms = aws_sdk_kms::Client::new(&sdk);
    let ssm = aws_sdk_ssm::Client::new(&sdk);
    let key = kms
        .create_key()
        .send()
        .await
        .unwrap()
        .key_metadata
        .unwrap()
        .arn
        .unwrap();
    let name = format!(
        "/piiflow/test-{}-{}/keyring",
        std::process::id(),
        rand_suffix()
    );
    Some(Fixture {
        resource: KeyringParameter {
            kms: kms.clone(),
            ssm: ssm.clone(),
        },
        ssm,
        kms,
        key,
        name,
    })
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::SeqCst)
        + std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos() as u64
}

fn event(kind: &str, props: Value, old: Option<Value>, url: &str) -> CustomResourceEvent {
    let mut v = json!({
        "RequestType": kind,
        "ResponseURL": url,
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
        "RequestId": "req-1",
        "LogicalResourceId": "Keyring",
        "ResourceProperties": props,
    });
    if kind != "Create" {
        v["PhysicalResourceId"] = json!(props["ParameterName"]);
    }
    if let Some(o) = old {
        v["OldResourceProperties"] = o;
    }
    serde_json::from_value(v).unwrap()
}

fn props(f: &Fixture, name: &str) -> Value {
    json!({"DataKeyId": f.key, "ParameterName": name, "ServiceToken": "arn:aws:lambda:x"})
}

async fn value(f: &Fixture, name: &str) -> Option<String> {
    f.ssm
        .get_parameter()
        .name(name)
        .with_decryption(true)
        .send()
        .await
        .ok()
        .and_then(|o| o.parameter)
        .and_then(|p| p.value)
}

#[tokio::test]
async fn create_makes_one_keyring_update_keeps_it_delete_leaves_it() {
    let Some(f) = fixture().await else { return };
    let url = "http://127.0.0.1:1/unused";
    let created = f
        .resource
        .apply(&event("Create", props(&f, &f.name), None, url))
        .await
        .unwrap();
    assert!(created.created_keyring);
    assert_eq!(created.physical_resource_id, f.name);
    let first = value(&f, &f.name).await.unwrap();
    let meta = f
        .ssm
        .describe_parameters()
        .send()
        .await
        .unwrap()
        .parameters
        .unwrap_or_default();
    let ty = meta
        .iter()
        .find(|p| p.name.as_deref() == Some(&f.name))
        .and_then(|p| p.r#type.clone());
    assert_eq!(ty, Some(aws_sdk_ssm::types::ParameterType::SecureString));
    // The stored keyring is wrapped under the stack's key and unwraps there.
    let wrapped = lambda_common::config::parse_keyring(&first).unwrap();
    assert_eq!(wrapped.kms_key_id, f.key);
    KmsKeyring::unwrap(&f.kms, &wrapped).await.unwrap();

    // Create again (a stack re-created over the retained parameter) and Update keep it.
    let again = f
        .resource
        .apply(&event("Create", props(&f, &f.name), None, url))
        .await
        .unwrap();
    assert!(!again.created_keyring);
    let updated = f
        .resource
        .apply(&event(
            "Update",
            props(&f, &f.name),
            Some(props(&f, &f.name)),
            url,
        ))
        .await
        .unwrap();
    assert!(!updated.created_keyring);
    assert_eq!(value(&f, &f.name).await.unwrap(), first);

    // A new parameter name gets a copy of the same keyring, not a new one.
    let moved = format!("{}-moved", f.name);
    let renamed = f
        .resource
        .apply(&event(
            "Update",
            props(&f, &moved),
            Some(props(&f, &f.name)),
            url,
        ))
        .await
        .unwrap();
    assert_eq!(renamed.physical_resource_id, moved);
    assert!(!renamed.created_keyring);
    assert_eq!(value(&f, &moved).await.unwrap(), first);

    // Delete leaves the keyring: without it every token is irreversible.
    f.resource
        .apply(&event("Delete", props(&f, &f.name), None, url))
        .await
        .unwrap();
    assert_eq!(value(&f, &f.name).await.unwrap(), first);
}

/// The functions open the vault from the parameter, and a rotation with the keyring tool's
/// library written back to it opens too, with one more data key.
#[tokio::test]
async fn functions_read_the_parameter_and_a_rotated_keyring_written_back_works() {
    let Some(f) = fixture().await else { return };
    f.resource
        .apply(&event(
            "Create",
            props(&f, &f.name),
            None,
            "http://127.0.0.1:1/",
        ))
        .await
        .unwrap();
    let config = lambda_common::config::VaultConfig::AwsParameter {
        table: "vault".into(),
        parameter: f.name.clone(),
        data_key_id: Some(f.key.clone()),
    };
    lambda_vault::open_vault(&config).await.unwrap();

    let current = value(&f, &f.name).await.unwrap();
    let (rotated, version) = lambda_vault::keyring_admin::rotate_keyring(&f.kms, &current, None)
        .await
        .unwrap();
    assert_eq!(version, 2);
    f.ssm
        .put_parameter()
        .name(&f.name)
        .value(&rotated)
        .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
        .overwrite(true)
        .send()
        .await
        .unwrap();
    lambda_vault::open_vault(&config).await.unwrap();
    let keyring = lambda_common::config::parse_keyring(&value(&f, &f.name).await.unwrap()).unwrap();
    assert_eq!(keyring.data_keys.len(), 2);
    assert_eq!(
        keyring.token_keys.len(),
        1,
        "rotation keeps the token key: joins survive"
    );

    let missing = lambda_common::config::VaultConfig::AwsParameter {
        table: "vault".into(),
        parameter: format!("{}-missing", f.name),
        data_key_id: None,
    };
    let e = lambda_vault::open_vault(&missing).await.err().unwrap();
    assert!(e.to_string().contains("keyring parameter"), "{e}");
}

#[tokio::test]
async fn bad_properties_and_a_foreign_parameter_are_refused_without_overwriting() {
    let Some(f) = fixture().await else { return };
    let url = "http://127.0.0.1:1/unused";
    let e = f
        .resource
        .apply(&event("Create", json!({"DataKeyId": f.key}), None, url))
        .await
        .unwrap_err();
    assert_eq!(e.kind, KeyringResourceErrorKind::InvalidEvent);
    f.ssm
        .put_parameter()
        .name(&f.name)
        .value("not a keyring")
        .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
        .send()
        .await
        .unwrap();
    let e = f
        .resource
        .apply(&event("Create", props(&f, &f.name), None, url))
        .await
        .unwrap_err();
    assert_eq!(e.kind, KeyringResourceErrorKind::NotAKeyring);
    assert!(!e.message.contains("not a keyring"), "{}", e.message);
    assert_eq!(value(&f, &f.name).await.unwrap(), "not a keyring");
    let e = f
        .resource
        .apply(&event("Create", json!({"DataKeyId": "arn:aws:kms:us-east-1:123456789012:key/nope", "ParameterName": format!("{}-x", f.name)}), None, url))
        .await
        .unwrap_err();
    assert_eq!(e.kind, KeyringResourceErrorKind::Kms);
}

/// Accepts one HTTP request and answers 200; yields its method and body.
async fn one_request() -> (String, tokio::task::JoinHandle<(String, Value)>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/presigned?sig=x", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = sock.read(&mut chunk).await.unwrap();
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).to_string();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let len: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                if body.len() >= len {
                    sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                        .await
                        .unwrap();
                    let method = head.split(' ').next().unwrap().to_string();
                    return (method, serde_json::from_str(body).unwrap());
                }
            }
            if n == 0 {
                panic!("connection closed early");
            }
        }
    });
    (url, task)
}

#[tokio::test]
async fn every_request_is_answered_at_its_response_url_failures_included() {
    let Some(f) = fixture().await else { return };
    let http = reqwest::Client::new();
    let (url, got) = one_request().await;
    handle(
        &f.resource,
        &http,
        event("Create", props(&f, &f.name), None, &url),
    )
    .await
    .unwrap();
    let (method, body) = got.await.unwrap();
    assert_eq!(method, "PUT");
    assert_eq!(body["Status"], "SUCCESS");
    assert_eq!(body["PhysicalResourceId"], json!(f.name));
    assert_eq!(body["Data"]["ParameterName"], json!(f.name));
    assert_eq!(body["NoEcho"], true);
    let keyring = value(&f, &f.name).await.unwrap();
    assert!(
        !body.to_string().contains(&keyring),
        "the keyring is not in the answer"
    );

    let (url, got) = one_request().await;
    handle(&f.resource, &http, event("Create", json!({}), None, &url))
        .await
        .unwrap();
    let (_, body) = got.await.unwrap();
    assert_eq!(body["Status"], "FAILED");
    assert!(body["Reason"].as_str().unwrap().contains("ParameterName"));
}
