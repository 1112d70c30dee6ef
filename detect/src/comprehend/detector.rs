//! Amazon Comprehend DetectPiiEntities behind the `Detector` port, with a pattern fallback
//! per chunk so a Comprehend outage degrades the result instead of losing it.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_comprehend::Client;
use aws_sdk_comprehend::types::{LanguageCode, PiiEntity};
use futures::stream::{self, StreamExt};
use tokio::time::Instant;

use super::chunk::{Chunk, ChunkLimits, split};
use super::failure::ChunkFailure;
use super::merge::merge_duplicates;
use super::offsets::ByteIndex;
use crate::{
    DetectError, Detection, DetectionReport, Detector, EntityType, PatternDetector, Source,
    resolve_overlaps,
};

/// Concurrent DetectPiiEntities calls per text: enough to hide latency on large texts,
/// few enough not to burn the account's per-second DetectPiiEntities quota on one text.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Comprehend PII detector. Retry policy, timeouts, region and credentials belong to the
/// `Client` the caller builds (e.g. adaptive retries with a few attempts on Lambda).
#[derive(Debug, Clone)]
pub struct ComprehendDetector {
    client: Client,
    fallback: Arc<PatternDetector>,
    language: String,
    limits: ChunkLimits,
    concurrency: usize,
    deadline: Option<Duration>,
}

/// What one chunk produced, in byte offsets of the whole text.
struct ChunkOutcome {
    detections: Vec<Detection>,
    failure: Option<ChunkFailure>,
}

impl ComprehendDetector {
    /// English, default chunk limits, `DEFAULT_CONCURRENCY`, no time budget.
    pub fn new(client: Client, fallback: Arc<PatternDetector>) -> Self {
        Self {
            client,
            fallback,
            language: "en".to_string(),
            limits: ChunkLimits::default(),
            concurrency: DEFAULT_CONCURRENCY,
            deadline: None,
        }
    }

    /// Language code of the texts. Comprehend detects PII in `en` and `es` only; any other
    /// code is not sent at all and every chunk falls back to patterns.
    pub fn with_language(mut self, code: impl Into<String>) -> Self {
        self.language = code.into();
        self
    }

    pub fn with_chunk_limits(mut self, limits: ChunkLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Chunks in flight at once (at least 1).
    pub fn with_concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Time budget per `detect` call, e.g. Lambda's remaining time minus a margin: chunks
    /// not answered by then are detected with patterns instead.
    pub fn with_deadline(mut self, budget: Duration) -> Self {
        self.deadline = Some(budget);
        self
    }

    /// Detects with an explicit deadline (for a budget that differs per call, like
    /// Lambda's remaining time). Never fails: what Comprehend cannot answer, patterns do.
    pub async fn detect_until(&self, text: &str, deadline: Option<Instant>) -> DetectionReport {
        let chunks = split(text, self.limits);
        let total = chunks.len();
        // Futures collected first: a closure inside the stream type trips the compiler's
        // higher-ranked lifetime check when `detect` must be `Send` (async_trait).
        let mut pending = Vec::with_capacity(total);
        for (i, chunk) in chunks.into_iter().enumerate() {
            pending.push(async move { (i, self.detect_chunk(chunk, deadline).await) });
        }
        let mut outcomes: Vec<(usize, ChunkOutcome)> = stream::iter(pending)
            .buffer_unordered(self.concurrency)
            .collect()
            .await;
        // Completion order varies; chunk order keeps the degraded note reproducible.
        outcomes.sort_by_key(|(i, _)| *i);
        let mut failures: Vec<ChunkFailure> = Vec::new();
        let mut detections = Vec::new();
        for (_, outcome) in outcomes {
            detections.extend(outcome.detections);
            failures.extend(outcome.failure);
        }
        DetectionReport {
            detections: resolve_overlaps(merge_duplicates(detections)),
            degraded: degraded_note(&failures, total),
        }
    }

    async fn detect_chunk(&self, chunk: Chunk<'_>, deadline: Option<Instant>) -> ChunkOutcome {
        let answer = match deadline {
            // Checked first: a mock or a fast network may answer on the first poll, and a
            // chunk queued past the deadline must not start a call at all.
            Some(at) if Instant::now() >= at => Err(ChunkFailure::Deadline),
            Some(at) => tokio::time::timeout_at(at, self.call(chunk.text))
                .await
                .unwrap_or(Err(ChunkFailure::Deadline)),
            None => self.call(chunk.text).await,
        };
        let (mut detections, failure) = match answer {
            Ok(found) => (found, None),
            Err(failure) => (self.fallback.detect_text(chunk.text), Some(failure)),
        };
        for d in &mut detections {
            d.start += chunk.offset;
            d.end += chunk.offset;
        }
        ChunkOutcome {
            detections,
            failure,
        }
    }

    /// One DetectPiiEntities call; detections in byte offsets of `text`.
    async fn call(&self, text: &str) -> Result<Vec<Detection>, ChunkFailure> {
        let language = match self.language.as_str() {
            "en" => LanguageCode::En,
            "es" => LanguageCode::Es,
            other => return Err(ChunkFailure::UnsupportedLanguage(other.to_string())),
        };
        let output = self
            .client
            .detect_pii_entities()
            .text(text)
            .language_code(language)
            .send()
            .await
            .map_err(|e| ChunkFailure::from_sdk(e, &self.language))?;
        to_detections(text, output.entities())
    }
}

/// Converts Comprehend's code point offsets into byte offsets of `text`. Types this crate
/// does not know (Comprehend adds some now and then) are skipped, not fatal.
fn to_detections(text: &str, entities: &[PiiEntity]) -> Result<Vec<Detection>, ChunkFailure> {
    let mut sorted: Vec<&PiiEntity> = entities.iter().collect();
    sorted.sort_by_key(|e| e.begin_offset());
    let mut index = ByteIndex::new(text);
    let mut out = Vec::with_capacity(sorted.len());
    for e in sorted {
        let Some(entity_type) = e.r#type().and_then(|t| EntityType::builtin(t.as_str())) else {
            continue;
        };
        let (Some(begin), Some(end)) = (e.begin_offset(), e.end_offset()) else {
            return Err(ChunkFailure::BadOffsets);
        };
        let begin = usize::try_from(begin).map_err(|_| ChunkFailure::BadOffsets)?;
        let end = usize::try_from(end).map_err(|_| ChunkFailure::BadOffsets)?;
        if end < begin {
            return Err(ChunkFailure::BadOffsets);
        }
        let start = index.byte_offset(begin).ok_or(ChunkFailure::BadOffsets)?;
        let end = index.byte_offset(end).ok_or(ChunkFailure::BadOffsets)?;
        out.push(Detection {
            entity_type,
            start,
            end,
            score: e.score().unwrap_or(0.0).clamp(0.0, 1.0),
            source: Source::Comprehend,
        });
    }
    Ok(out)
}

/// One line for the report: how much fell back and the first reason (they are usually
/// all the same; the count says whether it was the whole text).
fn degraded_note(failures: &[ChunkFailure], total: usize) -> Option<String> {
    let first = failures.first()?;
    Some(format!(
        "comprehend: {} of {total} chunks detected with patterns instead: {first}",
        failures.len()
    ))
}

#[async_trait::async_trait]
impl Detector for ComprehendDetector {
    fn name(&self) -> &'static str {
        "comprehend"
    }

    async fn detect(&self, text: &str) -> Result<DetectionReport, DetectError> {
        let deadline = self.deadline.map(|budget| Instant::now() + budget);
        Ok(self.detect_until(text, deadline).await)
    }
}
