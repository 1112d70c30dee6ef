//! `Service`: what both servers (`piiflow serve` and the API function) do for a caller —
//! anonymize in process, documents through an orchestrator, re-identification through a
//! [`Reidentification`] — built from different adapters.

use std::sync::Arc;

use reidentify::CallContext;

use crate::batch::anonymize_batch;
use crate::convert::{record_response, text_response};
use crate::document_runs::DocumentRuns;
use crate::job_runs::JobRuns;
use crate::policies::builtin_engine;
use crate::{
    AnonymizeRequest, AnonymizeResponse, AuditPage, AuditQuery, DocumentRequest, DocumentSources,
    DocumentStarted, DocumentStatus, Engine, EngineCache, EraseResponse, JobRequest, JobStarted,
    JobStatus, Reidentification, ReidentifyRequest, ReidentifyResponse, ServiceError,
    builtin_policy,
};

pub struct Service {
    engines: Arc<EngineCache>,
    documents: DocumentRuns,
    jobs: JobRuns,
    reidentification: Arc<dyn Reidentification>,
}

impl Service {
    pub fn new(
        engines: Arc<EngineCache>,
        orchestrator: Arc<dyn statemachine::Orchestrator>,
        sources: Arc<dyn DocumentSources>,
        reidentification: Arc<dyn Reidentification>,
    ) -> Self {
        Self {
            engines,
            documents: DocumentRuns {
                orchestrator: orchestrator.clone(),
                sources: sources.clone(),
            },
            jobs: JobRuns {
                orchestrator,
                sources,
            },
            reidentification,
        }
    }

    /// Only built-in policies: see [`builtin_policy`].
    fn engine(&self, policy: Option<&str>) -> Result<Arc<Engine>, ServiceError> {
        Ok(builtin_engine(&self.engines, policy)?)
    }

    pub async fn anonymize(
        &self,
        req: AnonymizeRequest,
    ) -> Result<AnonymizeResponse, ServiceError> {
        let engine = self.engine(req.policy.as_deref())?;
        match (req.text, req.record) {
            (Some(text), None) => text_response(engine.anonymize_text(&text).await?),
            (None, Some(record)) => record_response(engine.anonymize_record(&record).await?),
            _ => Err(ServiceError::InvalidInput(
                "give either `text` or `record`".into(),
            )),
        }
    }

    /// One outcome per item, in order; a bad item fails alone.
    pub async fn anonymize_batch(
        &self,
        items: Vec<AnonymizeRequest>,
    ) -> Vec<Result<AnonymizeResponse, ServiceError>> {
        anonymize_batch(|policy| self.engine(policy), items).await
    }

    pub async fn start_document(
        &self,
        req: DocumentRequest,
    ) -> Result<DocumentStarted, ServiceError> {
        let policy = req
            .policy
            .as_deref()
            .unwrap_or(self.engines.default_policy());
        builtin_policy(policy)?;
        self.documents.start(&req, policy).await
    }

    pub async fn get_document(&self, id: &str) -> Result<DocumentStatus, ServiceError> {
        self.documents.status(id).await
    }

    /// A presigned upload of a new document under the incoming prefix.
    pub async fn upload_document(
        &self,
        req: crate::UploadRequest,
    ) -> Result<crate::UploadTicket, ServiceError> {
        self.documents.upload(&req).await
    }

    /// Starts a bulk job: every document under a prefix or in a manifest, each a child
    /// execution of the documents flow.
    pub async fn start_job(&self, req: JobRequest) -> Result<JobStarted, ServiceError> {
        let policy = req
            .policy
            .as_deref()
            .unwrap_or(self.engines.default_policy());
        builtin_policy(policy)?;
        self.jobs.start(&req, policy).await
    }

    pub async fn get_job(&self, id: &str) -> Result<JobStatus, ServiceError> {
        self.jobs.status(id).await
    }

    /// Writes the audit record before returning any original, and fails (no originals)
    /// when it cannot.
    pub async fn reidentify(
        &self,
        req: ReidentifyRequest,
        ctx: &CallContext,
    ) -> Result<ReidentifyResponse, ServiceError> {
        self.reidentification.reidentify(req, ctx).await
    }

    pub async fn erase(
        &self,
        token: &str,
        ctx: &CallContext,
    ) -> Result<EraseResponse, ServiceError> {
        self.reidentification.erase(token, ctx).await
    }

    pub async fn audit(
        &self,
        query: AuditQuery,
        token: Option<&reidentify::AccessToken>,
    ) -> Result<AuditPage, ServiceError> {
        self.reidentification.audit(query, token).await
    }
}
