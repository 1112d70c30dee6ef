//! A JWKS cache: keys by `kid`, trusted for at most `max_age` after they were fetched (so a
//! key the issuer withdrew stops verifying within that time), and refetched early when a
//! token names a key we do not know (key rotation), but at most once per interval so a flood
//! of made-up `kid`s cannot turn the server into a load generator against the issuer.
//!
//! The set is fetched over https (plain http on loopback only, for tests and local issuers),
//! follows no redirect and reads at most [`MAX_JWKS_BYTES`].

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet, KeyAlgorithm, PublicKeyUse};

use crate::AuthError;

/// The largest JWKS body read (Cognito's is about 1 KiB).
pub const MAX_JWKS_BYTES: usize = 64 * 1024;

/// Where the signing keys come from.
#[derive(Debug, Clone)]
pub enum JwksSource {
    /// Fetched over HTTPS, e.g. `https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json`
    /// (http is accepted on loopback addresses only).
    Url(String),
    /// A fixed set (the local dev issuer): never refetched.
    Static(JwkSet),
}

/// Checks that `url` is https, or http to a loopback host.
pub fn check_jwks_url(url: &str) -> Result<(), AuthError> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|_| AuthError::JwksUrl(format!("{url:?} is not a URL")))?;
    let loopback = parsed.host_str().is_some_and(|host| {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        host.eq_ignore_ascii_case("localhost")
            || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    });
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(AuthError::JwksUrl(format!(
            "{url:?} must be https (plain http only on a loopback address)"
        ))),
    }
}

/// The keys of one fetch and when they were fetched (`None`: a static set, never stale).
struct Keys {
    map: Arc<HashMap<String, DecodingKey>>,
    fetched: Option<Instant>,
}

pub(crate) struct JwksCache {
    source: JwksSource,
    client: reqwest::Client,
    min_refetch_interval: Duration,
    max_age: Duration,
    keys: RwLock<Keys>,
    /// Serializes fetches and remembers when the last one started.
    last_fetch: tokio::sync::Mutex<Option<Instant>>,
    fetches: AtomicU64,
}

