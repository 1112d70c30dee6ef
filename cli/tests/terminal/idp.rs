//! A stand-in for the Cognito hosted UI's OAuth endpoints on 127.0.0.1: /oauth2/authorize
//! (signs the configured user in at once and redirects with a code), /oauth2/token (checks
//! the client, the redirect URI and the PKCE verifier against the challenge) and
//! /oauth2/revoke. It records what it was asked, so tests can check what was exchanged.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use data_encoding::{BASE64, BASE64URL_NOPAD};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const WEB_CLIENT: &str = "web-client";
pub const MACHINE_CLIENT: &str = "machine-client";
pub const MACHINE_SECRET: &str = "machine-secret-value";

/// How the stand-in answers.
#[derive(Clone, Default)]
pub enum Behavior {
    /// Sign in and issue tokens.
    #[default]
    Normal,
    /// The user declines: the callback gets error=access_denied.
    Deny,
    /// /oauth2/token answers 400 invalid_request.
    TokenBadRequest,
    /// /oauth2/token answers 200 with a body that is not JSON.
    TokenNotJson,
}

#[derive(Default)]
pub struct Record {
    /// Every form posted to /oauth2/token, in order.
    pub token_requests: Vec<HashMap<String, String>>,
    /// Every token posted to /oauth2/revoke.
    pub revoked: Vec<String>,
}

#[derive(Default)]
struct Inner {
    behavior: Behavior,
    /// code -> (client_id, redirect_uri, challenge)
    codes: HashMap<String, (String, String, String)>,
    next: u32,
    /// The access token refresh grants answer with (a test may put a real API token here).
    refreshed_access_token: Option<String>,
    record: Record,
}

#[derive(Clone)]
pub struct Idp {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl Idp {
    pub async fn start(behavior: Behavior) -> Self {
        let inner = Arc::new(Mutex::new(Inner {
            behavior,
            ..Default::default()
        }));
        let app = Router::new()
            .route("/oauth2/authorize", get(authorize))
            .route("/oauth2/token", post(token))
            .route("/oauth2/revoke", post(revoke))
            .with_state(inner.clone());
        // A runtime of its own: the tests block on the CLI process while it calls us.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                    axum::serve(listener, app).await
                })
        });
        Self { base, inner }
    }

    pub fn with_record<T>(&self, f: impl FnOnce(&Record) -> T) -> T {
        f(&self.inner.lock().unwrap().record)
    }

    pub fn answer_refresh_with(&self, access_token: &str) {
        self.inner.lock().unwrap().refreshed_access_token = Some(access_token.to_string());
    }
}

/// An unsigned JWT-shaped token with these claims: the CLI only reads claims for display.
pub fn jwt(claims: Value) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJl",
        BASE64URL_NOPAD.encode(br#"{"alg":"RS256","kid":"stand-in"}"#),
        BASE64URL_NOPAD.encode(claims.to_string().as_bytes())
    )
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        axum::Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

async fn authorize(
    State(inner): State<Arc<Mutex<Inner>>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut inner = inner.lock().unwrap();
    let (Some(client), Some(redirect), Some(state), Some(challenge)) = (
        q.get("client_id"),
        q.get("redirect_uri"),
        q.get("state"),
        q.get("code_challenge"),
    ) else {
        return (StatusCode::BAD_REQUEST, "missing parameter").into_response();
    };
    if q.get("response_type").map(String::as_str) != Some("code")
        || q.get("code_challenge_method").map(String::as_str) != Some("S256")
        || client != WEB_CLIENT
    {
        return (StatusCode::BAD_REQUEST, "bad request").into_response();
    }
    let state = url_escape(state);
    if let Behavior::Deny = inner.behavior {
        return Redirect::to(&format!(
            "{redirect}?error=access_denied&error_description=User%20declined&state={state}"
        ))
        .into_response();
    }
    inner.next += 1;
    let code = format!("code-{}", inner.next);
    inner.codes.insert(
        code.clone(),
        (client.clone(), redirect.clone(), challenge.clone()),
    );
    Redirect::to(&format!("{redirect}?code={code}&state={state}")).into_response()
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn issued(client: &str, refresh: bool) -> Value {
    let access = jwt(json!({
        "sub": "0a1b2c3d", "username": "alice", "client_id": client,
        "scope": "openid pii/reidentify", "cognito:groups": ["auditors"],
        "exp": 4102444800i64
    }));
    let id =
        jwt(json!({"sub": "0a1b2c3d", "email": "alice@example.com", "cognito:username": "alice"}));
    let mut body = json!({
        "access_token": access, "id_token": id, "expires_in": 900, "token_type": "Bearer"
    });
    if refresh {
        body["refresh_token"] = json!("refresh-token-1");
    }
    body
}

async fn token(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut inner = inner.lock().unwrap();
    inner.record.token_requests.push(form.clone());
    match inner.behavior {
        Behavior::TokenBadRequest => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "stand-in refuses",
            );
        }
        Behavior::TokenNotJson => {
            return (StatusCode::OK, "<html>access_token=leak</html>").into_response();
        }
        _ => {}
    }
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    match field("grant_type") {
        "authorization_code" => {
            let Some((client, redirect, challenge)) = inner.codes.remove(field("code")) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "unknown code");
            };
            let proof = BASE64URL_NOPAD.encode(&Sha256::digest(field("code_verifier").as_bytes()));
            if client != field("client_id")
                || redirect != field("redirect_uri")
                || proof != challenge
            {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "PKCE or redirect mismatch",
                );
            }
            axum::Json(issued(&client, true)).into_response()
        }
        "refresh_token" => {
            if field("refresh_token") != "refresh-token-1" || field("client_id") != WEB_CLIENT {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Refresh Token has expired",
                );
            }
            let mut body = issued(WEB_CLIENT, false);
            if let Some(t) = &inner.refreshed_access_token {
                body["access_token"] = json!(t);
            }
            axum::Json(body).into_response()
        }
        "client_credentials" => {
            let expected = format!(
                "Basic {}",
                BASE64.encode(format!("{MACHINE_CLIENT}:{MACHINE_SECRET}").as_bytes())
            );
            let given = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok());
            if given != Some(expected.as_str()) {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_client", "bad secret");
            }
            let access = jwt(
                json!({"sub": MACHINE_CLIENT, "client_id": MACHINE_CLIENT, "scope": "pii/anonymize"}),
            );
            axum::Json(json!({"access_token": access, "expires_in": 3600, "token_type": "Bearer"}))
                .into_response()
        }
        _ => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "?"),
    }
}

async fn revoke(
    State(inner): State<Arc<Mutex<Inner>>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut inner = inner.lock().unwrap();
    if form.get("client_id").map(String::as_str) != Some(WEB_CLIENT) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_client", "?");
    }
    inner
        .record
        .revoked
        .push(form.get("token").cloned().unwrap_or_default());
    StatusCode::OK.into_response()
}
