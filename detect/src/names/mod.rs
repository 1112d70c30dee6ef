//! The names-and-places stage: people, street addresses, cities, regions and countries in
//! free text, found offline with an embedded lexicon and rules, after the pattern pass.
//!
//! A first pass over the bytes finds the words that can start a candidate (capitals,
//! digits, non-ASCII letters) sixteen bytes at a time, passes over plain sentence openers,
//! and tokenizes only a window around the rest. Each candidate is read three ways: a
//! street address (a grammar per country family) first; then a person (name-list strength
//! of each word, name shape, cue words around it) and a place alone (gazetteer and cue
//! words), the better of the two kept. Scores are calibrated so that the default threshold
//! (0.5) keeps a single ambiguous word only when its context says what it is.

mod address;
mod byte_classes;
mod chat;
mod context;
mod coordination;
mod discourse;
mod flags;
mod fold;
mod known_org;
mod lexicon;
mod person;
mod person_cues;
mod person_slots;
mod place;
mod spelled;
mod tokens;
mod window;

use crate::{Detection, EntityType, Source};
use context::{Ctx, Scratch};
use tokens::{Kind, Token, tokenize_range};

/// The stage alone, at every score: people (NAME) and places (ADDRESS) in `text`, byte
/// offsets on char boundaries, sorted by start, non-overlapping. The pattern detector runs
/// it after its own pass (see [`crate::PatternConfig::names_and_places`]) and applies its
/// threshold, allow list and enabled types.
pub fn detect_names_and_places(text: &str) -> Vec<Detection> {
    let mut out = Vec::new();
    detect(text, &mut out);
    out
}

/// What the lexicon knows of one word, outside the stage's windows and their cache.
fn flags_of(word: &str) -> lexicon::Flags {
    lexicon::Lexicon::get().lookup(word, &mut String::new())
}

/// A word in lower case after a greeting ("hey sarah", "thanks mark!") read as a given
/// name: one the lists know well that is no common word, or one that is (`mark`, `bill`)
/// when a pause follows it.
pub(crate) fn lower_case_given_name(word: &str, pause_after: bool) -> bool {
    let f = flags_of(word);
    if f.has(flags::NOT_NAME | flags::TEMPORAL | flags::ORG | flags::PARTICLE) || f.is_place() {
        return false;
    }
    f.given() >= 2 && !f.has(flags::COMMON) || f.given() == 3 && pause_after
}

/// A capitalised word the lists know as a given name and not as a place or common word
/// ("Aoife", "Kenji"), before an age set off by commas.
pub(crate) fn plain_given_name(word: &str) -> bool {
    if !word.starts_with(char::is_uppercase) {
        return false;
    }
    let f = flags_of(word);
    f.given() >= 1
        && !f.is_place()
        && !f.has(flags::COMMON | flags::NOT_NAME | flags::TEMPORAL | flags::ORG)
}

/// A capitalised word the lists know well as a given name, common word or not ("Grace",
/// "Summer"), for places where nothing else could stand: a profile opening with a name.
pub(crate) fn common_given_name(word: &str) -> bool {
    if !word.starts_with(char::is_uppercase) {
        return false;
    }
    let f = flags_of(word);
    f.given() >= 2 && !f.is_place() && !f.has(flags::NOT_NAME | flags::TEMPORAL | flags::ORG)
}

/// A word that no list knows at all: no English word, name, place or cue ("lpretorius",
/// "hkamau"), which in a log after "by" is a login.
pub(crate) fn unlisted_word(word: &str) -> bool {
    flags_of(word).unknown()
}

/// Appends the stage's detections in `text` (byte offsets, char boundaries, sorted by
/// start, non-overlapping among themselves) to `out`.
pub(crate) fn detect(text: &str, out: &mut Vec<Detection>) {
    let first = out.len();
    REUSED.with_borrow_mut(|reused| {
        let Reused {
            toks,
            scratch,
            lines,
        } = reused;
        let mut pos = 0;
        while let Some(w) = window::next(text, pos, &mut scratch.buf) {
            tokenize_range(text, w.start, w.end, toks);
            let from = toks.partition_point(|t| t.start < w.anchor);
            let mut ctx = Ctx::new(text, toks, scratch);
            read(&mut ctx, from, out);
            pos = w.end;
        }
        chat::read_lower_case_lines(text, out, first, lines);
    });
    coordination::raise_coordinated(text, &mut out[first..]);
    discourse::raise_repeated_names(text, &mut out[first..]);
}

/// The buffers of one call, kept for the thread's next call: a record calls the stage once
/// per string value, most of them short, and growing fresh buffers for each costs 2% of
/// anonymizing records.
#[derive(Default)]
struct Reused {
    toks: Vec<Token>,
    scratch: Scratch,
    lines: chat::Buffers,
}

thread_local! {
    static REUSED: std::cell::RefCell<Reused> = std::cell::RefCell::default();
}

