//! A local token issuer for development: an RSA key on disk, its JWKS, and client_credentials
//! style access tokens with chosen scopes. Used by `piiflow serve --dev-auth` and
//! `piiflow token --scope ...`; never on a non-loopback address (see `ensure_loopback`).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::JwksSource;
use super::{AuthError, JwtConfig};

/// A development issuer.
pub struct DevAuth {
    key: EncodingKey,
    jwk: Jwk,
    issuer: String,
    client_id: String,
}

impl std::fmt::Debug for DevAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevAuth")
            .field("kid", &self.kid())
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct DevClaims<'a> {
    sub: &'a str,
    iss: &'a str,
    client_id: &'a str,
    token_use: &'a str,
    scope: String,
    iat: u64,
    exp: u64,
    jti: String,
}

impl DevAuth {
    pub const DEFAULT_ISSUER: &'static str = "http://127.0.0.1/piiflow-dev";
    pub const DEFAULT_CLIENT_ID: &'static str = "piiflow-dev-client";

    /// Uses an RSA private key in PEM (PKCS#1 or PKCS#8).
    pub fn from_pem(pem: &[u8]) -> Result<Self, AuthError> {
        let key = EncodingKey::from_rsa_pem(pem)
            .map_err(|e| AuthError::Key(format!("not an RSA private key PEM: {e}")))?;
        let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256)
            .map_err(|e| AuthError::Key(format!("cannot derive the public key: {e}")))?;
        let AlgorithmParameters::RSA(rsa) = &jwk.algorithm else {
            return Err(AuthError::Key("not an RSA key".into()));
        };
        // A stable kid derived from the public key, so restarts keep issued tokens valid.
        let digest = Sha256::digest(format!("{}.{}", rsa.n, rsa.e).as_bytes());
        let kid = data_encoding::HEXLOWER.encode(&digest[..8]);
        jwk.common.key_id = Some(kid);
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        Ok(Self {
            key,
            jwk,
            issuer: Self::DEFAULT_ISSUER.into(),
            client_id: Self::DEFAULT_CLIENT_ID.into(),
        })
    }

    /// Loads the key at `path`, or creates a 2048-bit key there (mode 0600) if there is none.
    /// Generation takes a while in debug builds.
    /// Refuses a key file that group or others may access, as the keyring does: anyone
    /// who read it can mint tokens this server accepts.
    pub fn load_or_create(path: &Path) -> Result<Self, AuthError> {
        match read_private(path) {
            Ok(pem) => Self::from_pem(&pem),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let pem = generate_pem()?;
                write_private(path, pem.as_bytes())?;
                Self::from_pem(pem.as_bytes())
            }
            Err(e) => Err(AuthError::Key(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = issuer.into();
        self
    }

    pub fn with_client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = client_id.into();
        self
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub fn kid(&self) -> &str {
        self.jwk.common.key_id.as_deref().unwrap_or_default()
    }

    /// The public key set (what `/.well-known/jwks.json` serves in dev mode).
    pub fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: vec![self.jwk.clone()],
        }
    }

    /// A verifier configuration that accepts exactly this issuer's tokens.
    pub fn jwt_config(&self) -> JwtConfig {
        let mut config = JwtConfig::new(JwksSource::Static(self.jwks()), self.issuer.clone());
        config.allowed_client_ids = Some(BTreeSet::from([self.client_id.clone()]));
        config
    }

    /// An access token for this issuer's client with these scopes, valid for `ttl`.
    pub fn mint(&self, scopes: &[&str], ttl: Duration) -> Result<String, AuthError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| AuthError::Key("clock before 1970".into()))?
            .as_secs();
        let claims = DevClaims {
            sub: &self.client_id,
            iss: &self.issuer,
            client_id: &self.client_id,
            token_use: "access",
            scope: scopes.join(" "),
            iat: now,
            exp: now + ttl.as_secs(),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid().to_string());
        encode(&header, &claims, &self.key).map_err(|e| AuthError::Key(format!("signing: {e}")))
    }
}

/// A fresh 2048-bit RSA key as PKCS#8 PEM, from aws-lc-rs (the process's one crypto
/// provider).
fn generate_pem() -> Result<String, AuthError> {
    use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    let key = KeyPair::generate(KeySize::Rsa2048)
        .map_err(|_| AuthError::Key("RSA key generation failed".into()))?;
    let der: Pkcs8V1Der<'static> = key
        .as_der()
        .map_err(|_| AuthError::Key("PKCS#8 encoding failed".into()))?;
    let body = zeroize::Zeroizing::new(data_encoding::BASE64.encode(der.as_ref()));
    let mut pem = String::with_capacity(body.len() + body.len() / 64 + 64);
    pem.push_str("-----BEGIN PRIVATE KEY-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        pem.push('\n');
    }
    pem.push_str("-----END PRIVATE KEY-----\n");
    Ok(pem)
}

