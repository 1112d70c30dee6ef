//! Test harness: JWKS server with a fetch counter, fake backend, token minting.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use api::auth::{JwksSource, JwtConfig, MemoryApiKeyStore};
use api::{
    AnonymizeRequest, AnonymizeResponse, ApiError, ApiLimits, AuditPage, AuditQuery, AuthConfig,
    Caller, DocumentRequest, DocumentStarted, DocumentState, DocumentStatus, EraseResponse,
    JobCounts, JobRequest, JobStarted, JobStatus, PiiBackend, ReidentifyRequest,
    ReidentifyResponse, ServeConfig, Server, TokenValue, UploadRequest, UploadTicket, WireEntity,
};
use async_trait::async_trait;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

pub const KEY_1: &[u8] = include_bytes!("../keys/test-key-1.pem");
pub const KEY_1_PUBLIC: &[u8] = include_bytes!("../keys/test-key-1.pub.pem");
pub const KEY_2: &[u8] = include_bytes!("../keys/test-key-2.pem");
pub const KID_1: &str = "key-1";
pub const KID_2: &str = "key-2";
pub const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST";
pub const CLIENT: &str = "client-a";

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub fn jwk(pem: &[u8], kid: &str) -> Jwk {
    let key = EncodingKey::from_rsa_pem(pem).unwrap();
    let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256).unwrap();
    jwk.common.key_id = Some(kid.into());
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    jwk
}

/// Claims of a valid Cognito client_credentials access token.
pub fn claims(scope: &str) -> Value {
    let now = now();
    json!({
        "sub": CLIENT,
        "client_id": CLIENT,
        "token_use": "access",
        "scope": scope,
        "iss": ISSUER,
        "iat": now,
        "auth_time": now,
        "exp": now + 600,
        "jti": "j-1",
        "version": 2
    })
}

pub fn sign(claims: &Value, pem: &[u8], kid: &str) -> String {
    sign_with(
        claims,
        Algorithm::RS256,
        &EncodingKey::from_rsa_pem(pem).unwrap(),
        kid,
    )
}

pub fn sign_with(claims: &Value, alg: Algorithm, key: &EncodingKey, kid: &str) -> String {
    let mut header = Header::new(alg);
    header.kid = Some(kid.into());
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

pub fn token(scope: &str) -> String {
    sign(&claims(scope), KEY_1, KID_1)
}

/// A JWKS endpoint whose key set can be swapped and whose requests are counted.
#[derive(Clone)]
pub struct JwksServer {
    pub url: String,
    keys: Arc<Mutex<JwkSet>>,
    fetches: Arc<AtomicU64>,
}

impl JwksServer {
    pub async fn start(keys: Vec<Jwk>) -> Self {
        let state = (
            Arc::new(Mutex::new(JwkSet { keys })),
            Arc::new(AtomicU64::new(0)),
        );
        let app = Router::new()
            .route(
                "/.well-known/jwks.json",
                get(
                    |State((keys, fetches)): State<(Arc<Mutex<JwkSet>>, Arc<AtomicU64>)>| async move {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        let set = keys.lock().unwrap().clone();
                        axum::Json(set)
                    },
                ),
            )
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            url: format!("http://{addr}/.well-known/jwks.json"),
            keys: state.0,
            fetches: state.1,
        }
    }

    pub fn set_keys(&self, keys: Vec<Jwk>) {
        self.keys.lock().unwrap().keys = keys;
    }

    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::SeqCst)
    }
}

/// A backend that answers predictably and remembers the call contexts it saw.
#[derive(Default)]
pub struct FakeBackend {
    pub contexts: Mutex<Vec<Caller>>,
    pub reidentify_requests: Mutex<Vec<ReidentifyRequest>>,
}

#[async_trait]
impl PiiBackend for FakeBackend {
    async fn anonymize(&self, req: AnonymizeRequest) -> Result<AnonymizeResponse, ApiError> {
        match req.text.as_deref() {
            Some("boom") => Err(ApiError::Internal("vault at /secret/path failed".into())),
            Some("unavailable") => Err(ApiError::Unavailable("detector down".into())),
            Some(text) => Ok(AnonymizeResponse {
                text: Some(text.replace("alice@example.com", "[EMAIL]")),
                entities: vec![WireEntity {
                    entity_type: "EMAIL".into(),
                    begin: 0,
                    end: 17,
                    score: 1.0,
                    source: "pattern".into(),
                    path: None,
                }],
                summary: json!({"EMAIL": 1}),
                ..Default::default()
            }),
            None => Ok(AnonymizeResponse {
                record: req.record,
                summary: json!({}),
                ..Default::default()
            }),
        }
    }

    async fn start_document(&self, _req: DocumentRequest) -> Result<DocumentStarted, ApiError> {
        Ok(DocumentStarted {
            id: "doc-1".into(),
            status: DocumentState::Running,
            existing: false,
        })
    }

