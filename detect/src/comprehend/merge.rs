//! Overlapping chunks report entities in the shared stretch twice, sometimes once cut short
//! by a chunk's end. Same-type findings where one span contains the other are one entity:
//! keep the wider span with the higher score.

use std::collections::HashMap;

use crate::{Detection, EntityType};

/// Merges same-type detections whose spans contain one another (exact duplicates
/// included), keeping the widest span and the maximum score. Others are left for
/// `resolve_overlaps`. Returns the detections sorted by start.
pub fn merge_duplicates(mut detections: Vec<Detection>) -> Vec<Detection> {
    // Widest first at each start, so a container is seen before what it contains.
    detections.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<Detection> = Vec::with_capacity(detections.len());
    // Per type, the kept detection reaching furthest right: every kept one starts at or
    // before the current one, so if that one does not contain it, none does. Linear time.
    let mut reach: HashMap<EntityType, usize> = HashMap::new();
    for d in detections {
        match reach.get(&d.entity_type).map(|&i| &mut out[i]) {
            Some(k) if k.end >= d.end => k.score = k.score.max(d.score),
            _ => {
                reach.insert(d.entity_type, out.len());
                out.push(d);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    fn det(t: EntityType, start: usize, end: usize, score: f32) -> Detection {
        Detection {
            entity_type: t,
            start,
            end,
            score,
            source: Source::Comprehend,
        }
    }

    #[test]
    fn duplicates_and_cut_short_copies_merge_by_max_score() {
        let out = merge_duplicates(vec![
            det(EntityType::Email, 10, 20, 0.8),
            det(EntityType::Email, 10, 20, 0.95),
            det(EntityType::Address, 30, 40, 0.9),
            det(EntityType::Address, 30, 50, 0.7),
        ]);
        assert_eq!(
            out,
            vec![
                det(EntityType::Email, 10, 20, 0.95),
                det(EntityType::Address, 30, 50, 0.9),
            ]
        );
    }

    #[test]
    fn different_types_and_partial_overlaps_are_kept() {
        let input = vec![
            det(EntityType::Name, 0, 10, 0.9),
            det(EntityType::Address, 0, 10, 0.9),
            det(EntityType::Name, 5, 15, 0.9),
        ];
        assert_eq!(merge_duplicates(input).len(), 3);
    }
}