/// Reads a file only its owner may access (mode 0600 or tighter).
fn read_private(path: &Path) -> std::io::Result<zeroize::Zeroizing<Vec<u8>>> {
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;
    let mut file = std::fs::File::open(path)?;
    let mode = file.metadata()?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "the key file has permissions {mode:04o}, readable by others; refusing to use \
                 it. Delete it to have a new key made (tokens signed with this one may have \
                 been forged), or run `chmod 600 {}` if nobody else could read it",
                path.display()
            ),
        ));
    }
    let mut pem = zeroize::Zeroizing::new(Vec::new());
    file.read_to_end(&mut pem)?;
    Ok(pem)
}

/// Writes a new file readable by the owner only; never replaces an existing one.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), AuthError> {
    let err = |e: std::io::Error| AuthError::Key(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(err)?;
    file.write_all(bytes).map_err(err)?;
    file.sync_all().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{AuthMethod, JwtVerifier};

    const TEST_KEY: &[u8] = include_bytes!("../../tests/keys/test-key-1.pem");

    #[tokio::test]
    async fn minted_tokens_verify_with_its_own_config() {
        let dev = DevAuth::from_pem(TEST_KEY).unwrap();
        let token = dev
            .mint(&["pii/anonymize"], Duration::from_secs(300))
            .unwrap();
        let verifier = JwtVerifier::new(dev.jwt_config()).unwrap();
        let p = verifier.verify(&token).await.unwrap();
        assert_eq!(p.scopes, vec!["pii/anonymize"]);
        assert_eq!(p.client_id, DevAuth::DEFAULT_CLIENT_ID);
        assert_eq!(p.via, AuthMethod::Jwt);
    }

    #[test]
    fn kid_is_stable_and_jwks_is_public_only() {
        let a = DevAuth::from_pem(TEST_KEY).unwrap();
        let b = DevAuth::from_pem(TEST_KEY).unwrap();
        assert_eq!(a.kid(), b.kid());
        assert_eq!(a.kid().len(), 16);
        let json = serde_json::to_value(a.jwks()).unwrap();
        let key = &json["keys"][0];
        assert_eq!(key["kty"], "RSA");
        assert_eq!(key["kid"], a.kid());
        assert!(
            key.get("d").is_none(),
            "private exponent must not be published"
        );
    }

    #[test]
    fn loads_an_existing_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dev-key.pem");
        write_private(&path, TEST_KEY).unwrap();
        let dev = DevAuth::load_or_create(&path).unwrap();
        assert_eq!(dev.kid(), DevAuth::from_pem(TEST_KEY).unwrap().kid());
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused_and_left_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dev-key.pem");
        write_private(&path, TEST_KEY).unwrap();
        for loose in [0o644, 0o640, 0o604] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(loose)).unwrap();
            let err = DevAuth::load_or_create(&path).unwrap_err().to_string();
            assert!(
                err.contains(&format!("{loose:04o}")) && err.contains("chmod 600"),
                "{err}"
            );
            assert!(!err.contains("PRIVATE KEY"), "{err}");
            assert_eq!(std::fs::read(&path).unwrap(), TEST_KEY, "not replaced");
        }
    }

    #[tokio::test]
    async fn a_missing_key_is_generated_owner_only_and_reloads_the_same() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dev-key.pem");
        let made = DevAuth::load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let pem = std::fs::read_to_string(&path).unwrap();
        assert!(
            pem.starts_with("-----BEGIN PRIVATE KEY-----\n"),
            "PKCS#8 PEM"
        );
        let again = DevAuth::load_or_create(&path).unwrap();
        assert_eq!(made.kid(), again.kid());
        let token = made
            .mint(&["pii/reidentify"], Duration::from_secs(60))
            .unwrap();
        let p = JwtVerifier::new(again.jwt_config())
            .unwrap()
            .verify(&token)
            .await
            .unwrap();
        assert_eq!(p.scopes, vec!["pii/reidentify"]);
    }

    #[test]
    fn garbage_pem_is_a_key_error() {
        assert!(matches!(
            DevAuth::from_pem(b"not a key"),
            Err(AuthError::Key(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_0600_and_never_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("k.pem");
        write_private(&path, b"x").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(write_private(&path, b"y").is_err());
    }
}