    async fn get_document(&self, id: &str) -> Result<DocumentStatus, ApiError> {
        if id != "doc-1" {
            return Err(ApiError::NotFound(format!("no document {id}")));
        }
        Ok(DocumentStatus {
            id: id.into(),
            status: DocumentState::Succeeded,
            result: Some("file:///tmp/doc-1.out".into()),
            result_url: Some("http://127.0.0.1:1/local/objects/results?path=x".into()),
            result_url_expires_at: Some("2026-01-01T00:15:00Z".into()),
            summary: Some(json!({"EMAIL": 2})),
            error: None,
        })
    }

    async fn upload_document(&self, req: UploadRequest) -> Result<UploadTicket, ApiError> {
        Ok(UploadTicket {
            key: format!("incoming/u-1/{}", req.file_name),
            source: format!("s3://docs/incoming/u-1/{}", req.file_name),
            url: "http://127.0.0.1:1/upload".into(),
            method: "PUT".into(),
            headers: Default::default(),
            expires_at: "2026-01-01T00:15:00Z".into(),
        })
    }

    async fn start_job(&self, req: JobRequest) -> Result<JobStarted, ApiError> {
        if req.policy.as_deref() == Some("nope") {
            return Err(ApiError::InvalidInput("unknown policy".into()));
        }
        Ok(JobStarted {
            id: "job-1".into(),
            status: DocumentState::Running,
        })
    }

    async fn get_job(&self, id: &str) -> Result<JobStatus, ApiError> {
        if id != "job-1" {
            return Err(ApiError::NotFound(format!("no job {id}")));
        }
        Ok(JobStatus {
            id: id.into(),
            status: DocumentState::Running,
            counts: Some(JobCounts {
                total: 10,
                pending: 5,
                running: 2,
                succeeded: 2,
                failed: 1,
            }),
            results: None,
            error: None,
        })
    }

    async fn reidentify(
        &self,
        req: ReidentifyRequest,
        ctx: &Caller,
    ) -> Result<ReidentifyResponse, ApiError> {
        self.contexts.lock().unwrap().push(ctx.clone());
        let tokens = req.tokens.clone().unwrap_or_default();
        self.reidentify_requests.lock().unwrap().push(req);
        Ok(ReidentifyResponse {
            tokens: Some(
                tokens
                    .into_iter()
                    .map(|t| TokenValue {
                        token: t,
                        entity_type: Some("EMAIL".into()),
                        value: Some("alice@example.com".into()),
                    })
                    .collect(),
            ),
            audit_id: "audit-1".into(),
            ..Default::default()
        })
    }

    async fn erase(&self, token: &str, ctx: &Caller) -> Result<EraseResponse, ApiError> {
        self.contexts.lock().unwrap().push(ctx.clone());
        Ok(EraseResponse {
            token: token.into(),
            erased: true,
        })
    }

    async fn audit(&self, _query: AuditQuery, _ctx: &Caller) -> Result<AuditPage, ApiError> {
        Ok(AuditPage::default())
    }
}

pub struct Options {
    pub min_refetch_interval: Duration,
    pub jwks_max_age: Duration,
    pub api_key_query_param: bool,
    pub limits: ApiLimits,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            min_refetch_interval: Duration::from_secs(3600),
            jwks_max_age: Duration::from_secs(3600),
            api_key_query_param: false,
            limits: ApiLimits::default(),
        }
    }
}

pub struct Harness {
    pub base: String,
    pub client: reqwest::Client,
    pub jwks: JwksServer,
    pub backend: Arc<FakeBackend>,
    pub keys: Arc<MemoryApiKeyStore>,
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(opts: Options) -> Self {
        let jwks = JwksServer::start(vec![jwk(KEY_1, KID_1)]).await;
        let mut jwt = JwtConfig::new(JwksSource::Url(jwks.url.clone()), ISSUER);
        jwt.allowed_client_ids = Some(BTreeSet::from([CLIENT.to_string()]));
        jwt.min_refetch_interval = opts.min_refetch_interval;
        jwt.jwks_max_age = opts.jwks_max_age;
        let keys = Arc::new(MemoryApiKeyStore::default());
        let backend = Arc::new(FakeBackend::default());
        let config = ServeConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            limits: opts.limits,
            auth: AuthConfig {
                jwt: Some(jwt),
                api_keys: Some(keys.clone()),
                api_key_query_param: opts.api_key_query_param,
                trust_lambda_authorizer: false,
            },
            dev_auth: None,
        };
        let server = Server::bind(config, backend.clone()).await.unwrap();
        let addr = server.local_addr().unwrap();
        tokio::spawn(server.run_until(std::future::pending()));
        Self {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            jwks,
            backend,
            keys,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POST /v1/anonymize with a bearer token.
    pub async fn anonymize_with(&self, token: &str) -> reqwest::Response {
        self.client
            .post(self.url("/v1/anonymize"))
            .bearer_auth(token)
            .json(&json!({"text": "mail alice@example.com"}))
            .send()
            .await
            .unwrap()
    }
}

/// Asserts the API-Gateway-style 401.
pub async fn assert_unauthorized(res: reqwest::Response) {
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({"message": "Unauthorized"}));
}
