//! A bounded set of tokens known to be in the vault, so hot values (the same customer
//! in every record) are not sealed and re-put on every call.
//!
//! Two generations instead of an LRU list: inserts go to the young one; when it is full,
//! it becomes the old one and the previous old one is dropped. Lookups that hit the old
//! generation promote the token. Memory stays under `capacity` entries, and hot tokens
//! survive turnovers.
//!
//! Both generations share one table, each entry marked with its generation: a fresh
//! value (most values of new customers) is then one missed probe of the table rather
//! than one per generation, and each probe of a table this size is a cache miss.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

use foldhash::fast::RandomState;

/// Keyed by `TokenId` in the deidentifier (type and digest inline: no heap pointer to
/// chase per lookup, no string to clone per insert); by the spelled-out token in tests.
#[derive(Debug)]
pub(crate) struct KnownCache<K = String> {
    capacity_per_generation: usize,
    entries: HashMap<K, Entry, RandomState>,
    /// The young generation's number; the old one is `generation - 1`.
    generation: u64,
    /// Entries of the young generation.
    young: usize,
}

/// How many batches like the first one the table is first sized for.
const FIRST_BATCH_SPREAD: usize = 16;

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// `expires_at` of the stored item; `i64::MAX` for none.
    expires_at: i64,
    generation: u64,
}

#[cfg(test)]
impl KnownCache<String> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self::with_capacity(capacity)
    }
}

impl<K: Hash + Eq> KnownCache<K> {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity_per_generation: capacity / 2,
            entries: HashMap::default(),
            generation: 1,
            young: 0,
        }
    }

    /// True if `token` is stored and does not expire before `now`.
    pub(crate) fn contains<Q>(&mut self, token: &Q, now: i64) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let young = self.generation;
        let Some(entry) = self.entries.get_mut(token) else {
            return false;
        };
        let expires_at = entry.expires_at;
        if entry.generation != young {
            entry.generation = young;
            self.counted_young();
        }
        expires_at > now
    }

    pub(crate) fn insert(&mut self, token: K, expires_at: Option<i64>) {
        if self.capacity_per_generation == 0 {
            return;
        }
        let entry = Entry {
            expires_at: expires_at.unwrap_or(i64::MAX),
            generation: self.generation,
        };
        let was_young = self
            .entries
            .insert(token, entry)
            .is_some_and(|e| e.generation == entry.generation);
        if !was_young {
            self.counted_young();
        }
    }

    /// Makes room for a batch of `n` inserts at once, so a batch rehashes the table at
    /// most once. The first batch sizes it for `FIRST_BATCH_SPREAD` batches like it (all of
    /// both generations for a bulk import of fresh values, whose table grown step by step
    /// rehashes every entry about once more, each a cache miss); a run of few values gets
    /// a table of its size, since each page of the table is a page fault the first time
    /// an insert lands on it.
    pub(crate) fn reserve_for(&mut self, n: usize) {
        let room = (2 * self.capacity_per_generation).saturating_sub(self.entries.len());
        let wanted = if self.entries.is_empty() {
            n.saturating_mul(FIRST_BATCH_SPREAD)
        } else {
            n
        };
        self.entries.reserve(wanted.min(room));
    }

    /// One more entry is young: a full young generation turns over, becoming the old one,
    /// and the entries of the old one are dropped.
    fn counted_young(&mut self) {
        self.young += 1;
        if self.young >= self.capacity_per_generation {
            self.generation += 1;
            self.young = 0;
            let old = self.generation - 1;
            self.entries.retain(|_, e| e.generation >= old);
        }
    }

    pub(crate) fn remove<Q>(&mut self, token: &Q)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(entry) = self.entries.remove(token)
            && entry.generation == self.generation
        {
            self.young -= 1;
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_forgets_and_stays_bounded() {
        let mut c = KnownCache::new(4);
        for i in 0..100 {
            c.insert(format!("T{i}"), None);
            assert!(c.len() <= 4);
        }
        assert!(c.contains("T99", 0));
        assert!(!c.contains("T0", 0));
        c.remove("T99");
        assert!(!c.contains("T99", 0));
    }

    #[test]
    fn hot_tokens_survive_turnover() {
        let mut c = KnownCache::new(4);
        c.insert("HOT".into(), None);
        for i in 0..50 {
            assert!(c.contains("HOT", 0), "lost at {i}");
            c.insert(format!("T{i}"), None);
        }
    }

    #[test]
    fn expired_entries_do_not_count() {
        let mut c = KnownCache::new(4);
        c.insert("A".into(), Some(10));
        assert!(c.contains("A", 9));
        assert!(!c.contains("A", 10));
    }

    /// What the generations promise, against a model of two separate tables: a token is
    /// found while it is in one of the last two generations, and no more than `capacity`
    /// tokens are held.
    #[test]
    fn promoted_and_reinserted_tokens_stay_while_fresh_ones_turn_over() {
        let mut c = KnownCache::new(6);
        c.insert("A".into(), None);
        c.insert("B".into(), Some(5));
        for i in 0..30 {
            assert!(c.contains("A", 0), "A lost at {i}");
            if i % 2 == 0 {
                c.insert("B".into(), Some(5));
            }
            c.insert(format!("T{i}"), None);
            assert!(c.len() <= 6, "{} held at {i}", c.len());
        }
        assert!(c.contains("B", 4) && !c.contains("B", 5));
        assert!(c.contains("T29", 0) && !c.contains("T20", 0));
        c.remove("A");
        assert!(!c.contains("A", 0));
        for i in 0..10 {
            c.insert(format!("U{i}"), None);
            assert!(c.len() <= 6);
        }
    }

    #[test]
    fn a_first_batch_of_few_values_gets_a_table_of_its_size() {
        let mut c = KnownCache::new(400_000);
        c.reserve_for(10);
        let held = c.entries.capacity();
        assert!((10..1_000).contains(&held), "room for {held}");
        for i in 0..10 {
            c.insert(format!("T{i}"), None);
        }
        assert_eq!(c.entries.capacity(), held, "a reserved batch rehashed");
    }

    #[test]
    fn a_bulk_first_batch_sizes_the_table_for_both_generations_at_once() {
        let mut c = KnownCache::new(400_000);
        c.reserve_for(50_000);
        let held = c.entries.capacity();
        assert!(held >= 400_000, "room for {held}");
        for i in 0..100_000 {
            c.insert(format!("T{i}"), None);
        }
        c.reserve_for(100_000);
        assert_eq!(c.entries.capacity(), held, "grown past both generations");
    }

    #[test]
    fn zero_capacity_disables_the_cache() {
        let mut c = KnownCache::new(0);
        c.insert("A".into(), None);
        assert!(!c.contains("A", 0));
    }
}
