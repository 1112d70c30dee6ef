//! The tokens of one batch's values, a recent spelling's token reused.
//!
//! Half of a batch of customer records' values come from small sets (given names,
//! states, suburbs), while the rest are all different (e-mail addresses, phone numbers).
//! A token is a function of the type and the text alone, so a spelling met a moment ago
//! takes that value's token instead of another HMAC and another base32 spelling. The
//! cache is a small direct-mapped table: it stays in the CPU's caches, and a value it
//! does not hold costs a hash and one probe. A map of every spelling in the batch was
//! tried first: its lookups, each a cache miss in a table of 100,000 entries, cost what
//! the HMACs they saved did.

use std::hash::BuildHasher;

use detect::EntityType;
use foldhash::fast::RandomState;

use crate::Tokenizer;
use crate::token::TokenId;

/// Slots of the table; a power of two.
const SLOTS: usize = 4096;

/// Per value of a batch, in order: its token, spelled out and as an id, and whether it
/// was computed rather than taken from an earlier value of the batch with the same
/// spelling (type and text).
pub(crate) struct BatchTokens {
    pub(crate) ids: Vec<TokenId>,
    pub(crate) tokens: Vec<String>,
    pub(crate) computed: Vec<bool>,
}

impl BatchTokens {
    pub(crate) fn new(tokenizer: &Tokenizer, values: &[(EntityType, &str)]) -> Self {
        let mut ids: Vec<TokenId> = Vec::with_capacity(values.len());
        let mut tokens: Vec<String> = Vec::with_capacity(values.len());
        let mut computed = Vec::with_capacity(values.len());
        // Per slot, the index of the last value computed there.
        let mut slots: Vec<Option<usize>> = vec![None; SLOTS];
        let hasher = RandomState::default();
        for (i, &(t, v)) in values.iter().enumerate() {
            let slot = &mut slots[hasher.hash_one((t, v)) as usize & (SLOTS - 1)];
            match *slot {
                Some(earlier) if values[earlier] == (t, v) => {
                    ids.push(ids[earlier]);
                    tokens.push(tokens[earlier].clone());
                    computed.push(false);
                }
                _ => {
                    *slot = Some(i);
                    let id = tokenizer.token_id(t, v);
                    ids.push(id);
                    tokens.push(id.to_token());
                    computed.push(true);
                }
            }
        }
        Self {
            ids,
            tokens,
            computed,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::{CanonicalForms, StaticKeyring};

    const TYPES: [EntityType; 3] = [EntityType::Email, EntityType::Name, EntityType::Ssn];

    proptest! {
        /// Repeated spellings, different spellings of one canonical value and more
        /// spellings than the table has slots: every value gets what hashing it alone
        /// gives, and a value taken from the table repeats an earlier one.
        #[test]
        fn each_value_gets_the_token_it_gets_alone(
            picks in proptest::collection::vec((0usize..3, 0usize..5000), 0..300),
        ) {
            let keyring = StaticKeyring::generate().unwrap();
            let tokenizer = Tokenizer::from_keyring(&keyring, CanonicalForms::default());
            let texts: Vec<String> = picks
                .iter()
                .map(|&(_, n)| match n % 4 {
                    0 => format!("Ann{}@Example.com", n % 7),
                    1 => format!("ann{}@example.com ", n % 7),
                    2 => format!("123-45-{:04}", n),
                    _ => format!("{}", n % 3),
                })
                .collect();
            let values: Vec<(EntityType, &str)> = picks
                .iter()
                .zip(&texts)
                .map(|(&(t, _), v)| (TYPES[t], v.as_str()))
                .collect();
            let batch = BatchTokens::new(&tokenizer, &values);
            prop_assert_eq!(batch.ids.len(), values.len());
            for (i, &(t, v)) in values.iter().enumerate() {
                prop_assert_eq!(batch.ids[i], tokenizer.token_id(t, v));
                prop_assert_eq!(&batch.tokens[i], &tokenizer.token(t, v));
                if !batch.computed[i] {
                    prop_assert!(values[..i].contains(&(t, v)));
                }
            }
            let first = values.iter().position(|_| true);
            prop_assert!(first.is_none_or(|i| batch.computed[i]));
        }
    }
}
