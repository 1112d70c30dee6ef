//! A date written in parts ("Tuesday at 3pm", "Thursday 14 March at 11:00", "12/04/2024
//! 08:01:17") is one DATE_TIME, as Comprehend reports it: the patterns find the parts, and
//! adjacent parts joined by a space, a comma or "at" become one detection.

use crate::{Detection, EntityType};

/// What may stand between two parts of one date.
const JOINERS: &[&str] = &[
    " ", ", ", " at ", ", at ", " @ ", " à ", " às ", " um ", " om ",
];

/// Joins adjacent DATE_TIME detections in `found` (sorted by start, non-overlapping).
pub(crate) fn join_date_parts(text: &str, found: &mut Vec<Detection>) {
    if found.len() < 2 {
        return;
    }
    // Joined in place: the parts kept are written over the list as it is read.
    let mut written = 0;
    for read in 0..found.len() {
        if written > 0 {
            let (kept, rest) = found.split_at_mut(read);
            let (last, d) = (&mut kept[written - 1], &rest[0]);
            if last.entity_type == EntityType::DateTime
                && d.entity_type == EntityType::DateTime
                && last.end <= d.start
                && JOINERS.contains(&&text[last.end..d.start])
            {
                last.end = d.end;
                last.score = last.score.max(d.score);
                continue;
            }
        }
        found.swap(written, read);
        written += 1;
    }
    found.truncate(written);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    fn date(start: usize, end: usize) -> Detection {
        Detection {
            entity_type: EntityType::DateTime,
            start,
            end,
            score: 0.6,
            source: Source::Pattern,
        }
    }

    fn joined(text: &str, parts: &[&str]) -> Vec<String> {
        let mut found: Vec<Detection> = parts
            .iter()
            .map(|p| {
                let s = text.find(p).unwrap();
                date(s, s + p.len())
            })
            .collect();
        join_date_parts(text, &mut found);
        found
            .iter()
            .map(|d| text[d.start..d.end].to_string())
            .collect()
    }

    #[test]
    fn parts_joined_by_spaces_commas_and_at_are_one_date() {
        let t = "on Thursday 14 March at 11:00 sharp";
        assert_eq!(
            joined(t, &["Thursday", "14 March", "11:00"]),
            ["Thursday 14 March at 11:00"]
        );
        let t = "moved to Friday, 10:30.";
        assert_eq!(joined(t, &["Friday", "10:30"]), ["Friday, 10:30"]);
    }

    #[test]
    fn ranges_and_other_types_stay_apart() {
        let t = "open from 8am to 6pm";
        assert_eq!(joined(t, &["8am", "6pm"]), ["8am", "6pm"]);
        let text = "Friday 4111111111111111";
        let mut found = vec![
            date(0, 6),
            Detection {
                entity_type: EntityType::CreditDebitNumber,
                ..date(7, 23)
            },
        ];
        join_date_parts(text, &mut found);
        assert_eq!(found.len(), 2);
    }
}
