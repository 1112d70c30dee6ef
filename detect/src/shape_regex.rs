//! The forward half of the multi-pattern search: where a match ends and which pattern it
//! is, an anchored pattern's end, and the groups of a match already found.
//!
//! Built from one compiled NFA rather than as a `meta::Regex`: the meta regex also
//! compiles a reverse NFA of every pattern, which [`crate::match_start`] already has, and
//! that second compilation was a sixth of a detector's start-up, paid by every process.

use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{self, DFA};
use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{self, NFA};
use regex_automata::util::captures::{Captures, GroupInfo};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{HalfMatch, Input, Match, MatchKind};
use regex_syntax::hir::Hir;

use crate::DetectError;

/// Room for the combined lazy DFA of ~40 shapes on varied text, so that it does not
/// thrash and fall back to the (much slower) PikeVM.
const CACHE_CAPACITY: usize = 8 * (1 << 20);

type NewCaches = Box<dyn Fn() -> Caches + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// The engines' scratch taken from the pool, for as long as a scan runs.
pub(crate) type RegexCaches<'a> = PoolGuard<'a, Caches, NewCaches>;

/// The patterns of the forward search, leftmost-first, pattern ids in their order.
pub(crate) struct ShapeRegex {
    forward: DFA,
    pikevm: PikeVM,
    backtrack: BoundedBacktracker,
    /// Per-thread scratch of the three engines, as a `meta::Regex` keeps its own.
    caches: Pool<Caches, NewCaches>,
}

/// The slow engines' scratch is made when first needed: the PikeVM's alone, sized for
/// every capture slot of every state, cost a third of a detector's start-up, and most
/// processes never use it.
pub(crate) struct Caches {
    forward: dfa::Cache,
    pikevm: Option<pikevm::Cache>,
    backtrack: Option<backtrack::Cache>,
}

impl ShapeRegex {
    /// `hirs` as parsed by [`crate::patterns::parse_sources`].
    pub(crate) fn new(hirs: &[Hir]) -> Result<Self, DetectError> {
        let error = |e: &dyn std::fmt::Display| DetectError::Config(format!("patterns: {e}"));
        let nfa: NFA = thompson::Compiler::new()
            .build_many_from_hir(hirs)
            .map_err(|e| error(&e))?;
        let forward = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::LeftmostFirst)
                    .starts_for_each_pattern(true)
                    // A policy's own pattern may use a Unicode word boundary: the lazy DFA
                    // gives up on non-ASCII text there and the PikeVM answers.
                    .unicode_word_boundary(true)
                    .cache_capacity(CACHE_CAPACITY)
                    // Give up (and let the PikeVM answer) rather than thrash on
                    // pathological input.
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa.clone())
            .map_err(|e| error(&e))?;
        let pikevm = PikeVM::builder()
            .build_from_nfa(nfa.clone())
            .map_err(|e| error(&e))?;
        let backtrack = BoundedBacktracker::builder()
            .build_from_nfa(nfa)
            .map_err(|e| error(&e))?;
        let for_pool = forward.clone();
        let caches: NewCaches = Box::new(move || Caches {
            forward: for_pool.create_cache(),
            pikevm: None,
            backtrack: None,
        });
        Ok(Self {
            forward,
            pikevm,
            backtrack,
            caches: Pool::new(caches),
        })
    }

    pub(crate) fn pattern_len(&self) -> usize {
        self.pikevm.get_nfa().pattern_len()
    }

    pub(crate) fn group_info(&self) -> &GroupInfo {
        self.pikevm.get_nfa().group_info()
    }

    pub(crate) fn caches(&self) -> RegexCaches<'_> {
        self.caches.get()
    }

    /// Where the leftmost-first match in `input` ends, and its pattern.
    #[cfg(test)]
    pub(crate) fn search_half(&self, input: &Input<'_>) -> Option<HalfMatch> {
        self.search_half_with(&mut self.caches.get(), input)
    }

    /// [`Self::search_half`] with scratch the caller holds: a scan's many searches take it
    /// from the pool once.
    pub(crate) fn search_half_with(
        &self,
        caches: &mut Caches,
        input: &Input<'_>,
    ) -> Option<HalfMatch> {
        match self.forward.try_search_fwd(&mut caches.forward, input) {
            Ok(found) => found,
            Err(_) => self
                .slow_search(&mut caches.pikevm, input)
                .map(|m| HalfMatch::new(m.pattern(), m.end())),
        }
    }

    /// The leftmost-first match in `input`, start included.
    pub(crate) fn search(&self, input: &Input<'_>) -> Option<Match> {
        let mut caches = self.caches.get();
        if input.get_anchored().is_anchored()
            && let Ok(found) = self.forward.try_search_fwd(&mut caches.forward, input)
        {
            return found.map(|h| Match::new(h.pattern(), input.start()..h.offset()));
        }
        self.slow_search(&mut caches.pikevm, input)
    }

    /// The PikeVM's answer, where the lazy DFA gave up or the search is not anchored.
    fn slow_search(&self, cache: &mut Option<pikevm::Cache>, input: &Input<'_>) -> Option<Match> {
        let cache = cache.get_or_insert_with(|| self.pikevm.create_cache());
        let mut caps = Captures::matches(self.group_info().clone());
        self.pikevm.search(cache, input, &mut caps);
        caps.get_match()
    }

    pub(crate) fn create_captures(&self) -> Captures {
        Captures::all(self.group_info().clone())
    }

    /// The groups of the leftmost-first match in `input`, which the caller anchors.
    pub(crate) fn search_captures(&self, input: &Input<'_>, caps: &mut Captures) {
        let mut caches = self.caches.get();
        let caches = &mut *caches;
        if input.get_span().len() <= self.backtrack.max_haystack_len() {
            let cache = caches
                .backtrack
                .get_or_insert_with(|| self.backtrack.create_cache());
            if self.backtrack.try_search(cache, input, caps).is_ok() {
                return;
            }
        }
        let cache = caches
            .pikevm
            .get_or_insert_with(|| self.pikevm.create_cache());
        self.pikevm.search(cache, input, caps);
    }
}

