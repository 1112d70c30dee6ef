//! The stored form of a KMS keyring: every key KMS-encrypted, safe to keep in S3, SSM
//! Parameter Store, an environment variable or a file.

use serde::{Deserialize, Serialize};

use crate::{KeyVersion, VaultError};

/// One KMS-encrypted 256-bit key (the `CiphertextBlob` of GenerateDataKey), base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedKey {
    pub version: KeyVersion,
    pub ciphertext_b64: String,
}

/// Token (HMAC) keys and data (AES) keys, each list versioned; the highest version is
/// current. Every blob is bound by its KMS encryption context to its purpose and
/// version, so a blob moved to the other list or another version fails to decrypt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedKeyring {
    /// The KMS key (id, ARN or alias) that wraps every key here; Decrypt is pinned to
    /// it so a blob wrapped under another key is refused.
    pub kms_key_id: String,
    pub token_keys: Vec<WrappedKey>,
    pub data_keys: Vec<WrappedKey>,
}

impl WrappedKeyring {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain strings and numbers serialize")
    }

    pub fn from_json(json: &str) -> Result<Self, VaultError> {
        serde_json::from_str(json)
            .map_err(|e| VaultError::Keyring(format!("wrapped keyring is not valid JSON: {e}")))
    }

    /// The version the next data key of a rotation gets.
    pub fn next_data_version(&self) -> KeyVersion {
        self.data_keys.iter().map(|k| k.version).max().unwrap_or(0) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_and_next_version() {
        let w = WrappedKeyring {
            kms_key_id: "alias/piiflow".into(),
            token_keys: vec![WrappedKey {
                version: 1,
                ciphertext_b64: "AAAA".into(),
            }],
            data_keys: vec![
                WrappedKey {
                    version: 1,
                    ciphertext_b64: "BBBB".into(),
                },
                WrappedKey {
                    version: 3,
                    ciphertext_b64: "CCCC".into(),
                },
            ],
        };
        assert_eq!(WrappedKeyring::from_json(&w.to_json()).unwrap(), w);
        assert_eq!(w.next_data_version(), 4);
        assert!(matches!(
            WrappedKeyring::from_json("{"),
            Err(VaultError::Keyring(_))
        ));
    }
}
