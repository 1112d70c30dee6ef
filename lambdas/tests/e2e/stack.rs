//! One isolated deployment per test: its own tables, KMS key, bucket and function names,
//! with the four function processes registered at the Lambda emulator.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;

use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_lambda::primitives::Blob;
use deidentify::aws::{DynamoDbVault, KmsKeyring};
use reidentify::aws::DynamoDbAuditLog;
use serde_json::Value;
use tempfile::TempDir;
use tokio::process::{Child, Command};

pub const DETECT: &str = "detect";
pub const MASK: &str = "mask";
pub const DEIDENTIFY: &str = "deidentify";
pub const REIDENTIFY: &str = "reidentify";
pub const PRETOKEN: &str = "pretoken";

/// A function's failure as the Invoke API reports it.
#[derive(Debug)]
pub struct FunctionError {
    pub error_type: String,
    pub message: String,
}

pub struct Stack {
    pub sdk: SdkConfig,
    pub lambda: aws_sdk_lambda::Client,
    pub bucket: String,
    pub vault_table: String,
    pub audit_table: String,
    /// Deployed function name by role (`detect` → `piiflow-detect`).
    pub functions: HashMap<&'static str, String>,
    envs: HashMap<&'static str, HashMap<String, String>>,
    logs: TempDir,
    lambda_url: String,
    processes: HashMap<&'static str, Child>,
}

fn credentials() -> aws_sdk_dynamodb::config::Credentials {
    aws_sdk_dynamodb::config::Credentials::new("testing", "testing", None, None, "e2e")
}

async fn sdk_at(url: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .region("us-east-1")
        .credentials_provider(credentials())
        .load()
        .await
}

/// An SDK config for moto, or `None` without it.
pub async fn moto_sdk() -> Option<SdkConfig> {
    let Ok(moto) = std::env::var("PIIFLOW_MOTO_URL") else {
        println!("skipped: PIIFLOW_MOTO_URL not set (scripts/with-moto)");
        return None;
    };
    Some(sdk_at(&moto).await)
}

impl Stack {
    /// `None` (after saying so) without the emulators.
    pub async fn start() -> Option<Stack> {
        let (Ok(moto), Ok(lambda_url)) = (
            std::env::var("PIIFLOW_MOTO_URL"),
            std::env::var("PIIFLOW_LAMBDA_URL"),
        ) else {
            println!("skipped: PIIFLOW_MOTO_URL / PIIFLOW_LAMBDA_URL not set (scripts/with-moto)");
            return None;
        };
        let id = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
        let sdk = sdk_at(&moto).await;

        let vault_table = format!("piiflow-e2e-vault-{id}");
        let audit_table = format!("piiflow-e2e-audit-{id}");
        let dynamodb = aws_sdk_dynamodb::Client::new(&sdk);
        DynamoDbVault::create_table(&dynamodb, &vault_table)
            .await
            .expect("vault table");
        DynamoDbAuditLog::create_table(&dynamodb, &audit_table)
            .await
            .expect("audit table");

        let kms = aws_sdk_kms::Client::new(&sdk);
        let key = kms.create_key().send().await.expect("KMS key");
        let key_id = key.key_metadata.expect("key metadata").key_id;
        let keyring = KmsKeyring::generate(&kms, &key_id)
            .await
            .expect("wrapped keyring");

        let bucket = format!("piiflow-e2e-{id}");
        s3(&sdk)
            .create_bucket()
            .bucket(&bucket)
            .send()
            .await
            .expect("bucket");

        let aws: Vec<(&str, String)> = vec![
            ("AWS_ENDPOINT_URL", moto.clone()),
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ];
        let with_vault = [
            ("VAULT_TABLE", vault_table.clone()),
            ("KEYRING_CIPHERTEXT", keyring.to_json()),
            ("DATA_KEY_ID", key_id.clone()),
        ];
        // Whose tokens the reidentify function accepts: a JWKS on loopback in this process.
        let callers = crate::callers::Callers::start().await;
        let mut envs: HashMap<&'static str, HashMap<String, String>> = HashMap::new();
        for role in [DETECT, MASK, DEIDENTIFY, REIDENTIFY, PRETOKEN] {
            // Each function gets only what infra/template.yaml gives it.
            let mut env: Vec<(&str, String)> = aws.clone();
            match role {
                PRETOKEN => env.clear(),
                DETECT | MASK => {
                    env.push(("DOCUMENT_BUCKET", bucket.clone()));
                    env.push(("OUTPUT_PREFIX", "work/".into()));
                }
                DEIDENTIFY => {
                    env.extend(with_vault.iter().cloned());
                    env.push(("DOCUMENT_BUCKET", bucket.clone()));
                    env.push(("OUTPUT_PREFIX", "results/".into()));
                }
                _ => {
                    env.extend(with_vault.iter().cloned());
                    env.push(("AUDIT_TABLE", audit_table.clone()));
                    env.extend(callers.env());
                }
            }
            envs.insert(
                role,
                env.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            );
        }

        let logs = tempfile::tempdir().expect("log dir");
        let mut stack = Stack {
            // One attempt: a retried invocation would run the function twice.
            lambda: aws_sdk_lambda::Client::from_conf(
                aws_sdk_lambda::config::Builder::from(&sdk_at(&lambda_url).await)
                    .retry_config(aws_sdk_lambda::config::retry::RetryConfig::disabled())
                    .build(),
            ),
            sdk,
            bucket,
            vault_table,
            audit_table,
            functions: HashMap::new(),
            envs,
            logs,
            lambda_url,
            processes: HashMap::new(),
        };
        for role in [DETECT, MASK, DEIDENTIFY, REIDENTIFY, PRETOKEN] {
            stack.spawn(role, &[]);
        }
        Some(stack)
    }

