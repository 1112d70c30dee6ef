//! Vault item encryption: AES-256-GCM with a random 96-bit nonce and an AAD that binds
//! the ciphertext to its token, entity type and key version.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use detect::EntityType;
use zeroize::Zeroizing;

use crate::{KeyVersion, Keyring, SecretKey, VaultError, VaultItem};

/// Domain separation for the AAD, versioned in case the layout ever changes.
const AAD_LABEL: &[u8] = b"piiflow/vault-item/v1";

/// Length-prefixed fields, so no two (token, type, version) triples encode alike.
/// `created_at` and `expires_at` are deliberately not bound: a store may extend or
/// drop a TTL without re-encrypting.
fn aad(token: &str, t: EntityType, key_version: KeyVersion) -> Vec<u8> {
    let mut out = Vec::new();
    write_aad(&mut out, token, t, key_version);
    out
}

/// [`aad`] into `out` (cleared first), so a batch reuses one buffer.
fn write_aad(out: &mut Vec<u8>, token: &str, t: EntityType, key_version: KeyVersion) {
    let name = t.as_str().as_bytes();
    out.clear();
    out.reserve(AAD_LABEL.len() + 14 + name.len() + token.len());
    out.extend_from_slice(&(AAD_LABEL.len() as u16).to_be_bytes());
    out.extend_from_slice(AAD_LABEL);
    out.extend_from_slice(&key_version.to_be_bytes());
    out.extend_from_slice(&(name.len() as u16).to_be_bytes());
    out.extend_from_slice(name);
    out.extend_from_slice(&(token.len() as u32).to_be_bytes());
    out.extend_from_slice(token.as_bytes());
}

fn cipher(key: &SecretKey) -> Aes256Gcm {
    Aes256Gcm::new_from_slice(key.expose()).expect("AES-256 keys are 32 bytes")
}

/// Encrypts `plaintext` for `token` with the keyring's current data key.
pub fn seal(
    keyring: &dyn Keyring,
    token: &str,
    t: EntityType,
    plaintext: &str,
    now: i64,
    ttl: Option<i64>,
) -> Result<VaultItem, VaultError> {
    let nonce = random_nonces(1)?[0];
    Sealer::new(keyring).seal(token, t, plaintext, nonce, now, ttl)
}

/// Seals a batch with the keyring's current data key. Expanding the AES key schedule and
/// deriving the GHASH key were a quarter of the work of sealing a short value; they are
/// done once per batch rather than once per item.
pub(crate) struct Sealer {
    cipher: Aes256Gcm,
    key_version: KeyVersion,
    /// The AAD of the item being sealed; holds no secret (token, type, key version).
    aad: Vec<u8>,
}

impl Sealer {
    pub(crate) fn new(keyring: &dyn Keyring) -> Self {
        let (key_version, key) = keyring.current_data_key();
        Self {
            cipher: cipher(key),
            key_version,
            aad: Vec::new(),
        }
    }

    /// `nonce` must be fresh from the OS RNG ([`random_nonces`]) and never used again.
    pub(crate) fn seal(
        &mut self,
        token: &str,
        t: EntityType,
        plaintext: &str,
        nonce: [u8; 12],
        now: i64,
        ttl: Option<i64>,
    ) -> Result<VaultItem, VaultError> {
        write_aad(&mut self.aad, token, t, self.key_version);
        let ciphertext = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: &self.aad,
                },
            )
            // Only reachable for plaintexts beyond GCM's 64 GiB limit.
            .map_err(|_| {
                VaultError::Storage(format!("value for {token} is too large to encrypt"))
            })?;
        Ok(VaultItem {
            token: token.to_string(),
            entity_type: t,
            ciphertext,
            nonce,
            key_version: self.key_version,
            created_at: now,
            expires_at: ttl.map(|ttl| now.saturating_add(ttl)),
        })
    }
}

/// `n` random 96-bit nonces from one read of the OS RNG (one system call per batch
/// instead of one per item; each nonce is as random as before).
pub(crate) fn random_nonces(n: usize) -> Result<Vec<[u8; 12]>, VaultError> {
    let mut nonces = vec![[0u8; 12]; n];
    getrandom::fill(nonces.as_flattened_mut())
        .map_err(|e| VaultError::Keyring(format!("OS random number generator failed: {e}")))?;
    Ok(nonces)
}

/// Decrypts an item with the data key version that sealed it.
pub fn open(keyring: &dyn Keyring, item: &VaultItem) -> Result<Zeroizing<String>, VaultError> {
    Opener::new(keyring).open(item)
}

/// Opens a batch of items, deriving each data key version's cipher once.
pub(crate) struct Opener<'k> {
    keyring: &'k dyn Keyring,
    /// Few versions are ever live at once: a list beats a map.
    ciphers: Vec<(KeyVersion, Aes256Gcm)>,
}

impl<'k> Opener<'k> {
    pub(crate) fn new(keyring: &'k dyn Keyring) -> Self {
        Self {
            keyring,
            ciphers: Vec::new(),
        }
    }

    pub(crate) fn open(&mut self, item: &VaultItem) -> Result<Zeroizing<String>, VaultError> {
        let cipher = self.cipher(item.key_version)?;
        let decrypt = || VaultError::Decrypt {
            token: item.token.clone(),
        };
        let plaintext = Zeroizing::new(
            cipher
                .decrypt(
                    &Nonce::from(item.nonce),
                    Payload {
                        msg: &item.ciphertext,
                        aad: &aad(&item.token, item.entity_type, item.key_version),
                    },
                )
                .map_err(|_| decrypt())?,
        );
        // Sealed from a &str, so a valid tag implies valid UTF-8; checked anyway, without
        // copying, so the only plaintext buffer stays the zeroizing one.
        std::str::from_utf8(&plaintext).map_err(|_| decrypt())?;
        let mut bytes = plaintext;
        let s = String::from_utf8(std::mem::take(&mut *bytes)).map_err(|_| decrypt())?;
        Ok(Zeroizing::new(s))
    }

