use serde::{Deserialize, Serialize};

/// What happens to one detected entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "lowercase", deny_unknown_fields)]
pub enum Action {
    /// Leave the value as it is.
    Keep,
    /// Remove the value entirely.
    Redact,
    /// Put a fixed label in its place; `[TYPE]` unless `with` says otherwise.
    Replace {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        with: Option<String>,
    },
    /// Overwrite characters with `char`, keeping the first/last N characters.
    Mask {
        #[serde(default = "default_mask_char")]
        char: char,
        #[serde(default)]
        keep_first: usize,
        #[serde(default)]
        keep_last: usize,
        /// Separators like spaces and dashes survive so the shape stays readable.
        #[serde(default = "default_true")]
        keep_separators: bool,
    },
    /// Keyed HMAC digest: stable across documents, irreversible.
    Hash,
    /// Reversible vault token, applied by deidentify.
    Tokenize,
}

fn default_mask_char() -> char {
    '*'
}

fn default_true() -> bool {
    true
}

/// The action's name alone, for summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    Keep,
    Redact,
    Replace,
    Mask,
    Hash,
    Tokenize,
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Keep => ActionKind::Keep,
            Action::Redact => ActionKind::Redact,
            Action::Replace { .. } => ActionKind::Replace,
            Action::Mask { .. } => ActionKind::Mask,
            Action::Hash => ActionKind::Hash,
            Action::Tokenize => ActionKind::Tokenize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_parse_from_tagged_json_with_defaults() {
        let a: Action = serde_json::from_str(r#"{"action":"mask","keep_last":4}"#).unwrap();
        assert_eq!(
            a,
            Action::Mask {
                char: '*',
                keep_first: 0,
                keep_last: 4,
                keep_separators: true
            }
        );
        let r: Action = serde_json::from_str(r#"{"action":"replace"}"#).unwrap();
        assert_eq!(r, Action::Replace { with: None });
    }

    #[test]
    fn unknown_actions_and_fields_are_rejected() {
        assert!(serde_json::from_str::<Action>(r#"{"action":"encrypt"}"#).is_err());
        assert!(serde_json::from_str::<Action>(r#"{"action":"mask","keep_lst":4}"#).is_err());
    }
}
