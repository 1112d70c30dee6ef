//! The names-and-places stage: people, street addresses, cities, regions and countries in
//! free text, found offline with an embedded lexicon and rules, after the pattern pass.
//!
//! Text is split into tokens once; only capitalised words, numbers and CJK runs start a
//! candidate, so lower-case prose costs one byte loop. Each candidate is read three ways,
//! in order: a street address (a grammar per country family), a person (name-list
//! strength of each word, name shape, cue words around it), a place alone (gazetteer and
//! cue words). Scores are calibrated so that the default threshold (0.5) keeps a single
//! ambiguous word only when its context says what it is.

mod address;
mod context;
mod flags;
mod lexicon;
mod person;
mod place;
mod tokens;

use crate::{Detection, EntityType, Source};
use context::Ctx;
use tokens::{Kind, Token, tokenize};

/// Appends the stage's detections in `text` (byte offsets, char boundaries, sorted by
/// start, non-overlapping among themselves) to `out`.
pub(crate) fn detect(text: &str, out: &mut Vec<Detection>) {
    let mut toks: Vec<Token> = Vec::new();
    tokenize(text, &mut toks);
    if toks.is_empty() {
        return;
    }
    let mut ctx = Ctx::new(text, &toks);
    let mut i = 0;
    let mut last_name_end: Option<usize> = None;
    while i < toks.len() {
        let t = toks[i];
        let interesting = match t.kind {
            Kind::Cap | Kind::Upper | Kind::Initial | Kind::Number | Kind::Cjk => !t.glued,
            Kind::Lower => ctx.flags(i).has(flags::EURO_STREET | flags::UNIT),
            _ => false,
        };
        if !interesting {
            i += 1;
            continue;
        }
        if let Some(m) = address::at(&mut ctx, i) {
            push(out, text, &toks, m, EntityType::Address);
            i = m.last + 1;
            continue;
        }
        let person = person::at(&mut ctx, i, last_name_end);
        let place = match t.kind {
            Kind::Cap | Kind::Upper => place::at(&mut ctx, i),
            _ => None,
        };
        // The better reading wins; a weak one still takes its words, so that a name's
        // second word is not read again as a place of its own.
        match (person, place) {
            (Some(p), Some(q)) if q.score >= p.score => {
                push(out, text, &toks, q, EntityType::Address);
                i = q.last + 1;
            }
            (Some(p), _) => {
                push(out, text, &toks, p, EntityType::Name);
                last_name_end = Some(p.last);
                i = p.last + 1;
            }
            (None, Some(q)) => {
                push(out, text, &toks, q, EntityType::Address);
                i = q.last + 1;
            }
            (None, None) => i += 1,
        }
    }
}

/// A span of tokens `first..=last` and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Match {
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) score: f32,
    /// Bytes at the end of the last token that are not part of the entity (an honorific
    /// written onto a CJK name).
    pub(crate) trim_end: usize,
}

impl Match {
    pub(crate) fn new(first: usize, last: usize, score: f32) -> Self {
        Self {
            first,
            last,
            score,
            trim_end: 0,
        }
    }
}

fn push(out: &mut Vec<Detection>, text: &str, toks: &[Token], m: Match, entity_type: EntityType) {
    let (first, last, score) = (m.first, m.last, m.score);
    let start = toks[first].start;
    let mut end = toks[last].end - m.trim_end;
    // An initial's period at the very end is sentence punctuation as often as not, but a
    // name never ends in an initial, so the span keeps it only inside.
    if text[start..end].ends_with('.') && toks[last].kind != Kind::Initial {
        end -= 1;
    }
    out.push(Detection {
        entity_type,
        start,
        end,
        score: score.min(1.0),
        source: Source::Pattern,
    });
}

#[cfg(test)]
mod tests;
