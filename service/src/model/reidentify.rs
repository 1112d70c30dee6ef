//! Bodies of `POST /v1/reidentify` and `DELETE /v1/tokens/{token}`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::ServiceError;

/// Reverse tokens: a list of tokens, a text containing tokens, or a record containing tokens
/// (exactly one), always with the `reason` that goes into the audit trail.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReidentifyRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub record: Option<Value>,
    /// Why the originals are needed (ticket, case number...). Required, audited.
    pub reason: String,
}

impl ReidentifyRequest {
    pub fn validate(&self, max_reason_chars: usize) -> Result<(), ServiceError> {
        let given = [
            self.tokens.is_some(),
            self.text.is_some(),
            self.record.is_some(),
        ]
        .iter()
        .filter(|g| **g)
        .count();
        if given != 1 {
            return Err(ServiceError::InvalidInput(
                "give exactly one of `tokens`, `text` or `record`".into(),
            ));
        }
        if matches!(&self.tokens, Some(t) if t.is_empty()) {
            return Err(ServiceError::InvalidInput(
                "`tokens` must not be empty".into(),
            ));
        }
        if self.reason.trim().is_empty() {
            return Err(ServiceError::InvalidInput("`reason` is required".into()));
        }
        if self.reason.chars().count() > max_reason_chars {
            return Err(ServiceError::InvalidInput(format!(
                "`reason` is longer than {max_reason_chars} characters"
            )));
        }
        Ok(())
    }
}

/// One token and its original value; `value` is absent when the token is unknown or erased.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TokenValue {
    pub token: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// The originals, shaped like the request: `tokens` for a token list, `text` or `record`
/// with tokens replaced. `audit_id` names the audit record written before the answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ReidentifyResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<Vec<TokenValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub record: Option<Value>,
    pub audit_id: String,
}

/// Answer of `DELETE /v1/tokens/{token}`: `erased` is false when there was nothing to erase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EraseResponse {
    pub token: String,
    pub erased: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens_req(reason: &str) -> ReidentifyRequest {
        ReidentifyRequest {
            tokens: Some(vec!["EMAIL_ABC".into()]),
            reason: reason.into(),
            ..Default::default()
        }
    }

    #[test]
    fn reason_is_required_and_bounded() {
        assert!(tokens_req("case 42").validate(10).is_ok());
        assert!(tokens_req("   ").validate(10).is_err());
        assert!(tokens_req("").validate(10).is_err());
        assert!(tokens_req("12345678901").validate(10).is_err());
        // characters, not bytes
        assert!(tokens_req("éééééééééé").validate(10).is_ok());
    }

    #[test]
    fn exactly_one_input() {
        let mut r = tokens_req("ok");
        r.text = Some("EMAIL_ABC".into());
        assert!(r.validate(100).is_err());
        let none = ReidentifyRequest {
            reason: "ok".into(),
            ..Default::default()
        };
        assert!(none.validate(100).is_err());
        let empty = ReidentifyRequest {
            tokens: Some(vec![]),
            reason: "ok".into(),
            ..Default::default()
        };
        assert!(empty.validate(100).is_err());
    }

    #[test]
    fn missing_reason_does_not_deserialize() {
        let r: Result<ReidentifyRequest, _> =
            serde_json::from_value(serde_json::json!({"tokens": ["A_B"]}));
        assert!(r.is_err());
    }
}