    fn cipher(&mut self, version: KeyVersion) -> Result<&Aes256Gcm, VaultError> {
        let at = match self.ciphers.iter().position(|(v, _)| *v == version) {
            Some(at) => at,
            None => {
                let key = self
                    .keyring
                    .data_key(version)
                    .ok_or(VaultError::MissingKey { version })?;
                self.ciphers.push((version, cipher(key)));
                self.ciphers.len() - 1
            }
        };
        Ok(&self.ciphers[at].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StaticKeyring;

    fn keyring() -> StaticKeyring {
        StaticKeyring::new(
            SecretKey::from_bytes([1; 32]),
            SecretKey::from_bytes([2; 32]),
        )
    }

    #[test]
    fn seal_then_open_round_trips_and_sets_metadata() {
        let k = keyring();
        let item = seal(
            &k,
            "EMAIL_X",
            EntityType::Email,
            "jane@example.com",
            100,
            Some(50),
        )
        .unwrap();
        assert_eq!(item.key_version, 1);
        assert_eq!((item.created_at, item.expires_at), (100, Some(150)));
        assert_eq!(item.ciphertext.len(), "jane@example.com".len() + 16);
        assert_eq!(open(&k, &item).unwrap().as_str(), "jane@example.com");
    }

    #[test]
    fn nonces_are_fresh_per_seal() {
        let k = keyring();
        let a = seal(&k, "T", EntityType::Name, "x", 0, None).unwrap();
        let b = seal(&k, "T", EntityType::Name, "x", 0, None).unwrap();
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.ciphertext, b.ciphertext);
    }

    #[test]
    fn batch_nonces_are_distinct_and_one_opener_opens_every_version() {
        let nonces = random_nonces(64).unwrap();
        let distinct: std::collections::HashSet<_> = nonces.iter().collect();
        assert_eq!(distinct.len(), 64);

        let old = keyring();
        let item_v1 = Sealer::new(&old)
            .seal("NAME_A", EntityType::Name, "Ann", nonces[0], 0, None)
            .unwrap();
        let both = StaticKeyring::with_keys(
            vec![(1, SecretKey::from_bytes([1; 32]))],
            vec![
                (1, SecretKey::from_bytes([2; 32])),
                (2, SecretKey::from_bytes([3; 32])),
            ],
        )
        .unwrap();
        let item_v2 = Sealer::new(&both)
            .seal("NAME_B", EntityType::Name, "Bo", nonces[1], 0, None)
            .unwrap();
        assert_eq!(item_v2.key_version, 2);
        let mut opener = Opener::new(&both);
        for _ in 0..2 {
            assert_eq!(opener.open(&item_v1).unwrap().as_str(), "Ann");
            assert_eq!(opener.open(&item_v2).unwrap().as_str(), "Bo");
        }
        assert_eq!(opener.ciphers.len(), 2);
    }

    #[test]
    fn moved_retyped_or_reversioned_items_fail_to_open() {
        let k = keyring();
        let item = seal(&k, "EMAIL_A", EntityType::Email, "a@b.c", 0, None).unwrap();

        let mut moved = item.clone();
        moved.token = "EMAIL_B".into();
        assert!(matches!(open(&k, &moved), Err(VaultError::Decrypt { .. })));

        let mut retyped = item.clone();
        retyped.entity_type = EntityType::Name;
        assert!(matches!(
            open(&k, &retyped),
            Err(VaultError::Decrypt { .. })
        ));

        let mut flipped = item.clone();
        flipped.ciphertext[0] ^= 1;
        assert!(matches!(
            open(&k, &flipped),
            Err(VaultError::Decrypt { .. })
        ));

        // Version 2 sealed with the same key bytes still fails: the version is in the AAD.
        let k2 = StaticKeyring::with_keys(
            vec![(1, SecretKey::from_bytes([1; 32]))],
            vec![
                (1, SecretKey::from_bytes([2; 32])),
                (2, SecretKey::from_bytes([2; 32])),
            ],
        )
        .unwrap();
        let mut reversioned = item.clone();
        reversioned.key_version = 2;
        assert!(matches!(
            open(&k2, &reversioned),
            Err(VaultError::Decrypt { .. })
        ));
        reversioned.key_version = 9;
        assert!(matches!(
            open(&k2, &reversioned),
            Err(VaultError::MissingKey { version: 9 })
        ));
    }

    #[test]
    fn decrypt_errors_do_not_carry_the_plaintext() {
        let k = keyring();
        let mut item = seal(&k, "NAME_A", EntityType::Name, "Jane Secret", 0, None).unwrap();
        item.nonce[0] ^= 1;
        let err = open(&k, &item).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("Jane"));
    }

    #[test]
    fn aad_fields_are_unambiguous() {
        assert_ne!(
            aad("AB", EntityType::Name, 1),
            aad("B", EntityType::Name, 1)
        );
        assert_ne!(
            aad("T", EntityType::Name, 1),
            aad("T", EntityType::Name, 256)
        );
        assert_ne!(aad("T", EntityType::Name, 1), aad("T", EntityType::Pin, 1));
    }
}
