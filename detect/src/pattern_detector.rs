//! The local detector: one multi-pattern regex pass, validators on candidates only,
//! context scoring, allow and deny lists.

use std::collections::HashSet;

use memchr::memmem::Finder;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, PatternID};

use crate::coarse_shapes::CoarseShapes;
use crate::config::TypeSet;
use crate::context::{CONTEXT_BOOST, NON_ASCII_NEXT, NON_ASCII_REACH, Window, phrases_for};
use crate::date_parts::join_date_parts;
use crate::escapes::neutralize_escapes;
use crate::match_start::{MatchStarts, ScanCaches};
use crate::overlap::{preference, resolve_overlaps};
use crate::patterns::{
    BY_HAND, Candidate, Deferred, SHAPES, Shape, classify, find_by_hand, match_by_hand,
    parse_sources, quick_value, shape_sources, space_cuts,
};
use crate::recognizers::CustomRecognizers;
use crate::shape_regex::ShapeRegex;
use crate::validators::PhoneRegions;
use crate::{
    DenyTerm, DetectError, Detection, DetectionReport, Detector, EntityType, PatternConfig, Source,
};

/// Regex-and-validator PII detector. Compiles its patterns once; `Send + Sync`, share it
/// with `Arc`. The regex keeps per-thread scratch space internally, so concurrent calls do
/// not contend.
#[derive(Debug)]
pub struct PatternDetector {
    regex: ShapeRegex,
    starts: MatchStarts,
    /// The shapes the regex matches coarsely, and their exact checks.
    coarse: CoarseShapes,
    config: PatternConfig,
    enabled: TypeSet,
    allow: HashSet<String>,
    deny: Vec<DenyMatcher>,
    phones: PhoneRegions,
    /// The policy's recognizers: pattern ids below `custom.len()` are theirs, the built-in
    /// shapes follow.
    custom: CustomRecognizers,
}

#[derive(Debug)]
struct DenyMatcher {
    finder: Finder<'static>,
    len: usize,
    entity_type: EntityType,
    word_start: bool,
    word_end: bool,
}

enum Attempt {
    Found(Detection),
    /// Nothing here; continue scanning at this byte.
    Nothing(usize),
}

/// Reused across the matches of one call, so that matching does not allocate per match.
struct Scratch {
    cands: Vec<Candidate>,
    caps: Option<Captures>,
    /// Created on the first context lookup: most record values never need one.
    window: Option<Window>,
}

impl PatternDetector {
    pub fn new(config: PatternConfig) -> Result<Self, DetectError> {
        if !(0.0..=1.0).contains(&config.threshold) {
            return Err(DetectError::Config(format!(
                "threshold {} is outside 0.0..=1.0",
                config.threshold
            )));
        }
        let mut custom = CustomRecognizers::new(&config.recognizers)?;
        let deny_terms: Vec<DenyTerm> = config
            .deny_list
            .iter()
            .cloned()
            .chain(CustomRecognizers::deny_terms(&config.recognizers))
            .collect();
        let deny = deny_terms
            .iter()
            .filter(|t| !t.value.is_empty())
            .map(|t| DenyMatcher {
                finder: Finder::new(t.value.as_bytes()).into_owned(),
                len: t.value.len(),
                entity_type: t.entity_type,
                word_start: t.value.as_bytes()[0].is_ascii_alphanumeric(),
                word_end: t.value.as_bytes()[t.value.len() - 1].is_ascii_alphanumeric(),
            })
            .collect();
        let phones = PhoneRegions::new(&config.phone_regions)
            .map_err(|e| DetectError::Config(e.to_string()))?;
        let mut sources = custom.sources().to_vec();
        sources.extend(shape_sources(config.names_and_places));
        let mut hirs = parse_sources(&sources)?;
        let coarse = CoarseShapes::coarsen(&mut hirs, custom.len());
        let regex = ShapeRegex::new(&hirs)?;
        custom.find_value_groups(&regex);
        Ok(Self {
            phones,
            regex,
            starts: MatchStarts::from_hirs(&hirs, custom.len())?,
            coarse,
            custom,
            enabled: TypeSet::from_types(&config.enabled),
            allow: config.allow_list.iter().cloned().collect(),
            deny,
            config,
        })
    }

