//! Bodies of `POST /v1/anonymize`, and of each item of `POST /v1/anonymize/batch`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::ServiceError;

/// One text or one JSON record to anonymize: exactly one of `text` and `record`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnonymizeRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub record: Option<Value>,
    /// Name of the policy to apply; the server's default policy when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

impl AnonymizeRequest {
    /// Checks the shape the backend may rely on: exactly one of `text` / `record`.
    pub fn validate(&self) -> Result<(), ServiceError> {
        match (&self.text, &self.record) {
            (Some(_), None) | (None, Some(_)) => Ok(()),
            (None, None) => Err(ServiceError::InvalidInput(
                "one of `text` or `record` is required".into(),
            )),
            (Some(_), Some(_)) => Err(ServiceError::InvalidInput(
                "give either `text` or `record`, not both".into(),
            )),
        }
    }
}

/// A detected entity as it travels on the wire (ARCHITECTURE.md, data contracts).
/// Offsets are Unicode character offsets, `end` exclusive; `path` is a JSON Pointer into the
/// record for record input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WireEntity {
    #[serde(rename = "type")]
    pub entity_type: String,
    pub begin: usize,
    pub end: usize,
    pub score: f64,
    /// `pattern`, `comprehend` or `field`.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// The anonymized text or record, the entities found (never their values) and a summary.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct AnonymizeResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub record: Option<Value>,
    pub entities: Vec<WireEntity>,
    /// Types and counts, detector used, degraded yes/no. Shape owned by the engine.
    #[schema(value_type = Object)]
    pub summary: Value,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn exactly_one_of_text_and_record() {
        let text = AnonymizeRequest {
            text: Some("hi".into()),
            ..Default::default()
        };
        assert!(text.validate().is_ok());
        let record = AnonymizeRequest {
            record: Some(json!({"email": "a@b.c"})),
            ..Default::default()
        };
        assert!(record.validate().is_ok());
        assert!(AnonymizeRequest::default().validate().is_err());
        let both = AnonymizeRequest {
            text: Some("x".into()),
            record: Some(json!({})),
            policy: None,
        };
        assert!(both.validate().is_err());
    }

    #[test]
    fn entity_type_is_named_type_on_the_wire() {
        let e = WireEntity {
            entity_type: "EMAIL".into(),
            begin: 1,
            end: 5,
            score: 0.9,
            source: "pattern".into(),
            path: None,
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["type"], "EMAIL");
        assert!(v.get("path").is_none());
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let r: Result<AnonymizeRequest, _> = serde_json::from_value(json!({"txt": "typo"}));
        assert!(r.is_err());
    }
}
