//! The vault a function's engines tokenize into, or none for the functions that must
//! never hold one.

use std::sync::Arc;

use deidentify::{Deidentifier, Keyring, NoVault, StaticKeyring, VaultStore, hash_key};
use mask::HashKey;

use crate::LambdaError;

/// A deidentifier and the keyed-hash key derived from the same keyring.
pub struct Vault {
    pub deidentifier: Arc<Deidentifier>,
    pub hash_key: Option<HashKey>,
}

pub fn with_keyring(keyring: Arc<dyn Keyring>, store: Arc<dyn VaultStore>) -> Vault {
    let hash_key = HashKey::from_bytes(*hash_key(keyring.as_ref()).expose());
    Vault {
        deidentifier: Arc::new(Deidentifier::new(keyring, store)),
        hash_key: Some(hash_key),
    }
}

/// For detect and mask, which hold no key and no table (least privilege): the engine
/// wants a deidentifier, so it gets one over a throwaway key and a vault that refuses
/// every call. No hash key: a policy with `hash` fails at engine construction, clearly.
pub fn keyless_vault() -> Result<Vault, LambdaError> {
    let keyring = StaticKeyring::generate()
        .map_err(|e| LambdaError::Config(format!("generating a throwaway key: {e}")))?;
    Ok(Vault {
        deidentifier: Arc::new(Deidentifier::new(
            Arc::new(keyring),
            Arc::new(NoVault::new("this function")),
        )),
        hash_key: None,
    })
}
