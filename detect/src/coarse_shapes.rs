//! Shapes whose accented letters the combined regex reads as any letter of a block.
//!
//! The combined lazy DFA splits the bytes into one class per distinct set of patterns a
//! byte can continue, and sizes each state's row of transitions to the next power of two
//! of that count. The accented letters of the foreign month, weekday and age words
//! ("März", "środa", "Çarşamba", "años") would each need classes of their own, taking the
//! count past 128 and doubling every row, and the table would outgrow the caches it is
//! read from on every byte of a text. In the combined regex each such letter (and each
//! class of nothing but them) is any letter from U+00C0 to U+017F, where they all lie, so
//! the shape matches a little more than it should; each of its matches is then checked by
//! the shape's own exact regex, anchored at the match's start.

use std::sync::OnceLock;

use regex_automata::meta::Regex;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Literal};

use crate::patterns::{SHAPES, Shape, build_regex, regex_source};

/// The block every coarse letter stands for: Latin-1 Supplement and Latin Extended-A, two
/// bytes each in UTF-8 with lead bytes `C3`–`C5`, which other shapes already tell apart.
const BLOCK: (char, char) = ('\u{C0}', '\u{17F}');

/// Per pattern id, for the shapes made coarse, the shape and the exact regex that checks
/// its matches.
#[derive(Debug, Default)]
pub(crate) struct CoarseShapes {
    exact: Vec<Option<(Shape, OnceLock<Regex>)>>,
}

impl CoarseShapes {
    /// Makes the built-in shapes in `hirs` (after `custom` patterns of a policy's own,
    /// which stay as they are) coarse where they have letters of the block.
    pub(crate) fn coarsen(hirs: &mut [Hir], custom: usize) -> Self {
        let exact = hirs
            .iter_mut()
            .enumerate()
            .map(|(pid, hir)| {
                let shape = *SHAPES.get(pid.checked_sub(custom)?)?;
                *hir = coarse(hir)?;
                Some((shape, OnceLock::new()))
            })
            .collect();
        Self { exact }
    }

    /// How many exact regexes have been built so far.
    #[cfg(test)]
    pub(crate) fn exact_built(&self) -> usize {
        self.exact
            .iter()
            .flatten()
            .filter(|(_, e)| e.get().is_some())
            .count()
    }

    pub(crate) fn is_coarse(&self, pid: usize) -> bool {
        self.exact.get(pid).is_some_and(Option::is_some)
    }

    /// The end of the exact shape's leftmost-first match anchored at `start`, for a coarse
    /// pattern `pid`.
    pub(crate) fn exact_end(&self, pid: usize, text: &str, start: usize) -> Option<usize> {
        let (shape, regex) = self.exact[pid].as_ref()?;
        let regex = regex.get_or_init(|| {
            build_regex(&[regex_source(*shape)]).expect("a built-in shape compiles")
        });
        let input = Input::new(text).range(start..).anchored(Anchored::Yes);
        regex.search_half(&input).map(|m| m.offset())
    }
}

/// `hir` with every letter of the block, and every class of nothing but such letters, made
/// the whole block; `None` when it has none.
fn coarse(hir: &Hir) -> Option<Hir> {
    let rebuilt = |subs: &[Hir]| -> Option<Vec<Hir>> {
        let coarse: Vec<Option<Hir>> = subs.iter().map(coarse).collect();
        coarse.iter().any(Option::is_some).then(|| {
            coarse
                .into_iter()
                .zip(subs)
                .map(|(c, h)| c.unwrap_or_else(|| h.clone()))
                .collect()
        })
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(Literal(bytes)) => coarse_literal(bytes),
        HirKind::Class(Class::Unicode(class)) => {
            let inside = class
                .ranges()
                .iter()
                .all(|r| r.start() >= BLOCK.0 && r.end() <= BLOCK.1);
            inside.then(block)
        }
        HirKind::Class(Class::Bytes(_)) => None,
        HirKind::Repetition(rep) => coarse(&rep.sub).map(|sub| {
            let mut rep = rep.clone();
            rep.sub = Box::new(sub);
            Hir::repetition(rep)
        }),
        HirKind::Capture(cap) => coarse(&cap.sub).map(|sub| {
            let mut cap = cap.clone();
            cap.sub = Box::new(sub);
            Hir::capture(cap)
        }),
        HirKind::Concat(subs) => rebuilt(subs).map(Hir::concat),
        HirKind::Alternation(subs) => rebuilt(subs).map(Hir::alternation),
    }
}

