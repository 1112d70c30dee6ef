//! Deterministic tokens: `<TYPE>_<base32 of the first 160 bits of
//! HMAC-SHA256(k_token, TYPE || 0x00 || canonical(value))>`.
//!
//! The type is inside the MAC input, so the same digits typed as PHONE and as SSN get
//! unrelated tokens; the 0x00 separator cannot occur in a type name, so the input is
//! unambiguous. 160 bits (more than the 128 the design asks for) makes exactly 32 base32
//! characters with no padding.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};

use data_encoding::BASE32_NOPAD;
use detect::EntityType;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroize;

use crate::{CanonicalForms, KeyVersion, Keyring, SecretKey, VaultError};

/// Bytes of the HMAC output kept in a token.
pub const TOKEN_DIGEST_BYTES: usize = 20;
/// Base32 characters after the `<TYPE>_` prefix.
pub const TOKEN_DIGEST_CHARS: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// Makes tokens with one token key. Cheap to share: the keyed HMAC state (key padded
/// and run through the inner and outer compression once) is computed here and cloned
/// per token, which halves the hashing work for short values.
#[derive(Clone)]
pub struct Tokenizer {
    keyed: HmacSha256,
    key_version: KeyVersion,
    forms: CanonicalForms,
}

impl Tokenizer {
    pub fn new(key: &SecretKey, key_version: KeyVersion, forms: CanonicalForms) -> Self {
        let keyed = HmacSha256::new_from_slice(key.expose()).expect("HMAC accepts any key length");
        Self {
            keyed,
            key_version,
            forms,
        }
    }

    /// A tokenizer with the keyring's current token key.
    pub fn from_keyring(keyring: &dyn Keyring, forms: CanonicalForms) -> Self {
        let (version, key) = keyring.current_token_key();
        Self::new(key, version, forms)
    }

    pub fn key_version(&self) -> KeyVersion {
        self.key_version
    }

    pub fn forms(&self) -> &CanonicalForms {
        &self.forms
    }

    /// The token of `value` as an entity of type `t` (canonicalized first).
    pub fn token(&self, t: EntityType, value: &str) -> String {
        self.token_id(t, value).to_token()
    }

    /// The token of a value that is already in canonical form.
    pub fn token_of_canonical(&self, t: EntityType, canonical: &str) -> String {
        self.id_of_canonical(t, canonical).to_token()
    }

    /// What [`Tokenizer::token`] spells out, before it is spelled out.
    pub(crate) fn token_id(&self, t: EntityType, value: &str) -> TokenId {
        let canonical = self.forms.canonical(t, value);
        let id = self.id_of_canonical(t, &canonical);
        // A canonical copy is as sensitive as the value itself.
        if let Cow::Owned(mut s) = canonical {
            s.zeroize();
        }
        id
    }

    fn id_of_canonical(&self, t: EntityType, canonical: &str) -> TokenId {
        let mut mac = self.keyed.clone();
        mac.update(t.as_str().as_bytes());
        mac.update(&[0]);
        mac.update(canonical.as_bytes());
        let mac = mac.finalize().into_bytes();
        let mut digest = [0u8; TOKEN_DIGEST_BYTES];
        digest.copy_from_slice(&mac[..TOKEN_DIGEST_BYTES]);
        TokenId {
            entity_type: t,
            digest,
        }
    }
}

/// A token as its type and digest: 21 bytes that hash and compare without touching the
/// heap, where the spelled-out token is a 40-odd byte `String`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TokenId {
    entity_type: EntityType,
    digest: [u8; TOKEN_DIGEST_BYTES],
}

/// Hashes the type and the digest's first 8 bytes only: the digest is a keyed HMAC, so
/// those bytes are as evenly spread as all 20 and cannot be aimed at a bucket by anyone
/// without the key. Equal ids hash alike, as `Eq` compares all of them.
impl Hash for TokenId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.entity_type.hash(state);
        let mut head = [0u8; 8];
        head.copy_from_slice(&self.digest[..8]);
        state.write_u64(u64::from_le_bytes(head));
    }
}

