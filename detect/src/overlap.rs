//! One winner per stretch of text when detections overlap (ARCHITECTURE.md: higher score wins,
//! then the longer span, then a fixed type priority).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::{Detection, EntityType};

/// Tie-break rank, lower wins: checksum-backed and specific types before vague ones.
pub fn type_priority(t: EntityType) -> u8 {
    use EntityType::*;
    match t {
        CreditDebitNumber => 0,
        InternationalBankAccountNumber => 1,
        Ssn => 2,
        UsIndividualTaxIdentificationNumber => 3,
        UkNationalHealthServiceNumber => 4,
        InAadhaar => 5,
        CaSocialInsuranceNumber => 6,
        BankRouting => 7,
        VehicleIdentificationNumber => 8,
        Email => 9,
        AwsAccessKey => 10,
        AwsSecretKey => 11,
        Url => 12,
        IpAddress => 13,
        MacAddress => 14,
        UkNationalInsuranceNumber => 15,
        InPermanentAccountNumber => 16,
        Phone => 17,
        SwiftCode => 18,
        PassportNumber => 19,
        DriverId => 20,
        BankAccountNumber => 21,
        CreditDebitExpiry => 22,
        CreditDebitCvv => 23,
        DateTime => 24,
        Password => 25,
        Pin => 26,
        Username => 27,
        Age => 28,
        Address => 29,
        Name => 30,
        _ => 40,
    }
}

/// Orders two detections by preference (`Less` = preferred).
pub fn preference(a: &Detection, b: &Detection) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| b.len().cmp(&a.len()))
        .then_with(|| type_priority(a.entity_type).cmp(&type_priority(b.entity_type)))
        .then_with(|| a.start.cmp(&b.start))
}

/// Keeps the preferred detection of every overlapping group and returns the survivors
/// sorted by start. Empty detections are dropped. Identical duplicates collapse to one.
///
/// Detections that overlap nothing (most of them) are kept as they are; only each run of
/// mutually overlapping ones is ranked, as whether one is kept depends on nothing outside
/// its run.
pub fn resolve_overlaps(mut detections: Vec<Detection>) -> Vec<Detection> {
    detections.retain(|d| d.end > d.start);
    // Detectors emit in text order, so this is mostly a pass over sorted runs.
    detections.sort_by_key(|d| d.start);
    // The survivors are written over the list as it is read: a run keeps at most its own
    // number, so nothing is overwritten before it is read, and a long text's list is not
    // copied into a second one.
    let mut written = 0;
    let mut group: Vec<Detection> = Vec::new();
    let mut kept: Vec<Detection> = Vec::new();
    let mut read = 0;
    while read < detections.len() {
        let mut group_end = detections[read].end;
        let run = 1 + detections[read + 1..]
            .iter()
            .take_while(|d| {
                let overlaps = d.start < group_end;
                group_end = group_end.max(d.end);
                overlaps
            })
            .count();
        if run == 1 {
            detections.swap(written, read);
            written += 1;
        } else {
            group.extend_from_slice(&detections[read..read + run]);
            keep_preferred(&mut group, &mut kept);
            for d in kept.drain(..) {
                detections[written] = d;
                written += 1;
            }
        }
        read += run;
    }
    detections.truncate(written);
    detections
}

/// Moves the preferred, mutually disjoint members of one overlapping run into `kept`, in
/// start order.
fn keep_preferred(group: &mut Vec<Detection>, kept: &mut Vec<Detection>) {
    if group.len() <= 1 {
        kept.append(group);
        return;
    }
    group.sort_by(preference);
    let first = kept.len();
    if group.len() <= SMALL_GROUP {
        for d in group.drain(..) {
            let collides = kept[first..]
                .iter()
                .any(|k| k.start < d.end && d.start < k.end);
            if !collides {
                kept.push(d);
            }
        }
    } else {
        // Accepted spans keyed by start; they never overlap, so the neighbour just before
        // a candidate's end is the only one that can collide with it.
        let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
        for d in group.drain(..) {
            let collides = taken
                .range(..d.end)
                .next_back()
                .is_some_and(|(_, &end)| end > d.start);
            if !collides {
                taken.insert(d.start, d.end);
                kept.push(d);
            }
        }
    }
    kept[first..].sort_by_key(|d| d.start);
}

