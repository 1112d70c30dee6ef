//! Verification of Cognito-style RS256 access tokens.

use std::collections::BTreeSet;
use std::time::Duration;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation, decode, decode_header};
use serde::Deserialize;

use crate::identity::split_scopes;
use crate::jwks::{JwksCache, JwksSource};
use crate::{AuthError, AuthMethod, Identity};

/// What a token must satisfy to be accepted.
#[derive(Debug, Clone)]
pub struct JwtConfig {
    pub jwks: JwksSource,
    /// Exact `iss` (Cognito: `https://cognito-idp.<region>.amazonaws.com/<pool id>`).
    pub issuer: String,
    /// When set, the token's `client_id` must be one of these.
    pub allowed_client_ids: Option<BTreeSet<String>>,
    /// Clock skew tolerated on `exp` and `nbf`. Default 30 s.
    pub leeway: Duration,
    /// Least time between two JWKS fetches caused by unknown `kid`s. Default 10 s.
    pub min_refetch_interval: Duration,
    /// How long fetched keys are trusted before the set is fetched again. Default 1 h.
    pub jwks_max_age: Duration,
    /// Timeout of one JWKS request. Default 5 s.
    pub http_timeout: Duration,
}

impl JwtConfig {
    pub fn new(jwks: JwksSource, issuer: impl Into<String>) -> Self {
        Self {
            jwks,
            issuer: issuer.into(),
            allowed_client_ids: None,
            leeway: Duration::from_secs(30),
            min_refetch_interval: Duration::from_secs(10),
            jwks_max_age: Duration::from_secs(3600),
            http_timeout: Duration::from_secs(5),
        }
    }

    /// The issuer and JWKS URL of a Cognito user pool.
    pub fn cognito(region: &str, user_pool_id: &str) -> Self {
        let issuer = format!("https://cognito-idp.{region}.amazonaws.com/{user_pool_id}");
        let jwks = JwksSource::Url(format!("{issuer}/.well-known/jwks.json"));
        Self::new(jwks, issuer)
    }
}

/// The claims we read from an access token. `exp`, `nbf`, `iss` are checked by jsonwebtoken.
#[derive(Debug, Deserialize)]
struct AccessClaims {
    sub: String,
    token_use: Option<String>,
    client_id: Option<String>,
    username: Option<String>,
    scope: Option<String>,
}

/// Verifies access tokens against a cached JWKS.
pub struct JwtVerifier {
    config: JwtConfig,
    jwks: JwksCache,
    validation: Validation,
}

impl std::fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtVerifier")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl JwtVerifier {
    /// Refuses a configuration that would accept any app client of the issuer: a user pool
    /// serves many clients, and which of them may call is part of the configuration.
    pub fn new(config: JwtConfig) -> Result<Self, AuthError> {
        if config
            .allowed_client_ids
            .as_ref()
            .is_none_or(|c| c.is_empty())
        {
            return Err(AuthError::Config(
                "an issuer's tokens are accepted only for named app clients (client ids)".into(),
            ));
        }
        let jwks = JwksCache::new(
            config.jwks.clone(),
            config.min_refetch_interval,
            config.jwks_max_age,
            config.http_timeout,
        )?;
        // RS256 only: this list is what stops `none`, HS256-with-the-public-key and any other
        // algorithm the token header asks for.
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = config.leeway.as_secs();
        validation.validate_exp = true;
        validation.validate_nbf = true;
        // Cognito access tokens carry no `aud`; the app client is checked via `client_id`.
        validation.validate_aud = false;
        validation.set_issuer(&[&config.issuer]);
        // `iss` is only compared when present, so it must be required.
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        Ok(Self {
            config,
            jwks,
            validation,
        })
    }

    /// How many times the JWKS endpoint was asked (for tests and metrics).
    pub fn jwks_fetch_count(&self) -> u64 {
        self.jwks.fetch_count()
    }

    pub async fn verify(&self, token: &str) -> Result<Identity, AuthError> {
        let header = decode_header(token)
            .map_err(|e| AuthError::Malformed(format!("token header: {}", e.kind_name())))?;
        if header.alg != Algorithm::RS256 {
            return Err(AuthError::UnsupportedAlgorithm(format!("{:?}", header.alg)));
        }
        // Keys embedded in the header (`jwk`, `jku`, `x5u`) are ignored on purpose: only the
        // configured JWKS decides which keys are trusted.
        let kid = header
            .kid
            .ok_or_else(|| AuthError::MissingClaim("kid".into()))?;
        let key = self.jwks.key_for(&kid).await?;
        let claims = decode::<AccessClaims>(token, &key, &self.validation)
            .map_err(map_jwt_error)?
            .claims;

        match claims.token_use.as_deref() {
            Some("access") => {}
            Some(other) => return Err(AuthError::WrongTokenUse(other.to_string())),
            None => return Err(AuthError::MissingClaim("token_use".into())),
        }
        let client_id = claims
            .client_id
            .ok_or_else(|| AuthError::MissingClaim("client_id".into()))?;
        if let Some(allowed) = &self.config.allowed_client_ids
            && !allowed.contains(&client_id)
        {
            return Err(AuthError::ClientNotAllowed);
        }
        Ok(Identity {
            sub: claims.sub,
            client_id,
            username: claims.username,
            scopes: claims
                .scope
                .as_deref()
                .map(split_scopes)
                .unwrap_or_default(),
            via: AuthMethod::Jwt,
        })
    }
}

