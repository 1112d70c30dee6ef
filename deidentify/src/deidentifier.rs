//! Tokenize values into the vault, reveal tokens, erase them.

use std::borrow::Cow;
use std::collections::HashSet;

use foldhash::fast::RandomState;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use detect::EntityType;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::batch_tokens::BatchTokens;
use crate::known_cache::KnownCache;
use crate::seal::{Opener, Sealer, random_nonces};
use crate::token::TokenId;
use crate::{
    CanonicalForms, Keyring, PutOutcome, Tokenizer, VaultError, VaultItem, VaultStore, parse_token,
};

/// Tokens remembered as stored; about 50 bytes each.
pub const DEFAULT_KNOWN_CACHE_CAPACITY: usize = 400_000;

type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// Tokens and sealed vault items of one batch, between [`Deidentifier::prepare`] and
/// [`Deidentifier::store`]. Holds ciphertext, never an original.
pub struct PreparedTokens {
    now: i64,
    ids: Vec<TokenId>,
    tokens: Vec<String>,
    /// Indexes (into the values) of the first occurrence of each token to put.
    pending: Vec<usize>,
    /// The sealed item of each of `pending`, in the same order.
    items: Vec<VaultItem>,
}

impl fmt::Debug for PreparedTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedTokens")
            .field("values", &self.ids.len())
            .field("to_store", &self.items.len())
            .finish_non_exhaustive()
    }
}

pub struct Deidentifier {
    keyring: Arc<dyn Keyring>,
    store: Arc<dyn VaultStore>,
    tokenizer: Tokenizer,
    ttl: Option<i64>,
    known: Mutex<KnownCache<TokenId>>,
    clock: Clock,
}

impl Deidentifier {
    /// Default canonical forms, no TTL, the wall clock.
    pub fn new(keyring: Arc<dyn Keyring>, store: Arc<dyn VaultStore>) -> Self {
        let tokenizer = Tokenizer::from_keyring(&*keyring, CanonicalForms::default());
        Self {
            keyring,
            store,
            tokenizer,
            ttl: None,
            known: Mutex::new(KnownCache::with_capacity(DEFAULT_KNOWN_CACHE_CAPACITY)),
            clock: Arc::new(unix_now),
        }
    }

    pub fn with_forms(mut self, forms: CanonicalForms) -> Self {
        self.tokenizer = Tokenizer::from_keyring(&*self.keyring, forms);
        self
    }

    /// Items written from now on expire `ttl` seconds after they are written.
    pub fn with_ttl(mut self, ttl: Option<i64>) -> Self {
        self.ttl = ttl;
        self
    }

    /// How many tokens to remember as stored (0 disables the cache: every call puts).
    pub fn with_cache_capacity(mut self, capacity: usize) -> Self {
        self.known = Mutex::new(KnownCache::with_capacity(capacity));
        self
    }

