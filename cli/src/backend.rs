//! The local server's backend: the shared `Service` over the embedded keyring, vault,
//! audit trail and local state machines, reading documents only from the documents roots.

use std::sync::Arc;

use reidentify::{AuditLog, SqliteAuditLog};
use serde_json::{Value, json};
use service::{
    DocumentRequest, DocumentRoots, DocumentSources, EngineError, JobLocation, JobSource,
    LocalReidentification, Service, ServiceError,
};
use statemachine::LocalOrchestrator;

use crate::pipeline::{self, Pipeline};
use service::Home;

/// The embedded default under `home`, reading documents that really lie in `roots`;
/// creates the keyring on first use, like `anonymize`.
pub fn open(home: &Home, roots: DocumentRoots) -> anyhow::Result<Service> {
    let pipeline = pipeline::open_confined(home, roots.clone())?;
    let audit = Arc::new(SqliteAuditLog::open(&home.audit())?);
    let orchestrator = pipeline::orchestrator(home, pipeline.clone(), None)?;
    Ok(backend(&pipeline, orchestrator, audit, roots, home.jobs()))
}

pub fn backend(
    pipeline: &Pipeline,
    orchestrator: LocalOrchestrator,
    audit: Arc<dyn AuditLog>,
    roots: DocumentRoots,
    jobs: std::path::PathBuf,
) -> Service {
    Service::new(
        pipeline.engines(),
        Arc::new(orchestrator),
        Arc::new(LocalFiles { roots, jobs }),
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
}

impl DocumentSources for LocalFiles {
    fn document(&self, req: &DocumentRequest) -> Result<(Value, String), ServiceError> {
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
        let meta = std::fs::metadata(&real)
            .map_err(|_| ServiceError::InvalidInput("`source` is not a readable file".into()))?;
        // A changed file is a new run; the same file posted again is the same run.
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let version = format!("{}:{modified}", meta.len());
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
}

#[cfg(test)]
#[path = "backend_tests.rs"]
mod tests;
