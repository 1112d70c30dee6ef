use serde::{Deserialize, Serialize};

/// Who asked. Filled from the verified access token, the API key or the local user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// The circumstances of one re-identification or erasure call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallContext {
    pub principal: Principal,
    pub reason: String,
    pub request_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The caller's access token as presented, for a component that must verify the
    /// caller itself (the reidentify function). Never serialized, never printed.
    #[serde(skip)]
    pub access_token: Option<AccessToken>,
}

/// An OAuth access token as the caller presented it. `Debug` hides it, so it cannot reach
/// a log through a derived `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(..)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditAction {
    Reidentify,
    Erase,
}

/// One entry of the append-only audit trail. Holds token ids, never originals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: String,
    /// RFC 3339, UTC.
    pub at: String,
    pub action: AuditAction,
    pub principal: Principal,
    pub tokens: Vec<String>,
    pub reason: String,
    pub request_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl AuditRecord {
    pub fn new(action: AuditAction, ctx: &CallContext, tokens: Vec<String>) -> Self {
        let at = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .expect("UTC timestamps always format");
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            at,
            action,
            principal: ctx.principal.clone(),
            tokens,
            reason: ctx.reason.clone(),
            request_id: ctx.request_id.clone(),
            source: ctx.source.clone(),
        }
    }
}

/// Filters for reading the trail back, one page at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub sub: Option<String>,
    /// RFC 3339 lower bound, inclusive.
    #[serde(default)]
    pub since: Option<String>,
    /// RFC 3339 upper bound, exclusive.
    #[serde(default)]
    pub until: Option<String>,
    /// Page size: [`DEFAULT_PAGE`] when unset, at most [`MAX_PAGE`].
    #[serde(default)]
    pub limit: Option<usize>,
    /// The `next_cursor` of the previous page, as the same store returned it.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Records per page when the filter sets no limit.
pub const DEFAULT_PAGE: usize = 100;
/// The most records one page holds.
pub const MAX_PAGE: usize = 1000;

impl AuditFilter {
    pub fn page_size(&self) -> usize {
        self.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
    }
}

/// One page of the trail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditRecords {
    /// Newest first.
    pub records: Vec<AuditRecord>,
    /// Where the next page starts; `None` on the last page. Opaque to callers.
    pub next_cursor: Option<String>,
}
