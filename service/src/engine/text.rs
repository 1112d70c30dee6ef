use detect::{Detection, Entity, EntityType, offsets};
use mask::{MaskedText, Summary};
use serde::Serialize;

use super::{Engine, EngineError, Entities};
use deidentify::{PreparedTokens, replace_spans};

/// A text after the whole pipeline. `entities` are the findings in the INPUT text
/// (character offsets); `summary` counts them by type and action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnonymizedText {
    pub text: String,
    pub entities: Vec<Entity>,
    pub summary: Summary,
}

impl Engine {
    pub fn detect_text(&self, text: &str) -> Vec<Detection> {
        self.detector.detect_text(text)
    }

    pub fn mask_text(
        &self,
        text: &str,
        detections: &[Detection],
    ) -> Result<MaskedText, EngineError> {
        let mut masked = self.masker().mask(text, detections, None)?;
        self.stamp(&mut masked.summary);
        Ok(masked)
    }

    /// Replaces every pending entity of every text with its token, writing all new vault
    /// items in one batch.
    pub async fn tokenize_texts(&self, items: &[MaskedText]) -> Result<Vec<String>, EngineError> {
        let values = text_values(items);
        let tokens = self.deidentifier.tokenize(&values).await?;
        with_text_tokens(items, tokens)
    }

    pub async fn anonymize_text(&self, text: &str) -> Result<AnonymizedText, EngineError> {
        let mut out = self.anonymize_texts(&[text]).await?;
        Ok(out.pop().expect("one result per text"))
    }

    pub async fn anonymize_texts(
        &self,
        texts: &[&str],
    ) -> Result<Vec<AnonymizedText>, EngineError> {
        let batch = self.stage_texts(texts, Entities::Report).await?;
        let batch = self.store_texts(batch).await?;
        self.finish_texts(batch)
    }

    /// The first step of [`anonymize_texts`](Self::anonymize_texts), as
    /// [`stage_records`](Self::stage_records) is for records: detect, mask, compute the
    /// tokens and seal the new values, without the vault.
    pub async fn stage_texts(
        &self,
        texts: &[&str],
        report: Entities,
    ) -> Result<StagedTexts, EngineError> {
        let detected = self.detect_texts(texts).await?;
        let mut masked = Vec::with_capacity(texts.len());
        let mut entities = Vec::with_capacity(texts.len());
        for (text, detections) in texts.iter().zip(&detected.detections) {
            entities.push(match report {
                Entities::Report => offsets::to_entities(text, detections, None),
                Entities::Skip => Vec::new(),
            });
            let mut m = self.mask_text(text, detections)?;
            mark_degraded(&mut m.summary, &detected.degraded);
            masked.push(m);
        }
        let prepared = self.deidentifier.prepare(&text_values(&masked))?;
        Ok(StagedTexts {
            masked,
            entities,
            prepared,
        })
    }

    /// Writes a staged batch's new values into the vault (one transaction).
    pub async fn store_texts(&self, batch: StagedTexts) -> Result<StoredTexts, EngineError> {
        let masked = &batch.masked;
        let values = || Ok(text_values(masked));
        let tokens = self.deidentifier.store_with(batch.prepared, values).await?;
        Ok(StoredTexts {
            masked: batch.masked,
            entities: batch.entities,
            tokens,
        })
    }

    /// The texts of a stored batch with their tokens, in input order.
    pub fn finish_texts(&self, batch: StoredTexts) -> Result<Vec<AnonymizedText>, EngineError> {
        let outputs = with_text_tokens(&batch.masked, batch.tokens)?;
        Ok(outputs
            .into_iter()
            .zip(batch.masked)
            .zip(batch.entities)
            .map(|((text, m), entities)| AnonymizedText {
                text,
                entities,
                summary: m.summary,
            })
            .collect())
    }

    pub(crate) fn stamp(&self, summary: &mut Summary) {
        summary.detector = Some(self.detector_name().into());
        summary.policy = Some(format!("{}@{}", self.policy.name, self.policy.version));
    }
}

/// The summary says when the preferred detector did not answer (error codes, never text).
pub(crate) fn mark_degraded(summary: &mut Summary, degraded: &Option<String>) {
    if let Some(reason) = degraded {
        summary.degraded = true;
        summary.degraded_reason = Some(reason.clone());
    }
}

/// Texts detected and masked, their tokens prepared: the vault is next.
pub struct StagedTexts {
    masked: Vec<MaskedText>,
    entities: Vec<Vec<Entity>>,
    prepared: PreparedTokens,
}

/// Texts whose new values are in the vault.
pub struct StoredTexts {
    masked: Vec<MaskedText>,
    entities: Vec<Vec<Entity>>,
    tokens: Vec<String>,
}

fn text_values(items: &[MaskedText]) -> Vec<(EntityType, &str)> {
    items
        .iter()
        .flat_map(|m| {
            m.pending
                .iter()
                .map(|d| (d.entity_type, &m.text[d.start..d.end]))
        })
        .collect()
}

fn with_text_tokens(items: &[MaskedText], tokens: Vec<String>) -> Result<Vec<String>, EngineError> {
    let mut tokens = tokens.into_iter();
    items
        .iter()
        .map(|m| {
            let spans: Vec<_> = m
                .pending
                .iter()
                .map(|d| (d.start, d.end, tokens.next().expect("one token per value")))
                .collect();
            replace_spans(&m.text, &spans).map_err(|e| EngineError::InvalidInput(e.to_string()))
        })
        .collect()
}
