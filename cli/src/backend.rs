//! The local server's backend: the shared `Service` over the embedded keyring, vault,
//! audit trail and local state machines, reading documents only from the documents roots.

use std::sync::Arc;

use api::SignedUrls;
use reidentify::{AuditLog, SqliteAuditLog};
use serde_json::{Value, json};
use service::{
    DocumentRequest, DocumentRoots, DocumentSources, EngineError, JobLocation, JobSource,
    LocalReidentification, PresignedRequest, Service, ServiceError, UploadTicket,
};
use statemachine::LocalOrchestrator;

use crate::pipeline::{self, Pipeline};
use service::Home;

/// The embedded default under `home`, reading documents that really lie in `roots`;
/// creates the keyring on first use, like `anonymize`. Uploads go to `incoming/` of the
/// first root through the returned signed URLs, which the server serves.
pub fn open(home: &Home, roots: DocumentRoots) -> anyhow::Result<(Service, Arc<SignedUrls>)> {
    let pipeline = pipeline::open_confined(home, roots.clone())?;
    let audit = Arc::new(SqliteAuditLog::open(&home.audit())?);
    let orchestrator = pipeline::orchestrator(home, pipeline.clone(), None)?;
    let urls = Arc::new(signed_urls(home, &roots)?);
    let service = backend(
        &pipeline,
        orchestrator,
        audit,
        roots,
        home.jobs(),
        urls.clone(),
    );
    Ok((service, urls))
}

/// Uploads under `<first documents root>/incoming`, results from `<home>/objects`.
pub fn signed_urls(home: &Home, roots: &DocumentRoots) -> anyhow::Result<SignedUrls> {
    let root = roots
        .dirs()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no documents root"))?;
    Ok(SignedUrls::new(
        root.join("incoming"),
        home.root().join("objects"),
    )?)
}

pub fn backend(
    pipeline: &Pipeline,
    orchestrator: LocalOrchestrator,
    audit: Arc<dyn AuditLog>,
    roots: DocumentRoots,
    jobs: std::path::PathBuf,
    urls: Arc<SignedUrls>,
) -> Service {
    Service::new(
        pipeline.engines(),
        Arc::new(orchestrator),
        Arc::new(LocalFiles { roots, jobs, urls }),
        Arc::new(LocalReidentification::new(
            pipeline.deidentifier().clone(),
            audit,
        )),
    )
}

/// `file://` paths to existing files that really lie in a documents root (symlinks and
/// `..` resolved); results, and the results of jobs, go under the piiflow home.
struct LocalFiles {
    roots: DocumentRoots,
    jobs: std::path::PathBuf,
    /// Presigned uploads and result downloads, served by `piiflow serve`.
    urls: Arc<SignedUrls>,
}

#[async_trait::async_trait]
impl DocumentSources for LocalFiles {
    async fn document(&self, req: &DocumentRequest) -> Result<(Value, String), ServiceError> {
        if req.source.starts_with("s3://") {
            return Err(ServiceError::InvalidInput(
                "s3:// sources need the AWS deployment; the local server reads file:// references"
                    .into(),
            ));
        }
        if req.destination.is_some() {
            return Err(ServiceError::InvalidInput(
                "`destination` is not supported by the local server; results go under the piiflow home"
                    .into(),
            ));
        }
        let path = req.source.strip_prefix("file://").ok_or_else(|| {
            ServiceError::InvalidInput("`source` must be a file:// reference".into())
        })?;
        // Relative paths would depend on the server's working directory, which callers cannot
        // see; checked here so a typo or an escape is a 400 now, before anything is read.
        let real = self
            .roots
            .resolve_file(std::path::Path::new(path))
            .map_err(|e| match e {
                EngineError::InvalidInput(m) => ServiceError::InvalidInput(m),
                other => ServiceError::from(other),
            })?;
        // The version is the content's SHA-256, as an ETag is the content's on S3: the same
        // bytes posted again (copied, touched, uploaded again) find the same run; changed
        // bytes are a new run.
        let file = real.clone();
        let version = tokio::task::spawn_blocking(move || content_digest(&file))
            .await
            .map_err(|_| ServiceError::Internal("hashing a document".into()))?
            .map_err(|_| ServiceError::InvalidInput("`source` is not a readable file".into()))?;
        // The run names the real path; the steps resolve it again when they read it.
        let reference = format!("file://{}", real.display());
        Ok((json!({ "ref": reference }), version))
    }

    /// A job's directory or manifest must lie in a documents root like a document: the
    /// executor lists the directory and reads the manifest before any step runs.
    fn job(&self, source: &JobSource) -> Result<JobLocation, ServiceError> {
        let invalid = |e: EngineError| match e {
            EngineError::InvalidInput(m) => ServiceError::InvalidInput(m),
            other => ServiceError::from(other),
        };
        let confined = match source {
            JobSource::Prefix(url) => match url.strip_prefix("file://") {
                Some(path) => {
                    let real = self
                        .roots
                        .resolve_dir(std::path::Path::new(path))
                        .map_err(invalid)?;
                    JobSource::Prefix(format!("file://{}", real.display()))
                }
                None => source.clone(),
            },
            JobSource::Manifest { manifest } => match manifest.strip_prefix("file://") {
                Some(path) => {
                    let real = self
                        .roots
                        .resolve_file(std::path::Path::new(path))
                        .map_err(invalid)?;
                    JobSource::Manifest {
                        manifest: format!("file://{}", real.display()),
                    }
                }
                None => source.clone(),
            },
        };
        JobLocation::file(&confined, &self.jobs)
    }

    async fn upload(&self, file_name: &str) -> Result<UploadTicket, ServiceError> {
        self.urls.upload(file_name)
    }

    async fn download(&self, result: &str) -> Result<PresignedRequest, ServiceError> {
        self.urls.download(result)
    }
}

/// `sha256:<hex>` of a file's bytes, read in pieces.
fn content_digest(path: &std::path::Path) -> std::io::Result<String> {
    use sha2::Digest;
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hash = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
    }
    let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("sha256:{digest}"))
}

#[cfg(test)]
#[path = "backend_tests.rs"]
mod tests;
