//! The embedded lexicon: given names and surnames (US Census 1990), cities, countries and
//! regions (GeoNames), common English words (SCOWL) and hand-written cue and suffix lists,
//! packed by build.rs into one fst map from a lower-cased word or phrase to its flags.

use std::cell::RefCell;
use std::sync::OnceLock;

use super::flags;

static BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.fst"));

thread_local! {
    /// Answers for short words, per thread (see [`Lexicon::lookup`]). Initialised by a
    /// constant, so that reaching it costs no call to a lazy initialiser on every lookup;
    /// its table is allocated by the first answer kept.
    static SHORT: RefCell<ShortWords<Flags>> = const { RefCell::new(ShortWords::new()) };
}

pub(crate) struct Lexicon {
    map: fst::Map<&'static [u8]>,
    starts: Starts,
}

impl Lexicon {
    pub(crate) fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            let map = fst::Map::new(BYTES).expect("build.rs writes a valid fst");
            let starts = Starts::new(map.as_fst());
            Lexicon { map, starts }
        })
    }

    /// The value of `key` in the fst, as `fst::Map::get` finds it.
    fn value(&self, key: &[u8]) -> Option<u64> {
        let mut walk = self.phrase_walk();
        walk.read(key, |b| b).then(|| walk.value()).flatten()
    }

    /// Flags of `word` (any case); `buf` is scratch space for the lower-cased key.
    /// Capitalised words repeat ("The", "Our", the people of a thread), so answers for
    /// words of up to 15 bytes, nearly all that are asked about, are kept per thread in a
    /// direct-mapped table keyed by their bytes: a probe costs a fraction of a walk
    /// through the fst, and hashes or compares no string.
    #[inline]
    pub(crate) fn lookup(&self, word: &str, buf: &mut String) -> Flags {
        self.lookup_bytes(word.as_bytes(), buf)
    }

    /// [`Self::lookup`] of a word given as the bytes of a text between two char
    /// boundaries: the first pass reads a text as bytes, and a kept answer is found by
    /// the bytes alone, with no check that they slice the text as a `str`.
    #[inline]
    pub(crate) fn lookup_bytes(&self, word: &[u8], buf: &mut String) -> Flags {
        let Some(key) = ShortKey::of(word) else {
            return self.lookup_uncached(text_word(word), buf);
        };
        match SHORT.with_borrow(|t| t.get(key)) {
            Some(f) => f,
            None => self.lookup_and_keep(key, text_word(word), buf),
        }
    }

    /// Out of line, so that a cached answer costs its callers no spilled registers.
    #[cold]
    #[inline(never)]
    fn lookup_and_keep(&self, key: ShortKey, word: &str, buf: &mut String) -> Flags {
        let f = self.lookup_uncached(word, buf);
        SHORT.with_borrow_mut(|t| t.put(key, f));
        f
    }

    // Out of line: the cached path stays small enough to need no register spills.
    #[cold]
    #[inline(never)]
    fn lookup_uncached(&self, word: &str, buf: &mut String) -> Flags {
        // An ASCII word with no contraction is its own key once lower-cased, and has no
        // other spelling to try: read into the fst as it is, without a copy, as far as any
        // key goes.
        if word.is_ascii() && !word.contains('\'') {
            let mut walk = self.phrase_walk();
            return Flags(
                walk.read_lower(word.as_bytes())
                    .then(|| walk.value())
                    .flatten()
                    .unwrap_or(0),
            );
        }
        buf.clear();
        if word.is_ascii() {
            buf.push_str(word);
            buf.make_ascii_lowercase();
        } else {
            for c in word.chars() {
                match c {
                    '\u{2019}' => buf.push('\''),
                    c => buf.extend(c.to_lowercase()),
                }
            }
        }
        if let Some(f) = self.value(buf.as_bytes()) {
            return Flags(f);
        }
        // Lower-case words of other languages fold into too many names ("gửi" is "gui").
        if word.starts_with(char::is_uppercase)
            && let Some(f) = self.folded(buf)
        {
            return f;
        }
        // "I'll", "we've": the word before the contraction.
        if let Some((head, tail)) = buf.split_once('\'')
            && matches!(tail, "ll" | "ve" | "re" | "d" | "m" | "t" | "s")
        {
            return Flags(self.value(head.as_bytes()).unwrap_or(0));
        }
        Flags(0)
    }

    /// Flags of a phrase whose words are already lower-cased and joined by single spaces.
    /// The same few phrases (a person's two names) are asked about again and again, and
    /// a walk through the fst costs well over a thousand instructions: answers for phrases
    /// of up to 31 bytes are kept per thread like those for short words.
    pub(crate) fn lookup_lower(&self, phrase: &str) -> Flags {
        thread_local! {
            static PHRASES: RefCell<Phrases> = const { RefCell::new(Phrases::new()) };
        }
        let Some(key) = Phrases::key(phrase) else {
            return self.phrase_uncached(phrase);
        };
        if let Some(f) = PHRASES.with_borrow(|t| t.get(&key)) {
            return f;
        }
        let f = self.phrase_uncached(phrase);
        PHRASES.with_borrow_mut(|t| t.put(key, f));
        f
    }
}

