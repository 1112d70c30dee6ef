//! Why a keyring request failed. Messages name the call and the parameter, never a key.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyringResourceErrorKind {
    /// The event lacks a property or has the wrong shape.
    InvalidEvent,
    /// KMS would not generate the keys.
    Kms,
    /// SSM would not read or write the parameter.
    Ssm,
    /// The parameter holds something that is not a keyring.
    NotAKeyring,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct KeyringResourceError {
    pub kind: KeyringResourceErrorKind,
    pub message: String,
}

impl KeyringResourceError {
    pub fn new(kind: KeyringResourceErrorKind, message: impl Into<String>) -> Self {
        KeyringResourceError {
            kind,
            message: message.into(),
        }
    }
}