    pub fn config(&self) -> &PatternConfig {
        &self.config
    }

    /// Detections in `text`: byte offsets on char boundaries, sorted by start,
    /// non-overlapping, every score within `threshold..=1.0`.
    pub fn detect_text(&self, text: &str) -> Vec<Detection> {
        let neutralized = neutralize_escapes(text);
        let text = &*neutralized;
        // Room for about one detection per 128 bytes, as in dense prose, so that a long
        // text's list is not copied as it doubles; short values reserve nothing.
        let mut out = Vec::with_capacity(text.len() / 128);
        self.scan(text, &mut out);
        join_date_parts(text, &mut out);
        let mut overlaps = self.config.names_and_places && self.names_and_places(text, &mut out);
        overlaps |= self.spoken(text, &mut out);
        if !self.deny.is_empty() {
            self.deny_matches(text, &mut out);
            overlaps = true;
        }
        if overlaps {
            out = resolve_overlaps(out);
        }
        out
    }

    fn scan(&self, text: &str, out: &mut Vec<Detection>) {
        let mut scratch = Scratch {
            // Allocated on the first match only: most record values have none.
            cands: Vec::new(),
            caps: None,
            window: None,
        };
        let mut matches = Matches::new(self);
        let n = self.custom.len();
        let mut pos = 0;
        while pos < text.len() {
            let next = matches.next(text, pos);
            let Some((pid, start, end)) = next else {
                break;
            };
            pos = if pid >= n && SHAPES[pid - n].reads_back() {
                self.settle_read_back(text, pid, start, end, &mut scratch, out)
            } else {
                self.settle_match(text, pid, start, end, &mut scratch, out)
            };
        }
    }

    /// A match of a shape that [`Shape::reads_back`], found at `at`: its head is read back
    /// from there. Shapes found inside the head give way to the match, as they would if
    /// it had started at the head; one that began before the head keeps its bytes. The
    /// shapes after it are tried at `at` only for an "@" with no local part (a handle):
    /// every shape that could start before `at` was already tried there.
    fn settle_read_back(
        &self,
        text: &str,
        pid: usize,
        at: usize,
        end: usize,
        scratch: &mut Scratch,
        out: &mut Vec<Detection>,
    ) -> usize {
        let shape = SHAPES[pid - self.custom.len()];
        let Some(mut start) = shape.head_start(text, at) else {
            return at + 1;
        };
        // Detections are sorted and disjoint, so their ends rise too.
        for d in out.iter().rev() {
            if d.end <= start {
                break;
            }
            if d.start < start {
                // An IPv6 group cut by another detection was no group at a word start.
                if shape == Shape::Ipv6 {
                    return at + 1;
                }
                start = d.end.min(at);
                break;
            }
        }
        match self.attempt(text, pid, start, end, scratch) {
            Attempt::Found(d) => {
                while out
                    .last()
                    .is_some_and(|o| o.start >= d.start && o.end <= d.end)
                {
                    out.pop();
                }
                let next = d.end;
                out.push(d);
                next
            }
            // "insta is @rose.bakes.lyon": an "@" with no local part before it may be a
            // handle whose dots looked like a domain's.
            Attempt::Nothing(resume) => {
                let handle = (shape == Shape::Email && start == at)
                    .then(|| self.fallback(text, pid, at, scratch))
                    .flatten();
                match handle {
                    Some(d) => {
                        let next = d.end;
                        out.push(d);
                        next
                    }
                    None => resume.max(at + 1),
                }
            }
        }
    }

    /// Turns one regex match into at most one detection; returns where to search next.
    fn settle_match(
        &self,
        text: &str,
        pid: usize,
        start: usize,
        end: usize,
        scratch: &mut Scratch,
        out: &mut Vec<Detection>,
    ) -> usize {
        let mut next = match self.attempt(text, pid, start, end, scratch) {
            Attempt::Found(d) => {
                let end = d.end;
                out.push(d);
                end
            }
            Attempt::Nothing(resume) => match self.fallback(text, pid, start, scratch) {
                Some(d) => {
                    let end = d.end;
                    out.push(d);
                    end
                }
                None => resume,
            },
        };
        if next <= start {
            // Never loop on an empty or rejected match: step one char forward.
            next = start + text[start..].chars().next().map_or(1, char::len_utf8);
        }
        next
    }