fn map_jwt_error(err: jsonwebtoken::errors::Error) -> AuthError {
    match err.kind() {
        ErrorKind::ExpiredSignature => AuthError::Expired,
        ErrorKind::ImmatureSignature => AuthError::NotYetValid,
        ErrorKind::InvalidIssuer => AuthError::WrongIssuer,
        ErrorKind::InvalidSignature => AuthError::BadSignature,
        ErrorKind::InvalidAlgorithm | ErrorKind::UnsupportedAlgorithm => {
            AuthError::UnsupportedAlgorithm("not RS256".into())
        }
        ErrorKind::MissingRequiredClaim(c) => AuthError::MissingClaim(c.clone()),
        _ => AuthError::Malformed(err.kind_name()),
    }
}

/// Short names for logs: jsonwebtoken's Display may quote parts of the token.
trait KindName {
    fn kind_name(&self) -> String;
}

impl KindName for jsonwebtoken::errors::Error {
    fn kind_name(&self) -> String {
        match self.kind() {
            ErrorKind::InvalidToken => "invalid token".into(),
            ErrorKind::InvalidAlgorithmName => "invalid algorithm name".into(),
            ErrorKind::Base64(_) => "bad base64".into(),
            ErrorKind::Json(_) => "bad json".into(),
            ErrorKind::Utf8(_) => "bad utf-8".into(),
            ErrorKind::InvalidClaimFormat(c) => format!("bad claim format: {c}"),
            other => format!("{other:?}").chars().take(60).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cognito_urls() {
        let c = JwtConfig::cognito("eu-west-1", "eu-west-1_abc");
        assert_eq!(
            c.issuer,
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"
        );
        match c.jwks {
            JwksSource::Url(u) => assert_eq!(
                u,
                "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json"
            ),
            JwksSource::Static(_) => panic!("expected a URL"),
        }
        assert_eq!(c.leeway, Duration::from_secs(30));
    }

    #[test]
    fn an_issuer_without_client_ids_is_refused() {
        let mut c = JwtConfig::new(JwksSource::Static(Default::default()), "iss");
        assert_eq!(
            JwtVerifier::new(c.clone()).unwrap_err().kind(),
            crate::AuthErrorKind::Config
        );
        c.allowed_client_ids = Some(BTreeSet::new());
        assert!(JwtVerifier::new(c).is_err());
    }

    #[tokio::test]
    async fn garbage_is_malformed() {
        let mut config = JwtConfig::new(JwksSource::Static(Default::default()), "iss");
        config.allowed_client_ids = Some(BTreeSet::from(["c".to_string()]));
        let v = JwtVerifier::new(config).unwrap();
        assert!(matches!(
            v.verify("not-a-jwt").await,
            Err(AuthError::Malformed(_))
        ));
    }
}