impl std::fmt::Debug for ShapeRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShapeRegex")
            .field("patterns", &self.pattern_len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use regex_automata::{Anchored, PatternID};

    use super::*;
    use crate::patterns::{build_regex, parse_sources, shape_sources};

    fn both() -> &'static (ShapeRegex, regex_automata::meta::Regex) {
        static BOTH: std::sync::OnceLock<(ShapeRegex, regex_automata::meta::Regex)> =
            std::sync::OnceLock::new();
        BOTH.get_or_init(|| {
            let sources = shape_sources(true);
            let ours = ShapeRegex::new(&parse_sources(&sources).unwrap()).unwrap();
            (ours, build_regex(&sources).unwrap())
        })
    }

    const SAMPLES: &[&str] = &[
        "call 415-555-0199 or mail dana@example.com on Tuesday afternoon",
        "password: hunter2 and user=jdoe, PIN 4821, zip code 94107",
        "Dr. Ana Souza, 52, flew to Porto on 3 de marzo de 2024 at 9h15",
        "GB82 WEST 1234 5698 7654 32 fe80::1 4111 1111 1111 1111",
        "😀 née Zoë, 12 rue de la Paix, Montag 17 Uhr, AB123456C",
    ];

    #[test]
    fn agrees_with_a_meta_regex_on_every_search() {
        let (ours, meta) = both();
        assert_eq!(ours.pattern_len(), meta.pattern_len());
        for text in SAMPLES {
            for at in 0..=text.len() {
                let input = Input::new(text).range(at..);
                let theirs = meta.search_half(&input);
                assert_eq!(ours.search_half(&input), theirs, "{text:?} at {at}");
                assert_eq!(ours.search(&input), meta.search(&input), "{text:?} at {at}");
            }
        }
    }

    #[test]
    fn anchored_searches_and_groups_agree_with_a_meta_regex() {
        let (ours, meta) = both();
        let (mut a, mut b) = (ours.create_captures(), meta.create_captures());
        for text in SAMPLES {
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                for pid in 0..ours.pattern_len() {
                    let input = Input::new(text)
                        .range(at..)
                        .anchored(Anchored::Pattern(PatternID::new_unchecked(pid)));
                    assert_eq!(ours.search(&input), meta.search(&input));
                    ours.search_captures(&input, &mut a);
                    meta.search_captures(&input, &mut b);
                    assert_eq!(
                        format!("{a:?}"),
                        format!("{b:?}"),
                        "{text:?} at {at}, {pid}"
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn unanchored_searches_agree_on_any_text(
            text in "[ a-zA-Z0-9@:./,+()\\-#éü]{0,80}",
        ) {
            let (ours, meta) = both();
            let input = Input::new(&text);
            prop_assert_eq!(ours.search_half(&input), meta.search_half(&input));
        }
    }
}