impl Lexicon {
    /// A walk from the start of every listed word and phrase (see [`PhraseWalk`]).
    pub(crate) fn phrase_walk(&self) -> PhraseWalk<'_> {
        PhraseWalk {
            lexicon: self,
            node: self.map.as_fst().root(),
            out: fst::raw::Output::zero(),
            at_root: true,
        }
    }

    fn phrase_uncached(&self, phrase: &str) -> Flags {
        match self.value(phrase.as_bytes()) {
            Some(f) => Flags(f),
            None => self.folded(phrase).unwrap_or(Flags(0)),
        }
    }

    /// The flags of a lower-cased word or phrase with letters outside ASCII, looked up
    /// again spelled in ASCII: the lists keep most places and many names only so.
    #[cold]
    fn folded(&self, lower: &str) -> Option<Flags> {
        if lower.is_ascii() {
            return None;
        }
        let mut plain = String::with_capacity(lower.len());
        if !super::fold::fold_into(lower, &mut plain) {
            return None;
        }
        let plain = Flags(self.map.get(plain.as_bytes())?);
        // Only what the lists say of names and places carries over: a word with marks is
        // no English word nor one of the hand-written words ("Lê" is not "le"). A name
        // the lists barely know reads better as the foreign word it is, and a name so
        // spelled is the name, not the place the plain spelling also is ("Sofía").
        let strong = |strength: u8, shift: u32| {
            if strength >= 2 {
                u64::from(strength) << shift
            } else {
                0
            }
        };
        let names = strong(plain.given(), flags::GIVEN_SHIFT)
            | strong(plain.surname(), flags::SURNAME_SHIFT);
        let places = if names == 0 {
            plain.0 & (flags::PLACE | flags::LOCALITY | flags::PLACE_PREFIX)
        } else {
            0
        };
        Some(Flags(names | places))
    }
}

/// A lower-cased phrase read into the fst a few bytes at a time: a phrase one word longer
/// than the last costs only the bytes of its new word, and the reading stops where no
/// listed phrase goes on, so that the longer phrases need no lookup at all.
#[derive(Clone, Copy)]
pub(crate) struct PhraseWalk<'l> {
    lexicon: &'l Lexicon,
    node: fst::raw::Node<'l>,
    out: fst::raw::Output,
    /// Nothing read yet: the first two bytes are looked up in [`Starts`].
    at_root: bool,
}

impl PhraseWalk<'_> {
    /// Reads `bytes` on, lower-casing ASCII letters; false when no listed word or phrase
    /// starts with what has been read, after which the walk reads nothing more.
    pub(crate) fn read_lower(&mut self, bytes: &[u8]) -> bool {
        self.read(bytes, |b| b.to_ascii_lowercase())
    }

    #[inline]
    fn read(&mut self, mut bytes: &[u8], map: impl Fn(u8) -> u8) -> bool {
        if self.at_root
            && let [b0, b1, rest @ ..] = bytes
        {
            let Some((addr, out)) = self.lexicon.starts.after(map(*b0), map(*b1)) else {
                return false;
            };
            self.node = self.lexicon.map.as_fst().node(addr);
            self.out = out;
            self.at_root = false;
            bytes = rest;
        }
        for &b in bytes {
            let Some(k) = self.node.find_input(map(b)) else {
                return false;
            };
            let t = self.node.transition(k);
            self.out = self.out.cat(t.out);
            self.node = self.lexicon.map.as_fst().node(t.addr);
            self.at_root = false;
        }
        true
    }

    /// Reads a phrase's first word as [`Self::read_lower`] does, on a walk that has read
    /// nothing. Phrases start at the same few words (the names of a text, the places), so
    /// where a walk of a word of up to 15 bytes ends is kept per thread, like the flags of
    /// short words, and not walked again.
    pub(crate) fn read_first_word(&mut self, word: &str) -> bool {
        thread_local! {
            static FIRST_WORDS: RefCell<ShortWords<WalkEnd>> = const { RefCell::new(ShortWords::new()) };
        }
        let Some(key) = ShortKey::of(word.as_bytes()) else {
            return self.read_lower(word.as_bytes());
        };
        let Some(end) = FIRST_WORDS.with_borrow(|t| t.get(key)) else {
            let read = self.read_lower(word.as_bytes());
            let end = read.then(|| (self.node.addr(), self.out.value()));
            FIRST_WORDS.with_borrow_mut(|t| t.put(key, end));
            return read;
        };
        let Some((addr, out)) = end else {
            return false;
        };
        self.node = self.lexicon.map.as_fst().node(addr);
        self.out = fst::raw::Output::new(out);
        self.at_root = false;
        true
    }

    /// The value of the phrase read so far, if the lexicon lists it as it is spelled.
    fn value(&self) -> Option<u64> {
        self.node
            .is_final()
            .then(|| self.out.cat(self.node.final_output()).value())
    }

    /// Flags of the phrase read so far, if the lexicon lists it as it is spelled.
    pub(crate) fn flags(&self) -> Flags {
        Flags(self.value().unwrap_or(0))
    }
}