/// Up to this many, a run is checked pair by pair; a larger one (a long span over many
/// short ones) through an ordered map, so that no input costs quadratic time.
const SMALL_GROUP: usize = 16;

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::Source;

    /// The definition: every detection in order of preference, kept unless it overlaps one
    /// kept before it.
    fn greedy_over_all(mut detections: Vec<Detection>) -> Vec<Detection> {
        detections.retain(|d| d.end > d.start);
        detections.sort_by(preference);
        let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
        let mut kept = Vec::new();
        for d in detections {
            let collides = taken
                .range(..d.end)
                .next_back()
                .is_some_and(|(_, &end)| end > d.start);
            if !collides {
                taken.insert(d.start, d.end);
                kept.push(d);
            }
        }
        kept.sort_by_key(|d| d.start);
        kept
    }

    proptest! {
        #[test]
        fn same_survivors_as_greedy_over_all(
            spans in prop::collection::vec((0usize..60, 0usize..12, 0u8..4, 0usize..4, any::<bool>()), 0..80)
        ) {
            let types = [EntityType::Name, EntityType::Phone, EntityType::Address, EntityType::Ssn];
            let detections: Vec<Detection> = spans
                .into_iter()
                .map(|(start, len, score, t, comprehend)| Detection {
                    entity_type: types[t],
                    start,
                    end: start + len,
                    score: f32::from(score) / 4.0,
                    source: if comprehend { Source::Comprehend } else { Source::Pattern },
                })
                .collect();
            prop_assert_eq!(resolve_overlaps(detections.clone()), greedy_over_all(detections));
        }
    }

    fn det(t: EntityType, start: usize, end: usize, score: f32) -> Detection {
        Detection {
            entity_type: t,
            start,
            end,
            score,
            source: Source::Pattern,
        }
    }

    #[test]
    fn higher_score_wins() {
        let out = resolve_overlaps(vec![
            det(EntityType::Phone, 0, 10, 0.6),
            det(EntityType::UkNationalHealthServiceNumber, 2, 12, 0.9),
        ]);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].entity_type,
            EntityType::UkNationalHealthServiceNumber
        );
    }

    #[test]
    fn then_longer_span_then_priority() {
        let out = resolve_overlaps(vec![
            det(EntityType::Name, 0, 5, 0.8),
            det(EntityType::Address, 0, 9, 0.8),
        ]);
        assert_eq!(out[0].entity_type, EntityType::Address);
        let out = resolve_overlaps(vec![
            det(EntityType::Phone, 0, 9, 0.8),
            det(EntityType::Ssn, 0, 9, 0.8),
        ]);
        assert_eq!(out[0].entity_type, EntityType::Ssn);
    }

    #[test]
    fn disjoint_and_touching_spans_all_survive_sorted() {
        let out = resolve_overlaps(vec![
            det(EntityType::Email, 20, 30, 0.5),
            det(EntityType::Phone, 0, 10, 0.9),
            det(EntityType::Name, 10, 20, 0.7),
        ]);
        let starts: Vec<usize> = out.iter().map(|d| d.start).collect();
        assert_eq!(starts, vec![0, 10, 20]);
    }

    #[test]
    fn a_chain_of_overlaps_keeps_non_overlapping_winners() {
        let out = resolve_overlaps(vec![
            det(EntityType::Phone, 0, 10, 0.6),
            det(EntityType::Ssn, 8, 18, 0.9),
            det(EntityType::Name, 16, 26, 0.6),
            det(EntityType::Email, 5, 6, 0.1),
        ]);
        let kept: Vec<(usize, usize)> = out.iter().map(|d| (d.start, d.end)).collect();
        assert_eq!(kept, vec![(5, 6), (8, 18)]);
    }
}
