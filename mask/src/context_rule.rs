use std::sync::OnceLock;

use detect::{ContextPhrases, EntityType};
use serde::{Deserialize, Serialize};

use crate::Action;

/// An action for entities of one type whose neighbouring words make them more sensitive
/// than the type says: a date next to "born" or "DOB" is a date of birth, which identifies
/// a person where a contract date does not. Field rules still come first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextRule {
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    /// Written like detect's context words: a trailing `*` matches a stem, words separated
    /// by spaces must appear in sequence; compared without case.
    pub words: Vec<String>,
    /// Words looked at before the entity (a few after it are always looked at).
    #[serde(default = "five")]
    pub window: usize,
    pub action: Action,
    /// `words` compiled on first use: a rule is consulted for every entity of its type.
    #[serde(skip)]
    compiled: Compiled,
}

#[derive(Clone, Default)]
struct Compiled(OnceLock<ContextPhrases>);

/// Derived from `words`: two rules with the same words are equal, compiled or not.
impl PartialEq for Compiled {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Compiled {}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("..")
    }
}

fn five() -> usize {
    5
}

impl ContextRule {
    /// Whether this rule applies to an entity of `entity_type` at `text[start..end]`.
    pub fn applies(&self, entity_type: EntityType, text: &str, start: usize, end: usize) -> bool {
        if entity_type != self.entity_type {
            return false;
        }
        let phrases = self.compiled.0.get_or_init(|| {
            let words: Vec<&str> = self.words.iter().map(String::as_str).collect();
            ContextPhrases::new(&words)
        });
        phrases.around(text, start, end, self.window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn birth() -> ContextRule {
        ContextRule {
            entity_type: EntityType::DateTime,
            words: vec!["born".into(), "birth*".into(), "dob".into()],
            window: 5,
            action: Action::Tokenize,
            compiled: Compiled::default(),
        }
    }

    fn applies(text: &str, date: &str) -> bool {
        let start = text.find(date).unwrap();
        birth().applies(EntityType::DateTime, text, start, start + date.len())
    }

    #[test]
    fn dates_next_to_birth_words() {
        assert!(applies(
            "Date of birth recorded as April 15, 1962.",
            "April 15, 1962"
        ));
        assert!(applies(
            "She was born 19 October 1967 in Cork.",
            "19 October 1967"
        ));
        assert!(applies("DOB: 04/15/62", "04/15/62"));
    }

    #[test]
    fn other_dates_and_other_types() {
        assert!(!applies(
            "The contract was signed on June 27, 1996.",
            "June 27, 1996"
        ));
        assert!(!applies("Born on 1 March 1990, member since 2015.", "2015"));
        let text = "born at jane@example.com";
        assert!(!birth().applies(EntityType::Email, text, 8, text.len()));
    }
}
