//! A bounded set of tokens known to be in the vault, so hot values (the same customer
//! in every record) are not sealed and re-put on every call.
//!
//! Two generations instead of an LRU list: inserts go to `young`; when it is full, it
//! becomes `old` and the previous `old` is dropped. Lookups that hit `old` promote the
//! token. Memory stays under `capacity` entries, and hot tokens survive turnovers.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

use foldhash::fast::RandomState;

/// Keyed by `TokenId` in the deidentifier (type and digest inline: no heap pointer to
/// chase per lookup, no string to clone per insert); by the spelled-out token in tests.
#[derive(Debug)]
pub(crate) struct KnownCache<K = String> {
    capacity_per_generation: usize,
    /// token -> expires_at of the stored item.
    young: HashMap<K, Option<i64>, RandomState>,
    old: HashMap<K, Option<i64>, RandomState>,
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
            young: HashMap::default(),
            old: HashMap::default(),
        }
    }

    /// True if `token` is stored and does not expire before `now`.
    pub(crate) fn contains<Q>(&mut self, token: &Q, now: i64) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let expires_at = match self.young.get(token) {
            Some(e) => *e,
            None => match self.old.remove_entry(token) {
                Some((token, e)) => {
                    self.insert(token, e);
                    e
                }
                None => return false,
            },
        };
        expires_at.is_none_or(|t| t > now)
    }

    pub(crate) fn insert(&mut self, token: K, expires_at: Option<i64>) {
        if self.capacity_per_generation == 0 {
            return;
        }
        if self.young.len() >= self.capacity_per_generation && !self.young.contains_key(&token) {
            // The dropped generation's table, emptied, is the next young one: a fresh
            // table would grow (and rehash) all the way up again.
            let mut recycled = std::mem::take(&mut self.old);
            recycled.clear();
            self.old = std::mem::replace(&mut self.young, recycled);
        }
        if self.young.is_empty() {
            // Sized for a whole generation at its first insert: grown step by step, the
            // table of a run of fresh values rehashed every entry about once more, each a
            // cache miss. Not at construction, since most deidentifiers see few values.
            self.young.reserve(self.capacity_per_generation);
        }
        self.young.insert(token, expires_at);
    }

    pub(crate) fn remove<Q>(&mut self, token: &Q)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.young.remove(token);
        self.old.remove(token);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.young.len() + self.old.len()
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

    #[test]
    fn zero_capacity_disables_the_cache() {
        let mut c = KnownCache::new(0);
        c.insert("A".into(), None);
        assert!(!c.contains("A", 0));
    }
}