    /// A rejected match may hide another shape starting at the same byte (a time like
    /// `10:30:00` looks like IPv6 first); leftmost-first reported only the preferred one, so
    /// the later shapes are tried anchored at that start.
    fn fallback(
        &self,
        text: &str,
        pid: usize,
        start: usize,
        scratch: &mut Scratch,
    ) -> Option<Detection> {
        let n = self.custom.len();
        let later_custom = (pid + 1..n).map(|alt| (alt, None));
        let first_shape = if pid < n { 0 } else { pid - n + 1 };
        let later_shapes = SHAPES
            .iter()
            .enumerate()
            .skip(first_shape)
            .map(|(i, &shape)| (n + i, Some(shape)));
        for (alt, shape) in later_custom.chain(later_shapes) {
            if shape.is_some_and(|s| !s.can_start_at(text.as_bytes(), start)) {
                continue;
            }
            if let Some(end) = self.anchored(text, alt, shape, start)
                && let Attempt::Found(d) = self.attempt(text, alt, start, end, scratch)
            {
                return Some(d);
            }
        }
        None
    }

    /// The end of the match of pattern `alt` (`shape` when it is a built-in one) that
    /// starts at `start`, if any.
    fn anchored(
        &self,
        text: &str,
        alt: usize,
        shape: Option<Shape>,
        start: usize,
    ) -> Option<usize> {
        match shape {
            Some(s) if s.by_hand() || s == Shape::AlnumToken => match_by_hand(s, text, start),
            // The coarse pattern matches wherever the exact one does: only where it matches
            // is the exact regex needed, and built.
            _ if self.coarse.is_coarse(alt) => self
                .regex_anchored(text, alt, start)
                .and_then(|_| self.coarse.exact_end(alt, text, start)),
            _ => self.regex_anchored(text, alt, start),
        }
    }

    /// The end of the combined regex's match of pattern `alt` that starts at `start`.
    fn regex_anchored(&self, text: &str, alt: usize, start: usize) -> Option<usize> {
        let input = Input::new(text)
            .range(start..)
            .anchored(Anchored::Pattern(PatternID::new_unchecked(alt)));
        self.regex.search(&input).map(|m| m.end())
    }

    /// The leftmost-first match of the regex at or after `from`, a token's trigger read
    /// on to its token and a coarse shape's match checked by its exact regex: where that
    /// finds nothing, the match is what the shapes after it match at that start, or the
    /// next match after it.
    fn regex_match(
        &self,
        caches: &mut ScanCaches<'_>,
        text: &str,
        mut from: usize,
    ) -> Option<(usize, usize, usize)> {
        let n = self.custom.len();
        let token = n + Shape::AlnumToken as usize;
        loop {
            let m = self
                .starts
                .find_match(&self.regex, caches, text, from..text.len())?;
            if m.0 != token && !self.coarse.is_coarse(m.0) {
                return Some(m);
            }
            let start = m.1;
            // The shape itself first, then the shapes after it that can start there.
            let later = SHAPES
                .iter()
                .enumerate()
                .skip(m.0 - n)
                .filter(|&(i, s)| n + i == m.0 || s.can_start_at(text.as_bytes(), start));
            for (i, &shape) in later {
                if let Some(end) = self.anchored(text, n + i, Some(shape), start) {
                    return Some((n + i, start, end));
                }
            }
            from = start + text[start..].chars().next().map_or(1, char::len_utf8);
        }
    }

