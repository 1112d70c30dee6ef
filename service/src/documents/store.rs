//! Documents travel inline or by reference (Step Functions payloads are capped at 256 KB),
//! so every step reads and writes through this port.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::roots::{DocumentRoots, real_dir};
use crate::EngineError;

/// `{"text": "..."}` inline, or `{"ref": "file:///abs/path"}` / `{"ref": "s3://bucket/key"}`,
/// optionally with `"range": [begin, end]`: the byte range of one chunk of a large document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DocRef {
    Inline {
        text: String,
    },
    Reference {
        #[serde(rename = "ref")]
        reference: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        range: Option<[u64; 2]>,
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

    /// Documents above this many bytes are processed in chunks of about this size (a Map in
    /// the documents state machine); `None` never splits.
    fn chunk_bytes(&self) -> Option<u64> {
        None
    }

    /// The document's size in bytes.
    async fn len(&self, reference: &str) -> Result<u64, EngineError> {
        Ok(self.read(reference).await?.len() as u64)
    }

    /// Bytes `begin..end` of the document, which need not fall on character boundaries.
    async fn read_bytes(
        &self,
        reference: &str,
        begin: u64,
        end: u64,
    ) -> Result<Vec<u8>, EngineError> {
        let text = self.read(reference).await?;
        text.as_bytes()
            .get(begin as usize..end as usize)
            .map(<[u8]>::to_vec)
            .ok_or_else(outside_the_document)
    }

    /// Stores one chunk's result as a scratch object (like the masked stage, never a final
    /// result) for [`DocumentStore::concat_stage`] to join.
    async fn write_part(
        &self,
        reference: &str,
        stage: &str,
        text: &str,
    ) -> Result<String, EngineError> {
        self.write_stage(reference, stage, text).await
    }

    /// Writes the `stage` of `reference` as the concatenation of `parts` in order, each a
    /// whole object or a byte range of one, holding one part in memory at a time.
    async fn concat_stage(
        &self,
        reference: &str,
        stage: &str,
        parts: &[DocRef],
    ) -> Result<String, EngineError>;
}

fn outside_the_document() -> EngineError {
    EngineError::Document("the range lies outside the document".to_string())
}

/// The text `doc` names. A chunk's bytes must be UTF-8 on their own, which chunk planning
/// guarantees by cutting only at character boundaries.
pub async fn read_doc(docs: &dyn DocumentStore, doc: &DocRef) -> Result<String, EngineError> {
    match doc {
        DocRef::Inline { text } => Ok(text.clone()),
        DocRef::Reference {
            reference,
            range: None,
        } => docs.read(reference).await,
        DocRef::Reference {
            reference,
            range: Some([begin, end]),
        } => {
            if begin > end {
                return Err(EngineError::InvalidInput(
                    "a document range must be [begin, end] with begin <= end".into(),
                ));
            }
            let bytes = docs.read_bytes(reference, *begin, *end).await?;
            String::from_utf8(bytes).map_err(|e| {
                EngineError::Document(format!(
                    "the document range is not valid UTF-8 (first bad byte at offset {})",
                    e.utf8_error().valid_up_to()
                ))
            })
        }
    }
}

/// `file://` references. Derived documents go to `out_dir` (owner-only), never beside the
/// input: an intermediate stage may still hold originals that are about to be tokenized.
/// Every path is judged by where it really is (symlinks and `..` resolved): writes and
/// deletes stay in `out_dir`, and with read roots reads stay in them or in `out_dir`.
#[derive(Debug, Clone)]
pub struct FileDocumentStore {
    out_dir: PathBuf,
    chunk_bytes: Option<u64>,
    read_roots: Option<DocumentRoots>,
}

impl FileDocumentStore {
    pub fn new(out_dir: impl Into<PathBuf>) -> Self {
        Self {
            out_dir: out_dir.into(),
            chunk_bytes: None,
            read_roots: None,
        }
    }

    /// Reads only documents that really lie in `roots` (or are this store's own stages).
    pub fn with_read_roots(mut self, roots: DocumentRoots) -> Self {
        self.read_roots = Some(roots);
        self
    }

    /// Documents above `bytes` go through the state machine in chunks of about that size.
    pub fn with_chunk_bytes(mut self, bytes: Option<u64>) -> Self {
        self.chunk_bytes = bytes.filter(|b| *b > 0);
        self
    }

    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// The path to read `reference` from: with read roots, its real path, which must lie in
    /// a root or in `out_dir`.
    fn source_path(&self, reference: &str) -> Result<PathBuf, EngineError> {
        let path = file_path(reference)?;
        let Some(roots) = &self.read_roots else {
            return Ok(path);
        };
        let real = std::fs::canonicalize(&path).map_err(|e| cannot("read", &path, e))?;
        let own_stage = std::fs::canonicalize(&self.out_dir).is_ok_and(|out| real.starts_with(out));
        if !own_stage && !roots.contains(&real) {
            return Err(EngineError::InvalidInput(
                "the document lies outside the documents roots".into(),
            ));
        }
        Ok(real)
    }

