//! Page cursors: a store's position as opaque text. Callers hand back what they got; a
//! cursor that does not decode to the store's shape is refused as a bad query.

use data_encoding::BASE64URL_NOPAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::AuditError;

pub(crate) fn encode(position: &impl Serialize) -> String {
    let json = serde_json::to_vec(position).expect("cursor positions always serialize");
    BASE64URL_NOPAD.encode(&json)
}

pub(crate) fn decode<T: DeserializeOwned>(cursor: &str) -> Result<T, AuditError> {
    BASE64URL_NOPAD
        .decode(cursor.as_bytes())
        .ok()
        .and_then(|json| serde_json::from_slice(&json).ok())
        .ok_or_else(|| AuditError::InvalidQuery("invalid `cursor`".into()))
}
