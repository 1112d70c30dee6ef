use zeroize::{Zeroize, ZeroizeOnDrop};

/// Version number of a key in a keyring. Versions start at 1 and only grow.
pub type KeyVersion = u32;

/// 256 bits of key material. Never printed: `Debug` shows only that it is redacted.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// The key port. Token (HMAC) keys and data (AES) keys are separate and versioned.
/// Tokens are made with the current token key; vault items are sealed with the current
/// data key and opened with whichever version sealed them.
pub trait Keyring: Send + Sync {
    fn current_token_key(&self) -> (KeyVersion, &SecretKey);
    fn token_key(&self, version: KeyVersion) -> Option<&SecretKey>;
    fn current_data_key(&self) -> (KeyVersion, &SecretKey);
    fn data_key(&self, version: KeyVersion) -> Option<&SecretKey>;
}

/// The key behind `mask`'s keyed, irreversible `hash` action: HMAC(current token key,
/// "piiflow/hash/v1"). Derived rather than shared so a hash output can never be
/// compared with, or mistaken for, a token digest. Rotating the token key changes it.
pub fn hash_key(keyring: &dyn Keyring) -> SecretKey {
    use hmac::{Hmac, KeyInit, Mac};
    let (_, token_key) = keyring.current_token_key();
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(token_key.expose()).expect("HMAC accepts any key");
    mac.update(b"piiflow/hash/v1");
    let mut out = [0u8; 32];
    out.copy_from_slice(&mac.finalize().into_bytes());
    let key = SecretKey::from_bytes(out);
    zeroize::Zeroize::zeroize(&mut out);
    key
}

/// Compares two keys without leaking where they differ.
impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq;
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for SecretKey {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StaticKeyring;

    #[test]
    fn debug_is_redacted() {
        let dbg = format!("{:?}", SecretKey::from_bytes([0x5a; 32]));
        assert_eq!(dbg, "SecretKey(<redacted>)");
    }

    #[test]
    fn hash_key_is_derived_not_the_token_key() {
        let k = StaticKeyring::new(
            SecretKey::from_bytes([1; 32]),
            SecretKey::from_bytes([2; 32]),
        );
        let h = hash_key(&k);
        assert_ne!(&h, k.current_token_key().1);
        assert_ne!(&h, k.current_data_key().1);
        assert_eq!(h, hash_key(&k), "deterministic");
        let other = StaticKeyring::new(
            SecretKey::from_bytes([3; 32]),
            SecretKey::from_bytes([2; 32]),
        );
        assert_ne!(h, hash_key(&other));
    }
}