    fn attempt(
        &self,
        text: &str,
        pid: usize,
        start: usize,
        end: usize,
        scratch: &mut Scratch,
    ) -> Attempt {
        let n = self.custom.len();
        if pid < n {
            return self.custom_attempt(text, pid, start, end, scratch);
        }
        let shape = SHAPES[pid - n];
        if shape == Shape::Numeric {
            // A digit run joined by spaces may be two things ("in 2023 4111 1111 1111 1111"):
            // try the whole run, then shorter prefixes ending at a space.
            for cut in std::iter::once(end).chain(space_cuts(text, start, end).take(8)) {
                scratch.cands.clear();
                classify(shape, text, start, cut, None, &mut scratch.cands);
                if let Some(d) = self.settle(text, &scratch.cands, &mut scratch.window) {
                    return Attempt::Found(d);
                }
            }
            return Attempt::Nothing(space_cuts(text, start, end).last().unwrap_or(end));
        }
        let value = if has_value_group(shape) {
            quick_value(shape, text, start, end)
                .or_else(|| self.value_span(text, pid, start, end, scratch))
        } else {
            None
        };
        scratch.cands.clear();
        classify(shape, text, start, end, value, &mut scratch.cands);
        match self.settle(text, &scratch.cands, &mut scratch.window) {
            Some(d) => Attempt::Found(d),
            // A rejected "Name (11)" may be "Tel (02) 9876 5432": look again from the
            // bracket or comma.
            None if shape == Shape::AgeAppositive => {
                Attempt::Nothing(value.map_or(end, |(vs, _)| vs - 1))
            }
            // A rejected "reply by 5/6", "by https://…" or "until 6 pm" leaves its value to
            // the other shapes: the search goes on from where the value starts.
            None if matches!(
                shape,
                Shape::UsernameSaid
                    | Shape::PasswordSaid
                    | Shape::GreetingName
                    | Shape::HourAfterWord
            ) =>
            {
                let value_at = text[start..end]
                    .rfind([' ', ',', ':'])
                    .map_or(end, |k| start + k + 1);
                Attempt::Nothing(value_at)
            }
            None => Attempt::Nothing(end),
        }
    }

    /// A match of a custom recognizer's pattern: its `value` group or the whole match,
    /// checked by its validator, scored by its context words.
    fn custom_attempt(
        &self,
        text: &str,
        pid: usize,
        start: usize,
        end: usize,
        scratch: &mut Scratch,
    ) -> Attempt {
        let r = self.custom.recognizer(pid);
        let (vs, ve) = if self.custom.has_value(pid) {
            let caps = scratch
                .caps
                .get_or_insert_with(|| self.regex.create_captures());
            let input = Input::new(text)
                .range(start..end)
                .anchored(Anchored::Pattern(PatternID::new_unchecked(pid)));
            self.regex.search_captures(&input, caps);
            match caps.get_group_by_name("value") {
                Some(s) => (s.start, s.end),
                None => return Attempt::Nothing(end),
            }
        } else {
            (start, end)
        };
        let value = &text[vs..ve];
        if vs == ve || r.allow.contains(value) || self.allow.contains(value) {
            return Attempt::Nothing(end);
        }
        let score = match r.validator {
            Some(v) if v.check(value) => 1.0,
            Some(_) => return Attempt::Nothing(end),
            None if r.score + CONTEXT_BOOST < self.config.threshold => {
                return Attempt::Nothing(end);
            }
            None => {
                let window = scratch.window.get_or_insert_with(Window::default);
                window.focus(text, vs, ve, self.config.context_window);
                let boost = if window.has_any(text, &r.phrases) {
                    CONTEXT_BOOST
                } else {
                    0.0
                };
                (r.score + boost).min(1.0)
            }
        };
        if score < self.config.threshold {
            return Attempt::Nothing(end);
        }
        Attempt::Found(Detection {
            entity_type: r.entity_type,
            start: vs,
            end: ve,
            score,
            source: Source::Pattern,
        })
    }

    /// Span of capture group 1 (the value after a label or title); only computed for
    /// labelled shapes, so captures never slow down the common path.
    fn value_span(
        &self,
        text: &str,
        pid: usize,
        start: usize,
        end: usize,
        scratch: &mut Scratch,
    ) -> Option<(usize, usize)> {
        let caps = scratch
            .caps
            .get_or_insert_with(|| self.regex.create_captures());
        let input = Input::new(text)
            .range(start..end)
            .anchored(Anchored::Pattern(PatternID::new_unchecked(pid)));
        self.regex.search_captures(&input, caps);
        caps.get_group(1).map(|s| (s.start, s.end))
    }

