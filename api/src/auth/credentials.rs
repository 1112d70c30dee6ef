//! Pulling credentials out of a request: bearer token, `x-api-key` header, `api_key` cookie,
//! and (only when enabled) `?api_key=`.

use axum::http::{HeaderMap, Uri, header};

use super::AuthError;

pub const API_KEY_HEADER: &str = "x-api-key";
pub const API_KEY_COOKIE: &str = "api_key";
pub const API_KEY_QUERY: &str = "api_key";

/// The credentials a request carries. Debug never prints them.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    Bearer(String),
    ApiKey(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Self::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
        }
    }
}

impl Credentials {
    /// The first credentials found, in the order bearer, header, cookie, query. A request
    /// offering a query key while that is disabled is refused outright rather than treated as
    /// anonymous, so the client learns why.
    pub fn from_request(
        headers: &HeaderMap,
        uri: &Uri,
        allow_query_key: bool,
    ) -> Result<Self, AuthError> {
        if let Some(value) = headers.get(header::AUTHORIZATION) {
            let value = value
                .to_str()
                .map_err(|_| AuthError::Malformed("authorization header".into()))?;
            let (scheme, token) = value
                .split_once(' ')
                .ok_or_else(|| AuthError::Malformed("authorization header".into()))?;
            if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
                return Err(AuthError::Malformed("expected a Bearer token".into()));
            }
            return Ok(Self::Bearer(token.trim().to_string()));
        }
        if let Some(value) = headers.get(API_KEY_HEADER) {
            let key = value
                .to_str()
                .map_err(|_| AuthError::Malformed("x-api-key header".into()))?;
            return Ok(Self::ApiKey(key.trim().to_string()));
        }
        if let Some(key) = cookie_value(headers, API_KEY_COOKIE) {
            return Ok(Self::ApiKey(key));
        }
        if let Some(key) = query_value(uri, API_KEY_QUERY) {
            if !allow_query_key {
                return Err(AuthError::QueryApiKeyDisabled);
            }
            return Ok(Self::ApiKey(key));
        }
        Err(AuthError::MissingCredentials)
    }
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
}

fn query_value(uri: &Uri, name: &str) -> Option<String> {
    let query = uri.query()?;
    let pairs: Vec<(String, String)> = serde_urlencoded_pairs(query);
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// Parses `a=b&c=d` with percent-decoding, via axum's own query parser.
fn serde_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
    let uri: Uri = match format!("/?{query}").parse() {
        Ok(u) => u,
        Err(_) => return Vec::new(),
    };
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&uri)
        .map(|q| q.0)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn bearer_wins() {
        let h = headers(&[("authorization", "Bearer abc"), ("x-api-key", "k")]);
        assert_eq!(
            Credentials::from_request(&h, &uri("/"), false).unwrap(),
            Credentials::Bearer("abc".into())
        );
    }

    #[test]
    fn other_schemes_are_malformed() {
        let h = headers(&[("authorization", "Basic dXNlcjpwYXNz")]);
        assert!(matches!(
            Credentials::from_request(&h, &uri("/"), false),
            Err(AuthError::Malformed(_))
        ));
    }

    #[test]
    fn api_key_from_header_and_cookie() {
        let h = headers(&[("x-api-key", "k1")]);
        assert_eq!(
            Credentials::from_request(&h, &uri("/"), false).unwrap(),
            Credentials::ApiKey("k1".into())
        );
        let h = headers(&[("cookie", "theme=dark; api_key=k2; x=y")]);
        assert_eq!(
            Credentials::from_request(&h, &uri("/"), false).unwrap(),
            Credentials::ApiKey("k2".into())
        );
    }

    #[test]
    fn query_key_only_when_enabled() {
        let h = HeaderMap::new();
        let u = uri("/v1/anonymize?x=1&api_key=pfk%5Fabc");
        assert!(matches!(
            Credentials::from_request(&h, &u, false),
            Err(AuthError::QueryApiKeyDisabled)
        ));
        assert_eq!(
            Credentials::from_request(&h, &u, true).unwrap(),
            Credentials::ApiKey("pfk_abc".into())
        );
    }

    #[test]
    fn nothing_is_missing() {
        assert!(matches!(
            Credentials::from_request(&HeaderMap::new(), &uri("/"), true),
            Err(AuthError::MissingCredentials)
        ));
    }

    #[test]
    fn debug_redacts() {
        let c = Credentials::Bearer("secret-token".into());
        assert!(!format!("{c:?}").contains("secret"));
    }
}
