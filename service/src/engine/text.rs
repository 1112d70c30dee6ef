use detect::{Detection, Entity, offsets};
use mask::{MaskedText, Summary};
use serde::Serialize;

use super::{Engine, EngineError};
use deidentify::replace_spans;

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
        let values: Vec<_> = items
            .iter()
            .flat_map(|m| {
                m.pending
                    .iter()
                    .map(|d| (d.entity_type, &m.text[d.start..d.end]))
            })
            .collect();
        let tokens = self.deidentifier.tokenize(&values).await?;
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

    pub async fn anonymize_text(&self, text: &str) -> Result<AnonymizedText, EngineError> {
        let mut out = self.anonymize_texts(&[text]).await?;
        Ok(out.pop().expect("one result per text"))
    }

    pub async fn anonymize_texts(
        &self,
        texts: &[&str],
    ) -> Result<Vec<AnonymizedText>, EngineError> {
        let detected = self.detect_texts(texts).await?;
        let mut masked = Vec::with_capacity(texts.len());
        let mut entities = Vec::with_capacity(texts.len());
        for (text, detections) in texts.iter().zip(&detected.detections) {
            entities.push(offsets::to_entities(text, detections, None));
            let mut m = self.mask_text(text, detections)?;
            mark_degraded(&mut m.summary, &detected.degraded);
            masked.push(m);
        }
        let outputs = self.tokenize_texts(&masked).await?;
        Ok(outputs
            .into_iter()
            .zip(masked)
            .zip(entities)
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
