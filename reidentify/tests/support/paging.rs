//! The paging contract every `AuditLog` keeps, run against each store: following
//! `next_cursor` yields every selected record exactly once.

use std::collections::BTreeSet;

use reidentify::{AuditAction, AuditFilter, AuditLog, AuditRecord, CallContext, Principal};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

const RECORDS: usize = 130;

/// `RECORDS` records of three subjects, 937 ms apart (written with as many fractional
/// digits as the formatter chooses), every tenth sharing its predecessor's instant.
pub fn trail() -> Vec<AuditRecord> {
    let start = OffsetDateTime::parse("2026-11-23T10:00:00Z", &Rfc3339).unwrap();
    let mut at = start;
    (0..RECORDS)
        .map(|i| {
            if i % 10 != 9 {
                at = start + Duration::milliseconds(937 * i as i64);
            }
            let ctx = CallContext {
                principal: Principal {
                    sub: format!("auditor-{}", i % 3),
                    client_id: Some("client".into()),
                    username: None,
                },
                reason: format!("case {i}"),
                request_id: format!("req-{i}"),
                source: None,
                access_token: None,
            };
            let tokens = if i % 4 == 0 {
                vec!["EMAIL_A".to_string()]
            } else {
                vec![]
            };
            let mut r = AuditRecord::new(AuditAction::Reidentify, &ctx, tokens);
            r.at = at.format(&Rfc3339).unwrap();
            r
        })
        .collect()
}

fn instant(s: &str) -> OffsetDateTime {
    OffsetDateTime::parse(s, &Rfc3339).unwrap()
}

fn selects(filter: &AuditFilter, r: &AuditRecord) -> bool {
    let at = instant(&r.at);
    filter.sub.as_ref().is_none_or(|s| *s == r.principal.sub)
        && filter.token.as_ref().is_none_or(|t| r.tokens.contains(t))
        && filter.since.as_deref().is_none_or(|s| at >= instant(s))
        && filter.until.as_deref().is_none_or(|u| at < instant(u))
}

/// Appends `trail()` to `log`, then pages through it under several filters and page sizes.
pub async fn every_record_once(log: &dyn AuditLog) {
    let records = trail();
    for r in &records {
        log.append(r).await.unwrap();
    }
    // Bounds that fall on a record's instant, between records, and on a shared instant.
    let since = records[17].at.clone();
    let until = records[99].at.clone();
    let filters = [
        AuditFilter::default(),
        AuditFilter {
            sub: Some("auditor-1".into()),
            ..Default::default()
        },
        AuditFilter {
            since: Some(since.clone()),
            until: Some(until.clone()),
            ..Default::default()
        },
        AuditFilter {
            sub: Some("auditor-2".into()),
            since: Some(since.clone()),
            until: Some(until.clone()),
            ..Default::default()
        },
        AuditFilter {
            token: Some("EMAIL_A".into()),
            since: Some(since),
            ..Default::default()
        },
        AuditFilter {
            until: Some(until),
            ..Default::default()
        },
    ];
    for filter in filters {
        let expected: BTreeSet<String> = records
            .iter()
            .filter(|r| selects(&filter, r))
            .map(|r| r.id.clone())
            .collect();
        assert!(!expected.is_empty(), "{filter:?} selects nothing");
        for limit in [None, Some(1), Some(7), Some(RECORDS)] {
            let mut seen = Vec::new();
            let mut filter = AuditFilter {
                limit,
                ..filter.clone()
            };
            let mut pages = 0;
            loop {
                let page = log.query(&filter).await.unwrap();
                pages += 1;
                assert!(pages <= RECORDS + 1, "{filter:?}: the cursors never end");
                assert!(page.records.len() <= filter.page_size(), "{filter:?}");
                for r in &page.records {
                    assert!(selects(&filter, r), "{filter:?} returned {r:?}");
                }
                seen.extend(page.records.into_iter().map(|r| r.id));
                match page.next_cursor {
                    Some(c) => filter.cursor = Some(c),
                    None => break,
                }
            }
            let unique: BTreeSet<String> = seen.iter().cloned().collect();
            assert_eq!(unique.len(), seen.len(), "{filter:?}: a record came twice");
            assert_eq!(unique, expected, "{filter:?}");
        }
    }
}

/// A cursor that is not one is a bad query, not an empty page or a failure of the trail.
pub async fn forged_cursors_are_refused(log: &dyn AuditLog) {
    for cursor in ["", "not-a-cursor", "eyJ4IjoxfQ", "%%%"] {
        let err = log
            .query(&AuditFilter {
                cursor: Some(cursor.into()),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert!(
            matches!(err, reidentify::AuditError::InvalidQuery(_)),
            "{cursor:?}: {err:?}"
        );
    }
}
