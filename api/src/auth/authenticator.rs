//! Tries every configured way in and returns the caller's principal.

use std::sync::Arc;

use axum::http::{Extensions, HeaderMap, Uri};

use super::{
    ApiKeyStore, AuthError, AuthorizerJwt, Credentials, JwtConfig, JwtVerifier,
    principal_from_authorizer, verify_api_key,
};
use crate::auth::Identity;
use crate::config::AuthConfig;

pub struct Authenticator {
    jwt: Option<JwtVerifier>,
    api_keys: Option<Arc<dyn ApiKeyStore>>,
    api_key_query_param: bool,
    trust_lambda_authorizer: bool,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("jwt", &self.jwt)
            .field("api_keys", &self.api_keys.is_some())
            .field("api_key_query_param", &self.api_key_query_param)
            .field("trust_lambda_authorizer", &self.trust_lambda_authorizer)
            .finish()
    }
}

impl Authenticator {
    pub fn new(config: &AuthConfig) -> Result<Self, AuthError> {
        Ok(Self {
            jwt: config.jwt.clone().map(JwtVerifier::new).transpose()?,
            api_keys: config.api_keys.clone(),
            api_key_query_param: config.api_key_query_param,
            trust_lambda_authorizer: config.trust_lambda_authorizer,
        })
    }

    /// Only JWTs of this configuration (a shortcut for tests and tools).
    pub fn jwt_only(config: JwtConfig) -> Result<Self, AuthError> {
        Self::new(&AuthConfig {
            jwt: Some(config),
            ..Default::default()
        })
    }

    /// The JWT verifier, when JWTs are accepted.
    pub fn jwt(&self) -> Option<&JwtVerifier> {
        self.jwt.as_ref()
    }

    pub async fn authenticate(
        &self,
        headers: &HeaderMap,
        uri: &Uri,
        extensions: &Extensions,
    ) -> Result<Identity, AuthError> {
        // On Lambda the gateway verified the token; its claims arrive as an extension that
        // no HTTP client can set.
        if self.trust_lambda_authorizer
            && let Some(jwt) = extensions.get::<AuthorizerJwt>()
        {
            return principal_from_authorizer(jwt);
        }
        match Credentials::from_request(headers, uri, self.api_key_query_param)? {
            Credentials::Bearer(token) => match &self.jwt {
                Some(verifier) => verifier.verify(&token).await,
                None => Err(AuthError::Malformed(
                    "bearer tokens are not accepted".into(),
                )),
            },
            Credentials::ApiKey(key) => match &self.api_keys {
                Some(store) => verify_api_key(store.as_ref(), &key).await,
                None => Err(AuthError::InvalidApiKey),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{AuthMethod, MemoryApiKeyStore, create_api_key};
    use axum::http::HeaderValue;

    #[tokio::test]
    async fn nothing_configured_lets_nobody_in() {
        let auth = Authenticator::new(&AuthConfig::default()).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-api-key", HeaderValue::from_static("pfk_x_y"));
        let uri = "/".parse().unwrap();
        assert!(
            auth.authenticate(&headers, &uri, &Extensions::new())
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn lambda_claims_only_when_trusted() {
        let jwt: AuthorizerJwt = serde_json::from_value(serde_json::json!({
            "claims": {"sub": "s", "client_id": "c", "scope": "pii/anonymize"}
        }))
        .unwrap();
        let mut ext = Extensions::new();
        ext.insert(jwt);
        let uri = "/".parse().unwrap();
        let untrusting = Authenticator::new(&AuthConfig::default()).unwrap();
        assert!(matches!(
            untrusting.authenticate(&HeaderMap::new(), &uri, &ext).await,
            Err(AuthError::MissingCredentials)
        ));
        let trusting = Authenticator::new(&AuthConfig {
            trust_lambda_authorizer: true,
            ..Default::default()
        })
        .unwrap();
        let p = trusting
            .authenticate(&HeaderMap::new(), &uri, &ext)
            .await
            .unwrap();
        assert_eq!(p.via, AuthMethod::LambdaAuthorizer);
    }

    #[tokio::test]
    async fn api_keys_from_the_store() {
        let store = Arc::new(MemoryApiKeyStore::default());
        let new = create_api_key(store.as_ref(), "k", &["pii/anonymize".into()])
            .await
            .unwrap();
        let auth = Authenticator::new(&AuthConfig {
            api_keys: Some(store),
            ..Default::default()
        })
        .unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-api-key",
            HeaderValue::from_str(new.plaintext.expose()).unwrap(),
        );
        let p = auth
            .authenticate(&headers, &"/".parse().unwrap(), &Extensions::new())
            .await
            .unwrap();
        assert_eq!(p.via, AuthMethod::ApiKey);
    }
}