    /// Starts the function in `role` (replacing a running one, see
    /// [`Stack::invoke_after_restart`]) with its environment plus `extra`.
    pub async fn restart(&mut self, role: &'static str, extra: &[(&str, &str)]) {
        if let Some(mut old) = self.processes.remove(role) {
            let _ = old.kill().await;
        }
        self.spawn(role, extra);
    }

    /// Invokes a function just restarted. The emulator may still hold the killed
    /// process's pending "next invocation" request and hand it the first event, which is
    /// then lost; so each attempt has a time limit and a lost one is sent again.
    pub async fn invoke_after_restart(
        &self,
        role: &str,
        payload: &Value,
    ) -> Result<Value, FunctionError> {
        for _ in 0..4 {
            let attempt = tokio::time::timeout(
                std::time::Duration::from_secs(10),
                self.invoke(role, payload),
            );
            if let Ok(answer) = attempt.await {
                return answer;
            }
        }
        panic!("{role} did not answer after its restart");
    }

    fn spawn(&mut self, role: &'static str, extra: &[(&str, &str)]) {
        // The emulator serves only the workspace's binaries, under their own names.
        let name = format!("piiflow-{role}");
        let binary = function_binary(&name);
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.logs.path().join(format!("{role}.log")))
            .unwrap();
        let child = Command::new(&binary)
            .env_clear()
            .envs(&self.envs[role])
            .envs(extra.iter().copied())
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("AWS_LAMBDA_FUNCTION_NAME", &name)
            .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
            .env(
                "AWS_LAMBDA_RUNTIME_API",
                format!("{}/.rt/{name}", self.lambda_url),
            )
            .env("RUST_LOG", "info")
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
        self.processes.insert(role, child);
        self.functions.insert(role, name);
    }

    /// Invokes the function in `role` through the Lambda Invoke API of the emulator.
    pub async fn invoke(&self, role: &str, payload: &Value) -> Result<Value, FunctionError> {
        let sent = self
            .lambda
            .invoke()
            .function_name(&self.functions[role])
            .payload(Blob::new(serde_json::to_vec(payload).unwrap()))
            .send()
            .await;
        let (body, failed) = match sent {
            Ok(out) => (
                out.payload.map(|p| p.into_inner()).unwrap_or_default(),
                out.function_error.is_some(),
            ),
            // AWS answers a function error with 200 and X-Amz-Function-Error; cargo lambda's
            // emulator answers 500 with the same body.
            Err(e) => match e.raw_response() {
                Some(raw) if raw.status().as_u16() == 500 => (
                    raw.body().bytes().map(<[u8]>::to_vec).unwrap_or_default(),
                    true,
                ),
                _ => panic!(
                    "invoking {role}: {}",
                    aws_sdk_lambda::error::DisplayErrorContext(&e)
                ),
            },
        };
        let body: Value = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&body).expect("JSON payload")
        };
        if !failed {
            return Ok(body);
        }
        Err(FunctionError {
            error_type: body["errorType"].as_str().unwrap_or_default().to_string(),
            message: body["errorMessage"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        })
    }

    /// The environment the function in `role` runs with, to build the same handler
    /// in-process.
    pub fn env(&self, role: &str) -> impl Fn(&str) -> Option<String> + use<> {
        let env = self.envs[role].clone();
        move |name| env.get(name).cloned()
    }

    pub fn s3(&self) -> aws_sdk_s3::Client {
        s3(&self.sdk)
    }

    pub async fn put_document(&self, key: &str, text: &str) -> String {
        self.s3()
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(text.as_bytes().to_vec().into())
            .send()
            .await
            .expect("PutObject");
        format!("s3://{}/{key}", self.bucket)
    }

    pub async fn read_document(&self, reference: &str) -> Option<String> {
        let key = reference
            .strip_prefix(&format!("s3://{}/", self.bucket))
            .expect("a reference into the stack's bucket");
        let out = self
            .s3()
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .ok()?;
        let bytes = out.body.collect().await.ok()?.into_bytes();
        Some(String::from_utf8(bytes.to_vec()).expect("UTF-8 object"))
    }

    pub async fn keys_under(&self, prefix: &str) -> Vec<String> {
        let out = self
            .s3()
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(prefix)
            .send()
            .await
            .expect("ListObjectsV2");
        out.contents()
            .iter()
            .filter_map(|o| o.key.clone())
            .collect()
    }

    /// Everything the four functions wrote to stdout and stderr so far.
    pub fn logs(&self) -> String {
        let mut all = String::new();
        for role in [DETECT, MASK, DEIDENTIFY, REIDENTIFY] {
            let path: PathBuf = self.logs.path().join(format!("{role}.log"));
            all.push_str(&std::fs::read_to_string(path).unwrap_or_default());
        }
        all
    }
}

fn s3(sdk: &SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::new(sdk)
}

/// A function's binary, where `cargo build --bins` puts it: beside the directory of this
/// test's own executable (`target/<profile>/deps/e2e-…`). The functions are crates of their
/// own, so cargo does not build them for this test (scripts/test-all does).
fn function_binary(name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("the test's executable");
    let path = exe
        .parent()
        .and_then(std::path::Path::parent)
        .expect("target/<profile>/deps")
        .join(name);
    assert!(
        path.is_file(),
        "{} is missing: run `cargo build --workspace --all-features --bins` first",
        path.display()
    );
    path
}
