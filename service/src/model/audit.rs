//! Bodies of `GET /v1/audit`.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Filters for the audit trail, newest first. The store applies every filter and pages;
/// following `next_cursor` yields each selected record exactly once.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only records at or after this RFC 3339 instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Only records before this RFC 3339 instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Only records of this subject (user or client).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Page size: 50 when unset, 1 to 1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page, unchanged (opaque; a page may be empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// The largest page `GET /v1/audit` answers.
pub const MAX_AUDIT_PAGE: u32 = 1000;

impl AuditQuery {
    /// Rejects malformed instants here so every backend gets parsed-valid strings.
    pub fn validate(&self) -> Result<(), crate::ServiceError> {
        use time::OffsetDateTime;
        use time::format_description::well_known::Rfc3339;
        for (name, value) in [("since", &self.since), ("until", &self.until)] {
            if let Some(v) = value
                && OffsetDateTime::parse(v, &Rfc3339).is_err()
            {
                return Err(crate::ServiceError::InvalidInput(format!(
                    "`{name}` must be an RFC 3339 date-time"
                )));
            }
        }
        if self.limit.is_some_and(|l| l == 0 || l > MAX_AUDIT_PAGE) {
            return Err(crate::ServiceError::InvalidInput(format!(
                "`limit` must be between 1 and {MAX_AUDIT_PAGE}"
            )));
        }
        Ok(())
    }
}

/// One audit record: who reversed or erased which tokens, when, why, in which request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
// The wire view of a `reidentify::AuditRecord`; the schema keeps its published name.
#[schema(as = AuditRecord)]
pub struct AuditEntry {
    pub id: String,
    /// RFC 3339 instant.
    pub at: String,
    /// `reidentify` or `erase`.
    pub action: String,
    pub subject: String,
    pub client_id: String,
    pub tokens: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub request_id: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditEntry>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_must_parse() {
        let ok = AuditQuery {
            since: Some("2026-01-02T03:04:05Z".into()),
            ..Default::default()
        };
        assert!(ok.validate().is_ok());
        let bad = AuditQuery {
            until: Some("yesterday".into()),
            ..Default::default()
        };
        assert!(bad.validate().is_err());
        let zero = AuditQuery {
            limit: Some(0),
            ..Default::default()
        };
        assert!(zero.validate().is_err());
        let over = AuditQuery {
            limit: Some(MAX_AUDIT_PAGE + 1),
            ..Default::default()
        };
        assert!(over.validate().is_err());
        let most = AuditQuery {
            limit: Some(MAX_AUDIT_PAGE),
            ..Default::default()
        };
        assert!(most.validate().is_ok());
    }
}