/// Where a walk through the fst stands after each first two bytes of a key. The nodes near
/// the root have the most transitions, which the fst searches one by one; past them most
/// nodes have one or a few.
struct Starts {
    /// By the first byte times 256 plus the second: one more than the index in `nodes`,
    /// 0 where no key starts so.
    index: Vec<u32>,
    nodes: Vec<(fst::raw::CompiledAddr, fst::raw::Output)>,
}

impl Starts {
    fn new(fst: &fst::raw::Fst<&'static [u8]>) -> Self {
        let mut index = vec![0; 1 << 16];
        let mut nodes = Vec::new();
        for first in fst.root().transitions() {
            for second in fst.node(first.addr).transitions() {
                nodes.push((second.addr, first.out.cat(second.out)));
                index[usize::from(first.inp) << 8 | usize::from(second.inp)] = nodes.len() as u32;
            }
        }
        Self { index, nodes }
    }

    #[inline]
    fn after(&self, b0: u8, b1: u8) -> Option<(fst::raw::CompiledAddr, fst::raw::Output)> {
        let k = self.index[usize::from(b0) << 8 | usize::from(b1)];
        k.checked_sub(1).map(|k| self.nodes[k as usize])
    }
}

/// Answers for phrases of up to 31 bytes, keyed by the bytes themselves (with the length
/// in the last byte, so no key is all zero, the empty slot's).
struct Phrases {
    /// Empty until the first answer is kept.
    slots: Vec<([u64; 4], u64)>,
}

impl Phrases {
    const BITS: u32 = 11;

    const fn new() -> Self {
        Self { slots: Vec::new() }
    }

    fn key(phrase: &str) -> Option<[u64; 4]> {
        let b = phrase.as_bytes();
        if b.is_empty() || b.len() > 31 {
            return None;
        }
        let mut bytes = [0u8; 32];
        bytes[..b.len()].copy_from_slice(b);
        bytes[31] = b.len() as u8;
        Some(std::array::from_fn(|i| {
            u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().expect("eight bytes"))
        }))
    }

    fn slot(key: &[u64; 4]) -> usize {
        let folded =
            key[0] ^ key[1].rotate_left(17) ^ key[2].rotate_left(31) ^ key[3].rotate_left(47);
        (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::BITS)) as usize
    }

    fn get(&self, key: &[u64; 4]) -> Option<Flags> {
        let (k, f) = self.slots.get(Self::slot(key))?;
        (k == key).then_some(Flags(*f))
    }

    fn put(&mut self, key: [u64; 4], f: Flags) {
        if self.slots.is_empty() {
            self.slots = vec![([0; 4], 0); 1 << Self::BITS];
        }
        self.slots[Self::slot(&key)] = (key, f.0);
    }
}

/// Where a walk through the fst ends after a first word: a node and the output of the path
/// to it, `None` for a word no key starts with.
type WalkEnd = Option<(fst::raw::CompiledAddr, u64)>;

/// Answers for words of up to 15 bytes (a word's flags, where a walk of it ends), keyed by
/// the bytes themselves: the first and last eight (or four) of them, which overlap and so
/// hold every byte, and the length.
struct ShortWords<V> {
    /// Empty until the first answer is kept.
    slots: Vec<(ShortKey, V)>,
}

/// A word's bytes read in two loads, not copied byte by byte; `len` is never 0 for a
/// word, so the empty slot's key matches none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ShortKey {
    head: u64,
    tail: u64,
    len: u64,
}

