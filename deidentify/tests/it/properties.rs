use std::sync::Arc;

use deidentify::{Deidentifier, Keyring, SqliteVault, StaticKeyring, find_tokens};
use detect::EntityType;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::common::rt;

fn any_type() -> impl Strategy<Value = EntityType> {
    proptest::sample::select(EntityType::ALL.to_vec())
}

#[test]
fn reveal_of_tokenize_is_the_original_for_any_unicode_and_any_type() {
    let keyring: Arc<dyn Keyring> = Arc::new(StaticKeyring::generate().unwrap());
    let runtime = rt();
    let mut runner = TestRunner::new(Config::with_cases(256));
    runner
        .run(&(any_type(), any::<String>()), |(t, value)| {
            // A fresh vault per case: two spellings of one canonical value share a token
            // and reveal the first spelling, which is by design.
            let vault = Arc::new(SqliteVault::open_in_memory().unwrap());
            let d = Deidentifier::new(keyring.clone(), vault);
            let shown = runtime.block_on(async {
                let token = d.tokenize_one(t, &value).await.unwrap();
                let prefix = format!("{}_", t.as_str());
                prop_assert!(token.starts_with(&prefix));
                prop_assert_eq!(&token, &d.token_for(t, &value));
                Ok(d.reveal(&[token]).await.unwrap().pop().unwrap())
            })?;
            prop_assert_eq!(shown.as_deref().map(|s| s.as_str()), Some(value.as_str()));
            Ok(())
        })
        .unwrap();
}

#[test]
fn tokens_are_found_at_their_offsets_in_any_surrounding_text() {
    let keyring = StaticKeyring::generate().unwrap();
    let tokenizer = deidentify::Tokenizer::from_keyring(&keyring, Default::default());
    let mut runner = TestRunner::new(Config::with_cases(512));
    runner
        .run(
            &(
                any_type(),
                any::<String>(),
                any::<String>(),
                any::<String>(),
                "[ ,.;:()\"'\n\t/-]",
            ),
            |(t, value, before, after, sep)| {
                let token = tokenizer.token(t, &value);
                let text = format!("{before}{sep}{token}{sep}{after}");
                let start = before.len() + sep.len();
                let found = find_tokens(&text);
                let hit = found.iter().find(|f| f.start == start);
                prop_assert!(hit.is_some(), "not found in {:?}", text);
                let hit = hit.unwrap();
                prop_assert_eq!(hit.end, start + token.len());
                prop_assert_eq!(hit.token, token.as_str());
                prop_assert_eq!(hit.entity_type, t);
                Ok(())
            },
        )
        .unwrap();
}

proptest! {
    #[test]
    fn tokens_are_deterministic_and_key_dependent(t in any_type(), value in any::<String>()) {
        let a = StaticKeyring::new(deidentify::SecretKey::from_bytes([1; 32]), deidentify::SecretKey::from_bytes([2; 32]));
        let b = StaticKeyring::new(deidentify::SecretKey::from_bytes([3; 32]), deidentify::SecretKey::from_bytes([2; 32]));
        let ta = deidentify::Tokenizer::from_keyring(&a, Default::default());
        let tb = deidentify::Tokenizer::from_keyring(&b, Default::default());
        prop_assert_eq!(ta.token(t, &value), ta.clone().token(t, &value));
        prop_assert_ne!(ta.token(t, &value), tb.token(t, &value));
        prop_assert!(deidentify::parse_token(&ta.token(t, &value)).is_ok());
    }
}