impl TokenId {
    /// `<TYPE>_<base32 digest>`.
    pub(crate) fn to_token(self) -> String {
        let name = self.entity_type.as_str();
        let mut token = String::with_capacity(name.len() + 1 + TOKEN_DIGEST_CHARS);
        token.push_str(name);
        token.push('_');
        token.push_str(spell_digest(&self.digest).as_str());
        token
    }

    /// The id of a spelled-out token; see [`parse_token`].
    pub(crate) fn parse(token: &str) -> Result<Self, VaultError> {
        let (entity_type, digest) = parse_token(token)?;
        Ok(Self {
            entity_type,
            digest,
        })
    }
}

/// RFC 4648 base32.
const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A digest's base32 spelling: what `BASE32_NOPAD` gives, five bytes (eight characters)
/// at a time from one integer. Every value tokenized is spelled out, and the general
/// encoder took ten times as long, a few percent of anonymizing fresh records.
fn spell_digest(digest: &[u8; TOKEN_DIGEST_BYTES]) -> Base32Digest {
    let mut chars = [0u8; TOKEN_DIGEST_CHARS];
    for (bytes, out) in digest.chunks_exact(5).zip(chars.chunks_exact_mut(8)) {
        let group = bytes
            .iter()
            .fold(0u64, |group, &b| (group << 8) | u64::from(b));
        for (i, c) in out.iter_mut().enumerate() {
            *c = BASE32_ALPHABET[((group >> (35 - 5 * i)) & 31) as usize];
        }
    }
    Base32Digest(chars)
}

struct Base32Digest([u8; TOKEN_DIGEST_CHARS]);

impl Base32Digest {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("base32 is ASCII")
    }
}

impl fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokenizer")
            .field("key", &"<redacted>")
            .field("key_version", &self.key_version)
            .finish()
    }
}

/// Splits a whole string that must be exactly one token into its type and digest.
pub fn parse_token(s: &str) -> Result<(EntityType, [u8; TOKEN_DIGEST_BYTES]), VaultError> {
    let malformed = || VaultError::MalformedToken(describe(s));
    if s.len() < TOKEN_DIGEST_CHARS + 2 || !s.is_char_boundary(s.len() - TOKEN_DIGEST_CHARS - 1) {
        return Err(malformed());
    }
    let (prefix, digest) = s.split_at(s.len() - TOKEN_DIGEST_CHARS);
    let name = prefix.strip_suffix('_').ok_or_else(malformed)?;
    let t: EntityType = name.parse().map_err(|_| malformed())?;
    if !digest
        .bytes()
        .all(|b| matches!(b, b'A'..=b'Z' | b'2'..=b'7'))
    {
        return Err(malformed());
    }
    let bytes = BASE32_NOPAD
        .decode(digest.as_bytes())
        .map_err(|_| malformed())?;
    let digest: [u8; TOKEN_DIGEST_BYTES] = bytes.try_into().map_err(|_| malformed())?;
    Ok((t, digest))
}

/// What may be said about a string that failed to parse as a token: it could be an
/// original pasted by mistake, so only its length is echoed.
fn describe(s: &str) -> String {
    format!(
        "expected <TYPE>_<{TOKEN_DIGEST_CHARS} base32 characters>, got {} bytes",
        s.len()
    )
}

#[cfg(test)]
mod tests {

    proptest::proptest! {
        #[test]
        fn digests_are_spelled_as_base32_nopad(digest: [u8; TOKEN_DIGEST_BYTES]) {
            let spelled = spell_digest(&digest);
            proptest::prop_assert_eq!(spelled.as_str(), BASE32_NOPAD.encode(&digest));
        }
    }
    use super::*;

    fn tokenizer(byte: u8) -> Tokenizer {
        Tokenizer::new(
            &SecretKey::from_bytes([byte; 32]),
            1,
            CanonicalForms::default(),
        )
    }

    #[test]
    fn tokens_are_type_prefixed_base32_of_160_bits() {
        let tok = tokenizer(7).token(EntityType::Email, "jane@example.com");
        let (prefix, digest) = tok.split_at(tok.len() - TOKEN_DIGEST_CHARS);
        assert_eq!(prefix, "EMAIL_");
        assert_eq!(digest.len(), 32);
        assert!(
            digest
                .bytes()
                .all(|b| matches!(b, b'A'..=b'Z' | b'2'..=b'7'))
        );
    }