    /// Unix seconds; for tests of expiry.
    pub fn with_clock(mut self, clock: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    pub fn forms(&self) -> &CanonicalForms {
        self.tokenizer.forms()
    }

    /// The token `value` gets, without touching the vault.
    pub fn token_for(&self, t: EntityType, value: &str) -> String {
        self.tokenizer.token(t, value)
    }

    /// Tokens for `values`, in order, with every original stored in the vault.
    ///
    /// The vault keeps the ORIGINAL spelling (the first one seen for a token), so a
    /// reveal restores it exactly. A token already in the vault must hold a value with
    /// the same canonical form; otherwise this is `VaultError::Collision` and the stored
    /// item is left as it was. Safe to retry: writes are put-if-absent.
    pub async fn tokenize(&self, values: &[(EntityType, &str)]) -> Result<Vec<String>, VaultError> {
        let prepared = self.prepare(values)?;
        self.store(prepared, values).await
    }

    /// The part of [`tokenize`](Self::tokenize) that needs no vault: the tokens (HMAC)
    /// and the sealed items of the values not known to be stored. Runs on any thread, in
    /// parallel with other batches; [`store`](Self::store) then writes them.
    pub fn prepare(&self, values: &[(EntityType, &str)]) -> Result<PreparedTokens, VaultError> {
        let now = (self.clock)();
        let BatchTokens {
            ids,
            tokens,
            computed,
        } = BatchTokens::new(&self.tokenizer, values);

        // First occurrence of each token not already known to be stored. A token taken
        // from an earlier value of the batch was seen with that value.
        let mut pending = Vec::new();
        {
            let mut known = self.known();
            let mut seen = HashSet::with_capacity_and_hasher(ids.len(), RandomState::default());
            for (i, id) in ids.iter().enumerate() {
                if computed[i] && seen.insert(id) && !known.contains(id, now) {
                    pending.push(i);
                }
            }
        }
        let items = if pending.is_empty() {
            Vec::new()
        } else {
            let mut sealer = Sealer::new(&*self.keyring);
            let mut items = Vec::with_capacity(pending.len());
            for (&i, nonce) in pending.iter().zip(random_nonces(pending.len())?) {
                let (t, v) = values[i];
                items.push(sealer.seal(&tokens[i], t, v, nonce, now, self.ttl)?);
            }
            items
        };
        Ok(PreparedTokens {
            now,
            ids,
            tokens,
            pending,
            items,
        })
    }

    /// Writes the sealed items of `prepared` (made by [`prepare`](Self::prepare) from the
    /// same `values`) and answers the tokens. Batches stored in input order leave the
    /// vault as [`tokenize`](Self::tokenize) called in that order would: the first
    /// spelling of a value is the one kept.
    pub async fn store(
        &self,
        prepared: PreparedTokens,
        values: &[(EntityType, &str)],
    ) -> Result<Vec<String>, VaultError> {
        if prepared.ids.len() != values.len() {
            return Err(VaultError::Storage(format!(
                "{} values stored for {} prepared",
                values.len(),
                prepared.ids.len()
            )));
        }
        self.store_with(prepared, || Ok(values.to_vec())).await
    }

    /// [`store`](Self::store) with the values gathered only if the vault answers that a
    /// token is there already (to compare the value it holds): a batch of fresh values
    /// is written without walking its values a second time. `values` must answer what
    /// `prepare` was given.
    pub async fn store_with<'v>(
        &self,
        prepared: PreparedTokens,
        values: impl FnOnce() -> Result<Vec<(EntityType, &'v str)>, VaultError>,
    ) -> Result<Vec<String>, VaultError> {
        let PreparedTokens {
            now,
            ids,
            tokens,
            mut pending,
            mut items,
        } = prepared;
        // A batch stored since `prepare` may have written some of these values already.
        {
            let mut known = self.known();
            let keep: Vec<bool> = pending
                .iter()
                .map(|&i| !known.contains(&ids[i], now))
                .collect();
            if keep.contains(&false) {
                let mut flags = keep.iter();
                pending.retain(|_| *flags.next().expect("one flag per item"));
                let mut flags = keep.iter();
                items.retain(|_| *flags.next().expect("one flag per item"));
            }
        }
        if pending.is_empty() {
            return Ok(tokens);
        }

        let expiries: Vec<Option<i64>> = items.iter().map(|i| i.expires_at).collect();
        let outcomes = self.store.put_if_absent(items).await?;
        if outcomes.len() != pending.len() {
            return Err(VaultError::Storage(format!(
                "vault answered {} outcomes for {} items",
                outcomes.len(),
                pending.len()
            )));
        }

        let mut stored = Vec::with_capacity(pending.len());
        let mut collision = None;
        let mut opener = Opener::new(&*self.keyring);
        let mut values = Some(values);
        let mut gathered = Vec::new();
        for ((&i, outcome), expires_at) in pending.iter().zip(outcomes).zip(expiries) {
            match outcome {
                PutOutcome::Inserted => stored.push((i, expires_at)),
                // Its expiry is unknown; the one this put would have set is the best guess.
                PutOutcome::Present => stored.push((i, expires_at)),
                // Erased for good: nothing to store, ever; the token stands.
                PutOutcome::Erased => stored.push((i, None)),
                PutOutcome::Exists(existing) => {
                    if let Some(values) = values.take() {
                        gathered = values()?;
                        if gathered.len() != ids.len() {
                            return Err(VaultError::Storage(format!(
                                "{} values stored for {} prepared",
                                gathered.len(),
                                ids.len()
                            )));
                        }
                    }
                    let (t, v) = gathered[i];
                    if self.holds_same_value(&mut opener, &existing, &tokens[i], t, v)? {
                        stored.push((i, existing.expires_at));
                    } else if collision.is_none() {
                        collision = Some(tokens[i].clone());
                    }
                }
            }
        }
        // Remember what is stored even when another token of the batch collided.
        {
            let mut known = self.known();
            known.reserve_for(stored.len());
            for (i, expires_at) in stored {
                known.insert(ids[i], expires_at);
            }
        }
        match collision {
            Some(token) => Err(VaultError::Collision { token }),
            None => Ok(tokens),
        }
    }

    /// Convenience for one value.
    pub async fn tokenize_one(&self, t: EntityType, value: &str) -> Result<String, VaultError> {
        let mut tokens = self.tokenize(&[(t, value)]).await?;
        Ok(tokens.pop().expect("one token per value"))
    }

    /// Whether `existing` (found under `token`) holds `value`, up to canonical form.
    /// Compared in constant time: timing must not tell how much of a guess was right.
    fn holds_same_value(
        &self,
        opener: &mut Opener<'_>,
        existing: &VaultItem,
        token: &str,
        t: EntityType,
        value: &str,
    ) -> Result<bool, VaultError> {
        if existing.token != token || existing.entity_type != t {
            return Ok(false);
        }
        let original = opener.open(existing)?;
        let forms = self.tokenizer.forms();
        let stored = forms.canonical(t, &original);
        let given = forms.canonical(t, value);
        let same: bool = stored.as_bytes().ct_eq(given.as_bytes()).into();
        wipe(stored);
        wipe(given);
        Ok(same)
    }

    /// The originals of `tokens`, in order; `None` for tokens that were never stored,
    /// were erased, or have expired. A token that is not well-formed is an error.
    pub async fn reveal(
        &self,
        tokens: &[String],
    ) -> Result<Vec<Option<Zeroizing<String>>>, VaultError> {
        for token in tokens {
            parse_token(token)?;
        }
        let items = self.store.get_many(tokens).await?;
        if items.len() != tokens.len() {
            return Err(VaultError::Storage(format!(
                "vault answered {} items for {} tokens",
                items.len(),
                tokens.len()
            )));
        }
        let now = (self.clock)();
        let mut opener = Opener::new(&*self.keyring);
        items
            .into_iter()
            .zip(tokens)
            .map(|(item, token)| match item {
                None => Ok(None),
                Some(item) if item.expires_at.is_some_and(|e| e <= now) => Ok(None),
                // The AAD binds the item's own token field; check it is the one asked for.
                Some(item) if item.token != *token => Err(VaultError::Decrypt {
                    token: token.clone(),
                }),
                Some(item) => opener.open(&item).map(Some),
            })
            .collect()
    }

    /// Crypto-shreds `token`: afterwards it can never be revealed. `true` if it existed.
    /// The same value tokenized again later gets the same token, and the vault keeps its
    /// tombstone instead of storing the value again: the token stays irreversible.
    pub async fn erase(&self, token: &str) -> Result<bool, VaultError> {
        let id = TokenId::parse(token)?;
        // Forget first: if the delete fails, the next tokenize re-checks the vault.
        self.known().remove(&id);
        self.store.erase(token).await
    }

    fn known(&self) -> MutexGuard<'_, KnownCache<TokenId>> {
        // The cache is only an optimization and never half-updated in a harmful way.
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn wipe(s: Cow<'_, str>) {
    if let Cow::Owned(mut s) = s {
        s.zeroize();
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl fmt::Debug for Deidentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deidentifier")
            .field("tokenizer", &self.tokenizer)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

    use super::*;
    use crate::{SqliteVault, StaticKeyring};

    /// A store that counts the items it is asked to put.
    struct Counting {
        inner: SqliteVault,
        puts: AtomicUsize,
    }

    #[async_trait::async_trait]
    impl VaultStore for Counting {
        async fn put_if_absent(
            &self,
            items: Vec<VaultItem>,
        ) -> Result<Vec<PutOutcome>, VaultError> {
            self.puts.fetch_add(items.len(), Ordering::SeqCst);
            self.inner.put_if_absent(items).await
        }
        async fn get_many(&self, tokens: &[String]) -> Result<Vec<Option<VaultItem>>, VaultError> {
            self.inner.get_many(tokens).await
        }
        async fn erase(&self, token: &str) -> Result<bool, VaultError> {
            self.inner.erase(token).await
        }
    }

    fn setup() -> (Deidentifier, Arc<Counting>) {
        let store = Arc::new(Counting {
            inner: SqliteVault::open_in_memory().unwrap(),
            puts: AtomicUsize::new(0),
        });
        let d = Deidentifier::new(Arc::new(StaticKeyring::generate().unwrap()), store.clone());
        (d, store)
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    #[test]
    fn tokenize_then_reveal_restores_the_original_spelling() {
        rt().block_on(async {
            let (d, _) = setup();
            let tokens = d
                .tokenize(&[
                    (EntityType::Email, " Jane@Example.com"),
                    (EntityType::Email, "jane@example.com"),
                    (EntityType::Name, "Jane"),
                ])
                .await
                .unwrap();
            assert_eq!(tokens[0], tokens[1], "canonical forms join");
            assert_ne!(tokens[0], tokens[2]);
            let shown = d.reveal(&tokens).await.unwrap();
            let shown: Vec<_> = shown
                .iter()
                .map(|s| s.as_deref().map(String::as_str))
                .collect();
            assert_eq!(
                shown,
                [
                    Some(" Jane@Example.com"),
                    Some(" Jane@Example.com"),
                    Some("Jane")
                ]
            );
        });
    }

    #[test]
    fn duplicates_and_known_tokens_are_not_put_again() {
        rt().block_on(async {
            let (d, store) = setup();
            let batch = [
                (EntityType::Ssn, "123-45-6789"),
                (EntityType::Ssn, "123456789"),
            ];
            d.tokenize(&batch).await.unwrap();
            assert_eq!(store.puts.load(Ordering::SeqCst), 1);
            d.tokenize(&batch).await.unwrap();
            assert_eq!(
                store.puts.load(Ordering::SeqCst),
                1,
                "cache skipped the re-write"
            );
        });
    }

    /// Batches prepared side by side (on different threads) and stored in turn put each
    /// new value once, keep the first spelling, and answer what `tokenize` answers.
    #[test]
    fn batches_prepared_together_and_stored_in_turn_put_each_value_once() {
        rt().block_on(async {
            let (d, store) = setup();
            let first = [
                (EntityType::Email, "Ann@Example.com"),
                (EntityType::Name, "Ann"),
            ];
            let second = [
                (EntityType::Email, "ann@example.com"),
                (EntityType::Name, "Bo"),
            ];
            let a = d.prepare(&first).unwrap();
            let b = d.prepare(&second).unwrap();
            let first_tokens = d.store(a, &first).await.unwrap();
            let second_tokens = d.store(b, &second).await.unwrap();
            assert_eq!(
                store.puts.load(Ordering::SeqCst),
                3,
                "the email went in once"
            );
            assert_eq!(first_tokens[0], second_tokens[0]);
            let fresh = Deidentifier::new(
                d.keyring.clone(),
                Arc::new(SqliteVault::open_in_memory().unwrap()),
            );
            assert_eq!(fresh.tokenize(&second).await.unwrap(), second_tokens);
            let shown = d.reveal(&second_tokens).await.unwrap();
            assert_eq!(shown[0].as_deref().unwrap().as_str(), "Ann@Example.com");
            assert_eq!(shown[1].as_deref().unwrap().as_str(), "Bo");
            assert!(
                d.store(d.prepare(&first).unwrap(), &second[..1])
                    .await
                    .is_err(),
                "values that do not match the prepared batch are refused"
            );
        });
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Batches with repeated spellings (tokens reused within a batch) and values
        /// spelled differently (one token, several spellings), stored in turn: every value
        /// gets its own token, and the vault holds one row per token with the first
        /// spelling in input order, as storing the values one at a time would leave it.
        #[test]
        fn batches_store_what_values_one_at_a_time_store(
            batches in proptest::collection::vec(
                proptest::collection::vec((0usize..2, 0usize..12), 0..40),
                1..4,
            ),
        ) {
            let spell = |n: usize| match n % 3 {
                0 => format!("Ann{}@Example.com", n / 3),
                1 => format!(" ann{}@example.com", n / 3),
                _ => format!("ANN{}@EXAMPLE.COM ", n / 3),
            };
            let types = [EntityType::Email, EntityType::Name];
            rt().block_on(async {
                let (d, store) = setup();
                let one_by_one = Deidentifier::new(
                    d.keyring.clone(),
                    Arc::new(SqliteVault::open_in_memory().unwrap()),
                )
                .with_cache_capacity(0);
                let texts: Vec<Vec<String>> = batches
                    .iter()
                    .map(|b| b.iter().map(|&(_, n)| spell(n)).collect())
                    .collect();
                let mut all = Vec::new();
                for (batch, texts) in batches.iter().zip(&texts) {
                    let values: Vec<(EntityType, &str)> = batch
                        .iter()
                        .zip(texts)
                        .map(|(&(t, _), v)| (types[t], v.as_str()))
                        .collect();
                    let tokens = d.tokenize(&values).await.unwrap();
                    for (&(t, v), token) in values.iter().zip(&tokens) {
                        assert_eq!(*token, d.token_for(t, v));
                        assert_eq!(one_by_one.tokenize_one(t, v).await.unwrap(), *token);
                    }
                    all.extend(tokens);
                }
                all.sort();
                all.dedup();
                assert_eq!(store.inner.len().unwrap(), all.len());
                let kept = d.reveal(&all).await.unwrap();
                let first = one_by_one.reveal(&all).await.unwrap();
                for (kept, first) in kept.iter().zip(&first) {
                    assert_eq!(kept.as_deref(), first.as_deref());
                }
            });
        }
    }

    #[test]
    fn without_cache_retries_put_and_find_the_same_item() {
        rt().block_on(async {
            let (d, store) = setup();
            let d = d.with_cache_capacity(0);
            let a = d.tokenize_one(EntityType::Pin, "1234").await.unwrap();
            let b = d.tokenize_one(EntityType::Pin, "1234").await.unwrap();
            assert_eq!(a, b);
            assert_eq!(store.puts.load(Ordering::SeqCst), 2);
            assert_eq!(store.inner.len().unwrap(), 1);
        });
    }

    /// `store_with` walks the values only when the vault already holds one of the
    /// tokens, and then still tells a different value under that token from the same one.
    #[test]
    fn store_with_gathers_the_values_only_for_tokens_the_vault_holds() {
        rt().block_on(async {
            let (d, _) = setup();
            let d = d.with_cache_capacity(0);
            let values = [(EntityType::Pin, "1234"), (EntityType::Name, "Jane")];
            let calls = AtomicUsize::new(0);
            let gather = || {
                calls.fetch_add(1, Ordering::SeqCst);
                Ok(values.to_vec())
            };
            let fresh = d.store_with(d.prepare(&values).unwrap(), gather).await;
            assert_eq!(fresh.unwrap().len(), 2);
            assert_eq!(
                calls.load(Ordering::SeqCst),
                0,
                "fresh values: not gathered"
            );

            let again = d.store_with(d.prepare(&values).unwrap(), gather).await;
            assert_eq!(again.unwrap(), d.tokenize(&values).await.unwrap());
            assert_eq!(calls.load(Ordering::SeqCst), 1, "gathered once per batch");

            // The vault answers that the token is there; the values given now differ.
            let other = [(EntityType::Pin, "9999"), (EntityType::Name, "Jane")];
            let err = d
                .store_with(d.prepare(&values).unwrap(), || Ok(other.to_vec()))
                .await
                .unwrap_err();
            assert!(matches!(err, VaultError::Collision { .. }), "{err}");
            let short = d
                .store_with(d.prepare(&values).unwrap(), || Ok(other[..1].to_vec()))
                .await;
            assert!(
                short.is_err(),
                "values that do not match the prepared batch"
            );
        });
    }

    #[test]
    fn erase_makes_a_token_irreversible_even_when_the_value_comes_again() {
        rt().block_on(async {
            let (d, store) = setup();
            let t = d.tokenize_one(EntityType::Name, "Jane").await.unwrap();
            assert!(d.erase(&t).await.unwrap());
            assert!(d.reveal(std::slice::from_ref(&t)).await.unwrap()[0].is_none());
            // The same value again, through this deidentifier (its cache forgot the token)
            // and through a fresh one sharing the store: same token, still irreversible.
            let fresh = Deidentifier::new(d.keyring.clone(), store.clone());
            for again in [&d, &fresh] {
                let puts = store.puts.load(Ordering::SeqCst);
                assert_eq!(
                    again.tokenize_one(EntityType::Name, "Jane").await.unwrap(),
                    t
                );
                assert_eq!(
                    store.puts.load(Ordering::SeqCst),
                    puts + 1,
                    "it was put again"
                );
                assert!(again.reveal(std::slice::from_ref(&t)).await.unwrap()[0].is_none());
            }
            // Other values are unaffected, and erasing twice finds nothing live.
            let other = d.tokenize_one(EntityType::Name, "Joan").await.unwrap();
            assert_eq!(
                d.reveal(&[other]).await.unwrap()[0]
                    .as_deref()
                    .unwrap()
                    .as_str(),
                "Joan"
            );
            assert!(!d.erase(&t).await.unwrap());
        });
    }

    #[test]
    fn expired_items_are_not_revealed_and_get_rewritten() {
        rt().block_on(async {
            let now = Arc::new(AtomicI64::new(1000));
            let clock = now.clone();
            let (d, _) = setup();
            let d = d
                .with_ttl(Some(10))
                .with_clock(move || clock.load(Ordering::SeqCst));
            let t = d.tokenize_one(EntityType::Email, "a@b.c").await.unwrap();
            now.store(1010, Ordering::SeqCst);
            assert!(d.reveal(std::slice::from_ref(&t)).await.unwrap()[0].is_none());
            d.tokenize_one(EntityType::Email, "a@b.c").await.unwrap();
            assert!(d.reveal(&[t]).await.unwrap()[0].is_some());
        });
    }

    #[test]
    fn malformed_tokens_are_errors() {
        rt().block_on(async {
            let (d, _) = setup();
            let err = d.reveal(&["not a token".into()]).await.unwrap_err();
            assert!(matches!(err, VaultError::MalformedToken(_)));
            assert!(d.erase("EMAIL_").await.is_err());
        });
    }

    #[test]
    fn deidentifier_and_its_futures_can_cross_threads() {
        fn assert_send_sync<T: Send + Sync>(_: &T) {}
        fn assert_send<T: Send>(_: &T) {}
        let (d, _) = setup();
        assert_send_sync(&d);
        assert_send(&d.tokenize(&[]));
        assert_send(&d.reveal(&[]));
        assert_send(&d.erase(""));
    }

    #[test]
    fn debug_shows_no_keys() {
        let (d, _) = setup();
        assert!(format!("{d:?}").contains("redacted"));
    }
}