    /// Picks the best-scoring enabled reading of one match, if any clears the threshold.
    /// `window` keeps the words of the last span looked up: candidates of one match nearly
    /// always share a span, so its words are found once.
    fn settle(
        &self,
        text: &str,
        cands: &[Candidate],
        window: &mut Option<Window>,
    ) -> Option<Detection> {
        let threshold = self.config.threshold;
        let mut best: Option<Detection> = None;
        for c in cands {
            if !self.enabled.contains(c.entity_type) || c.end <= c.start {
                continue;
            }
            let score = if c.validated {
                1.0
            } else if let Deferred::Label(label) | Deferred::LabelNext(label) = c.deferred {
                // Its label or nothing: the policy's context words do not stand in for it.
                if c.base < threshold || best.as_ref().is_some_and(|b| c.base < b.score) {
                    continue;
                }
                let window = window.get_or_insert_with(Window::default);
                window.focus(text, c.start, c.end, self.config.context_window);
                let labelled = if matches!(c.deferred, Deferred::LabelNext(_)) {
                    window.has_any_next(text, label.phrases())
                        || label.non_ascii_before(text, c.start, NON_ASCII_NEXT)
                } else {
                    window.has_any(text, label.phrases())
                        || label.non_ascii_before(text, c.start, NON_ASCII_REACH)
                };
                if !labelled {
                    continue;
                }
                c.base
            } else if !c.boostable {
                c.base
            } else if c.base >= threshold || c.base + CONTEXT_BOOST >= threshold {
                // A reading that cannot reach the best score so far loses whatever its
                // context says: skip the context lookup, the costliest step here.
                let ceiling = (c.base + CONTEXT_BOOST).min(1.0);
                if best.as_ref().is_some_and(|b| ceiling < b.score) {
                    continue;
                }
                let window = window.get_or_insert_with(Window::default);
                window.focus(text, c.start, c.end, self.config.context_window);
                let boost = if window.has_any(text, phrases_for(c.entity_type)) {
                    CONTEXT_BOOST
                } else {
                    0.0
                };
                (c.base + boost).min(1.0)
            } else {
                continue;
            };
            if score < threshold {
                continue;
            }
            let d = Detection {
                entity_type: c.entity_type,
                start: c.start,
                end: c.end,
                score,
                source: Source::Pattern,
            };
            if best.as_ref().is_none_or(|b| preference(&d, b).is_lt()) && self.deferred_ok(text, c)
            {
                best = Some(d);
            }
        }
        best.filter(|d| self.allow.is_empty() || !self.allow.contains(&text[d.start..d.end]))
    }

    fn deferred_ok(&self, text: &str, c: &Candidate) -> bool {
        match c.deferred {
            // Checked with the context window in `settle`.
            Deferred::Nothing | Deferred::Label(_) | Deferred::LabelNext(_) => true,
            Deferred::NationalPhone => self.phones.valid_national(&text[c.start..c.end]),
        }
    }

    /// Runs the names-and-places stage and merges its findings into `out` in start order.
    /// Where its NAME or ADDRESS overlaps a pattern's finding of the same type (a title's or
    /// a postcode's), the stage read the whole span, so its reading replaces the pattern's.
    /// Returns whether findings of different types still overlap.
    fn names_and_places(&self, text: &str, out: &mut Vec<Detection>) -> bool {
        // Room for about one name or place per 256 bytes, as in dense prose, so that a long
        // text's list is not copied as it doubles.
        let mut found = Vec::with_capacity(text.len() / 256);
        crate::names::detect(text, &mut found);
        found.retain(|d| self.reports(text, d));
        if found.is_empty() {
            return false;
        }
        // Both lists are sorted by start and free of overlaps among themselves, so one
        // forward walk finds the stage's spans that overlap each pattern finding.
        let mut k = 0;
        out.retain(|p| {
            while k < found.len() && found[k].end <= p.start {
                k += 1;
            }
            !found[k..]
                .iter()
                .take_while(|n| n.start < p.end)
                .any(|n| n.entity_type == p.entity_type)
        });
        // Merged in place from the back, so that a long text's list is not copied into a
        // third one: at one start the pattern finding goes first. Each list is sorted and
        // free of overlaps, so in the merged order any overlap is between neighbours.
        let mut patterns = out.len();
        out.extend_from_slice(&found);
        let mut write = out.len();
        for n in found.into_iter().rev() {
            while patterns > 0 && out[patterns - 1].start > n.start {
                write -= 1;
                patterns -= 1;
                out.swap(write, patterns);
            }
            write -= 1;
            out[write] = n;
        }
        out.windows(2).any(|w| w[1].start < w[0].end)
    }

