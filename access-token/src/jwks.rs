//! A JWKS cache: keys by `kid`, refetched when a token names a key we do not know (key
//! rotation), but at most once per interval so a flood of made-up `kid`s cannot turn the
//! server into a load generator against the issuer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet, KeyAlgorithm, PublicKeyUse};

use crate::AuthError;

/// Where the signing keys come from.
#[derive(Debug, Clone)]
pub enum JwksSource {
    /// Fetched over HTTP(S), e.g. `https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json`.
    Url(String),
    /// A fixed set (the local dev issuer): never refetched.
    Static(JwkSet),
}

type KeyMap = Arc<HashMap<String, DecodingKey>>;

pub(crate) struct JwksCache {
    source: JwksSource,
    client: reqwest::Client,
    min_refetch_interval: Duration,
    keys: RwLock<KeyMap>,
    /// Serializes fetches and remembers when the last one started.
    last_fetch: tokio::sync::Mutex<Option<Instant>>,
    fetches: AtomicU64,
}

impl JwksCache {
    pub(crate) fn new(
        source: JwksSource,
        min_refetch_interval: Duration,
        http_timeout: Duration,
    ) -> Result<Self, AuthError> {
        let client = reqwest::Client::builder()
            .timeout(http_timeout)
            .build()
            .map_err(|e| AuthError::Jwks(format!("cannot build HTTP client: {e}")))?;
        let keys = match &source {
            JwksSource::Static(set) => usable_keys(set),
            JwksSource::Url(_) => HashMap::new(),
        };
        Ok(Self {
            source,
            client,
            min_refetch_interval,
            keys: RwLock::new(Arc::new(keys)),
            last_fetch: tokio::sync::Mutex::new(None),
            fetches: AtomicU64::new(0),
        })
    }

    /// How many times the JWKS was requested (attempts, successful or not).
    pub(crate) fn fetch_count(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    pub(crate) async fn key_for(&self, kid: &str) -> Result<DecodingKey, AuthError> {
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let JwksSource::Url(url) = &self.source else {
            return Err(AuthError::UnknownKey(kid.to_string()));
        };
        let mut last = self.last_fetch.lock().await;
        // Another request may have refreshed the set while we waited for the lock.
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        if let Some(at) = *last
            && at.elapsed() < self.min_refetch_interval
        {
            return Err(AuthError::UnknownKey(kid.to_string()));
        }
        // Counted before the request: a failing endpoint is rate limited the same way.
        *last = Some(Instant::now());
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let set = self.fetch(url).await?;
        let fresh = Arc::new(usable_keys(&set));
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = fresh.clone();
        fresh
            .get(kid)
            .cloned()
            .ok_or_else(|| AuthError::UnknownKey(kid.to_string()))
    }

    fn cached(&self, kid: &str) -> Option<DecodingKey> {
        let keys = self.keys.read().unwrap_or_else(|p| p.into_inner()).clone();
        keys.get(kid).cloned()
    }

    async fn fetch(&self, url: &str) -> Result<JwkSet, AuthError> {
        let response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| AuthError::Jwks(format!("request failed: {e}")))?;
        if !response.status().is_success() {
            return Err(AuthError::Jwks(format!("status {}", response.status())));
        }
        response
            .json::<JwkSet>()
            .await
            .map_err(|e| AuthError::Jwks(format!("not a JWK set: {e}")))
    }
}

/// RSA signature keys with a `kid`, usable for RS256. Anything else in the set (encryption
/// keys, EC keys, keys pinned to another algorithm) is skipped, so it can never verify a token.
fn usable_keys(set: &JwkSet) -> HashMap<String, DecodingKey> {
    set.keys
        .iter()
        .filter(|jwk| matches!(jwk.algorithm, AlgorithmParameters::RSA(_)))
        .filter(|jwk| matches!(jwk.common.key_algorithm, None | Some(KeyAlgorithm::RS256)))
        .filter(|jwk| {
            matches!(
                jwk.common.public_key_use,
                None | Some(PublicKeyUse::Signature)
            )
        })
        .filter_map(|jwk| {
            let kid = jwk.common.key_id.clone()?;
            let key = DecodingKey::from_jwk(jwk).ok()?;
            Some((kid, key))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(value: serde_json::Value) -> JwkSet {
        serde_json::from_value(value).unwrap()
    }

    const N: &str = "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw";

    #[test]
    fn only_rs256_signature_keys_with_kid_are_kept() {
        let keys = usable_keys(&set(json!({"keys": [
            {"kty": "RSA", "kid": "good", "alg": "RS256", "use": "sig", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "bare", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "enc", "use": "enc", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "rs384", "alg": "RS384", "n": N, "e": "AQAB"},
            {"kty": "RSA", "n": N, "e": "AQAB"},
            {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"}
        ]})));
        let mut kids: Vec<_> = keys.keys().cloned().collect();
        kids.sort();
        assert_eq!(kids, vec!["bare", "good"]);
    }

    #[tokio::test]
    async fn static_source_never_fetches() {
        let cache = JwksCache::new(
            JwksSource::Static(set(json!({"keys": [
                {"kty": "RSA", "kid": "k1", "n": N, "e": "AQAB"}
            ]}))),
            Duration::ZERO,
            Duration::from_secs(1),
        )
        .unwrap();
        assert!(cache.key_for("k1").await.is_ok());
        assert!(matches!(
            cache.key_for("other").await,
            Err(AuthError::UnknownKey(_))
        ));
        assert_eq!(cache.fetch_count(), 0);
    }

    #[tokio::test]
    async fn unreachable_jwks_is_rate_limited() {
        // Port 9 on loopback: nothing listens, the connection is refused at once.
        let cache = JwksCache::new(
            JwksSource::Url("http://127.0.0.1:9/jwks.json".into()),
            Duration::from_secs(3600),
            Duration::from_secs(2),
        )
        .unwrap();
        assert!(matches!(cache.key_for("k").await, Err(AuthError::Jwks(_))));
        assert!(matches!(
            cache.key_for("k").await,
            Err(AuthError::UnknownKey(_))
        ));
        assert_eq!(cache.fetch_count(), 1);
    }
}
