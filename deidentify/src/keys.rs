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