    /// Adds what transcripts say aloud (`crate::spoken`) to `out`; returns whether it
    /// added anything, which may overlap what the other passes found.
    fn spoken(&self, text: &str, out: &mut Vec<Detection>) -> bool {
        let mut found = Vec::new();
        crate::spoken::detect(text, &mut found);
        found.retain(|d| self.reports(text, d));
        if found.is_empty() {
            return false;
        }
        out.extend(found);
        true
    }

    /// Whether a finding of a pass outside the regex (the names stage, spoken forms) is
    /// one this detector reports: an enabled type, at the threshold, not allowed.
    fn reports(&self, text: &str, d: &Detection) -> bool {
        self.enabled.contains(d.entity_type)
            && d.score >= self.config.threshold
            && (self.allow.is_empty() || !self.allow.contains(&text[d.start..d.end]))
    }

    fn deny_matches(&self, text: &str, out: &mut Vec<Detection>) {
        let bytes = text.as_bytes();
        let word = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
        for term in &self.deny {
            for start in term.finder.find_iter(bytes) {
                let end = start + term.len;
                if (term.word_start && start > 0 && word(start - 1)) || (term.word_end && word(end))
                {
                    continue;
                }
                out.push(Detection {
                    entity_type: term.entity_type,
                    start,
                    end,
                    score: 1.0,
                    source: Source::Pattern,
                });
            }
        }
    }
}

/// The matches of one scan: the leftmost-first match from a position, of the regex and of
/// the shapes found by hand together, as one regex of every shape would find it.
struct Matches<'a> {
    detector: &'a PatternDetector,
    caches: ScanCaches<'a>,
    /// The next match of the regex and of each shape found by hand, kept while the scan
    /// has not passed its start: the leftmost match from any position up to it is the
    /// same. `None` until looked for, `Some(None)` when there is none left.
    by_regex: Option<Option<(usize, usize, usize)>>,
    by_hand: [Option<Option<(usize, usize)>>; BY_HAND.len()],
}

impl<'a> Matches<'a> {
    fn new(detector: &'a PatternDetector) -> Self {
        Self {
            detector,
            caches: detector.starts.caches(&detector.regex),
            by_regex: None,
            by_hand: Default::default(),
        }
    }

    /// The leftmost-first match at or after `pos` as (pattern, start, end); `pos` must not
    /// go back between calls.
    fn next(&mut self, text: &str, pos: usize) -> Option<(usize, usize, usize)> {
        let mut next = match self.by_regex {
            Some(Some(m)) if m.1 >= pos => Some(m),
            Some(None) => None,
            _ => {
                let m = self.detector.regex_match(&mut self.caches, text, pos);
                self.by_regex = Some(m);
                m
            }
        };
        let n = self.detector.custom.len();
        for (slot, shape) in self.by_hand.iter_mut().zip(BY_HAND) {
            let found = match *slot {
                Some(Some(m)) if m.0 >= pos => Some(m),
                Some(None) => None,
                _ => {
                    let m = find_by_hand(shape, text, pos);
                    *slot = Some(m);
                    m
                }
            };
            // Leftmost first, and at one start the shape declared first.
            if let Some((start, end)) = found {
                let pid = n + shape as usize;
                if next.is_none_or(|(p, s, _)| (start, pid) < (s, p)) {
                    next = Some((pid, start, end));
                }
            }
        }
        next
    }
}

impl Default for PatternDetector {
    fn default() -> Self {
        Self::new(PatternConfig::default()).expect("built-in patterns compile")
    }
}

fn has_value_group(shape: Shape) -> bool {
    matches!(
        shape,
        Shape::PasswordLabel
            | Shape::UsernameLabel
            | Shape::PinLabel
            | Shape::CvvLabel
            | Shape::PostcodeLabel
            | Shape::NameLabel
            | Shape::NameTitle
            | Shape::AgeLabel
            | Shape::AgeVerb
            | Shape::AgeAppositive
            | Shape::PlateLabel
            | Shape::IdLabel
            | Shape::AgeSuffix
    )
}

