//! `VaultItem` ↔ DynamoDB attributes. Attribute names are the table's schema:
//! `token` (partition key, S), `type` (S), `ciphertext` (B), `nonce` (B),
//! `key_version` (N), `created_at` (N), `expires_at` (N, optional; the TTL attribute).
//! An erasure tombstone is `token` and `erased_at` (N) alone: no ciphertext, and no
//! `expires_at`, so TTL never purges it and the put condition never lets a put replace it.

use std::collections::HashMap;
use std::str::FromStr;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use detect::EntityType;

use crate::{VaultError, VaultItem};

pub(crate) const TOKEN: &str = "token";
pub(crate) const TYPE: &str = "type";
pub(crate) const CIPHERTEXT: &str = "ciphertext";
pub(crate) const NONCE: &str = "nonce";
pub(crate) const KEY_VERSION: &str = "key_version";
pub(crate) const CREATED_AT: &str = "created_at";
pub(crate) const EXPIRES_AT: &str = "expires_at";
pub(crate) const ERASED_AT: &str = "erased_at";

pub(crate) type Attributes = HashMap<String, AttributeValue>;

pub(crate) fn key(token: &str) -> Attributes {
    HashMap::from([(TOKEN.to_string(), AttributeValue::S(token.to_string()))])
}

pub(crate) fn encode(item: &VaultItem) -> Attributes {
    let mut map = HashMap::with_capacity(7);
    map.insert(TOKEN.into(), AttributeValue::S(item.token.clone()));
    map.insert(
        TYPE.into(),
        AttributeValue::S(item.entity_type.as_str().to_string()),
    );
    map.insert(
        CIPHERTEXT.into(),
        AttributeValue::B(Blob::new(item.ciphertext.clone())),
    );
    map.insert(
        NONCE.into(),
        AttributeValue::B(Blob::new(item.nonce.to_vec())),
    );
    map.insert(
        KEY_VERSION.into(),
        AttributeValue::N(item.key_version.to_string()),
    );
    map.insert(
        CREATED_AT.into(),
        AttributeValue::N(item.created_at.to_string()),
    );
    if let Some(expires_at) = item.expires_at {
        map.insert(EXPIRES_AT.into(), AttributeValue::N(expires_at.to_string()));
    }
    map
}

/// What sits under a token: an item, or the tombstone of an erased one.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Stored {
    Live(VaultItem),
    Erased,
}

pub(crate) fn tombstone(token: &str, erased_at: i64) -> Attributes {
    HashMap::from([
        (TOKEN.to_string(), AttributeValue::S(token.to_string())),
        (
            ERASED_AT.to_string(),
            AttributeValue::N(erased_at.to_string()),
        ),
    ])
}

pub(crate) fn decode_stored(attrs: &Attributes) -> Result<Stored, VaultError> {
    if attrs.contains_key(ERASED_AT) {
        Ok(Stored::Erased)
    } else {
        decode(attrs).map(Stored::Live)
    }
}

/// A stored item that does not parse is `Corrupt`, never a panic; the message names
/// the token and attribute only.
pub(crate) fn decode(attrs: &Attributes) -> Result<VaultItem, VaultError> {
    let token = string(attrs, "?", TOKEN)?.to_string();
    let t = &token;
    let type_name = string(attrs, t, TYPE)?;
    let entity_type = EntityType::from_str(type_name)
        .map_err(|_| corrupt(t, TYPE, "is not a known entity type"))?;
    let nonce = bytes(attrs, t, NONCE)?
        .try_into()
        .map_err(|_| corrupt(t, NONCE, "is not 12 bytes"))?;
    Ok(VaultItem {
        entity_type,
        ciphertext: bytes(attrs, t, CIPHERTEXT)?.to_vec(),
        nonce,
        key_version: number(attrs, t, KEY_VERSION)?,
        created_at: number(attrs, t, CREATED_AT)?,
        expires_at: match attrs.get(EXPIRES_AT) {
            None | Some(AttributeValue::Null(_)) => None,
            Some(_) => Some(number(attrs, t, EXPIRES_AT)?),
        },
        token,
    })
}

fn corrupt(token: &str, attr: &str, what: &str) -> VaultError {
    VaultError::Corrupt(format!("DynamoDB item {token}: attribute {attr} {what}"))
}

fn string<'a>(attrs: &'a Attributes, token: &str, name: &str) -> Result<&'a str, VaultError> {
    match attrs.get(name) {
        Some(AttributeValue::S(s)) => Ok(s),
        _ => Err(corrupt(token, name, "is missing or not a string")),
    }
}

fn bytes<'a>(attrs: &'a Attributes, token: &str, name: &str) -> Result<&'a [u8], VaultError> {
    match attrs.get(name) {
        Some(AttributeValue::B(b)) => Ok(b.as_ref()),
        _ => Err(corrupt(token, name, "is missing or not binary")),
    }
}

fn number<T: FromStr>(attrs: &Attributes, token: &str, name: &str) -> Result<T, VaultError> {
    match attrs.get(name) {
        Some(AttributeValue::N(n)) => n
            .parse()
            .map_err(|_| corrupt(token, name, "is out of range")),
        _ => Err(corrupt(token, name, "is missing or not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(expires_at: Option<i64>) -> VaultItem {
        VaultItem {
            token: "EMAIL_ABC".into(),
            entity_type: EntityType::Email,
            ciphertext: vec![1, 2, 3],
            nonce: [7; 12],
            key_version: 3,
            created_at: 1_700_000_000,
            expires_at,
        }
    }

    #[test]
    fn round_trips_with_and_without_expiry() {
        for expires_at in [None, Some(1_800_000_000)] {
            let it = item(expires_at);
            assert_eq!(decode(&encode(&it)).unwrap(), it);
        }
    }

    #[test]
    fn tombstones_decode_as_erased_and_items_as_live() {
        assert_eq!(
            decode_stored(&tombstone("EMAIL_ABC", 5)).unwrap(),
            Stored::Erased
        );
        assert_eq!(
            decode_stored(&encode(&item(None))).unwrap(),
            Stored::Live(item(None))
        );
        assert!(!tombstone("EMAIL_ABC", 5).contains_key(CIPHERTEXT));
        assert!(!tombstone("EMAIL_ABC", 5).contains_key(EXPIRES_AT));
    }

    #[test]
    fn bad_attributes_are_corrupt() {
        let mut attrs = encode(&item(None));
        attrs.insert(NONCE.into(), AttributeValue::B(Blob::new(vec![0; 5])));
        let err = decode(&attrs).unwrap_err().to_string();
        assert!(err.contains("EMAIL_ABC") && err.contains("nonce"), "{err}");
        attrs.remove(TYPE);
        assert!(matches!(decode(&attrs), Err(VaultError::Corrupt(_))));
    }
}
