//! The local server's backend: the shared `Service` over the embedded keyring, vault,
//! audit trail and local state machines, reading documents from absolute `file://` paths.

use std::path::Path;
use std::sync::Arc;

use reidentify::{AuditLog, SqliteAuditLog};
use serde_json::{Value, json};
use service::{
    DocumentRequest, DocumentSources, JobLocation, JobSource, LocalReidentification, Service,
    ServiceError,
};
use statemachine::LocalOrchestrator;

use crate::pipeline::{self, Pipeline};
use service::Home;

/// The embedded default under `home`; creates the keyring on first use, like `anonymize`.
pub fn open(home: &Home) -> anyhow::Result<Service> {
    let pipeline = pipeline::open(home)?;
    let audit = Arc::new(SqliteAuditLog::open(&home.audit())?);
    let orchestrator = pipeline::orchestrator(home, pipeline.clone(), None)?;
    Ok(backend(&pipeline, orchestrator, audit, home.jobs()))
}

pub fn backend(
    pipeline: &Pipeline,
    orchestrator: LocalOrchestrator,
    audit: Arc<dyn AuditLog>,
    jobs: std::path::PathBuf,
) -> Service {
    Service::new(
        pipeline.engines(),
        Arc::new(orchestrator),
        Arc::new(LocalFiles { jobs }),
        Arc::new(LocalReidentification::new(
            pipeline.deidentifier().clone(),
            audit,
        )),
    )
}

/// Absolute `file://` paths to existing files; results go under the piiflow home.
struct LocalFiles {
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
        // Relative paths would depend on the server's working directory, which callers cannot see.
        if !Path::new(path).is_absolute() {
            return Err(ServiceError::InvalidInput(
                "file:// references must be absolute paths".into(),
            ));
        }
        // Checked here so a typo is a 400 now rather than a failed run later.
        let meta = std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .ok_or_else(|| ServiceError::InvalidInput("`source` is not a readable file".into()))?;
        // A changed file is a new run; the same file posted again is the same run.
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let version = format!("{}:{modified}", meta.len());
        Ok((json!({ "ref": req.source }), version))
    }

    fn job(&self, source: &JobSource) -> Result<JobLocation, ServiceError> {
        JobLocation::file(source, &self.jobs)
    }
}

#[cfg(test)]
#[path = "backend_tests.rs"]
mod tests;
