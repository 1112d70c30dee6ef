//! An in-memory keyring: for tests, and for adapters that obtain their keys elsewhere
//! (AWS KMS decrypts the data keys once per cold start and hands them over here).

use std::collections::BTreeMap;
use std::fmt;

use crate::{KeyVersion, Keyring, SecretKey, VaultError};

pub struct StaticKeyring {
    token_keys: BTreeMap<KeyVersion, SecretKey>,
    data_keys: BTreeMap<KeyVersion, SecretKey>,
}

impl StaticKeyring {
    /// One token key and one data key, both version 1.
    pub fn new(token_key: SecretKey, data_key: SecretKey) -> Self {
        Self {
            token_keys: BTreeMap::from([(1, token_key)]),
            data_keys: BTreeMap::from([(1, data_key)]),
        }
    }

    /// Versioned keys; the highest version of each kind is the current one.
    pub fn with_keys(
        token_keys: Vec<(KeyVersion, SecretKey)>,
        data_keys: Vec<(KeyVersion, SecretKey)>,
    ) -> Result<Self, VaultError> {
        Ok(Self {
            token_keys: versioned("token", token_keys)?,
            data_keys: versioned("data", data_keys)?,
        })
    }

    /// Fresh random keys from the OS RNG.
    pub fn generate() -> Result<Self, VaultError> {
        Ok(Self::new(random_key()?, random_key()?))
    }

    /// Versions present: (token key versions, data key versions), ascending.
    pub fn versions(&self) -> (Vec<KeyVersion>, Vec<KeyVersion>) {
        (
            self.token_keys.keys().copied().collect(),
            self.data_keys.keys().copied().collect(),
        )
    }
}

fn versioned(
    kind: &str,
    keys: Vec<(KeyVersion, SecretKey)>,
) -> Result<BTreeMap<KeyVersion, SecretKey>, VaultError> {
    let mut map = BTreeMap::new();
    for (version, key) in keys {
        if version == 0 {
            return Err(VaultError::Keyring(format!(
                "{kind} key versions start at 1"
            )));
        }
        if map.insert(version, key).is_some() {
            return Err(VaultError::Keyring(format!(
                "{kind} key version {version} appears twice"
            )));
        }
    }
    if map.is_empty() {
        return Err(VaultError::Keyring(format!("no {kind} key")));
    }
    Ok(map)
}

/// 32 bytes from the OS RNG.
pub(crate) fn random_key() -> Result<SecretKey, VaultError> {
    let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut *bytes)
        .map_err(|e| VaultError::Keyring(format!("OS random number generator failed: {e}")))?;
    Ok(SecretKey::from_bytes(*bytes))
}

fn current(keys: &BTreeMap<KeyVersion, SecretKey>) -> (KeyVersion, &SecretKey) {
    let (v, k) = keys
        .last_key_value()
        .expect("keyrings are never empty (checked at construction)");
    (*v, k)
}

impl Keyring for StaticKeyring {
    fn current_token_key(&self) -> (KeyVersion, &SecretKey) {
        current(&self.token_keys)
    }

    fn token_key(&self, version: KeyVersion) -> Option<&SecretKey> {
        self.token_keys.get(&version)
    }

    fn current_data_key(&self) -> (KeyVersion, &SecretKey) {
        current(&self.data_keys)
    }

    fn data_key(&self, version: KeyVersion) -> Option<&SecretKey> {
        self.data_keys.get(&version)
    }
}

/// `Keyring` for a keyring whose keys are the `StaticKeyring` in its `keys` field (read
/// from a file, or unwrapped by KMS).
macro_rules! keyring_over_static_keys {
    ($keyring:ty) => {
        impl $crate::Keyring for $keyring {
            fn current_token_key(&self) -> ($crate::KeyVersion, &$crate::SecretKey) {
                $crate::Keyring::current_token_key(&self.keys)
            }

            fn token_key(&self, version: $crate::KeyVersion) -> Option<&$crate::SecretKey> {
                $crate::Keyring::token_key(&self.keys, version)
            }

            fn current_data_key(&self) -> ($crate::KeyVersion, &$crate::SecretKey) {
                $crate::Keyring::current_data_key(&self.keys)
            }

            fn data_key(&self, version: $crate::KeyVersion) -> Option<&$crate::SecretKey> {
                $crate::Keyring::data_key(&self.keys, version)
            }
        }
    };
}
pub(crate) use keyring_over_static_keys;

impl fmt::Debug for StaticKeyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (token, data) = self.versions();
        f.debug_struct("StaticKeyring")
            .field("token_key_versions", &token)
            .field("data_key_versions", &data)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highest_version_is_current_and_old_ones_stay() {
        let k = StaticKeyring::with_keys(
            vec![(1, SecretKey::from_bytes([1; 32]))],
            vec![
                (2, SecretKey::from_bytes([3; 32])),
                (1, SecretKey::from_bytes([2; 32])),
            ],
        )
        .unwrap();
        assert_eq!(k.current_data_key().0, 2);
        assert_eq!(k.data_key(1), Some(&SecretKey::from_bytes([2; 32])));
        assert_eq!(k.current_token_key().0, 1);
        assert!(k.token_key(2).is_none());
    }

    #[test]
    fn rejects_empty_duplicate_and_zero_versions() {
        let key = || SecretKey::from_bytes([1; 32]);
        assert!(StaticKeyring::with_keys(vec![], vec![(1, key())]).is_err());
        assert!(StaticKeyring::with_keys(vec![(1, key())], vec![(1, key()), (1, key())]).is_err());
        assert!(StaticKeyring::with_keys(vec![(0, key())], vec![(1, key())]).is_err());
    }

    #[test]
    fn generated_keys_differ_and_debug_shows_only_versions() {
        let a = StaticKeyring::generate().unwrap();
        let b = StaticKeyring::generate().unwrap();
        assert_ne!(a.current_token_key().1, b.current_token_key().1);
        assert_ne!(a.current_token_key().1, a.current_data_key().1);
        let dbg = format!("{a:?}");
        assert!(dbg.contains("data_key_versions: [1]"), "{dbg}");
    }
}