    #[test]
    fn token_matches_an_independent_hmac_computation() {
        let key = [9u8; 32];
        let tok = Tokenizer::new(&SecretKey::from_bytes(key), 1, CanonicalForms::default())
            .token(EntityType::Phone, "+1 555-0100");
        let mut mac = HmacSha256::new_from_slice(&key).unwrap();
        mac.update(b"PHONE\x0015550100");
        let want = BASE32_NOPAD.encode(&mac.finalize().into_bytes()[..20]);
        assert_eq!(tok, format!("PHONE_{want}"));
    }

    #[test]
    fn same_value_same_token_and_canonical_spellings_join() {
        let t = tokenizer(1);
        let a = t.token(EntityType::CreditDebitNumber, "4111 1111 1111 1111");
        let b = t.token(EntityType::CreditDebitNumber, "4111-1111-1111-1111");
        assert_eq!(a, b);
        assert_eq!(
            a,
            t.clone()
                .token(EntityType::CreditDebitNumber, "4111111111111111")
        );
    }

    #[test]
    fn type_and_key_change_the_token() {
        let t = tokenizer(1);
        let ssn = t.token(EntityType::Ssn, "123456789");
        let phone = t.token(EntityType::Phone, "123456789");
        assert_ne!(ssn[4..], phone[6..]);
        assert_ne!(ssn, tokenizer(2).token(EntityType::Ssn, "123456789"));
    }

    #[test]
    fn parse_round_trips_and_rejects_near_misses() {
        let tok = tokenizer(3).token(EntityType::CreditDebitNumber, "4111111111111111");
        let (t, digest) = parse_token(&tok).unwrap();
        assert_eq!(t, EntityType::CreditDebitNumber);
        assert_eq!(BASE32_NOPAD.encode(&digest), tok[tok.len() - 32..]);

        for bad in [
            "",
            "EMAIL_",
            &tok[..tok.len() - 1],
            &format!("{tok}A"),
            &tok.replace("CREDIT_DEBIT_NUMBER", "credit_debit_number"),
            &tok.replace("CREDIT_DEBIT_NUMBER", "CREDIT__DEBIT_NUMBER"),
            &tok.replace("CREDIT_DEBIT_NUMBER_", "CREDIT_DEBIT_NUMBER-"),
            &format!("EMAIL_{}", "a".repeat(32)),
            &format!("EMAIL_{}", "1".repeat(32)),
            &format!("EMAIL_{}é", "A".repeat(31)),
        ] {
            let err = parse_token(bad).unwrap_err();
            assert!(matches!(err, VaultError::MalformedToken(_)), "{bad:?}");
            assert!(
                bad.is_empty() || !err.to_string().contains(bad),
                "echoed input"
            );
        }
    }

    #[test]
    fn any_upper_case_name_parses_as_a_custom_type_for_the_vault_to_judge() {
        // A token of a policy's own type, read by a process that never loaded the policy.
        let tok = tokenizer(3).token(EntityType::custom("EMPLOYEE_ID").unwrap(), "EMP-204981");
        assert!(tok.starts_with("EMPLOYEE_ID_"));
        let (t, _) = parse_token(&tok).unwrap();
        assert_eq!(t.as_str(), "EMPLOYEE_ID");
        let (t, _) = parse_token(&format!("STAFF_REF_{}", &tok[tok.len() - 32..])).unwrap();
        assert!(t.is_custom() && t.as_str() == "STAFF_REF");
    }

    #[test]
    fn token_ids_spell_out_as_tokens_and_parse_back() {
        let t = tokenizer(4);
        let id = t.token_id(EntityType::Email, " Jane@Example.com");
        let token = id.to_token();
        assert_eq!(token, t.token(EntityType::Email, "jane@example.com"));
        assert_eq!(TokenId::parse(&token).unwrap(), id);
        assert_ne!(id, t.token_id(EntityType::Name, "jane@example.com"));
    }

    #[test]
    fn debug_never_shows_the_key() {
        let dbg = format!("{:?}", tokenizer(0xAB));
        assert!(dbg.contains("redacted"));
        assert!(!dbg.to_lowercase().contains("ab, ab") && !dbg.contains("171"));
    }
}