impl ShortKey {
    fn of(b: &[u8]) -> Option<ShortKey> {
        let n = b.len();
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes")) as u64;
        let (head, tail) = match n {
            0 | 16.. => return None,
            8.. => (u64_at(0), u64_at(n - 8)),
            4.. => (u32_at(0), u32_at(n - 4)),
            _ => (
                b[0] as u64 | (b[n / 2] as u64) << 8 | (b[n - 1] as u64) << 16,
                0,
            ),
        };
        Some(ShortKey {
            head,
            tail,
            len: n as u64,
        })
    }

    fn slot(self) -> usize {
        let folded = self.head ^ self.tail.rotate_left(29) ^ self.len.rotate_left(53);
        (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SHORT_WORDS_BITS)) as usize
    }
}

const SHORT_WORDS_BITS: u32 = 13;

impl<V: Copy + Default> ShortWords<V> {
    const fn new() -> Self {
        Self { slots: Vec::new() }
    }

    fn get(&self, key: ShortKey) -> Option<V> {
        let &(k, v) = self.slots.get(key.slot())?;
        (k == key).then_some(v)
    }

    fn put(&mut self, key: ShortKey, v: V) {
        if self.slots.is_empty() {
            self.slots = vec![(ShortKey::default(), V::default()); 1 << SHORT_WORDS_BITS];
        }
        self.slots[key.slot()] = (key, v);
    }
}

/// The word `bytes` cut from a text at char boundaries, as a `str`. Out of line: asked
/// only when an answer is not kept.
#[cold]
#[inline(never)]
fn text_word(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("a word is cut from a text at char boundaries")
}

/// What the lexicon knows about one word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Flags(pub(crate) u64);

impl Flags {
    pub(crate) fn has(self, flag: u64) -> bool {
        self.0 & flag != 0
    }

    pub(crate) fn given(self) -> u8 {
        ((self.0 >> flags::GIVEN_SHIFT) & flags::STRENGTH_MASK) as u8
    }

    pub(crate) fn surname(self) -> u8 {
        ((self.0 >> flags::SURNAME_SHIFT) & flags::STRENGTH_MASK) as u8
    }

    pub(crate) fn city(self) -> u8 {
        ((self.0 >> flags::CITY_SHIFT) & flags::STRENGTH_MASK) as u8
    }

    pub(crate) fn is_place(self) -> bool {
        self.has(flags::PLACE)
    }

