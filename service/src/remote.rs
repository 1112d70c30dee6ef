//! The reidentify function's event: what the API function sends it, since only that
//! function may read the vault and the audit trail. Both sides use this type, so the
//! contract is written once.
//!
//! Who is calling is never taken from the event: it carries the caller's access token,
//! which the reidentify function verifies itself, and the principal it records is the one
//! the verified token names.

use reidentify::{AccessToken, CallContext, Principal};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{AuditQuery, ReidentifyRequest, ServiceError};

/// What the event asks for; re-identification when absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    #[default]
    Reidentify,
    /// Remove one token's vault item (`token`), audited like a re-identification.
    Erase,
    /// One page of the audit trail (`query`, as `GET /v1/audit` takes it).
    Audit,
}

/// `{"tokens": [...]} | {"text": "..."} | {"record": {...}}` plus the caller's
/// `access_token` and why; `{"action": "erase", "token": ...}` likewise;
/// `{"action": "audit", "query": {...}}` with the `access_token`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReidentifyEvent {
    #[serde(default)]
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<AuditQuery>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Value>,
    #[serde(default)]
    pub reason: String,
    /// The caller's OAuth access token, as presented to the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// Accepted and ignored: the verified token names the caller.
    #[serde(default, skip_serializing)]
    pub principal: Option<IgnoredAny>,
    #[serde(default)]
    pub request_id: String,
    /// Where the call came from (`api 203.0.113.9`); recorded in the audit trail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// An event taken apart: the call the local server would make.
#[derive(Debug)]
pub enum RemoteCall {
    Reidentify(ReidentifyRequest, CallContext),
    Erase(String, CallContext),
    Audit(AuditQuery),
}

impl ReidentifyEvent {
    pub fn reidentify(req: ReidentifyRequest, ctx: &CallContext) -> Self {
        Self {
            tokens: req.tokens,
            text: req.text,
            record: req.record,
            ..Self::with_context(Action::Reidentify, ctx)
        }
    }

    pub fn erase(token: &str, ctx: &CallContext) -> Self {
        Self {
            token: Some(token.to_string()),
            ..Self::with_context(Action::Erase, ctx)
        }
    }

    /// The listing is not itself a re-identification: no audit record is written, but the
    /// caller's token is checked all the same.
    pub fn audit(query: AuditQuery, token: Option<&AccessToken>) -> Self {
        Self {
            action: Action::Audit,
            query: Some(query),
            access_token: token.map(|t| t.as_str().to_string()),
            ..Self::default()
        }
    }

    fn with_context(action: Action, ctx: &CallContext) -> Self {
        Self {
            action,
            reason: ctx.reason.clone(),
            access_token: ctx.access_token.as_ref().map(|t| t.as_str().to_string()),
            request_id: ctx.request_id.clone(),
            source: ctx.source.clone(),
            ..Self::default()
        }
    }

    /// An event from JSON; serde's message may quote a value (an original pasted by
    /// mistake), so the error names the shape instead.
    pub fn from_json(event: Value) -> Result<Self, ServiceError> {
        serde_json::from_value(event).map_err(|_| {
            ServiceError::InvalidInput(
                "the event must be {\"tokens\": [...]} or {\"text\": \"...\"} or {\"record\": {...}}, \
                 with \"reason\", \"access_token\" and \"request_id\""
                    .into(),
            )
        })
    }

    /// Checks which fields go with the action, and why, and splits the event into the call
    /// `principal` (the caller the verified access token names) makes.
    pub fn into_call(self, principal: Principal) -> Result<RemoteCall, ServiceError> {
        let given = [
            self.tokens.is_some(),
            self.text.is_some(),
            self.record.is_some(),
            self.token.is_some(),
            self.query.is_some(),
        ];
        let expected = match self.action {
            Action::Reidentify => {
                given[..3].iter().filter(|g| **g).count() == 1 && !given[3] && !given[4]
            }
            Action::Erase => given[3] && given.iter().filter(|g| **g).count() == 1,
            Action::Audit => given[..4].iter().all(|g| !g),
        };
        if !expected {
            return Err(ServiceError::InvalidInput(
                match self.action {
                    Action::Reidentify => "give exactly one of `tokens`, `text` and `record`",
                    Action::Erase => "an erase event names one `token` and nothing else to reveal",
                    Action::Audit => "an audit event takes only a `query`",
                }
                .into(),
            ));
        }
        if self.action == Action::Audit {
            return Ok(RemoteCall::Audit(self.query.unwrap_or_default()));
        }
        if self.reason.trim().is_empty() {
            return Err(ServiceError::InvalidInput("`reason` is required".into()));
        }
        if principal.sub.trim().is_empty() {
            return Err(ServiceError::InvalidInput(
                "`principal.sub` must name the caller".into(),
            ));
        }
        if self.request_id.trim().is_empty() {
            return Err(ServiceError::InvalidInput(
                "`request_id` is required".into(),
            ));
        }
        let ctx = CallContext {
            principal,
            reason: self.reason,
            request_id: self.request_id,
            source: self.source.or_else(|| Some("lambda".into())),
            access_token: None,
        };
        Ok(match self.action {
            Action::Erase => RemoteCall::Erase(self.token.unwrap_or_default(), ctx),
            _ => RemoteCall::Reidentify(
                ReidentifyRequest {
                    tokens: self.tokens,
                    text: self.text,
                    record: self.record,
                    reason: ctx.reason.clone(),
                },
                ctx,
            ),
        })
    }
}