impl JwksCache {
    pub(crate) fn new(
        source: JwksSource,
        min_refetch_interval: Duration,
        max_age: Duration,
        http_timeout: Duration,
    ) -> Result<Self, AuthError> {
        if let JwksSource::Url(url) = &source {
            check_jwks_url(url)?;
        }
        let client = reqwest::Client::builder()
            .timeout(http_timeout)
            // A redirect could lead anywhere, http included: the configured URL or nothing.
            .redirect(reqwest::redirect::Policy::none())
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
            max_age,
            keys: RwLock::new(Keys {
                map: Arc::new(keys),
                fetched: None,
            }),
            last_fetch: tokio::sync::Mutex::new(None),
            fetches: AtomicU64::new(0),
        })
    }

    /// How many times the JWKS was requested (attempts, successful or not).
    pub(crate) fn fetch_count(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    pub(crate) async fn key_for(&self, kid: &str) -> Result<DecodingKey, AuthError> {
        let JwksSource::Url(url) = &self.source else {
            return self
                .cached(kid)
                .ok_or_else(|| AuthError::UnknownKey(kid.to_string()));
        };
        if !self.stale()
            && let Some(key) = self.cached(kid)
        {
            return Ok(key);
        }
        let mut last = self.last_fetch.lock().await;
        // Another request may have refreshed the set while we waited for the lock.
        let stale = self.stale();
        if !stale && let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        if let Some(at) = *last
            && at.elapsed() < self.min_refetch_interval
        {
            return Err(if stale {
                AuthError::Jwks("the key set is out of date and was fetched too recently".into())
            } else {
                AuthError::UnknownKey(kid.to_string())
            });
        }
        // Counted before the request: a failing endpoint is rate limited the same way.
        *last = Some(Instant::now());
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let set = match self.fetch(url).await {
            Ok(set) => set,
            Err(e) => {
                // Keys past their age are not trusted, even when no fresh set can be had.
                if stale {
                    self.replace(HashMap::new(), None);
                }
                return Err(e);
            }
        };
        let fresh = usable_keys(&set);
        let key = fresh.get(kid).cloned();
        self.replace(fresh, Some(Instant::now()));
        key.ok_or_else(|| AuthError::UnknownKey(kid.to_string()))
    }

    /// Whether the fetched keys are missing or older than `max_age`.
    fn stale(&self) -> bool {
        let keys = self.keys.read().unwrap_or_else(|p| p.into_inner());
        keys.fetched.is_none_or(|at| at.elapsed() >= self.max_age)
    }

    fn replace(&self, map: HashMap<String, DecodingKey>, fetched: Option<Instant>) {
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = Keys {
            map: Arc::new(map),
            fetched,
        };
    }

    fn cached(&self, kid: &str) -> Option<DecodingKey> {
        let keys = self
            .keys
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .map
            .clone();
        keys.get(kid).cloned()
    }

    async fn fetch(&self, url: &str) -> Result<JwkSet, AuthError> {
        let mut response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| AuthError::Jwks(format!("request failed: {e}")))?;
        if !response.status().is_success() {
            return Err(AuthError::Jwks(format!("status {}", response.status())));
        }
        let too_large =
            || AuthError::Jwks(format!("the key set is larger than {MAX_JWKS_BYTES} bytes"));
        if response
            .content_length()
            .is_some_and(|n| n > MAX_JWKS_BYTES as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| AuthError::Jwks(format!("reading the key set: {e}")))?
        {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        serde_json::from_slice::<JwkSet>(&body)
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
            Duration::from_secs(3600),
            Duration::from_secs(2),
        )
        .unwrap();
        assert!(matches!(cache.key_for("k").await, Err(AuthError::Jwks(_))));
        assert!(matches!(cache.key_for("k").await, Err(AuthError::Jwks(_))));
        assert_eq!(cache.fetch_count(), 1);
    }

    #[test]
    fn jwks_urls_must_be_https_but_on_loopback() {
        for ok in [
            "https://cognito-idp.eu-west-1.amazonaws.com/p/.well-known/jwks.json",
            "http://127.0.0.1:8080/jwks.json",
            "http://[::1]:9/jwks.json",
            "http://localhost/jwks.json",
        ] {
            assert!(check_jwks_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://issuer.example/jwks.json",
            "http://10.0.0.1/jwks.json",
            "http://127.0.0.1.nip.io/jwks.json",
            "ftp://127.0.0.1/jwks.json",
            "file:///etc/jwks.json",
            "not a url",
        ] {
            let err = check_jwks_url(bad).unwrap_err();
            assert_eq!(err.kind(), crate::AuthErrorKind::Config, "{bad}");
        }
    }

    /// An HTTP server on loopback that answers every request with `response` and counts
    /// the requests; returns its base URL and the counter.
    async fn answering(response: Vec<u8>) -> (String, Arc<AtomicU64>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicU64::new(0));
        let counter = hits.clone();
        tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let mut buf = [0u8; 4096];
                let _ = conn.read(&mut buf).await;
                let _ = conn.write_all(&response).await;
                let _ = conn.shutdown().await;
            }
        });
        (url, hits)
    }

    fn cache(url: String) -> JwksCache {
        JwksCache::new(
            JwksSource::Url(url),
            Duration::ZERO,
            Duration::from_secs(3600),
            Duration::from_secs(5),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn redirects_are_not_followed() {
        let body = json!({"keys": [{"kty": "RSA", "kid": "k1", "n": N, "e": "AQAB"}]}).to_string();
        let (target, target_hits) = answering(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes(),
        )
        .await;
        let (url, _) = answering(
            format!("HTTP/1.1 302 Found\r\nLocation: {target}/jwks\r\nContent-Length: 0\r\n\r\n")
                .into_bytes(),
        )
        .await;
        let err = cache(format!("{url}/jwks"))
            .key_for("k1")
            .await
            .err()
            .unwrap();
        assert!(
            matches!(&err, AuthError::Jwks(m) if m.contains("302")),
            "{err}"
        );
        assert_eq!(target_hits.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn oversized_key_sets_are_refused() {
        let padding = "x".repeat(MAX_JWKS_BYTES);
        let body = format!(r#"{{"keys": [], "padding": "{padding}"}}"#);
        let with_length = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        // Without a length the body is counted as it arrives.
        let without_length = format!("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{body}");
        for response in [with_length, without_length] {
            let (url, _) = answering(response.into_bytes()).await;
            let err = cache(format!("{url}/jwks"))
                .key_for("k1")
                .await
                .err()
                .unwrap();
            assert!(
                matches!(&err, AuthError::Jwks(m) if m.contains("larger")),
                "{err}"
            );
        }
    }

    #[tokio::test]
    async fn a_set_past_its_age_is_not_used_when_it_cannot_be_refreshed() {
        let body = json!({"keys": [{"kty": "RSA", "kid": "k1", "n": N, "e": "AQAB"}]}).to_string();
        let (url, _) = answering(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes(),
        )
        .await;
        let cache = JwksCache::new(
            JwksSource::Url(format!("{url}/jwks")),
            Duration::ZERO,
            Duration::ZERO,
            Duration::from_secs(5),
        )
        .unwrap();
        assert!(cache.key_for("k1").await.is_ok());
        // The endpoint goes away; the stale key must not verify anything.
        let dead = JwksCache {
            source: JwksSource::Url("http://127.0.0.1:9/jwks.json".into()),
            ..cache
        };
        assert!(matches!(dead.key_for("k1").await, Err(AuthError::Jwks(_))));
        assert!(dead.cached("k1").is_none());
    }
}