    /// Where the `stage` of `reference` goes (its directory created owner-only): always
    /// really inside `out_dir`, and never through a symlink.
    fn stage_path(&self, reference: &str, stage: &str) -> Result<PathBuf, EngineError> {
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
        let out = real_dir(&self.out_dir)?;
        // A stage of a stage lands beside it, not in a directory of its own.
        let dir = match std::fs::canonicalize(&source) {
            Ok(real) if real.starts_with(&out) => real
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| out.clone()),
            _ => out.join(digest),
        };
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| {
                EngineError::InvalidInput(format!("cannot create {}: {e}", dir.display()))
            })?;
        let dir = std::fs::canonicalize(&dir).map_err(|e| cannot("create", &dir, e))?;
        if !dir.starts_with(&out) {
            return Err(outside_out_dir(&dir));
        }
        let target = dir.join(format!("{name}.{stage}"));
        if std::fs::symlink_metadata(&target).is_ok_and(|m| !m.is_file()) {
            return Err(outside_out_dir(&target));
        }
        Ok(target)
    }
}

fn outside_out_dir(path: &Path) -> EngineError {
    EngineError::InvalidInput(format!(
        "refusing to write {}: not a file inside the output directory",
        path.display()
    ))
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

/// Creates (or truncates) a stage file readable by the owner only: stages hold masked
/// text and tokens, and until the last step, the originals. A file there already (from
/// a retried step) is set to 0600 as well.
async fn create_owner_only(path: &Path) -> Result<tokio::fs::File, EngineError> {
    use std::os::unix::fs::PermissionsExt;
    let file = tokio::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .await
        .map_err(|e| cannot("write", path, e))?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
        .await
        .map_err(|e| cannot("write", path, e))?;
    Ok(file)
}

fn cannot(verb: &str, path: &Path, e: std::io::Error) -> EngineError {
    EngineError::InvalidInput(format!("cannot {verb} {}: {e}", path.display()))
}

#[async_trait::async_trait]
impl DocumentStore for FileDocumentStore {
    async fn read(&self, reference: &str) -> Result<String, EngineError> {
        let path = self.source_path(reference)?;
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|e| cannot("read", &path, e))?;
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
        use tokio::io::AsyncWriteExt;
        let target = self.stage_path(reference, stage)?;
        let mut file = create_owner_only(&target).await?;
        file.write_all(text.as_bytes())
            .await
            .map_err(|e| cannot("write", &target, e))?;
        file.flush()
            .await
            .map_err(|e| cannot("write", &target, e))?;
        Ok(format!("file://{}", target.display()))
    }

    async fn delete(&self, reference: &str) -> Result<(), EngineError> {
        let path = file_path(reference)?;
        let refuse = || {
            EngineError::InvalidInput(format!(
                "refusing to delete {}: not a stage this store wrote",
                path.display()
            ))
        };
        // Where the file really is: its directory resolved, the file itself never followed
        // (removing a symlink removes the link).
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(refuse());
        };
        let out = match std::fs::canonicalize(&self.out_dir) {
            Ok(out) => out,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(cannot("delete", &path, e)),
        };
        // A directory that does not exist holds nothing to delete.
        let Ok(parent) = std::fs::canonicalize(parent) else {
            return Ok(());
        };
        if !parent.starts_with(&out) {
            return Err(refuse());
        }
        let path = parent.join(name);
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(cannot("delete", &path, e)),
        }
    }

    fn chunk_bytes(&self) -> Option<u64> {
        self.chunk_bytes
    }

    async fn len(&self, reference: &str) -> Result<u64, EngineError> {
        let path = self.source_path(reference)?;
        let meta = tokio::fs::metadata(&path)
            .await
            .map_err(|e| cannot("read", &path, e))?;
        Ok(meta.len())
    }

    async fn read_bytes(
        &self,
        reference: &str,
        begin: u64,
        end: u64,
    ) -> Result<Vec<u8>, EngineError> {
        use tokio::io::{AsyncReadExt, AsyncSeekExt};
        let path = self.source_path(reference)?;
        let mut file = tokio::fs::File::open(&path)
            .await
            .map_err(|e| cannot("read", &path, e))?;
        let size = file
            .metadata()
            .await
            .map_err(|e| cannot("read", &path, e))?
            .len();
        if begin > end || end > size {
            return Err(outside_the_document());
        }
        file.seek(std::io::SeekFrom::Start(begin))
            .await
            .map_err(|e| cannot("read", &path, e))?;
        let mut bytes = vec![0; (end - begin) as usize];
        file.read_exact(&mut bytes)
            .await
            .map_err(|e| cannot("read", &path, e))?;
        Ok(bytes)
    }

    async fn concat_stage(
        &self,
        reference: &str,
        stage: &str,
        parts: &[DocRef],
    ) -> Result<String, EngineError> {
        use tokio::io::AsyncWriteExt;
        let target = self.stage_path(reference, stage)?;
        let mut file = create_owner_only(&target).await?;
        for part in parts {
            let text = read_doc(self, part).await?;
            file.write_all(text.as_bytes())
                .await
                .map_err(|e| cannot("write", &target, e))?;
        }
        file.flush()
            .await
            .map_err(|e| cannot("write", &target, e))?;
        Ok(format!("file://{}", target.display()))
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(reference: &str) -> u32 {
        let path = file_path(reference).unwrap();
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[tokio::test]
    async fn stages_and_joined_results_are_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.txt");
        std::fs::write(&input, "Jane").unwrap();
        let reference = format!("file://{}", input.display());
        let store = FileDocumentStore::new(dir.path().join("out"));
        let masked = store.write_stage(&reference, "masked", "x").await.unwrap();
        assert_eq!(mode(&masked), 0o600);
        let parts = [DocRef::Inline { text: "a".into() }];
        let joined = store
            .concat_stage(&reference, "anonymized", &parts)
            .await
            .unwrap();
        assert_eq!(mode(&joined), 0o600);
        assert_eq!(
            std::fs::read_to_string(file_path(&joined).unwrap()).unwrap(),
            "a"
        );
        // A retried step rewrites a file some other tool had opened up.
        let path = file_path(&masked).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let again = store.write_stage(&reference, "masked", "y").await.unwrap();
        assert_eq!(again, masked);
        assert_eq!(mode(&again), 0o600);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "y");
    }

    fn file_ref(path: &Path) -> String {
        format!("file://{}", path.display())
    }

    #[tokio::test]
    async fn reads_with_roots_stay_in_the_roots_or_the_stages() {
        let dir = tempfile::tempdir().unwrap();
        let docs = dir.path().join("docs");
        std::fs::create_dir(&docs).unwrap();
        std::fs::write(docs.join("a.txt"), "inside").unwrap();
        std::fs::write(dir.path().join("keyring.json"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("keyring.json"), docs.join("link")).unwrap();
        let store = FileDocumentStore::new(dir.path().join("out"))
            .with_read_roots(DocumentRoots::new([docs.clone()]).unwrap());
        assert_eq!(
            store.read(&file_ref(&docs.join("a.txt"))).await.unwrap(),
            "inside"
        );
        for path in [docs.join("../keyring.json"), docs.join("link")] {
            let err = store.read(&file_ref(&path)).await.unwrap_err().to_string();
            assert!(
                err.contains("outside the documents roots"),
                "{path:?}: {err}"
            );
            let err = store.len(&file_ref(&path)).await.unwrap_err().to_string();
            assert!(
                err.contains("outside the documents roots"),
                "{path:?}: {err}"
            );
        }
        let stage = store
            .write_stage(&file_ref(&docs.join("a.txt")), "masked", "m")
            .await
            .unwrap();
        assert_eq!(store.read(&stage).await.unwrap(), "m");
    }

    #[tokio::test]
    async fn stages_are_written_only_inside_the_output_directory() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        let store = FileDocumentStore::new(&out);
        let reference = file_ref(&dir.path().join("a.txt"));

        // The stage's directory planted as a symlink to elsewhere.
        let digest = data_encoding::HEXLOWER
            .encode(&<sha2::Sha256 as sha2::Digest>::digest(reference.as_bytes())[..8]);
        std::os::unix::fs::symlink(&elsewhere, out.join(&digest)).unwrap();
        let err = store
            .write_stage(&reference, "masked", "m")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("refusing to write"), "{err}");
        std::fs::remove_file(out.join(&digest)).unwrap();

        // The stage file itself planted as a symlink.
        std::fs::create_dir(out.join(&digest)).unwrap();
        std::os::unix::fs::symlink(
            elsewhere.join("victim"),
            out.join(&digest).join("a.txt.masked"),
        )
        .unwrap();
        let err = store
            .write_stage(&reference, "masked", "m")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("refusing to write"), "{err}");
        assert!(!elsewhere.join("victim").exists());

        // A "stage of a stage" that only names the output directory as text.
        let spelled = file_ref(&out.join("../elsewhere/b.txt.masked"));
        std::fs::write(elsewhere.join("b.txt.masked"), "x").unwrap();
        let written = store
            .write_stage(&spelled, "anonymized", "r")
            .await
            .unwrap();
        let written = std::fs::canonicalize(file_path(&written).unwrap()).unwrap();
        assert!(
            written.starts_with(std::fs::canonicalize(&out).unwrap()),
            "{written:?}"
        );
    }

    #[tokio::test]
    async fn deletes_outside_the_output_directory_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path(), out.join("up")).unwrap();
        let store = FileDocumentStore::new(&out);
        for path in [out.join("../keep.txt"), out.join("up/keep.txt")] {
            let err = store.delete(&file_ref(&path)).await.unwrap_err();
            assert!(err.to_string().contains("refusing to delete"), "{err}");
        }
        assert!(dir.path().join("keep.txt").exists());
        store
            .delete(&file_ref(&out.join("gone/x.masked")))
            .await
            .unwrap();
    }
}
