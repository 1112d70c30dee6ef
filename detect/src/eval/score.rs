use std::collections::BTreeMap;

use serde::Serialize;

use super::GoldSpan;

/// True positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }

    fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// An empty denominator scores 0, not 1: a type never predicted has no precision to
/// claim, and one never labeled has nothing recalled.
fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// Scores of one entity type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TypeScore {
    pub gold: usize,
    pub predicted: usize,
    pub exact: Counts,
    pub overlap: Overlap,
}

/// Overlap matches: precision counts predictions that share a character with a gold span
/// of their type, recall counts gold spans that share one with a prediction of their type
/// (several predictions may cover one gold span, so the two hit counts differ).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Overlap {
    pub predicted: usize,
    pub predicted_hits: usize,
    pub gold: usize,
    pub gold_hits: usize,
}

impl Overlap {
    pub fn precision(&self) -> f64 {
        ratio(self.predicted_hits, self.predicted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.gold_hits, self.gold)
    }

    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }

    fn add(&mut self, o: Overlap) {
        self.predicted += o.predicted;
        self.predicted_hits += o.predicted_hits;
        self.gold += o.gold;
        self.gold_hits += o.gold_hits;
    }
}

/// Accumulated scores over examples.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scoreboard {
    pub examples: usize,
    pub types: BTreeMap<String, TypeScore>,
    pub gold_spans: usize,
    /// Gold spans that some prediction overlaps, whatever its type.
    pub covered_spans: usize,
}

impl Scoreboard {
    /// Adds one example: `predicted` and `gold` are (type, start, end) in the same offset
    /// unit, end exclusive.
    pub fn add(&mut self, gold: &[GoldSpan], predicted: &[(String, usize, usize)]) {
        self.examples += 1;
        let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        for g in gold {
            let t = self.types.entry(g.entity_type.clone()).or_default();
            t.gold += 1;
            let exact = predicted
                .iter()
                .any(|(pt, s, e)| *pt == g.entity_type && *s == g.start && *e == g.end);
            let overlapped = predicted
                .iter()
                .any(|(pt, s, e)| *pt == g.entity_type && overlaps((*s, *e), (g.start, g.end)));
            if !exact {
                t.exact.fn_ += 1;
            }
            t.overlap.gold += 1;
            if overlapped {
                t.overlap.gold_hits += 1;
            }
            self.gold_spans += 1;
            if predicted
                .iter()
                .any(|(_, s, e)| overlaps((*s, *e), (g.start, g.end)))
            {
                self.covered_spans += 1;
            }
        }
        for (pt, s, e) in predicted {
            let t = self.types.entry(pt.clone()).or_default();
            t.predicted += 1;
            let same_type = || gold.iter().filter(|g| g.entity_type == *pt);
            if same_type().any(|g| g.start == *s && g.end == *e) {
                t.exact.tp += 1;
            } else {
                t.exact.fp += 1;
            }
            t.overlap.predicted += 1;
            if same_type().any(|g| overlaps((*s, *e), (g.start, g.end))) {
                t.overlap.predicted_hits += 1;
            }
        }
    }

    /// Micro-averaged counts over every type.
    pub fn total(&self) -> TypeScore {
        let mut all = TypeScore::default();
        for t in self.types.values() {
            all.gold += t.gold;
            all.predicted += t.predicted;
            all.exact.add(t.exact);
            all.overlap.add(t.overlap);
        }
        all
    }

    /// Share of gold spans any prediction overlaps.
    pub fn untyped_recall(&self) -> f64 {
        ratio(self.covered_spans, self.gold_spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(spans: &[(&str, usize, usize)]) -> Vec<GoldSpan> {
        spans
            .iter()
            .map(|&(t, start, end)| GoldSpan {
                start,
                end,
                entity_type: t.into(),
            })
            .collect()
    }

    fn pred(spans: &[(&str, usize, usize)]) -> Vec<(String, usize, usize)> {
        spans.iter().map(|&(t, s, e)| (t.into(), s, e)).collect()
    }

    #[test]
    fn exact_overlap_and_untyped_counts() {
        let mut board = Scoreboard::default();
        board.add(
            &gold(&[("NAME", 0, 10), ("EMAIL", 20, 30), ("ADDRESS", 40, 50)]),
            &pred(&[
                ("NAME", 0, 10),
                ("EMAIL", 22, 30),
                ("NAME", 40, 45),
                ("PHONE", 60, 70),
            ]),
        );
        let name = board.types["NAME"];
        assert_eq!((name.gold, name.predicted), (1, 2));
        assert_eq!(
            name.exact,
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        let email = board.types["EMAIL"];
        assert_eq!(
            email.exact,
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            (email.overlap.precision(), email.overlap.recall()),
            (1.0, 1.0)
        );
        let address = board.types["ADDRESS"];
        assert_eq!(
            address.overlap.gold_hits, 0,
            "a NAME over an address is not an ADDRESS"
        );
        assert_eq!(board.covered_spans, 3, "but it does cover the span");
        assert!((board.untyped_recall() - 1.0).abs() < 1e-9);
        let total = board.total();
        assert_eq!(
            total.exact,
            Counts {
                tp: 1,
                fp: 3,
                fn_: 2
            }
        );
    }

    #[test]
    fn f1_of_nothing_is_zero_not_nan() {
        let c = Counts::default();
        assert_eq!((c.precision(), c.recall(), c.f1()), (0.0, 0.0, 0.0));
        let c = Counts {
            tp: 3,
            fp: 1,
            fn_: 2,
        };
        assert!((c.f1() - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-9);
    }
}
