//! Hand-labelled examples written inline as `{{TYPE|value}}`, and exact-span scoring of
//! the structured types (everything but names and addresses, which another stage finds).

use std::collections::BTreeMap;

use detect::{EntityType, PatternDetector};

/// One example: the text without markup and its gold spans (byte offsets).
pub struct Example {
    pub text: String,
    pub gold: Vec<(EntityType, usize, usize)>,
}

/// Parses the markup; `#` lines and blank lines are skipped.
pub fn parse(source: &str) -> Vec<Example> {
    source
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(parse_line)
        .collect()
}

fn parse_line(line: &str) -> Example {
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find("{{") {
        text.push_str(&rest[..open]);
        let close = rest[open..].find("}}").expect("unclosed {{") + open;
        let (ty, value) = rest[open + 2..close]
            .split_once('|')
            .expect("{{TYPE|value}}");
        let ty: EntityType = ty.parse().expect("a Comprehend type");
        gold.push((ty, text.len(), text.len() + value.len()));
        text.push_str(value);
        rest = &rest[close + 2..];
    }
    text.push_str(rest);
    Example { text, gold }
}

/// Whether a type is scored: names and addresses are left to the names-and-places stage.
pub fn structured(t: EntityType) -> bool {
    !matches!(t, EntityType::Name | EntityType::Address)
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn f1(&self) -> f64 {
        let denominator = 2 * self.tp + self.fp + self.fn_;
        if denominator == 0 {
            1.0
        } else {
            2.0 * self.tp as f64 / denominator as f64
        }
    }
}

/// Exact-span counts per type, plus the misses and false alarms as readable strings.
pub struct Score {
    pub per_type: BTreeMap<EntityType, Counts>,
    pub errors: Vec<String>,
}

impl Score {
    pub fn total(&self) -> Counts {
        self.per_type
            .values()
            .fold(Counts::default(), |a, c| Counts {
                tp: a.tp + c.tp,
                fp: a.fp + c.fp,
                fn_: a.fn_ + c.fn_,
            })
    }
}

pub fn score(detector: &PatternDetector, examples: &[Example]) -> Score {
    let mut per_type: BTreeMap<EntityType, Counts> = BTreeMap::new();
    let mut errors = Vec::new();
    for ex in examples {
        let predicted: Vec<_> = detector
            .detect_text(&ex.text)
            .into_iter()
            .filter(|d| structured(d.entity_type))
            .map(|d| (d.entity_type, d.start, d.end))
            .collect();
        for p in &predicted {
            let c = per_type.entry(p.0).or_default();
            if ex.gold.contains(p) {
                c.tp += 1;
            } else {
                c.fp += 1;
                errors.push(format!(
                    "false {} {:?} in {:?}",
                    p.0,
                    &ex.text[p.1..p.2],
                    context(&ex.text, p.1, p.2)
                ));
            }
        }
        for g in ex
            .gold
            .iter()
            .filter(|g| structured(g.0) && !predicted.contains(g))
        {
            per_type.entry(g.0).or_default().fn_ += 1;
            errors.push(format!(
                "missed {} {:?} in {:?}",
                g.0,
                &ex.text[g.1..g.2],
                context(&ex.text, g.1, g.2)
            ));
        }
    }
    Score { per_type, errors }
}

/// Up to 60 bytes either side of a span, on char boundaries.
fn context(text: &str, start: usize, end: usize) -> &str {
    let mut from = start.saturating_sub(60);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + 60).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    &text[from..to]
}
