//! Fixtures and an in-memory stack: what the Lambdas get from their environment.

use std::path::Path;
use std::sync::Arc;

use deidentify::{Deidentifier, SqliteVault, StaticKeyring};
use lambda_common::{Engines, StepHandler, Vault, keyless_vault, with_keyring};
use serde_json::Value;
use service::Step;
use service::{S3DocumentStore, S3StoreConfig};
use tempfile::TempDir;

/// An event fixture with `{NAME}` placeholders replaced (values JSON-escaped by the caller).
pub fn event(name: &str, vars: &[(&str, &str)]) -> Value {
    let mut text = event_text(name);
    for (k, v) in vars {
        text = text.replace(&format!("{{{k}}}"), v);
    }
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn event_text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/events")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The three step functions as deployed: detect and mask without a vault or key,
/// deidentify with an in-memory vault; documents by `file://` under a temp dir.
pub struct Stack {
    pub detect: StepHandler,
    pub mask: StepHandler,
    pub deidentify: StepHandler,
    pub deidentifier: Arc<Deidentifier>,
    pub dir: TempDir,
}

impl Stack {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let docs = Arc::new(S3DocumentStore::new(
            None,
            S3StoreConfig {
                file_dir: Some(dir.path().join("objects")),
                work_prefix: "work/".into(),
                ..Default::default()
            },
        ));
        let vault = vault();
        let deidentifier = vault.deidentifier.clone();
        let step = |step, vault: Vault| {
            StepHandler::new(step, Arc::new(Engines::new(vault, "default")), docs.clone())
        };
        Self {
            detect: step(Step::Detect, keyless_vault().unwrap()),
            mask: step(Step::Mask, keyless_vault().unwrap()),
            deidentify: step(Step::Deidentify, vault),
            deidentifier,
            dir,
        }
    }

    /// Detect → Mask → Deidentify with the ResultPaths of statemachine/*.asl.json.
    pub async fn run(&self, mut state: Value) -> Value {
        state["detection"] = self.detect.handle(&state).await.expect("detect");
        state["masked"] = self.mask.handle(&state).await.expect("mask");
        state["deidentified"] = self.deidentify.handle(&state).await.expect("deidentify");
        state
    }
}

pub fn vault() -> Vault {
    with_keyring(
        Arc::new(StaticKeyring::generate().unwrap()),
        Arc::new(SqliteVault::open_in_memory().unwrap()),
    )
}

impl Stack {
    /// A deidentify step wired like detect and mask are (no vault), to prove they have none.
    pub async fn detect_as_deidentify(
        &self,
        state: &Value,
    ) -> Result<Value, lambda_common::LambdaError> {
        let docs = Arc::new(S3DocumentStore::new(None, S3StoreConfig::default()));
        let engines = Arc::new(Engines::new(keyless_vault().unwrap(), "default"));
        StepHandler::new(Step::Deidentify, engines, docs)
            .handle(state)
            .await
    }
}
