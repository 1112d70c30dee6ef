//! Custom recognizers that a policy declares (`[[recognizers]]`): a regex per shape of the
//! value, an optional checksum, context words, a score and allow/deny lists, for a
//! Comprehend type or a type of the policy's own (`EMPLOYEE_ID`).
//!
//! They are compiled into the pattern detector's single multi-pattern regex, ahead of the
//! built-in shapes, so a policy with custom recognizers still reads the text once.

mod compiled;
mod spec;
mod validator;

pub(crate) use compiled::CustomRecognizers;
pub use spec::{Recognizer, RecognizerError};
pub use validator::Validator;
