//! `GET /v1/audit` over an audit trail: filtered by subject and time, paged.

use crate::{AuditPage, AuditQuery, ServiceError};
use reidentify::{AuditAction, AuditLog, AuditRecord};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 1000;

/// One page of the audit trail, filtered and paged as `GET /v1/audit` asks.
pub async fn audit_page(log: &dyn AuditLog, q: AuditQuery) -> Result<AuditPage, ServiceError> {
    let limit = q.limit.map_or(DEFAULT_LIMIT, |l| l as usize).min(MAX_LIMIT);
    let offset: usize = match &q.cursor {
        Some(c) => c
            .parse()
            .map_err(|_| ServiceError::InvalidInput("invalid `cursor`".into()))?,
        None => 0,
    };
    let since = q.since.as_deref().map(instant).transpose()?;
    let until = q.until.as_deref().map(instant).transpose()?;
    // Time bounds are applied here on parsed instants: the stored strings have varying
    // fractional digits, so comparing them as text would misorder records within a second.
    let query = reidentify::AuditFilter {
        token: None,
        sub: q.subject,
        since: None,
        limit: None,
    };
    let records = log
        .query(&query)
        .await
        .map_err(|_| ServiceError::Unavailable("the audit trail is unavailable".into()))?;
    let mut matching = Vec::new();
    for r in records {
        let at = instant(&r.at)
            .map_err(|_| ServiceError::Internal("audit record with a bad time".into()))?;
        if since.is_none_or(|s| at >= s) && until.is_none_or(|u| at < u) {
            matching.push(r);
        }
    }
    let next = offset + limit;
    Ok(AuditPage {
        next_cursor: (next < matching.len()).then(|| next.to_string()),
        items: matching
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(wire_record)
            .collect(),
    })
}

fn instant(s: &str) -> Result<OffsetDateTime, ServiceError> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map_err(|_| ServiceError::InvalidInput("times must be RFC 3339".into()))
}

fn wire_record(r: AuditRecord) -> crate::AuditEntry {
    crate::AuditEntry {
        id: r.id,
        at: r.at,
        action: match r.action {
            AuditAction::Reidentify => "reidentify",
            AuditAction::Erase => "erase",
        }
        .to_string(),
        subject: r.principal.sub,
        client_id: r.principal.client_id.unwrap_or_default(),
        tokens: r.tokens,
        reason: Some(r.reason),
        request_id: r.request_id,
    }
}
