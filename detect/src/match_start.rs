//! Where a match starts, once the forward pass has found where it ends and which shape it
//! is.
//!
//! The multi-pattern regex finds a match's start with a reverse lazy DFA over all shapes at
//! once. Its states mix every shape's reverse automaton, so near personal data it keeps
//! meeting states that are not built yet (most of the first call's time) or have fallen out
//! of the CPU caches (a fifth of the regex's time on mixed text, more on records). The start
//! of the leftmost-first match is also the leftmost start from which *its own* shape
//! matches up to its end (an earlier start of any shape would have been the leftmost
//! match), so this reverse DFA runs anchored to that one shape, whose few states stay hot.

use std::ops::Range;
use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{Anchored, Input, MatchKind, PatternID};
use regex_syntax::hir::Hir;

use crate::DetectError;
use crate::patterns::{ReadBack, SHAPES, start_reader};
use crate::shape_regex::{RegexCaches, ShapeRegex};

type NewCache = Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// Room for the reverse states of the shapes actually met; small, as each search stays
/// inside one shape.
const CACHE_CAPACITY: usize = 2 * (1 << 20);

pub(crate) struct MatchStarts {
    dfa: DFA,
    /// Per pattern, its length when every match has the same length (a bare year): the
    /// start is then the end minus that, with no search at all.
    fixed_len: Vec<Option<usize>>,
    /// Per pattern, a rule that reads its start back by hand (see `patterns::starts`).
    read_back: Vec<Option<ReadBack>>,
    /// Per-thread scratch of the lazy DFA, like the regex's own.
    caches: Pool<Cache, NewCache>,
}

/// The scratch of the forward and reverse searches of one scan, taken from their pools
/// once: a text of 10 MB runs over 100,000 searches.
pub(crate) struct ScanCaches<'a> {
    forward: RegexCaches<'a>,
    reverse: PoolGuard<'a, Cache, NewCache>,
}

impl MatchStarts {
    /// `sources` must be the patterns of the forward regex, in the same order and with the
    /// same syntax options.
    #[cfg(test)]
    pub(crate) fn new(sources: &[String]) -> Result<Self, DetectError> {
        Self::from_hirs(&crate::patterns::parse_sources(sources)?, 0)
    }

    /// The starts of the patterns of the forward regex, parsed by
    /// [`crate::patterns::parse_sources`], in the same order: `custom` patterns of a
    /// policy's own, then the built-in shapes of [`crate::patterns::shape_sources`].
    pub(crate) fn from_hirs(hirs: &[Hir], custom: usize) -> Result<Self, DetectError> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .reverse(true)
                    .which_captures(WhichCaptures::None),
            )
            .build_many_from_hir(hirs)
            .map_err(|e| DetectError::Config(format!("built-in patterns (reverse): {e}")))?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    // Report every match so that the search runs on to the leftmost start.
                    .match_kind(MatchKind::All)
                    .starts_for_each_pattern(true)
                    .cache_capacity(CACHE_CAPACITY)
                    // Give up (and let the caller fall back to the full regex) rather than
                    // thrash on pathological input.
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa)
            .map_err(|e| DetectError::Config(format!("built-in patterns (reverse): {e}")))?;
        let fixed_len = hirs
            .iter()
            .map(|hir| {
                let props = hir.properties();
                props
                    .minimum_len()
                    .filter(|&min| Some(min) == props.maximum_len())
            })
            .collect();
        let read_back: Vec<Option<ReadBack>> = std::iter::repeat_n(None, custom)
            .chain(SHAPES.iter().map(|&shape| start_reader(shape)))
            .collect();
        let for_pool = dfa.clone();
        Ok(Self {
            dfa,
            fixed_len,
            read_back,
            caches: Pool::new(Box::new(move || for_pool.create_cache())),
        })
    }

    pub(crate) fn caches<'a>(&'a self, regex: &'a ShapeRegex) -> ScanCaches<'a> {
        ScanCaches {
            forward: regex.caches(),
            reverse: self.caches.get(),
        }
    }

    /// The leftmost-first match of `regex` in `range` as (pattern, start, end): the regex's
    /// forward pass for the end and the shape, then this reverse pass for the start, or the
    /// regex's own search when this one gives up. `regex` must be the regex built from the
    /// sources given to [`MatchStarts::new`].
    pub(crate) fn find_match(
        &self,
        regex: &ShapeRegex,
        caches: &mut ScanCaches<'_>,
        text: &str,
        range: Range<usize>,
    ) -> Option<(usize, usize, usize)> {
        let input = Input::new(text).range(range.clone());
        let end = regex.search_half_with(&mut caches.forward, &input)?;
        let pid = end.pattern();
        if let Some(len) = self.fixed_len[pid.as_usize()] {
            return Some((pid.as_usize(), end.offset() - len, end.offset()));
        }
        if let Some(start) = self.read_back[pid.as_usize()]
            .and_then(|read_back| read_back(text.as_bytes(), range.start, end.offset()))
        {
            return Some((pid.as_usize(), start, end.offset()));
        }
        match self.start(&mut caches.reverse, text, range.start, end.offset(), pid) {
            Some(start) => Some((pid.as_usize(), start, end.offset())),
            None => regex
                .search(&input)
                .map(|m| (m.pattern().as_usize(), m.start(), m.end())),
        }
    }

    /// The start of the leftmost match of pattern `pid` that ends at `end` and starts at or
    /// after `from`; `None` when the lazy DFA gave up.
    fn start(
        &self,
        cache: &mut Cache,
        text: &str,
        from: usize,
        end: usize,
        pid: PatternID,
    ) -> Option<usize> {
        let input = Input::new(text)
            .range(from..end)
            .anchored(Anchored::Pattern(pid));
        match self.dfa.try_search_rev(cache, &input) {
            Ok(Some(start)) => Some(start.offset()),
            _ => None,
        }
    }
}