#[async_trait::async_trait]
impl Detector for PatternDetector {
    fn name(&self) -> &'static str {
        "patterns"
    }

    async fn detect(&self, text: &str) -> Result<DetectionReport, DetectError> {
        Ok(DetectionReport {
            detections: self.detect_text(text),
            degraded: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DenyTerm;
    use crate::patterns::build_regex;

    fn found(text: &str) -> Vec<(EntityType, &str)> {
        PatternDetector::default()
            .detect_text(text)
            .into_iter()
            .map(|d| (d.entity_type, &text[d.start..d.end]))
            .collect()
    }

    /// Pieces that start, end or break many shapes, so that random texts hit them often.
    const PIECES: &str = " |  |-|.|/|:|=|+|(|)|,|;|@|#|\t|\n|_|'|0|1|4|7|12|2024|4111|555|3D|SSN|\
                          AB|GB82|WEST|SW1A|1AA|AKIAIOSFODNN7EXAMPLE|IMPORTANT|1M8GDM9AXKP042788|\
                          wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY|card|phone|password|pwd|pass|\
                          user|name|age|hi|thanks|sarah|March|Mr|Dr|John|José|é|中|😀|x|a@b.co|\
                          10:30|fe80::1";

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// The regex and the shapes found by hand together match, from every position, what
        /// one regex of every shape matches.
        #[test]
        fn matches_agree_with_one_regex(
            pieces in proptest::collection::vec(
                proptest::sample::select(PIECES.split('|').collect::<Vec<_>>()), 0..24),
            names_and_places: bool,
        ) {
            agrees_with_one_regex(&pieces.concat(), names_and_places)?;
        }

        /// The same where the coarse shapes' words, and near misses of their accented
        /// letters, are most of the text.
        #[test]
        fn coarse_matches_agree_with_one_regex(
            pieces in proptest::collection::vec(
                proptest::sample::select(COARSE_PIECES.split('|').collect::<Vec<_>>()), 0..16),
            names_and_places: bool,
        ) {
            agrees_with_one_regex(&pieces.concat(), names_and_places)?;
        }
    }

    #[test]
    fn the_exact_regexes_are_built_only_for_a_coarse_match() {
        let detector = PatternDetector::default();
        // Rejected matches at words a foreign weekday could start with: the shapes after
        // them are tried there, the coarse ones too.
        detector.detect_text("Hello, my name is Dana Carrillo. Thanks sarah, mon ami.");
        assert_eq!(detector.coarse.exact_built(), 0);
        let found = detector.detect_text("Wir sehen uns am Mittwoch, 15. März 2024.");
        assert!(found.iter().any(|d| d.entity_type == EntityType::DateTime));
        assert!(detector.coarse.exact_built() > 0);
    }

    /// Accented words of the coarse shapes, the same words with another letter of the block
    /// in place of the accented one, and what comes around them.
    const COARSE_PIECES: &str = " |  |.|,|-|x|3|15|9|2024|de |di |del |März|Mèrz|mars|août|aoüt|\
                                 Środa|środę|Šroda|ś|roda|lunedì|lunedí|Miércoles|miércoles|\
                                 Çarşamba|çarsamba|sobotę|sobotá|años|añoz|de edad|år|\
                                 år gammal|ér gammel|Jahre alt|ü|ł|Š";

    fn agrees_with_one_regex(
        text: &str,
        names_and_places: bool,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let detector = PatternDetector::new(PatternConfig {
            names_and_places,
            ..Default::default()
        })
        .unwrap();
        let one = build_regex(&crate::patterns::one_regex_sources(names_and_places)).unwrap();
        let mut matches = Matches::new(&detector);
        for pos in (0..=text.len()).filter(|&p| text.is_char_boundary(p)) {
            let want = one
                .search(&Input::new(text).range(pos..))
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()));
            proptest::prop_assert_eq!(matches.next(text, pos), want, "{:?} from {}", text, pos);
        }
        Ok(())
    }

    #[test]
    fn shapes_found_by_hand_at_the_start_after_non_ascii_and_among_other_shapes() {
        // A token at the very start, one right after a CJK character, a spurious trigger
        // ("SSN") before a shape of the regex, a token's trigger inside a spaced IBAN, a
        // password whose value looks like a card, and a secret after a word. The expected
        // readings are those of the single regex this scan replaced.
        let text = "GB82WEST12345698765432 opens it; 中AKIAIOSFODNN7EXAMPLE follows 中; the \
                    SSN 536-22-1234 and IBAN GB82 WEST 1234 5698 7654 32; password: \
                    4111111111111111 then pwd=s3cr3t; key \
                    wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY for aws secret";
        assert_eq!(
            found(text),
            vec![
                (
                    EntityType::InternationalBankAccountNumber,
                    "GB82WEST12345698765432"
                ),
                (EntityType::AwsAccessKey, "AKIAIOSFODNN7EXAMPLE"),
                (EntityType::Ssn, "536-22-1234"),
                (
                    EntityType::InternationalBankAccountNumber,
                    "GB82 WEST 1234 5698 7654 32"
                ),
                (EntityType::Password, "4111111111111111"),
                (EntityType::Password, "s3cr3t"),
                (
                    EntityType::AwsSecretKey,
                    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
                ),
            ]
        );
    }

    #[test]
    fn weekdays_abbreviated_in_chat_and_hours_alone() {
        let dates = |text| {
            found(text)
                .into_iter()
                .filter(|(t, _)| *t == EntityType::DateTime)
                .map(|(_, s)| s)
                .collect::<Vec<_>>()
        };
        assert_eq!(dates("can u come on sat?"), ["sat"]);
        assert_eq!(dates("shop closed til fri"), ["fri"]);
        assert_eq!(dates("and fri night is fine"), ["fri night"]);
        assert!(dates("Sat 12 Oct works").contains(&"Sat"));
        assert_eq!(dates("she sat on the bench in the sun"), Vec::<&str>::new());
        assert_eq!(dates("come on mon, have a go"), Vec::<&str>::new());
        assert_eq!(dates("meet until 6 pm then"), ["6 pm"]);
        assert_eq!(dates("meet until 6:30 then"), ["6:30"]);
        assert_eq!(dates("at work til 6, pls"), ["6"]);
    }

    #[test]
    fn finds_an_email_and_a_card() {
        let text = "Mail jane.doe@example.com, card 4111 1111 1111 1111 thanks";
        assert_eq!(
            found(text),
            vec![
                (EntityType::Email, "jane.doe@example.com"),
                (EntityType::CreditDebitNumber, "4111 1111 1111 1111")
            ]
        );
    }

    #[test]
    fn rejected_shape_falls_back_to_later_shapes() {
        // "10:30:00" is tried as IPv6 first; the fallback reads it as a time, and must not
        // lose the SSN after it.
        let text = "at 10:30:00 SSN 536-22-1234";
        assert_eq!(
            found(text),
            vec![
                (EntityType::DateTime, "10:30:00"),
                (EntityType::Ssn, "536-22-1234")
            ]
        );
    }

    #[test]
    fn threshold_and_enabled_types_filter() {
        let only_email = PatternDetector::new(PatternConfig {
            enabled: vec![EntityType::Email],
            ..Default::default()
        })
        .unwrap();
        let text = "a@b.co 4111111111111111";
        let d = only_email.detect_text(text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].entity_type, EntityType::Email);

        let strict = PatternDetector::new(PatternConfig {
            threshold: 0.95,
            ..Default::default()
        })
        .unwrap();
        let d = strict.detect_text("see 555-123-4567 or 4111111111111111");
        assert_eq!(
            d.len(),
            1,
            "only the Luhn-validated card reaches 0.95: {d:?}"
        );
    }

    #[test]
    fn invalid_threshold_is_a_config_error() {
        let err = PatternDetector::new(PatternConfig {
            threshold: 1.5,
            ..Default::default()
        })
        .unwrap_err();
        assert!(matches!(err, DetectError::Config(_)));
    }

    #[test]
    fn allow_and_deny_lists() {
        let det = PatternDetector::new(PatternConfig {
            allow_list: vec!["test@example.com".into()],
            deny_list: vec![DenyTerm {
                value: "Project Falcon".into(),
                entity_type: EntityType::Name,
            }],
            ..Default::default()
        })
        .unwrap();
        let text = "test@example.com and real@example.com on Project Falcon, not Project Falconry";
        let got: Vec<_> = det
            .detect_text(text)
            .into_iter()
            .map(|d| (d.entity_type, &text[d.start..d.end]))
            .collect();
        assert_eq!(
            got,
            vec![
                (EntityType::Email, "real@example.com"),
                (EntityType::Name, "Project Falcon")
            ]
        );
    }
}
