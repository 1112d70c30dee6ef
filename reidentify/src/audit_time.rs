//! Audit times as instants. Stored times are RFC 3339 with as many fractional digits as the
//! writer chose, so they are compared parsed, or as [`sortable_time`] text, never as given.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

use crate::{AuditError, AuditFilter};

/// `at` in UTC with nine fractional digits: text order is time order.
pub fn sortable_time(at: OffsetDateTime) -> String {
    at.to_offset(UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:9]Z"
        ))
        .expect("a UTC instant with a four-digit year always formats")
}

/// The time window of a filter: `since` inclusive, `until` exclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditTime {
    pub since: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
}

impl AuditTime {
    pub fn of(filter: &AuditFilter) -> Result<Self, AuditError> {
        Ok(Self {
            since: filter.since.as_deref().map(parse).transpose()?,
            until: filter.until.as_deref().map(parse).transpose()?,
        })
    }

    /// Whether the stored time `at` lies in the window; a time that does not parse lies in
    /// none but the unbounded one.
    pub fn contains(&self, at: &str) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        OffsetDateTime::parse(at, &Rfc3339)
            .is_ok_and(|at| self.since.is_none_or(|s| at >= s) && self.until.is_none_or(|u| at < u))
    }

    /// Whether no instant can lie in the window.
    pub fn is_empty(&self) -> bool {
        matches!((self.since, self.until), (Some(s), Some(u)) if u <= s)
    }
}

fn parse(s: &str) -> Result<OffsetDateTime, AuditError> {
    OffsetDateTime::parse(s, &Rfc3339)
        .ok()
        // Four-digit years only, so every sortable form has the same width.
        .filter(|t| (0..=9999).contains(&t.to_offset(UtcOffset::UTC).year()))
        .ok_or_else(|| AuditError::InvalidQuery("times must be RFC 3339".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> OffsetDateTime {
        OffsetDateTime::parse(s, &Rfc3339).unwrap()
    }

    #[test]
    fn sortable_times_order_as_the_instants_do() {
        let times = [
            "2026-11-23T09:59:59.999999999Z",
            "2026-11-23T10:00:00Z",
            "2026-11-23T10:00:00.000000001Z",
            "2026-11-23T12:00:00.5+02:00",
            "2026-11-23T10:00:00.6Z",
        ];
        let mut by_text: Vec<_> = times.iter().map(|t| (sortable_time(at(t)), *t)).collect();
        by_text.sort();
        let mut by_time: Vec<_> = times.iter().map(|t| (at(t), *t)).collect();
        by_time.sort();
        assert_eq!(
            by_text.iter().map(|(_, t)| *t).collect::<Vec<_>>(),
            by_time.iter().map(|(_, t)| *t).collect::<Vec<_>>()
        );
        assert_eq!(
            sortable_time(at("2026-11-23T12:00:00.5+02:00")),
            "2026-11-23T10:00:00.500000000Z"
        );
    }

    #[test]
    fn windows_include_since_and_exclude_until() {
        let w = AuditTime::of(&AuditFilter {
            since: Some("2026-11-23T10:00:00Z".into()),
            until: Some("2026-11-23T11:00:00Z".into()),
            ..Default::default()
        })
        .unwrap();
        assert!(w.contains("2026-11-23T10:00:00.000Z"));
        assert!(w.contains("2026-11-23T10:59:59.999999999Z"));
        assert!(!w.contains("2026-11-23T11:00:00Z"));
        assert!(!w.contains("2026-11-23T09:59:59Z"));
        assert!(!w.contains("not a time"));
        assert!(!w.is_empty());
        let bad = AuditFilter {
            until: Some("yesterday".into()),
            ..Default::default()
        };
        assert!(matches!(
            AuditTime::of(&bad),
            Err(AuditError::InvalidQuery(_))
        ));
    }
}
