//! Documents travel inline or by reference (Step Functions payloads are capped at 256 KB),
//! so every step reads and writes through this port.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::EngineError;

/// `{"text": "..."}` inline, or `{"ref": "file:///abs/path"}` / `{"ref": "s3://bucket/key"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DocRef {
    Inline {
        text: String,
    },
    Reference {
        #[serde(rename = "ref")]
        reference: String,
    },
}

/// Reads documents named by reference and writes the ones the steps derive from them.
#[async_trait::async_trait]
pub trait DocumentStore: Send + Sync {
    async fn read(&self, reference: &str) -> Result<String, EngineError>;
    /// Stores `text` as the `stage` (e.g. `masked`) of `reference`; returns its reference.
    async fn write_stage(
        &self,
        reference: &str,
        stage: &str,
        text: &str,
    ) -> Result<String, EngineError>;
    /// Removes an intermediate stage once it is no longer needed.
    async fn delete(&self, reference: &str) -> Result<(), EngineError>;
}

/// `file://` references. Derived documents go to `out_dir` (owner-only), never beside the
/// input: an intermediate stage may still hold originals that are about to be tokenized.
#[derive(Debug, Clone)]
pub struct FileDocumentStore {
    out_dir: PathBuf,
}

impl FileDocumentStore {
    pub fn new(out_dir: impl Into<PathBuf>) -> Self {
        Self {
            out_dir: out_dir.into(),
        }
    }

    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }
}

pub fn file_path(reference: &str) -> Result<PathBuf, EngineError> {
    reference
        .strip_prefix("file://")
        .map(PathBuf::from)
        .ok_or_else(|| {
            EngineError::InvalidInput(format!(
                "unsupported document reference {reference:?}: this store reads file:// references"
            ))
        })
}

#[async_trait::async_trait]
impl DocumentStore for FileDocumentStore {
    async fn read(&self, reference: &str) -> Result<String, EngineError> {
        let path = file_path(reference)?;
        let bytes = tokio::fs::read(&path).await.map_err(|e| {
            EngineError::InvalidInput(format!("cannot read {}: {e}", path.display()))
        })?;
        String::from_utf8(bytes).map_err(|e| {
            EngineError::InvalidInput(format!(
                "{} is not valid UTF-8 at byte {}",
                path.display(),
                e.utf8_error().valid_up_to()
            ))
        })
    }

    async fn write_stage(
        &self,
        reference: &str,
        stage: &str,
        text: &str,
    ) -> Result<String, EngineError> {
        use std::os::unix::fs::DirBuilderExt;
        let source = file_path(reference)?;
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = name.strip_suffix(".masked").unwrap_or(&name).to_string();
        let digest = {
            use sha2::Digest;
            data_encoding::HEXLOWER.encode(&sha2::Sha256::digest(reference.as_bytes())[..8])
        };
        // A stage of a stage lands beside it, not in a directory of its own.
        let dir = if source.starts_with(&self.out_dir) {
            source
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| self.out_dir.clone())
        } else {
            self.out_dir.join(digest)
        };
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| {
                EngineError::InvalidInput(format!("cannot create {}: {e}", dir.display()))
            })?;
        let target = dir.join(format!("{name}.{stage}"));
        tokio::fs::write(&target, text).await.map_err(|e| {
            EngineError::InvalidInput(format!("cannot write {}: {e}", target.display()))
        })?;
        Ok(format!("file://{}", target.display()))
    }

    async fn delete(&self, reference: &str) -> Result<(), EngineError> {
        let path = file_path(reference)?;
        if !path.starts_with(&self.out_dir) {
            return Err(EngineError::InvalidInput(format!(
                "refusing to delete {}: not a stage this store wrote",
                path.display()
            )));
        }
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(EngineError::InvalidInput(format!(
                "cannot delete {}: {e}",
                path.display()
            ))),
        }
    }
}
