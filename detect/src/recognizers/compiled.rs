use std::collections::HashSet;

use super::spec::ascii_boundaries;
use super::{Recognizer, Validator};
use crate::context::PhraseSet;
use crate::{DenyTerm, DetectError, EntityType};

/// The recognizers of one detector, ready for its regex: their patterns come first in the
/// combined regex, so pattern id `i < len()` is custom pattern `i`.
#[derive(Debug, Default)]
pub(crate) struct CustomRecognizers {
    sources: Vec<String>,
    /// Per pattern, its recognizer.
    owner: Vec<usize>,
    /// Per pattern, whether it has a group named `value`; see [`Self::find_value_groups`].
    has_value: Vec<bool>,
    compiled: Vec<Compiled>,
}

#[derive(Debug)]
pub(crate) struct Compiled {
    pub entity_type: EntityType,
    pub validator: Option<Validator>,
    pub score: f32,
    pub phrases: PhraseSet,
    pub allow: HashSet<String>,
}

impl CustomRecognizers {
    pub(crate) fn new(recognizers: &[Recognizer]) -> Result<Self, DetectError> {
        let mut out = CustomRecognizers::default();
        for (i, r) in recognizers.iter().enumerate() {
            r.check()
                .map_err(|e| DetectError::Config(format!("recognizers[{i}]: {e}")))?;
            let entity_type = r.entity_type().expect("checked above");
            for (_, source) in r.sources() {
                out.sources.push(ascii_boundaries(source));
                out.owner.push(i);
            }
            let words: Vec<String> = r.context.iter().map(|w| w.to_ascii_lowercase()).collect();
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            out.compiled.push(Compiled {
                entity_type,
                validator: r.validator,
                score: r.score,
                phrases: PhraseSet::compile(&words),
                allow: r.allow.iter().cloned().collect(),
            });
        }
        Ok(out)
    }

    /// Number of custom patterns (the offset of the built-in shapes' ids).
    pub(crate) fn len(&self) -> usize {
        self.sources.len()
    }

    pub(crate) fn sources(&self) -> &[String] {
        &self.sources
    }

    pub(crate) fn recognizer(&self, pattern: usize) -> &Compiled {
        &self.compiled[self.owner[pattern]]
    }

    pub(crate) fn has_value(&self, pattern: usize) -> bool {
        self.has_value[pattern]
    }

    /// Reads from the compiled `regex` (custom patterns first) which patterns have a group
    /// named `value`.
    pub(crate) fn find_value_groups(&mut self, regex: &crate::shape_regex::ShapeRegex) {
        let groups = regex.group_info();
        self.has_value = (0..self.len())
            .map(|pid| {
                groups
                    .to_index(regex_automata::PatternID::new_unchecked(pid), "value")
                    .is_some()
            })
            .collect();
    }

    /// The recognizers' deny lists as detector deny terms.
    pub(crate) fn deny_terms(recognizers: &[Recognizer]) -> Vec<DenyTerm> {
        recognizers
            .iter()
            .filter_map(|r| Some((r, r.entity_type().ok()?)))
            .flat_map(|(r, entity_type)| {
                r.deny.iter().map(move |value| DenyTerm {
                    value: value.clone(),
                    entity_type,
                })
            })
            .collect()
    }
}