impl std::fmt::Debug for MatchStarts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatchStarts").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;
    use regex_automata::meta::Regex;

    use crate::patterns::{build_regex, parse_sources, shape_sources};

    /// Pieces that start, end or break many shapes, so that random texts hit them often.
    const PIECES: &str = " |  |-|.|/|:|::|+|(|)|,|@|=|#|\t|\n|0|1|4|7|9|12|2024|4111|555|card|SSN|\
                          phone|exp|cvv|pin|password|user|name|Mr|Dr|John|José|zip|age|aged|years|\
                          old|yo|Street|St|apt|March|of|th|GB82|WEST|AB|C|SW1A|1AA|AKIA|\
                          IOSFODNN7EXAMPLE|fe80|ff|a|x|Z|example|com|www|https://|😀|é|中|is|T|\
                          10:30|y/o";

    /// Pieces of the shapes whose starts are read back by hand (`patterns::starts`).
    const READ_BACK_PIECES: &str = " | |,|.|-|x|_|5|12|345|67890|AB|C9|Monday|sunday|Tue|sat|\
                                    Thurs|day|morning|pm|on|this|til|the|3rd|9|@|a@b.co|ex.com|.uk|+|+44|(0)|(|)";

    fn built() -> &'static (Regex, ShapeRegex, MatchStarts) {
        static BUILT: OnceLock<(Regex, ShapeRegex, MatchStarts)> = OnceLock::new();
        BUILT.get_or_init(|| {
            let sources = shape_sources(false);
            let starts = MatchStarts::new(&sources).unwrap();
            let forward = ShapeRegex::new(&parse_sources(&sources).unwrap()).unwrap();
            (build_regex(&sources).unwrap(), forward, starts)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// From every position, the same matches as the regex's own search.
        #[test]
        fn agrees_with_the_regex(
            pieces in prop::collection::vec(prop::sample::select(PIECES.split('|').collect::<Vec<_>>()), 0..24)
        ) {
            agrees_from_every_position(&pieces.concat())?;
        }

        /// The same where matches whose starts are read back by hand are most of them.
        #[test]
        fn read_back_starts_agree_with_the_regex(
            pieces in prop::collection::vec(prop::sample::select(READ_BACK_PIECES.split('|').collect::<Vec<_>>()), 0..16)
        ) {
            agrees_from_every_position(&pieces.concat())?;
        }
    }

    fn agrees_from_every_position(text: &str) -> Result<(), TestCaseError> {
        let (regex, forward, starts) = built();
        let mut caches = starts.caches(forward);
        for pos in (0..=text.len()).filter(|&p| text.is_char_boundary(p)) {
            let ours = starts.find_match(forward, &mut caches, text, pos..text.len());
            let theirs = regex
                .search(&Input::new(text).range(pos..))
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()));
            prop_assert_eq!(ours, theirs, "{:?} from {}", text, pos);
        }
        Ok(())
    }
}
