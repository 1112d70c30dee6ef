//! `GET /v1/audit` over an audit trail: the store filters by subject and time and pages;
//! this maps the wire query and answer onto the port.

use crate::{AuditPage, AuditQuery, ServiceError};
use reidentify::{AuditAction, AuditError, AuditLog, AuditRecord};

const DEFAULT_LIMIT: usize = 50;

/// One page of the audit trail, filtered and paged by the store as `GET /v1/audit` asks.
pub async fn audit_page(log: &dyn AuditLog, q: AuditQuery) -> Result<AuditPage, ServiceError> {
    let filter = reidentify::AuditFilter {
        token: None,
        sub: q.subject,
        since: q.since,
        until: q.until,
        limit: Some(q.limit.map_or(DEFAULT_LIMIT, |l| l as usize)),
        cursor: q.cursor,
    };
    let page = log.query(&filter).await.map_err(|e| match e {
        AuditError::InvalidQuery(m) => ServiceError::InvalidInput(m),
        _ => ServiceError::Unavailable("the audit trail is unavailable".into()),
    })?;
    Ok(AuditPage {
        next_cursor: page.next_cursor,
        items: page.records.into_iter().map(wire_record).collect(),
    })
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
