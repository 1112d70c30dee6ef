//! `POST /v1/jobs` and `GET /v1/jobs/{id}` over an orchestrator's `jobs` state machine (a
//! Distributed Map whose children each run the documents flow).

use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};
use statemachine::{ExecutionStatus, JOBS, Orchestrator};

use crate::{
    DocumentSources, DocumentState, JobCounts, JobRequest, JobSource, JobStarted, JobStatus,
    ServiceError,
};

/// Where a job reads its documents and writes its results, as the `jobs` definition takes
/// it: a bucket is an S3 bucket name or, locally, a `file://` directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobLocation {
    pub bucket: String,
    /// List the objects under this prefix ...
    pub prefix: Option<String>,
    /// ... or read the keys from this manifest.
    pub manifest: Option<String>,
    /// A document's ref is this followed by its key.
    pub base: String,
    pub results_bucket: String,
    /// The job's name is appended.
    pub results_prefix: String,
}

/// Prefixes of the stack's bucket a job may not read: its own outputs and scratch.
const RESERVED_PREFIXES: &[&str] = &["results/", "work/", "jobs/"];

impl JobLocation {
    /// A job over the stack's bucket, under `document_prefix` (where the functions may
    /// read) when one is set; results go under `jobs/` in it.
    pub fn s3(
        source: &JobSource,
        stack_bucket: Option<&str>,
        document_prefix: Option<&str>,
    ) -> Result<Self, ServiceError> {
        let bad = |why: &str| ServiceError::InvalidInput(why.into());
        let url = match source {
            JobSource::Prefix(u) | JobSource::Manifest { manifest: u } => u,
        };
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| bad("a job's source must be an s3:// reference on AWS"))?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(bad("an s3:// reference needs a bucket"));
        }
        if stack_bucket.is_some_and(|b| b != bucket) {
            return Err(bad("a job's source must be in the stack's document bucket"));
        }
        if key.is_empty() {
            return Err(bad(
                "a job needs a prefix or a manifest key, not the whole bucket",
            ));
        }
        if let Some(p) = document_prefix
            && !key.starts_with(p)
        {
            return Err(ServiceError::InvalidInput(format!(
                "a job's source must be under the document prefix {p:?}"
            )));
        }
        if RESERVED_PREFIXES.iter().any(|p| key.starts_with(p)) {
            return Err(bad(
                "results/, work/ and jobs/ hold piiflow's own outputs; a job cannot read them",
            ));
        }
        let (prefix, manifest) = match source {
            JobSource::Prefix(_) => (Some(key.to_owned()), None),
            JobSource::Manifest { .. } => (None, Some(key.to_owned())),
        };
        Ok(JobLocation {
            bucket: bucket.to_owned(),
            prefix,
            manifest,
            base: format!("s3://{bucket}/"),
            results_bucket: bucket.to_owned(),
            results_prefix: "jobs/".into(),
        })
    }

    /// A local job: a directory (every file under it) or a manifest file whose keys are
    /// relative to its directory; results go under `results_dir`.
    pub fn file(source: &JobSource, results_dir: &Path) -> Result<Self, ServiceError> {
        let bad = |why: &str| ServiceError::InvalidInput(why.into());
        let url = match source {
            JobSource::Prefix(u) | JobSource::Manifest { manifest: u } => u,
        };
        if url.starts_with("s3://") {
            return Err(bad(
                "s3:// sources need the AWS deployment; locally a job reads a file:// directory or manifest",
            ));
        }
        let path = Path::new(
            url.strip_prefix("file://")
                .ok_or_else(|| bad("a job's source must be a file:// reference"))?,
        );
        if !path.is_absolute() {
            return Err(bad("file:// references must be absolute paths"));
        }
        let results_bucket = format!("file://{}", results_dir.display());
        match source {
            JobSource::Prefix(_) => {
                if !path.is_dir() {
                    return Err(bad("a job's source is not a readable directory"));
                }
                let dir = path.display().to_string();
                let dir = dir.trim_end_matches('/');
                Ok(JobLocation {
                    bucket: format!("file://{dir}"),
                    prefix: Some(String::new()),
                    manifest: None,
                    base: format!("file://{dir}/"),
                    results_bucket,
                    results_prefix: String::new(),
                })
            }
            JobSource::Manifest { .. } => {
                let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
                    return Err(bad("a manifest must be a file"));
                };
                if !path.is_file() {
                    return Err(bad("the manifest is not a readable file"));
                }
                let dir = dir.display().to_string();
                let dir = dir.trim_end_matches('/');
                Ok(JobLocation {
                    bucket: format!("file://{dir}"),
                    prefix: None,
                    manifest: Some(name.to_string_lossy().into_owned()),
                    base: format!("file://{dir}/"),
                    results_bucket,
                    results_prefix: String::new(),
                })
            }
        }
    }
}

