//! The embedded lexicon: given names and surnames (US Census 1990), cities, countries and
//! regions (GeoNames), common English words (SCOWL) and hand-written cue and suffix lists,
//! packed by build.rs into one fst map from a lower-cased word or phrase to its flags.

use std::cell::RefCell;
use std::sync::OnceLock;

use super::flags;

static BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.fst"));

pub(crate) struct Lexicon {
    map: fst::Map<&'static [u8]>,
}

impl Lexicon {
    pub(crate) fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| Lexicon {
            map: fst::Map::new(BYTES).expect("build.rs writes a valid fst"),
        })
    }

    /// Flags of `word` (any case); `buf` is scratch space for the lower-cased key.
    /// Capitalised words repeat ("The", "Our", the people of a thread), so answers are
    /// kept per thread in a direct-mapped table of short words: one hash and two word-sized
    /// compares cost a fraction of a walk through the fst.
    pub(crate) fn lookup(&self, word: &str, buf: &mut String) -> Flags {
        thread_local! {
            static RECENT: RefCell<RecentWords> = RefCell::new(RecentWords::new());
        }
        let Some(key) = SlotKey::of(word) else {
            return self.lookup_uncached(word, buf);
        };
        if let Some(f) = RECENT.with_borrow(|r| r.get(&key)) {
            return f;
        }
        let f = self.lookup_uncached(word, buf);
        RECENT.with_borrow_mut(|r| r.put(key, f));
        f
    }

    fn lookup_uncached(&self, word: &str, buf: &mut String) -> Flags {
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
        if let Some(f) = self.map.get(buf.as_bytes()) {
            return Flags(f);
        }
        // "I'll", "we've": the word before the contraction.
        if let Some((head, tail)) = buf.split_once('\'')
            && matches!(tail, "ll" | "ve" | "re" | "d" | "m" | "t" | "s")
        {
            return Flags(self.map.get(head.as_bytes()).unwrap_or(0));
        }
        Flags(0)
    }

    /// Flags of a phrase whose words are already lower-cased and joined by single spaces.
    pub(crate) fn lookup_lower(&self, phrase: &str) -> Flags {
        Flags(self.map.get(phrase.as_bytes()).unwrap_or(0))
    }
}

/// A word of up to 16 bytes, zero-padded: the key of a [`RecentWords`] slot.
#[derive(Clone, Copy, PartialEq, Eq)]
struct SlotKey {
    bytes: [u64; 2],
    len: u8,
}

impl SlotKey {
    fn of(word: &str) -> Option<Self> {
        let b = word.as_bytes();
        if b.is_empty() || b.len() > 16 {
            return None;
        }
        let mut padded = [0u8; 16];
        padded[..b.len()].copy_from_slice(b);
        Some(Self {
            bytes: [
                u64::from_le_bytes(padded[..8].try_into().expect("eight bytes")),
                u64::from_le_bytes(padded[8..].try_into().expect("eight bytes")),
            ],
            len: b.len() as u8,
        })
    }

    fn slot(&self) -> usize {
        let h = (self.bytes[0] ^ self.bytes[1].rotate_left(29) ^ u64::from(self.len))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> (64 - RECENT_BITS)) as usize
    }
}

const RECENT_BITS: u32 = 13;

/// The lexicon's answers for recently seen short words; a new word evicts the one in its
/// slot.
struct RecentWords {
    slots: Box<[Option<(SlotKey, Flags)>]>,
}

impl RecentWords {
    fn new() -> Self {
        Self {
            slots: vec![None; 1 << RECENT_BITS].into_boxed_slice(),
        }
    }

    fn get(&self, key: &SlotKey) -> Option<Flags> {
        match self.slots[key.slot()] {
            Some((k, f)) if k == *key => Some(f),
            _ => None,
        }
    }

    fn put(&mut self, key: SlotKey, flags: Flags) {
        self.slots[key.slot()] = Some((key, flags));
    }
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
        self.0 & !flags::PLACE_PREFIX == 0
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
    fn non_ascii_keys_are_lower_cased() {
        assert!(flags("MÜNCHEN").city() > 0 || flags("München").city() > 0);
        assert_eq!(flags("O\u{2019}BRIEN"), flags("o'brien"));
    }
}