    /// In no list at all: an unknown capitalised word is most often a proper noun.
    pub(crate) fn unknown(self) -> bool {
        self.0 & !(flags::PLACE_PREFIX | flags::LOCALITY | flags::ORG_PREFIX) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::flags::*;

    fn flags(word: &str) -> Flags {
        Lexicon::get().lookup(word, &mut String::new())
    }

    #[test]
    fn names_places_and_words_are_known() {
        assert_eq!(flags("James").given(), 3);
        assert_eq!(flags("SMITH").surname(), 3);
        assert!(flags("Carrillo").surname() > 0);
        assert_eq!(flags("london").city(), 3);
        assert!(flags("Norway").has(COUNTRY));
        assert!(flags("the").has(COMMON | NOT_NAME));
        assert!(flags("street").has(STREET));
        assert!(flags("porto").has(PLACE_PREFIX));
        assert!(Lexicon::get().lookup_lower("porto alegre").city() > 0);
        assert!(flags("Zxqvbnm").unknown());
    }

    #[test]
    fn biographies_add_names_the_other_lists_lack() {
        for name in ["Rajesh", "Olusegun", "Nkechi", "Oksana"] {
            assert!(flags(name).given() > 0, "{name}");
        }
        // A surname-first title ("Park Ji-eun") gives neither role to the wrong word.
        assert!(flags("Ji-eun").given() > 0);
        assert_eq!(flags("Ji-eun").surname(), 0);
        // English words and places keep what the other lists say.
        assert_eq!(flags("the").given(), 0);
        assert_eq!(flags("Lagos").given(), 0);
    }

    #[test]
    fn phrases_answer_the_same_from_the_cache() {
        let lexicon = Lexicon::get();
        let long = "a phrase of more than thirty-one bytes in all";
        for phrase in [
            "porto alegre",
            "new york",
            "zxq vbn",
            "",
            long,
            "porto alegr",
            "é ü",
        ] {
            let want = Flags(lexicon.map.get(phrase.as_bytes()).unwrap_or(0));
            // Asked twice: once from the fst, once from the cache.
            assert_eq!(lexicon.lookup_lower(phrase), want, "{phrase:?}");
            assert_eq!(lexicon.lookup_lower(phrase), want, "{phrase:?}");
        }
        assert!(lexicon.lookup_lower("porto alegre").city() > 0);
        // Keys of one length that differ in their last bytes are different keys.
        assert_ne!(Phrases::key("porto alegre"), Phrases::key("porto alegrf"));
        assert_eq!(Phrases::key(long), None);
    }

    #[test]
    fn short_words_answer_the_same_from_the_cache() {
        let lexicon = Lexicon::get();
        let words = [
            "a",
            "I",
            "Jo",
            "Ann",
            "Dana",
            "Smith",
            "London",
            "Carrillo",
            "Christopher",
            "Bartholomewsky",
            "Marszałkowska",
            "aaaaaaaaa",
            "aaaaaaaaaa",
            "abcdabcd",
            "abcdbcd",
            "The",
            "THE",
            "Zxqvbnm",
            "Straße",
            "sixteen-letters!",
        ];
        for word in words {
            let want = lexicon.lookup_uncached(word, &mut String::new());
            // Asked twice: once from the fst, once from the cache.
            assert_eq!(lexicon.lookup(word, &mut String::new()), want, "{word:?}");
            assert_eq!(lexicon.lookup(word, &mut String::new()), want, "{word:?}");
        }
        // Words whose first and last bytes agree differ by their length or middle.
        let mut keys: Vec<ShortKey> = words
            .iter()
            .filter_map(|w| ShortKey::of(w.as_bytes()))
            .collect();
        let all = keys.len();
        keys.sort_by_key(|k| (k.head, k.tail, k.len));
        keys.dedup();
        assert_eq!(keys.len(), all);
        assert_eq!(ShortKey::of(b""), None);
        assert_eq!(ShortKey::of(b"sixteen-letters!"), None);
        assert_ne!(ShortKey::of(b"aba"), ShortKey::of(b"aaa"));
    }

    #[test]
    fn walks_find_what_the_map_finds() {
        let lexicon = Lexicon::get();
        let keys = "|a|i|x|ab|zz|the|james|porto alegre|new york|wells fargo|marks & spencer|\
                    zxqvbnm|1st|49ers|münchen|é|o'brien|porto alegr|\u{FF}\u{FF}";
        for key in keys.split('|') {
            let want = lexicon.map.get(key.as_bytes());
            assert_eq!(lexicon.value(key.as_bytes()), want, "{key:?}");
            // Twice: once walked, once from where the first walk ended.
            for _ in 0..2 {
                let mut walk = lexicon.phrase_walk();
                let read = walk.read_first_word(&key.to_uppercase()) && key.is_ascii();
                assert_eq!(
                    read.then(|| walk.value()).flatten(),
                    want.filter(|_| key.is_ascii()),
                    "{key:?}"
                );
            }
        }
    }

    #[test]
    fn non_ascii_keys_are_lower_cased() {
        assert!(flags("MÜNCHEN").city() > 0 || flags("München").city() > 0);
        assert_eq!(flags("O\u{2019}BRIEN"), flags("o'brien"));
    }
}

/// For error analysis: what the lexicon says of some words,
/// `WORDS=Basel,Denver cargo test -p detect --lib dump_words -- --ignored --nocapture`.
#[cfg(test)]
mod dump {
    #[test]
    #[ignore]
    fn dump_words() {
        let names = [
            ("COMMON", super::flags::COMMON),
            ("COUNTRY", super::flags::COUNTRY),
            ("REGION", super::flags::REGION),
            ("PREFIX", super::flags::PLACE_PREFIX),
            ("ORG_PREFIX", super::flags::ORG_PREFIX),
            ("NOT_NAME", super::flags::NOT_NAME),
            ("TEMPORAL", super::flags::TEMPORAL),
            ("ORG", super::flags::ORG),
            ("STREET", super::flags::STREET),
            ("PLACE_CUE", super::flags::PLACE_CUE),
            ("PERSON_CUE", super::flags::PERSON_CUE),
            ("WEAK_CUE", super::flags::WEAK_CUE),
            ("EURO_STREET", super::flags::EURO_STREET),
            ("PARTICLE", super::flags::PARTICLE),
            ("UNIT", super::flags::UNIT),
            ("LOCALITY", super::flags::LOCALITY),
        ];
        for w in std::env::var("WORDS").unwrap_or_default().split(',') {
            let f = super::Lexicon::get().lookup(w, &mut String::new());
            let set: Vec<&str> = names.iter().filter(|n| f.has(n.1)).map(|n| n.0).collect();
            println!(
                "{w}: given {} surname {} city {} {:?}",
                f.given(),
                f.surname(),
                f.city(),
                set
            );
        }
    }
}