/// The `jobs` state machine's input.
pub fn job_input(loc: &JobLocation, name: &str, policy: &str) -> Value {
    let mut job = json!({"bucket": loc.bucket, "base": loc.base});
    if let Some(p) = &loc.prefix {
        job["prefix"] = json!(p);
    }
    if let Some(m) = &loc.manifest {
        job["manifest"] = json!(m);
    }
    json!({
        "job": job,
        "policy": policy,
        "results": {"bucket": loc.results_bucket, "prefix": format!("{}{name}", loc.results_prefix)},
    })
}

/// Bulk jobs: where their documents may come from, and the orchestrator that runs them.
pub struct JobRuns {
    pub orchestrator: Arc<dyn Orchestrator>,
    pub sources: Arc<dyn DocumentSources>,
}

impl JobRuns {
    pub async fn start(&self, req: &JobRequest, policy: &str) -> Result<JobStarted, ServiceError> {
        let loc = self.sources.job(&req.source)?;
        let name = format!("job-{}", uuid::Uuid::new_v4().simple());
        let input = job_input(&loc, &name, policy);
        let handle = self
            .orchestrator
            .start_execution(JOBS, Some(name), input)
            .await?;
        Ok(JobStarted {
            id: handle.id,
            status: DocumentState::Running,
        })
    }

    pub async fn status(&self, id: &str) -> Result<JobStatus, ServiceError> {
        let d = self.orchestrator.describe_execution(id).await?;
        if d.definition != JOBS {
            return Err(ServiceError::NotFound("no such job".into()));
        }
        let runs = self.orchestrator.map_runs(id).await?;
        let counts = (!runs.is_empty()).then(|| {
            runs.iter().fold(JobCounts::default(), |mut c, r| {
                c.total += r.total;
                c.pending += r.pending;
                c.running += r.running;
                c.succeeded += r.succeeded;
                c.failed += r.failed;
                c
            })
        });
        let state = match d.status {
            ExecutionStatus::Running => DocumentState::Running,
            ExecutionStatus::Succeeded => DocumentState::Succeeded,
            _ => DocumentState::Failed,
        };
        let results = d
            .output
            .as_ref()
            .and_then(|o| o.pointer("/run/ResultWriterDetails"))
            .and_then(|w| Some((w["Bucket"].as_str()?, w["Key"].as_str()?)))
            .map(|(bucket, key)| {
                if bucket.starts_with("file://") {
                    format!("{bucket}/{key}")
                } else {
                    format!("s3://{bucket}/{key}")
                }
            });
        Ok(JobStatus {
            id: d.id,
            status: state,
            counts,
            results,
            error: (state == DocumentState::Failed)
                .then(|| d.error.unwrap_or_else(|| d.status.as_str().to_string())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(s: &str) -> JobSource {
        JobSource::Prefix(s.into())
    }

    #[test]
    fn s3_jobs_read_the_stack_bucket_outside_its_own_outputs() {
        let loc = JobLocation::s3(
            &prefix("s3://docs/incoming/2026/"),
            Some("docs"),
            Some("incoming/"),
        )
        .unwrap();
        assert_eq!(loc.prefix.as_deref(), Some("incoming/2026/"));
        assert_eq!(loc.base, "s3://docs/");
        let m = JobLocation::s3(
            &JobSource::Manifest {
                manifest: "s3://docs/incoming/lists/a.json".into(),
            },
            Some("docs"),
            Some("incoming/"),
        )
        .unwrap();
        assert_eq!(m.manifest.as_deref(), Some("incoming/lists/a.json"));
        for bad in [
            "s3://other/incoming/",
            "s3://docs",
            "s3://docs/",
            "s3://docs/results/x/",
            "s3://docs/elsewhere/",
            "s3://docs/work/",
            "file:///tmp/",
            "https://docs/x",
        ] {
            assert!(
                matches!(
                    JobLocation::s3(&prefix(bad), Some("docs"), Some("incoming/")),
                    Err(ServiceError::InvalidInput(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn local_jobs_read_an_existing_directory_or_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let results = dir.path().join("jobs");
        let d = format!("file://{}/", dir.path().display());
        let loc = JobLocation::file(&prefix(&d), &results).unwrap();
        assert_eq!(loc.bucket, d.trim_end_matches('/'));
        assert_eq!(loc.base, d);
        std::fs::write(dir.path().join("m.json"), "[]").unwrap();
        let m = JobLocation::file(
            &JobSource::Manifest {
                manifest: format!("{d}m.json"),
            },
            &results,
        )
        .unwrap();
        assert_eq!(m.manifest.as_deref(), Some("m.json"));
        for bad in [
            format!("{d}nope/"),
            "file://relative/dir".into(),
            "s3://b/p/".into(),
            "/no/scheme".into(),
        ] {
            assert!(
                matches!(
                    JobLocation::file(&prefix(&bad), &results),
                    Err(ServiceError::InvalidInput(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_job_input_names_its_results_after_the_job() {
        let loc = JobLocation::s3(&prefix("s3://docs/in/"), None, None).unwrap();
        let input = job_input(&loc, "job-1", "default");
        assert_eq!(
            input,
            json!({"job": {"bucket": "docs", "base": "s3://docs/", "prefix": "in/"},
                "policy": "default",
                "results": {"bucket": "docs", "prefix": "jobs/job-1"}})
        );
    }
}