/// Reads the tokens of one window from token `from` on; the tokens before it are context.
fn read(ctx: &mut Ctx, from: usize, out: &mut Vec<Detection>) {
    let (text, toks) = (ctx.text, ctx.toks);
    let mut i = from;
    let mut last_name_end: Option<usize> = None;
    let mut last_place_end: Option<usize> = None;
    while i < toks.len() {
        let t = toks[i];
        let interesting = match t.kind {
            Kind::Cap | Kind::Upper | Kind::Initial | Kind::Number | Kind::Cjk => !t.glued,
            // "apt 4", "unit 7", "ul. Marszałkowska 84", "via Roma 12": only a lower-case
            // word before a number or a capitalised word can start an address, so no
            // other lower-case word is looked up.
            Kind::Lower => match toks.get(i + 1) {
                Some(n) if n.kind == Kind::Number => ctx.flags(i).has(flags::UNIT),
                Some(n) if n.is_capitalised() || n.is_punct('.') => {
                    ctx.flags(i).has(flags::EURO_STREET)
                }
                _ => false,
            },
            _ => false,
        };
        if !interesting || !worth_reading(ctx, i) {
            i += 1;
            continue;
        }
        if let Some(last) = known_org::at(ctx, i) {
            i = last + 1;
            continue;
        }
        if t.kind == Kind::Upper
            && let Some(m) = spelled::at(ctx, i)
        {
            push(out, text, toks, m, EntityType::Name);
            last_name_end = Some(m.last);
            i += 1;
            continue;
        }
        if let Some(mut m) = address::at(ctx, i) {
            // The house, building or flat before the street, which an earlier reading
            // may have taken as a name.
            m.first = address::prefix(ctx, m.first);
            let from = toks[m.first].start;
            while out.last().is_some_and(|d| d.end > from) {
                out.pop();
            }
            push(out, text, toks, m, EntityType::Address);
            last_place_end = Some(m.last);
            i = m.last + 1;
            continue;
        }
        let person = person::at(ctx, i, last_name_end).and_then(|p| before_address(ctx, i, p));
        let place = match t.kind {
            Kind::Cap | Kind::Upper => place::at(ctx, i, last_place_end),
            Kind::Initial => place::dotted(ctx, i),
            _ => None,
        };
        // "The Denver team": the words before the person reading's first are context;
        // with no place read from here, read again from there, where one can be.
        if let (Some(p), None) = (person, place)
            && p.first > i
            && (i..p.first).all(|j| !ctx.flags(j).has(flags::ORG))
        {
            // "Happy Mother's Day": a listed organisation or holiday may start in between.
            i = (i + 1..p.first)
                .find(|&j| ctx.flags(j).has(flags::ORG_PREFIX))
                .unwrap_or(p.first);
            continue;
        }
        // The better reading wins; a weak one still takes its words, so that a name's
        // second word is not read again as a place of its own.
        match (person, place) {
            (Some(p), Some(q)) if q.score >= p.score => {
                push(out, text, toks, q, EntityType::Address);
                last_place_end = Some(q.last);
                i = q.last + 1;
            }
            (Some(p), _) => {
                push(out, text, toks, p, EntityType::Name);
                last_name_end = Some(p.last);
                i = p.last + 1;
            }
            (None, Some(q)) => {
                push(out, text, toks, q, EntityType::Address);
                last_place_end = Some(q.last);
                i = q.last + 1;
            }
            (None, None) => i += 1,
        }
    }
}

/// "neue Adresse Hauptstraße 5": a person reading read from token `i` ends before a word
/// that starts a street address, which the address rule then reads.
fn before_address(ctx: &mut Ctx, i: usize, mut p: Match) -> Option<Match> {
    for j in p.first.max(i + 1)..=p.last {
        if ctx.tok(j).is_capitalised() && address::at(ctx, j).is_some() {
            if j == p.first || !ctx.tok(j - 1).is_capitalised() {
                return None;
            }
            p.last = j - 1;
            break;
        }
    }
    Some(p)
}

/// Most capitalised words open a sentence ("The", "Our"): a word that can be no part of
/// a name, place or street, with nothing after it that could be, is passed over after one
/// lookup.
fn worth_reading(ctx: &mut Ctx, i: usize) -> bool {
    let t = ctx.tok(i);
    if !matches!(t.kind, Kind::Cap | Kind::Upper) {
        return true;
    }
    let f = ctx.flags(i);
    let inert = f.has(flags::NOT_NAME | flags::TEMPORAL) && !ctx.temporal_after_title(i)
        || f.has(flags::COMMON)
            && f.given() == 0
            && f.surname() == 0
            && !f.is_place()
            && !f.has(flags::EURO_STREET | flags::UNIT | flags::PLACE_PREFIX);
    // "at No. 22": a number word before a house number.
    if !inert || matches!(ctx.word(i), "No" | "Nr") {
        return true;
    }
    ctx.get(i + 1).is_some_and(|n| {
        n.gap <= tokens::Gap::Space
            && (n.is_capitalised() || n.kind == Kind::Number || n.kind == Kind::Initial)
    })
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
    /// Bytes at the start of the first token that are not part of the entity (the words
    /// before a name inside a run of CJK text, which has no spaces).
    pub(crate) trim_start: usize,
}

impl Match {
    pub(crate) fn new(first: usize, last: usize, score: f32) -> Self {
        Self {
            first,
            last,
            score,
            trim_end: 0,
            trim_start: 0,
        }
    }
}

fn push(out: &mut Vec<Detection>, text: &str, toks: &[Token], m: Match, entity_type: EntityType) {
    let (first, last, score) = (m.first, m.last, m.score);
    let start = toks[first].start + m.trim_start;
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
