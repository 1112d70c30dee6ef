use detect::EntityType;
use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Key for the irreversible `hash` action. Distinct from the token key so a hash can never
/// be turned into a vault lookup.
#[derive(Clone)]
pub struct HashKey([u8; 32]);

impl HashKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

impl std::fmt::Debug for HashKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HashKey(<redacted>)")
    }
}

/// `<TYPE>#<20 hex digits>`: 80 bits of a keyed HMAC over the type and the value.
pub fn keyed_hash(key: &HashKey, entity_type: EntityType, value: &str) -> String {
    let mut mac = HmacSha256::new_from_slice(&key.0).expect("HMAC takes any key length");
    mac.update(entity_type.as_str().as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    let digest = mac.finalize().into_bytes();
    format!(
        "{}#{}",
        entity_type,
        data_encoding::HEXLOWER.encode(&digest[..10])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_keyed_typed_and_stable() {
        let k1 = HashKey::from_bytes([1; 32]);
        let k2 = HashKey::from_bytes([2; 32]);
        let a = keyed_hash(&k1, EntityType::Email, "a@b.c");
        assert_eq!(a, keyed_hash(&k1, EntityType::Email, "a@b.c"));
        assert_ne!(a, keyed_hash(&k2, EntityType::Email, "a@b.c"));
        assert_ne!(a, keyed_hash(&k1, EntityType::Username, "a@b.c"));
        assert!(a.starts_with("EMAIL#") && a.len() == "EMAIL#".len() + 20);
        assert!(!a.contains("a@b.c"));
    }
}