fn block() -> Hir {
    Hir::class(Class::Unicode(ClassUnicode::new([ClassUnicodeRange::new(
        BLOCK.0, BLOCK.1,
    )])))
}

/// A literal's letters of the block each made the block, the rest kept as literals.
fn coarse_literal(bytes: &[u8]) -> Option<Hir> {
    let text = std::str::from_utf8(bytes).ok()?;
    if !text.chars().any(|c| (BLOCK.0..=BLOCK.1).contains(&c)) {
        return None;
    }
    let mut parts = Vec::new();
    let mut run = String::new();
    for c in text.chars() {
        if (BLOCK.0..=BLOCK.1).contains(&c) {
            if !run.is_empty() {
                parts.push(Hir::literal(std::mem::take(&mut run).into_bytes()));
            }
            parts.push(block());
        } else {
            run.push(c);
        }
    }
    if !run.is_empty() {
        parts.push(Hir::literal(run.into_bytes()));
    }
    Some(Hir::concat(parts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::{Shape, parse_sources, shape_sources};

    fn regex_of(hir: &Hir) -> Regex {
        Regex::builder().build_from_hir(hir).unwrap()
    }

    /// The pattern made coarse, if it was, as a regex.
    fn coarse_of(pattern: &str) -> Option<Regex> {
        let hir = &parse_sources(&[pattern.to_string()]).unwrap()[0];
        coarse(hir).map(|h| regex_of(&h))
    }

    #[test]
    fn letters_of_the_block_and_classes_of_only_them_become_the_block() {
        let is_match =
            |re: &Regex, text: &str| re.is_match(Input::new(text).anchored(Anchored::Yes));
        let re = coarse_of("März").unwrap();
        assert!(is_match(&re, "März") && is_match(&re, "Mörz") && is_match(&re, "Mſrz"));
        assert!(!is_match(&re, "Marz") && !is_match(&re, "Mẞrz"));
        let re = coarse_of("[Śś]roda").unwrap();
        assert!(is_match(&re, "Środa") && is_match(&re, "Šroda") && !is_match(&re, "Sroda"));
        let re = coarse_of("(?i-u:sobot\\x{119})").unwrap();
        assert!(is_match(&re, "SOBOTę") && is_match(&re, "sobotą"));
        assert!(coarse_of("x(ab|é)+").is_some());
    }

    #[test]
    fn everything_else_is_left_as_it_is() {
        assert!(coarse_of("Monday|[0-9]{4}").is_none());
        // A class reaching outside the block, a letter outside it, an en dash.
        assert!(coarse_of("\\p{Lu}[\\p{L}\\p{M}]*").is_none());
        assert!(coarse_of("[a-zé]").is_none());
        assert!(coarse_of("ẞ|\\x{2013}|ж").is_none());
    }

    #[test]
    fn only_the_shapes_with_accented_words_are_coarse_and_policy_patterns_never() {
        let mut sources = vec!["(?P<value>Müller)".to_string()];
        sources.extend(shape_sources(true));
        let mut hirs = parse_sources(&sources).unwrap();
        let shapes = CoarseShapes::coarsen(&mut hirs, 1);
        assert!(!shapes.is_coarse(0));
        let coarse: Vec<Shape> = SHAPES
            .iter()
            .enumerate()
            .filter(|(i, _)| shapes.is_coarse(i + 1))
            .map(|(_, &s)| s)
            .collect();
        assert_eq!(
            coarse,
            [Shape::AgeSuffix, Shape::DateForeign, Shape::WeekdayForeign]
        );
    }

    #[test]
    fn the_exact_regex_decides_where_a_coarse_match_ends() {
        let mut hirs = parse_sources(&shape_sources(true)).unwrap();
        let shapes = CoarseShapes::coarsen(&mut hirs, 0);
        let weekday = Shape::WeekdayForeign as usize;
        // An ASCII word boundary before "Ś" needs a word byte before it.
        assert_eq!(shapes.exact_end(weekday, "xŚroda", 1), Some(7));
        assert_eq!(shapes.exact_end(weekday, "xŠroda", 1), None);
        let date = Shape::DateForeign as usize;
        assert_eq!(shapes.exact_end(date, "15. März 2024!", 0), Some(14));
        assert_eq!(shapes.exact_end(date, "15. Mårz 2024!", 0), None);
    }
}
